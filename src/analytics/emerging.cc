#include "analytics/emerging.h"

#include <algorithm>
#include <cmath>
#include <iterator>

namespace earshot::analytics {
namespace {

void ScoreCounts(const WindowStats::Counts& recent, const WindowStats::Counts& baseline, int64_t recent_n,
                 int64_t baseline_n, TermKind kind, const EmergingOptions& opts, std::vector<EmergingTerm>* out) {
  const double big_r = static_cast<double>(recent_n);
  const double big_b = static_cast<double>(baseline_n);
  const double big_a = opts.prior_mentions;
  for (const auto& [term, r_count] : recent) {
    if (r_count < opts.min_recent) continue;
    auto it = baseline.find(term);
    const int64_t b_count = it == baseline.end() ? 0 : it->second;
    const double r = static_cast<double>(r_count);
    const double b = static_cast<double>(b_count);
    const double a = big_a * (r + b) / (big_r + big_b);
    // A term in every mention of a window has R - r = 0; the prior keeps
    // the odds finite as long as A exceeds a, which it does unless the
    // term is in every mention of both windows (then it is not rising).
    const double r_rest = big_r - r + big_a - a;
    const double b_rest = big_b - b + big_a - a;
    if (r_rest <= 0 || b_rest <= 0) continue;
    const double delta = std::log((r + a) / r_rest) - std::log((b + a) / b_rest);
    const double z = delta / std::sqrt(1.0 / (r + a) + 1.0 / (b + a));
    const double ratio = ((r + a) / (big_r + big_a)) / ((b + a) / (big_b + big_a));
    if (z < opts.min_score || ratio < opts.min_ratio) continue;
    out->push_back({.term = term, .kind = kind, .recent = r_count, .baseline = b_count, .ratio = ratio, .score = z});
  }
}

}  // namespace

Status ValidateEmergingOptions(const EmergingOptions& opts) {
  if (opts.min_recent < 1) return Status::InvalidArgument("EmergingOptions.min_recent must be at least 1");
  if (!std::isfinite(opts.min_score)) return Status::InvalidArgument("EmergingOptions.min_score must be finite");
  if (!(opts.min_ratio >= 0) || !std::isfinite(opts.min_ratio)) {
    return Status::InvalidArgument("EmergingOptions.min_ratio must be a finite number >= 0");
  }
  if (!(opts.prior_mentions > 0) || !std::isfinite(opts.prior_mentions)) {
    return Status::InvalidArgument("EmergingOptions.prior_mentions must be a finite number > 0");
  }
  return Status::Ok();
}

std::string_view TermKindName(TermKind kind) { return kind == TermKind::kHashtag ? "hashtag" : "term"; }

std::vector<EmergingTerm> FindEmerging(const WindowStats& recent, const WindowStats& baseline,
                                       const EmergingOptions& opts) {
  std::vector<EmergingTerm> out;
  if (recent.mentions() == 0) return out;
  ScoreCounts(recent.terms(), baseline.terms(), recent.mentions(), baseline.mentions(), TermKind::kTerm, opts, &out);
  ScoreCounts(recent.hashtags(), baseline.hashtags(), recent.mentions(), baseline.mentions(), TermKind::kHashtag,
              opts, &out);
  std::sort(out.begin(), out.end(), [](const EmergingTerm& x, const EmergingTerm& y) {
    if (x.score != y.score) return x.score > y.score;
    if (x.term != y.term) return x.term < y.term;
    return x.kind < y.kind;
  });
  if (opts.max_results > 0 && out.size() > opts.max_results) out.resize(opts.max_results);
  return out;
}

Result<EmergingTracker> EmergingTracker::Create(const Windows& windows, const EmergingOptions& opts) {
  EARSHOT_RETURN_IF_ERROR(ValidateEmergingOptions(opts));
  if (windows.bucket_ms <= 0) return Status::InvalidArgument("EmergingTracker.bucket_ms must be positive");
  if (windows.recent_ms <= 0 || windows.recent_ms % windows.bucket_ms != 0) {
    return Status::InvalidArgument("EmergingTracker.recent_ms must be a positive multiple of bucket_ms");
  }
  if (windows.baseline_ms <= 0 || windows.baseline_ms % windows.bucket_ms != 0) {
    return Status::InvalidArgument("EmergingTracker.baseline_ms must be a positive multiple of bucket_ms");
  }
  return EmergingTracker(windows, opts);
}

void EmergingTracker::Add(const Mention& m) {
  const int64_t width = windows_.bucket_ms;
  const int64_t q = m.created_at_ms / width;
  const int64_t start = (m.created_at_ms % width < 0 ? q - 1 : q) * width;
  const int64_t keep = windows_.recent_ms + windows_.baseline_ms;
  if (!slots_.empty() && start + keep <= slots_.back().start_ms) {
    ++dropped_;
    return;
  }
  // Mentions arrive almost in time order: search from the back.
  auto it = slots_.end();
  while (it != slots_.begin() && std::prev(it)->start_ms > start) --it;
  if (it == slots_.begin() || std::prev(it)->start_ms != start) {
    Slot slot;
    slot.start_ms = start;
    it = slots_.insert(it, std::move(slot));
  } else {
    --it;
  }
  it->stats.Add(m);
  while (slots_.front().start_ms + keep <= slots_.back().start_ms) slots_.pop_front();
}

std::vector<EmergingTerm> EmergingTracker::Emerging(int64_t now_ms) const {
  const int64_t width = windows_.bucket_ms;
  const int64_t q = now_ms / width;
  const int64_t end = (now_ms % width > 0 ? q + 1 : q) * width;
  const int64_t recent_start = end - windows_.recent_ms;
  const int64_t baseline_start = recent_start - windows_.baseline_ms;
  WindowStats recent, baseline;
  for (const Slot& s : slots_) {
    if (s.start_ms >= end || s.start_ms < baseline_start) continue;
    (s.start_ms >= recent_start ? recent : baseline).Merge(s.stats);
  }
  return FindEmerging(recent, baseline, opts_);
}

}  // namespace earshot::analytics
