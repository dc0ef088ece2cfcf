// Live spike alerts: a burst in a watch's recent hours alerts once; old
// spikes and quiet watches do not.
#include "server/alerts.h"

#include <gtest/gtest.h>

#include "analytics/series.h"
#include "testutil.h"

namespace earshot::server {
namespace {

using analytics::kHourMs;

class AlertsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store::StoreOptions so;
    so.data_dir = dir_.str();
    auto s = store::OpenStore(so);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    auto w = store_->AddWatch("Nimbus", "nimbus", "market");
    ASSERT_TRUE(w.ok());
    watch_id_ = w->id;
    auto quiet = store_->AddWatch("Quiet", "quiet", "");
    ASSERT_TRUE(quiet.ok());
  }
  // Writes `n` mentions of the watch in the hour starting at `hour_ms`.
  void Hour(int64_t hour_ms, int n) {
    std::vector<Mention> batch;
    for (int i = 0; i < n; ++i) {
      Mention m;
      m.source = "x";
      m.external_id = std::to_string(hour_ms) + "-" + std::to_string(i);
      m.id = MakeMentionId(m.source, m.external_id);
      m.text = "nimbus is down again";
      m.created_at_ms = hour_ms + i * (kHourMs / (n + 1));
      WatchMatch wm;
      wm.watch_id = watch_id_;
      m.watches.push_back(wm);
      batch.push_back(std::move(m));
    }
    ASSERT_TRUE(store_->WriteBatch(batch).ok());
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  int64_t watch_id_ = 0;
};

TEST_F(AlertsTest, BurstInRecentHoursAlertsOnce) {
  const int64_t end = 1'767'225'600'000;  // 2026-01-01T00:00Z, an hour boundary
  const int days = 30;
  for (int64_t h = end - days * 24 * kHourMs; h < end - 4 * kHourMs; h += kHourMs) Hour(h, 4 + (h / kHourMs) % 3);
  for (int64_t h = end - 4 * kHourMs; h < end; h += kHourMs) Hour(h, 80);

  std::map<int64_t, int64_t> alerted;
  std::vector<nlohmann::json> alerts;
  auto sink = [&](int64_t id, nlohmann::json a) {
    EXPECT_EQ(id, watch_id_);
    alerts.push_back(std::move(a));
  };
  AlertOptions opts;
  ASSERT_TRUE(CheckSpikes(*store_, end + 60'000, opts, alerted, sink).ok());
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0]["type"], "spike");
  EXPECT_EQ(alerts[0]["watch"], "Nimbus");
  EXPECT_EQ(alerts[0]["signal"], "up");
  EXPECT_GE(alerts[0]["peak_count"].get<int64_t>(), 80);

  // The next check finds the same spike and stays silent.
  ASSERT_TRUE(CheckSpikes(*store_, end + 120'000, opts, alerted, sink).ok());
  EXPECT_EQ(alerts.size(), 1u);
}

TEST_F(AlertsTest, OldSpikesDoNotAlert) {
  const int64_t end = 1'767'225'600'000;
  for (int64_t h = end - 30 * 24 * kHourMs; h < end - 4 * kHourMs; h += kHourMs) Hour(h, 5);
  for (int64_t h = end - 4 * kHourMs; h < end; h += kHourMs) Hour(h, 80);
  std::map<int64_t, int64_t> alerted;
  int calls = 0;
  // A day later (a restart, or history ingested late): the spike is stale.
  ASSERT_TRUE(CheckSpikes(*store_, end + 24 * kHourMs, AlertOptions{}, alerted,
                          [&](int64_t, nlohmann::json) { ++calls; })
                  .ok());
  EXPECT_EQ(calls, 0);
}

TEST_F(AlertsTest, SteadyVolumeDoesNotAlert) {
  const int64_t end = 1'767'225'600'000;
  for (int64_t h = end - 30 * 24 * kHourMs; h < end; h += kHourMs) Hour(h, 5);
  std::map<int64_t, int64_t> alerted;
  int calls = 0;
  ASSERT_TRUE(
      CheckSpikes(*store_, end + 60'000, AlertOptions{}, alerted, [&](int64_t, nlohmann::json) { ++calls; }).ok());
  EXPECT_EQ(calls, 0);
}

}  // namespace
}  // namespace earshot::server
