// Prometheus text-format metrics: counters and histograms with fixed
// buckets, updated lock-free on the hot path (atomics), rendered on
// /metrics.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace earshot::server {

// Latency buckets in seconds, 1 ms to 10 s.
inline constexpr std::array<double, 14> kLatencyBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                           0.25,  0.5,    1,     2.5,  5,    10,  30};

class Histogram {
 public:
  void Observe(double seconds);
  // Appends the series of `name` with `labels` ("route=\"/x\"" or "").
  void Render(const std::string& name, const std::string& labels, std::string& out) const;
  // Returns the smallest bucket bound under which `q` of observations fall
  // (+Inf as -1); for tests and the benchmark's summary.
  double Quantile(double q) const;
  int64_t count() const { return count_.load(std::memory_order_relaxed); }

 private:
  std::array<std::atomic<int64_t>, kLatencyBuckets.size() + 1> buckets_{};  // last: +Inf
  std::atomic<int64_t> count_{0};
  std::atomic<int64_t> sum_micros_{0};
};

class Metrics {
 public:
  // Request latency and count by route pattern and status code.
  void ObserveRequest(const std::string& route, int status, double seconds);
  // Time from a mention's arrival to its commit with watch matches.
  Histogram& match_latency() { return match_latency_; }
  // Values read at render time (ingest totals, queue depth, SSE clients).
  void AddGauge(std::string name, std::string help, std::string type, std::function<double()> read);

  std::string Render() const;

 private:
  Histogram match_latency_;
  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<Histogram>> request_latency_;  // by route
  std::map<std::pair<std::string, int>, int64_t> requests_;            // (route, status)
  struct Gauge {
    std::string name, help, type;
    std::function<double()> read;
  };
  std::vector<Gauge> gauges_;
};

}  // namespace earshot::server
