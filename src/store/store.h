// The storage interface. The embedded default is SQLite (rows and the FTS5
// word index in one database, written in one transaction); a PostgreSQL
// backend for server mode implements the same interface. Writes are
// idempotent by Mention::id.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/mention.h"
#include "core/status.h"
#include "match/index_plan.h"

namespace earshot::store {

struct StoreOptions {
  // Directory holding everything Earshot stores; created when missing.
  std::string data_dir = "./earshot-data";
  // Open without write access (readers: search, stats, the API's readers).
  bool read_only = false;
  // kFull also survives power loss at the cost of one fsync per batch;
  // kNormal (WAL) survives process crashes, which is what ingest needs.
  enum class Durability { kNormal, kFull } durability = Durability::kNormal;
  // SQLite page cache per connection, MiB. Larger helps index-heavy ingest.
  int cache_mib = 64;
  // How long a writer waits for another writer's lock, ms.
  int busy_timeout_ms = 10'000;
  // Copy the write-ahead log into the database from the commit that fills
  // it (SQLite's automatic checkpoint). A server turns this off and calls
  // Checkpoint() from another thread, so that no commit waits for one.
  bool auto_checkpoint = true;
};

// What WriteBatch did with one mention.
enum class WriteOutcome : uint8_t {
  kInserted,   // new id
  kUpdated,    // known id, content changed (edit, new counts): row and index replaced
  kUnchanged,  // known id, identical content: nothing written
};

struct WriteSummary {
  int64_t inserted = 0;
  int64_t updated = 0;
  int64_t unchanged = 0;
  // Of the inserted and updated: rows that store a reference to an identical
  // text held by another row instead of the text.
  int64_t text_copies = 0;
  std::vector<WriteOutcome> outcomes;  // one per mention, in batch order
  std::vector<bool> text_copy;         // one per mention: counted in text_copies
};

// Totals for `earshot stats`.
struct StoreStats {
  int64_t mentions = 0;
  std::map<std::string, int64_t> by_channel;
  std::map<std::string, int64_t> by_language;  // "" counted as "und"
  std::map<std::string, int64_t> by_source;
  int64_t first_ms = 0;  // oldest created_at (0 when empty)
  int64_t last_ms = 0;   // newest created_at
  // Mentions whose text is an exact copy of another stored mention's: the
  // text is stored once, with the first.
  int64_t text_copies = 0;
};

// A saved query: live matching records which mentions it matched.
struct Watch {
  int64_t id = 0;
  std::string name;
  std::string query;
  std::string group;        // e.g. a brand and its competitors, for share of voice
  int64_t created_at_ms = 0;
  int64_t matches = 0;      // stored mentions this watch matched (live or by backfill)
};

struct ScanOptions {
  // Visit at most this many candidates (-1: all).
  int64_t limit = -1;
  // Only mentions with created_at in [from_ms, to_ms).
  std::optional<int64_t> from_ms;
  std::optional<int64_t> to_ms;
  // ScanCandidates / CountCandidates: only mentions that at least one of
  // these watches matched (empty: no restriction).
  std::vector<int64_t> watch_ids;
};

// Called for each candidate, newest first; return false to stop the scan.
using MentionVisitor = std::function<bool(const Mention&)>;

// Rollups: counts kept per watch (0 = every mention), time bucket and one
// dimension, maintained by WriteBatch in the same transaction as the rows,
// so analytics answer any range and filter without scanning mentions. They
// outlive the mentions they count (see Expire).
enum class RollupDim : uint8_t {
  kTotal = 0,     // value ""
  kChannel = 1,   // "microblog", "blog", ...
  kLanguage = 2,  // "en", ... ("und" when unknown)
  kCountry = 3,   // ISO 3166-1 alpha-2 ("" when unknown)
  kSite = 4,      // host ("" when none)
  // Channel, language and country together, joined by '\x1f'
  // ("blog\x1fde\x1fDE"): answers filters that combine them.
  kFacets = 5,
};
inline constexpr RollupDim kAllRollupDims[] = {RollupDim::kTotal,   RollupDim::kChannel, RollupDim::kLanguage,
                                               RollupDim::kCountry, RollupDim::kSite,    RollupDim::kFacets};
// Separates the parts of a kFacets value.
inline constexpr char kFacetSeparator = '\x1f';
// Bucket widths rollups keep: UTC hours and UTC days.
enum class RollupGrain : uint8_t { kHour = 0, kDay = 1 };

// One rollup row. Sentiment classes use compound >= 0.05 positive, <= -0.05
// negative, else (or unscored) neutral; per watch the target-level sentiment
// counts when there is one. reach sums author followers (unknown as 0);
// engagement sums likes, reshares, replies and quotes.
struct RollupCell {
  int64_t t_ms = 0;  // bucket start
  std::string value;
  int64_t count = 0;
  int64_t positive = 0;
  int64_t negative = 0;
  int64_t neutral = 0;
  int64_t reach = 0;
  int64_t engagement = 0;
};

struct RollupScan {
  int64_t watch_id = 0;  // 0: every mention
  RollupDim dim = RollupDim::kTotal;
  RollupGrain grain = RollupGrain::kDay;
  int64_t from_ms = 0;  // buckets with from_ms <= t < to_ms
  int64_t to_ms = 0;
};

// What Expire removes: mentions from `source` ("" = every source) created
// before `before_ms`.
struct ExpireOptions {
  std::string source;
  int64_t before_ms = 0;
};

// An author's activity in a range: mentions, largest follower count seen
// and summed engagement.
struct AuthorActivity {
  std::string handle;
  int64_t mentions = 0;
  int64_t followers = 0;
  int64_t engagement = 0;
};

// A retention policy: mentions from `source` older than `days` expire.
struct RetentionPolicy {
  std::string source;
  int days = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // Writes `batch` in one transaction: rows and index entries commit together
  // or not at all. Idempotent by Mention::id.
  // REQUIRES: opened for writing; mentions have non-empty ids and valid UTF-8.
  virtual Result<WriteSummary> WriteBatch(std::span<const Mention> batch) = 0;

