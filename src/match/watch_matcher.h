// Live matching: every watch is checked against every incoming mention.
//
// All watches are compiled into one Hyperscan database of literal patterns,
// one per distinct text atom. The database is only a prefilter: from each
// query the compiler derives a necessary condition (some pattern of a set
// must hit), and a mention is evaluated against a watch only when that
// condition holds; Matches() (match/evaluator.h) then decides. Watches made
// of plain words and phrases with AND, OR and NOT are "exact": their pattern
// hits already are the answer, as an exact index plan is for stored search.
// Either way the matcher returns exactly the watches whose query Matches()
// the mention, with MatchedTerms() as their terms.
//
//   auto set = CompiledWatchSet::Compile(std::move(watches));  // off the hot path
//   WatchSetHolder holder(*set);                               // shared by all threads
//   auto matcher = WatchMatcher::Create(holder);               // one per thread
//   matcher->Match(mention, &hits);
//   holder.Set(*CompiledWatchSet::Compile(new_watches));       // swapped in; ingest goes on
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/mention.h"
#include "core/status.h"
#include "match/hyperscan_handle.h"
#include "match/mention_view.h"
#include "match/query.h"

namespace earshot::match {

namespace detail {
// A word of the scan text to be listed again after its sigil ('#' or '@'):
// the offsets of its folded bytes.
struct SigilWord {
  char sigil;
  uint32_t begin;
  uint32_t end;
};
// A word that folding changed: as written, and the offsets of its folded
// bytes in the scan text.
struct CasedWord {
  std::string_view raw;
  uint32_t begin;
  uint32_t end;
};
}  // namespace detail

// One watch: a named query.
struct WatchSpec {
  int64_t id = 0;    // unique within a set; hits come out in id order
  std::string name;  // for people; the matcher does not read it
  Query query;
};

// A watch that matched a mention.
struct WatchHit {
  int64_t watch_id = 0;
  // MatchedTerms() of the watch's query on the mention: canonical atoms in
  // query order ("aws", "\"cloud storage\"", "title:outage").
  std::vector<std::string> terms;
};

struct MatcherOptions {
  // Longest literal, in bytes of folded text, that one pattern holds. A
  // longer atom ("a very long phrase …") is cut to its first bytes, which
  // still is a necessary condition. Longer patterns select a little better;
  // Hyperscan rejects patterns over about 16,000 bytes (non-alphanumeric
  // bytes are escaped, 4 bytes each). 1 .. 1 MiB.
  size_t max_pattern_bytes = 64;
};

// Figures about a compiled set, for logs and benchmarks.
struct WatchSetStats {
  size_t watches = 0;
  size_t patterns = 0;          // distinct literals compiled into the database
  size_t always_evaluated = 0;  // watches with no text condition (NOT-only, fields only, …)
  size_t exact = 0;             // watches decided by pattern hits alone, without Matches()
  size_t failed_patterns = 0;   // literals Hyperscan rejected; their watches are always evaluated
  size_t database_bytes = 0;    // hs_database_size; 0 without a database
  std::string hyperscan_error;  // the first compile error, "" when none
};

// An immutable, compiled watch set. Share it between threads through
// shared_ptr<const CompiledWatchSet>; each thread matches with its own
// WatchMatcher.
class CompiledWatchSet {
 public:
  // Compiles `watches`. Takes a few seconds for 100,000 watches; call it off
  // the ingest path. A pattern that Hyperscan rejects does not fail the call:
  // its watches are evaluated on every mention instead (see stats()).
  // Errors: InvalidArgument for a bad option or a watch id used twice.
  static Result<std::shared_ptr<const CompiledWatchSet>> Compile(std::vector<WatchSpec> watches,
                                                                 const MatcherOptions& options = {});

  CompiledWatchSet(const CompiledWatchSet&) = delete;
  CompiledWatchSet& operator=(const CompiledWatchSet&) = delete;
  ~CompiledWatchSet();

  // Returns the number of watches.
  size_t size() const { return watches_.size(); }
  // Returns the watches, sorted by id.
  const std::vector<WatchSpec>& watches() const { return watches_; }
  // Returns the watch with `id`, or nullptr.
  const WatchSpec* Find(int64_t id) const;
  // Returns the figures of this set.
  const WatchSetStats& stats() const { return stats_; }
  // Returns the literal of each pattern by pattern id: folded words with a
  // space on each side (" cloud storage "), or ending in a wildcard's prefix
  // (" cloud" for cloud*).
  const std::vector<std::string>& patterns() const { return patterns_; }
  // Returns the compiled database, or nullptr when no pattern compiled; for
  // tools that scan it directly, such as benchmarks. Owned by this set.
  const hs_database_t* database() const { return db_.get(); }

