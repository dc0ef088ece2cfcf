// The word knowledge of the sentiment scorer: the VADER lexicon (token ->
// mean human valence on -4..+4), the emoji descriptions, VADER's rule words
// (boosters, dampeners, negations, idiom words) and, in B2B mode, Earshot's
// B2B technology lexicon (data/sentiment/b2b_lexicon.tsv) with its
// multi-word phrases. Everything is resolved into one open-addressing hash
// table keyed by the lower-cased token, so that scoring costs one probe per
// token.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace earshot::enrich {

// Which rules and vocabulary the scorer applies.
enum class SentimentMode {
  // The published VADER method and lexicon, as the reference implementation
  // (vaderSentiment 3.3) computes it; for comparison and research.
  kVader,
  // VADER plus Earshot's B2B technology vocabulary and the neutral-class
  // fixes (docs/SENTIMENT.md). The default.
  kB2B,
};

// Returns "vader" or "b2b".
std::string_view SentimentModeName(SentimentMode mode);

// Words that VADER's rules test by identity (beyond lexicon membership).
enum class RuleWord : uint8_t {
  kNone,
  kKind,
  kOf,
  kNo,
  kOr,
  kNor,
  kNever,
  kSo,
  kThis,
  kWithout,
  kDoubt,
  kLeast,
  kAt,
  kVery,
  kBut,
  kLike,
};

// Words of VADER's special-case idioms and two-word dampeners (see
// sentiment.cc). TokenInfo::idiom_word of such a token is 1 + its index here,
// so that the scorer matches idioms by number.
inline constexpr std::string_view kIdiomWords[] = {"the",  "shit", "bomb",  "bad",     "ass",   "bus",
                                                   "stop", "yeah", "right", "kiss",    "of",    "death",
                                                   "to",   "die",  "for",   "beating", "heart", "broken",
                                                   "kind", "sort", "just",  "enough"};

// Returns TokenInfo::idiom_word of `word`: 0 if it is not in kIdiomWords.
constexpr uint8_t IdiomWordId(std::string_view word) {
  for (size_t i = 0; i < std::size(kIdiomWords); ++i) {
    if (kIdiomWords[i] == word) return static_cast<uint8_t>(i + 1);
  }
  return 0;
}

// VADER's empirically derived booster increment (Hutto & Gilbert 2014): the
// magnitude of TokenInfo::booster.
inline constexpr double kBoosterIncrement = 0.293;

// What the scorer knows about one lower-cased token.
struct TokenInfo {
  static constexpr uint16_t kHasValence = 1 << 0;   // a sentiment word
  static constexpr uint16_t kBooster = 1 << 1;      // booster or dampener
  static constexpr uint16_t kNegation = 1 << 2;     // in VADER's negation list
  static constexpr uint16_t kIdiomWord = 1 << 3;    // part of a special-case idiom
  static constexpr uint16_t kPhraseStart = 1 << 4;  // first word of a B2B phrase
  static constexpr uint16_t kLikeSubject = 1 << 5;  // B2B: makes a following "like" a verb
  static constexpr uint16_t kNonSentiment = 1 << 6; // B2B: a valence removed (sense is neutral in B2B text)
  static constexpr uint16_t kDampener = 1 << 7;     // with kBooster: booster is -kBoosterIncrement

  double valence = 0.0;  // mean valence, -4..+4; meaningful with kHasValence
  double booster = 0.0;  // +0.293 or -0.293; meaningful with kBooster
  uint16_t flags = 0;
  RuleWord rule_word = RuleWord::kNone;
  uint8_t idiom_word = 0;  // see kIdiomWords
  uint32_t phrase_begin = 0;  // phrases starting with this token: [begin, begin + count)
  uint32_t phrase_count = 0;

  bool Has(uint16_t flag) const { return (flags & flag) != 0; }
};

// What scoring reads of every token found, with the key's first 16 bytes
// to confirm the match (nearly every key is no longer): 32 bytes, so that a
// lookup reads a single cache line of the lexicon (the whole table stays in
// a core's L2 cache) and compares without a branch on the key's length.
struct alignas(32) TokenEntry {
  uint64_t head = 0;     // the key's first 8 bytes, zero-padded
  uint64_t second = 0;   // its bytes 8 to 15, zero-padded
  double valence = 0.0;  // TokenInfo::valence
  uint16_t key_length = 0;
  uint16_t info = 0;   // index of the TokenInfo and the key
  uint16_t flags = 0;  // TokenInfo::flags
  RuleWord rule_word = RuleWord::kNone;
  uint8_t idiom_word = 0;  // TokenInfo::idiom_word
};
static_assert(sizeof(TokenEntry) == 32);

