// earshot ingest [--format F] [--channel C] [--map field=column] PATH...
#include <iostream>

#include "cli/cli.h"
#include "cli/ingest_run.h"
#include "cli/output.h"

namespace earshot::cli {

void RegisterIngestCommand(CLI::App& app, GlobalOptions& g) {
  struct Args {
    std::vector<std::string> paths;
    std::string format = "auto";
    std::string channel;
    std::vector<std::string> map;
    size_t max_record_bytes = 1 << 20;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("ingest", "Read files (or - for stdin) into the store");
  cmd->add_option("paths", args->paths, "Files, directories (read recursively) or - for stdin")->required();
  cmd->add_option("--format", args->format, "auto (default), x, feed, mastodon, bluesky, hn, reddit, csv");
  cmd->add_option("--channel", args->channel, "Force the channel of every mention (blog, news, forum, ...)");
  cmd->add_option("--map", args->map, "CSV column mapping, field=column (e.g. text=Body)");
  cmd->add_option("--max-record-bytes", args->max_record_bytes, "Reject records larger than this (default 1 MiB)");
  cmd->add_flag("--json", args->json, "Print the report as JSON");
  cmd->callback([&g, args] {
    ingest::InputOptions input;
    input.format = args->format;
    input.max_record_bytes = args->max_record_bytes;
    if (!args->channel.empty()) {
      input.channel = ParseChannel(args->channel);
      if (!input.channel) {
        PrintError("ingest", Status::InvalidArgument("unknown channel '" + args->channel + "'"));
        g.exit_code = 2;
        return;
      }
    }
    for (const std::string& m : args->map) {
      size_t eq = m.find('=');
      if (eq == std::string::npos || eq == 0) {
        PrintError("ingest", Status::InvalidArgument("--map wants field=column, got '" + m + "'"));
        g.exit_code = 2;
        return;
      }
      input.csv_mapping.emplace_back(m.substr(0, eq), m.substr(eq + 1));
    }
    Result<pipeline::IngestReport> report = RunIngest(g.data_dir, args->paths, input, args->json);
    if (!report.ok()) {
      PrintError("ingest", report.status());
      g.exit_code = 1;
      return;
    }
    PrintIngestReport(*report, args->json);
    // Non-zero only when nothing at all could be read: no record at all, or
    // every record rejected.
    bool nothing = report->read == report->rejected;
    g.exit_code = nothing ? 1 : 0;
  });
}

}  // namespace earshot::cli
