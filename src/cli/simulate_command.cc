// earshot simulate --mentions N --days D --seed S --out DIR [--x-only] [--no-truth] [--overwrite] [--json]
#include <iostream>

#include "cli/cli.h"
#include "cli/output.h"
#include "core/time.h"
#include "sim/sim.h"

namespace earshot::cli {

void RegisterSimulateCommand(CLI::App& app, GlobalOptions& g) {
  struct Args {
    sim::SimOptions opts;
    bool x_only = false;
    bool no_truth = false;
    bool json = false;
    std::string start;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("simulate", "Write a simulated B2B market in real formats, with ground truth");
  cmd->add_option("--mentions", args->opts.mentions, "Mentions to write, over every format (default 50000)");
  cmd->add_option("--days", args->opts.days, "Days simulated (default 7)");
  cmd->add_option("--seed", args->opts.seed, "Seed: the same seed gives byte-identical output (default 1)");
  cmd->add_option("--out", args->opts.out_dir, "Output directory")->required();
  cmd->add_option("--start", args->start, "Start of the window, RFC 3339 (default 2026-01-05T00:00:00Z)");
  cmd->add_option("--competitors", args->opts.competitors, "Competitors of the vendor (3..5, default 4)");
  cmd->add_option("--people", args->opts.people, "People in the world (default: derived from --mentions)");
  cmd->add_flag("--x-only", args->x_only, "Only X v2 JSON lines (the load for benchmarks; scales to 10M+)");
  cmd->add_flag("--no-truth", args->no_truth, "Leave out truth/");
  cmd->add_flag("--overwrite", args->opts.overwrite, "Empty the simulator's folders in --out first");
  cmd->add_flag("--json", args->json, "Print the summary as JSON");
  cmd->callback([&g, args] {
    sim::SimOptions opts = args->opts;
    if (args->x_only) opts.formats = sim::SimOptions::Formats::kXOnly;
    if (args->no_truth) opts.truth = sim::SimOptions::Truth::kSkip;
    if (!args->start.empty()) {
      Result<int64_t> t = ParseRfc3339(args->start);
      if (!t.ok()) {
        PrintError("simulate", t.status());
        g.exit_code = 2;
        return;
      }
      opts.start_ms = *t;
    }
    Result<sim::SimSummary> r = sim::Simulate(opts);
    if (!r.ok()) {
      PrintError("simulate", r.status());
      g.exit_code = r.status().code() == StatusCode::kInvalidArgument ? 2 : 1;
      return;
    }
    if (args->json) {
      nlohmann::json j = {{"mentions", r->mentions},     {"per_file", r->per_file}, {"per_channel", r->per_channel},
                          {"people", r->people},         {"contacts", r->contacts}, {"accounts", r->accounts},
                          {"events", r->events},         {"stories", r->stories},   {"bytes", r->bytes},
                          {"start", FormatRfc3339(r->start_ms)}, {"end", FormatRfc3339(r->end_ms)}};
      std::cout << j.dump(2) << "\n";
      return;
    }
    std::cout << "wrote " << Thousands(r->mentions) << " mentions (" << Thousands(r->bytes / 1024) << " KiB) from "
              << FormatRfc3339(r->start_ms) << " to " << FormatRfc3339(r->end_ms) << " into " << opts.out_dir << "\n";
    for (const auto& [channel, n] : r->per_channel) std::cout << "  " << channel << ": " << Thousands(n) << "\n";
    std::cout << "  " << Thousands(r->people) << " people, " << Thousands(r->accounts) << " accounts, "
              << Thousands(r->contacts) << " CRM contacts, " << r->events << " injected events, "
              << Thousands(r->stories) << " stories\n";
  });
}

}  // namespace earshot::cli
