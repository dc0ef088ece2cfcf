// Live spike alerts: once a minute, each watch's hourly volume and
// sentiment (from the rollups) run through the spike detector; a spike
// confirmed in the last hours is published to the live stream once, so the
// experts on a watch hear of an outage or a launch as it happens.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/status.h"
#include "store/store.h"

namespace earshot::server {

struct AlertOptions {
  int64_t interval_ms = 60'000;  // how often to look
  int history_days = 35;         // hours fed to the detector before now (warm-up)
  // Only spikes detected this recently alert: a restart does not replay
  // old ones, and history ingested late does not either.
  int64_t fresh_ms = 3 * 3600'000;
};

// The alert event's data: {"type":"spike","watch","watch_id","signal",
// "start","detected_at","observed","expected","peak_count","reason"}.
using AlertSink = std::function<void(int64_t watch_id, nlohmann::json alert)>;

// Checks every watch once at `now_ms` and calls `sink` for each fresh
// spike not alerted before (`alerted` maps watch id → the last alerted
// detection time, updated).
Status CheckSpikes(store::Store& store, int64_t now_ms, const AlertOptions& options,
                   std::map<int64_t, int64_t>& alerted, const AlertSink& sink);

// Runs CheckSpikes on a thread until destroyed.
class AlertMonitor {
 public:
  AlertMonitor(std::string data_dir, AlertOptions options, AlertSink sink);
  ~AlertMonitor();
  AlertMonitor(const AlertMonitor&) = delete;
  AlertMonitor& operator=(const AlertMonitor&) = delete;
  void Stop();

 private:
  void Loop();
  std::string data_dir_;
  AlertOptions options_;
  AlertSink sink_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace earshot::server