  // Replaces `out` with the text the database is scanned against for `m`:
  // the words of the title and of the text as the shared tokenizer folds
  // them (core/word_tokenizer.h), each followed by a space: " t1 t2 \n w1 w2 ",
  // then, when there are any, each word that is a whole hashtag or handle
  // name again after its sigil: " t1 \n w1 w2 \n #w2 " for "W1 #W2".
  static void BuildScanText(const Mention& m, std::string* out);

 private:
  friend class WatchMatcher;
  friend class WatchSetBuilder;

  // One step of a watch's filter: a formula over pattern hits and mention
  // fields, written in prefix order; `end` is the index just past the
  // step's subtree.
  struct FilterOp {
    // kUncased: {word} written in lower case: its pattern hit, and some
    // occurrence is not a word that folding changed.
    enum Kind : uint8_t { kTrue, kPattern, kAnd, kOr, kNot, kField, kUncased };
    Kind kind = kTrue;
    uint32_t pattern = 0;  // kPattern, kUncased
    uint32_t end = 0;
    // kField: a kField or kFollowers node of the watch's query; kUncased: the {word} atom.
    const Node* node = nullptr;
  };

  CompiledWatchSet() = default;

  std::vector<WatchSpec> watches_;  // sorted by id
  std::vector<int64_t> ids_;        // watches_[w].id, packed: read for every exact hit
  HsDatabase db_;                   // null when no pattern compiled
  // Watches (indices into watches_) each pattern triggers: CSR layout,
  // trigger_watches_[trigger_begin_[p] .. trigger_begin_[p + 1]).
  std::vector<uint32_t> trigger_begin_;
  std::vector<uint32_t> trigger_watches_;
  // Watches evaluated on every mention, ascending.
  std::vector<uint32_t> always_;
  // Per watch: its filter, filter_ops_[filter_begin_[w] .. filter_begin_[w + 1]);
  // empty when the trigger alone is all the prefilter knows.
  std::vector<uint32_t> filter_begin_;
  std::vector<FilterOp> filter_ops_;
  // Per watch: 1 when its filter is exactly its query (see watch_matcher.cc),
  // so the pattern hits decide it without Matches().
  std::vector<uint8_t> exact_;
  // Per exact watch: its reportable atoms in MatchedTerms() order, as
  // (pattern, canonical text) pairs in term_patterns_ and term_texts_
  // [term_begin_[w] .. term_begin_[w + 1]).
  std::vector<uint32_t> term_begin_;
  std::vector<uint32_t> term_patterns_;
  std::vector<std::string> term_texts_;
  std::vector<const std::string*> term_uncased_;  // per term: {word}'s word, whose pattern hit is not enough
  std::vector<std::string> patterns_;  // literal by pattern id
  // {Word} atoms written with capitals, matched by looking up the words
  // that folding changed: an open-addressing table of the words' Hash64
  // (0: empty slot; power-of-two size, so no division on the hot path)
  // and their patterns, whose literal is kCasedMark + the word.
  std::vector<uint64_t> cased_hashes_;
  std::vector<uint32_t> cased_patterns_;
  // Returns the pattern of cased word `raw`, or -1.
  int64_t FindCased(std::string_view raw) const;
  bool track_cased_ = false;  // some watch needs the words that folding changed
  WatchSetStats stats_;
};

// Holds the current watch set for many matcher threads and swaps in a new
// one atomically. Thread-safe.
class WatchSetHolder {
 public:
  // Starts with `initial`. REQUIRES: initial is non-null.
  explicit WatchSetHolder(std::shared_ptr<const CompiledWatchSet> initial);

  // Returns the current set.
  std::shared_ptr<const CompiledWatchSet> Get() const;
  // Replaces the current set; matchers pick it up at their next mention.
  // Matchers still using the old set keep it alive until they move on.
  // REQUIRES: next is non-null.
  void Set(std::shared_ptr<const CompiledWatchSet> next);
  // Returns a number that changes on every Set(), for a cheap "has it
  // changed?" test.
  uint64_t version() const { return version_.load(std::memory_order_acquire); }

 private:
  friend class WatchMatcher;
  // Returns the current set and its version, read together.
  std::shared_ptr<const CompiledWatchSet> Snapshot(uint64_t* version) const;

