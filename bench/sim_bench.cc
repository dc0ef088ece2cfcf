// Simulator throughput, items/s (mentions).
//
//   BM_XStreamToFile     the load-generation fast path: X API v2 stream lines
//                        into a file (the figure: >= 1,000,000/s per core)
//   BM_XStreamToNull     the same without the file: generation alone
//   BM_RawWriteToFile    the peer: writing the same bytes, already generated,
//                        to the same file system; the ceiling for the first
//   BM_SimulateDemoWorld every format, CRM and truth for the demo's small world
//
// Rates use the benchmark thread's CPU time (user + system), i.e. per core;
// the *_RealTime variants divide by wall time. Each run checks its output
// (line count, byte count) before its time is trusted. Files go to the
// temporary directory: run with TMPDIR=/dev/shm to take the disk's file
// system out of the measurement (docs/SIMULATOR.md records both).
#include <benchmark/benchmark.h>

#include <cstring>
#include <filesystem>
#include <random>
#include <string>

#include "sim/sim.h"

namespace {

namespace fs = std::filesystem;
using earshot::Status;
using earshot::sim::ByteSink;
using earshot::sim::FileSink;
using earshot::sim::SimOptions;
using earshot::sim::SimSummary;

std::string TempPath(const std::string& name) {
  return (fs::temp_directory_path() / ("earshot-sim-bench-" + std::to_string(std::random_device{}()) + "-" + name))
      .string();
}

SimOptions StreamOptions(int64_t mentions) {
  SimOptions o;
  o.mentions = mentions;
  o.days = 30;
  o.seed = 42;
  return o;
}

// Counts the bytes and lines it is given, and keeps nothing.
class NullSink final : public ByteSink {
 public:
  Status Write(std::string_view bytes) override {
    bytes_ += static_cast<int64_t>(bytes.size());
    const char* p = bytes.data();
    const char* end = p + bytes.size();
    while ((p = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)))) != nullptr) {
      ++lines_;
      ++p;
    }
    return Status::Ok();
  }
  int64_t bytes_ = 0;
  int64_t lines_ = 0;
};

void BM_XStreamToFile(benchmark::State& state) {
  const int64_t mentions = state.range(0);
  const std::string path = TempPath("x.jsonl");
  int64_t bytes = 0;
  for (auto _ : state) {
    auto sink = FileSink::Open(path);
    if (!sink.ok()) {
      state.SkipWithError(sink.status().ToString().c_str());
      return;
    }
    earshot::Result<SimSummary> r = earshot::sim::WriteXStream(StreamOptions(mentions), **sink);
    const Status closed = (*sink)->Close();
    if (!r.ok() || !closed.ok() || r->mentions != mentions ||
        static_cast<int64_t>(fs::file_size(path)) != r->bytes) {
      state.SkipWithError("generation failed or wrote the wrong amount");
      return;
    }
    bytes = r->bytes;
  }
  fs::remove(path);
  state.SetItemsProcessed(state.iterations() * mentions);
  state.SetBytesProcessed(state.iterations() * bytes);
  state.counters["bytes_per_mention"] = static_cast<double>(bytes) / static_cast<double>(mentions);
}
BENCHMARK(BM_XStreamToFile)->Arg(1'000'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_XStreamToFile)->Name("BM_XStreamToFile_RealTime")->Arg(1'000'000)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_XStreamToNull(benchmark::State& state) {
  const int64_t mentions = state.range(0);
  for (auto _ : state) {
    NullSink sink;
    earshot::Result<SimSummary> r = earshot::sim::WriteXStream(StreamOptions(mentions), sink);
    if (!r.ok() || sink.lines_ != mentions) {
      state.SkipWithError("generation failed or wrote the wrong number of lines");
      return;
    }
  }
  state.SetItemsProcessed(state.iterations() * mentions);
}
BENCHMARK(BM_XStreamToNull)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

// The peer: the same bytes, generated beforehand, written to the same place
// in 1 MiB writes, as the simulator's buffered writer does.
void BM_RawWriteToFile(benchmark::State& state) {
  const int64_t mentions = state.range(0);
  struct Capture final : ByteSink {
    Status Write(std::string_view bytes) override {
      data.append(bytes);
      return Status::Ok();
    }
    std::string data;
  } capture;
  if (!earshot::sim::WriteXStream(StreamOptions(mentions), capture).ok()) {
    state.SkipWithError("generation failed");
    return;
  }
  const std::string path = TempPath("raw.jsonl");
  for (auto _ : state) {
    auto sink = FileSink::Open(path);
    if (!sink.ok()) {
      state.SkipWithError(sink.status().ToString().c_str());
      return;
    }
    std::string_view rest = capture.data;
    while (!rest.empty()) {
      const size_t n = std::min<size_t>(rest.size(), 1 << 20);
      if (!(*sink)->Write(rest.substr(0, n)).ok()) state.SkipWithError("write failed");
      rest.remove_prefix(n);
    }
    if (!(*sink)->Close().ok()) state.SkipWithError("close failed");
  }
  fs::remove(path);
  state.SetItemsProcessed(state.iterations() * mentions);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(capture.data.size()));
}
BENCHMARK(BM_RawWriteToFile)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

// The demo's world: 30,000 mentions over 5 days in every format.
void BM_SimulateDemoWorld(benchmark::State& state) {
  const std::string dir = TempPath("demo");
  for (auto _ : state) {
    SimOptions o;
    o.mentions = state.range(0);
    o.days = 5;
    o.out_dir = dir;
    o.overwrite = true;
    earshot::Result<SimSummary> r = earshot::sim::Simulate(o);
    if (!r.ok() || r->mentions != o.mentions) {
      state.SkipWithError(r.ok() ? "wrong mention count" : r.status().ToString().c_str());
      break;
    }
  }
  fs::remove_all(dir);
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_SimulateDemoWorld)->Arg(30'000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
