// Groups reshared and copy-pasted mentions into stories. Each mention gets
// a SimHash fingerprint; an in-memory index of the recent fingerprints
// finds one within a few bits, and the mention joins that fingerprint's
// story. A story is named after its first mention, so the pipeline can
// count the copies of a text instead of storing it again.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/mention.h"
#include "core/status.h"
#include "enrich/simhash.h"

namespace earshot::enrich {

struct NearDuplicateOptions {
  // Two fingerprints at most this many bits apart (of 64) are one story.
  // Higher values catch more edited copies of short posts but cost lookup
  // tables (4 at 3 bits, 15 at 4, 21 at 5, 28 at 6) and, on short posts,
  // false merges: docs/ENRICHMENT.md has the measurements. 0 .. 6.
  int max_distance = 3;
  // Texts with fewer words than this (after cleaning, see FingerprintText)
  // are never matched by their text: short posts ("Thanks!", "+1", "so
  // true") are alike without being copies. They still join the story of
  // the post they reshare. >= 1.
  int min_words = 5;
  // The window, by count: at most this many entries are kept (one per story
  // started and per distinct fingerprint seen; copies with a fingerprint
  // already held only refresh it); the least recently seen goes first.
  // About 600 heap bytes each at max_distance 3 (bench/enrich_bench). >= 1.
  size_t max_fingerprints = 1'000'000;
  // The window, by time: a fingerprint not seen for this long (on the
  // mentions' clock, the newest created_at seen so far) is dropped.
  // 0 keeps fingerprints until max_fingerprints pushes them out. >= 0.
  int64_t max_age_ms = 48LL * 3600 * 1000;
  SimHashOptions simhash;
};

// How a mention found its story.
enum class StoryLink {
  kNew,      // it starts a story
  kReshare,  // it reshares a mention of the story (Mention::reshare_of), or
             // it is the post that earlier reshares of the story pointed to
  kText,     // its text is within max_distance bits of the story's
};

struct StoryAssignment {
  uint64_t simhash = 0;
  // The id of the story: the id of its first mention, or, for a reshare of
  // a post the index has not seen, the id of that post (Mention::reshare_of).
  std::string story_id;
  // True when the story was already in the index: the mention is a copy of
  // something seen before and need not be stored again.
  bool duplicate_of_existing = false;
  // The first mention of the story the index saw (the mention itself when
  // it is the first).
  std::string first_mention_id;
  // Bits between this mention's fingerprint and the one it matched; -1
  // unless link is kText.
  int distance = -1;
  StoryLink link = StoryLink::kNew;
};

// The index. Not thread-safe: one index sees the mentions in arrival
// order (the pipeline's writer side owns it).
class NearDuplicateIndex {
 public:
  // Returns an empty index, or InvalidArgument naming the bad field of `options`.
  static Result<NearDuplicateIndex> Create(const NearDuplicateOptions& options);

  // Returns the story of `m` and records `m` in the index. A reshare joins
  // the story of the mention it reshares when the index still knows it (a
  // post whose reshares arrived before it joins theirs); otherwise any
  // mention joins the story of the nearest fingerprint within max_distance
  // bits; otherwise it starts a story of its own (a reshare of an unseen
  // post starts that post's story). Assigning the same mention again
  // returns the same story while the window still holds it.
  // Errors: InvalidArgument when m.id is empty.
  Result<StoryAssignment> Assign(const Mention& m);

  // Returns the number of mentions held in the window: those that started
  // a story or brought a fingerprint not seen before.
  size_t size() const { return by_mention_.size(); }
  // Returns the number of lookup tables (a function of max_distance).
  size_t table_count() const { return table_masks_.size(); }

 private:
  static constexpr uint32_t kNil = UINT32_MAX;
  static constexpr size_t kMaxTables = 28;  // HammingTableMasks(6)

  // A mention that started a story or brought a new fingerprint to one.
  struct Entry {
    uint64_t fingerprint = 0;
    int64_t last_seen_ms = 0;
    uint64_t mention_hash = 0;   // Hash64(mention_id), its key in by_mention_
    uint64_t original_hash = 0;  // Hash64(original_id), its key in by_original_
    uint32_t older = kNil;       // neighbours in recency order
    uint32_t newer = kNil;
    bool indexed = false;  // in the lookup tables (text long enough)
    StoryLink link = StoryLink::kNew;
    int distance = -1;
    std::string mention_id;
    std::string story_id;
    std::string first_mention_id;
    // Set when this mention reshared a post the index had not seen and so
    // started that post's story: later reshares of it, and the post itself
    // arriving late, find the story through it.
    std::string original_id;
  };
  struct Match {
    uint32_t slot = kNil;
    int distance = 65;
  };
  // A fingerprint in a lookup table's bucket, kept next to its slot so that
  // checking a candidate reads the bucket only.
  struct Candidate {
    uint64_t fingerprint = 0;
    uint32_t slot = kNil;
  };

