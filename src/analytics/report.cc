#include "analytics/report.h"

#include <algorithm>
#include <map>
#include <set>
#include <vector>

#include "analytics/comparison.h"
#include "analytics/report_sections.h"
#include "analytics/rollup_query.h"
#include "analytics/share_of_voice.h"
#include "core/time.h"

namespace earshot::analytics {
namespace {

using nlohmann::json;

constexpr int64_t kDefaultDays = 30;

// What a report covers: the watches it names and the rollup ids its
// volume and breakdowns sum (0 = every mention).
struct Selection {
  std::vector<store::Watch> watches;
  std::vector<int64_t> rollup_ids;
  std::vector<std::string> groups;  // share of voice for each
};

Result<Selection> Select(const std::vector<store::Watch>& all, const ReportOptions& o) {
  Selection s;
  std::set<std::string> groups;
  if (!o.watch.empty()) {
    auto it = std::find_if(all.begin(), all.end(), [&](const store::Watch& w) { return w.name == o.watch; });
    if (it == all.end()) return Status::NotFound("no watch named '" + o.watch + "'");
    s.watches = {*it};
    s.rollup_ids = {it->id};
    if (!it->group.empty()) groups.insert(it->group);
  } else if (!o.group.empty()) {
    for (const store::Watch& w : all) {
      if (w.group != o.group) continue;
      s.watches.push_back(w);
      s.rollup_ids.push_back(w.id);
    }
    if (s.watches.empty()) return Status::NotFound("no watch in group '" + o.group + "'");
    groups.insert(o.group);
  } else {
    s.watches = all;
    s.rollup_ids = {0};
    for (const store::Watch& w : all) {
      if (!w.group.empty()) groups.insert(w.group);
    }
  }
  s.groups.assign(groups.begin(), groups.end());
  return s;
}

Result<TimeRange> ResolveRange(store::Store& store, const ReportOptions& o) {
  TimeRange r;
  if (o.from_ms && o.to_ms) {
    r = {*o.from_ms, *o.to_ms};
  } else {
    EARSHOT_ASSIGN_OR_RETURN(store::StoreStats st, store.Stats());
    const int64_t newest_day_end = BucketStart(st.last_ms, Grain::kDay) + kDayMs;
    r.to_ms = o.to_ms.value_or(newest_day_end);
    r.from_ms = o.from_ms.value_or(r.to_ms - kDefaultDays * kDayMs);
  }
  if (r.to_ms <= r.from_ms) return Status::InvalidArgument("the report range is empty (--from must be before --to)");
  return HourAligned(r);
}

json BucketJson(const Bucket& b) {
  return {{"count", b.count},       {"positive", b.positive}, {"negative", b.negative},
          {"neutral", b.neutral},   {"reach", b.reach},       {"engagement", b.engagement},
          {"net_sentiment", NetSentiment(b)}};
}

json BreakdownJson(const std::map<std::string, Bucket>& by) {
  json out = json::object();
  for (const auto& [value, b] : by) out[value.empty() ? "unknown" : value] = BucketJson(b);
  return out;
}

// Sums a breakdown over several rollup ids (a group's members).
Result<std::map<std::string, Bucket>> SumBreakdown(store::Store& store, const std::vector<int64_t>& ids,
                                                   store::RollupDim dim, TimeRange r, const FacetFilter& filter) {
  std::map<std::string, Bucket> out;
  for (int64_t id : ids) {
    EARSHOT_ASSIGN_OR_RETURN(auto by, Breakdown(store, id, dim, r, filter));
    for (const auto& [value, b] : by) out[value].Add(b);
  }
  return out;
}

Grain SeriesGrain(TimeRange r) { return r.Length() <= 3 * kDayMs ? Grain::kHour : Grain::kDay; }

Result<json> VolumeJson(store::Store& store, const std::vector<int64_t>& ids, TimeRange r,
                        const FacetFilter& filter) {
  Series sum;
  for (int64_t id : ids) {
    EARSHOT_ASSIGN_OR_RETURN(Series s, VolumeSeries(store, id, r, SeriesGrain(r), filter));
    if (sum.buckets.empty()) {
      sum = std::move(s);
    } else {
      for (size_t i = 0; i < s.buckets.size(); ++i) sum.buckets[i].Add(s.buckets[i]);
    }
  }
  json out = json::array();
  for (const Bucket& b : sum.buckets) {
    out.push_back({{"t", FormatRfc3339(b.t_ms)},
                   {"count", b.count},
                   {"positive", b.positive},
                   {"negative", b.negative},
                   {"neutral", b.neutral},
                   {"reach", b.reach},
                   {"engagement", b.engagement}});
  }
  return out;
}

Result<json> ShareOfVoiceJson(store::Store& store, const std::vector<store::Watch>& all,
                              const std::vector<std::string>& groups, TimeRange r, const FacetFilter& filter) {
  json out = json::array();
  for (const std::string& g : groups) {
    std::vector<store::Watch> members;
    for (const store::Watch& w : all) {
      if (w.group == g) members.push_back(w);
    }
    EARSHOT_ASSIGN_OR_RETURN(ShareOfVoice sov, ComputeShareOfVoice(store, g, members, r, SeriesGrain(r), filter));
    json m = json::array();
    for (const VoiceMember& v : sov.members) {
      m.push_back({{"watch", v.watch},
                   {"count", v.total.count},
                   {"share", v.share},
                   {"reach", v.total.reach},
                   {"reach_share", v.reach_share},
                   {"positive", v.total.positive},
                   {"positive_share", v.positive_share},
                   {"negative", v.total.negative},
                   {"negative_share", v.negative_share}});
    }
    json series = json::array();
    for (const VoicePoint& p : sov.series) {
      json shares = json::object();
      for (size_t i = 0; i < sov.members.size(); ++i) shares[sov.members[i].watch] = p.shares[i];
      series.push_back({{"t", FormatRfc3339(p.t_ms)}, {"shares", shares}});
    }
    out.push_back({{"group", g}, {"members", m}, {"series", series}});
  }
  return out;
}

json TopValues(const std::map<std::string, Bucket>& by, const char* key, int top) {
  std::vector<std::pair<std::string, Bucket>> v(by.begin(), by.end());
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
    return a.second.count != b.second.count ? a.second.count > b.second.count : a.first < b.first;
  });
  json out = json::array();
  for (const auto& [value, b] : v) {
    if (value.empty()) continue;
    if (static_cast<int>(out.size()) >= top) break;
    out.push_back({{key, value}, {"count", b.count}, {"reach", b.reach}, {"net_sentiment", NetSentiment(b)}});
  }
  return out;
}

