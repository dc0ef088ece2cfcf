// earshot watch add|list|rm|test|backfill: watches are saved queries that
// live matching applies to every incoming mention.
#include <iostream>

#include "cli/cli.h"
#include "cli/output.h"
#include "core/time.h"
#include "match/query.h"
#include "pipeline/backfill.h"
#include "search/search.h"
#include "store/store.h"

namespace earshot::cli {
namespace {

Result<std::unique_ptr<store::Store>> Open(const GlobalOptions& g, bool read_only) {
  store::StoreOptions so;
  so.data_dir = g.data_dir;
  so.read_only = read_only;
  return store::OpenStore(so);
}

// Parses `text`, printing the error with its position; exit status 2.
std::optional<match::Query> ParseOrReport(const std::string& text, GlobalOptions& g) {
  Result<match::Query> q = match::ParseQuery(text);
  if (!q.ok()) {
    PrintError("bad query", q.status());
    g.exit_code = 2;
    return std::nullopt;
  }
  return *q;
}

void Fail(GlobalOptions& g, std::string_view what, const Status& st) {
  PrintError(what, st);
  g.exit_code = st.code() == StatusCode::kInvalidArgument ? 2 : 1;
}

}  // namespace

void RegisterWatchCommand(CLI::App& app, GlobalOptions& g) {
  CLI::App* watch = app.add_subcommand("watch", "Manage watches: saved queries matched live against every mention");
  watch->require_subcommand(1);

  struct AddArgs {
    std::string name, query, group;
    bool json = false;
  };
  auto add = std::make_shared<AddArgs>();
  CLI::App* add_cmd = watch->add_subcommand("add", "Add a watch (applies to new mentions; see backfill)");
  add_cmd->add_option("name", add->name, "Watch name")->required();
  add_cmd->add_option("query", add->query, "Query (docs/QUERY.md)")->required();
  add_cmd->add_option("--group", add->group, "Group, e.g. a brand and its competitors for share of voice");
  add_cmd->add_flag("--json", add->json, "Print the watch as JSON");
  add_cmd->callback([&g, add] {
    if (!ParseOrReport(add->query, g)) return;
    auto st = Open(g, false);
    if (!st.ok()) return Fail(g, "watch add", st.status());
    Result<store::Watch> w = (*st)->AddWatch(add->name, add->query, add->group);
    if (!w.ok()) return Fail(g, "watch add", w.status());
    if (add->json) {
      std::cout << nlohmann::json({{"id", w->id}, {"name", w->name}, {"query", w->query}, {"group", w->group}}).dump()
                << "\n";
    } else {
      std::cout << "added watch '" << TerminalSafe(w->name) << "' (id " << w->id << ")\n";
    }
  });

  auto list_json = std::make_shared<bool>(false);
  CLI::App* list_cmd = watch->add_subcommand("list", "List watches and how many stored mentions each matched");
  list_cmd->add_flag("--json", *list_json, "Print [{\"name\",\"query\",\"group\",\"matches\"}]");
  list_cmd->callback([&g, list_json] {
    auto st = Open(g, true);
    if (!st.ok()) return Fail(g, "watch list", st.status());
    Result<std::vector<store::Watch>> ws = (*st)->ListWatches();
    if (!ws.ok()) return Fail(g, "watch list", ws.status());
    if (*list_json) {
      nlohmann::json arr = nlohmann::json::array();
      for (const store::Watch& w : *ws) {
        arr.push_back({{"id", w.id}, {"name", w.name}, {"query", w.query}, {"group", w.group}, {"matches", w.matches}});
      }
      std::cout << arr.dump(2) << "\n";
      return;
    }
    for (const store::Watch& w : *ws) {
      std::cout << TerminalSafe(w.name, 40) << "  " << Thousands(w.matches) << " matches"
                << (w.group.empty() ? "" : "  [" + TerminalSafe(w.group, 40) + "]") << "\n    "
                << TerminalSafe(w.query, 200) << "\n";
    }
  });

  auto rm_name = std::make_shared<std::string>();
  CLI::App* rm_cmd = watch->add_subcommand("rm", "Remove a watch and its recorded matches");
  rm_cmd->add_option("name", *rm_name, "Watch name")->required();
  rm_cmd->callback([&g, rm_name] {
    auto st = Open(g, false);
    if (!st.ok()) return Fail(g, "watch rm", st.status());
    Status s = (*st)->RemoveWatch(*rm_name);
    if (!s.ok()) return Fail(g, "watch rm", s);
    std::cout << "removed watch '" << TerminalSafe(*rm_name) << "'\n";
  });

  struct TestArgs {
    std::string query;
    int64_t limit = 5;
    bool json = false;
  };
  auto test = std::make_shared<TestArgs>();
  CLI::App* test_cmd = watch->add_subcommand("test", "Count and sample the stored mentions a query matches");
  test_cmd->add_option("query", test->query, "Query to try")->required();
  test_cmd->add_option("--limit", test->limit, "Sample size (default 5)");
  test_cmd->add_flag("--json", test->json, "Print {\"total\",\"sample\":[...]}");
  test_cmd->callback([&g, test] {
    std::optional<match::Query> q = ParseOrReport(test->query, g);
    if (!q) return;
    auto st = Open(g, true);
    if (!st.ok()) return Fail(g, "watch test", st.status());
    search::SearchOptions opts;
    opts.limit = test->limit;
    Result<search::SearchResult> r = search::Search(**st, *q, opts);
    if (!r.ok()) return Fail(g, "watch test", r.status());
    if (test->json) {
      nlohmann::json sample = nlohmann::json::array();
      for (const Mention& m : r->results) sample.push_back(MentionJson(m));
      std::cout << nlohmann::json({{"total", r->total}, {"sample", sample}})
                       .dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
                << "\n";
      return;
    }
    std::cout << Thousands(r->total) << " stored mentions match\n";
    for (const Mention& m : r->results) {
      std::cout << "  " << FormatRfc3339(m.created_at_ms).substr(0, 16) << "  " << TerminalSafe(m.author.handle, 30)
                << ": " << TerminalSafe(m.text.empty() ? m.title : m.text, 160) << "\n";
    }
  });

  struct BackfillArgs {
    std::string name;
    bool json = false;
  };
  auto backfill = std::make_shared<BackfillArgs>();
  CLI::App* bf_cmd = watch->add_subcommand("backfill", "Apply a watch to every stored mention");
  bf_cmd->add_option("name", backfill->name, "Watch name")->required();
  bf_cmd->add_flag("--json", backfill->json, "Print {\"watch\",\"matches\"}");
  bf_cmd->callback([&g, backfill] {
    auto st = Open(g, false);
    if (!st.ok()) return Fail(g, "watch backfill", st.status());
    Result<std::vector<store::Watch>> ws = (*st)->ListWatches();
    if (!ws.ok()) return Fail(g, "watch backfill", ws.status());
    auto it = std::find_if(ws->begin(), ws->end(), [&](const store::Watch& w) { return w.name == backfill->name; });
    if (it == ws->end()) return Fail(g, "watch backfill", Status::NotFound("no watch named '" + backfill->name + "'"));
    if (!ParseOrReport(it->query, g)) return;
    Result<int64_t> n = pipeline::BackfillWatch(**st, *it);
    if (!n.ok()) return Fail(g, "watch backfill", n.status());
    if (backfill->json) {
      std::cout << nlohmann::json({{"watch", it->name}, {"matches", *n}}).dump() << "\n";
    } else {
      std::cout << "watch '" << TerminalSafe(it->name) << "' now matches " << Thousands(*n) << " stored mentions\n";
    }
  });
}

}  // namespace earshot::cli
