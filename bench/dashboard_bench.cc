// Dashboard query latency over a large store, next to the same GROUP BY
// queries in DuckDB over the same data, measured in one run.
//
//   build/release/bench/dashboard_bench --data DIR [--queries N] [--peer bench/duckdb/peer.mjs] [--work DIR]
//
// DIR is a store with watches (bench/prepare_dashboard_data.sh builds one
// from the simulator). For each query kind the driver draws N random
// parameter sets (fixed seed), answers them through Earshot's analytics
// (rollups) and times each; then it exports one row per (mention, watch)
// and per mention (watch 0) as CSV — the facts the rollups count — and runs
// the DuckDB peer (node, @duckdb/node-api) on the same queries. Both sides
// return a checksum per query (sum of counts and positives over the result
// rows), compared here, so they are known to answer the same question.
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analytics/comparison.h"
#include "analytics/rollup_query.h"
#include "analytics/share_of_voice.h"
#include "store/store.h"

namespace {

using earshot::analytics::Bucket;
using earshot::analytics::Grain;
using earshot::analytics::kDayMs;
using earshot::analytics::kHourMs;
using earshot::analytics::TimeRange;
using nlohmann::json;

struct Query {
  std::string kind;
  std::vector<int64_t> watches;  // one, or a group's members
  int64_t from_ms = 0;
  int64_t to_ms = 0;
  std::string channel;  // filter of the *_filtered kinds ("" = any)
  std::string country;
};

int64_t Checksum(const Bucket& b) { return b.count + b.positive; }

// Answers `q` through Earshot's analytics; returns its checksum.
int64_t RunEarshot(earshot::store::Store& store, const std::vector<earshot::store::Watch>& all, const Query& q) {
  const TimeRange r{q.from_ms, q.to_ms};
  int64_t sum = 0;
  auto must = [](auto result) {
    if (!result.ok()) {
      std::fprintf(stderr, "query failed: %s\n", result.status().ToString().c_str());
      std::exit(1);
    }
    return std::move(*result);
  };
  if (q.kind == "volume_day" || q.kind == "volume_hour") {
    auto s = must(earshot::analytics::VolumeSeries(store, q.watches[0], r,
                                                   q.kind == "volume_day" ? Grain::kDay : Grain::kHour));
    for (const Bucket& b : s.buckets) sum += Checksum(b);
  } else if (q.kind == "share_of_voice") {
    std::vector<earshot::store::Watch> members;
    for (int64_t id : q.watches) {
      for (const auto& w : all) {
        if (w.id == id) members.push_back(w);
      }
    }
    auto sov = must(earshot::analytics::ComputeShareOfVoice(store, "g", members, r, Grain::kDay));
    for (const auto& m : sov.members) sum += Checksum(m.total);
  } else if (q.kind == "channels" || q.kind == "countries") {
    auto by = must(earshot::analytics::Breakdown(
        store, q.watches[0],
        q.kind == "channels" ? earshot::store::RollupDim::kChannel : earshot::store::RollupDim::kCountry, r));
    for (const auto& [k, b] : by) sum += Checksum(b);
  } else if (q.kind == "volume_filtered") {
    earshot::analytics::FacetFilter f{q.channel, "", q.country};
    auto s = must(earshot::analytics::VolumeSeries(store, q.watches[0], r, Grain::kDay, f));
    for (const Bucket& b : s.buckets) sum += Checksum(b);
  } else if (q.kind == "channels_filtered") {
    earshot::analytics::FacetFilter f{"", "", q.country};
    auto by = must(earshot::analytics::Breakdown(store, q.watches[0], earshot::store::RollupDim::kChannel, r, f));
    for (const auto& [k, b] : by) sum += Checksum(b);
  } else if (q.kind == "comparison") {
    auto c = must(earshot::analytics::ComparePeriods(store, q.watches[0], r));
    for (const auto* p : {&c.current, &c.previous, &c.year_ago}) {
      for (const auto& [k, b] : p->channels) sum += Checksum(b);
      for (const auto& [k, b] : p->countries) sum += Checksum(b);
    }
  }
  return sum;
}

// Writes the facts the rollups count as CSV, sorted by watch and time.
bool ExportFacts(const std::string& db_path, const std::string& out_path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) return false;
  const char* sql =
      "SELECT w, t, channel, country, CASE WHEN s >= 0.05 THEN 1 WHEN s <= -0.05 THEN 2 ELSE 0 END, reach, eng FROM ("
      "SELECT 0 AS w, m.key AS k, m.created_at AS t, m.channel AS channel, coalesce(m.country, '') AS country, "
      "m.sentiment AS s, coalesce(m.author_followers, 0) AS reach, coalesce(m.likes, 0) + coalesce(m.reshares, 0) + "
      "coalesce(m.replies, 0) + coalesce(m.quotes, 0) AS eng FROM mentions m "
      "UNION ALL SELECT mw.watch_id, mw.key, m.created_at, m.channel, coalesce(m.country, ''), "
      "coalesce(mw.sentiment, m.sentiment), coalesce(m.author_followers, 0), coalesce(m.likes, 0) + "
      "coalesce(m.reshares, 0) + coalesce(m.replies, 0) + coalesce(m.quotes, 0) FROM mention_watches mw JOIN "
      "mentions m ON m.key = mw.key) ORDER BY w, k";
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK) {
    std::fprintf(stderr, "export: %s\n", sqlite3_errmsg(db));
    sqlite3_close(db);
    return false;
  }
  FILE* out = std::fopen(out_path.c_str(), "w");
  if (!out) return false;
  std::fputs("w,t,channel,country,cls,reach,eng\n", out);
  int64_t rows = 0;
  while (sqlite3_step(st) == SQLITE_ROW) {
    std::fprintf(out, "%lld,%lld,%s,%s,%d,%lld,%lld\n", static_cast<long long>(sqlite3_column_int64(st, 0)),
                 static_cast<long long>(sqlite3_column_int64(st, 1)),
                 reinterpret_cast<const char*>(sqlite3_column_text(st, 2)),
                 reinterpret_cast<const char*>(sqlite3_column_text(st, 3)), sqlite3_column_int(st, 4),
                 static_cast<long long>(sqlite3_column_int64(st, 5)),
                 static_cast<long long>(sqlite3_column_int64(st, 6)));
    ++rows;
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  std::fclose(out);
  std::fprintf(stderr, "exported %lld fact rows to %s\n", static_cast<long long>(rows), out_path.c_str());
  return true;
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

std::vector<Query> MakeQueries(const std::vector<earshot::store::Watch>& watches, int64_t first_ms, int64_t last_ms,
                               int per_kind) {
  std::mt19937_64 rng(2026);
  std::vector<int64_t> ids = {0};
  std::map<std::string, std::vector<int64_t>> groups;
  for (const auto& w : watches) {
    ids.push_back(w.id);
    if (!w.group.empty()) groups[w.group].push_back(w.id);
  }
  std::vector<std::vector<int64_t>> group_list;
  for (auto& [g, m] : groups) group_list.push_back(m);
  const int64_t first_day = first_ms / kDayMs * kDayMs;
  const int64_t last_day = last_ms / kDayMs * kDayMs + kDayMs;
  auto day_range = [&](int days) {
    int64_t span = std::max<int64_t>(1, (last_day - first_day) / kDayMs - days);
    int64_t from = first_day + static_cast<int64_t>(rng() % static_cast<uint64_t>(span)) * kDayMs;
    return std::pair{from, from + days * kDayMs};
  };
  std::vector<Query> out;
  for (int i = 0; i < per_kind; ++i) {
    int64_t w = ids[rng() % ids.size()];
    auto [f90, t90] = day_range(90);
    out.push_back({"volume_day", {w}, f90, t90, {}, {}});
    auto [f7, t7] = day_range(7);
    out.push_back({"volume_hour", {ids[rng() % ids.size()]}, f7, t7, {}, {}});
    if (!group_list.empty()) {
      auto [f30, t30] = day_range(30);
      out.push_back({"share_of_voice", group_list[rng() % group_list.size()], f30, t30, {}, {}});
    }
    // Ragged ranges: any hour to any hour, up to 60 days.
    for (const char* kind : {"channels", "countries"}) {
      int64_t span_h = (last_day - first_day) / kHourMs;
      int64_t from = first_day + static_cast<int64_t>(rng() % static_cast<uint64_t>(span_h)) * kHourMs;
      int64_t len = 1 + static_cast<int64_t>(rng() % (60 * 24));
      out.push_back({kind, {ids[rng() % ids.size()]}, from, from + len * kHourMs, {}, {}});
    }
    auto [fc, tc] = day_range(30);
    out.push_back({"comparison", {ids[rng() % ids.size()]}, fc, tc, {}, {}});
    // Cross filters (facet rollups): a channel in a country over 90 days,
    // and one country's channel mix over 30.
    const char* const kCountries[] = {"US", "DE", "GB", "FR", "JP"};
    auto [ff, tf] = day_range(90);
    out.push_back({"volume_filtered", {ids[rng() % ids.size()]}, ff, tf, "microblog", kCountries[rng() % 5]});
    auto [fb, tb] = day_range(30);
    out.push_back({"channels_filtered", {ids[rng() % ids.size()]}, fb, tb, "", kCountries[rng() % 5]});
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::string data_dir, peer = "bench/duckdb/peer.mjs", work = "/tmp/earshot-dashboard-bench";
  int per_kind = 200;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--data") && i + 1 < argc) data_dir = argv[++i];
    else if (!std::strcmp(argv[i], "--queries") && i + 1 < argc) per_kind = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--peer") && i + 1 < argc) peer = argv[++i];
    else if (!std::strcmp(argv[i], "--work") && i + 1 < argc) work = argv[++i];
    else {
      std::fprintf(stderr, "usage: dashboard_bench --data DIR [--queries N] [--peer PEER.mjs] [--work DIR]\n");
      return 2;
    }
  }
  if (data_dir.empty()) {
    std::fprintf(stderr, "--data DIR is required (bench/prepare_dashboard_data.sh builds one)\n");
    return 2;
  }
  earshot::store::StoreOptions so;
  so.data_dir = data_dir;
  so.read_only = true;
  auto opened = earshot::store::OpenStore(so);
  if (!opened.ok()) {
    std::fprintf(stderr, "%s\n", opened.status().ToString().c_str());
    return 1;
  }
  earshot::store::Store& store = **opened;
  auto stats = store.Stats();
  auto watches = store.ListWatches();
  if (!stats.ok() || !watches.ok()) return 1;
  std::vector<Query> queries = MakeQueries(*watches, stats->first_ms, stats->last_ms, per_kind);

  // Earshot: each query once to warm the page cache, then timed.
  for (const Query& q : queries) RunEarshot(store, *watches, q);
  std::map<std::string, std::vector<double>> ms_by_kind;
  std::vector<double> all_ms;
  std::vector<int64_t> checks;
  for (const Query& q : queries) {
    auto t0 = std::chrono::steady_clock::now();
    checks.push_back(RunEarshot(store, *watches, q));
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    ms_by_kind[q.kind].push_back(ms);
    all_ms.push_back(ms);
  }

  std::filesystem::create_directories(work);
  const std::string facts = work + "/facts.csv", qfile = work + "/queries.jsonl", peer_out = work + "/peer.json";
  if (!std::filesystem::exists(facts) && !ExportFacts(data_dir + "/earshot.db", facts)) return 1;
  {
    std::ofstream qs(qfile);
    for (const Query& q : queries) {
      qs << json{{"kind", q.kind},         {"watches", q.watches},   {"from", q.from_ms},
                 {"to", q.to_ms},         {"channel", q.channel},   {"country", q.country}}
                .dump()
         << "\n";
    }
  }
  std::string cmd = "node " + peer + " " + facts + " " + qfile + " > " + peer_out;
  std::fprintf(stderr, "running the DuckDB peer: %s\n", cmd.c_str());
  json peer_result;
  if (std::system(cmd.c_str()) == 0) {
    std::ifstream in(peer_out);
    peer_result = json::parse(in, nullptr, /*allow_exceptions=*/false);
  }
  const bool have_peer = peer_result.is_object() && peer_result.contains("ms");
  int mismatches = 0;
  std::map<std::string, std::vector<double>> peer_by_kind;
  std::vector<double> peer_all;
  if (have_peer) {
    for (size_t i = 0; i < queries.size(); ++i) {
      double ms = peer_result["ms"][i].get<double>();
      peer_by_kind[queries[i].kind].push_back(ms);
      peer_all.push_back(ms);
      if (peer_result["checksums"][i].get<int64_t>() != checks[i]) {
        if (++mismatches <= 5) {
          std::fprintf(stderr, "checksum differs on query %zu (%s): earshot %lld, duckdb %lld\n", i,
                       queries[i].kind.c_str(), static_cast<long long>(checks[i]),
                       static_cast<long long>(peer_result["checksums"][i].get<int64_t>()));
        }
      }
    }
  }

  std::printf("store %s: %lld mentions, %zu watches; %d queries per kind\n", data_dir.c_str(),
              static_cast<long long>(stats->mentions), watches->size(), per_kind);
  if (have_peer) {
    std::printf("duckdb %s, %s threads, load %.1f s, %lld fact rows\n",
                peer_result.value("version", "?").c_str(), peer_result.value("threads", "?").c_str(),
                peer_result.value("load_s", 0.0), static_cast<long long>(peer_result.value("rows", int64_t{0})));
  }
  std::printf("%-16s %12s %12s %12s %12s\n", "query", "earshot p50", "earshot p99", "duckdb p50", "duckdb p99");
  auto row = [&](const std::string& name, const std::vector<double>& e, const std::vector<double>& d) {
    std::printf("%-16s %9.2f ms %9.2f ms", name.c_str(), Percentile(e, 0.5), Percentile(e, 0.99));
    if (!d.empty()) std::printf(" %9.2f ms %9.2f ms", Percentile(d, 0.5), Percentile(d, 0.99));
    std::printf("\n");
  };
  for (const auto& [kind, v] : ms_by_kind) row(kind, v, peer_by_kind[kind]);
  row("all", all_ms, peer_all);
  if (have_peer) {
    std::printf("answers compared: %zu queries, %d differ\n", queries.size(), mismatches);
  } else {
    std::printf("DuckDB peer did not run (scripts/setup-deps --bench installs it)\n");
  }
  return mismatches == 0 ? 0 : 1;
}
