// Emerging topics: terms and hashtags rising in a recent window against a
// baseline window. docs/SPIKES.md describes the scoring.
//
// Scoring is the log-odds ratio with an informative Dirichlet prior
// (Monroe, Colaresi & Quinn, "Fightin' Words", 2008) over mention counts: for
// a term in r of R recent mentions and b of B baseline mentions,
//   delta = log((r + a) / (R - r + A - a)) - log((b + a) / (B - b + A - a)),
//   z     = delta / sqrt(1 / (r + a) + 1 / (b + a)),
// where a = A * (r + b) / (R + B) is the prior count of the term and A the
// prior's strength. z is the score: a word seen twice has a large ratio but
// a large variance, so rare words do not dominate.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "analytics/window_stats.h"
#include "core/mention.h"
#include "core/status.h"

namespace earshot::analytics {

struct EmergingOptions {
  // Fewest recent mentions a term or hashtag needs to be reported. Below
  // this a "trend" is a handful of posts.
  int64_t min_recent = 5;
  // Smallest z score reported (about 3.3 is p < 0.001 one-sided); raise it
  // for fewer, surer results.
  double min_score = 3.0;
  // Smallest ratio of the recent to the baseline rate (per mention, prior
  // included) reported: keeps out words that are merely common and a little
  // more common lately.
  double min_ratio = 1.5;
  // Strength of the Dirichlet prior, in pseudo-mentions (A above). Larger
  // values shrink the ratios of words with few counts more.
  double prior_mentions = 100.0;
  // Most results returned, best first; 0 returns all.
  size_t max_results = 20;
};

// Returns InvalidArgument naming the first field of `opts` out of range.
Status ValidateEmergingOptions(const EmergingOptions& opts);

enum class TermKind : uint8_t { kTerm, kHashtag };

// Returns "term" or "hashtag".
std::string_view TermKindName(TermKind kind);

// One rising term or hashtag.
struct EmergingTerm {
  std::string term;  // folded; a hashtag without '#'
  TermKind kind = TermKind::kTerm;
  int64_t recent = 0;    // recent mentions with it
  int64_t baseline = 0;  // baseline mentions with it
  double ratio = 0;      // smoothed recent rate / smoothed baseline rate
  double score = 0;      // z of the log-odds ratio
};

// Returns the terms and hashtags of `recent` that rise against `baseline`,
// highest score first (ties by term), at most opts.max_results. Both windows
// count mentions, so they may differ in length. An empty recent window
// gives nothing. REQUIRES: ValidateEmergingOptions(opts).ok().
std::vector<EmergingTerm> FindEmerging(const WindowStats& recent, const WindowStats& baseline,
                                       const EmergingOptions& opts);

// Tracks the terms of a stream of mentions in time buckets so that the
// emerging topics of any recent window can be asked for as time goes on:
// the last `recent_ms` against the `baseline_ms` before it. Memory is the
// term counts of the buckets in the two windows. Not thread-safe.
class EmergingTracker {
 public:
  struct Windows {
    int64_t recent_ms = 24 * 3'600'000LL;        // the window that is scored
    int64_t baseline_ms = 14 * 24 * 3'600'000LL;  // the window before it
    int64_t bucket_ms = 3'600'000;               // granularity; divides both windows
  };

  // Returns a tracker, or InvalidArgument naming a bad field (a window not a
  // positive multiple of bucket_ms, or bad scoring options).
  static Result<EmergingTracker> Create(const Windows& windows, const EmergingOptions& opts);

  // Adds `m` at its created_at_ms. Mentions older than the baseline window
  // of the latest mention seen are dropped (and counted in dropped()).
  void Add(const Mention& m);

  // Returns the emerging terms and hashtags of the recent window ending at
  // `now_ms` (exclusive; rounded up to a bucket boundary) against the
  // baseline window before it.
  std::vector<EmergingTerm> Emerging(int64_t now_ms) const;

  // Returns how many mentions were too old to count.
  int64_t dropped() const { return dropped_; }

 private:
  EmergingTracker(const Windows& windows, const EmergingOptions& opts) : windows_(windows), opts_(opts) {}

  struct Slot {
    int64_t start_ms = 0;
    WindowStats stats;
  };

  Windows windows_;
  EmergingOptions opts_;
  std::deque<Slot> slots_;  // ascending by start_ms, only buckets that hold mentions
  int64_t dropped_ = 0;
};

}  // namespace earshot::analytics
