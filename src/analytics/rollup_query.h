// Answers volume, breakdown and total questions from the store's rollups,
// never from a scan of mentions: a range is split into whole UTC days (day
// rollups) and the hours at its ragged ends (hour rollups).
#pragma once

#include <cstdint>
#include <map>
#include <string>

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

// Returns the dense series of watch `watch_id` (0: every mention) over `r`
// at `grain` (hour or day): one bucket per step, zeros included.
Result<Series> VolumeSeries(store::Store& store, int64_t watch_id, TimeRange r, Grain grain);

// Returns the figures of each value of `dim` over `r`, summed over buckets.
Result<std::map<std::string, Bucket>> Breakdown(store::Store& store, int64_t watch_id, store::RollupDim dim,
                                                TimeRange r);

// Returns the figures of watch `watch_id` over `r`.
Result<Bucket> Total(store::Store& store, int64_t watch_id, TimeRange r);

}  // namespace earshot::analytics
