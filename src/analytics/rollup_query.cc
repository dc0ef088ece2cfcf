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

// The three parts of a kFacets value: channel, language, country.
struct FacetParts {
  std::string_view channel, lang, country;
};

FacetParts SplitFacets(std::string_view v) {
  FacetParts p;
  const size_t a = v.find(store::kFacetSeparator);
  const size_t b = a == std::string_view::npos ? a : v.find(store::kFacetSeparator, a + 1);
  if (b == std::string_view::npos) return p;
  p.channel = v.substr(0, a);
  p.lang = v.substr(a + 1, b - a - 1);
  p.country = v.substr(b + 1);
  return p;
}

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

}  // namespace

bool FacetFilter::Matches(std::string_view facets) const {
  const FacetParts p = SplitFacets(facets);
  return (channel.empty() || p.channel == channel) && (lang.empty() || EqualsNoCase(p.lang, lang)) &&
         (country.empty() || EqualsNoCase(p.country, country));
}

bool FacetFilter::MatchesMention(const Mention& m) const {
  return (channel.empty() || ChannelName(m.channel) == channel) &&
         (lang.empty() || EqualsNoCase(m.language.empty() ? std::string_view("und") : m.language, lang)) &&
         (country.empty() || EqualsNoCase(m.geo.country, country));
}

TimeRange HourAligned(TimeRange r) {
  return {BucketStart(r.from_ms, Grain::kHour), BucketStart(r.to_ms + kHourMs - 1, Grain::kHour)};
}

namespace {

// An empty dense series over `r` at `grain`, or one with no buckets.
Series EmptySeries(TimeRange r, Grain grain) {
  Series s;
  s.grain = grain;
  const int64_t width = GrainMs(grain);
  s.start_ms = BucketStart(r.from_ms, grain);
  const int64_t end = BucketStart(r.to_ms + width - 1, grain);
  if (end <= s.start_ms) return s;
  s.buckets.resize(static_cast<size_t>((end - s.start_ms) / width));
  for (size_t i = 0; i < s.buckets.size(); ++i) s.buckets[i].t_ms = s.start_ms + static_cast<int64_t>(i) * width;
  return s;
}

// Hourly series read hour rollups; daily ones day rollups: both exact.
store::RollupGrain RollupGrainOf(Grain grain) {
  return grain == Grain::kHour ? store::RollupGrain::kHour : store::RollupGrain::kDay;
}

store::RollupDim SeriesDim(const FacetFilter& filter) {
  return filter.empty() ? store::RollupDim::kTotal : store::RollupDim::kFacets;
}

// Adds cell `c` to series `s` when it passes `filter`.
void AddCell(Series& s, const store::RollupCell& c, const FacetFilter& filter) {
  if (!filter.empty() && !filter.Matches(c.value)) return;
  s.buckets[static_cast<size_t>((c.t_ms - s.start_ms) / GrainMs(s.grain))].Add(FromCell(c));
}

}  // namespace

Result<Series> VolumeSeries(store::Store& store, int64_t watch_id, TimeRange r, Grain grain,
                            const FacetFilter& filter) {
  Series s = EmptySeries(r, grain);
  if (s.buckets.empty()) return s;
  const int64_t end = s.start_ms + static_cast<int64_t>(s.buckets.size()) * GrainMs(grain);
  store::RollupScan scan{watch_id, SeriesDim(filter), RollupGrainOf(grain), s.start_ms, end};
  EARSHOT_RETURN_IF_ERROR(store.ScanRollups(scan, [&](const store::RollupCell& c) { AddCell(s, c, filter); }));
  return s;
}

