#include "analytics/comparison.h"

namespace earshot::analytics {
namespace {

Result<PeriodFigures> Figures(store::Store& store, int64_t watch_id, TimeRange r, const FacetFilter& filter) {
  PeriodFigures f;
  f.range = HourAligned(r);
  EARSHOT_ASSIGN_OR_RETURN(f.total, Total(store, watch_id, f.range, filter));
  EARSHOT_ASSIGN_OR_RETURN(f.channels, Breakdown(store, watch_id, store::RollupDim::kChannel, f.range, filter));
  EARSHOT_ASSIGN_OR_RETURN(f.countries, Breakdown(store, watch_id, store::RollupDim::kCountry, f.range, filter));
  return f;
}

}  // namespace

Result<Comparison> ComparePeriods(store::Store& store, int64_t watch_id, TimeRange current,
                                  const FacetFilter& filter) {
  Comparison c;
  const TimeRange cur = HourAligned(current);
  EARSHOT_ASSIGN_OR_RETURN(c.current, Figures(store, watch_id, cur, filter));
  EARSHOT_ASSIGN_OR_RETURN(c.previous, Figures(store, watch_id, {cur.from_ms - cur.Length(), cur.from_ms}, filter));
  EARSHOT_ASSIGN_OR_RETURN(c.year_ago,
                           Figures(store, watch_id, {cur.from_ms - kYearAgoMs, cur.to_ms - kYearAgoMs}, filter));
  return c;
}

std::optional<double> Change(double before, double now) {
  if (before == 0) return std::nullopt;
  return (now - before) / before;
}

double NetSentiment(const Bucket& b) {
  return b.count > 0 ? static_cast<double>(b.positive - b.negative) / static_cast<double>(b.count) : 0.0;
}

}  // namespace earshot::analytics
