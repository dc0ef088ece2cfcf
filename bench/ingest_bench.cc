// Ingest throughput into store + word index, next to a bare FTS5 insert of
// the same texts, measured in one run on the same machine.
//
//   build/release/bench/ingest_bench [--mentions N] [--watches N] [--keep DIR]
//                                    [--input FILE] [--batch N]
//
// Generates N simulated X API v2 stream lines (not timed), then runs each
// contestant in its own child process so that each reports its own CPU
// time and peak memory:
//   earshot   parse (X connector) → normalize → dedupe by id → store rows + FTS5 index,
//             batched transactions, through the production IngestPipeline (enrichment off);
//   full      the same plus enrichment (language, sentiment, intent, stories) and
//             live matching of --watches N watches (default 10,000);
//   bare-fts5 INSERT of the same texts into a plain FTS5 table (unicode61),
//             4,096 per transaction: the ceiling for any FTS5-based store.
// --batch N sets the mentions per transaction of every contestant (default
// 4,096, the pipeline's). --input FILE reads that stream instead of
// generating one (the lines --mentions N would write; for repeated runs).
// --only NAME[,NAME] runs those contestants (one, to profile it). --bare-rowid-shift S gives
// the peer's rows explicit rowids (i + 1) << S, as sparse as time-ordered
// keys: FTS5 stores each posting's rowid as a delta from the one before, so
// sparse rowids make every posting longer (a diagnostic; 0, the default,
// lets SQLite number the rows densely).
// Mentions per CPU-second is the per-core figure (the pipeline's reader and
// writer threads may overlap on two cores; their CPU time is summed).
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/connector.h"
#include "core/hash.h"
#include "core/word_tokenizer.h"
#include "ingest/input_reader.h"
#include "pipeline/ingest_pipeline.h"
#include "sim/sim.h"
#include "store/store.h"

namespace {

using earshot::Mention;
using earshot::Status;

struct Outcome {
  int64_t mentions = 0;
  double wall_s = 0;
  double cpu_s = 0;
  int64_t peak_rss_kib = 0;
  int64_t disk_bytes = 0;
  int ok = 0;
};

double CpuSeconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

int64_t PeakRssKib() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

int64_t DirBytes(const std::string& dir) {
  int64_t total = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) total += static_cast<int64_t>(e.file_size());
  }
  return total;
}

// Runs `fn` in a child process and returns what it measured.
template <typename Fn>
Outcome InChild(Fn fn) {
  int fds[2];
  if (pipe(fds) != 0) return {};
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    Outcome o = fn();
    o.peak_rss_kib = PeakRssKib();
    ssize_t n = write(fds[1], &o, sizeof o);
    _exit(n == sizeof o ? 0 : 1);
  }
  close(fds[1]);
  Outcome o;
  if (read(fds[0], &o, sizeof o) != static_cast<ssize_t>(sizeof o)) o.ok = 0;
  close(fds[0]);
  waitpid(pid, nullptr, 0);
  return o;
}

// Collects the texts of a file through the X connector (untimed setup for the peer).
class TextCollector : public earshot::ingest::RecordSink {
 public:
  void OnMention(Mention m, const earshot::ingest::RecordRef&) override { texts.push_back(std::move(m.text)); }
  void OnReject(const earshot::ingest::RecordRef&, std::string, std::string_view) override {}
  void OnSkip(const earshot::ingest::RecordRef&, std::string) override {}
  std::vector<std::string> texts;
};

// Returns `n` watches drawn from the words of `texts`: single terms, two-word
// phrases, ORs and ANDs, as brand, product and topic watches look. Words
// come from below the 300 most frequent, as watch terms are names and
// topics, not "the" or "with".
std::vector<std::string> MakeWatches(const std::vector<std::string>& texts, int n) {
  std::map<std::string, int64_t> freq;
  for (size_t i = 0; i < texts.size(); i += 7) {
    earshot::WordTokens t;
    earshot::TokenizeWords(texts[i], t);
    for (const auto& w : t.tokens) {
      std::string_view f = t.Folded(w);
      if (f.size() >= 4) ++freq[std::string(f)];
    }
  }
  std::vector<std::pair<int64_t, std::string>> ranked;
  for (auto& [w, c] : freq) ranked.emplace_back(c, w);
  std::sort(ranked.rbegin(), ranked.rend());
  std::vector<std::string> words;
  for (size_t i = std::min<size_t>(300, ranked.size() / 2); i < ranked.size(); ++i) words.push_back(ranked[i].second);
  std::vector<std::string> out;
  uint64_t x = 42;
  auto pick = [&] {
    x = earshot::Mix64(x);
    return words[x % words.size()];
  };
  for (int i = 0; i < n && !words.empty(); ++i) {
    switch (i % 4) {
      case 0: out.push_back(pick()); break;
      case 1: out.push_back("\"" + pick() + " " + pick() + "\""); break;
      case 2: out.push_back(pick() + " OR " + pick() + " OR #" + pick()); break;
      default: out.push_back(pick() + " AND (" + pick() + " OR " + pick() + ") NOT " + pick()); break;
    }
  }
  return out;
}

