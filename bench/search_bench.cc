// `earshot search` latency over a store built by ingest_bench --keep DIR:
// p50 and p99 per query and over the whole mix, each query run `--runs`
// times through search::Search (parse, plan, index, re-check, first page),
// as the CLI runs it minus process start-up.
//
//   build/release/bench/search_bench --data DIR [--runs 50]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "match/query.h"
#include "search/search.h"
#include "store/store.h"

namespace {

// Boolean queries over the simulated market's vocabulary: brand and product
// names, phrases, wildcards, NEAR, NOT, hashtags and field filters, from very
// selective to very broad.
const char* const kQueries[] = {
    "outage",
    "\"hybrid cloud\"",
    "storage AND (outage OR downtime)",
    "(migrate OR migration) NOT lang:de",
    "secur* AND breach",
    "cloud NEAR/3 storage",
    "#aiops OR #hybridcloud",
    "(alternatives OR \"looking for\") AND storage",
    "lang:ja",
    "backup AND NOT (cloud OR storage)",
    "{AI} AND ops",
    "pricing OR price OR expensive",
};

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

}  // namespace

int main(int argc, char** argv) {
  std::string data;
  int runs = 50;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--data") && i + 1 < argc) data = argv[++i];
    else if (!std::strcmp(argv[i], "--runs") && i + 1 < argc) runs = std::atoi(argv[++i]);
    else {
      std::fprintf(stderr, "usage: search_bench --data DIR [--runs N]\n");
      return 2;
    }
  }
  earshot::store::StoreOptions so;
  so.data_dir = data;
  so.read_only = true;
  auto store = earshot::store::OpenStore(so);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
    return 1;
  }
  auto stats = (*store)->Stats();
  std::printf("store: %lld mentions\n", static_cast<long long>(stats.ok() ? stats->mentions : -1));
  std::printf("%-48s %10s %6s %9s %9s\n", "query", "total", "exact", "p50 ms", "p99 ms");
  std::vector<double> all;
  for (const char* text : kQueries) {
    auto q = earshot::match::ParseQuery(text);
    if (!q.ok()) {
      std::fprintf(stderr, "bad query %s: %s\n", text, q.status().ToString().c_str());
      return 1;
    }
    std::vector<double> ms;
    earshot::search::SearchResult last;
    for (int r = 0; r < runs; ++r) {
      auto t0 = std::chrono::steady_clock::now();
      auto res = earshot::search::Search(**store, *q, {});
      double d = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      if (!res.ok()) {
        std::fprintf(stderr, "search failed: %s\n", res.status().ToString().c_str());
        return 1;
      }
      last = std::move(*res);
      ms.push_back(d);
    }
    all.insert(all.end(), ms.begin(), ms.end());
    std::printf("%-48s %10lld %6s %9.2f %9.2f\n", text, static_cast<long long>(last.total),
                last.index_exact ? "yes" : "no", Percentile(ms, 0.5), Percentile(ms, 0.99));
  }
  std::printf("%-48s %10s %6s %9.2f %9.2f\n", "ALL", "", "", Percentile(all, 0.5), Percentile(all, 0.99));
  return 0;
}
