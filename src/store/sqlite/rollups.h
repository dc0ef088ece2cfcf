// Rollup maintenance for the SQLite store: a batch accumulates each
// mention's contribution (or its removal, when a row is replaced) in memory,
// then applies them as one upsert per distinct rollup row. Consecutive
// mentions mostly share hours, so a batch of thousands touches few rows.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>

#include "core/status.h"
#include "store/sqlite/sqlite_handle.h"
#include "store/store.h"

namespace earshot::store::sqlite {

// The fields of one stored mention that rollups count.
struct RollupFact {
  int64_t created_at_ms = 0;
  std::string channel;
  std::string lang;  // "und" when unknown
  std::string country;
  std::string site;
  std::optional<double> sentiment;
  int64_t reach = 0;
  int64_t engagement = 0;
};

// Returns the fact of `m` (for writes).
RollupFact FactOf(const Mention& m);

// Returns the start of the hour (kHour) or UTC day (kDay) holding `t_ms`.
int64_t RollupBucket(int64_t t_ms, RollupGrain grain);

class RollupDeltas {
 public:
  // Prepares the upsert on `db`.
  Status Prepare(sqlite3* db);
  // Adds (sign +1) or removes (sign -1) `fact` under watch `watch_id` (0 =
  // every mention), classed by `sentiment`.
  void Add(int64_t watch_id, const RollupFact& fact, std::optional<double> sentiment, int sign);
  // Writes the accumulated deltas (hours, and days derived from them) in the
  // caller's transaction, then clears them.
  Status Apply();
  // Drops the accumulated deltas (after a rolled-back batch).
  void Clear() { hours_.clear(); }

 private:
  struct Figures {
    int64_t count = 0, positive = 0, negative = 0, neutral = 0, reach = 0, engagement = 0;
    void Add(const Figures& o);
    bool Zero() const;
  };
  // (dim, bucket start, watch, value): the rollups table's key order (after
  // the grain), so a batch's upserts walk its B-tree front to back.
  using Key = std::tuple<uint8_t, int64_t, int64_t, std::string>;
  Status Upsert(RollupGrain grain, const Key& key, const Figures& f);

  std::map<Key, Figures> hours_;
  Stmt upsert_;
};

// Whether rollups keep rows of dimension `dim` at `grain` for watches other
// than 0. A watch's hourly channel, language and country figures are summed
// from its hourly facet rows when read (ScanRollups): that spares three of
// its twelve upserts per match, and hours are read only for the ragged ends
// of a range; whole days, what breakdowns mostly read, stay direct.
bool WatchesKeep(RollupDim dim, RollupGrain grain);

// Returns the channel, language or country part of a kFacets value.
std::string_view FacetPart(std::string_view facets, RollupDim dim);

// Calls `fn` with each bucket start t of `grain`, from_ms <= t < to_ms,
// within the span of buckets the rollups hold (none when they are empty),
// oldest first. Rollups are keyed (grain, dim, t, watch, value), so one
// watch's rows over a range are read or deleted with one seek per bucket.
Status ForEachStoredBucket(StmtCache& stmts, RollupGrain grain, int64_t from_ms, int64_t to_ms,
                           const std::function<Status(int64_t)>& fn);

// Returns the SQL that recomputes every rollup row (or those of dimension
// `only_dim`) from the stored mentions and watch matches, for stores that
// predate them. Expired mentions are gone, so their periods keep no such rows.
std::string RebuildRollupsSql(int only_dim = -1);

}  // namespace earshot::store::sqlite