Result<json> AuthorsJson(store::Store& store, const std::vector<int64_t>& ids, TimeRange r, int top) {
  std::map<std::string, store::AuthorActivity> merged;
  store::ScanOptions range;
  range.from_ms = r.from_ms;
  range.to_ms = r.to_ms;
  for (int64_t id : ids) {
    EARSHOT_ASSIGN_OR_RETURN(auto authors, store.TopAuthors(id, range, top));
    for (const store::AuthorActivity& a : authors) {
      store::AuthorActivity& m = merged[a.handle];
      m.handle = a.handle;
      m.mentions += a.mentions;
      m.followers = std::max(m.followers, a.followers);
      m.engagement += a.engagement;
    }
  }
  std::vector<store::AuthorActivity> v;
  for (auto& [h, a] : merged) v.push_back(a);
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
    return a.mentions != b.mentions ? a.mentions > b.mentions : a.handle < b.handle;
  });
  json out = json::array();
  for (const store::AuthorActivity& a : v) {
    if (static_cast<int>(out.size()) >= top) break;
    out.push_back({{"author", a.handle},
                   {"mentions", a.mentions},
                   {"followers", a.followers},
                   {"engagement", a.engagement}});
  }
  return out;
}

json PeriodJson(const PeriodFigures& p) {
  return {{"from", FormatRfc3339(p.range.from_ms)},
          {"to", FormatRfc3339(p.range.to_ms)},
          {"total", BucketJson(p.total)},
          {"channels", BreakdownJson(p.channels)},
          {"countries", BreakdownJson(p.countries)}};
}

json ChangeJson(const PeriodFigures& before, const PeriodFigures& now) {
  auto change = [](double a, double b) -> json {
    std::optional<double> c = Change(a, b);
    return c ? json(*c) : json(nullptr);
  };
  const Bucket& a = before.total;
  const Bucket& b = now.total;
  return {{"count", change(a.count, b.count)},
          {"positive", change(a.positive, b.positive)},
          {"negative", change(a.negative, b.negative)},
          {"reach", change(a.reach, b.reach)},
          {"engagement", change(a.engagement, b.engagement)},
          {"net_sentiment_delta", NetSentiment(b) - NetSentiment(a)}};
}

Result<json> ComparisonJson(store::Store& store, const std::vector<int64_t>& ids, TimeRange r,
                            const FacetFilter& filter) {
  Comparison sum;
  for (size_t i = 0; i < ids.size(); ++i) {
    EARSHOT_ASSIGN_OR_RETURN(Comparison c, ComparePeriods(store, ids[i], r, filter));
    if (i == 0) {
      sum = std::move(c);
      continue;
    }
    for (auto [to, from] : {std::pair{&sum.current, &c.current}, std::pair{&sum.previous, &c.previous},
                            std::pair{&sum.year_ago, &c.year_ago}}) {
      to->total.Add(from->total);
      for (const auto& [k, b] : from->channels) to->channels[k].Add(b);
      for (const auto& [k, b] : from->countries) to->countries[k].Add(b);
    }
  }
  return json{{"current", PeriodJson(sum.current)},
              {"previous", PeriodJson(sum.previous)},
              {"year_ago", PeriodJson(sum.year_ago)},
              {"change_vs_previous", ChangeJson(sum.previous, sum.current)},
              {"change_vs_year_ago", ChangeJson(sum.year_ago, sum.current)}};
}

