// earshot: the one binary. Parses the global options and dispatches to a
// command (one file per command under cli/).
#include <cstdlib>
#include <iostream>

#include "cli/cli.h"

int main(int argc, char** argv) {
  CLI::App app{"Earshot: self-hosted social listening for B2B marketing teams"};
  app.require_subcommand(1);
  earshot::cli::GlobalOptions g;
  const char* env = std::getenv("EARSHOT_DATA");
  g.data_dir = env && *env ? env : "./earshot-data";
  app.add_option("--data", g.data_dir, "Data directory (default: $EARSHOT_DATA or ./earshot-data)");
  earshot::cli::RegisterIngestCommand(app, g);
  earshot::cli::RegisterSearchCommand(app, g);
  earshot::cli::RegisterStatsCommand(app, g);
  earshot::cli::RegisterSimulateCommand(app, g);
  earshot::cli::RegisterSentimentCommand(app, g);
  earshot::cli::RegisterWatchCommand(app, g);
  earshot::cli::RegisterReportCommand(app, g);
  earshot::cli::RegisterRetentionCommands(app, g);
  earshot::cli::RegisterMigrateCommand(app, g);
  earshot::cli::RegisterDemoCommand(app, g);
  earshot::cli::RegisterServeCommand(app, g);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return g.exit_code;
}
