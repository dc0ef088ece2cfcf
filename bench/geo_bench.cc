// Geo resolution throughput: profile locations per second on one core, the
// cost the ingest pipeline pays per mention.
//
//   build/rel/bench/geo_bench [benchmark flags]
//
// The inputs are the location forms of the simulated world (sim/lexicon:
// every way its people write their city, plus the junk forms), which mirror
// what real profiles hold: short, half of them a "City, Region" pair, a
// fifth naming no place. Each benchmark reports items_per_second.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>
#include <vector>

#include "core/mention.h"
#include "geo/gazetteer.h"
#include "geo/gazetteer_data.h"
#include "geo/resolver.h"
#include "sim/lexicon.h"

namespace {

using earshot::geo::Gazetteer;
using earshot::geo::Resolver;

std::vector<std::string> ProfileLocations() {
  std::vector<std::string> out;
  for (const auto& region : earshot::sim::Regions()) {
    for (const auto& city : region.cities) {
      for (std::string_view w : city.written) out.emplace_back(w);
    }
  }
  for (std::string_view w : earshot::sim::JunkLocations()) out.emplace_back(w);
  return out;
}

void BM_ParseGazetteer(benchmark::State& state) {
  for (auto _ : state) {
    auto g = Gazetteer::Parse(earshot::geo::EmbeddedGazetteer());
    benchmark::DoNotOptimize(g.ok());
  }
}

void BM_ResolveLocation(benchmark::State& state) {
  const Resolver resolver(Gazetteer::Embedded());
  const std::vector<std::string> inputs = ProfileLocations();
  size_t i = 0, resolved = 0;
  for (auto _ : state) {
    auto p = resolver.ResolveLocation(inputs[i]);
    resolved += p.has_value() ? 1 : 0;
    benchmark::DoNotOptimize(p);
    if (++i == inputs.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["resolved_share"] =
      static_cast<double>(resolved) / static_cast<double>(std::max<int64_t>(1, state.iterations()));
}

void BM_ResolvePoint(benchmark::State& state) {
  const Resolver resolver(Gazetteer::Embedded());
  const std::vector<std::pair<double, double>> points = {
      {40.71, -74.0}, {51.5, -0.12}, {48.14, 11.58}, {35.68, 139.69}, {-23.55, -46.63}, {30.27, -97.74}};
  size_t i = 0;
  for (auto _ : state) {
    auto p = resolver.ResolvePoint(points[i].first, points[i].second);
    benchmark::DoNotOptimize(p);
    if (++i == points.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_ResolveMentionGeo(benchmark::State& state) {
  const Resolver resolver(Gazetteer::Embedded());
  const std::vector<std::string> inputs = ProfileLocations();
  std::vector<earshot::Mention> mentions(inputs.size());
  for (size_t k = 0; k < inputs.size(); ++k) mentions[k].author.profile_location = inputs[k];
  size_t i = 0;
  for (auto _ : state) {
    earshot::Mention& m = mentions[i];
    m.geo.country.clear();
    m.geo.city.clear();
    resolver.ResolveMentionGeo(m);
    benchmark::DoNotOptimize(m.geo.country);
    if (++i == mentions.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_ParseGazetteer)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ResolveLocation);
BENCHMARK(BM_ResolvePoint);
BENCHMARK(BM_ResolveMentionGeo);

}  // namespace

BENCHMARK_MAIN();