Outcome RunEarshot(const std::string& file, const std::string& data_dir, bool enrich,
                   const std::vector<std::string>& watches, size_t batch) {
  std::filesystem::remove_all(data_dir);
  earshot::store::StoreOptions so;
  so.data_dir = data_dir;
  auto store = earshot::store::OpenStore(so);
  if (!store.ok()) return {};
  for (size_t i = 0; i < watches.size(); ++i) {
    std::string name(1, 'w');  // appended: GCC 12 warns falsely about "literal" + string
    name += std::to_string(i);
    if (!(*store)->AddWatch(name, watches[i], "").ok()) return {};
  }
  earshot::pipeline::IngestOptions po;
  po.processor.enrich = enrich;
  po.batch_size = batch;
  auto p = earshot::pipeline::IngestPipeline::Start(**store, po);
  if (!p.ok()) return {};
  double cpu0 = CpuSeconds();
  auto t0 = std::chrono::steady_clock::now();
  (*p)->IngestFile(file, {});
  auto report = (*p)->Finish();
  Outcome o;
  o.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  o.cpu_s = CpuSeconds() - cpu0;
  if (!report.ok() || report->rejected != 0) {
    std::fprintf(stderr, "earshot ingest failed or rejected records\n");
    return o;
  }
  o.mentions = report->stored;
  o.disk_bytes = DirBytes(data_dir);
  o.ok = 1;
  return o;
}

Outcome RunBareFts5(const std::string& file, const std::string& dir, int rowid_shift, size_t batch) {
  TextCollector texts;
  earshot::ingest::InputOptions in;
  if (!earshot::ingest::ReadInput(file, in, texts).ok()) return {};
  std::filesystem::create_directories(dir);
  std::string path = dir + "/bare.db";
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) return {};
  sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; CREATE VIRTUAL TABLE t USING fts5(text);",
               nullptr, nullptr, nullptr);
  sqlite3_stmt* ins = nullptr;
  sqlite3_prepare_v2(db, rowid_shift ? "INSERT INTO t(rowid, text) VALUES (?2, ?1)" : "INSERT INTO t(text) VALUES (?1)",
                     -1, &ins, nullptr);
  double cpu0 = CpuSeconds();
  auto t0 = std::chrono::steady_clock::now();
  Outcome o;
  for (size_t i = 0; i < texts.texts.size(); ++i) {
    if (i % batch == 0) sqlite3_exec(db, i ? "COMMIT; BEGIN" : "BEGIN", nullptr, nullptr, nullptr);
    const std::string& t = texts.texts[i];
    sqlite3_bind_text(ins, 1, t.data(), static_cast<int>(t.size()), SQLITE_STATIC);
    if (rowid_shift) sqlite3_bind_int64(ins, 2, static_cast<int64_t>(i + 1) << rowid_shift);
    if (sqlite3_step(ins) != SQLITE_DONE) return {};
    sqlite3_reset(ins);
  }
  sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
  o.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  o.cpu_s = CpuSeconds() - cpu0;
  sqlite3_finalize(ins);
  sqlite3_close(db);
  o.mentions = static_cast<int64_t>(texts.texts.size());
  o.disk_bytes = DirBytes(dir);
  o.ok = 1;
  return o;
}

void Print(const char* name, const Outcome& o) {
  std::printf("%-10s %10lld %9.2f %12.0f %9.2f %14.0f %10.1f %10.1f\n", name, static_cast<long long>(o.mentions),
              o.wall_s, o.mentions / o.wall_s, o.cpu_s, o.mentions / o.cpu_s, o.peak_rss_kib / 1024.0,
              o.disk_bytes / 1048576.0);
}

}  // namespace

