// Spike detection: exact behaviour on hand-made hourly series (one burst,
// seasonal cycles, warm-up, cool-down, minimum volume, sentiment shifts,
// bad input), the explanation text, and a score against the simulator's
// injected events (precision, recall, detection delay).
#include "analytics/spikes.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "analytics/eval/spike_eval.h"
#include "analytics/series.h"
#include "analytics/window_stats.h"
#include "core/time.h"
#include "testutil.h"

namespace earshot::analytics {
namespace {

using ::earshot::testing::TempDir;

// 2026-01-05T00:00:00Z, a Monday.
constexpr int64_t kMonday = 1'767'571'200'000;

Series Hourly(const std::vector<int64_t>& counts, int64_t start_ms = kMonday) {
  Series s;
  s.grain = Grain::kHour;
  s.start_ms = start_ms;
  for (size_t i = 0; i < counts.size(); ++i) {
    Bucket b;
    b.t_ms = start_ms + static_cast<int64_t>(i) * kHourMs;
    b.count = counts[i];
    b.neutral = counts[i];
    s.buckets.push_back(b);
  }
  return s;
}

std::vector<Spike> Detect(const Series& s, const SpikeOptions& opts = {}) {
  Result<std::vector<Spike>> r = DetectSpikes(s, opts);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : std::vector<Spike>{};
}

int64_t Hour(int64_t i) { return kMonday + i * kHourMs; }

// Options that alert on the first unusual hour, so that single-hour bursts
// show each rule on its own.
SpikeOptions Immediate() {
  SpikeOptions o;
  o.confirm_hours = 1;
  return o;
}

// The simulator's weights (docs/SIMULATOR.md): local hour and weekday.
constexpr double kHourWeight[24] = {.30, .18, .12, .09, .09, .14, .30, .58, .90, 1.10, 1.20, 1.22,
                                    1.15, 1.18, 1.20, 1.15, 1.05, .92, .80, .72, .66, .60, .50, .40};
constexpr double kDayWeight[7] = {1.00, 1.05, 1.05, 1.00, 0.88, 0.45, 0.50};

// A seasonal series without noise: `peak` mentions in the busiest hour,
// growing by `growth` over the whole series.
std::vector<int64_t> Seasonal(int days, double peak, double growth = 0) {
  std::vector<int64_t> out;
  for (int d = 0; d < days; ++d) {
    for (int h = 0; h < 24; ++h) {
      const double trend = 1 + growth * (d * 24 + h) / (days * 24.0);
      out.push_back(std::llround(peak / 1.22 * kHourWeight[h] * kDayWeight[d % 7] * trend));
    }
  }
  return out;
}

// ---- Hand-made series ---------------------------------------------------------------

TEST(SpikeDetectorTest, FlatSeriesWithOneBurstGivesOneSpike) {
  std::vector<int64_t> counts(21 * 24, 10);
  const int burst = 14 * 24 + 9;  // Monday of week 3, 09:00
  counts[burst] = 60;
  counts[burst + 1] = 45;
  counts[burst + 2] = 30;
  const std::vector<Spike> spikes = Detect(Hourly(counts), Immediate());
  ASSERT_EQ(spikes.size(), 1u);
  const Spike& s = spikes[0];
  EXPECT_EQ(s.signal, SpikeSignal::kVolume);
  EXPECT_EQ(SpikeDirectionName(s.signal), "up");
  EXPECT_EQ(s.start_ms, Hour(burst));
  EXPECT_EQ(s.end_ms, Hour(burst + 3));
  EXPECT_EQ(s.detected_at_ms, Hour(burst + 1));
  EXPECT_EQ(s.peak_ms, Hour(burst));
  EXPECT_EQ(s.peak_count, 60);
  EXPECT_NEAR(s.peak_expected, 10.0, 0.01);
  EXPECT_EQ(s.observed, 135);
  EXPECT_NEAR(s.expected, 30.0, 0.1);
}

TEST(SpikeDetectorTest, StartIsBackDatedToWhereTheRiseBegan) {
  std::vector<int64_t> counts(21 * 24, 10);
  const int burst = 15 * 24 + 14;
  counts[burst - 2] = 17;  // elevated (z >= 1) but not alarming
  counts[burst - 1] = 20;
  counts[burst] = 70;
  const std::vector<Spike> spikes = Detect(Hourly(counts), Immediate());
  ASSERT_EQ(spikes.size(), 1u);
  EXPECT_EQ(spikes[0].start_ms, Hour(burst - 2));
  EXPECT_EQ(spikes[0].detected_at_ms, Hour(burst + 1));
  EXPECT_EQ(spikes[0].end_ms, Hour(burst + 1));

  SpikeOptions no_backdate = Immediate();
  no_backdate.max_backdate_hours = 0;
  const std::vector<Spike> plain = Detect(Hourly(counts), no_backdate);
  ASSERT_EQ(plain.size(), 1u);
  EXPECT_EQ(plain[0].start_ms, Hour(burst));
}

TEST(SpikeDetectorTest, DailyAndWeeklyCycleWithTrendIsNotASpike) {
  // Five weeks of the simulator's cycle, peak 40 an hour, +30% over the run:
  // the busiest weekday afternoon is 8 times the quietest weekend night.
  EXPECT_TRUE(Detect(Hourly(Seasonal(35, 40, 0.3))).empty());
  // The same at low volume (peak 6 an hour, nights at zero).
  EXPECT_TRUE(Detect(Hourly(Seasonal(35, 6, 0.3))).empty());
}

TEST(SpikeDetectorTest, BurstOnAQuietSlotOfASeasonalSeriesIsFound) {
  // 60 mentions at 03:00 on a Wednesday when 3 are usual: a spike although
  // the busiest hours of every day hold more.
  std::vector<int64_t> counts = Seasonal(35, 40);
  const int burst = 23 * 24 + 3;  // Wednesday of week 4, 03:00
  counts[burst] = 30;
  const std::vector<Spike> spikes = Detect(Hourly(counts), Immediate());
  ASSERT_EQ(spikes.size(), 1u);
  EXPECT_EQ(spikes[0].start_ms, Hour(burst));
  EXPECT_EQ(spikes[0].peak_count, 30);
  EXPECT_LT(spikes[0].peak_expected, 6);
}

TEST(SpikeDetectorTest, ConfirmationIgnoresAOneHourBurst) {
  std::vector<int64_t> counts(21 * 24, 10);
  const int burst = 14 * 24 + 9;
  counts[burst] = 80;  // one post's reshares
  const int event = 17 * 24 + 11;
  for (int i = 0; i < 4; ++i) counts[event + i] = 45;  // an event lasts
  const std::vector<Spike> spikes = Detect(Hourly(counts));
  ASSERT_EQ(spikes.size(), 1u);
  EXPECT_EQ(spikes[0].start_ms, Hour(event));
  EXPECT_EQ(spikes[0].detected_at_ms, Hour(event + 3));
  EXPECT_EQ(spikes[0].end_ms, Hour(event + 4));
  EXPECT_EQ(Detect(Hourly(counts), Immediate()).size(), 2u);
}

TEST(SpikeDetectorTest, WarmUpSilencesANewWatch) {
  std::vector<int64_t> counts(10 * 24, 10);
  counts[2 * 24 + 12] = 80;  // day 3
  EXPECT_TRUE(Detect(Hourly(counts), Immediate()).empty());  // default warm-up: 7 days

  SpikeOptions short_warmup = Immediate();
  short_warmup.warmup_hours = 24;
  const std::vector<Spike> spikes = Detect(Hourly(counts), short_warmup);
  ASSERT_EQ(spikes.size(), 1u);
  EXPECT_EQ(spikes[0].start_ms, Hour(2 * 24 + 12));
}

TEST(SpikeDetectorTest, CoolDownMergesBurstsOfOneEvent) {
  std::vector<int64_t> counts(21 * 24, 10);
  const int first = 14 * 24 + 10;
  counts[first] = 60;
  counts[first + 4] = 60;  // three ordinary hours later: the same event
  const std::vector<Spike> merged = Detect(Hourly(counts), Immediate());
  ASSERT_EQ(merged.size(), 1u);
  EXPECT_EQ(merged[0].start_ms, Hour(first));
  EXPECT_EQ(merged[0].end_ms, Hour(first + 5));
  EXPECT_EQ(merged[0].observed, 150);

  SpikeOptions short_cooldown = Immediate();
  short_cooldown.cooldown_hours = 2;
  const std::vector<Spike> split = Detect(Hourly(counts), short_cooldown);
  ASSERT_EQ(split.size(), 2u);
  EXPECT_EQ(split[0].end_ms, Hour(first + 1));
  EXPECT_EQ(split[1].start_ms, Hour(first + 4));
}

TEST(SpikeDetectorTest, MinimumVolumeIgnoresTinyBursts) {
  // A watch with a mention every few hours; 6 in one hour is many times the
  // usual but too few to alert on by default.
  std::vector<int64_t> counts(21 * 24, 0);
  for (size_t i = 0; i < counts.size(); i += 4) counts[i] = 1;
  const int burst = 15 * 24 + 13;
  counts[burst] = 6;
  EXPECT_TRUE(Detect(Hourly(counts), Immediate()).empty());

  SpikeOptions low = Immediate();
  low.min_volume = 5;
  const std::vector<Spike> spikes = Detect(Hourly(counts), low);
  ASSERT_EQ(spikes.size(), 1u);
  EXPECT_EQ(spikes[0].start_ms, Hour(burst));
}

TEST(SpikeDetectorTest, NegativeShareShiftIsASentimentSpike) {
  Series s = Hourly(std::vector<int64_t>(21 * 24, 20));
  for (size_t i = 0; i < s.buckets.size(); ++i) {
    Bucket& b = s.buckets[i];
    b.negative = 3 + static_cast<int64_t>(i % 3 == 0);
    b.positive = 5;
    b.neutral = b.count - b.negative - b.positive;
  }
  const int from = 16 * 24 + 13;
  for (int i = from; i < from + 4; ++i) {
    Bucket& b = s.buckets[i];
    b.negative = 14;
    b.positive = 1;
    b.neutral = 5;
  }
  const std::vector<Spike> spikes = Detect(s);
  ASSERT_EQ(spikes.size(), 1u);
  const Spike& spike = spikes[0];
  EXPECT_EQ(spike.signal, SpikeSignal::kNegative);
  EXPECT_EQ(SpikeDirectionName(spike.signal), "negative");
  EXPECT_EQ(spike.start_ms, Hour(from));
  EXPECT_EQ(spike.end_ms, Hour(from + 4));
  // The default three hours of confirmation: known at the end of the third.
  EXPECT_EQ(spike.detected_at_ms, Hour(from + 3));
  EXPECT_EQ(spike.observed, 56);
  EXPECT_EQ(spike.peak_mentions, 20);
  EXPECT_NEAR(spike.peak_expected / 20, 1.0 / 6, 0.02);  // the usual 3.33 of 20

  SpikeOptions volume_only;
  volume_only.detect_sentiment = false;
  EXPECT_TRUE(Detect(s, volume_only).empty());
}

TEST(SpikeDetectorTest, PushReportsAlertWhenTheHourClosesAndTheSpikeAfterCoolDown) {
  Result<SpikeDetector> d = SpikeDetector::Create(Immediate());
  ASSERT_OK(d.status());
  const int burst = 8 * 24 + 15;
  for (int i = 0; i < burst + 20; ++i) {
    Bucket b;
    b.t_ms = Hour(i);
    b.count = (i == burst || i == burst + 1) ? 50 : 10;
    Result<SpikeAlerts> a = d->Push(b);
    ASSERT_OK(a.status());
    if (i == burst) {
      ASSERT_EQ(a->opened.size(), 1u);
      EXPECT_EQ(a->opened[0].detected_at_ms, Hour(burst + 1));
    } else {
      EXPECT_TRUE(a->opened.empty()) << i;
    }
    if (i == burst + 1 + SpikeOptions{}.cooldown_hours) {
      ASSERT_EQ(a->closed.size(), 1u) << i;
      EXPECT_EQ(a->closed[0].end_ms, Hour(burst + 2));
    } else {
      EXPECT_TRUE(a->closed.empty()) << i;
    }
  }
  EXPECT_TRUE(d->Finish().empty());
  EXPECT_NEAR(d->Expected(Hour(burst + 30)), 10.0, 0.5);
}

TEST(SpikeDetectorTest, PushFillsMissingHoursAndRejectsDisorder) {
  Result<SpikeDetector> d = SpikeDetector::Create({});
  ASSERT_OK(d.status());
  Bucket b;
  b.t_ms = Hour(0);
  b.count = 5;
  ASSERT_OK(d->Push(b).status());
  b.t_ms = Hour(3);  // hours 1 and 2 count as empty
  ASSERT_OK(d->Push(b).status());
  b.t_ms = Hour(2);
  EXPECT_EQ(d->Push(b).status().code(), StatusCode::kInvalidArgument);
  b.t_ms = Hour(5) + 1;
  EXPECT_EQ(d->Push(b).status().code(), StatusCode::kInvalidArgument);
  b.t_ms = Hour(4);
  EXPECT_OK(d->Push(b).status());
}

TEST(SpikeDetectorTest, OpenSpikeAtTheEndIsReturnedByFinish) {
  std::vector<int64_t> counts(10 * 24, 10);
  counts.back() = 90;
  const std::vector<Spike> spikes = Detect(Hourly(counts), Immediate());
  ASSERT_EQ(spikes.size(), 1u);
  EXPECT_EQ(spikes[0].end_ms, Hour(10 * 24));
}

TEST(SpikeDetectorTest, RejectsDailySeriesAndBadOptions) {
  Series daily = Hourly({1, 2, 3});
  daily.grain = Grain::kDay;
  EXPECT_EQ(DetectSpikes(daily, {}).status().code(), StatusCode::kInvalidArgument);
  SpikeOptions bad;
  bad.cooldown_hours = 0;
  const Status s = SpikeDetector::Create(bad).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("cooldown_hours"), std::string::npos) << s.message();
  bad = {};
  bad.min_share_shift = 2;
  EXPECT_NE(ValidateSpikeOptions(bad).message().find("min_share_shift"), std::string::npos);
  EXPECT_TRUE(Detect(Hourly({})).empty());
}

// ---- Explanations -------------------------------------------------------------------

Mention Post(std::string handle, std::string text, Channel channel = Channel::kMicroblog,
             std::vector<std::string> tags = {}) {
  Mention m;
  m.author.handle = std::move(handle);
  m.text = std::move(text);
  m.channel = channel;
  m.hashtags = std::move(tags);
  return m;
}

TEST(ExplainSpikeTest, NamesRatioSlotChannelAuthorsAndTerms) {
  Spike spike;
  spike.signal = SpikeSignal::kVolume;
  spike.peak_ms = Hour(24 + 14);  // Tuesday 14:00
  spike.peak_count = 412;
  spike.peak_mentions = 412;
  spike.peak_expected = 66.4;
  SpikeContext ctx;
  ctx.max_terms = 6;
  for (int i = 0; i < 40; ++i) {
    ctx.baseline.Add(Post("user" + std::to_string(i), "Loving the new dashboard of Acme, great release"));
    ctx.baseline.Add(Post("alice", "Acme backup works fine", Channel::kForum));
  }
  for (int i = 0; i < 30; ++i) {
    ctx.spike.Add(Post("bob", "Is Acme down? Outage again, status page says nothing", Channel::kMicroblog,
                       {"AcmeDown"}));
    ctx.spike.Add(Post("carol\x01", "Acme outage: the status page is down https://t.example/x1"));
    ctx.spike.Add(Post("user" + std::to_string(i), "Acme down for everyone?"));
  }
  ctx.spike.Add(Post("dave", "Acme outage", Channel::kNews));
  const std::string reason = ExplainSpike(spike, ctx);
  EXPECT_EQ(reason.rfind("Volume 6.2x the usual for Tuesday 14:00 UTC (412 vs 66)", 0), 0u) << reason;
  EXPECT_NE(reason.find("driven by microblog (99%)"), std::string::npos) << reason;
  EXPECT_NE(reason.find("authors @bob, @carol "), std::string::npos) << reason;
  EXPECT_EQ(reason.find("alice"), std::string::npos) << reason;
  EXPECT_NE(reason.find("terms: "), std::string::npos) << reason;
  EXPECT_NE(reason.find("down"), std::string::npos) << reason;
  EXPECT_NE(reason.find("outage"), std::string::npos) << reason;
  EXPECT_NE(reason.find("#acmedown"), std::string::npos) << reason;
  EXPECT_EQ(reason.find("acme,"), std::string::npos) << "a word of every mention does not explain: " << reason;
  EXPECT_EQ(reason.find("example"), std::string::npos) << "URLs add no terms: " << reason;
  for (char c : reason) EXPECT_GE(static_cast<unsigned char>(c), 0x20) << reason;
}

TEST(ExplainSpikeTest, SentimentSpikeNamesTheShares) {
  Spike spike;
  spike.signal = SpikeSignal::kNegative;
  spike.peak_ms = Hour(2 * 24 + 9);
  spike.peak_mentions = 50;
  spike.peak_count = 32;
  spike.peak_expected = 6.0;
  const std::string reason = ExplainSpike(spike, {});
  EXPECT_EQ(reason, "Negative share 64% against the usual 12% (32 of 50 mentions, Wednesday 09:00 UTC)");
}

// ---- Scoring against the simulator --------------------------------------------------

double Median(std::vector<double> v) {
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

// Simulates a world, detects spikes in each truth watch's hourly series and
// scores them against truth/events.jsonl.
void ScoreWorld(uint64_t seed, int days, int64_t mentions, const SpikeOptions& opts, SpikeScore* score) {
  TempDir dir;
  Result<SimulatedWorld> world = BuildSimulatedWorld(seed, days, mentions, dir.str());
  ASSERT_OK(world.status());
  std::vector<std::vector<Spike>> spikes;
  for (const Series& series : world->series) {
    Result<std::vector<Spike>> found = DetectSpikes(series, opts);
    ASSERT_OK(found.status());
    spikes.push_back(std::move(*found));
  }
  score->Add(ScoreSpikes(*world, spikes));
}

TEST(SpikeScoreTest, FindsTheSimulatorsInjectedEvents) {
  const SpikeOptions opts;
  SpikeScore score;
  for (uint64_t seed : {1, 2, 3}) {
    ScoreWorld(seed, 120, 60'000, opts, &score);
    if (::testing::Test::HasFatalFailure()) return;
  }
  const double recall = static_cast<double>(score.found) / score.events;
  const double precision = static_cast<double>(score.on_event_watch) / std::max(score.spikes, 1);
  const double precision_explained = static_cast<double>(score.explained) / std::max(score.spikes, 1);
  std::printf("events %d, volume spikes %d: recall %.3f, precision %.3f (same watch), %.3f (caused by an event)\n",
              score.events, score.spikes, recall, precision, precision_explained);
  std::printf("delay from event start to detection, hours: median %.2f, max %.2f\n", Median(score.delays_h),
              score.delays_h.empty() ? NAN : *std::max_element(score.delays_h.begin(), score.delays_h.end()));
  std::printf("sentiment: %d of %d events in their direction; %d sentiment spikes, %d caused by an event\n",
              score.sentiment_found, score.events, score.sentiment_spikes, score.sentiment_explained);
  for (const std::string& m : score.misses) std::printf("  missed: %s\n", m.c_str());
  if (!score.false_alarms.empty()) std::printf("  first unexplained: %s\n", score.false_alarms.front().c_str());
  EXPECT_GE(score.events, 12);
  // The goal, and floors a little under what was measured with the
  // defaults (recall 0.944, precision 0.227 same watch, 0.400 caused; median
  // delay 3 h) so that a regression shows.
  EXPECT_GE(recall, 0.9);
  EXPECT_GE(precision, 0.18);
  EXPECT_GE(precision_explained, 0.33);
  EXPECT_LE(Median(score.delays_h), 3.0);
}

}  // namespace
}  // namespace earshot::analytics
