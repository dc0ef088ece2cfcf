#include "enrich/near_duplicates.h"

#include <algorithm>
#include <bit>
#include <limits>
#include <utility>

namespace earshot::enrich {

std::vector<uint64_t> HammingTableMasks(int max_distance) {
  // Smallest block count b whose tables key on at least 16 bits: fewer key
  // bits make each bucket hold a 2^-bits share of the whole window.
  int blocks = max_distance + 1;
  while ((blocks - max_distance) * (64 / blocks) < 16 && blocks < 64) ++blocks;
  std::vector<uint64_t> block_masks;
  int start = 0;
  for (int i = 0; i < blocks; ++i) {
    int width = 64 / blocks + (i < 64 % blocks ? 1 : 0);
    uint64_t mask = width == 64 ? ~uint64_t{0} : ((uint64_t{1} << width) - 1) << start;
    block_masks.push_back(mask);
    start += width;
  }
  std::vector<uint64_t> masks;
  const int key_blocks = blocks - max_distance;
  // Every choice of key_blocks blocks out of `blocks` (at most 8 choose 2 at
  // max_distance 6, so counting through the subsets is cheap).
  for (uint32_t subset = 0; subset < (uint32_t{1} << blocks); ++subset) {
    if (std::popcount(subset) != key_blocks) continue;
    uint64_t mask = 0;
    for (int i = 0; i < blocks; ++i) {
      if (subset & (uint32_t{1} << i)) mask |= block_masks[static_cast<size_t>(i)];
    }
    masks.push_back(mask);
  }
  return masks;
}

Result<NearDuplicateIndex> NearDuplicateIndex::Create(const NearDuplicateOptions& options) {
  if (options.max_distance < 0 || options.max_distance > 6) {
    return Status::InvalidArgument("near-duplicates: max_distance must be 0..6, got " +
                                   std::to_string(options.max_distance));
  }
  if (options.min_words < 1) {
    return Status::InvalidArgument("near-duplicates: min_words must be >= 1, got " + std::to_string(options.min_words));
  }
  if (options.max_fingerprints < 1 || options.max_fingerprints >= kNil) {
    return Status::InvalidArgument("near-duplicates: max_fingerprints must be 1.." + std::to_string(kNil - 1) +
                                   ", got " + std::to_string(options.max_fingerprints));
  }
  if (options.max_age_ms < 0) {
    return Status::InvalidArgument("near-duplicates: max_age_ms must be >= 0, got " +
                                   std::to_string(options.max_age_ms));
  }
  if (options.simhash.shingle_words < 1 || options.simhash.shingle_words > 8) {
    return Status::InvalidArgument("near-duplicates: simhash.shingle_words must be 1..8, got " +
                                   std::to_string(options.simhash.shingle_words));
  }
  return NearDuplicateIndex(options);
}

NearDuplicateIndex::NearDuplicateIndex(const NearDuplicateOptions& options)
    : options_(options), table_masks_(HammingTableMasks(options.max_distance)), tables_(table_masks_.size()) {}

Result<StoryAssignment> NearDuplicateIndex::Assign(const Mention& m) {
  if (m.id.empty()) return Status::InvalidArgument("near-duplicates: mention has no id");
  const int64_t now = std::max(clock_ms_, m.created_at_ms);
  clock_ms_ = now;
  Evict(now);
  if (uint32_t known = FindByMention(m.id); known != kNil) {
    Touch(known, now);
    return Replay(slots_[known]);
  }

  const TextFingerprint fp = FingerprintText(m.title, m.text, options_.simhash);
  const bool textual = fp.words >= options_.min_words;
  StoryAssignment a;
  a.simhash = fp.simhash;
  // The story a reshare points to; or, for a post whose reshares came
  // first, the story they started in its name.
  uint32_t joined = m.reshare_of.empty() ? FindByOriginal(m.id) : FindByMention(m.reshare_of);
  if (joined == kNil && !m.reshare_of.empty()) joined = FindByOriginal(m.reshare_of);
  if (joined != kNil) {
    a.link = StoryLink::kReshare;
  } else if (textual) {
    Match best = FindNearest(fp.simhash);
    if (best.slot != kNil && best.distance <= options_.max_distance) {
      joined = best.slot;
      a.link = StoryLink::kText;
      a.distance = best.distance;
    }
  }
  if (joined != kNil) {
    const Entry& e = slots_[joined];
    a.story_id = e.story_id;
    a.first_mention_id = e.first_mention_id;
    a.duplicate_of_existing = true;
    Touch(joined, now);
  } else {
    // A reshare of a post not seen (or no longer held) is still that post's story.
    a.story_id = m.reshare_of.empty() ? m.id : m.reshare_of;
    a.first_mention_id = m.id;
  }
  Record(m, fp, a, now);
  return a;
}

StoryAssignment NearDuplicateIndex::Replay(const Entry& e) const {
  StoryAssignment a;
  a.simhash = e.fingerprint;
  a.story_id = e.story_id;
  a.first_mention_id = e.first_mention_id;
  a.duplicate_of_existing = e.first_mention_id != e.mention_id;
  a.distance = e.distance;
  a.link = e.link;
  return a;
}

// Keeps what later mentions need to find this one's story: a new
// fingerprint (so edited copies of it match), or a short post that starts
// a story (so its reshares find it). A fingerprint already held is only
// refreshed; a short copy adds nothing.
void NearDuplicateIndex::Record(const Mention& m, const TextFingerprint& fp, const StoryAssignment& a, int64_t now_ms) {
  const bool textual = fp.words >= options_.min_words;
  if (textual) {
    if (auto it = by_fingerprint_.find(fp.simhash); it != by_fingerprint_.end()) {
      Touch(it->second, now_ms);
      return;
    }
  } else if (a.duplicate_of_existing) {
    return;
  }
  Entry e;
  e.fingerprint = fp.simhash;
  e.last_seen_ms = now_ms;
  e.indexed = textual;
  e.link = a.link;
  e.distance = a.distance;
  e.mention_id = m.id;
  e.story_id = a.story_id;
  e.first_mention_id = a.first_mention_id;
  if (!a.duplicate_of_existing && !m.reshare_of.empty()) e.original_id = m.reshare_of;
  Insert(std::move(e));
}

NearDuplicateIndex::Match NearDuplicateIndex::FindNearest(uint64_t fingerprint) const {
  if (auto it = by_fingerprint_.find(fingerprint); it != by_fingerprint_.end()) return {it->second, 0};
  Match best;
  for (size_t t = 0; t < tables_.size(); ++t) {
    auto bucket = tables_[t].find(fingerprint & table_masks_[t]);
    if (bucket == tables_[t].end()) continue;
    for (uint32_t slot : bucket->second) {
      int d = HammingDistance(fingerprint, slots_[slot].fingerprint);
      // Ties go to the older entry: the story's first fingerprint anchors it.
      if (d < best.distance || (d == best.distance && slots_[slot].last_seen_ms < slots_[best.slot].last_seen_ms)) {
        best = {slot, d};
      }
    }
  }
  return best;
}

uint32_t NearDuplicateIndex::FindByMention(const std::string& mention_id) const {
  auto it = by_mention_.find(mention_id);
  return it == by_mention_.end() ? kNil : it->second;
}

uint32_t NearDuplicateIndex::FindByOriginal(const std::string& mention_id) const {
  auto it = by_original_.find(mention_id);
  return it == by_original_.end() ? kNil : it->second;
}

void NearDuplicateIndex::Touch(uint32_t slot, int64_t now_ms) {
  slots_[slot].last_seen_ms = now_ms;
  if (slot == newest_) return;
  Unlink(slot);
  LinkNewest(slot);
}

void NearDuplicateIndex::Insert(Entry entry) {
  while (by_mention_.size() >= options_.max_fingerprints) Remove(oldest_);
  uint32_t slot;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
    slots_[slot] = std::move(entry);
  } else {
    slot = static_cast<uint32_t>(slots_.size());
    slots_.push_back(std::move(entry));
  }
  Entry& e = slots_[slot];
  by_mention_.emplace(e.mention_id, slot);
  if (!e.original_id.empty()) by_original_.emplace(e.original_id, slot);
  if (e.indexed) {
    by_fingerprint_.emplace(e.fingerprint, slot);
    for (size_t t = 0; t < tables_.size(); ++t) tables_[t][e.fingerprint & table_masks_[t]].push_back(slot);
  }
  LinkNewest(slot);
}