// A multi-word lexicon entry (B2B mode): lower-cased words and one valence.
struct SentimentPhrase {
  std::vector<std::string> words;
  double valence = 0.0;
};

// The lexicon texts to build from. Views must stay valid during Parse only.
struct LexiconTexts {
  std::string_view vader;          // vader_lexicon.txt format
  std::string_view emoji;          // emoji_utf8_lexicon.txt format; may be empty
  std::string_view b2b;            // b2b_lexicon.tsv format; used in kB2B only
  SentimentMode mode = SentimentMode::kB2B;
  std::string_view vader_name = "vader_lexicon.txt";  // for error messages
  std::string_view emoji_name = "emoji_utf8_lexicon.txt";
  std::string_view b2b_name = "b2b_lexicon.tsv";
};

// The token hash. The first 16 bytes of the lower-cased token, as two
// zero-padded little-endian words, are mixed with one multiply each and no
// branch (nearly all tokens are that short); later bytes are folded in 8 at a
// time. The scorer hashes a token straight from its lower-cased copy of the
// text (TokenHashPadded). The table slot and the presence filter take
// disjoint bit ranges of the hash, so neither multiplies again.
static_assert(std::endian::native == std::endian::little, "the token hash assumes little-endian loads");

// Masks of the first min(n, 16) bytes of two consecutive words, for n <= 16.
struct HeadMask {
  uint64_t first;
  uint64_t second;
};
inline constexpr auto kHeadMasks = [] {
  std::array<HeadMask, 17> m{};
  for (size_t n = 0; n <= 16; ++n) {
    const size_t a = std::min<size_t>(n, 8);
    const size_t b = n > 8 ? n - 8 : 0;
    m[n].first = a == 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * a)) - 1;
    m[n].second = b == 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * b)) - 1;
  }
  return m;
}();

// Returns a mask of the low min(bytes, 8) bytes of a word.
inline uint64_t LowBytes(size_t bytes) { return bytes >= 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * bytes)) - 1; }

// The multipliers of the token hash (also used by the scorer's vector code).
inline constexpr uint64_t kTokenHashSecondWord = 0xC2B2AE3D27D4EB4FULL;
inline constexpr uint64_t kTokenHashMix = 0x9E3779B97F4A7C15ULL;

inline uint64_t TokenHashHead(uint64_t w0, uint64_t w1, size_t length) {
  const uint64_t h = ((w0 ^ (w1 * kTokenHashSecondWord)) + length) * kTokenHashMix;
  return h ^ (h >> 32);
}
inline uint64_t TokenHashWord(uint64_t h, uint64_t word) {
  h = (h ^ word) * kTokenHashMix;
  return h ^ (h >> 32);
}

// Returns the hash of `s`.
inline uint64_t TokenHash(std::string_view s) {
  uint64_t w[2] = {0, 0};
  if (!s.empty()) std::memcpy(w, s.data(), std::min<size_t>(s.size(), 16));
  uint64_t h = TokenHashHead(w[0], w[1], s.size());
  for (size_t i = 16; i < s.size(); i += 8) {
    uint64_t word = 0;
    std::memcpy(&word, s.data() + i, std::min<size_t>(s.size() - i, 8));
    h = TokenHashWord(h, word);
  }
  return h;
}

// Returns TokenHash(std::string_view(p, length)), reading whole 8-byte words.
// REQUIRES: the bytes up to p + 16, and up to p + length rounded up to 8, are
// readable.
inline uint64_t TokenHashPadded(const char* p, size_t length) {
  uint64_t w0;
  uint64_t w1;
  std::memcpy(&w0, p, 8);
  std::memcpy(&w1, p + 8, 8);
  const HeadMask& m = kHeadMasks[std::min<size_t>(length, 16)];
  uint64_t h = TokenHashHead(w0 & m.first, w1 & m.second, length);
  if (length > 16) [[unlikely]] {
    for (size_t i = 16; i < length; i += 8) {
      uint64_t word;
      std::memcpy(&word, p + i, 8);
      h = TokenHashWord(h, word & LowBytes(length - i));
    }
  }
  return h;
}

