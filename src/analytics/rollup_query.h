// Answers volume, breakdown and total questions from the store's rollups,
// never from a scan of mentions: a range is split into whole UTC days (day
// rollups) and the hours at its ragged ends (hour rollups).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "analytics/series.h"
#include "core/status.h"
#include "store/store.h"

namespace earshot::analytics {

// A time range [from_ms, to_ms), widened to whole hours when used.
struct TimeRange {
  int64_t from_ms = 0;
  int64_t to_ms = 0;
  int64_t Length() const { return to_ms - from_ms; }
};

// Returns `r` widened to whole hours: from floored, to ceiled.
TimeRange HourAligned(TimeRange r);

// Mentions of one channel, language and/or country (empty: any), answered
// from the combined facet rollups.
struct FacetFilter {
  std::string channel;  // "blog"
  std::string lang;     // "de" ("und": unknown)
  std::string country;  // "DE" ("": any; unknown countries cannot be asked for)

  bool empty() const { return channel.empty() && lang.empty() && country.empty(); }
  // Returns true when a kFacets rollup value satisfies the filter.
  bool Matches(std::string_view facets) const;
  // Returns true when mention `m` satisfies the filter.
  bool MatchesMention(const Mention& m) const;
};

// Returns the dense series of watch `watch_id` (0: every mention) over `r`
// at `grain` (hour or day): one bucket per step, zeros included.
Result<Series> VolumeSeries(store::Store& store, int64_t watch_id, TimeRange r, Grain grain,
                            const FacetFilter& filter = {});

// Calls fn(watch id, series) with the series VolumeSeries returns for each
// of `watch_ids` in turn, stopping at the first error. Many watches (spike
// checks) are read in one pass over the rollups of every watch, where a scan
// per watch would seek once per bucket and watch.
Status ForEachWatchSeries(store::Store& store, const std::vector<int64_t>& watch_ids, TimeRange r, Grain grain,
                          const FacetFilter& filter, const std::function<Status(int64_t, Series&)>& fn);

// Returns the figures of each value of `dim` over `r`, summed over buckets.
// With a filter, `dim` must be the total, channel, language or country
// (InvalidArgument otherwise).
Result<std::map<std::string, Bucket>> Breakdown(store::Store& store, int64_t watch_id, store::RollupDim dim,
                                                TimeRange r, const FacetFilter& filter = {});

// Returns the figures of watch `watch_id` over `r`.
Result<Bucket> Total(store::Store& store, int64_t watch_id, TimeRange r, const FacetFilter& filter = {});

}  // namespace earshot::analytics
