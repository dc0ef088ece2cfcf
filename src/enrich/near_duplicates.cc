#include "enrich/near_duplicates.h"

#include <algorithm>
#include <array>
#include <bit>
#include <limits>
#include <utility>

#include "core/hash.h"

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

// ---- TagTable -----------------------------------------------------------------

size_t NearDuplicateIndex::TagTable::Home(uint64_t tag) const { return Mix64(tag) & (cells_.size() - 1); }

template <typename Same>
uint32_t NearDuplicateIndex::TagTable::Find(uint64_t tag, const Same& same) const {
  if (size_ == 0) return kNil;
  const size_t mask = cells_.size() - 1;
  for (size_t i = Home(tag);; i = (i + 1) & mask) {
    const Cell& c = cells_[i];
    if (c.value == kNil) return kNil;
    if (c.tag == tag && same(c.value)) return c.value;
  }
}

template <typename Same>
void NearDuplicateIndex::TagTable::InsertIfAbsent(uint64_t tag, uint32_t value, const Same& same) {
  if (Find(tag, same) != kNil) return;
  if ((size_ + 1) * 4 > cells_.size() * 3) Grow();
  const size_t mask = cells_.size() - 1;
  size_t i = Home(tag);
  while (cells_[i].value != kNil) i = (i + 1) & mask;
  cells_[i] = {tag, value};
  ++size_;
}

void NearDuplicateIndex::TagTable::Erase(uint64_t tag, uint32_t value) {
  if (size_ == 0) return;
  const size_t mask = cells_.size() - 1;
  size_t i = Home(tag);
  while (cells_[i].value != kNil && (cells_[i].tag != tag || cells_[i].value != value)) i = (i + 1) & mask;
  if (cells_[i].value == kNil) return;
  // Backward shift: move up each later cell of the run that may live at i,
  // so that no probe sequence crosses a hole.
  for (size_t j = (i + 1) & mask; cells_[j].value != kNil; j = (j + 1) & mask) {
    const size_t home = Home(cells_[j].tag);
    // The cell at j may move to i when i lies on its probe path, home .. j (cyclically).
    const bool on_path = i <= j ? (home <= i || home > j) : (home <= i && home > j);
    if (on_path) {
      cells_[i] = cells_[j];
      i = j;
    }
  }
  cells_[i] = Cell();
  --size_;
}

void NearDuplicateIndex::TagTable::Prefetch(uint64_t tag) const {
  if (!cells_.empty()) __builtin_prefetch(&cells_[Home(tag)]);
}

void NearDuplicateIndex::TagTable::Grow() {
  std::vector<Cell> old = std::move(cells_);
  cells_.assign(old.empty() ? 16 : old.size() * 2, Cell());
  const size_t mask = cells_.size() - 1;
  for (const Cell& c : old) {
    if (c.value == kNil) continue;
    size_t i = Home(c.tag);
    while (cells_[i].value != kNil) i = (i + 1) & mask;
    cells_[i] = c;
  }
}

// ---- BucketTable ----------------------------------------------------------------

size_t NearDuplicateIndex::BucketTable::Home(uint64_t key) const { return Mix64(key) & (cells_.size() - 1); }

size_t NearDuplicateIndex::BucketTable::IndexOf(uint64_t key) const {
  const size_t mask = cells_.size() - 1;
  size_t i = Home(key);
  while (!cells_[i].candidates.empty() && cells_[i].key != key) i = (i + 1) & mask;
  return i;
}

const std::vector<NearDuplicateIndex::Candidate>* NearDuplicateIndex::BucketTable::Find(uint64_t key) const {
  if (size_ == 0) return nullptr;
  const Cell& c = cells_[IndexOf(key)];
  return c.candidates.empty() ? nullptr : &c.candidates;
}

void NearDuplicateIndex::BucketTable::Add(uint64_t key, Candidate candidate) {
  if ((size_ + 1) * 4 > cells_.size() * 3) Grow();
  Cell& c = cells_[IndexOf(key)];
  if (c.candidates.empty()) {
    c.key = key;
    ++size_;
  }
  c.candidates.push_back(candidate);
}

void NearDuplicateIndex::BucketTable::Remove(uint64_t key, uint32_t slot) {
  const size_t mask = cells_.size() - 1;
  size_t i = IndexOf(key);
  std::vector<Candidate>& candidates = cells_[i].candidates;
  auto pos = std::find_if(candidates.begin(), candidates.end(), [&](const Candidate& c) { return c.slot == slot; });
  *pos = candidates.back();
  candidates.pop_back();
  if (!candidates.empty()) return;
  // The bucket is empty: close the hole by backward shift, as in TagTable::Erase.
  for (size_t j = (i + 1) & mask; !cells_[j].candidates.empty(); j = (j + 1) & mask) {
    const size_t home = Home(cells_[j].key);
    const bool on_path = i <= j ? (home <= i || home > j) : (home <= i && home > j);
    if (on_path) {
      std::swap(cells_[i], cells_[j]);  // the hole moves to j, keeping its capacity for reuse
      i = j;
    }
  }
  --size_;
}

void NearDuplicateIndex::BucketTable::Prefetch(uint64_t key) const {
  if (!cells_.empty()) __builtin_prefetch(&cells_[Home(key)]);
}

void NearDuplicateIndex::BucketTable::Grow() {
  std::vector<Cell> old = std::move(cells_);
  cells_.clear();
  cells_.resize(old.empty() ? 16 : old.size() * 2);
  for (Cell& c : old) {
    if (!c.candidates.empty()) cells_[IndexOf(c.key)] = std::move(c);
  }
}