// Immutable after construction; all lookups are const and thread-safe.
class SentimentLexicon {
 public:
  // Builds the lexicon from texts. The VADER lexicon keeps the last value of
  // a duplicated token, as the reference does. Returns InvalidArgument naming
  // the source and line of the first malformed line (a missing tab, a
  // valence that is not a number or lies outside -4..+4).
  static Result<SentimentLexicon> Parse(const LexiconTexts& texts);

  // Reads the three files and parses them as Parse() does; an empty
  // `b2b_path` or `emoji_path` means none. Returns IOError naming the path of
  // a file that cannot be read.
  static Result<SentimentLexicon> LoadFiles(const std::string& vader_path, const std::string& emoji_path,
                                            const std::string& b2b_path, SentimentMode mode);

  // Builds the lexicon from the copies compiled into the binary.
  static Result<SentimentLexicon> Embedded(SentimentMode mode);

  SentimentMode mode() const { return mode_; }

  // Returns the entry of a lower-cased token, or nullptr.
  const TokenInfo* Find(std::string_view lower_token) const { return Find(lower_token, TokenHash(lower_token)); }
  // As above, with `hash` == TokenHash(lower_token) already computed.
  const TokenInfo* Find(std::string_view lower_token, uint64_t hash) const;
  // Returns the entry of the lower-cased token at [p, p + length) with hash
  // TokenHashPadded(p, length), or nullptr. REQUIRES: as for TokenHashPadded,
  // and p + 8 is readable.
  const TokenEntry* FindEntryPadded(const char* p, size_t length, uint64_t hash) const {
    return MayContain(hash) ? ProbePadded(p, length, hash) : nullptr;
  }
  // Returns false if no token with `hash` is in the lexicon; true for all
  // tokens that are and a few percent of the others. One read of an 8 KB
  // filter, so that the scorer probes the table for few tokens.
  bool MayContain(uint64_t hash) const {
    const uint64_t bits = FilterBits(hash);
    return (filter_[FilterWord(hash)] & bits) == bits;
  }
  // The presence filter, for code that tests several hashes at once: word
  // hash >> kFilterWordShift must hold bits hash & 63 and (hash >> 6) & 63.
  const uint64_t* filter_words() const { return filter_.data(); }
  static constexpr int kFilterWordShift = 64 - 10;
  // FindEntryPadded without the presence filter.
  const TokenEntry* ProbePadded(const char* p, size_t length, uint64_t hash) const;
  // True if bytes 16.. of a key longer than 16 bytes equal those at p.
  bool LongKeyTailEquals(const TokenEntry& e, const char* p, size_t length) const;
  // Returns the full record of an entry that FindEntryPadded returned.
  const TokenInfo& InfoOf(const TokenEntry* entry) const { return infos_[entry->info]; }
  // The record with index `index` (TokenEntry::info, or InfoIndex()).
  const TokenInfo& InfoAt(uint16_t index) const { return infos_[index]; }
  // The index of a record that Find() returned.
  uint16_t InfoIndex(const TokenInfo* info) const { return static_cast<uint16_t>(info - infos_.data()); }

  // Returns the description of a single-code-point emoji, or "" if none.
  std::string_view EmojiDescription(char32_t cp) const;

  // Returns true if `cp` may start an emoji (cheap pre-check).
  bool MayBeEmoji(char32_t cp) const { return cp >= min_emoji_; }

  // Returns the multi-word phrases (B2B mode); TokenInfo::phrase_begin
  // indexes into this.
  const std::vector<SentimentPhrase>& phrases() const { return phrases_; }

  // Returns the number of distinct tokens with a valence.
  size_t valence_count() const { return valence_count_; }

 private:
  // A slot of the table as built; Freeze() turns the table into index_ and
  // entries_ for lookups.
  struct Slot {
    uint64_t hash = 0;
    uint64_t head = 0;  // the first 8 bytes of the key, zero-padded
    uint32_t key_length = 0;
    uint32_t info = kEmpty;  // index into infos_ and key_offsets_
  };
  struct EmojiEntry {
    char32_t cp;
    uint32_t offset;  // description in emoji_text_
    uint32_t length;
  };
  static constexpr uint32_t kEmpty = 0xFFFFFFFF;

  SentimentLexicon() = default;
  TokenInfo& Upsert(std::string_view lower_token);
  void Rehash(size_t capacity);
  Status ParseVader(std::string_view text, std::string_view name);
  Status ParseEmoji(std::string_view text, std::string_view name);
  Status ParseB2B(std::string_view text, std::string_view name);
  void AddRuleWords();
  void AddVaderPhrases();
  void IndexPhrases();
  // Builds ctrl_ and entries_ from slots_ and infos_; the last step of
  // Parse. InvalidArgument if the lexicon exceeds the entries' 16-bit fields.
  Status Freeze();

