// earshot demo [PATH...]: the main job on the embedded default. Without
// paths it simulates a small B2B market (a few days, tens of thousands of
// mentions), ingests it and prints what Earshot sees; with paths it ingests
// those instead.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/cli.h"
#include "cli/ingest_run.h"
#include "cli/output.h"
#include "core/time.h"
#include "match/query.h"
#include "search/search.h"
#include "sim/sim.h"
#include "store/store.h"

namespace earshot::cli {
namespace {

struct DemoWatch {
  std::string name, query, group;
};

// Reads truth/watches.jsonl: the ready-made watches of the simulated world.
std::vector<DemoWatch> ReadWatches(const std::filesystem::path& file) {
  std::vector<DemoWatch> out;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) {
    nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (j.is_object() && j.contains("name") && j.contains("query")) {
      out.push_back({j["name"].get<std::string>(), j["query"].get<std::string>(), j.value("group", "")});
    }
  }
  return out;
}

// Adds the world's watches to the store (keeping any that exist), so that
// live matching records their matches during the ingest.
Status AddWatches(const std::string& data_dir, const std::vector<DemoWatch>& watches) {
  store::StoreOptions so;
  so.data_dir = data_dir;
  EARSHOT_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> st, store::OpenStore(so));
  for (const DemoWatch& w : watches) {
    if (!match::ParseQuery(w.query).ok()) continue;
    Result<store::Watch> r = st->AddWatch(w.name, w.query, w.group);
    if (!r.ok() && r.status().code() != StatusCode::kAlreadyExists) return r.status();
  }
  return Status::Ok();
}

Status PrintOverview(const std::string& data_dir, const std::vector<DemoWatch>& watches) {
  store::StoreOptions so;
  so.data_dir = data_dir;
  so.read_only = true;
  EARSHOT_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> st, store::OpenStore(so));
  EARSHOT_ASSIGN_OR_RETURN(store::StoreStats stats, st->Stats());
  std::cout << "\n" << Thousands(stats.mentions) << " mentions stored, " << FormatRfc3339(stats.first_ms).substr(0, 10)
            << " to " << FormatRfc3339(stats.last_ms).substr(0, 10) << "\n  channels:";
  for (const auto& [c, n] : stats.by_channel) std::cout << " " << c << " " << Thousands(n);
  std::cout << "\n  languages:";
  for (const auto& [l, n] : stats.by_language) std::cout << " " << l << " " << Thousands(n);
  std::cout << "\n";
  if (watches.empty()) return Status::Ok();
  std::cout << "\nWatches of the simulated market, matched live during ingest:\n";
  EARSHOT_ASSIGN_OR_RETURN(std::vector<store::Watch> live, st->ListWatches());
  for (const store::Watch& w : live) {
    std::string count = Thousands(w.matches);
    std::cout << "  " << TerminalSafe(w.name, 40) << std::string(w.name.size() < 28 ? 28 - w.name.size() : 1, ' ')
              << std::string(count.size() < 8 ? 8 - count.size() : 0, ' ') << count
              << (w.group.empty() ? "" : "   [" + TerminalSafe(w.group, 30) + "]") << "\n";
  }
  const DemoWatch& first = watches.front();
  std::cout << "\nTry:\n  earshot --data " << data_dir << " search '" << first.query << "' --limit 5\n"
            << "  earshot --data " << data_dir << " search '(\"looking for\" OR alternatives) AND channel:forum'\n"
            << "  earshot --data " << data_dir << " report"
            << (first.group.empty() ? std::string() : " --group '" + first.group + "'") << "\n"
            << "  earshot --data " << data_dir << " stats\n";
  return Status::Ok();
}

}  // namespace

void RegisterDemoCommand(CLI::App& app, GlobalOptions& g) {
  struct Args {
    std::vector<std::string> paths;
    int64_t mentions = 30'000;
    int days = 5;
    uint64_t seed = 1;
    std::string start;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("demo", "Simulate a small B2B market (or read PATHs), ingest it, summarise");
  cmd->add_option("paths", args->paths, "Real data to use instead of the simulated market");
  cmd->add_option("--mentions", args->mentions, "Size of the simulated market (default 30000)");
  cmd->add_option("--days", args->days, "Days simulated (default 5)");
  cmd->add_option("--seed", args->seed, "Seed of the simulated market (default 1)");
  cmd->add_option("--start", args->start,
                  "Start of the simulated market, RFC 3339 (default: --days days before today, so it ends today "
                  "and `serve --demo-rate` carries it on)");
  cmd->callback([&g, args] {
    auto t0 = std::chrono::steady_clock::now();
    std::vector<std::string> paths = args->paths;
    std::vector<DemoWatch> watches;
    if (paths.empty()) {
      std::filesystem::path world = std::filesystem::path(g.data_dir) / "demo-world";
      sim::SimOptions so;
      so.mentions = args->mentions;
      so.days = args->days;
      so.seed = args->seed;
      if (args->start.empty()) {
        // Whole UTC days ending at today's midnight: the dashboard's default
        // range (the 30 days up to the newest mention) then shows the world.
        int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
        constexpr int64_t kDayMs = 86'400'000;
        so.start_ms = now / kDayMs * kDayMs - int64_t{so.days} * kDayMs;
      } else {
        Result<int64_t> start = ParseRfc3339(args->start);
        if (!start.ok()) {
          PrintError("demo: --start", start.status());
          g.exit_code = 2;
          return;
        }
        so.start_ms = *start;
      }
      so.out_dir = world.string();
      so.overwrite = true;
      std::cout << "Simulating a B2B market: " << Thousands(so.mentions) << " mentions over " << so.days
                << " days (seed " << so.seed << ") into " << so.out_dir << "\n";
      Result<sim::SimSummary> r = sim::Simulate(so);
      if (!r.ok()) {
        PrintError("demo", r.status());
        g.exit_code = 1;
        return;
      }
      // Mentions only: CRM exports and ground truth are not mentions.
      for (const char* dir : {"x", "mastodon", "feeds", "hn", "reddit", "csv"}) {
        if (std::filesystem::exists(world / dir)) paths.push_back((world / dir).string());
      }
      watches = ReadWatches(world / "truth" / "watches.jsonl");
      Status added = AddWatches(g.data_dir, watches);
      if (!added.ok()) {
        PrintError("demo", added);
        g.exit_code = 1;
        return;
      }
    }
    ingest::InputOptions input;
    Result<pipeline::IngestReport> report = RunIngest(g.data_dir, paths, input, /*json=*/false);
    if (!report.ok()) {
      PrintError("demo", report.status());
      g.exit_code = 1;
      return;
    }
    PrintIngestReport(*report, /*json=*/false);
    Status st = PrintOverview(g.data_dir, watches);
    if (!st.ok()) {
      PrintError("demo", st);
      g.exit_code = 1;
      return;
    }
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::cout << "\nDemo ready in " << static_cast<int>(secs * 10) / 10.0 << " s. Data directory: " << g.data_dir
              << "\n";
  });
}

}  // namespace earshot::cli