// ---- NearDuplicateIndex ----------------------------------------------------------

namespace {

// The predicate of tables whose tag is the whole key (fingerprints, key bits).
constexpr auto kAnyValue = [](uint32_t) { return true; };

}  // namespace

Result<StoryAssignment> NearDuplicateIndex::Assign(const Mention& m) {
  if (m.id.empty()) return Status::InvalidArgument("near-duplicates: mention has no id");
  const int64_t now = std::max(clock_ms_, m.created_at_ms);
  clock_ms_ = now;
  Evict(now);
  // Start loading the cells of the id lookups, then fingerprint the text
  // while they arrive (wasted only on a mention assigned again).
  const uint64_t id_hash = Hash64(m.id);
  const uint64_t reshare_hash = m.reshare_of.empty() ? 0 : Hash64(m.reshare_of);
  by_mention_.Prefetch(id_hash);
  if (m.reshare_of.empty()) {
    by_original_.Prefetch(id_hash);
  } else {
    by_mention_.Prefetch(reshare_hash);
    by_original_.Prefetch(reshare_hash);
  }
  const TextFingerprint fp = FingerprintText(m.title, m.text, options_.simhash);
  if (uint32_t known = FindByMention(m.id, id_hash); known != kNil) {
    Touch(known, now);
    return Replay(slots_[known]);
  }

  const bool textual = fp.words >= options_.min_words;
  StoryAssignment a;
  a.simhash = fp.simhash;
  // The story a reshare points to; or, for a post whose reshares came
  // first, the story they started in its name.
  uint32_t joined = kNil;
  if (m.reshare_of.empty()) {
    joined = FindByOriginal(m.id, id_hash);
  } else {
    joined = FindByMention(m.reshare_of, reshare_hash);
    if (joined == kNil) joined = FindByOriginal(m.reshare_of, reshare_hash);
  }
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
  Record(m, id_hash, fp, a, now);
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
void NearDuplicateIndex::Record(const Mention& m, uint64_t id_hash, const TextFingerprint& fp, const StoryAssignment& a,
                                int64_t now_ms) {
  const bool textual = fp.words >= options_.min_words;
  if (textual) {
    if (uint32_t held = by_fingerprint_.Find(fp.simhash, kAnyValue); held != kNil) {
      Touch(held, now_ms);
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
  e.mention_hash = id_hash;
  e.story_id = a.story_id;
  e.first_mention_id = a.first_mention_id;
  if (!a.duplicate_of_existing && !m.reshare_of.empty()) {
    e.original_id = m.reshare_of;
    e.original_hash = Hash64(m.reshare_of);
  }
  Insert(std::move(e));
}

NearDuplicateIndex::Match NearDuplicateIndex::FindNearest(uint64_t fingerprint) const {
  // The tables and buckets are far apart in memory: start loading every
  // table's cell, then every bucket, before reading any of them.
  const size_t tables = tables_.size();
  by_fingerprint_.Prefetch(fingerprint);
  for (size_t t = 0; t < tables; ++t) tables_[t].Prefetch(fingerprint & table_masks_[t]);
  if (uint32_t held = by_fingerprint_.Find(fingerprint, kAnyValue); held != kNil) return {held, 0};
  std::array<const std::vector<Candidate>*, kMaxTables> bucket;
  for (size_t t = 0; t < tables; ++t) {
    bucket[t] = tables_[t].Find(fingerprint & table_masks_[t]);
    if (bucket[t] != nullptr) __builtin_prefetch(bucket[t]->data());
  }
  Match best;
  for (size_t t = 0; t < tables; ++t) {
    if (bucket[t] == nullptr) continue;
    for (const Candidate& c : *bucket[t]) {
      int d = HammingDistance(fingerprint, c.fingerprint);
      // Ties go to the older entry: the story's first fingerprint anchors it.
      if (d < best.distance || (d == best.distance && slots_[c.slot].last_seen_ms < slots_[best.slot].last_seen_ms)) {
        best = {c.slot, d};
      }
    }
  }
  return best;
}

uint32_t NearDuplicateIndex::FindByMention(std::string_view mention_id, uint64_t hash) const {
  return by_mention_.Find(hash, [&](uint32_t slot) { return slots_[slot].mention_id == mention_id; });
}

uint32_t NearDuplicateIndex::FindByOriginal(std::string_view mention_id, uint64_t hash) const {
  return by_original_.Find(hash, [&](uint32_t slot) { return slots_[slot].original_id == mention_id; });
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
  const Entry& e = slots_[slot];
  by_mention_.InsertIfAbsent(e.mention_hash, slot,
                             [&](uint32_t other) { return slots_[other].mention_id == e.mention_id; });
  if (!e.original_id.empty()) {
    by_original_.InsertIfAbsent(e.original_hash, slot,
                                [&](uint32_t other) { return slots_[other].original_id == e.original_id; });
  }
  if (e.indexed) {
    by_fingerprint_.InsertIfAbsent(e.fingerprint, slot, kAnyValue);
    for (size_t t = 0; t < tables_.size(); ++t) tables_[t].Add(e.fingerprint & table_masks_[t], {e.fingerprint, slot});
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
    const size_t tables = tables_.size();
    for (size_t t = 0; t < tables; ++t) tables_[t].Prefetch(e.fingerprint & table_masks_[t]);
    for (size_t t = 0; t < tables; ++t) tables_[t].Remove(e.fingerprint & table_masks_[t], slot);
    by_fingerprint_.Erase(e.fingerprint, slot);
  }
  by_mention_.Erase(e.mention_hash, slot);
  if (!e.original_id.empty()) by_original_.Erase(e.original_hash, slot);
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
