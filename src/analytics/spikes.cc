#include "analytics/spikes.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <utility>

#include "analytics/emerging.h"

namespace earshot::analytics {
namespace {

constexpr size_t kVolume = 0;
constexpr size_t kNegative = 1;  // also the index into Hour::klass and share
constexpr size_t kPositive = 2;

// A class's usual share starts from this prior, worth kSharePriorMentions
// mentions, so the first hours of a watch do not set an extreme baseline.
constexpr double kSharePrior = 0.2;
constexpr double kSharePriorMentions = 5.0;
// No seasonal slot is expected to be emptier than this fraction of the
// level: a slot that was silent so far must not make one mention an outlier.
constexpr double kMinSeasonalFactor = 0.05;
// Floor of a count's variance, so an expectation near zero does not turn a
// couple of mentions into a huge z score (min_volume guards that too).
constexpr double kMinVariance = 0.5;
// The baseline learns every hour, but an hour's count is clipped at the
// expectation plus this many standard deviations (one inside a spike), so a
// spike barely moves the baseline while a lasting rise is learnt in days.
constexpr double kClipSd = 3.0;
constexpr double kClipSdInSpike = 1.0;
// The level is not clipped in its first two days: it has nothing to clip against.
constexpr int64_t kUnclippedHours = 48;
// Longest run of missing hours Push fills with zeros (five years).
constexpr int64_t kMaxGapHours = 5 * 366 * 24;

constexpr const char* kWeekdays[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

// Returns the weekday of `t_ms`, Monday = 0 (1970-01-01 was a Thursday).
int Weekday(int64_t t_ms) {
  const int64_t days = BucketStart(t_ms, Grain::kDay) / kDayMs;
  return static_cast<int>(((days + 3) % 7 + 7) % 7);
}

int HourOfDay(int64_t t_ms) { return static_cast<int>((t_ms - BucketStart(t_ms, Grain::kDay)) / kHourMs); }

// Returns the smoothing weight of an EWMA with a half-life of `halflife` samples.
double AlphaOfHalflife(int halflife) { return 1.0 - std::pow(0.5, 1.0 / halflife); }

// Returns the weight of the n-th sample (0-based): a plain running mean
// until the EWMA weight `alpha` takes over, so that a new baseline
// converges in its first samples instead of starting from zero.
double Weight(int64_t n, double alpha) { return std::max(alpha, 1.0 / static_cast<double>(n + 1)); }

void Ewma(double& acc, double x, double w) { acc = (1.0 - w) * acc + w * x; }

// Normalizes raw factors (0 = unseen, counted as 1) to mean 1.
template <size_t N>
void Normalize(const std::array<double, N>& raw, const std::array<int64_t, N>& seen, std::array<double, N>& out) {
  double sum = 0;
  for (size_t i = 0; i < N; ++i) sum += seen[i] > 0 ? raw[i] : 1.0;
  const double mean = sum / N;
  for (size_t i = 0; i < N; ++i) out[i] = mean > 0 ? (seen[i] > 0 ? raw[i] : 1.0) / mean : 1.0;
}


}  // namespace

std::string_view SpikeDirectionName(SpikeSignal signal) {
  switch (signal) {
    case SpikeSignal::kVolume: return "up";
    case SpikeSignal::kNegative: return "negative";
    case SpikeSignal::kPositive: return "positive";
  }
  return "up";
}

Status ValidateSpikeOptions(const SpikeOptions& o) {
  auto bad = [](const char* field, const char* rule) {
    return Status::InvalidArgument(std::string("SpikeOptions.") + field + " must be " + rule);
  };
  auto finite_nonneg = [](double v) { return std::isfinite(v) && v >= 0; };
  if (o.warmup_hours < 0) return bad("warmup_hours", ">= 0");
  if (o.min_volume < 1) return bad("min_volume", ">= 1");
  if (!finite_nonneg(o.min_ratio)) return bad("min_ratio", "a finite number >= 0");
  if (!finite_nonneg(o.threshold)) return bad("threshold", "a finite number >= 0");
  if (!finite_nonneg(o.overdispersion)) return bad("overdispersion", "a finite number >= 0");
  if (o.min_sentiment_volume < 1) return bad("min_sentiment_volume", ">= 1");
  if (!(o.min_share_shift >= 0 && o.min_share_shift <= 1)) return bad("min_share_shift", "in [0, 1]");
  if (!finite_nonneg(o.sentiment_threshold)) return bad("sentiment_threshold", "a finite number >= 0");
  if (!(o.sentiment_correlation >= 0 && o.sentiment_correlation <= 1)) {
    return bad("sentiment_correlation", "in [0, 1]");
  }
  if (!finite_nonneg(o.end_threshold)) return bad("end_threshold", "a finite number >= 0");
  if (o.cooldown_hours < 1) return bad("cooldown_hours", ">= 1");
  if (o.max_backdate_hours < 0 || o.max_backdate_hours > 7 * 24) return bad("max_backdate_hours", "in [0, 168]");
  if (o.confirm_hours < 1 || o.confirm_hours > 24) return bad("confirm_hours", "in [1, 24]");
  if (!finite_nonneg(o.confirm_threshold)) return bad("confirm_threshold", "a finite number >= 0");
  if (o.level_halflife_hours < 1) return bad("level_halflife_hours", ">= 1");
  if (o.daily_halflife_days < 1) return bad("daily_halflife_days", ">= 1");
  if (o.weekly_halflife_weeks < 1) return bad("weekly_halflife_weeks", ">= 1");
  return Status::Ok();
}

SpikeDetector::SpikeDetector(const SpikeOptions& opts)
    : opts_(opts),
      a_level_(AlphaOfHalflife(opts.level_halflife_hours)),
      a_daily_(AlphaOfHalflife(opts.daily_halflife_days)),
      a_weekly_(AlphaOfHalflife(opts.weekly_halflife_weeks)),
      a_share_(AlphaOfHalflife(opts.level_halflife_hours)) {
  hod_.fill(1.0);
  dow_.fill(1.0);
  tracks_[kVolume].spike.signal = SpikeSignal::kVolume;
  tracks_[kNegative].spike.signal = SpikeSignal::kNegative;
  tracks_[kPositive].spike.signal = SpikeSignal::kPositive;
  for (Track& t : tracks_) t.last_end_ms = std::numeric_limits<int64_t>::min();
}

Result<SpikeDetector> SpikeDetector::Create(const SpikeOptions& opts) {
  EARSHOT_RETURN_IF_ERROR(ValidateSpikeOptions(opts));
  return SpikeDetector(opts);
}

double SpikeDetector::SeasonalFactor(int64_t t_ms) const {
  return std::max(hod_[HourOfDay(t_ms)] * dow_[Weekday(t_ms)], kMinSeasonalFactor);
}

double SpikeDetector::Expected(int64_t t_ms) const {
  const double level = level_s_ > 0 ? level_x_ / level_s_ : 0.0;
  return level * SeasonalFactor(t_ms);
}

Result<SpikeAlerts> SpikeDetector::Push(const Bucket& b) {
  if (b.t_ms % kHourMs != 0) {
    return Status::InvalidArgument("SpikeDetector::Push: bucket time " + std::to_string(b.t_ms) +
                                   " is not an hour boundary");
  }
  if (started_ && b.t_ms < next_ms_) {
    return Status::InvalidArgument("SpikeDetector::Push: bucket time " + std::to_string(b.t_ms) +
                                   " is not after the previous bucket");
  }
  if (started_ && (b.t_ms - next_ms_) / kHourMs > kMaxGapHours) {
    return Status::InvalidArgument("SpikeDetector::Push: bucket time " + std::to_string(b.t_ms) +
                                   " leaves a gap of more than five years");
  }
  SpikeAlerts alerts;
  if (!started_) {
    started_ = true;
    first_ms_ = b.t_ms;
    next_ms_ = b.t_ms;
    day_start_ms_ = BucketStart(b.t_ms, Grain::kDay);
  }
  while (next_ms_ < b.t_ms) {
    Bucket empty;
    empty.t_ms = next_ms_;
    PushHour(empty, &alerts);
  }
  PushHour(b, &alerts);
  return alerts;
}

SpikeDetector::Reading SpikeDetector::Read(const Hour& hour, size_t signal) const {
  if (signal == kVolume) {
    return {hour.count, hour.expected, (static_cast<double>(hour.count) - hour.expected) / hour.sd};
  }
  const size_t c = signal - 1;
  const double n = static_cast<double>(hour.count);
  const double p = hour.share[c];
  const double k = static_cast<double>(hour.klass[c]);
  const double var = n * p * (1 - p) * (1 + opts_.sentiment_correlation * std::max(n - 1, 0.0));
  return {hour.klass[c], n * p, (k - n * p) / std::sqrt(var + 0.25)};
}

bool SpikeDetector::IsElevated(const Hour& hour, const Reading& r) const {
  return hour.count > 0 && static_cast<double>(r.observed) > r.expected && r.z >= opts_.end_threshold;
}

bool SpikeDetector::PassesTest(const Hour& hour, const Reading& r, size_t signal) const {
  const double x = static_cast<double>(r.observed);
  if (signal == kVolume) {
    return hour.count >= opts_.min_volume && x >= opts_.min_ratio * r.expected && r.z >= opts_.threshold;
  }
  const double n = static_cast<double>(hour.count);
  return hour.count >= opts_.min_sentiment_volume && (x - r.expected) / n >= opts_.min_share_shift &&
         r.z >= opts_.sentiment_threshold;
}

bool SpikeDetector::PassesConfirmation(const Hour& hour, const Reading& r) const {
  return hour.count > 0 && static_cast<double>(r.observed) > r.expected && r.z >= opts_.confirm_threshold;
}

void SpikeDetector::SetPeak(Spike& spike, const Hour& hour, const Reading& r) {
  spike.peak_ms = hour.t_ms;
  spike.peak_mentions = hour.count;
  spike.peak_count = r.observed;
  spike.peak_expected = r.expected;
  spike.peak_score = r.z;
}

void SpikeDetector::PushHour(const Bucket& b, SpikeAlerts* alerts) {
  const int64_t t = b.t_ms;
  if (BucketStart(t, Grain::kDay) != day_start_ms_) {
    EndDay();
    day_start_ms_ = BucketStart(t, Grain::kDay);
  }
  const bool warm = t >= first_ms_ + static_cast<int64_t>(opts_.warmup_hours) * kHourMs;

  Hour hour;
  hour.t_ms = t;
  hour.count = std::max<int64_t>(b.count, 0);
  hour.klass[0] = std::clamp<int64_t>(b.negative, 0, hour.count);
  hour.klass[1] = std::clamp<int64_t>(b.positive, 0, hour.count);
  hour.expected = Expected(t);
  hour.sd = std::sqrt(std::max(hour.expected + opts_.overdispersion * hour.expected * hour.expected, kMinVariance));
  for (int c = 0; c < 2; ++c) {
    hour.share[c] = (share_k_[c] + kSharePrior * kSharePriorMentions) / (share_n_ + kSharePriorMentions);
  }

  const int64_t hours_seen = (t - first_ms_) / kHourMs;
  bool anomalous[3] = {false, false, false};
  bool elevated[3] = {false, false, false};
  Reading reading[3];
  for (size_t s = 0; s < 3; ++s) {
    reading[s] = Read(hour, s);
    elevated[s] = IsElevated(hour, reading[s]);
    const bool enabled = s == kVolume ? opts_.detect_volume : opts_.detect_sentiment;
    if (!enabled || !warm || !PassesTest(hour, reading[s], s)) continue;
    // Confirmation: the hours just before must have passed the test too, so
    // that one post and its reshares (which mostly land within the hour) do
    // not alert on their own.
    const size_t need = static_cast<size_t>(opts_.confirm_hours - 1);
    if (need > history_.size() || static_cast<int64_t>(need) > hours_seen) continue;
    bool confirmed = true;
    for (size_t i = 0; i < need && confirmed; ++i) {
      const Hour& past = history_[history_.size() - 1 - i];
      confirmed = past.t_ms >= tracks_[s].last_end_ms && PassesConfirmation(past, Read(past, s));
    }
    anomalous[s] = confirmed;
  }

  for (size_t s = 0; s < 3; ++s) {
    Track& track = tracks_[s];
    const Reading& r = reading[s];
    if (track.open) {
      Spike& spike = track.spike;
      if (anomalous[s] || elevated[s]) {
        spike.observed += track.quiet_observed + r.observed;
        spike.expected += track.quiet_expected + r.expected;
        track.quiet = 0;
        track.quiet_observed = 0;
        track.quiet_expected = 0;
        spike.end_ms = t + kHourMs;
        if (r.z > spike.peak_score) SetPeak(spike, hour, r);
      } else {
        ++track.quiet;
        track.quiet_observed += r.observed;
        track.quiet_expected += r.expected;
        if (track.quiet >= opts_.cooldown_hours) {
          alerts->closed.push_back(spike);
          track.last_end_ms = spike.end_ms;
          track.open = false;
        }
      }
      continue;
    }
    if (!anomalous[s]) continue;
    Spike spike;
    spike.signal = static_cast<SpikeSignal>(s);
    spike.start_ms = t;
    spike.end_ms = t + kHourMs;
    spike.detected_at_ms = t + kHourMs;
    spike.observed = r.observed;
    spike.expected = r.expected;
    SetPeak(spike, hour, r);
    // Back-date over the elevated hours just before (the confirming hours
    // among them): where the rise began.
    int steps = 0;
    for (auto it = history_.rbegin(); it != history_.rend(); ++it, ++steps) {
      if (it->t_ms + kHourMs != spike.start_ms || it->t_ms < track.last_end_ms) break;
      const Reading past = Read(*it, s);
      const bool confirming = steps < opts_.confirm_hours - 1;
      if (!confirming && (steps >= opts_.confirm_hours - 1 + opts_.max_backdate_hours || !IsElevated(*it, past))) {
        break;
      }
      spike.start_ms = it->t_ms;
      spike.observed += past.observed;
      spike.expected += past.expected;
      if (past.z > spike.peak_score) SetPeak(spike, *it, past);
    }
    track.open = true;
    track.quiet = 0;
    track.quiet_observed = 0;
    track.quiet_expected = 0;
    track.spike = spike;
    alerts->opened.push_back(spike);
  }

  const bool in_volume_spike = tracks_[kVolume].open || anomalous[kVolume];
  const bool sentiment_quiet[2] = {!tracks_[kNegative].open && !anomalous[kNegative],
                                   !tracks_[kPositive].open && !anomalous[kPositive]};
  UpdateBaseline(hour, in_volume_spike, sentiment_quiet);

  history_.push_back(hour);
  const size_t keep = static_cast<size_t>(opts_.max_backdate_hours + opts_.confirm_hours - 1);
  while (history_.size() > keep) history_.pop_front();
  next_ms_ = t + kHourMs;
}

void SpikeDetector::UpdateBaseline(const Hour& hour, bool in_spike, const bool sentiment_quiet[2]) {
  const double s = SeasonalFactor(hour.t_ms);
  double x = static_cast<double>(hour.count);
  if (level_n_ >= kUnclippedHours) x = std::min(x, hour.expected + (in_spike ? kClipSdInSpike : kClipSd) * hour.sd);

  const double w = Weight(level_n_, a_level_);
  Ewma(level_x_, x, w);
  Ewma(level_s_, s, w);
  ++level_n_;
  const double level = level_s_ > 0 ? level_x_ / level_s_ : 0.0;

  // Seasonal factors learn only from ordinary hours: a spike at 15:00 must
  // not teach the baseline that 15:00 is busy.
  const int h = HourOfDay(hour.t_ms);
  if (!in_spike) {
    const double wh = Weight(hod_n_[h], a_daily_);
    Ewma(hod_x_[h], x, wh);
    Ewma(hod_e_[h], level * dow_[Weekday(hour.t_ms)], wh);
    ++hod_n_[h];
    std::array<double, 24> raw{};
    for (int i = 0; i < 24; ++i) raw[i] = hod_e_[i] > 0 ? hod_x_[i] / hod_e_[i] : 1.0;
    Normalize(raw, hod_n_, hod_);
  }
  day_x_ += x;
  day_e_ += level * hod_[h];

  // An hour in a spike of either class is left out of both shares, which
  // must describe the same mentions.
  if (hour.count > 0 && sentiment_quiet[0] && sentiment_quiet[1]) {
    // Decayed sums, not averages: the prior is worth a few mentions, not hours.
    share_n_ = (1 - a_share_) * share_n_ + static_cast<double>(hour.count);
    share_k_[0] = (1 - a_share_) * share_k_[0] + static_cast<double>(hour.klass[0]);
    share_k_[1] = (1 - a_share_) * share_k_[1] + static_cast<double>(hour.klass[1]);
  }
}

void SpikeDetector::EndDay() {
  const int d = Weekday(day_start_ms_);
  // A day with a spike still counts: its hours were clipped.
  if (day_e_ > 0) {
    const double w = Weight(dow_n_[d], a_weekly_);
    Ewma(dow_x_[d], day_x_, w);
    Ewma(dow_e_[d], day_e_, w);
    ++dow_n_[d];
    std::array<double, 7> raw{};
    for (int i = 0; i < 7; ++i) raw[i] = dow_e_[i] > 0 ? dow_x_[i] / dow_e_[i] : 1.0;
    Normalize(raw, dow_n_, dow_);
  }
  day_x_ = 0;
  day_e_ = 0;
}

std::vector<Spike> SpikeDetector::Finish() {
  std::vector<Spike> out;
  for (Track& track : tracks_) {
    if (!track.open) continue;
    out.push_back(track.spike);
    track.last_end_ms = track.spike.end_ms;
    track.open = false;
  }
  return out;
}

Result<std::vector<Spike>> DetectSpikes(const Series& hourly, const SpikeOptions& opts) {
  if (hourly.grain != Grain::kHour) return Status::InvalidArgument("DetectSpikes: the series must be hourly");
  EARSHOT_ASSIGN_OR_RETURN(SpikeDetector detector, SpikeDetector::Create(opts));
  std::vector<Spike> spikes;
  for (const Bucket& b : hourly.buckets) {
    EARSHOT_ASSIGN_OR_RETURN(SpikeAlerts alerts, detector.Push(b));
    for (Spike& s : alerts.closed) spikes.push_back(std::move(s));
  }
  for (Spike& s : detector.Finish()) spikes.push_back(std::move(s));
  std::sort(spikes.begin(), spikes.end(), [](const Spike& a, const Spike& b) {
    return std::pair(a.start_ms, a.signal) < std::pair(b.start_ms, b.signal);
  });
  return spikes;
}

// ---- Explanations -------------------------------------------------------------

namespace {

std::string Printf(const char* fmt, auto... args) {
  char buf[128];
  const int n = std::snprintf(buf, sizeof buf, fmt, args...);
  return std::string(buf, n < 0 ? 0 : std::min<size_t>(static_cast<size_t>(n), sizeof buf - 1));
}

// Formats an expected count: whole above 10, one decimal below.
std::string FormatExpected(double v) { return v >= 10 ? Printf("%.0f", v) : Printf("%.1f", v); }

// Formats a ratio: "6.2" or "41".
std::string FormatRatio(double v) { return v >= 10 ? Printf("%.0f", v) : Printf("%.1f", v); }

// Replaces C0 and C1 control characters and DEL with spaces (handles come
// from user data).
std::string WithoutControls(std::string s) {
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f) {
      s[i] = ' ';
    } else if (c == 0xc2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(s[i + 1]) <= 0x9f) {
      s[i] = ' ';
      s[i + 1] = ' ';
    }
  }
  return s;
}

std::string SlotName(int64_t t_ms) {
  return std::string(kWeekdays[Weekday(t_ms)]) + Printf(" %02d:00 UTC", HourOfDay(t_ms));
}

}  // namespace

