// Time buckets and series: the shape every analytic exchanges. Rollups
// produce series, spike detection and period comparison consume them.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace earshot::analytics {

inline constexpr int64_t kHourMs = 3'600'000;
inline constexpr int64_t kDayMs = 24 * kHourMs;

// Bucket widths a series can have. Days are UTC days.
enum class Grain : uint8_t { kHour, kDay };

// Returns the width of one `grain` bucket in milliseconds.
constexpr int64_t GrainMs(Grain grain) { return grain == Grain::kHour ? kHourMs : kDayMs; }

// Returns the start of the `grain` bucket that holds `t_ms` (floor, also for
// times before 1970).
constexpr int64_t BucketStart(int64_t t_ms, Grain grain) {
  const int64_t width = GrainMs(grain);
  const int64_t q = t_ms / width;
  return (t_ms % width < 0 ? q - 1 : q) * width;
}

// Sentiment classes with VADER's conventional thresholds: compound >= 0.05 is
// positive, <= -0.05 negative, anything else (or no score) neutral.
enum class SentimentClass : uint8_t { kPositive, kNegative, kNeutral };

// Returns the class of a compound score; no score is neutral.
constexpr SentimentClass ClassOf(std::optional<double> compound) {
  if (!compound) return SentimentClass::kNeutral;
  if (*compound >= 0.05) return SentimentClass::kPositive;
  if (*compound <= -0.05) return SentimentClass::kNegative;
  return SentimentClass::kNeutral;
}

// What one bucket holds: mention counts by sentiment class, the reach
// (sum of author followers, unknown counted as 0) and engagement (sum of
// likes, reshares, replies and quotes the sources reported).
struct Bucket {
  int64_t t_ms = 0;  // bucket start
  int64_t count = 0;
  int64_t positive = 0;
  int64_t negative = 0;
  int64_t neutral = 0;
  int64_t reach = 0;
  int64_t engagement = 0;

  // Adds `other`'s figures (not its time) to this bucket.
  void Add(const Bucket& other) {
    count += other.count;
    positive += other.positive;
    negative += other.negative;
    neutral += other.neutral;
    reach += other.reach;
    engagement += other.engagement;
  }
};

// A dense series: buckets of one grain, ascending, consecutive (every bucket
// in the range present, zeros included), so index i is start + i * width.
struct Series {
  Grain grain = Grain::kHour;
  int64_t start_ms = 0;  // first bucket start
  std::vector<Bucket> buckets;
};

}  // namespace earshot::analytics
