#include "analytics/rollup_query.h"

#include <algorithm>
#include <vector>

namespace earshot::analytics {
namespace {

Bucket FromCell(const store::RollupCell& c) {
  return Bucket{c.t_ms, c.count, c.positive, c.negative, c.neutral, c.reach, c.engagement};
}

// A piece of a range answered by one grain of rollups.
struct Piece {
  store::RollupGrain grain;
  int64_t from_ms;
  int64_t to_ms;
};

// Splits an hour-aligned range into hours before the first midnight, whole
// days, and hours after the last midnight.
std::vector<Piece> Pieces(TimeRange r) {
  std::vector<Piece> out;
  const int64_t first_day = BucketStart(r.from_ms + kDayMs - 1, Grain::kDay);
  const int64_t last_day = BucketStart(r.to_ms, Grain::kDay);
  if (first_day >= last_day) {
    if (r.from_ms < r.to_ms) out.push_back({store::RollupGrain::kHour, r.from_ms, r.to_ms});
    return out;
  }
  if (r.from_ms < first_day) out.push_back({store::RollupGrain::kHour, r.from_ms, first_day});
  out.push_back({store::RollupGrain::kDay, first_day, last_day});
  if (last_day < r.to_ms) out.push_back({store::RollupGrain::kHour, last_day, r.to_ms});
  return out;
}

}  // namespace

TimeRange HourAligned(TimeRange r) {
  return {BucketStart(r.from_ms, Grain::kHour), BucketStart(r.to_ms + kHourMs - 1, Grain::kHour)};
}

Result<Series> VolumeSeries(store::Store& store, int64_t watch_id, TimeRange r, Grain grain) {
  Series s;
  s.grain = grain;
  const int64_t width = GrainMs(grain);
  s.start_ms = BucketStart(r.from_ms, grain);
  const int64_t end = BucketStart(r.to_ms + width - 1, grain);
  if (end <= s.start_ms) return s;
  s.buckets.resize(static_cast<size_t>((end - s.start_ms) / width));
  for (size_t i = 0; i < s.buckets.size(); ++i) s.buckets[i].t_ms = s.start_ms + static_cast<int64_t>(i) * width;
  // Hourly series read hour rollups; daily ones day rollups: both exact.
  store::RollupScan scan{watch_id, store::RollupDim::kTotal,
                         grain == Grain::kHour ? store::RollupGrain::kHour : store::RollupGrain::kDay, s.start_ms,
                         end};
  EARSHOT_RETURN_IF_ERROR(store.ScanRollups(scan, [&](const store::RollupCell& c) {
    s.buckets[static_cast<size_t>((c.t_ms - s.start_ms) / width)].Add(FromCell(c));
  }));
  return s;
}

Result<std::map<std::string, Bucket>> Breakdown(store::Store& store, int64_t watch_id, store::RollupDim dim,
                                                TimeRange r) {
  std::map<std::string, Bucket> out;
  for (const Piece& p : Pieces(HourAligned(r))) {
    store::RollupScan scan{watch_id, dim, p.grain, p.from_ms, p.to_ms};
    EARSHOT_RETURN_IF_ERROR(store.ScanRollups(scan, [&](const store::RollupCell& c) {
      Bucket& b = out[c.value];
      b.Add(FromCell(c));
    }));
  }
  return out;
}

Result<Bucket> Total(store::Store& store, int64_t watch_id, TimeRange r) {
  EARSHOT_ASSIGN_OR_RETURN(auto by, Breakdown(store, watch_id, store::RollupDim::kTotal, r));
  Bucket total;
  total.t_ms = HourAligned(r).from_ms;
  for (const auto& [value, b] : by) total.Add(b);
  return total;
}

}  // namespace earshot::analytics