  mutable std::mutex mu_;
  std::shared_ptr<const CompiledWatchSet> current_;  // guarded by mu_
  std::atomic<uint64_t> version_{1};                 // written under mu_
};

// Counters of one matcher, for benchmarks and tests of the prefilter.
struct MatcherCounters {
  int64_t mentions = 0;
  int64_t candidates = 0;      // watches the scan proposed or that are always evaluated
  int64_t decided = 0;         // candidates of exact watches: decided by their filter alone
  int64_t evaluated = 0;       // other candidates that passed their filter and went to Matches()
  int64_t views_built = 0;     // mentions for which a MentionView was built
  int64_t hits = 0;            // watches returned
  int64_t full_fallbacks = 0;  // mentions evaluated against every watch (no scratch, scan error)
  int64_t set_changes = 0;     // new sets picked up after the first
};

// Matches mentions against a watch set. One per thread: not thread-safe,
// owns its Hyperscan scratch and reusable buffers.
class WatchMatcher {
 public:
  // Returns a matcher that follows `holder`, picking up a new set at the
  // mention after each Set(). Keeps a reference: `holder` must outlive it.
  // Errors: ResourceExhausted when Hyperscan cannot allocate scratch space.
  static Result<WatchMatcher> Create(const WatchSetHolder& holder);
  // Returns a matcher for the fixed set `set`, which it shares. Errors:
  // InvalidArgument for a null set, ResourceExhausted as above.
  static Result<WatchMatcher> Create(std::shared_ptr<const CompiledWatchSet> set);

  WatchMatcher(WatchMatcher&&) noexcept;
  WatchMatcher& operator=(WatchMatcher&&) noexcept;
  ~WatchMatcher();

  // Appends to `out` the watches whose query matches `m`, in watch-id
  // order, each with its matched terms. Keeps no reference to `m`.
  // Never fails: if the scan cannot run (scratch lost to a failed
  // allocation), every watch is evaluated instead.
  void Match(const Mention& m, std::vector<WatchHit>* out);

  // Returns the set the last Match() used (the current one before any call).
  const std::shared_ptr<const CompiledWatchSet>& set() const { return set_; }
  // Returns the counters since creation.
  const MatcherCounters& counters() const { return counters_; }

 private:
  WatchMatcher(const WatchSetHolder* holder, std::shared_ptr<const CompiledWatchSet> set);
  // Adopts `set`: scratch space and per-watch/per-pattern arrays sized for it.
  Status Adopt(std::shared_ptr<const CompiledWatchSet> set);
  // Picks up a new set from the holder, if any.
  void Refresh();
  // Folds the mention's words into scan_buf_, scans it and looks up the
  // cased words; fills hits_. Returns false when the scan cannot run.
  bool Scan(const Mention& m);
  // Returns true when folded word `word` occurs in the scanned mention as
  // written, not as a word that folding changed.
  bool UncasedOccurs(std::string_view word) const;
  // Returns true when watch `w`'s filter holds on this mention's hits.
  bool FilterHolds(uint32_t w) const;
  bool EvalFilter(const CompiledWatchSet::FilterOp* ops, uint32_t i) const;
  // Evaluates watch `w` and appends a hit when it matches.
  void Evaluate(uint32_t w, const Mention& m, std::vector<WatchHit>* out);
  // Appends the hit of exact watch `w`, whose filter holds.
  void AppendExactHit(uint32_t w, std::vector<WatchHit>* out);
  void NextEpoch();

  static int OnHsMatch(unsigned int id, unsigned long long from, unsigned long long to, unsigned int flags, void* ctx);

  const WatchSetHolder* holder_ = nullptr;
  uint64_t version_ = 0;
  std::shared_ptr<const CompiledWatchSet> set_;
  HsScratch scratch_;
  bool scratch_ok_ = false;

  // Per-mention state, reused.
  uint32_t epoch_ = 0;
  std::vector<uint32_t> pattern_epoch_;  // == epoch_: the pattern hit this mention
  std::vector<uint32_t> watch_epoch_;    // == epoch_: the watch is already a candidate
  std::vector<uint32_t> hits_;           // patterns hit, in report order
  std::vector<uint32_t> candidates_;     // watches whose filter holds
  const Mention* mention_ = nullptr;     // the mention being matched, for field filters
  std::string scan_buf_;                 // holds the scan text at its start (see WriteScanText)
  std::vector<detail::SigilWord> sigils_;  // WriteScanText's scratch
  std::vector<detail::CasedWord> cased_;   // the words folding changed, when the set needs them
  size_t words_end_ = 0;                   // end of the folded title and text in scan_buf_
  std::optional<MentionView> view_;
  bool view_ready_ = false;
  MatcherCounters counters_;
};

}  // namespace earshot::match
