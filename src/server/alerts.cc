#include "server/alerts.h"

#include <chrono>
#include <iostream>
#include <map>
#include <vector>

#include "analytics/rollup_query.h"
#include "analytics/spikes.h"
#include "core/time.h"

namespace earshot::server {
namespace {

nlohmann::json AlertJson(const store::Watch& w, const analytics::Spike& s) {
  std::string signal(analytics::SpikeDirectionName(s.signal));
  char reason[200];
  if (s.signal == analytics::SpikeSignal::kVolume) {
    std::snprintf(reason, sizeof reason, "%lld mentions in the peak hour against about %.0f expected",
                  static_cast<long long>(s.peak_count), s.peak_expected);
  } else {
    std::snprintf(reason, sizeof reason, "%lld of %lld mentions %s in the peak hour against about %.0f expected",
                  static_cast<long long>(s.peak_count), static_cast<long long>(s.peak_mentions), signal.c_str(),
                  s.peak_expected);
  }
  return {{"type", "spike"},
          {"watch", w.name},
          {"watch_id", w.id},
          {"signal", signal},
          {"start", FormatRfc3339(s.start_ms)},
          {"detected_at", FormatRfc3339(s.detected_at_ms)},
          {"observed", s.observed},
          {"expected", s.expected},
          {"peak_count", s.peak_count},
          {"reason", reason}};
}

}  // namespace

Status CheckSpikes(store::Store& store, int64_t now_ms, const AlertOptions& options,
                   std::map<int64_t, int64_t>& alerted, const AlertSink& sink) {
  EARSHOT_ASSIGN_OR_RETURN(std::vector<store::Watch> watches, store.ListWatches());
  // Complete hours only: a partial hour would look like a dip.
  int64_t end = now_ms / analytics::kHourMs * analytics::kHourMs;
  analytics::TimeRange range{end - int64_t{options.history_days} * 24 * analytics::kHourMs, end};
  std::vector<int64_t> ids;
  std::map<int64_t, const store::Watch*> by_id;
  for (const store::Watch& w : watches) {
    ids.push_back(w.id);
    by_id[w.id] = &w;
  }
  return analytics::ForEachWatchSeries(
      store, ids, range, analytics::Grain::kHour, {}, [&](int64_t id, analytics::Series& hourly) -> Status {
        EARSHOT_ASSIGN_OR_RETURN(analytics::SpikeDetector detector, analytics::SpikeDetector::Create({}));
        int64_t& last = alerted[id];
        for (const analytics::Bucket& b : hourly.buckets) {
          EARSHOT_ASSIGN_OR_RETURN(analytics::SpikeAlerts a, detector.Push(b));
          for (const analytics::Spike& s : a.opened) {
            if (s.detected_at_ms <= last || s.detected_at_ms < now_ms - options.fresh_ms) continue;
            last = s.detected_at_ms;
            sink(id, AlertJson(*by_id[id], s));
          }
        }
        return Status::Ok();
      });
}

AlertMonitor::AlertMonitor(std::string data_dir, AlertOptions options, AlertSink sink)
    : data_dir_(std::move(data_dir)), options_(options), sink_(std::move(sink)) {
  thread_ = std::thread([this] { Loop(); });
}

AlertMonitor::~AlertMonitor() { Stop(); }

void AlertMonitor::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void AlertMonitor::Loop() {
  std::map<int64_t, int64_t> alerted;
  std::unique_ptr<store::Store> store;
  std::unique_lock lock(mu_);
  while (!stop_) {
    lock.unlock();
    if (!store) {
      store::StoreOptions so;
      so.data_dir = data_dir_;
      so.read_only = true;
      so.cache_mib = 8;
      if (Result<std::unique_ptr<store::Store>> s = store::OpenStore(so); s.ok()) store = std::move(*s);
    }
    if (store) {
      Status st = CheckSpikes(*store, NowMs(), options_, alerted, sink_);
      if (!st.ok()) std::cerr << "earshot serve: spike alerts: " << st.message() << "\n";
    }
    lock.lock();
    cv_.wait_for(lock, std::chrono::milliseconds(options_.interval_ms), [&] { return stop_; });
  }
}

}  // namespace earshot::server