void NearDuplicateIndex::Evict(int64_t now_ms) {
  if (options_.max_age_ms == 0 || now_ms < std::numeric_limits<int64_t>::min() + options_.max_age_ms) return;
  while (oldest_ != kNil && slots_[oldest_].last_seen_ms < now_ms - options_.max_age_ms) Remove(oldest_);
}

void NearDuplicateIndex::Remove(uint32_t slot) {
  Entry& e = slots_[slot];
  if (e.indexed) {
    for (size_t t = 0; t < tables_.size(); ++t) {
      auto bucket = tables_[t].find(e.fingerprint & table_masks_[t]);
      std::vector<uint32_t>& slots = bucket->second;
      auto pos = std::find(slots.begin(), slots.end(), slot);
      *pos = slots.back();
      slots.pop_back();
      if (slots.empty()) tables_[t].erase(bucket);
    }
    by_fingerprint_.erase(e.fingerprint);
  }
  by_mention_.erase(e.mention_id);
  if (!e.original_id.empty()) {
    if (auto it = by_original_.find(e.original_id); it != by_original_.end() && it->second == slot)
      by_original_.erase(it);
  }
  Unlink(slot);
  e = Entry();
  free_slots_.push_back(slot);
}

void NearDuplicateIndex::Unlink(uint32_t slot) {
  Entry& e = slots_[slot];
  if (e.older != kNil) slots_[e.older].newer = e.newer;
  if (e.newer != kNil) slots_[e.newer].older = e.older;
  if (oldest_ == slot) oldest_ = e.newer;
  if (newest_ == slot) newest_ = e.older;
  e.older = e.newer = kNil;
}

void NearDuplicateIndex::LinkNewest(uint32_t slot) {
  Entry& e = slots_[slot];
  e.older = newest_;
  e.newer = kNil;
  if (newest_ != kNil) slots_[newest_].newer = slot;
  newest_ = slot;
  if (oldest_ == kNil) oldest_ = slot;
}

}  // namespace earshot::enrich