int main(int argc, char** argv) {
  int64_t mentions = 1'000'000;
  int num_watches = 10'000;
  std::string keep;
  std::string only;  // run just this contestant (for profiling)
  int rowid_shift = 0;
  size_t batch = 4096;
  std::string input;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--mentions") && i + 1 < argc) mentions = std::atoll(argv[++i]);
    else if (!std::strcmp(argv[i], "--keep") && i + 1 < argc) keep = argv[++i];
    else if (!std::strcmp(argv[i], "--watches") && i + 1 < argc) num_watches = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--only") && i + 1 < argc) only = argv[++i];
    else if (!std::strcmp(argv[i], "--input") && i + 1 < argc) input = argv[++i];
    else if (!std::strcmp(argv[i], "--batch") && i + 1 < argc) batch = std::max<size_t>(1, std::strtoull(argv[++i], nullptr, 10));
    else if (!std::strcmp(argv[i], "--bare-rowid-shift") && i + 1 < argc) rowid_shift = std::clamp(std::atoi(argv[++i]), 0, 40);
    else {
      std::fprintf(stderr, "usage: ingest_bench [--mentions N] [--watches N] [--keep DATA_DIR] [--only bare-fts5|earshot|full[,...]] "
                           "[--bare-rowid-shift S] [--input FILE] [--batch N]\n");
      return 2;
    }
  }
  std::string tmp = std::filesystem::temp_directory_path() / ("earshot-ingest-bench-" + std::to_string(getpid()));
  std::filesystem::create_directories(tmp);
  std::string file = input.empty() ? tmp + "/x.jsonl" : input;
  if (input.empty()) {
    earshot::sim::SimOptions so;
    so.mentions = mentions;
    so.days = 30;
    so.seed = 42;
    auto sink = earshot::sim::FileSink::Open(file);
    if (!sink.ok()) return 1;
    auto r = earshot::sim::WriteXStream(so, **sink);
    if (!r.ok() || !(*sink)->Close().ok()) {
      std::fprintf(stderr, "generation failed: %s\n", r.status().ToString().c_str());
      return 1;
    }
  }
  std::error_code size_ec;
  const auto file_bytes = std::filesystem::file_size(file, size_ec);
  if (size_ec) {
    std::fprintf(stderr, "%s: %s\n", file.c_str(), size_ec.message().c_str());
    return 1;
  }
  if (input.empty()) {
    std::printf("input: %lld simulated X API v2 stream lines, %.1f MB\n", static_cast<long long>(mentions),
                file_bytes / 1048576.0);
  } else {
    std::printf("input: %s, %.1f MB\n", file.c_str(), file_bytes / 1048576.0);
  }
  std::printf("mentions per transaction: %zu\n", batch);
  std::string data_dir = keep.empty() ? tmp + "/data" : keep;
  std::vector<std::string> watches;
  if (only.empty() || only.find("full") != std::string::npos) {
    TextCollector texts;
    if (!earshot::ingest::ReadInput(file, {}, texts).ok()) return 1;
    watches = MakeWatches(texts.texts, num_watches);
  }
  // --only takes one name or several, comma-separated ("bare-fts5,earshot").
  auto runs = [&](std::string_view name) {
    if (only.empty()) return true;
    for (size_t pos = 0; pos <= only.size();) {
      size_t end = std::min(only.find(',', pos), only.size());
      if (std::string_view(only).substr(pos, end - pos) == name) return true;
      pos = end + 1;
    }
    return false;
  };
  Outcome bare, ours, full;
  if (runs("bare-fts5")) bare = InChild([&] { return RunBareFts5(file, tmp + "/bare", rowid_shift, batch); });
  if (runs("earshot")) ours = InChild([&] { return RunEarshot(file, tmp + "/core", /*enrich=*/false, {}, batch); });
  if (runs("full")) full = InChild([&] { return RunEarshot(file, data_dir, /*enrich=*/true, watches, batch); });
  std::printf("%-10s %10s %9s %12s %9s %14s %10s %10s\n", "run", "mentions", "wall s", "mentions/s", "cpu s",
              "mentions/cpu-s", "peak MiB", "disk MiB");
  Print("bare-fts5", bare);
  Print("earshot", ours);
  Print("full", full);
  std::printf("full = enrich (language, sentiment, intent, stories) + live matching of %d watches\n", num_watches);
  if (bare.ok && ours.ok) {
    std::printf("earshot / bare FTS5 (per CPU-second): %.2f\n", (ours.mentions / ours.cpu_s) / (bare.mentions / bare.cpu_s));
  }
  std::error_code ec;
  std::filesystem::remove_all(tmp, ec);
  return (bare.ok || !runs("bare-fts5")) && (ours.ok || !runs("earshot")) && (full.ok || !runs("full")) ? 0 : 1;
}
