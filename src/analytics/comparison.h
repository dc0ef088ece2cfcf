// Period comparison: a range against the one just before it and the same
// range a year earlier (364 days, so weekdays line up), for the totals,
// sentiment, reach, engagement and the channel and country breakdowns.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "analytics/rollup_query.h"
#include "analytics/series.h"
#include "core/status.h"
#include "store/store.h"

namespace earshot::analytics {

inline constexpr int64_t kYearAgoMs = 364 * kDayMs;

struct PeriodFigures {
  TimeRange range;
  Bucket total;
  std::map<std::string, Bucket> channels;
  std::map<std::string, Bucket> countries;
};

struct Comparison {
  PeriodFigures current;
  PeriodFigures previous;  // the same length, ending where current starts
  PeriodFigures year_ago;  // current shifted back 364 days
};

// Returns the figures of watch `watch_id` (0: every mention) for `current`,
// the period before it and the period a year earlier, counting only
// mentions that pass `filter`.
Result<Comparison> ComparePeriods(store::Store& store, int64_t watch_id, TimeRange current,
                                  const FacetFilter& filter = {});

// Returns the relative change from `before` to `now` ((now - before) /
// before), or nullopt when `before` is 0.
std::optional<double> Change(double before, double now);

// Returns (positive - negative) / count of `b`, 0 for an empty bucket.
double NetSentiment(const Bucket& b);

}  // namespace earshot::analytics
