#include "server/metrics.h"

#include <cmath>
#include <cstdio>

namespace earshot::server {
namespace {

std::string Num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

// Label values are route patterns of our own, but escape as the format says.
std::string LabelValue(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

void Histogram::Observe(double seconds) {
  size_t i = 0;
  while (i < kLatencyBuckets.size() && seconds > kLatencyBuckets[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_micros_.fetch_add(static_cast<int64_t>(std::llround(seconds * 1e6)), std::memory_order_relaxed);
}

void Histogram::Render(const std::string& name, const std::string& labels, std::string& out) const {
  int64_t cumulative = 0;
  std::string sep = labels.empty() ? "" : labels + ",";
  for (size_t i = 0; i <= kLatencyBuckets.size(); ++i) {
    cumulative += buckets_[i].load(std::memory_order_relaxed);
    std::string le = i < kLatencyBuckets.size() ? Num(kLatencyBuckets[i]) : "+Inf";
    out += name + "_bucket{" + sep + "le=\"" + le + "\"} " + std::to_string(cumulative) + "\n";
  }
  std::string braces = labels.empty() ? "" : "{" + labels + "}";
  out += name + "_sum" + braces + " " + Num(static_cast<double>(sum_micros_.load(std::memory_order_relaxed)) / 1e6) +
         "\n";
  out += name + "_count" + braces + " " + std::to_string(count_.load(std::memory_order_relaxed)) + "\n";
}

double Histogram::Quantile(double q) const {
  int64_t total = count_.load(std::memory_order_relaxed);
  if (total == 0) return 0;
  int64_t need = static_cast<int64_t>(std::ceil(q * static_cast<double>(total)));
  int64_t cumulative = 0;
  for (size_t i = 0; i < kLatencyBuckets.size(); ++i) {
    cumulative += buckets_[i].load(std::memory_order_relaxed);
    if (cumulative >= need) return kLatencyBuckets[i];
  }
  return -1;
}

void Metrics::ObserveRequest(const std::string& route, int status, double seconds) {
  Histogram* h = nullptr;
  {
    std::lock_guard lock(mu_);
    auto& slot = request_latency_[route];
    if (!slot) slot = std::make_unique<Histogram>();
    h = slot.get();
    ++requests_[{route, status}];
  }
  h->Observe(seconds);
}

void Metrics::AddGauge(std::string name, std::string help, std::string type, std::function<double()> read) {
  std::lock_guard lock(mu_);
  gauges_.push_back({std::move(name), std::move(help), std::move(type), std::move(read)});
}

std::string Metrics::Render() const {
  std::string out;
  std::lock_guard lock(mu_);
  for (const Gauge& g : gauges_) {
    out += "# HELP " + g.name + " " + g.help + "\n# TYPE " + g.name + " " + g.type + "\n";
    out += g.name + " " + Num(g.read()) + "\n";
  }
  out +=
      "# HELP earshot_match_latency_seconds Time from a mention's arrival to its commit, enriched and matched.\n"
      "# TYPE earshot_match_latency_seconds histogram\n";
  match_latency_.Render("earshot_match_latency_seconds", "", out);
  out +=
      "# HELP earshot_http_request_duration_seconds HTTP request latency by route.\n"
      "# TYPE earshot_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : request_latency_) {
    h->Render("earshot_http_request_duration_seconds", "route=\"" + LabelValue(route) + "\"", out);
  }
  out +=
      "# HELP earshot_http_requests_total HTTP requests by route and status.\n"
      "# TYPE earshot_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    out += "earshot_http_requests_total{route=\"" + LabelValue(key.first) + "\",status=\"" +
           std::to_string(key.second) + "\"} " + std::to_string(n) + "\n";
  }
  return out;
}

}  // namespace earshot::server
