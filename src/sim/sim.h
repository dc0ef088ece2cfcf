// The market simulator: a deterministic world of a B2B vendor, its
// competitors, their customers, prospects and critics, whose conversation
// it writes out in the real formats Earshot's connectors read (X API v2
// stream lines, Mastodon statuses, RSS and Atom feeds, Hacker News items,
// Reddit listings, CSV), together with Salesforce and HubSpot CRM exports
// and the ground truth an analytic can be scored against. docs/SIMULATOR.md
// describes the model, the files and the truth.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/status.h"
#include "sim/out_buffer.h"

namespace earshot::sim {

struct SimOptions {
  // The only source of randomness: the same seed (and options) give
  // byte-identical output.
  uint64_t seed = 1;
  // Mentions to write, counted over every format; the output holds exactly
  // this many (1 .. 2^40).
  int64_t mentions = 50'000;
  // Length of the simulated window in days (1 .. 3650), starting at start_ms.
  int days = 7;
  // Start of the window, ms since the epoch UTC. 2026-01-05T00:00:00Z, a Monday.
  int64_t start_ms = 1'767'571'200'000;
  // Output directory (created if missing). Required by Simulate().
  std::string out_dir;
  enum class Formats {
    kAll,    // every format, CRM exports and truth
    kXOnly,  // X v2 lines only (plus truth unless truth == kSkip): the load for benchmarks
  };
  Formats formats = Formats::kAll;
  enum class Truth { kWrite, kSkip };
  // kSkip leaves out truth/ (faster for pure load generation).
  Truth truth = Truth::kWrite;
  // An existing non-empty out_dir is an error unless this is set; then the
  // simulator's own sub-directories (x/, mastodon/, feeds/, hn/, reddit/,
  // csv/, crm/, truth/) are emptied first and nothing else is touched.
  bool overwrite = false;

  // ---- Scale knobs -------------------------------------------------------
  int competitors = 4;           // companies besides the vendor (3 .. 5)
  int products_per_company = 3;  // 2 .. 5
  int topics = 6;                // market topics (2 .. 8)
  // People in the world; 0 derives it from `mentions` (about 40 * sqrt(mentions),
  // 1,500 .. 80,000). More people spread activity thinner.
  int64_t people = 0;
  // CRM accounts (customer and prospect companies); 0 derives it from people.
  int64_t accounts = 0;
  // Languages people write in, from {en, de, fr, es, ja}; regions whose
  // language is left out are dropped. en is required.
  std::vector<std::string> languages = {"en", "de", "fr", "es", "ja"};
  // Long-term trend: volume grows by this fraction per year (0.25 = +25%).
  double yearly_growth = 0.25;
};

struct SimSummary {
  int64_t mentions = 0;
  // Records per output file, by path relative to out_dir ("x/2026-01-05.jsonl"):
  // mentions for mention files, rows for CRM files, lines for truth files.
  std::map<std::string, int64_t> per_file;
  // Mentions per channel name ("microblog", "blog", "news", "forum", ...).
  std::map<std::string, int64_t> per_channel;
  int64_t people = 0;
  int64_t contacts = 0;  // Salesforce plus HubSpot contact rows
  int64_t accounts = 0;
  int64_t events = 0;    // injected launches and incidents
  int64_t stories = 0;
  int64_t bytes = 0;     // bytes written, all files
  int64_t start_ms = 0;
  int64_t end_ms = 0;    // exclusive
};

// Returns OK when `opts` can be simulated, else InvalidArgument naming the
// field. `needs_out_dir` is false for WriteXStream.
Status ValidateOptions(const SimOptions& opts, bool needs_out_dir = true);

// Simulates the world of `opts` and writes every file under opts.out_dir.
// Streams: memory stays bounded by the world and the open cascades, not by
// `mentions`. Errors: InvalidArgument for bad options, FailedPrecondition
// for a non-empty out_dir without `overwrite`, IOError naming the file.
Result<SimSummary> Simulate(const SimOptions& opts);

// Writes the microblog stream of `opts` (every mention on X, no truth, no
// other format) as X API v2 filtered-stream JSON lines to `sink`: the fast
// path for load generation. opts.out_dir, formats and truth are ignored.
// Returns the summary (per_file is empty) or the sink's first error.
Result<SimSummary> WriteXStream(const SimOptions& opts, ByteSink& sink);

}  // namespace earshot::sim