  // A hash table from a 64-bit tag to a slot: open addressing with linear
  // probing and deletion by backward shift, so it allocates only when it
  // grows and never fills up with tombstones. Two keys may share a tag
  // (string hashes): lookups take a predicate that confirms the slot found
  // is the key's.
  class TagTable {
   public:
    template <typename Same>
    uint32_t Find(uint64_t tag, const Same& same) const;
    // Adds tag -> value unless `same` accepts a value already held for `tag`.
    template <typename Same>
    void InsertIfAbsent(uint64_t tag, uint32_t value, const Same& same);
    // Removes tag -> value when held.
    void Erase(uint64_t tag, uint32_t value);
    size_t size() const { return size_; }
    // Starts loading where `tag` would be, ahead of a Find.
    void Prefetch(uint64_t tag) const;

   private:
    struct Cell {
      uint64_t tag = 0;
      uint32_t value = kNil;  // kNil: empty
    };
    size_t Home(uint64_t tag) const;
    void Grow();

    std::vector<Cell> cells_;  // a power of two, at most 3/4 full
    size_t size_ = 0;
  };

  // One lookup table: the candidates of each key (the table's bits of a
  // fingerprint), kept in the table's own cells so that a lookup loads the
  // cell and then the candidates. Open addressing as in TagTable; a cell
  // with no candidates is empty. Candidates stay in insertion order, a
  // removed one replaced by the last, which decides between equally near
  // and equally old candidates.
  class BucketTable {
   public:
    // Returns the candidates of `key`, or nullptr.
    const std::vector<Candidate>* Find(uint64_t key) const;
    void Add(uint64_t key, Candidate candidate);
    // Removes the candidate of `slot` from the bucket of `key` (which holds it).
    void Remove(uint64_t key, uint32_t slot);
    void Prefetch(uint64_t key) const;

   private:
    struct Cell {
      uint64_t key = 0;
      std::vector<Candidate> candidates;  // empty: the cell is free
    };
    size_t Home(uint64_t key) const;
    size_t IndexOf(uint64_t key) const;  // the cell of `key`, or of the free cell that ends its probe
    void Grow();

    std::vector<Cell> cells_;  // a power of two, at most 3/4 full
    size_t size_ = 0;
  };

  explicit NearDuplicateIndex(const NearDuplicateOptions& options);
  Match FindNearest(uint64_t fingerprint) const;
  uint32_t FindByMention(std::string_view mention_id, uint64_t hash) const;
  uint32_t FindByOriginal(std::string_view mention_id, uint64_t hash) const;
  void Touch(uint32_t slot, int64_t now_ms);
  StoryAssignment Replay(const Entry& e) const;
  void Record(const Mention& m, uint64_t id_hash, const TextFingerprint& fp, const StoryAssignment& a, int64_t now_ms);
  void Insert(Entry entry);
  void Evict(int64_t now_ms);
  void Remove(uint32_t slot);
  void Unlink(uint32_t slot);
  void LinkNewest(uint32_t slot);

  NearDuplicateOptions options_;
  std::vector<uint64_t> table_masks_;  // the fingerprint bits each table is keyed on
  std::vector<BucketTable> tables_;    // one per mask
  std::vector<Entry> slots_;
  std::vector<uint32_t> free_slots_;
  TagTable by_fingerprint_;  // fingerprint -> slot of an indexed entry
  TagTable by_mention_;      // Hash64(mention_id) -> slot
  TagTable by_original_;     // Hash64(Entry::original_id) -> slot
  uint32_t oldest_ = kNil;
  uint32_t newest_ = kNil;
  int64_t clock_ms_ = INT64_MIN;  // newest created_at seen
};

// Returns the bit masks of the lookup tables that find every fingerprint
// within `max_distance` bits (0..6): the 64 bits are cut into b blocks and
// each table keys on b - max_distance of them, so two fingerprints that
// differ in at most max_distance bits agree on all key bits of at least
// one table (Manku et al. 2007). b is the smallest that keeps keys at 16
// bits or more.
std::vector<uint64_t> HammingTableMasks(int max_distance);

}  // namespace earshot::enrich
