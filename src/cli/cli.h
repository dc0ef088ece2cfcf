// Shared plumbing of the `earshot` command line: the global options every
// command sees, and registration of each command. Only cli/ reads flags,
// EARSHOT_* environment variables and terminals.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>

#include "core/status.h"
#include "store/store.h"

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
void RegisterReportCommand(CLI::App& app, GlobalOptions& g);
void RegisterMigrateCommand(CLI::App& app, GlobalOptions& g);
void RegisterServeCommand(CLI::App& app, GlobalOptions& g);
// Registers `retention set|list` and `expire`.
void RegisterRetentionCommands(CLI::App& app, GlobalOptions& g);

// Expires what each retention policy says is past its days at `now_ms`;
// returns how many mentions were removed.
Result<int64_t> ApplyRetention(store::Store& store, int64_t now_ms);

}  // namespace earshot::cli
