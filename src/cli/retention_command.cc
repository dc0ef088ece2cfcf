// earshot retention set|list and earshot expire: raw mentions can expire per
// source after N days while rollups (and the analytics over them) stay.
#include <chrono>
#include <iostream>

#include "cli/cli.h"
#include "cli/output.h"
#include "core/time.h"
#include "store/store.h"

namespace earshot::cli {
namespace {

constexpr int64_t kDayMs = 86'400'000;

Result<std::unique_ptr<store::Store>> Open(const GlobalOptions& g, bool read_only) {
  store::StoreOptions so;
  so.data_dir = g.data_dir;
  so.read_only = read_only;
  return store::OpenStore(so);
}

void Fail(GlobalOptions& g, std::string_view what, const Status& st) {
  PrintError(what, st);
  g.exit_code = st.code() == StatusCode::kInvalidArgument ? 2 : 1;
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Result<int64_t> ApplyRetention(store::Store& store, int64_t now_ms) {
  EARSHOT_ASSIGN_OR_RETURN(std::vector<store::RetentionPolicy> policies, store.ListRetention());
  int64_t removed = 0;
  for (const store::RetentionPolicy& p : policies) {
    EARSHOT_ASSIGN_OR_RETURN(int64_t n, store.Expire({p.source, now_ms - p.days * kDayMs}));
    removed += n;
  }
  return removed;
}

void RegisterRetentionCommands(CLI::App& app, GlobalOptions& g) {
  CLI::App* ret = app.add_subcommand("retention", "Per-source retention of raw mentions (rollups stay)");
  ret->require_subcommand(1);
  struct SetArgs {
    std::string source;
    int days = 0;
  };
  auto set = std::make_shared<SetArgs>();
  CLI::App* set_cmd = ret->add_subcommand("set", "Keep mentions of SOURCE for DAYS days (0 clears the policy)");
  set_cmd->add_option("source", set->source, "Source: x, rss, atom, mastodon, bluesky, hn, reddit, csv")->required();
  set_cmd->add_option("days", set->days, "Days to keep")->required()->check(CLI::Range(0, 1'000'000));
  set_cmd->callback([&g, set] {
    auto st = Open(g, false);
    Status s = st.ok() ? (*st)->SetRetention(set->source, set->days) : st.status();
    if (!s.ok()) return Fail(g, "retention set", s);
    std::cout << (set->days ? "mentions from " + set->source + " expire after " + std::to_string(set->days) + " days"
                            : "no retention policy for " + set->source)
              << "\n";
  });
  auto list_json = std::make_shared<bool>(false);
  CLI::App* list_cmd = ret->add_subcommand("list", "List retention policies");
  list_cmd->add_flag("--json", *list_json, "Print [{\"source\",\"days\"}] as JSON");
  list_cmd->callback([&g, list_json] {
    auto st = Open(g, true);
    auto p = st.ok() ? (*st)->ListRetention() : Result<std::vector<store::RetentionPolicy>>(st.status());
    if (!p.ok()) return Fail(g, "retention list", p.status());
    nlohmann::json j = nlohmann::json::array();
    for (const auto& r : *p) j.push_back({{"source", r.source}, {"days", r.days}});
    if (*list_json) {
      std::cout << j.dump(2) << "\n";
      return;
    }
    if (p->empty()) std::cout << "no retention policies: mentions are kept\n";
    for (const auto& r : *p) std::cout << TerminalSafe(r.source, 40) << "  " << r.days << " days\n";
  });

  struct ExpireArgs {
    std::string source, now;
    int older_than = -1;
    bool json = false;
  };
  auto ex = std::make_shared<ExpireArgs>();
  CLI::App* exp = app.add_subcommand("expire", "Delete raw mentions past retention (the policies, or the "
                                               "--older-than given); rollups stay");
  exp->add_option("--source", ex->source, "Only this source (with --older-than)");
  exp->add_option("--older-than", ex->older_than, "Days: expire mentions older than this, ignoring the policies")
      ->check(CLI::Range(0, 1'000'000));
  exp->add_option("--now", ex->now, "Reference time instead of the clock (RFC 3339)");
  exp->add_flag("--json", ex->json, "Print {\"expired\"} as JSON");
  exp->callback([&g, ex] {
    int64_t now = NowMs();
    if (!ex->now.empty()) {
      Result<int64_t> t = ParseAnyDate(ex->now);
      if (!t.ok()) return Fail(g, "expire", Status::InvalidArgument("bad --now: " + t.status().message()));
      now = *t;
    }
    if (!ex->source.empty() && ex->older_than < 0) {
      return Fail(g, "expire", Status::InvalidArgument("--source needs --older-than"));
    }
    auto st = Open(g, false);
    if (!st.ok()) return Fail(g, "expire", st.status());
    Result<int64_t> n = ex->older_than >= 0 ? (*st)->Expire({ex->source, now - ex->older_than * kDayMs})
                                            : ApplyRetention(**st, now);
    if (!n.ok()) return Fail(g, "expire", n.status());
    if (ex->json) {
      std::cout << nlohmann::json{{"expired", *n}}.dump() << "\n";
    } else {
      std::cout << Thousands(*n) << " mentions expired (rollups kept)\n";
    }
  });
}

}  // namespace earshot::cli
