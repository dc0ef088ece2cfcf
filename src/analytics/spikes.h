// Spike detection: unusual volume or sentiment in a watch's hourly series,
// against a seasonal baseline (hour of day and day of week) that follows the
// long-term trend. docs/SPIKES.md describes the method, the options and how
// well it finds the simulator's injected events.
//
//   EARSHOT_ASSIGN_OR_RETURN(std::vector<Spike> spikes, DetectSpikes(hourly, {}));
//
// or, fed as hours close:
//
//   EARSHOT_ASSIGN_OR_RETURN(SpikeDetector d, SpikeDetector::Create(opts));
//   EARSHOT_ASSIGN_OR_RETURN(SpikeAlerts a, d.Push(bucket));  // a.opened: alert now
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "analytics/series.h"
#include "analytics/window_stats.h"
#include "core/status.h"

namespace earshot::analytics {

// What a spike is unusual in.
enum class SpikeSignal : uint8_t {
  kVolume,    // more mentions than the seasonal baseline
  kNegative,  // a larger share of negative mentions than usual
  kPositive,  // a larger share of positive mentions than usual
};

// Returns the report's direction name: "up" (volume), "negative" or "positive".
std::string_view SpikeDirectionName(SpikeSignal signal);

// Options of SpikeDetector. The defaults were tuned on the simulator (see
// docs/SPIKES.md); every count is mentions in one hour.
struct SpikeOptions {
  // Which signals to watch.
  bool detect_volume = true;
  bool detect_sentiment = true;

  // Hours of history before any alert: the baseline must have seen each
  // weekday once. A new watch stays silent this long.
  int warmup_hours = 7 * 24;

  // Volume: an hour alerts when it holds at least `min_volume` mentions, at
  // least `min_ratio` times the baseline, and its z score (excess over the
  // baseline in standard deviations of an overdispersed Poisson count) is at
  // least `threshold`. Lower values alert sooner and more often.
  int64_t min_volume = 8;
  double min_ratio = 2.0;
  double threshold = 5.0;
  // Variance of a count with mean m is m + overdispersion * m^2: cascades of
  // reshares make social counts burstier than Poisson.
  double overdispersion = 0.1;

  // Sentiment: an hour alerts when it holds at least `min_sentiment_volume`
  // mentions, the share of one class exceeds its usual share by at least
  // `min_share_shift`, and the binomial z score is at least
  // `sentiment_threshold`.
  int64_t min_sentiment_volume = 10;
  double min_share_shift = 0.15;
  double sentiment_threshold = 4.0;
  // Intra-hour correlation of sentiment (a thread of complaints, the
  // reshares of one post): inflates the binomial variance by 1 + rho * (n - 1).
  double sentiment_correlation = 0.05;

  // An alert needs this many hours in a row: the last passes the test above,
  // the ones before it have a z score of at least `confirm_threshold`.
  // 1 alerts on the first unusual hour, at the price of an alert for every
  // post whose reshares burst for an hour; each further hour delays alerts by
  // an hour and removes most such bursts (docs/SPIKES.md has the figures).
  int confirm_hours = 3;
  double confirm_threshold = 3.0;

  // A spike lasts while its hours stay elevated (z >= end_threshold) and
  // ends after `cooldown_hours` hours in a row that are not: anything
  // anomalous before then belongs to the same spike, so one event is one alert.
  double end_threshold = 1.0;
  int cooldown_hours = 6;
  // A spike's start is moved back over the confirming hours and up to this
  // many elevated hours right before them: where the rise began.
  int max_backdate_hours = 6;

  // How fast the baseline follows change: half-lives of the level (hours),
  // of each hour-of-day factor (days) and of each weekday factor (weeks).
  int level_halflife_hours = 7 * 24;
  int daily_halflife_days = 14;
  int weekly_halflife_weeks = 4;
};

// Returns InvalidArgument naming the first field of `opts` out of range.
Status ValidateSpikeOptions(const SpikeOptions& opts);

// One spike: an unusual stretch of hours in one signal.
struct Spike {
  SpikeSignal signal = SpikeSignal::kVolume;
  int64_t start_ms = 0;        // first hour of the rise (back-dated from the alert)
  int64_t end_ms = 0;          // end of the last elevated hour (exclusive)
  int64_t detected_at_ms = 0;  // end of the hour that raised the alert: when a live detector knows
  int64_t peak_ms = 0;         // start of the hour with the highest score
  // Over [start_ms, end_ms): mentions (volume) or mentions of the signal's
  // sentiment class, observed and expected by the baseline.
  int64_t observed = 0;
  double expected = 0;
  // The peak hour: its mentions, the signal's count (mentions, or mentions
  // of the class) and the baseline's expectation of it, and the score.
  int64_t peak_mentions = 0;
  int64_t peak_count = 0;
  double peak_expected = 0;
  double peak_score = 0;
};

// What one Push() reports.
struct SpikeAlerts {
  // Spikes that start with this hour: raise an alert. end_ms is provisional.
  std::vector<Spike> opened;
  // Spikes that ended (the cool-down ran out): their final form.
  std::vector<Spike> closed;
};

// Detects spikes in one watch's hourly buckets, fed in time order. Keeps a
// few kilobytes of state. Not thread-safe.
class SpikeDetector {
 public:
  // Returns a detector, or InvalidArgument naming a bad option.
  static Result<SpikeDetector> Create(const SpikeOptions& opts);

