// Entry points of the simulator: option checks, the output directory, and
// the two runs (every format to a directory, or X lines to a sink).
#include <algorithm>
#include <filesystem>
#include <system_error>

#include "sim/process.h"
#include "sim/sim.h"
#include "sim/text.h"
#include "sim/world.h"
#include "sim/writers.h"

namespace earshot::sim {
namespace {

constexpr int64_t kDayMs = 86'400'000;
constexpr int64_t kEarliestStartMs = 1'300'000'000'000;  // 2011-03-13: X snowflake ids need a later date
constexpr int64_t kLatestEndMs = 7'258'118'400'000;      // 2200-01-01
constexpr const char* kOwnDirs[] = {"x", "mastodon", "feeds", "hn", "reddit", "csv", "crm", "truth"};

Status Invalid(std::string_view field, std::string_view why) {
  return Status::InvalidArgument("simulate option " + std::string(field) + ": " + std::string(why));
}

Status PrepareOutDir(const SimOptions& opts) {
  namespace fs = std::filesystem;
  const fs::path root(opts.out_dir);
  std::error_code ec;
  if (fs::exists(root, ec)) {
    if (!fs::is_directory(root, ec)) return Status::FailedPrecondition(opts.out_dir + ": exists and is not a directory");
    const bool empty = fs::directory_iterator(root, ec) == fs::directory_iterator();
    if (ec) return Status::IOError(opts.out_dir + ": cannot list: " + ec.message());
    if (!empty && !opts.overwrite) {
      return Status::FailedPrecondition(opts.out_dir + ": directory is not empty (set overwrite to replace an earlier run)");
    }
    if (opts.overwrite) {
      for (const char* dir : kOwnDirs) {
        fs::remove_all(root / dir, ec);
        if (ec) return Status::IOError((root / dir).string() + ": cannot remove: " + ec.message());
      }
    }
  }
  fs::create_directories(root, ec);
  if (ec) return Status::IOError(opts.out_dir + ": cannot create directory: " + ec.message());
  return Status::Ok();
}

ProcessOptions ProcessOptionsFor(const SimOptions& opts, bool x_only, bool make_ids) {
  return {.mentions = opts.mentions,
          .start_ms = opts.start_ms,
          .end_ms = opts.start_ms + static_cast<int64_t>(opts.days) * kDayMs,
          .yearly_growth = opts.yearly_growth,
          .x_only = x_only,
          .make_ids = make_ids};
}

SimSummary BaseSummary(const SimOptions& opts, const World& w, const ProcessStats& stats) {
  SimSummary s;
  s.mentions = stats.emitted;
  s.people = static_cast<int64_t>(w.people.size());
  s.accounts = static_cast<int64_t>(w.accounts.size());
  s.events = static_cast<int64_t>(w.events.size());
  s.stories = stats.stories;
  s.start_ms = opts.start_ms;
  s.end_ms = opts.start_ms + static_cast<int64_t>(opts.days) * kDayMs;
  return s;
}

// Formats every emission as an X stream line into a sink.
class XStreamSink final : public EmissionSink {
 public:
  XStreamSink(const World& w, ByteSink& sink) : w_(w), writer_(sink) {}
  void OnEmission(const Emission& e) override {
    FormatXLine(w_, e, writer_.buf());
    writer_.MaybeFlush();
  }
  bool ok() const override { return writer_.status().ok(); }
  BufferedWriter& writer() { return writer_; }

 private:
  const World& w_;
  BufferedWriter writer_;
};

}  // namespace

Status ValidateOptions(const SimOptions& opts, bool needs_out_dir) {
  if (opts.mentions < 1 || opts.mentions > (int64_t{1} << 40)) return Invalid("mentions", "must be in 1 .. 2^40");
  if (opts.days < 1 || opts.days > 3650) return Invalid("days", "must be in 1 .. 3650");
  if (opts.start_ms < kEarliestStartMs ||
      opts.start_ms + static_cast<int64_t>(opts.days) * kDayMs > kLatestEndMs) {
    return Invalid("start_ms", "the window must lie between 2011-03-13 and 2200-01-01");
  }
  if (needs_out_dir && opts.out_dir.empty()) return Invalid("out_dir", "required");
  if (opts.competitors < 3 || opts.competitors > 5) return Invalid("competitors", "must be in 3 .. 5");
  if (opts.products_per_company < 2 || opts.products_per_company > 5) {
    return Invalid("products_per_company", "must be in 2 .. 5");
  }
  if (opts.topics < 2 || opts.topics > 8) return Invalid("topics", "must be in 2 .. 8");
  if (opts.people != 0 && (opts.people < 200 || opts.people > 2'000'000)) {
    return Invalid("people", "must be 0 (derived) or in 200 .. 2,000,000");
  }
  if (opts.accounts != 0 && (opts.accounts < 10 || opts.accounts > 200'000)) {
    return Invalid("accounts", "must be 0 (derived) or in 10 .. 200,000");
  }
  if (!(opts.yearly_growth > -0.9 && opts.yearly_growth < 10)) return Invalid("yearly_growth", "must be in (-0.9, 10)");
  bool english = false;
  for (const std::string& l : opts.languages) {
    if (l != "en" && l != "de" && l != "fr" && l != "es" && l != "ja") {
      return Invalid("languages", "unknown language \"" + l + "\" (known: en, de, fr, es, ja)");
    }
    english |= (l == "en");
  }
  if (!english) return Invalid("languages", "must include en");
  return Status::Ok();
}

Result<SimSummary> Simulate(const SimOptions& opts) {
  EARSHOT_RETURN_IF_ERROR(ValidateOptions(opts));
  EARSHOT_RETURN_IF_ERROR(PrepareOutDir(opts));
  const World world = BuildWorld(opts);
  const TextGenerator text(world);
  const bool all = opts.formats == SimOptions::Formats::kAll;
  const bool truth = opts.truth == SimOptions::Truth::kWrite;
  Outputs out(opts.out_dir);
  int64_t contacts = 0;
  if (all) contacts = WriteCrm(world, opts.seed, opts.start_ms, out);
  if (truth) WriteWorldTruth(world, out);
  ProcessStats stats;
  std::map<std::string, int64_t> per_channel;
  {
    const ProcessOptions po = ProcessOptionsFor(opts, !all, truth);
    Dispatcher dispatcher(world, out, {.truth = truth, .start_ms = po.start_ms, .end_ms = po.end_ms});
    stats = RunProcess(world, text, opts.seed, po, dispatcher);
    dispatcher.Finish();
    per_channel = dispatcher.per_channel();
  }
  if (!out.ok()) return out.status();
  SimSummary s = BaseSummary(opts, world, stats);
  s.per_file = out.per_file();
  s.per_channel = std::move(per_channel);
  s.contacts = contacts;
  s.bytes = out.bytes();
  return s;
}

Result<SimSummary> WriteXStream(const SimOptions& opts, ByteSink& sink) {
  EARSHOT_RETURN_IF_ERROR(ValidateOptions(opts, /*needs_out_dir=*/false));
  const World world = BuildWorld(opts);
  const TextGenerator text(world);
  XStreamSink x(world, sink);
  const ProcessStats stats = RunProcess(world, text, opts.seed, ProcessOptionsFor(opts, true, false), x);
  x.writer().Flush();
  if (!x.writer().status().ok()) return x.writer().status();
  SimSummary s = BaseSummary(opts, world, stats);
  s.per_channel["microblog"] = stats.emitted;
  s.bytes = x.writer().bytes_written();
  return s;
}

}  // namespace earshot::sim