  // Returns the mention with `id`, or NotFound.
  virtual Result<Mention> Get(std::string_view id) = 0;

  // Visits the mentions the index proposes for `plan` (its text query and
  // filters), newest first. A superset of the query's matches unless
  // plan.exact.
  virtual Status ScanCandidates(const match::IndexPlan& plan, const ScanOptions& options,
                                const MentionVisitor& visit) = 0;

  // Returns true when the index alone decides `plan` (plan.exact and this
  // backend expresses its text query without widening it).
  virtual bool IndexIsExact(const match::IndexPlan& plan) = 0;

  // Returns how many mentions the index proposes for `plan` (the number of
  // matches when plan.exact).
  virtual Result<int64_t> CountCandidates(const match::IndexPlan& plan, const ScanOptions& options) = 0;

  // Adds a watch. AlreadyExists when the name is taken. The query text is
  // stored as given; callers validate it first.
  virtual Result<Watch> AddWatch(const std::string& name, const std::string& query, const std::string& group) = 0;
  // Returns every watch, by id.
  virtual Result<std::vector<Watch>> ListWatches() = 0;
  // Removes the watch `name` and its recorded matches. NotFound when unknown.
  virtual Status RemoveWatch(const std::string& name) = 0;
  // Returns a number that changes whenever a watch is added or removed, so a
  // running ingest knows when to recompile its watch set.
  virtual Result<int64_t> WatchSetVersion() = 0;
  // Applies watch `watch_id` to stored history: visits the candidates of
  // `plan`; for each, `decide` says whether the watch matches (filling the
  // WatchMatch) and the match is recorded. Replaces the watch's earlier
  // matches; returns how many it has now.
  virtual Result<int64_t> Backfill(int64_t watch_id, const match::IndexPlan& plan,
                                   const std::function<bool(const Mention&, WatchMatch*)>& decide) = 0;

  // Visits rollup rows of one watch, dimension and grain with bucket starts
  // in [from_ms, to_ms), ascending by time.
  virtual Status ScanRollups(const RollupScan& scan, const std::function<void(const RollupCell&)>& visit) = 0;
  // Visits the rollup rows of every watch (watch 0, every mention, too) of
  // one grain and dimension with from_ms <= t < to_ms, as visit(watch id,
  // cell), oldest first: one pass where many watches' figures are needed.
  // Hourly, `dim` is kTotal, kSite or kFacets (InvalidArgument otherwise).
  virtual Status ScanRollupsOfAllWatches(RollupGrain grain, RollupDim dim, int64_t from_ms, int64_t to_ms,
                                         const std::function<void(int64_t, const RollupCell&)>& visit) = 0;
  // Visits the stored mentions watch `watch_id` matched (0: every mention),
  // oldest first, within options' time range and limit. For a watch, each
  // Mention's `watches` holds that watch's match only.
  virtual Status ScanWatchMentions(int64_t watch_id, const ScanOptions& options, const MentionVisitor& visit) = 0;
  // Returns the `limit` authors with the most mentions matched by watch
  // `watch_id` (0: every mention) in options' time range, most first.
  virtual Result<std::vector<AuthorActivity>> TopAuthors(int64_t watch_id, const ScanOptions& options, int limit) = 0;
  // Deletes matching mentions with their index entries and watch matches,
  // keeping rollups; an expired id ingested again is not stored again.
  // Returns how many mentions were removed.
  virtual Result<int64_t> Expire(const ExpireOptions& options) = 0;
  // Sets (days > 0) or clears (days == 0) the retention policy of `source`.
  virtual Status SetRetention(const std::string& source, int days) = 0;
  // Returns every retention policy, by source.
  virtual Result<std::vector<RetentionPolicy>> ListRetention() = 0;
  // Returns totals by channel, language and source.
  virtual Result<StoreStats> Stats() = 0;

  // Copies what the write-ahead log holds into the database without
  // blocking writers or readers (as far as readers allow); a no-op for
  // backends without one.
  virtual Status Checkpoint() = 0;

  // Verifies that rows and the word index agree (every row indexed, nothing
  // else indexed) and that the database file is sound. Corruption otherwise.
  virtual Status CheckConsistency() = 0;
};

// Opens (creating and migrating when writable) the embedded store in
// options.data_dir. InvalidArgument names a bad option; IOError names the path.
Result<std::unique_ptr<Store>> OpenStore(const StoreOptions& options);

}  // namespace earshot::store