std::string ExplainSpike(const Spike& spike, const SpikeContext& context) {
  std::string out;
  if (spike.signal == SpikeSignal::kVolume) {
    const double ratio = static_cast<double>(spike.peak_count) / std::max(spike.peak_expected, 0.1);
    out = "Volume " + FormatRatio(ratio) + "x the usual for " + SlotName(spike.peak_ms) + " (" +
          std::to_string(spike.peak_count) + " vs " + FormatExpected(spike.peak_expected) + ")";
  } else {
    const double n = static_cast<double>(std::max<int64_t>(spike.peak_mentions, 1));
    const double share = 100.0 * static_cast<double>(spike.peak_count) / n;
    const double usual = 100.0 * spike.peak_expected / n;
    out = std::string(spike.signal == SpikeSignal::kNegative ? "Negative" : "Positive") + " share " +
          Printf("%.0f%%", share) + " against the usual " + Printf("%.0f%%", usual) + " (" +
          std::to_string(spike.peak_count) + " of " + std::to_string(spike.peak_mentions) + " mentions, " +
          SlotName(spike.peak_ms) + ")";
  }

  const WindowStats& in = context.spike;
  const WindowStats& base = context.baseline;
  if (in.mentions() > 0) {
    Channel top = Channel::kOther;
    int64_t top_n = -1;
    for (Channel c : kAllChannels) {
      if (in.channel(c) > top_n) {
        top = c;
        top_n = in.channel(c);
      }
    }
    out += "; driven by " + std::string(ChannelName(top)) +
           Printf(" (%.0f%%)", 100.0 * static_cast<double>(top_n) / static_cast<double>(in.mentions()));

    // Authors: the most active in the spike among those at least twice as
    // present as in the baseline (add-one smoothed), with two mentions or more.
    std::vector<std::pair<int64_t, std::string>> authors;
    const double in_n = static_cast<double>(in.mentions());
    const double base_n = static_cast<double>(base.mentions());
    for (const auto& [handle, n] : in.authors()) {
      if (n < 2) continue;
      auto it = base.authors().find(handle);
      const double b = it == base.authors().end() ? 0 : static_cast<double>(it->second);
      const double lift = (static_cast<double>(n) / in_n) / ((b + 1) / (base_n + 1));
      if (lift >= 2) authors.emplace_back(-n, handle);
    }
    std::sort(authors.begin(), authors.end());
    if (authors.size() > context.max_authors) authors.resize(context.max_authors);
    if (!authors.empty()) {
      out += "; authors";
      for (size_t i = 0; i < authors.size(); ++i) out += (i ? ", @" : " @") + authors[i].second;
    }

    EmergingOptions eo;
    eo.min_recent = 3;
    eo.min_score = 2.0;
    eo.max_results = context.max_terms;
    const std::vector<EmergingTerm> terms = FindEmerging(in, base, eo);
    if (!terms.empty()) {
      out += "; terms:";
      for (size_t i = 0; i < terms.size(); ++i) {
        out += i ? ", " : " ";
        if (terms[i].kind == TermKind::kHashtag) out += '#';
        out += terms[i].term;
      }
    }
  }
  return WithoutControls(std::move(out));
}

}  // namespace earshot::analytics
