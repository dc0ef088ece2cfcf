// earshot report [--watch W | --group G] [--from T] [--to T] [--channel C] [--lang L] [--country CC]
//                [--top N] [--scan-limit N] [--json]
#include <cctype>
#include <iostream>
#include <optional>

#include "analytics/report.h"
#include "cli/cli.h"
#include "cli/output.h"
#include "core/time.h"
#include "store/store.h"

namespace earshot::cli {
namespace {

// Accepts RFC 3339 or a bare UTC date (2026-01-05).
Result<int64_t> ParseWhen(const std::string& s) {
  if (s.size() == 10 && s[4] == '-' && s[7] == '-') return ParseRfc3339(s + "T00:00:00Z");
  return ParseAnyDate(s);
}

std::string Safe(std::string_view s) { return TerminalSafe(s, 200); }

}  // namespace

void RegisterReportCommand(CLI::App& app, GlobalOptions& g) {
  struct Args {
    analytics::ReportOptions report;
    std::string from, to;
    bool json = false;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("report", "Volume, share of voice, channels, geography, spikes, influencers, "
                                               "cascades and period comparison");
  auto* watch = cmd->add_option("--watch", a->report.watch, "Report on one watch");
  cmd->add_option("--group", a->report.group, "Report on one watch group (share of voice)")->excludes(watch);
  cmd->add_option("--from", a->from, "Range start (UTC date or RFC 3339; default: 30 days before --to)");
  cmd->add_option("--to", a->to, "Range end, exclusive (default: the end of the newest mention's day)");
  cmd->add_option("--channel", a->report.filter.channel, "Only mentions of this channel (blog, news, ...)");
  cmd->add_option("--lang", a->report.filter.lang, "Only mentions in this language (en, de, ...; und: unknown)");
  cmd->add_option("--country", a->report.filter.country, "Only mentions from this country (ISO code: US, DE, ...)");
  cmd->add_option("--top", a->report.top, "Rows in each top list")->check(CLI::Range(1, 1000));
  cmd->add_option("--scan-limit", a->report.scan_limit,
                  "Mentions read for influencers, cascades, emerging topics and spike reasons")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 40));
  cmd->add_flag("--json", a->json, "Print the report as JSON");
  cmd->callback([&g, a] {
    auto fail = [&](const Status& st) {
      PrintError("report", st);
      g.exit_code = 1;
    };
    for (auto [text, out] : {std::pair{&a->from, &a->report.from_ms}, std::pair{&a->to, &a->report.to_ms}}) {
      if (text->empty()) continue;
      Result<int64_t> t = ParseWhen(*text);
      if (!t.ok()) return fail(Status::InvalidArgument("bad date '" + *text + "': " + t.status().message()));
      *out = *t;
    }
    analytics::FacetFilter& f = a->report.filter;
    if (!f.channel.empty()) {
      std::optional<Channel> c = ParseChannel(f.channel);
      if (!c) return fail(Status::InvalidArgument("unknown channel '" + f.channel + "'"));
      f.channel = std::string(ChannelName(*c));
    }
    for (char& ch : f.lang) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    for (char& ch : f.country) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    store::StoreOptions so;
    so.data_dir = g.data_dir;
    so.read_only = true;
    Result<std::unique_ptr<store::Store>> st = store::OpenStore(so);
    if (!st.ok()) return fail(st.status());
    Result<nlohmann::json> report = analytics::BuildReport(**st, a->report);
    if (!report.ok()) return fail(report.status());
    if (a->json) {
      std::cout << report->dump(2) << "\n";
    } else {
      std::cout << analytics::FormatReport(*report, &Safe);
    }
  });
}

}  // namespace earshot::cli
