#include "analytics/report_sections.h"

#include <algorithm>
#include <map>
#include <unordered_set>

#include "analytics/cascade.h"
#include "analytics/emerging.h"
#include "analytics/influence.h"
#include "analytics/spikes.h"
#include "analytics/window_stats.h"
#include "core/hash.h"
#include "core/time.h"

namespace earshot::analytics {
namespace {

using nlohmann::json;

// History the spike detector sees before the report range, so that its
// warm-up is over when the range starts.
constexpr int64_t kSpikeLeadMs = 21 * kDayMs;
// Mentions read to explain one spike, and the baseline window before it.
constexpr int64_t kExplainLimit = 5'000;
constexpr int64_t kExplainBaselineMs = 7 * kDayMs;
constexpr size_t kMaxSpikesExplained = 200;

// Visits the mentions of every id in `ids` (0: all) within `r` that pass
// `filter`, each once even when several watches matched it, at most `limit`
// in all.
Status ScanSelection(store::Store& store, const std::vector<int64_t>& ids, TimeRange r, int64_t limit,
                     const FacetFilter& filter, const std::function<void(const Mention&)>& visit,
                     int64_t* visited) {
  std::unordered_set<uint64_t> seen;
  store::ScanOptions scan;
  scan.from_ms = r.from_ms;
  scan.to_ms = r.to_ms;
  for (int64_t id : ids) {
    if (limit - *visited <= 0) break;
    // Rows the filter skips do not count, so a filtered scan has no row limit.
    scan.limit = filter.empty() ? limit - *visited : -1;
    EARSHOT_RETURN_IF_ERROR(store.ScanWatchMentions(id, scan, [&](const Mention& m) {
      if (!filter.MatchesMention(m)) return true;
      if (ids.size() > 1 && !seen.insert(Hash64(m.id)).second) return true;
      visit(m);
      return ++*visited < limit;
    }));
  }
  return Status::Ok();
}

// Returns the latest part of `r` that holds about `limit` mentions of the
// selection, read off the daily rollups, so capped scans see the newest data.
Result<TimeRange> ScanWindow(store::Store& store, const std::vector<int64_t>& ids, TimeRange r, int64_t limit,
                             const FacetFilter& filter) {
  std::vector<Bucket> days;
  for (int64_t id : ids) {
    EARSHOT_ASSIGN_OR_RETURN(Series s, VolumeSeries(store, id, r, Grain::kDay, filter));
    if (days.empty()) {
      days = std::move(s.buckets);
    } else {
      for (size_t i = 0; i < days.size(); ++i) days[i].count += s.buckets[i].count;
    }
  }
  int64_t total = 0;
  for (size_t i = days.size(); i-- > 0;) {
    total += days[i].count;
    if (total > limit) return TimeRange{std::max(r.from_ms, days[i].t_ms), r.to_ms};
  }
  return r;
}

json CascadeJson(const Cascade& c) {
  json path = json::array();
  for (const ChannelStep& s : c.path) {
    path.push_back({{"channel", ChannelName(s.channel)}, {"first", FormatRfc3339(s.first_ms)}, {"mention", s.mention_id}});
  }
  json links = json::object();
  for (int i = 1; i < 6; ++i) {
    if (c.by_link[i] > 0) links[std::string(CascadeLinkName(static_cast<CascadeLink>(i)))] = c.by_link[i];
  }
  auto time_or_null = [](const std::optional<int64_t>& t) { return t ? json(FormatRfc3339(*t)) : json(nullptr); };
  return {{"root", c.root_id},
          {"author", c.origin_author},
          {"site", c.origin_site},
          {"channel", ChannelName(c.origin_channel)},
          {"size", c.size},
          {"depth", c.depth},
          {"authors", c.authors},
          {"start", FormatRfc3339(c.start_ms)},
          {"end", FormatRfc3339(c.end_ms)},
          {"path", path},
          {"first_blog", time_or_null(c.first_blog_ms)},
          {"first_news", time_or_null(c.first_news_ms)},
          {"blog_to_news_minutes",
           c.blog_to_news_ms ? json(static_cast<double>(*c.blog_to_news_ms) / 60'000.0) : json(nullptr)},
          {"joined_by", links}};
}

// Adds "sites" and "authors" counted over the scanned mentions, most first.
void AddScannedTops(const std::map<std::string, int64_t>& sites,
                    const std::map<std::string, store::AuthorActivity>& authors, int top, json& report) {
  std::vector<std::pair<std::string, int64_t>> s(sites.begin(), sites.end());
  std::sort(s.begin(), s.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  json site_list = json::array();
  for (size_t i = 0; i < s.size() && static_cast<int>(i) < top; ++i) {
    site_list.push_back({{"site", s[i].first}, {"count", s[i].second}});
  }
  std::vector<store::AuthorActivity> a;
  for (const auto& [h, act] : authors) a.push_back(act);
  std::sort(a.begin(), a.end(), [](const auto& x, const auto& y) {
    return x.mentions != y.mentions ? x.mentions > y.mentions : x.handle < y.handle;
  });
  json author_list = json::array();
  for (size_t i = 0; i < a.size() && static_cast<int>(i) < top; ++i) {
    author_list.push_back({{"author", a[i].handle},
                           {"mentions", a[i].mentions},
                           {"followers", a[i].followers},
                           {"engagement", a[i].engagement}});
  }
  report["sites"] = site_list;
  report["authors"] = author_list;
}

// Returns the spike's tone: its negative and positive shares against those
// of the week before, and "negative" or "positive" when one of them rose by
// at least 10 points (more than the other), so a volume spike caused by an
// outage reads as negative.
json ToneOf(const Series& hourly, const Spike& spike) {
  Bucket in, before;
  for (const Bucket& b : hourly.buckets) {
    if (b.t_ms >= spike.start_ms && b.t_ms < spike.end_ms) in.Add(b);
    if (b.t_ms >= spike.start_ms - 7 * kDayMs && b.t_ms < spike.start_ms) before.Add(b);
  }
  const auto share = [](int64_t part, int64_t whole) {
    return whole > 0 ? static_cast<double>(part) / static_cast<double>(whole) : 0.0;
  };
  const double neg = share(in.negative, in.count), usual_neg = share(before.negative, before.count);
  const double pos = share(in.positive, in.count), usual_pos = share(before.positive, before.count);
  std::string tone = "neutral";
  if (neg - usual_neg >= 0.1 && neg - usual_neg >= pos - usual_pos) tone = "negative";
  if (pos - usual_pos >= 0.1 && pos - usual_pos > neg - usual_neg) tone = "positive";
  return {{"tone", tone},
          {"negative_share", neg},
          {"usual_negative_share", usual_neg},
          {"positive_share", pos},
          {"usual_positive_share", usual_pos}};
}

// Spikes of each watch in the range, with reasons.
Result<json> SpikesJson(const SectionContext& ctx) {
  std::vector<std::pair<std::string, int64_t>> targets;
  for (const store::Watch& w : ctx.watches) targets.emplace_back(w.name, w.id);
  if (ctx.rollup_ids.size() == 1 && ctx.rollup_ids[0] == 0) targets.emplace_back("(all mentions)", 0);
  struct Found {
    std::string watch;
    int64_t watch_id;
    Spike spike;
    json tone;
  };
  std::vector<Found> found;
  std::vector<int64_t> target_ids;
  std::map<int64_t, std::string> names;
  for (const auto& [name, id] : targets) {
    target_ids.push_back(id);
    names[id] = name;
  }
  const TimeRange history{ctx.range.from_ms - kSpikeLeadMs, ctx.range.to_ms};
  EARSHOT_RETURN_IF_ERROR(ForEachWatchSeries(
      ctx.store, target_ids, history, Grain::kHour, ctx.options.filter, [&](int64_t id, Series& hourly) -> Status {
        // A watch's history starts with its first mention: the hours before
        // it are not a quiet baseline but no data; the warm-up counts from there.
        size_t first = 0;
        while (first < hourly.buckets.size() && hourly.buckets[first].count == 0) ++first;
        if (first == hourly.buckets.size()) return Status::Ok();
        // After its last mention, two quiet days close any open spike.
        size_t last = hourly.buckets.size();
        while (hourly.buckets[last - 1].count == 0) --last;
        hourly.buckets.resize(std::min(hourly.buckets.size(), last + 48));
        hourly.buckets.erase(hourly.buckets.begin(), hourly.buckets.begin() + static_cast<std::ptrdiff_t>(first));
        hourly.start_ms = hourly.buckets.front().t_ms;
        EARSHOT_ASSIGN_OR_RETURN(std::vector<Spike> spikes, DetectSpikes(hourly, SpikeOptions{}));
        for (const Spike& s : spikes) {
          if (s.start_ms >= ctx.range.from_ms && s.start_ms < ctx.range.to_ms) {
            found.push_back({names[id], id, s, ToneOf(hourly, s)});
          }
        }
        return Status::Ok();
      }));
  std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) {
    return a.spike.start_ms != b.spike.start_ms ? a.spike.start_ms < b.spike.start_ms : a.watch < b.watch;
  });
  json out = json::array();
  for (size_t i = 0; i < found.size(); ++i) {
    const Found& f = found[i];
    std::string reason;
    if (i < kMaxSpikesExplained) {
      SpikeContext context;
      int64_t n = 0;
      const std::vector<int64_t> ids = {f.watch_id};
      EARSHOT_RETURN_IF_ERROR(ScanSelection(ctx.store, ids, {f.spike.start_ms, f.spike.end_ms}, kExplainLimit,
                                            ctx.options.filter, [&](const Mention& m) { context.spike.Add(m); },
                                            &n));
      n = 0;
      EARSHOT_RETURN_IF_ERROR(ScanSelection(ctx.store, ids, {f.spike.start_ms - kExplainBaselineMs, f.spike.start_ms},
                                            kExplainLimit, ctx.options.filter,
                                            [&](const Mention& m) { context.baseline.Add(m); }, &n));
      reason = ExplainSpike(f.spike, context);
    }
    out.push_back({{"watch", f.watch},
                   {"start", FormatRfc3339(f.spike.start_ms)},
                   {"end", FormatRfc3339(f.spike.end_ms)},
                   {"detected_at", FormatRfc3339(f.spike.detected_at_ms)},
                   {"direction", SpikeDirectionName(f.spike.signal)},
                   {"observed", f.spike.observed},
                   {"expected", f.spike.expected},
                   {"tone", f.tone["tone"]},
                   {"negative_share", f.tone["negative_share"]},
                   {"usual_negative_share", f.tone["usual_negative_share"]},
                   {"positive_share", f.tone["positive_share"]},
                   {"usual_positive_share", f.tone["usual_positive_share"]},
                   {"reason", reason}});
  }
  return out;
}

}  // namespace

Status AddMentionSections(const SectionContext& ctx, json& report) {
  EARSHOT_ASSIGN_OR_RETURN(report["spikes"], SpikesJson(ctx));

  const int64_t limit = std::max<int64_t>(1, ctx.options.scan_limit);
  const FacetFilter& filter = ctx.options.filter;
  EARSHOT_ASSIGN_OR_RETURN(TimeRange window, ScanWindow(ctx.store, ctx.rollup_ids, ctx.range, limit, filter));
  // Emerging topics: the last day of the window (at least a seventh of it)
  // against the rest.
  const int64_t recent_from = window.to_ms - std::max(kDayMs, window.Length() / 7);
  InteractionGraphOptions graph_options;
  if (ctx.watches.size() == 1 && ctx.rollup_ids[0] != 0) graph_options.watch_id = ctx.watches[0].id;
  InteractionGraphBuilder graph(graph_options);
  CascadeBuilder cascades;
  WindowStats recent, baseline;
  // A filtered report counts sites and authors here: the site and author
  // figures are not kept per facet.
  std::map<std::string, int64_t> sites;
  std::map<std::string, store::AuthorActivity> authors;
  int64_t scanned = 0;
  EARSHOT_RETURN_IF_ERROR(ScanSelection(
      ctx.store, ctx.rollup_ids, window, limit, filter,
      [&](const Mention& m) {
        graph.Add(m);
        cascades.Add(m);
        (m.created_at_ms >= recent_from ? recent : baseline).Add(m);
        if (filter.empty()) return;
        if (!m.site.empty()) ++sites[m.site];
        if (m.author.handle.empty()) return;
        store::AuthorActivity& a = authors[m.author.handle];
        a.handle = m.author.handle;
        ++a.mentions;
        a.followers = std::max(a.followers, m.author.followers);
        const Engagement& e = m.engagement;
        for (int64_t v : {e.likes, e.reshares, e.replies, e.quotes}) a.engagement += std::max<int64_t>(v, 0);
      },
      &scanned));
  if (!filter.empty()) AddScannedTops(sites, authors, ctx.options.top, report);
  report["scanned"] = {{"from", FormatRfc3339(window.from_ms)}, {"to", FormatRfc3339(window.to_ms)},
                       {"mentions", scanned}};

  EmergingOptions emerging_options;
  emerging_options.max_results = static_cast<size_t>(ctx.options.top);
  json emerging = json::array();
  for (const EmergingTerm& t : FindEmerging(recent, baseline, emerging_options)) {
    emerging.push_back({{"term", t.term},
                        {"kind", TermKindName(t.kind)},
                        {"recent", t.recent},
                        {"baseline", t.baseline},
                        {"ratio", t.ratio},
                        {"score", t.score}});
  }
  report["emerging"] = emerging;

  InfluenceOptions influence;
  influence.top_n = ctx.options.top;
  EARSHOT_ASSIGN_OR_RETURN(std::vector<InfluencerScore> influencers, graph.RankInfluencers(influence));
  json inf = json::array();
  for (const InfluencerScore& s : influencers) {
    inf.push_back({{"author", s.author},
                   {"source", s.source},
                   {"score", s.score},
                   {"pagerank", s.pagerank},
                   {"reach", s.reach},
                   {"engagement", s.engagement},
                   {"focus", s.focus},
                   {"mentions", s.mentions}});
  }
  report["influencers"] = inf;
  EARSHOT_ASSIGN_OR_RETURN(std::vector<SourceScore> sources, graph.RankSources(influence));
  json src = json::array();
  for (const SourceScore& s : sources) {
    src.push_back({{"site", s.site},
                   {"score", s.score},
                   {"inbound_links", s.inbound_links},
                   {"inbound_reshares", s.inbound_reshares},
                   {"mentions", s.mentions}});
  }
  report["sources"] = src;

  CascadeOptions cascade_options;
  cascade_options.top_n = ctx.options.top;
  cascade_options.max_members = 0;
  json cas = json::array();
  for (const Cascade& c : cascades.Build(cascade_options)) cas.push_back(CascadeJson(c));
  report["cascades"] = cas;
  return Status::Ok();
}

}  // namespace earshot::analytics
