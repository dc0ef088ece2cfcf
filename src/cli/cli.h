// Shared plumbing of the `earshot` command line: the global options every
// command sees, and registration of each command. Only cli/ reads flags,
// EARSHOT_* environment variables and terminals.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace earshot::cli {

struct GlobalOptions {
  std::string data_dir;  // --data, else $EARSHOT_DATA, else ./earshot-data
  int exit_code = 0;     // set by the command that ran
};

void RegisterIngestCommand(CLI::App& app, GlobalOptions& g);
void RegisterSearchCommand(CLI::App& app, GlobalOptions& g);
void RegisterStatsCommand(CLI::App& app, GlobalOptions& g);
void RegisterDemoCommand(CLI::App& app, GlobalOptions& g);
void RegisterSimulateCommand(CLI::App& app, GlobalOptions& g);
void RegisterSentimentCommand(CLI::App& app, GlobalOptions& g);
void RegisterWatchCommand(CLI::App& app, GlobalOptions& g);

}  // namespace earshot::cli
