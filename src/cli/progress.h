// Progress on stderr for long-running commands: records, rate and ETA,
// redrawn in place. Shown only when stderr is a terminal and the output is
// not --json.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace earshot::cli {

struct ProgressSample {
  int64_t records = 0;
  int64_t bytes_done = 0;
  int64_t bytes_total = -1;  // -1: unknown, no ETA
};

class Progress {
 public:
  // Starts redrawing every 250 ms from `sample` when `enabled`; otherwise does nothing.
  Progress(bool enabled, std::string label, std::function<ProgressSample()> sample);
  // Stops and clears the line.
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // Returns whether progress should show: stderr is a TTY and not `json`.
  static bool ShouldShow(bool json);

 private:
  void Run();
  void Draw(bool final);

  bool enabled_;
  std::string label_;
  std::function<ProgressSample()> sample_;
  std::chrono::steady_clock::time_point start_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace earshot::cli
