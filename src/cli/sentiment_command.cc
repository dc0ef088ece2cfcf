// earshot sentiment [FILE|-] [--mode b2b|vader]: one compound score in
// [-1, 1] per input line, for evaluation and scripting.
#include <fstream>
#include <iostream>

#include "cli/cli.h"
#include "cli/output.h"
#include "enrich/sentiment.h"

namespace earshot::cli {

void RegisterSentimentCommand(CLI::App& app, GlobalOptions& g) {
  struct Args {
    std::string path = "-";
    std::string mode = "b2b";
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("sentiment", "Print one compound sentiment score in [-1, 1] per input line");
  cmd->add_option("file", args->path, "Text file, one text per line (default: - for stdin)");
  cmd->add_option("--mode", args->mode, "b2b (default: VADER plus B2B vocabulary and neutral band) or vader")
      ->check(CLI::IsMember({"b2b", "vader"}));
  cmd->callback([&g, args] {
    Result<enrich::SentimentScorer> scorer = enrich::SentimentScorer::Create(
        args->mode == "vader" ? enrich::SentimentMode::kVader : enrich::SentimentMode::kB2B);
    if (!scorer.ok()) {
      PrintError("sentiment", scorer.status());
      g.exit_code = 1;
      return;
    }
    std::ifstream file;
    std::istream* in = &std::cin;
    if (args->path != "-") {
      file.open(args->path, std::ios::binary);
      if (!file) {
        PrintError("sentiment", Status::IOError("cannot open '" + args->path + "'"));
        g.exit_code = 1;
        return;
      }
      in = &file;
    }
    std::ios::sync_with_stdio(false);
    Status st = enrich::ScoreLines(*in, std::cout, *scorer);
    if (!st.ok()) {
      PrintError("sentiment", st);
      g.exit_code = 1;
    }
  });
}

}  // namespace earshot::cli
