// Spike detection scored against the market simulator's injected events, and
// the detector's throughput.
//
//   build/release/bench/spike_bench [--days 365] [--mentions 400000] [--seeds 1,2,3]
//       [--threshold Z] [--min-volume N] [--min-ratio R] [--confirm-hours H]
//       [--confirm-threshold Z] [--overdispersion F] [--cooldown H] [--warmup H]
//       [--sentiment-threshold Z] [--share-shift S] [--sentiment-correlation RHO] [--repeat R]
//
// For each seed: simulate the X stream with truth (sim::Simulate, X only),
// read it with the X connector, match every truth watch with the evaluator,
// score sentiment (SentimentScorer, B2B lexicon), build each watch's hourly
// series, detect spikes (SpikeOptions defaults unless overridden) and match
// them with truth/events.jsonl:
//   recall      events with a volume spike of their watch overlapping their window;
//   precision   volume spikes overlapping an event of their own watch, over all
//               volume spikes ("same watch"), and spikes of which a quarter or more
//               of the mentions in the window were caused by an event (truth
//               "event" field), over all ("caused": counts the launch of a product
//               showing in its company's and topic's watches);
//   delay       detected_at (end of the alerting hour) minus the event's start;
//   sentiment   events with a sentiment spike of their direction (up: positive,
//               down: negative) overlapping their window.
// Throughput: DetectSpikes over every watch's series, R times (default 20),
// single-threaded, thread CPU time; hourly points per second.
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <unordered_set>
#include <vector>

#include "analytics/series.h"
#include "analytics/spikes.h"
#include "core/time.h"
#include "enrich/sentiment.h"
#include "ingest/connector.h"
#include "ingest/x_connector.h"
#include "match/evaluator.h"
#include "match/mention_view.h"
#include "match/query.h"
#include "sim/sim.h"

