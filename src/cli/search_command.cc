// earshot search QUERY [--limit N] [--from T] [--to T] [--json]
#include <iostream>

#include "cli/cli.h"
#include "cli/output.h"
#include "core/time.h"
#include "match/query.h"
#include "search/search.h"

namespace earshot::cli {

void RegisterSearchCommand(CLI::App& app, GlobalOptions& g) {
  struct Args {
    std::string query;
    int64_t limit = 20;
    std::string from, to;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("search", "Search stored mentions with the query language (docs/QUERY.md)");
  cmd->add_option("query", args->query, "Query, e.g. '\"hybrid cloud\" AND (nimbus OR #nimbus) NOT lang:de'")
      ->required();
  cmd->add_option("--limit", args->limit, "Results to print, newest first (default 20)")->check(CLI::NonNegativeNumber);
  cmd->add_option("--from", args->from, "Only mentions at or after this time (RFC 3339)");
  cmd->add_option("--to", args->to, "Only mentions before this time (RFC 3339)");
  cmd->add_flag("--json", args->json, "Print {\"total\",\"results\":[...]} as JSON");
  cmd->callback([&g, args] {
    Result<match::Query> q = match::ParseQuery(args->query);
    if (!q.ok()) {
      PrintError("search: bad query", q.status());
      g.exit_code = 2;
      return;
    }
    search::SearchOptions opts;
    opts.limit = args->limit;
    for (auto [text, slot] : {std::pair{&args->from, &opts.from_ms}, std::pair{&args->to, &opts.to_ms}}) {
      if (text->empty()) continue;
      Result<int64_t> t = ParseRfc3339(*text);
      if (!t.ok()) {
        PrintError("search", t.status());
        g.exit_code = 2;
        return;
      }
      *slot = *t;
    }
    store::StoreOptions so;
    so.data_dir = g.data_dir;
    so.read_only = true;
    Result<std::unique_ptr<store::Store>> st = store::OpenStore(so);
    if (!st.ok()) {
      PrintError("search", st.status());
      g.exit_code = 1;
      return;
    }
    Result<search::SearchResult> r = search::Search(**st, *q, opts);
    if (!r.ok()) {
      PrintError("search", r.status());
      g.exit_code = 1;
      return;
    }
    if (args->json) {
      nlohmann::json results = nlohmann::json::array();
      for (const Mention& m : r->results) results.push_back(MentionJson(m));
      nlohmann::json j = {{"total", r->total}, {"results", results}};
      std::cout << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
      return;
    }
    std::cout << Thousands(r->total) << (r->total == 1 ? " match" : " matches") << "\n";
    for (const Mention& m : r->results) {
      std::cout << FormatRfc3339(m.created_at_ms).substr(0, 19) << "Z  " << ChannelName(m.channel) << "  "
                << TerminalSafe(m.author.handle.empty() ? m.site : m.author.handle, 40) << "  " << TerminalSafe(m.id, 80)
                << "\n    " << TerminalSafe(m.title.empty() ? m.text : m.title + " — " + m.text, 200) << "\n";
    }
  });
}

}  // namespace earshot::cli