Status ForEachWatchSeries(store::Store& store, const std::vector<int64_t>& watch_ids, TimeRange r, Grain grain,
                          const FacetFilter& filter, const std::function<Status(int64_t, Series&)>& fn) {
  // A few watches: a seek per bucket each beats reading every watch's rows.
  constexpr size_t kSeekAtMost = 16;
  if (watch_ids.size() <= kSeekAtMost) {
    for (int64_t id : watch_ids) {
      EARSHOT_ASSIGN_OR_RETURN(Series s, VolumeSeries(store, id, r, grain, filter));
      EARSHOT_RETURN_IF_ERROR(fn(id, s));
    }
    return Status::Ok();
  }
  const Series empty = EmptySeries(r, grain);
  // The rows come time first; keep them sparse, then group them by watch.
  std::map<int64_t, size_t> index;  // watch id -> position in watch_ids
  for (size_t i = 0; i < watch_ids.size(); ++i) index.emplace(watch_ids[i], i);
  struct Cell {
    size_t watch;
    store::RollupCell cell;
  };
  std::vector<Cell> cells;
  if (!empty.buckets.empty()) {
    const int64_t end = empty.start_ms + static_cast<int64_t>(empty.buckets.size()) * GrainMs(grain);
    EARSHOT_RETURN_IF_ERROR(store.ScanRollupsOfAllWatches(
        RollupGrainOf(grain), SeriesDim(filter), empty.start_ms, end, [&](int64_t id, const store::RollupCell& c) {
          auto it = index.find(id);
          if (it != index.end() && (filter.empty() || filter.Matches(c.value))) cells.push_back({it->second, c});
        }));
  }
  std::stable_sort(cells.begin(), cells.end(), [](const Cell& a, const Cell& b) { return a.watch < b.watch; });
  size_t next = 0;
  for (size_t w = 0; w < watch_ids.size(); ++w) {
    Series s = empty;
    for (; next < cells.size() && cells[next].watch == w; ++next) AddCell(s, cells[next].cell, {});
    EARSHOT_RETURN_IF_ERROR(fn(watch_ids[w], s));
  }
  return Status::Ok();
}

Result<std::map<std::string, Bucket>> Breakdown(store::Store& store, int64_t watch_id, store::RollupDim dim,
                                                TimeRange r, const FacetFilter& filter) {
  if (!filter.empty() && dim == store::RollupDim::kSite) {
    return Status::InvalidArgument("site breakdowns cannot be filtered by channel, language or country");
  }
  std::map<std::string, Bucket> out;
  for (const Piece& p : Pieces(HourAligned(r))) {
    if (filter.empty()) {
      store::RollupScan scan{watch_id, dim, p.grain, p.from_ms, p.to_ms};
      EARSHOT_RETURN_IF_ERROR(store.ScanRollups(scan, [&](const store::RollupCell& c) {
        out[c.value].Add(FromCell(c));
      }));
      continue;
    }
    // Filtered: sum the combined facet rows that pass, keyed by `dim`'s part.
    store::RollupScan scan{watch_id, store::RollupDim::kFacets, p.grain, p.from_ms, p.to_ms};
    EARSHOT_RETURN_IF_ERROR(store.ScanRollups(scan, [&](const store::RollupCell& c) {
      if (!filter.Matches(c.value)) return;
      const FacetParts parts = SplitFacets(c.value);
      std::string_view key;
      switch (dim) {
        case store::RollupDim::kChannel: key = parts.channel; break;
        case store::RollupDim::kLanguage: key = parts.lang; break;
        case store::RollupDim::kCountry: key = parts.country; break;
        case store::RollupDim::kFacets: key = c.value; break;
        default: break;  // kTotal: one key
      }
      out[std::string(key)].Add(FromCell(c));
    }));
  }
  return out;
}

Result<Bucket> Total(store::Store& store, int64_t watch_id, TimeRange r, const FacetFilter& filter) {
  EARSHOT_ASSIGN_OR_RETURN(auto by, Breakdown(store, watch_id, store::RollupDim::kTotal, r, filter));
  Bucket total;
  total.t_ms = HourAligned(r).from_ms;
  for (const auto& [value, b] : by) total.Add(b);
  return total;
}

}  // namespace earshot::analytics