namespace {

using namespace earshot;             // NOLINT: a driver
using namespace earshot::analytics;  // NOLINT

double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> Lines(const std::filesystem::path& p) {
  std::vector<std::string> out;
  std::istringstream in(ReadFile(p));
  for (std::string l; std::getline(in, l);) {
    if (!l.empty()) out.push_back(std::move(l));
  }
  return out;
}

class Collector : public ingest::RecordSink {
 public:
  void OnMention(Mention m, const ingest::RecordRef&) override { mentions.push_back(std::move(m)); }
  void OnReject(const ingest::RecordRef& ref, std::string reason, std::string_view) override {
    std::fprintf(stderr, "rejected line %lld: %s\n", static_cast<long long>(ref.line), reason.c_str());
  }
  void OnSkip(const ingest::RecordRef&, std::string) override {}
  std::vector<Mention> mentions;
};

struct Event {
  std::string kind, watch, direction;
  int64_t start_ms = 0, end_ms = 0;
};

struct Totals {
  int events = 0, found = 0, sentiment_found = 0, incidents = 0, incidents_negative = 0;
  int spikes = 0, same_watch = 0, caused = 0;
  int sentiment_spikes = 0, sentiment_caused = 0;
  std::vector<double> delays_h;
  int64_t points = 0;
  double detect_cpu_s = 0;
  int64_t mentions = 0;
};

double Percentile(std::vector<double> v, double q) {
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  const double pos = q * static_cast<double>(v.size() - 1);
  const size_t lo = static_cast<size_t>(pos);
  const size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (v[hi] - v[lo]) * (pos - static_cast<double>(lo));
}

int64_t Time(const std::string& s) {
  Result<int64_t> t = ParseRfc3339(s);
  return t.ok() ? *t : 0;
}

bool RunSeed(uint64_t seed, int days, int64_t mentions, const SpikeOptions& opts, int repeat, Totals* tot) {
  char tmpl[] = "/tmp/earshot-spike-bench-XXXXXX";
  const char* dir = mkdtemp(tmpl);
  if (!dir) {
    std::perror("mkdtemp");
    return false;
  }
  const std::filesystem::path root(dir);
  struct Cleanup {
    std::filesystem::path p;
    ~Cleanup() {
      std::error_code ec;
      std::filesystem::remove_all(p, ec);
    }
  } cleanup{root};

  sim::SimOptions so;
  so.seed = seed;
  so.days = days;
  so.mentions = mentions;
  so.out_dir = root.string();
  so.overwrite = true;
  so.formats = sim::SimOptions::Formats::kXOnly;
  Result<sim::SimSummary> sum = sim::Simulate(so);
  if (!sum.ok()) {
    std::fprintf(stderr, "simulate: %s\n", sum.status().ToString().c_str());
    return false;
  }

  std::vector<Event> events;
  for (const std::string& l : Lines(root / "truth/events.jsonl")) {
    const nlohmann::json j = nlohmann::json::parse(l);
    events.push_back({j.at("kind"), j.at("watch"), j.at("direction"), Time(j.at("start")), Time(j.at("end"))});
  }
  std::vector<std::string> names;
  std::vector<match::Query> queries;
  for (const std::string& l : Lines(root / "truth/watches.jsonl")) {
    const nlohmann::json j = nlohmann::json::parse(l);
    Result<match::Query> q = match::ParseQuery(j.at("query").get<std::string>());
    if (!q.ok()) {
      std::fprintf(stderr, "watch %s: %s\n", l.c_str(), q.status().ToString().c_str());
      return false;
    }
    names.push_back(j.at("name"));
    queries.push_back(*q);
  }
  std::unordered_set<std::string> caused;
  for (const std::string& l : Lines(root / "truth/mentions.jsonl")) {
    if (l.find("\"event\":") == std::string::npos) continue;
    const size_t a = l.find("\"id\":\"") + 6;
    caused.insert(l.substr(a, l.find('"', a) - a));
  }

  Collector collector;
  std::unique_ptr<ingest::Connector> x = ingest::NewXConnector();
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(root / "x")) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    const std::string text = ReadFile(f);
    int64_t line_no = 0;
    size_t pos = 0;
    while (pos < text.size()) {
      size_t nl = text.find('\n', pos);
      if (nl == std::string::npos) nl = text.size();
      ingest::ParseContext ctx;
      ctx.line = ++line_no;
      Status s = x->Parse(std::string_view(text).substr(pos, nl - pos), ctx, collector);
      if (!s.ok()) std::fprintf(stderr, "%s: %s\n", f.c_str(), s.ToString().c_str());
      pos = nl + 1;
    }
  }
  tot->mentions += static_cast<int64_t>(collector.mentions.size());

  Result<enrich::SentimentScorer> scorer = enrich::SentimentScorer::Create();
  if (!scorer.ok()) return false;
  const int64_t start = so.start_ms;
  const size_t hours = static_cast<size_t>(days) * 24;
  std::vector<Series> series(names.size());
  std::vector<std::vector<int64_t>> caused_per_hour(names.size(), std::vector<int64_t>(hours));
  for (Series& s : series) {
    s.start_ms = start;
    s.buckets.resize(hours);
    for (size_t h = 0; h < hours; ++h) s.buckets[h].t_ms = start + static_cast<int64_t>(h) * kHourMs;
  }
  if (collector.mentions.empty()) return false;
  match::MentionView view(collector.mentions.front());
  for (const Mention& m : collector.mentions) {
    const int64_t h = (m.created_at_ms - start) / kHourMs;
    if (h < 0 || h >= static_cast<int64_t>(hours)) continue;
    view.Reset(m);
    std::optional<double> compound;
    for (size_t w = 0; w < names.size(); ++w) {
      if (!match::Matches(queries[w], view)) continue;
      if (!compound) compound = scorer->Score(m.text).compound;
      Bucket& b = series[w].buckets[static_cast<size_t>(h)];
      ++b.count;
      switch (ClassOf(compound)) {
        case SentimentClass::kPositive: ++b.positive; break;
        case SentimentClass::kNegative: ++b.negative; break;
        case SentimentClass::kNeutral: ++b.neutral; break;
      }
      if (caused.count(m.id)) ++caused_per_hour[w][static_cast<size_t>(h)];
    }
  }

  // Throughput first (the scoring below runs the detector once more).
  std::vector<std::vector<Spike>> spikes(names.size());
  const double t0 = ThreadCpuSeconds();
  for (int r = 0; r < repeat; ++r) {
    for (size_t w = 0; w < names.size(); ++w) {
      Result<std::vector<Spike>> found = DetectSpikes(series[w], opts);
      if (!found.ok()) {
        std::fprintf(stderr, "detect: %s\n", found.status().ToString().c_str());
        return false;
      }
      spikes[w] = std::move(*found);
    }
  }
  tot->detect_cpu_s += ThreadCpuSeconds() - t0;
  tot->points += static_cast<int64_t>(repeat) * static_cast<int64_t>(names.size() * hours);

  std::vector<bool> found(events.size()), sentiment_found(events.size());
  std::vector<double> delay(events.size(), 1e18);
  for (size_t w = 0; w < names.size(); ++w) {
    for (const Spike& s : spikes[w]) {
      const bool volume = s.signal == SpikeSignal::kVolume;
      int64_t in = 0, by_events = 0;
      for (int64_t t = s.start_ms; t < s.end_ms; t += kHourMs) {
        const size_t h = static_cast<size_t>((t - start) / kHourMs);
        in += series[w].buckets[h].count;
        by_events += caused_per_hour[w][h];
      }
      const bool is_caused = in > 0 && by_events * 4 >= in;
      bool same = false;
      for (size_t e = 0; e < events.size(); ++e) {
        const Event& ev = events[e];
        if (ev.watch != names[w] || s.start_ms >= ev.end_ms || s.end_ms <= ev.start_ms) continue;
        if (!volume && (s.signal == SpikeSignal::kPositive) != (ev.direction == "up")) continue;
        same = true;
        if (volume) {
          found[e] = true;
          delay[e] = std::min(delay[e], static_cast<double>(s.detected_at_ms - ev.start_ms) / kHourMs);
        } else {
          sentiment_found[e] = true;
        }
      }
      if (volume) {
        ++tot->spikes;
        tot->same_watch += same;
        tot->caused += same || is_caused;
      } else {
        ++tot->sentiment_spikes;
        tot->sentiment_caused += same || is_caused;
      }
    }
  }
  for (size_t e = 0; e < events.size(); ++e) {
    ++tot->events;
    tot->found += found[e];
    tot->sentiment_found += sentiment_found[e];
    if (events[e].direction == "down") {
      ++tot->incidents;
      tot->incidents_negative += sentiment_found[e];
    }
    if (found[e]) {
      tot->delays_h.push_back(delay[e]);
    } else {
      std::printf("  seed %llu missed %s %s at %s\n", static_cast<unsigned long long>(seed), events[e].kind.c_str(),
                  events[e].watch.c_str(), FormatRfc3339(events[e].start_ms).c_str());
    }
  }
  std::printf("seed %llu: %zu mentions, %zu events\n", static_cast<unsigned long long>(seed),
              collector.mentions.size(), events.size());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  int days = 365;
  int64_t mentions = 400'000;
  int repeat = 20;
  std::vector<uint64_t> seeds = {1, 2, 3};
  SpikeOptions opts;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--days") days = std::atoi(next());
    else if (a == "--mentions") mentions = std::atoll(next());
    else if (a == "--repeat") repeat = std::max(1, std::atoi(next()));
    else if (a == "--seeds") {
      seeds.clear();
      std::stringstream ss(next());
      for (std::string s; std::getline(ss, s, ',');) seeds.push_back(std::strtoull(s.c_str(), nullptr, 10));
    } else if (a == "--threshold") opts.threshold = std::atof(next());
    else if (a == "--min-volume") opts.min_volume = std::atoll(next());
    else if (a == "--min-ratio") opts.min_ratio = std::atof(next());
    else if (a == "--confirm-hours") opts.confirm_hours = std::atoi(next());
    else if (a == "--confirm-threshold") opts.confirm_threshold = std::atof(next());
    else if (a == "--overdispersion") opts.overdispersion = std::atof(next());
    else if (a == "--cooldown") opts.cooldown_hours = std::atoi(next());
    else if (a == "--warmup") opts.warmup_hours = std::atoi(next());
    else if (a == "--sentiment-threshold") opts.sentiment_threshold = std::atof(next());
    else if (a == "--share-shift") opts.min_share_shift = std::atof(next());
    else if (a == "--sentiment-correlation") opts.sentiment_correlation = std::atof(next());
    else {
      std::fprintf(stderr, "unknown flag %s (see the comment at the top of bench/spike_bench.cc)\n", a.c_str());
      return 2;
    }
  }
  if (Status s = ValidateSpikeOptions(opts); !s.ok()) {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
    return 2;
  }
  Totals tot;
  for (uint64_t seed : seeds) {
    if (!RunSeed(seed, days, mentions, opts, repeat, &tot)) return 1;
  }
  const double recall = tot.events ? static_cast<double>(tot.found) / tot.events : NAN;
  std::printf("\n%zu seeds x %d days x %lld mentions (%lld read), %d events\n", seeds.size(), days,
              static_cast<long long>(mentions), static_cast<long long>(tot.mentions), tot.events);
  std::printf("volume:    recall %.3f (%d/%d); %d spikes, precision %.3f same watch, %.3f caused by an event\n",
              recall, tot.found, tot.events, tot.spikes,
              tot.spikes ? static_cast<double>(tot.same_watch) / tot.spikes : NAN,
              tot.spikes ? static_cast<double>(tot.caused) / tot.spikes : NAN);
  std::printf("delay:     median %.2f h, p90 %.2f h, max %.2f h (detected_at - event start)\n",
              Percentile(tot.delays_h, 0.5), Percentile(tot.delays_h, 0.9), Percentile(tot.delays_h, 1.0));
  std::printf("sentiment: %d/%d events in their direction (incidents with a negative spike: %d/%d); %d spikes, %.3f "
              "caused by an event\n",
              tot.sentiment_found, tot.events, tot.incidents_negative, tot.incidents, tot.sentiment_spikes,
              tot.sentiment_spikes ? static_cast<double>(tot.sentiment_caused) / tot.sentiment_spikes : NAN);
  std::printf("detector:  %.2f M hourly points/s (%lld points, %.3f s CPU)\n",
              static_cast<double>(tot.points) / tot.detect_cpu_s / 1e6, static_cast<long long>(tot.points),
              tot.detect_cpu_s);
  return 0;
}
