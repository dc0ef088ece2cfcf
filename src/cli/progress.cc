#include "cli/progress.h"

#include <unistd.h>

#include <cstdio>

#include "cli/output.h"

namespace earshot::cli {

Progress::Progress(bool enabled, std::string label, std::function<ProgressSample()> sample)
    : enabled_(enabled), label_(std::move(label)), sample_(std::move(sample)), start_(std::chrono::steady_clock::now()) {
  if (enabled_) thread_ = std::thread([this] { Run(); });
}

Progress::~Progress() {
  if (!enabled_) return;
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
}

bool Progress::ShouldShow(bool json) { return !json && ::isatty(STDERR_FILENO); }

void Progress::Run() {
  std::unique_lock lock(mu_);
  while (!cv_.wait_for(lock, std::chrono::milliseconds(250), [&] { return stop_; })) Draw(false);
}

void Progress::Draw(bool) {
  ProgressSample s = sample_();
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  double rate = secs > 0 ? s.records / secs : 0;
  std::string line = label_ + " " + Thousands(s.records) + " records  " + Thousands(static_cast<int64_t>(rate)) + "/s";
  if (s.bytes_total > 0 && s.bytes_done > 0) {
    double frac = std::min(1.0, static_cast<double>(s.bytes_done) / static_cast<double>(s.bytes_total));
    int64_t eta = frac > 0 ? static_cast<int64_t>(secs / frac - secs) : 0;
    char buf[64];
    std::snprintf(buf, sizeof buf, "  %3.0f%%  ETA %lld:%02lld", frac * 100, static_cast<long long>(eta / 60),
                  static_cast<long long>(eta % 60));
    line += buf;
  }
  std::fprintf(stderr, "\r\033[K%s", line.c_str());
  std::fflush(stderr);
}

}  // namespace earshot::cli
