// The word knowledge of the sentiment scorer: the VADER lexicon (token ->
// mean human valence on -4..+4), the emoji descriptions, VADER's rule words
// (boosters, dampeners, negations, idiom words) and, in B2B mode, Earshot's
// B2B technology lexicon (data/sentiment/b2b_lexicon.tsv) with its
// multi-word phrases. Everything is resolved into one open-addressing hash
// table keyed by the lower-cased token, so that scoring costs one probe per
// token.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

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

// What the scorer knows about one lower-cased token.
struct TokenInfo {
  static constexpr uint16_t kHasValence = 1 << 0;   // a sentiment word
  static constexpr uint16_t kBooster = 1 << 1;      // booster or dampener
  static constexpr uint16_t kNegation = 1 << 2;     // in VADER's negation list
  static constexpr uint16_t kIdiomWord = 1 << 3;    // part of a special-case idiom
  static constexpr uint16_t kPhraseStart = 1 << 4;  // first word of a B2B phrase
  static constexpr uint16_t kLikeSubject = 1 << 5;  // B2B: makes a following "like" a verb
  static constexpr uint16_t kNonSentiment = 1 << 6; // B2B: a valence removed (sense is neutral in B2B text)

  double valence = 0.0;  // mean valence, -4..+4; meaningful with kHasValence
  double booster = 0.0;  // +0.293 or -0.293; meaningful with kBooster
  uint16_t flags = 0;
  RuleWord rule_word = RuleWord::kNone;
  uint32_t phrase_begin = 0;  // phrases starting with this token: [begin, begin + count)
  uint32_t phrase_count = 0;

  bool Has(uint16_t flag) const { return (flags & flag) != 0; }
};

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

// The token hash: word-at-a-time over the lower-cased bytes, so that the
// scorer hashes a typical token with one or two multiplications straight from
// its lower-cased copy of the text (TokenHashPadded). The table index mixes it
// again.
inline constexpr uint64_t kTokenHashSeed = 0xCBF29CE484222325ULL;
inline uint64_t TokenHashWord(uint64_t h, uint64_t word) {
  h = (h ^ word) * 0x9E3779B97F4A7C15ULL;
  return h ^ (h >> 29);
}

// Returns the hash of `s`.
inline uint64_t TokenHash(std::string_view s) {
  uint64_t h = kTokenHashSeed ^ s.size();
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    h = TokenHashWord(h, w);
  }
  if (i < s.size()) {
    uint64_t w = 0;
    std::memcpy(&w, s.data() + i, s.size() - i);
    h = TokenHashWord(h, w);
  }
  return h;
}

// Returns TokenHash(std::string_view(p, length)), reading whole 8-byte words.
// REQUIRES: the bytes up to p + length rounded up to 8 are readable.
inline uint64_t TokenHashPadded(const char* p, size_t length) {
  // The tail word is masked to the bytes that a byte-wise load puts first.
  static_assert(std::endian::native == std::endian::little, "TokenHashPadded assumes a little-endian load");
  uint64_t h = kTokenHashSeed ^ length;
  size_t i = 0;
  for (; i + 8 <= length; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    h = TokenHashWord(h, w);
  }
  if (i < length) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    h = TokenHashWord(h, w & (~uint64_t{0} >> (64 - 8 * (length - i))));
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
  // As above, for the token at [p, p + length) with hash
  // TokenHashPadded(p, length). REQUIRES: as for TokenHashPadded.
  const TokenInfo* FindPadded(const char* p, size_t length, uint64_t hash) const;

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
  // Keys of up to 8 bytes (most) are compared in the slot itself.
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

  SentimentMode mode_ = SentimentMode::kB2B;
  size_t SlotOf(uint64_t hash) const { return (hash * 0x9E3779B97F4A7C15ULL) >> shift_; }
  // Bit of the presence filter: other hash bits than the slot's.
  static size_t FilterBit(uint64_t hash) { return (hash * 0xC2B2AE3D27D4EB4FULL) >> (64 - kFilterBitsLog2); }

  // Three of four tokens of real text are not in the table; a presence
  // filter that fits in the L1 cache answers most of them without touching
  // the table (about 6% false positives at 8,000 keys).
  static constexpr int kFilterBitsLog2 = 17;
  std::vector<uint64_t> filter_ = std::vector<uint64_t>((size_t{1} << kFilterBitsLog2) / 64);

  std::vector<Slot> slots_;  // power-of-two size, at most half full
  int shift_ = 64;           // 64 - log2(slots_.size())
  std::string keys_;         // keys back to back
  std::vector<uint32_t> key_offsets_;
  std::vector<TokenInfo> infos_;
  std::vector<SentimentPhrase> phrases_;
  std::vector<EmojiEntry> emoji_;  // sorted by code point
  std::string emoji_text_;
  char32_t min_emoji_ = 0x110000;
  size_t valence_count_ = 0;
};

inline const TokenInfo* SentimentLexicon::FindPadded(const char* p, size_t length, uint64_t hash) const {
  const size_t bit = FilterBit(hash);
  if ((filter_[bit >> 6] & (uint64_t{1} << (bit & 63))) == 0) return nullptr;
  uint64_t head;
  std::memcpy(&head, p, 8);
  if (length < 8) head &= ~uint64_t{0} >> (64 - 8 * length);
  const size_t mask = slots_.size() - 1;
  for (size_t i = SlotOf(hash);; i = (i + 1) & mask) {
    const Slot& s = slots_[i];
    if (s.info == kEmpty) return nullptr;
    if (s.hash == hash && s.head == head && s.key_length == length &&
        (length <= 8 || std::memcmp(keys_.data() + key_offsets_[s.info] + 8, p + 8, length - 8) == 0)) {
      return &infos_[s.info];
    }
  }
}

}  // namespace earshot::enrich
