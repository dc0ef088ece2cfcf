// earshot stats [--json]
#include <iostream>

#include "cli/cli.h"
#include "cli/output.h"
#include "core/time.h"
#include "store/store.h"

namespace earshot::cli {

namespace {

void PrintTable(std::string_view title, const std::map<std::string, int64_t>& m, int64_t total) {
  std::vector<std::pair<int64_t, std::string>> rows;
  for (const auto& [k, v] : m) rows.emplace_back(v, k);
  std::sort(rows.rbegin(), rows.rend());
  std::cout << title << "\n";
  for (const auto& [v, k] : rows) {
    char pct[16];
    std::snprintf(pct, sizeof pct, "%5.1f%%", total ? 100.0 * static_cast<double>(v) / static_cast<double>(total) : 0);
    std::string name = TerminalSafe(k, 30);
    std::string count = Thousands(v);
    std::cout << "  " << name << std::string(name.size() < 16 ? 16 - name.size() : 1, ' ')
              << std::string(count.size() < 12 ? 12 - count.size() : 0, ' ') << count << "  " << pct << "\n";
  }
}

}  // namespace

void RegisterStatsCommand(CLI::App& app, GlobalOptions& g) {
  auto json = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand("stats", "Totals by channel, language and source");
  cmd->add_flag("--json", *json, "Print {\"mentions\",\"by_channel\",\"by_language\",\"by_source\"} as JSON");
  cmd->callback([&g, json] {
    store::StoreOptions so;
    so.data_dir = g.data_dir;
    so.read_only = true;
    Result<std::unique_ptr<store::Store>> st = store::OpenStore(so);
    Result<store::StoreStats> s = st.ok() ? (*st)->Stats() : Result<store::StoreStats>(st.status());
    if (!s.ok()) {
      PrintError("stats", s.status());
      g.exit_code = 1;
      return;
    }
    if (*json) {
      nlohmann::json j = {{"mentions", s->mentions},
                          {"by_channel", s->by_channel},
                          {"by_language", s->by_language},
                          {"by_source", s->by_source},
                          {"text_copies", s->text_copies},
                          {"first", s->mentions ? nlohmann::json(FormatRfc3339(s->first_ms)) : nlohmann::json()},
                          {"last", s->mentions ? nlohmann::json(FormatRfc3339(s->last_ms)) : nlohmann::json()}};
      std::cout << j.dump(2) << "\n";
      return;
    }
    std::cout << Thousands(s->mentions) << " mentions";
    if (s->mentions) std::cout << " from " << FormatRfc3339(s->first_ms) << " to " << FormatRfc3339(s->last_ms);
    std::cout << "\n";
    if (s->text_copies) {
      std::cout << Thousands(s->text_copies) << " of them copy another mention's text exactly (stored once)\n";
    }
    PrintTable("by channel", s->by_channel, s->mentions);
    PrintTable("by language", s->by_language, s->mentions);
    PrintTable("by source", s->by_source, s->mentions);
  });
}

void RegisterMigrateCommand(CLI::App& app, GlobalOptions& g) {
  CLI::App* cmd = app.add_subcommand("migrate", "Upgrade the data directory to this build's schema (commands that "
                                                "write do it too)");
  cmd->callback([&g] {
    store::StoreOptions so;
    so.data_dir = g.data_dir;
    Result<std::unique_ptr<store::Store>> st = store::OpenStore(so);
    if (!st.ok()) {
      PrintError("migrate", st.status());
      g.exit_code = 1;
      return;
    }
    std::cout << "data directory " << TerminalSafe(g.data_dir) << " is up to date\n";
  });
}

}  // namespace earshot::cli
