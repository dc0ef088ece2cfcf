// Influencer ranking at scale: builds a synthetic, heavy-tailed interaction
// graph of 10 M edges through InteractionGraphBuilder::Add (one Mention at a
// time, as a store scan would feed it), ranks it, and reports the time of
// each phase with the resident and peak memory. Deterministic.
//
//   influence_bench [edges=10000000] [authors=1000000]
//
// The graph: every author writes one original post; then posts by authors
// of Pareto-like activity react to the original post of a target drawn
// log-uniformly over the authors (density ~ 1/rank, so a few accounts draw
// most reactions): 60% reshares, 30% replies, 10% quotes, and one in ten
// also @mentions another log-uniform target. The run stops when the builder
// holds `edges` interactions.
#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "analytics/igraph_util.h"
#include "analytics/influence.h"
#include "core/hash.h"

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

double PeakRssMib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;  // Linux: KiB
}

// Returns user + system CPU seconds of this process so far: on a shared
// machine a steadier measure than wall time.
double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double CurrentRssMib() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return static_cast<double>(resident) * 4096.0 / (1024.0 * 1024.0);
}

// Deterministic uniform [0, 1) stream.
struct Rng {
  uint64_t state;
  double Next() {
    state = earshot::Mix64(state);
    return static_cast<double>(state >> 11) * 0x1.0p-53;
  }
};

}  // namespace

int main(int argc, char** argv) {
  const int64_t target_edges = argc > 1 ? std::atoll(argv[1]) : 10'000'000;
  const int64_t authors = argc > 2 ? std::atoll(argv[2]) : 1'000'000;
  if (target_edges <= 0 || authors < 2) {
    std::fprintf(stderr, "usage: influence_bench [edges>0] [authors>1]\n");
    return 2;
  }
  Rng rng{42};
  const auto log_uniform = [&](int64_t n) {
    // floor(n^u) - 1 in [0, n): P(rank r) ~ 1/(r+1).
    const auto r = static_cast<int64_t>(std::floor(std::pow(static_cast<double>(n), rng.Next()))) - 1;
    return std::min<int64_t>(std::max<int64_t>(r, 0), n - 1);
  };

  const auto t0 = Clock::now();
  const double c0 = CpuSeconds();
  earshot::analytics::InteractionGraphBuilder builder;
  earshot::Mention m;
  m.source = "x";
  m.site = "x.com";
  m.channel = earshot::Channel::kMicroblog;
  for (int64_t a = 0; a < authors; ++a) {
    m.id = "x:" + std::to_string(a) + ":0";
    m.author.handle = "u" + std::to_string(a);
    m.author.followers = static_cast<int64_t>(10.0 / std::pow(1.0 - rng.Next(), 1.2));
    m.engagement.likes = static_cast<int64_t>(rng.Next() * 20);
    builder.Add(m);
  }
  int64_t posts = authors;
  while (builder.interactions() < target_edges) {
    // Activity: a Pareto-like pick, independent of how much attention one draws.
    const int64_t a = static_cast<int64_t>(earshot::Mix64(static_cast<uint64_t>(log_uniform(authors)) + 7) % static_cast<uint64_t>(authors));
    const int64_t t = log_uniform(authors);
    m.id = "x:" + std::to_string(a) + ":" + std::to_string(++posts);
    m.author.handle = "u" + std::to_string(a);
    m.reshare_of.clear();
    m.in_reply_to.clear();
    m.quote_of.clear();
    m.mentioned.clear();
    const std::string parent = "x:" + std::to_string(t) + ":0";
    const double kind = rng.Next();
    if (kind < 0.6) {
      m.reshare_of = parent;
    } else if (kind < 0.9) {
      m.in_reply_to = parent;
    } else {
      m.quote_of = parent;
    }
    if (rng.Next() < 0.1) m.mentioned.push_back("u" + std::to_string(log_uniform(authors)));
    builder.Add(m);
  }
  const auto t1 = Clock::now();
  const double c1 = CpuSeconds();
  const double rss_built = CurrentRssMib();

  earshot::analytics::InfluenceOptions options;
  options.top_n = 10;
  // PageRank alone decides here, so that the check below is exact; the other
  // parts cost one pass over the authors whatever their weights.
  options.reach_weight = 0;
  options.engagement_weight = 0;
  earshot::Result<std::vector<earshot::analytics::InfluencerScore>> ranked = builder.RankInfluencers(options);
  const auto t2 = Clock::now();
  const double c2 = CpuSeconds();
  if (!ranked.ok()) {
    std::fprintf(stderr, "RankInfluencers: %s\n", ranked.status().ToString().c_str());
    return 1;
  }
  // Check the result before trusting the time: the most-targeted account
  // (u0, drawn with the largest probability) must come first.
  if (ranked->empty() || (*ranked)[0].author != "u0") {
    std::fprintf(stderr, "unexpected top influencer %s\n", ranked->empty() ? "(none)" : (*ranked)[0].author.c_str());
    return 1;
  }
  const double peak_rank = PeakRssMib();

  // PageRank alone on a graph of the same size, to separate igraph's share.
  earshot::analytics::WeightedEdges g;
  g.nodes = authors;
  g.from.reserve(static_cast<size_t>(target_edges));
  g.to.reserve(static_cast<size_t>(target_edges));
  g.weight.reserve(static_cast<size_t>(target_edges));
  rng = Rng{7};
  for (int64_t e = 0; e < target_edges; ++e) {
    g.from.push_back(static_cast<int32_t>(rng.Next() * static_cast<double>(authors)));
    g.to.push_back(static_cast<int32_t>(log_uniform(authors)));
    g.weight.push_back(1.0);
  }
  const auto t3 = Clock::now();
  const double c3 = CpuSeconds();
  earshot::Result<std::vector<double>> pr = earshot::analytics::WeightedPageRank(std::move(g), 0.85);
  const auto t4 = Clock::now();
  const double c4 = CpuSeconds();
  if (!pr.ok()) {
    std::fprintf(stderr, "WeightedPageRank: %s\n", pr.status().ToString().c_str());
    return 1;
  }

  std::printf("influence_bench: %lld interactions (%lld mentions, %lld authors)\n",
              static_cast<long long>(builder.interactions()), static_cast<long long>(builder.mentions()),
              static_cast<long long>(authors));
  std::printf("  build: Add x %lld           wall %6.2f s  cpu %6.2f s  RSS after build %.0f MiB\n",
              static_cast<long long>(builder.mentions()), Seconds(t0, t1), c1 - c0, rss_built);
  std::printf("  RankInfluencers (resolve, collapse, PageRank, score)  wall %6.2f s  cpu %6.2f s\n", Seconds(t1, t2),
              c2 - c1);
  std::printf("  build + rank                       wall %6.2f s  cpu %6.2f s  peak RSS %.0f MiB\n", Seconds(t0, t2),
              c2 - c0, peak_rank);
  std::printf("  WeightedPageRank alone, %lld edges  wall %6.2f s  cpu %6.2f s  peak RSS now %.0f MiB\n",
              static_cast<long long>(target_edges), Seconds(t3, t4), c4 - c3, PeakRssMib());
  std::printf("  top: ");
  for (const auto& s : *ranked) std::printf("%s(%.3g) ", s.author.c_str(), s.pagerank);
  std::printf("\n");
  return 0;
}
