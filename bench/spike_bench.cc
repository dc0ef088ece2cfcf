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
#include <sstream>
#include <string>
#include <vector>

#include "analytics/eval/spike_eval.h"
#include "analytics/spikes.h"

namespace {

using namespace earshot;             // NOLINT: a driver
using namespace earshot::analytics;  // NOLINT

double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

double Percentile(std::vector<double> v, double q) {
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  const double pos = q * static_cast<double>(v.size() - 1);
  const size_t lo = static_cast<size_t>(pos);
  const size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (v[hi] - v[lo]) * (pos - static_cast<double>(lo));
}

// What the run adds up over seeds besides the score: detector throughput.
struct Totals {
  SpikeScore score;
  int64_t points = 0;
  double detect_cpu_s = 0;
  int64_t mentions = 0;
};

bool RunSeed(uint64_t seed, int days, int64_t mentions, const SpikeOptions& opts, int repeat, Totals* tot) {
  char tmpl[] = "/tmp/earshot-spike-bench-XXXXXX";
  const char* dir = mkdtemp(tmpl);
  if (!dir) {
    std::perror("mkdtemp");
    return false;
  }
  struct Cleanup {
    std::filesystem::path p;
    ~Cleanup() {
      std::error_code ec;
      std::filesystem::remove_all(p, ec);
    }
  } cleanup{dir};
  Result<SimulatedWorld> world = BuildSimulatedWorld(seed, days, mentions, dir);
  if (!world.ok()) {
    std::fprintf(stderr, "seed %llu: %s\n", static_cast<unsigned long long>(seed), world.status().ToString().c_str());
    return false;
  }
  tot->mentions += world->mentions;

  // Throughput: the detector over every watch, `repeat` times.
  std::vector<std::vector<Spike>> spikes(world->names.size());
  const double t0 = ThreadCpuSeconds();
  for (int r = 0; r < repeat; ++r) {
    for (size_t w = 0; w < world->names.size(); ++w) {
      Result<std::vector<Spike>> found = DetectSpikes(world->series[w], opts);
      if (!found.ok()) {
        std::fprintf(stderr, "detect: %s\n", found.status().ToString().c_str());
        return false;
      }
      spikes[w] = std::move(*found);
    }
  }
  tot->detect_cpu_s += ThreadCpuSeconds() - t0;
  const size_t hours = world->series.empty() ? 0 : world->series[0].buckets.size();
  tot->points += static_cast<int64_t>(repeat) * static_cast<int64_t>(world->names.size() * hours);

  const SpikeScore score = ScoreSpikes(*world, spikes);
  for (const std::string& m : score.misses) {
    std::printf("  seed %llu missed %s\n", static_cast<unsigned long long>(seed), m.c_str());
  }
  tot->score.Add(score);
  std::printf("seed %llu: %lld mentions, %d events\n", static_cast<unsigned long long>(seed),
              static_cast<long long>(world->mentions), score.events);
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
  const SpikeScore& sc = tot.score;
  const double recall = sc.events ? static_cast<double>(sc.found) / sc.events : NAN;
  std::printf("\n%zu seeds x %d days x %lld mentions (%lld read), %d events\n", seeds.size(), days,
              static_cast<long long>(mentions), static_cast<long long>(tot.mentions), sc.events);
  std::printf("volume:    recall %.3f (%d/%d); %d spikes, precision %.3f same watch, %.3f caused by an event\n",
              recall, sc.found, sc.events, sc.spikes,
              sc.spikes ? static_cast<double>(sc.on_event_watch) / sc.spikes : NAN,
              sc.spikes ? static_cast<double>(sc.explained) / sc.spikes : NAN);
  std::printf("delay:     median %.2f h, p90 %.2f h, max %.2f h (detected_at - event start)\n",
              Percentile(sc.delays_h, 0.5), Percentile(sc.delays_h, 0.9), Percentile(sc.delays_h, 1.0));
  std::printf("sentiment: %d/%d events in their direction (incidents with a negative spike: %d/%d); %d spikes, %.3f "
              "caused by an event\n",
              sc.sentiment_found, sc.events, sc.incidents_negative, sc.incidents, sc.sentiment_spikes,
              sc.sentiment_spikes ? static_cast<double>(sc.sentiment_explained) / sc.sentiment_spikes : NAN);
  std::printf("detector:  %.2f M hourly points/s (%lld points, %.3f s CPU)\n",
              static_cast<double>(tot.points) / tot.detect_cpu_s / 1e6, static_cast<long long>(tot.points),
              tot.detect_cpu_s);
  return 0;
}