  SentimentMode mode_ = SentimentMode::kB2B;
  // Hash bits: 0-11 pick the filter's two bits, 12 and up the build
  // table's slot and the frozen table's group (at most 2^28 slots), 54-63
  // the filter word, 56-63 the frozen table's tag.
  size_t SlotOf(uint64_t hash) const { return (hash >> 12) & slot_mask_; }

  // The frozen table: slots in groups of 16, each with a control byte, 0 for
  // an empty slot, else the tag of its key's hash. A key lives in the first
  // group from its home group on that has room, so a probe compares the 16
  // control bytes of a group at once and reads the entries of the slots
  // whose tag matches (rarely more than the one it looks for); a group with
  // an empty slot ends the probe.
  static constexpr size_t kGroupSize = 16;
  static uint8_t TagOf(uint64_t hash) {
    const auto tag = static_cast<uint8_t>(hash >> 56);
    return tag + (tag == 0);
  }
  size_t GroupOf(uint64_t hash) const { return (hash >> 12) & group_mask_; }
  // Returns the slots of group g whose control byte is `byte`, as bits.
  uint32_t MatchByte(size_t g, uint8_t byte) const {
    const uint8_t* ctrl = ctrl_.data() + kGroupSize * g;
#if defined(__SSE2__)
    const __m128i c = _mm_loadu_si128(reinterpret_cast<const __m128i*>(ctrl));
    return static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(c, _mm_set1_epi8(static_cast<char>(byte)))));
#else
    uint32_t m = 0;
    for (size_t i = 0; i < kGroupSize; ++i) m |= uint32_t{ctrl[i] == byte} << i;
    return m;
#endif
  }
  // The presence filter: a Bloom filter with two bits per key, both in one
  // 64-bit word, chosen by other hash bits than the slot's.
  static size_t FilterWord(uint64_t hash) { return hash >> kFilterWordShift; }
  static uint64_t FilterBits(uint64_t hash) {
    return (uint64_t{1} << (hash & 63)) | (uint64_t{1} << ((hash >> 6) & 63));
  }

  // Three of four tokens of real text are not in the table; a presence
  // filter that fits in the L1 cache answers most of them without touching
  // the table (about 5% false positives at 8,000 keys).
  static constexpr int kFilterWordsLog2 = 64 - kFilterWordShift;
  std::vector<uint64_t> filter_ = std::vector<uint64_t>(size_t{1} << kFilterWordsLog2);

  std::vector<Slot> slots_;  // power-of-two size, at most half full; emptied by Freeze()
  size_t slot_mask_ = 0;     // slots_.size() - 1
  // After Freeze(): the control bytes and, slot by slot, the hot part of
  // each TokenInfo (16 KB and 384 KB for up to 14,000 keys).
  std::vector<uint8_t> ctrl_;
  std::vector<TokenEntry> entries_;
  size_t group_mask_ = 0;
  std::string keys_;         // keys back to back
  std::vector<uint32_t> key_offsets_;
  std::vector<TokenInfo> infos_;
  std::vector<SentimentPhrase> phrases_;
  std::vector<EmojiEntry> emoji_;  // sorted by code point
  std::string emoji_text_;
  char32_t min_emoji_ = 0x110000;
  size_t valence_count_ = 0;
};

inline const TokenEntry* SentimentLexicon::ProbePadded(const char* p, size_t length, uint64_t hash) const {
  uint64_t head;
  uint64_t second;
  std::memcpy(&head, p, 8);
  std::memcpy(&second, p + 8, 8);
  const HeadMask& m = kHeadMasks[std::min<size_t>(length, 16)];
  head &= m.first;
  second &= m.second;
  const uint8_t tag = TagOf(hash);
  for (size_t g = GroupOf(hash);; g = (g + 1) & group_mask_) {
    for (uint32_t match = MatchByte(g, tag); match != 0; match &= match - 1) {
      const TokenEntry& e = entries_[kGroupSize * g + static_cast<size_t>(std::countr_zero(match))];
      if (((e.head ^ head) | (e.second ^ second) | (e.key_length ^ length)) != 0) continue;
      if (length <= 16 || LongKeyTailEquals(e, p, length)) return &e;
    }
    if (MatchByte(g, 0) != 0) return nullptr;
  }
}

}  // namespace earshot::enrich