  // Adds the hour `b` (b.t_ms an hour boundary, after the previous one;
  // missing hours in between count as empty) and returns the spikes it
  // opens and closes. Fails with InvalidArgument, changing nothing, when
  // b.t_ms is not an hour boundary or not after the previous bucket.
  Result<SpikeAlerts> Push(const Bucket& b);

  // Closes the spikes still open (their end is the end of their last
  // elevated hour) and returns them. Push may continue afterwards.
  std::vector<Spike> Finish();

  // Returns the baseline's expected mentions for the hour starting at
  // `t_ms`, as the detector stands now.
  double Expected(int64_t t_ms) const;

 private:
  explicit SpikeDetector(const SpikeOptions& opts);

  // What the detector remembers of a past hour, for confirmation and back-dating.
  struct Hour {
    int64_t t_ms = 0;
    int64_t count = 0;
    int64_t klass[2] = {0, 0};  // negative, positive
    double expected = 0;
    double sd = 0;
    double share[2] = {0, 0};  // usual negative and positive share
  };
  // An open spike of one signal.
  struct Track {
    bool open = false;
    Spike spike;
    int quiet = 0;               // non-elevated hours in a row
    int64_t quiet_observed = 0;  // what those hours held, added if the spike goes on
    double quiet_expected = 0;
    int64_t last_end_ms = 0;     // end of the previous spike: back-dating and confirmation stop there
  };

  // What an hour says about one signal.
  struct Reading {
    int64_t observed = 0;  // mentions, or mentions of the class
    double expected = 0;
    double z = 0;
  };

  void PushHour(const Bucket& b, SpikeAlerts* alerts);
  Reading Read(const Hour& hour, size_t signal) const;
  bool IsElevated(const Hour& hour, const Reading& r) const;
  bool PassesTest(const Hour& hour, const Reading& r, size_t signal) const;
  bool PassesConfirmation(const Hour& hour, const Reading& r) const;
  static void SetPeak(Spike& spike, const Hour& hour, const Reading& r);
  double SeasonalFactor(int64_t t_ms) const;
  void UpdateBaseline(const Hour& hour, bool in_spike, const bool sentiment_quiet[2]);
  void EndDay();

  SpikeOptions opts_;
  double a_level_, a_daily_, a_weekly_, a_share_;
  bool started_ = false;
  int64_t first_ms_ = 0;
  int64_t next_ms_ = 0;
  // Level: EWMA sums of mentions and of seasonal factors; level = x / s.
  double level_x_ = 0, level_s_ = 0;
  int64_t level_n_ = 0;
  // Hour-of-day factors: EWMA sums of mentions and of level * weekday factor.
  std::array<double, 24> hod_x_{}, hod_e_{};
  std::array<int64_t, 24> hod_n_{};
  std::array<double, 24> hod_{};
  // Weekday factors (Monday = 0), updated once a UTC day ends.
  std::array<double, 7> dow_x_{}, dow_e_{};
  std::array<int64_t, 7> dow_n_{};
  std::array<double, 7> dow_{};
  int64_t day_start_ms_ = 0;
  double day_x_ = 0, day_e_ = 0;  // the current day's clipped mentions and expectation without weekday
  // Sentiment: decayed sums of class mentions and of all mentions.
  double share_k_[2] = {0, 0};
  double share_n_ = 0;
  std::array<Track, 3> tracks_;
  std::deque<Hour> history_;  // the last max_backdate_hours + confirm_hours - 1 hours
};

// Returns the spikes of `hourly`, ordered by start (then signal): a loop of
// SpikeDetector::Push over the buckets and a Finish(). Fails with
// InvalidArgument when the series is not hourly or the options are bad.
Result<std::vector<Spike>> DetectSpikes(const Series& hourly, const SpikeOptions& opts);

// The mentions around a spike, for its explanation: those inside the spike
// window and those of a baseline window (the same watch, e.g. the week
// before), each added to a WindowStats.
struct SpikeContext {
  WindowStats spike;
  WindowStats baseline;
  size_t max_authors = 3;  // authors named at most
  size_t max_terms = 4;    // terms and hashtags named at most
};

// Returns a plain-language reason for `spike`, e.g. "Volume 6.2x the usual
// for Tuesday 14:00 UTC (412 vs 66); driven by microblog (78%); authors @a,
// @b; terms: outage, down, #status". Names the channel holding most of the
// spike, the authors and terms most over-represented against the baseline.
// The text is UTF-8 without control characters and is not escaped.
std::string ExplainSpike(const Spike& spike, const SpikeContext& context);

}  // namespace earshot::analytics