// Each group member's share of mentions now, in the previous period and a
// year earlier: {group: {watch: {"current","previous","year_ago"}}}.
Result<json> ShareComparisonJson(store::Store& store, const std::vector<store::Watch>& all,
                                 const std::vector<std::string>& groups, TimeRange r, const FacetFilter& filter) {
  const TimeRange periods[] = {r, {r.from_ms - r.Length(), r.from_ms}, {r.from_ms - kYearAgoMs, r.to_ms - kYearAgoMs}};
  const char* const names[] = {"current", "previous", "year_ago"};
  json out = json::object();
  for (const std::string& g : groups) {
    std::vector<store::Watch> members;
    for (const store::Watch& w : all) {
      if (w.group == g) members.push_back(w);
    }
    json& group = out[g];
    for (int p = 0; p < 3; ++p) {
      EARSHOT_ASSIGN_OR_RETURN(ShareOfVoice sov,
                               ComputeShareOfVoice(store, g, members, periods[p], Grain::kDay, filter));
      for (const VoiceMember& m : sov.members) group[m.watch][names[p]] = m.share;
    }
  }
  return out;
}

}  // namespace

Result<nlohmann::json> BuildReport(store::Store& store, const ReportOptions& options) {
  EARSHOT_ASSIGN_OR_RETURN(std::vector<store::Watch> all, store.ListWatches());
  EARSHOT_ASSIGN_OR_RETURN(Selection sel, Select(all, options));
  EARSHOT_ASSIGN_OR_RETURN(TimeRange r, ResolveRange(store, options));
  json report;
  report["range"] = {{"from", FormatRfc3339(r.from_ms)},
                     {"to", FormatRfc3339(r.to_ms)},
                     {"grain", SeriesGrain(r) == Grain::kHour ? "hour" : "day"}};
  json watches = json::array();
  for (const store::Watch& w : sel.watches) {
    watches.push_back({{"name", w.name}, {"query", w.query}, {"group", w.group}, {"matches", w.matches}});
  }
  report["watches"] = watches;
  const FacetFilter& f = options.filter;
  report["filter"] = {{"channel", f.channel}, {"lang", f.lang}, {"country", f.country}};
  if (options.parts != ReportOptions::Parts::kRollups) {
    SectionContext ctx{store, sel.watches, sel.rollup_ids, r, options};
    EARSHOT_RETURN_IF_ERROR(AddMentionSections(ctx, report));
    // Top authors aggregate the range's mentions (filtered reports count
    // them in the scan above).
    if (f.empty()) {
      EARSHOT_ASSIGN_OR_RETURN(report["authors"], AuthorsJson(store, sel.rollup_ids, r, options.top));
    }
  }
  if (options.parts == ReportOptions::Parts::kMentions) return report;
  EARSHOT_ASSIGN_OR_RETURN(report["volume"], VolumeJson(store, sel.rollup_ids, r, f));
  EARSHOT_ASSIGN_OR_RETURN(report["share_of_voice"], ShareOfVoiceJson(store, all, sel.groups, r, f));
  EARSHOT_ASSIGN_OR_RETURN(auto channels, SumBreakdown(store, sel.rollup_ids, store::RollupDim::kChannel, r, f));
  EARSHOT_ASSIGN_OR_RETURN(auto languages, SumBreakdown(store, sel.rollup_ids, store::RollupDim::kLanguage, r, f));
  EARSHOT_ASSIGN_OR_RETURN(auto countries, SumBreakdown(store, sel.rollup_ids, store::RollupDim::kCountry, r, f));
  report["channels"] = BreakdownJson(channels);
  report["languages"] = BreakdownJson(languages);
  report["countries"] = BreakdownJson(countries);
  if (f.empty()) {
    // Filtered reports count sites and authors in the mention scan instead.
    EARSHOT_ASSIGN_OR_RETURN(auto sites, SumBreakdown(store, sel.rollup_ids, store::RollupDim::kSite, r, f));
    report["sites"] = TopValues(sites, "site", options.top);
  }
  EARSHOT_ASSIGN_OR_RETURN(report["comparison"], ComparisonJson(store, sel.rollup_ids, r, f));
  EARSHOT_ASSIGN_OR_RETURN(report["comparison"]["share_of_voice"], ShareComparisonJson(store, all, sel.groups, r, f));
  return report;
}

}  // namespace earshot::analytics
