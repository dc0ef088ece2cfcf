#include "enrich/sentiment.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <istream>
#include <memory>
#include <ostream>
#include <string>
#include <type_traits>
#include <vector>

#include "core/strings.h"
#include "core/utf8.h"
#include "core/word_tokenizer.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
// GCC 12's AVX-512 headers trip -Wmaybe-uninitialized on their own
// _mm512_undefined_* placeholders (GCC bug 105593, fixed in GCC 13).
#if !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>
#if !defined(__clang__)
#pragma GCC diagnostic pop
#endif
#endif

namespace earshot::enrich {
namespace {

// VADER's empirically derived constants (Hutto & Gilbert 2014).
constexpr double kCapsIncrement = 0.733;      // an ALL-CAPS word in mixed-case text
constexpr double kNegationScalar = -0.74;     // a negated word
constexpr double kNormalizationAlpha = 15.0;  // compound = x / sqrt(x^2 + alpha)
constexpr double kExclamationIncrement = 0.292;
constexpr int kMaxExclamations = 4;
constexpr double kQuestionIncrement = 0.18;  // for 2 or 3 question marks
constexpr double kMaxQuestionEmphasis = 0.96;
constexpr double kButBefore = 0.5;
constexpr double kButAfter = 1.5;
constexpr double kDampenedBoosterDecay[3] = {1.0, 0.95, 0.9};  // by distance 1, 2, 3
constexpr double kNeverSoScalar = 1.25;
constexpr double kDampenerBigram = -0.293;

// B2B mode: a valence sum whose magnitude stays below the band is reported
// as neutral (compound 0). A single mild word ("want" 0.3, "top" 0.8) would
// otherwise cross the +-0.05 class threshold, which a sum of 0.194 does.
// Posts that share a link are mostly headlines and announcements, whose
// mild words are reported speech, so their band is wider. Both values were
// calibrated on the odd-numbered records of the Sanders tweets only, as the
// best macro-F1 there that keeps Pearson r on VADER's tweets at least 0.867
// (half the allowed 0.01 below the reference); docs/SENTIMENT.md.
constexpr double kB2BNeutralBand = 0.75;
constexpr double kB2BLinkNeutralBand = 1.5;

// Special-case idioms containing lexicon words (vaderSentiment 3.3), and the
// two-word dampeners that act through the same window.
struct Idiom {
  constexpr Idiom(std::initializer_list<std::string_view> w, int n, double v) : size(n), valence(v) {
    int k = 0;
    for (std::string_view word : w) ids[k++] = IdiomWordId(word);
  }
  uint8_t ids[3] = {0, 0, 0};  // IdiomWordId of the words; none is 0
  int size;
  double valence;
};
constexpr Idiom kSpecialCases[] = {
    {{"the", "shit"}, 2, 3.0},         {{"the", "bomb"}, 2, 3.0},          {{"bad", "ass"}, 2, 1.5},
    {{"bus", "stop"}, 2, 0.0},         {{"yeah", "right"}, 2, -2.0},       {{"kiss", "of", "death"}, 3, -1.5},
    {{"to", "die", "for"}, 3, 3.0},    {{"beating", "heart"}, 2, 3.1},     {{"broken", "heart"}, 2, -2.9},
};
constexpr Idiom kDampenerBigrams[] = {
    {{"just", "enough"}, 2, kDampenerBigram},
    {{"kind", "of"}, 2, kDampenerBigram},
    {{"sort", "of"}, 2, kDampenerBigram},
};
constexpr bool AllIdiomWordsKnown() {
  for (const Idiom& idiom : kSpecialCases) {
    for (int k = 0; k < idiom.size; ++k) if (idiom.ids[k] == 0) return false;
  }
  for (const Idiom& idiom : kDampenerBigrams) {
    for (int k = 0; k < idiom.size; ++k) if (idiom.ids[k] == 0) return false;
  }
  return true;
}
static_assert(AllIdiomWordsKnown(), "every idiom word must be in kIdiomWords");

// One scored token: a whitespace-separated word with edge punctuation
// stripped (or, in B2B mode, a matched multi-word phrase).
struct Unit {
  const char* lower = nullptr;  // lower-cased form, in one of the Scratch buffers
  uint32_t lower_length = 0;
  uint16_t flags = 0;  // TokenInfo flags
  RuleWord rule = RuleWord::kNone;
  uint8_t idiom = 0;  // TokenInfo::idiom_word
  bool has_valence = false;
  bool upper = false;    // Python str.isupper() of the token
  bool negates = false;  // a negation word or contains "n't"
  bool name = false;     // an @handle, URL or e-mail address
  bool link = false;     // a URL
  // Read only with a lexicon flag (kPhraseStart: a B2B phrase may start
  // here): SentimentLexicon::InfoAt(info) is the token's record, for its
  // phrases (the rest is copied above).
  uint16_t info = 0;
  // Read only with has_valence, so the tokenizer may leave it as it was.
  double valence = 0.0;

  std::string_view Lower() const { return std::string_view(lower, lower_length); }

  // Makes this a unit that is not (yet) found in the lexicon: text, case and
  // zeros, written as three 8-byte stores (the tokenizer's fast path writes
  // one unit per token).
  void SetPlain(const char* text, uint32_t length, bool is_upper, bool is_negation = false) {
    lower = text;
    const uint64_t length_and_lexicon = length;  // flags, rule and idiom 0
    // Only `upper` and `negates` may be set.
    const uint64_t bits = uint64_t{is_upper} << 8 | uint64_t{is_negation} << 16;
    std::memcpy(reinterpret_cast<char*>(this) + offsetof(Unit, lower_length), &length_and_lexicon, 8);
    std::memcpy(reinterpret_cast<char*>(this) + offsetof(Unit, has_valence), &bits, 8);
  }
};
static_assert(std::is_standard_layout_v<Unit> && std::is_trivially_copyable_v<Unit>);
static_assert(offsetof(Unit, flags) == offsetof(Unit, lower_length) + 4 &&
              offsetof(Unit, rule) == offsetof(Unit, flags) + 2 && offsetof(Unit, idiom) == offsetof(Unit, rule) + 1 &&
              offsetof(Unit, has_valence) == offsetof(Unit, lower_length) + 8 &&
              offsetof(Unit, upper) == offsetof(Unit, has_valence) + 1 &&
              offsetof(Unit, negates) == offsetof(Unit, has_valence) + 2 &&
              offsetof(Unit, name) == offsetof(Unit, has_valence) + 3 &&
              offsetof(Unit, link) == offsetof(Unit, has_valence) + 4 &&
              offsetof(Unit, valence) >= offsetof(Unit, has_valence) + 8,
              "Unit::SetPlain writes these fields as two words");
static_assert(sizeof(Unit) == 32, "RunAsciiAvx512 writes two units per 64-byte store");

// An array that only grows and is never initialised, so that sizing it for
// each text costs nothing (std::string::resize would clear the new bytes).
template <typename T>
class GrowArray {
 public:
  // Returns room for at least `n` elements; invalidates earlier pointers.
  T* Reserve(size_t n) {
    if (n > capacity_) {
      capacity_ = std::max(n, capacity_ * 2);
      data_ = std::make_unique_for_overwrite<T[]>(capacity_);
    }
    return data_.get();
  }

 private:
  std::unique_ptr<T[]> data_;
  size_t capacity_ = 0;
};
using GrowBuffer = GrowArray<char>;

// Byte classes of 64 consecutive bytes of a text: bit i is byte i.
struct ByteMasks {
  uint64_t space = 0;        // Python str.split() separators (ASCII ones)
  uint64_t punct = 0;        // string.punctuation
  uint64_t upper = 0;        // 'A'..'Z'
  uint64_t lower = 0;        // 'a'..'z'
  uint64_t high = 0;         // bytes >= 0x80
  // '@', ':' or a byte >= 0x80, and '\'': a token without them takes
  // RunAscii's fast path (RunAsciiAvx512's also with apostrophes).
  uint64_t rare = 0;
  uint64_t quote = 0;
};

// A unit found in the lexicon.
struct Candidate {
  uint32_t unit = 0;
};

// Per-thread buffers so that scoring allocates nothing in the steady state.
struct Scratch {
  std::string entities;
  std::string emoji;
  GrowBuffer lower;   // the text lower-cased (ASCII letters only), then zero padding
  GrowBuffer folded;  // lower-cased tokens that hold non-ASCII bytes
  GrowBuffer joined;  // B2B phrases, their words joined by single spaces
  GrowArray<ByteMasks> masks;  // of `lower`, one per 64 bytes, then one of separators only
  // Unit array that only grows; the first `count` entries are this text's
  // (avoids re-initialising them for every text).
  std::vector<Unit> units;
  size_t count = 0;
  std::vector<uint32_t> valenced;   // the units with a valence, in order
  // The units found in the lexicon, in unit order (Tokenizer::Resolve).
  std::vector<Candidate> candidates;
  // Per unit, bit u % 64 of word u / 64: the unit passed the presence filter
  // and is to be probed (with hashes[u]), or was found already.
  GrowArray<uint64_t> probe_words;
  GrowArray<uint64_t> found_words;
  GrowArray<uint64_t> hashes;
  // Token starts (RunAsciiAvx512): offset in the block, and the block.
  GrowArray<uint8_t> token_offsets;
  GrowArray<uint16_t> token_blocks;
  GrowArray<uint64_t> slow_words;  // the tokens it leaves to the slow path, a bit each
};

Scratch& ThreadScratch() {
  thread_local Scratch scratch;
  return scratch;
}

// Python str.split() separators: ASCII whitespace, \x1c-\x1f and the
// Unicode spaces.
constexpr bool IsPythonSpace(char32_t cp) {
  if (cp < 0x80) return (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x20);
  return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
         cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

// Returns true if `text` holds a Unicode space that Python's str.split()
// splits on (its lead byte is 0xC2, 0xE1, 0xE2 or 0xE3).
bool HasUnicodeSpace(std::string_view text) {
  for (size_t pos = 0; pos < text.size();) {
    const auto c = static_cast<unsigned char>(text[pos]);
    if (c < 0xC2 || (c > 0xC2 && c != 0xE1 && c != 0xE2 && c != 0xE3)) {
      ++pos;
      continue;
    }
    if (IsPythonSpace(DecodeUtf8(text, pos))) return true;
  }
  return false;
}

// Python string.punctuation.
constexpr bool IsAsciiPunct(char c) {
  return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') || (c >= '{' && c <= '~');
}

// True for lower-case letters of the scripts that have case. Python's
// isupper() needs "no lower-case letter"; uncased letters (CJK, Arabic...)
// and combining marks do not count.
bool IsCasedLower(char32_t cp) {
  if (FoldCase(cp) != cp || !IsWordChar(cp)) return false;
  return (cp >= 0xAA && cp < 0x300) || (cp >= 0x370 && cp < 0x590) || (cp >= 0x10A0 && cp < 0x1100) ||
         (cp >= 0x1D00 && cp < 0x1DC0) || (cp >= 0x1E00 && cp < 0x2000) || (cp >= 0x2C00 && cp < 0x2D30) ||
         (cp >= 0xA640 && cp < 0xA6A0) || (cp >= 0xA720 && cp < 0xA800) || (cp >= 0xFF41 && cp <= 0xFF5A);
}

// Writes the UTF-8 form of `cp` (a valid scalar value) to `out`; returns
// its length.
size_t EncodeUtf8(char32_t cp, char* out) {
  if (cp < 0x80) {
    out[0] = static_cast<char>(cp);
    return 1;
  }
  if (cp < 0x800) {
    out[0] = static_cast<char>(0xC0 | (cp >> 6));
    out[1] = static_cast<char>(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (cp >> 12));
    out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = static_cast<char>(0xF0 | (cp >> 18));
  out[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
  out[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  out[3] = static_cast<char>(0x80 | (cp & 0x3F));
  return 4;
}

// What one pass over the text finds before tokenizing.
struct TextScan {
  int exclamations = 0;
  int questions = 0;
  bool ampersand = false;
  bool non_ascii = false;
};

// Bytes of zero padding after the lower-cased text, so that whole-word reads
// of a token's end, and whole-block reads of the block after the last, stay
// in the buffer.
constexpr size_t kPadding = 64;

// Counters of ScanBlock, summed over the blocks of one text.
struct ScanCounts {
#if defined(__SSE2__)
  // Per-byte-lane counts of '!' and '?', emptied into the totals before a
  // lane can overflow (each block adds at most 4 to a lane).
  __m128i exclamation_lanes = _mm_setzero_si128();
  __m128i question_lanes = _mm_setzero_si128();
  __m128i ampersand = _mm_setzero_si128();
  __m128i high = _mm_setzero_si128();
  int blocks_in_lanes = 0;
#else
  bool ampersand = false;
  bool high = false;
#endif
  int exclamations = 0;
  int questions = 0;
};

#if defined(__SSE2__)
inline __m128i Above(__m128i c, int x) { return _mm_cmpgt_epi8(c, _mm_set1_epi8(static_cast<char>(x))); }
inline __m128i Below(__m128i c, int x) { return _mm_cmpgt_epi8(_mm_set1_epi8(static_cast<char>(x)), c); }
inline uint64_t MaskBits(__m128i m, int chunk) {
  return static_cast<uint64_t>(static_cast<uint16_t>(_mm_movemask_epi8(m))) << (16 * chunk);
}
inline int SumLanes(__m128i lanes) {
  const __m128i sums = _mm_sad_epu8(lanes, _mm_setzero_si128());
  return _mm_cvtsi128_si32(sums) + _mm_cvtsi128_si32(_mm_srli_si128(sums, 8));
}
#endif

// Writes the first `chunks` 16-byte chunks of the 64 bytes at `in`, ASCII
// letters lower-cased, to `out`, returns their classes (none for the other
// chunks) and adds their '!', '?', '&' and non-ASCII bytes to `counts`.
// Signed byte compares leave bytes >= 0x80 (negative) out of every class.
inline ByteMasks ScanBlock(const char* in, char* out, ScanCounts& counts, int chunks = 4) {
  ByteMasks m;
#if defined(__SSE2__)
  for (int k = 0; k < chunks; ++k) {
    const __m128i c = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + 16 * k));
    const __m128i upper = _mm_and_si128(Above(c, 'A' - 1), Below(c, 'Z' + 1));
    const __m128i lower = _mm_and_si128(Above(c, 'a' - 1), Below(c, 'z' + 1));
    const __m128i digit = _mm_and_si128(Above(c, '0' - 1), Below(c, '9' + 1));
    const __m128i graphic = _mm_and_si128(Above(c, ' '), Below(c, 0x7F));
    const __m128i punct = _mm_andnot_si128(_mm_or_si128(_mm_or_si128(upper, lower), digit), graphic);
    const __m128i space = _mm_or_si128(_mm_and_si128(Above(c, 0x08), Below(c, 0x0E)),
                                       _mm_and_si128(Above(c, 0x1B), Below(c, 0x21)));
    const __m128i rare = _mm_or_si128(_mm_cmpeq_epi8(c, _mm_set1_epi8('@')), _mm_cmpeq_epi8(c, _mm_set1_epi8(':')));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 16 * k),
                     _mm_or_si128(c, _mm_and_si128(upper, _mm_set1_epi8(0x20))));
    m.space |= MaskBits(space, k);
    m.punct |= MaskBits(punct, k);
    m.upper |= MaskBits(upper, k);
    m.lower |= MaskBits(lower, k);
    const uint64_t high = MaskBits(c, k);  // the sign bits
    m.high |= high;
    m.rare |= MaskBits(rare, k) | high;
    m.quote |= MaskBits(_mm_cmpeq_epi8(c, _mm_set1_epi8('\'')), k);
    // A compare yields -1 per match: subtracting it counts.
    counts.exclamation_lanes = _mm_sub_epi8(counts.exclamation_lanes, _mm_cmpeq_epi8(c, _mm_set1_epi8('!')));
    counts.question_lanes = _mm_sub_epi8(counts.question_lanes, _mm_cmpeq_epi8(c, _mm_set1_epi8('?')));
    counts.ampersand = _mm_or_si128(counts.ampersand, _mm_cmpeq_epi8(c, _mm_set1_epi8('&')));
    counts.high = _mm_or_si128(counts.high, c);
  }
  if (++counts.blocks_in_lanes == 63) {
    counts.exclamations += SumLanes(counts.exclamation_lanes);
    counts.questions += SumLanes(counts.question_lanes);
    counts.exclamation_lanes = _mm_setzero_si128();
    counts.question_lanes = _mm_setzero_si128();
    counts.blocks_in_lanes = 0;
  }
#else
  for (int i = 0; i < 16 * chunks; ++i) {
    const unsigned char c = static_cast<unsigned char>(in[i]);
    const uint64_t bit = uint64_t{1} << i;
    const bool upper = c >= 'A' && c <= 'Z';
    const bool lower = c >= 'a' && c <= 'z';
    out[i] = static_cast<char>(upper ? c + 32 : c);
    if ((c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20)) m.space |= bit;
    if (c < 0x80 && IsAsciiPunct(static_cast<char>(c))) m.punct |= bit;
    if (upper) m.upper |= bit;
    if (lower) m.lower |= bit;
    if (c >= 0x80) m.high |= bit;
    if (c == '@' || c == ':' || c >= 0x80) m.rare |= bit;
    if (c == '\'') m.quote |= bit;
    counts.exclamations += c == '!';
    counts.questions += c == '?';
    counts.ampersand |= c == '&';
    counts.high |= c >= 0x80;
  }
#endif
  return m;
}

// Counts what Score needs to know about `text`, writes it, ASCII letters
// lower-cased, to s.lower (zero bytes after it up to the next multiple of 64,
// then kPadding more) and its byte classes to s.masks: one ByteMasks per 64
// bytes up to and including the one that holds byte text.size(), whose bytes
// from there on count as separators, then one of separators only.
TextScan ScanText(std::string_view text, Scratch& s) {
  const size_t n = text.size();
  const size_t blocks = n / 64 + 1;
  char* lower = s.lower.Reserve(blocks * 64 + kPadding);
  ByteMasks* masks = s.masks.Reserve(blocks + 1);
  ScanCounts counts;
  const size_t full = n / 64;
  for (size_t k = 0; k < full; ++k) masks[k] = ScanBlock(text.data() + 64 * k, lower + 64 * k, counts);
  // The last block from a zeroed copy (zero bytes are in no class), only as
  // far as the text goes; zeros after it.
  const size_t rest = n - 64 * full;
  char tail[64] = {};
  if (rest > 0) std::memcpy(tail, text.data() + 64 * full, rest);
  const int chunks = static_cast<int>((rest + 15) / 16);
  masks[full] = ScanBlock(tail, lower + 64 * full, counts, chunks);
  std::memset(lower + 64 * full + 16 * chunks, 0, 64 - 16 * chunks);
  masks[full].space |= ~uint64_t{0} << rest;
  masks[full + 1] = ByteMasks{.space = ~uint64_t{0}};
  std::memset(lower + 64 * blocks, 0, kPadding);
  TextScan t;
#if defined(__SSE2__)
  t.exclamations = counts.exclamations + SumLanes(counts.exclamation_lanes);
  t.questions = counts.questions + SumLanes(counts.question_lanes);
  t.ampersand = _mm_movemask_epi8(counts.ampersand) != 0;
  t.non_ascii = _mm_movemask_epi8(counts.high) != 0;
#else
  t.exclamations = counts.exclamations;
  t.questions = counts.questions;
  t.ampersand = counts.ampersand;
  t.non_ascii = counts.high;
#endif
  return t;
}

#if defined(__x86_64__) && defined(__GNUC__)
#define EARSHOT_SCAN_AVX512 1
// ScanText for processors with AVX-512BW (checked at run time): a 64-byte
// block is one load, each byte class one compare straight into a 64-bit
// mask, and the last block a masked load, with no copy of the tail. The
// classes and counts are those of ScanText.
#define EARSHOT_TARGET_AVX512 gnu::target("avx512f,avx512bw,popcnt")
// The vector tokenizer's instruction sets (64-bit lane multiplies, leading
// zero counts).
#define EARSHOT_TARGET_AVX512_TOKENS \
  gnu::target("avx512f,avx512bw,avx512dq,avx512cd,avx512vl,avx512vbmi,avx512vbmi2,avx2,bmi,bmi2,lzcnt,popcnt")
// Bytes c with low <= c < low + count (unsigned).
[[EARSHOT_TARGET_AVX512, gnu::always_inline]] inline uint64_t InRange(__m512i c, char low, char count) {
  return _mm512_cmplt_epu8_mask(_mm512_sub_epi8(c, _mm512_set1_epi8(low)), _mm512_set1_epi8(count));
}
[[EARSHOT_TARGET_AVX512, gnu::always_inline]] inline uint64_t Equal(__m512i c, char x) {
  return _mm512_cmpeq_epi8_mask(c, _mm512_set1_epi8(x));
}

// What the AVX-512 scans count across a text's blocks; Finish() ends the
// scan as ScanText does.
struct ScanTally {
  int exclamations = 0;
  int questions = 0;
  uint64_t ampersand = 0;
  uint64_t high = 0;

  // Writes the block of separators after the last and the zero padding.
  TextScan Finish(ByteMasks* masks, char* lower, size_t blocks) const {
    masks[blocks] = ByteMasks{.space = ~uint64_t{0}};
    std::memset(lower + 64 * blocks, 0, kPadding);
    return TextScan{.exclamations = exclamations,
                    .questions = questions,
                    .ampersand = ampersand != 0,
                    .non_ascii = high != 0};
  }
};

// The bytes of block k of a text of n bytes that are in the text.
inline uint64_t LiveBytes(size_t n, size_t k) {
  const size_t left = n - 64 * k;
  return left >= 64 ? ~uint64_t{0} : (uint64_t{1} << left) - 1;
}

[[EARSHOT_TARGET_AVX512]] TextScan ScanTextAvx512(std::string_view text, Scratch& s) {
  const size_t blocks = text.size() / 64 + 1;
  char* lower = s.lower.Reserve(blocks * 64 + kPadding);
  ByteMasks* masks = s.masks.Reserve(blocks + 1);
  ScanTally tally;
  for (size_t k = 0; k < blocks; ++k) {
    const uint64_t live = LiveBytes(text.size(), k);
    // Bytes past the text load as zero, which is in no class.
    const __m512i c = _mm512_maskz_loadu_epi8(live, text.data() + 64 * k);
    const uint64_t upper = InRange(c, 'A', 26);
    const uint64_t lower_case = InRange(c, 'a', 26);
    const uint64_t digit = InRange(c, '0', 10);
    const uint64_t graphic = InRange(c, '!', 94);  // '!'..'~'
    ByteMasks& m = masks[k];
    m.space = InRange(c, 0x09, 5) | InRange(c, 0x1C, 5) | ~live;
    m.punct = graphic & ~(upper | lower_case | digit);
    m.upper = upper;
    m.lower = lower_case;
    m.high = _mm512_movepi8_mask(c);
    m.rare = Equal(c, '@') | Equal(c, ':') | m.high;
    m.quote = Equal(c, '\'');
    tally.exclamations += std::popcount(static_cast<uint64_t>(Equal(c, '!')));
    tally.questions += std::popcount(static_cast<uint64_t>(Equal(c, '?')));
    tally.ampersand |= Equal(c, '&');
    tally.high |= m.high;
    _mm512_storeu_si512(lower + 64 * k, _mm512_mask_add_epi8(c, upper, c, _mm512_set1_epi8(0x20)));
  }
  return tally.Finish(masks, lower, blocks);
}

// The classes of the ASCII bytes, a bit each, for ScanTextVbmi's one-table
// lookup (bytes >= 0x80 are in none).
enum : uint8_t {
  kClassSpace = 1,
  kClassPunct = 2,
  kClassUpper = 4,
  kClassLower = 8,
  kClassAtOrColon = 16,
  kClassQuote = 32,
  kClassBang = 64,
  kClassQuestion = 128,
};
constexpr std::array<uint8_t, 128> kAsciiClasses = [] {
  std::array<uint8_t, 128> t{};
  for (int c = 0; c < 128; ++c) {
    uint8_t b = 0;
    if ((c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20)) b |= kClassSpace;
    if (c >= '!' && c <= '~' && !(c >= '0' && c <= '9') && !(c >= 'A' && c <= 'Z') && !(c >= 'a' && c <= 'z')) {
      b |= kClassPunct;
    }
    if (c >= 'A' && c <= 'Z') b |= kClassUpper;
    if (c >= 'a' && c <= 'z') b |= kClassLower;
    if (c == '@' || c == ':') b |= kClassAtOrColon;
    if (c == '\'') b |= kClassQuote;
    if (c == '!') b |= kClassBang;
    if (c == '?') b |= kClassQuestion;
    t[c] = b;
  }
  return t;
}();

// The bytes among `ascii` whose class byte has `bit`.
[[EARSHOT_TARGET_AVX512_TOKENS, gnu::always_inline]] inline uint64_t InClass(uint64_t ascii, __m512i classes,
                                                                            uint8_t bit) {
  return _mm512_mask_test_epi8_mask(ascii, classes, _mm512_set1_epi8(static_cast<char>(bit)));
}

// ScanTextAvx512 with the byte classes from one 128-byte table lookup
// (vpermi2b) and a bit test per class, in place of a compare or two per
// class; the same masks and counts.
[[EARSHOT_TARGET_AVX512_TOKENS]] TextScan ScanTextVbmi(std::string_view text, Scratch& s) {
  const size_t blocks = text.size() / 64 + 1;
  char* lower = s.lower.Reserve(blocks * 64 + kPadding);
  ByteMasks* masks = s.masks.Reserve(blocks + 1);
  const __m512i table_low = _mm512_loadu_si512(kAsciiClasses.data());
  const __m512i table_high = _mm512_loadu_si512(kAsciiClasses.data() + 64);
  ScanTally tally;
  for (size_t k = 0; k < blocks; ++k) {
    const uint64_t live = LiveBytes(text.size(), k);
    const __m512i c = _mm512_maskz_loadu_epi8(live, text.data() + 64 * k);
    const uint64_t non_ascii = _mm512_movepi8_mask(c);
    // The table is indexed by the low 7 bits: non-ASCII bytes are masked off.
    const __m512i classes = _mm512_permutex2var_epi8(table_low, c, table_high);
    const uint64_t ascii = ~non_ascii;
    const uint64_t upper = InClass(ascii, classes, kClassUpper);
    ByteMasks& m = masks[k];
    m.space = InClass(ascii, classes, kClassSpace) | ~live;
    m.punct = InClass(ascii, classes, kClassPunct);
    m.upper = upper;
    m.lower = InClass(ascii, classes, kClassLower);
    m.high = non_ascii;
    m.rare = InClass(ascii, classes, kClassAtOrColon) | non_ascii;
    m.quote = InClass(ascii, classes, kClassQuote);
    tally.exclamations += std::popcount(InClass(ascii, classes, kClassBang));
    tally.questions += std::popcount(InClass(ascii, classes, kClassQuestion));
    tally.ampersand |= Equal(c, '&');
    tally.high |= non_ascii;
    _mm512_storeu_si512(lower + 64 * k, _mm512_mask_add_epi8(c, upper, c, _mm512_set1_epi8(0x20)));
  }
  return tally.Finish(masks, lower, blocks);
}
#endif

using ScanFunction = TextScan (*)(std::string_view, Scratch&);

// Replaces each single-code-point emoji by its description, as the
// reference does: a space before it unless one precedes, none after.
std::string_view ReplaceEmoji(std::string_view text, const SentimentLexicon& lex, std::string& out) {
  out.clear();
  // No emoji is ASCII (unless a custom lexicon says otherwise): runs of
  // ASCII bytes are copied whole.
  const bool ascii_plain = !lex.MayBeEmoji(0x7F);
  bool prev_space = true;
  size_t pos = 0;
  while (pos < text.size()) {
    if (ascii_plain) {
      size_t run = pos;
      while (run < text.size() && static_cast<unsigned char>(text[run]) < 0x80) ++run;
      if (run > pos) {
        out.append(text.substr(pos, run - pos));
        prev_space = text[run - 1] == ' ';
        pos = run;
        continue;
      }
    }
    const size_t start = pos;
    const unsigned char c = static_cast<unsigned char>(text[pos]);
    char32_t cp = c;
    if (c < 0x80) {
      ++pos;
    } else {
      cp = DecodeUtf8(text, pos);
    }
    std::string_view description = lex.MayBeEmoji(cp) ? lex.EmojiDescription(cp) : std::string_view();
    if (!description.empty()) {
      if (!prev_space) out.push_back(' ');
      out.append(description);
      prev_space = false;
    } else {
      out.append(text.substr(start, pos - start));
      prev_space = cp == ' ';
    }
  }
  return out;
}

// B2B mode: decodes the HTML entities that social APIs leave in text
// ("&lt;3" is a heart, "&amp;" an ampersand).
std::string_view DecodeBasicEntities(std::string_view text, std::string& out) {
  if (text.find('&') == std::string_view::npos) return text;
  static constexpr std::pair<std::string_view, char> kEntities[] = {
      {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}, {"&apos;", '\''}};
  out.clear();
  size_t pos = 0;
  while (pos < text.size()) {
    if (text[pos] == '&') {
      bool replaced = false;
      for (const auto& [entity, ch] : kEntities) {
        if (text.compare(pos, entity.size(), entity) == 0) {
          out.push_back(ch);
          pos += entity.size();
          replaced = true;
          break;
        }
      }
      if (replaced) continue;
    }
    out.push_back(text[pos++]);
  }
  return out;
}

// Byte classes of the tokenizer.
constexpr uint8_t kSpaceByte = 1;  // Python str.split() separator
constexpr uint8_t kPunctByte = 2;  // string.punctuation
constexpr uint8_t kUpperByte = 4;
constexpr uint8_t kLowerByte = 8;
constexpr uint8_t kApostropheByte = 16;
constexpr uint8_t kAtOrColonByte = 32;  // e-mail addresses, "://" of URLs
constexpr uint8_t kNonAsciiByte = 64;
constexpr uint8_t kMaybeSpaceByte = 128;  // a lead byte of some Unicode spaces

constexpr std::array<uint8_t, 256> MakeByteClasses() {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    if ((c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20)) t[c] |= kSpaceByte;
    if (c < 0x80 && IsAsciiPunct(static_cast<char>(c))) t[c] |= kPunctByte;
    if (c >= 'A' && c <= 'Z') t[c] |= kUpperByte;
    if (c >= 'a' && c <= 'z') t[c] |= kLowerByte;
    if (c == '\'') t[c] |= kApostropheByte;
    if (c == '@' || c == ':') t[c] |= kAtOrColonByte;
    if (c >= 0x80) t[c] |= kNonAsciiByte;
    // Only these lead bytes start a Unicode space (U+0085, U+00A0, U+1680,
    // U+2000-U+205F, U+3000).
    if (c == 0xC2 || c == 0xE1 || c == 0xE2 || c == 0xE3) t[c] |= kMaybeSpaceByte;
  }
  return t;
}
constexpr std::array<uint8_t, 256> kByteClass = MakeByteClasses();

inline uint8_t ClassOf(char c) { return kByteClass[static_cast<unsigned char>(c)]; }

// Cuts `text` into units: whitespace-separated tokens with leading and
// trailing punctuation stripped unless that leaves two characters or fewer
// (so emoticons such as ":)" survive), and looks each up once. ASCII tokens
// (nearly all) are hashed straight from the lower-cased copy of the text made
// by ScanText; a token with other bytes is folded code point by code
// point into Scratch::folded. In a text without Unicode spaces (RunAscii)
// tokens are cut and stripped from ScanText's byte-class masks, and only
// those that pass the lexicon's presence filter are looked up, together, by
// Resolve().
class Tokenizer {
 public:
  Tokenizer(const SentimentLexicon& lex, Scratch& s) : lex_(lex), s_(s) {}

  // Fills s.units and s.count; returns the number of all-caps units.
  // REQUIRES: `lower` is ScanText's output for `text`.
  size_t Run(std::string_view text, const char* lower) {
    Start(text, lower);
    const char* p = text.data();
    const size_t n = text.size();
    size_t pos = 0;
    while (pos < n) {
      uint8_t cls = ClassOf(p[pos]);
      if (cls & kSpaceByte) {
        ++pos;
        continue;
      }
      if (cls & kMaybeSpaceByte) {
        if (const size_t len = UnicodeSpaceLength(text, pos)) {
          pos += len;
          continue;
        }
      }
      // Byte by byte also for multi-byte code points: no continuation byte
      // is a lead byte of a space.
      const size_t start = pos;
      uint8_t classes = 0;
      do {
        classes |= cls;
        if (++pos >= n) break;
        cls = ClassOf(p[pos]);
      } while (!(cls & kSpaceByte) && !((cls & kMaybeSpaceByte) && UnicodeSpaceLength(text, pos) > 0));
      AddToken(text, start, pos, classes, count_++);
    }
    s_.count = count_;
    return upper_count_;
  }

  // As Run, for a text without Unicode spaces (the masks mark only ASCII
  // separators): cuts tokens at the separator bits of `masks` and classifies
  // each from the masks, with no loop over its bytes; a token with a rare
  // byte (`'`, `@`, `:`, non-ASCII) takes AddAsciiToken. REQUIRES: `lower`
  // and `masks` are ScanText's output for `text`.
  size_t RunAscii(std::string_view text, const char* lower, const ByteMasks* masks) {
    Start(text, lower);
    masks_ = masks;
    // The state lives in locals (registers) and is written back around the
    // out-of-line path.
    Unit* const units = units_;
    uint64_t* const hashes = hashes_;
    uint64_t* const probe_words = probe_words_;
    const SentimentLexicon& lex = lex_;
    size_t count = 0;
    // The probe bits of units [64 * (count / 64), count): set by OR in a
    // register, so that no token waits for the previous one's filter read.
    uint64_t probe_word = 0;
    size_t upper_count = 0;
    const size_t blocks = text.size() / 64 + 1;
    uint64_t before = 1;  // the byte before the text counts as a separator
    for (size_t k = 0; k < blocks; ++k) {
      const uint64_t space = masks[k].space;
      // A token starts at a non-separator after a separator.
      uint64_t starts = ~space & ((space << 1) | before);
      before = space >> 63;
      const uint64_t block_rare = masks[k].rare | masks[k].quote;
      const uint64_t block_punct = masks[k].punct;
      const uint64_t block_upper = masks[k].upper;
      const uint64_t block_lower = masks[k].lower;
      const char* const block_text = lower + 64 * k;
      while (starts != 0) {
        const unsigned o = static_cast<unsigned>(std::countr_zero(starts));
        starts &= starts - 1;
        // The separators from the token on; its bits are those below the
        // first (all 63 when it runs into the next block, rest == 0).
        const uint64_t rest = space >> o;
        const uint64_t token = (rest ^ (rest - 1)) >> 1;
        if (rest == 0 || ((block_rare >> o) & token) != 0) [[unlikely]] {
          const size_t start = 64 * k + o;
          const size_t end = rest != 0 ? start + static_cast<size_t>(std::countr_zero(rest)) : TokenEnd(masks, k + 1);
          probe_words[count / 64] = probe_word;
          upper_count_ = upper_count;
          AddAsciiToken(text, start, end, masks, count);
          upper_count = upper_count_;
          probe_word = probe_words[count / 64];
          ++count;
          if (count % 64 == 0) [[unlikely]] {
            probe_words[count / 64 - 1] = probe_word;
            probe_word = 0;
          }
          continue;
        }
        // No apostrophe, '@' or ':': negating only as a negation word, a name
        // only as "www." (Resolve and any_link check that). Computed without
        // branches (a token's case and punctuation are unpredictable).
        const size_t length = static_cast<size_t>(std::countr_zero(rest));
        const uint64_t punct = (block_punct >> o) & token;
        const size_t lead = static_cast<size_t>(std::countr_one(punct));
        const size_t trail = static_cast<size_t>(std::countl_one(punct << (64 - length)));
        // Strip unless that leaves two characters or fewer; all punctuation
        // (lead = trail = length) leaves less than none.
        const size_t strip =
            size_t{0} - static_cast<size_t>(static_cast<ptrdiff_t>(length - lead - trail) > 2);
        const size_t b = o + (lead & strip);
        const size_t e = o + length - (trail & strip);
        // Python's isupper(): a cased letter and no lower-case one.
        const bool upper = (((block_upper >> o) & token) != 0) & (((block_lower >> o) & token) == 0);
        upper_count += upper;
        const uint64_t h = TokenHashPadded(block_text + b, e - b);
        units[count].SetPlain(block_text + b, static_cast<uint32_t>(e - b), upper);
        hashes[count] = h;
        probe_word |= uint64_t{lex.MayContain(h)} << (count % 64);
        ++count;
        if (count % 64 == 0) [[unlikely]] {
          probe_words[count / 64 - 1] = probe_word;
          probe_word = 0;
        }
      }
    }
    probe_words[count / 64] = probe_word;
    count_ = count;
    upper_count_ = upper_count;
    s_.count = count_;
    return upper_count_;
  }

#if EARSHOT_SCAN_AVX512
  // RunAscii eight tokens at a time, in the lanes of AVX-512 registers: the
  // same units, hashes and probe bits. Token starts are listed first; then
  // each group of up to eight tokens, from one 64-byte block or the next,
  // is cut, stripped and classified from the masks, hashed from its first 16
  // kept bytes (picked from the two blocks with vpermi2b) and tested against
  // the presence filter (one gather of filter words) in about a hundred
  // instructions, where RunAscii spends about a hundred per token. Tokens
  // with '@', ':' or non-ASCII bytes, of 64 bytes or more, or longer than 16
  // bytes when stripped take AddAsciiToken after the groups.
  [[EARSHOT_TARGET_AVX512_TOKENS]] size_t RunAsciiAvx512(std::string_view text, const char* lower,
                                                         const ByteMasks* masks) {
    Start(text, lower);
    masks_ = masks;
    const size_t max_units = text.size() / 2 + 2;
    // Each token's start: its offset in its block and the block's number,
    // a block's in one compress and two 64-byte stores (a block holds at
    // most 32 tokens), which may reach 64 bytes past the last token.
    uint8_t* const offsets = s_.token_offsets.Reserve(max_units + 64);
    uint16_t* const token_blocks = s_.token_blocks.Reserve(max_units + 32);
    size_t count = 0;
    uint64_t before = 1;  // the byte before the text counts as a separator
    const size_t blocks = text.size() / 64 + 1;
    const __m512i iota = _mm512_set_epi8(63, 62, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47, 46, 45,
                                         44, 43, 42, 41, 40, 39, 38, 37, 36, 35, 34, 33, 32, 31, 30, 29, 28, 27, 26,
                                         25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5,
                                         4, 3, 2, 1, 0);
    for (size_t k = 0; k < blocks; ++k) {
      const uint64_t space = masks[k].space;
      const uint64_t starts = ~space & ((space << 1) | before);
      before = space >> 63;
      _mm512_storeu_si512(offsets + count, _mm512_maskz_compress_epi8(starts, iota));
      _mm512_storeu_si512(token_blocks + count, _mm512_set1_epi16(static_cast<short>(k)));
      count += static_cast<size_t>(std::popcount(starts));
    }

    const __m512i zero = _mm512_setzero_si512();
    const __m512i one = _mm512_set1_epi64(1);
    const __m512i ones = _mm512_set1_epi64(-1);
    const __m512i low6 = _mm512_set1_epi64(63);
    // Each lane's byte 0 to all its bytes; then 0, 1, .. 7 added.
    const __m512i spread = _mm512_set_epi64(0x0808080808080808, 0, 0x0808080808080808, 0, 0x0808080808080808, 0,
                                            0x0808080808080808, 0);
    const __m512i byte_steps = _mm512_set1_epi64(0x0706050403020100);
    const __m512i eight = _mm512_set1_epi8(8);
    // Units 2p and 2p + 1 of a group: the text and length words of lanes 2p
    // and 2p + 1 (p added), then their bits.
    const __m512i pair_words = _mm512_set_epi64(0, 0, 9, 1, 0, 0, 8, 0);
    const __m512i pair_bits = _mm512_set_epi64(0, 1, 0, 0, 0, 0, 0, 0);
    const __m512i text_at = _mm512_set1_epi64(static_cast<long long>(reinterpret_cast<uintptr_t>(lower)));
    const uint64_t* const filter = lex_.filter_words();
    Unit* const units = units_;
    const size_t words = count / 64 + 2;
    uint64_t* const slow_words = s_.slow_words.Reserve(words);
    std::fill_n(slow_words, words, 0);
    size_t upper_count = 0;
    __mmask8 www = 0;
    for (size_t first = 0; first < count;) {
      const size_t left = count - first;
      const __m512i o = _mm512_cvtepu8_epi64(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(offsets + first)));
      const __m512i block = _mm512_cvtepu16_epi64(_mm_loadu_si128(reinterpret_cast<const __m128i*>(token_blocks + first)));
      const __m512i start = _mm512_or_si512(_mm512_slli_epi64(block, 6), o);

      // The lanes of block k0 or k0 + 1 (a prefix: starts ascend). The mask
      // fields of a lane are read from its token's start on: for block k0,
      // through block k0 + 1; for block k0 + 1, to its end (a token that runs
      // on from there waits for a later group). masks[k0 + 1] exists: ScanText
      // writes one block of separators past the text.
      const size_t k0 = token_blocks[first];
      const __mmask8 next = _mm512_cmpeq_epi64_mask(block, _mm512_set1_epi64(static_cast<long long>(k0 + 1)));
      const ByteMasks& m0 = masks[k0];
      const ByteMasks& m1 = masks[k0 + 1];
      const LaneWindows window(next, o);
      // The separators from the token on; the length counts to the first
      // (countr_zero(x) = 64 - lzcnt(~x & (x - 1))).
      const __m512i rest = window.Of(m0.space, m1.space);
      const __mmask8 no_end = _mm512_testn_epi64_mask(rest, rest);
      const __mmask8 live = static_cast<__mmask8>(left >= 8 ? 0xFF : (1u << left) - 1) &
                            _mm512_cmple_epu64_mask(block, _mm512_set1_epi64(static_cast<long long>(k0 + 1))) &
                            static_cast<__mmask8>(~(next & no_end));
      const __m512i length = _mm512_sub_epi64(
          _mm512_set1_epi64(64), _mm512_lzcnt_epi64(_mm512_andnot_si512(rest, _mm512_sub_epi64(rest, one))));
      // The token's bits from o.
      const __m512i token = _mm512_sub_epi64(_mm512_sllv_epi64(one, length), one);
      // 64 bytes or longer, or with '@', ':' or a non-ASCII byte: the slow
      // path.
      __mmask8 slow = no_end | _mm512_test_epi64_mask(window.Of(m0.rare, m1.rare), token);
      const __m512i punct = _mm512_and_si512(window.Of(m0.punct, m1.punct), token);
      // countr_one(punct) = 64 - lzcnt(punct & (~punct - 1)).
      const __m512i lead = _mm512_sub_epi64(
          _mm512_set1_epi64(64),
          _mm512_lzcnt_epi64(_mm512_and_si512(punct, _mm512_sub_epi64(_mm512_xor_si512(punct, ones), one))));
      // countl_one of the token's bits moved to the top.
      const __m512i trail = _mm512_lzcnt_epi64(
          _mm512_xor_si512(_mm512_sllv_epi64(punct, _mm512_sub_epi64(_mm512_set1_epi64(64), length)), ones));
      // Strip unless that leaves two characters or fewer (all punctuation:
      // lead = trail = length).
      const __mmask8 strip = _mm512_cmpgt_epi64_mask(_mm512_sub_epi64(length, _mm512_add_epi64(lead, trail)),
                                                     _mm512_set1_epi64(2));
      const __m512i kept_at = _mm512_mask_add_epi64(start, strip, start, lead);
      const __m512i kept = _mm512_mask_sub_epi64(length, strip, length, _mm512_add_epi64(lead, trail));
      slow |= _mm512_cmpgt_epu64_mask(kept, _mm512_set1_epi64(16));
      const __mmask8 fast = live & static_cast<__mmask8>(~slow);
      // Python's isupper(): a cased letter and no lower-case one.
      const __mmask8 upper = _mm512_test_epi64_mask(window.Of(m0.upper, m1.upper), token) &
                             _mm512_testn_epi64_mask(window.Of(m0.lower, m1.lower), token);
      // TokenHashPadded: the first 16 kept bytes, the rest masked off,
      // picked from the two blocks (a token of block k0 + 1 ends in it:
      // indices past it wrap, and those bytes are masked off).
      const __m512i from = _mm512_sub_epi64(kept_at, _mm512_set1_epi64(static_cast<long long>(64 * k0)));
      const __m512i byte_index = _mm512_add_epi8(_mm512_shuffle_epi8(from, spread), byte_steps);
      const __m512i block0 = _mm512_loadu_si512(lower + 64 * k0);
      const __m512i block1 = _mm512_loadu_si512(lower + 64 * k0 + 64);
      const __m512i raw_w0 = _mm512_permutex2var_epi8(block0, byte_index, block1);
      // "www." at the token's first byte: a URL (AddAsciiToken's test; the
      // slow path tests its own tokens), for any_link().
      www |= fast & _mm512_cmpeq_epi64_mask(kept_at, start) &
             _mm512_cmpeq_epi64_mask(_mm512_and_si512(raw_w0, _mm512_set1_epi64(0xFFFFFFFF)),
                                     _mm512_set1_epi64(kWww));
      __m512i w0 = raw_w0;
      __m512i w1 = _mm512_permutex2var_epi8(block0, _mm512_add_epi8(byte_index, eight), block1);
      w0 = _mm512_andnot_si512(_mm512_sllv_epi64(ones, _mm512_slli_epi64(kept, 3)), w0);
      const __m512i second_bytes = _mm512_max_epi64(_mm512_sub_epi64(kept, _mm512_set1_epi64(8)), zero);
      w1 = _mm512_andnot_si512(_mm512_sllv_epi64(ones, _mm512_slli_epi64(second_bytes, 3)), w1);
      __m512i h = _mm512_mullo_epi64(w1, _mm512_set1_epi64(static_cast<long long>(kTokenHashSecondWord)));
      h = _mm512_mullo_epi64(_mm512_add_epi64(_mm512_xor_si512(w0, h), kept),
                             _mm512_set1_epi64(static_cast<long long>(kTokenHashMix)));
      h = _mm512_xor_si512(h, _mm512_srli_epi64(h, 32));
      // SentimentLexicon::MayContain.
      const __m512i word = _mm512_mask_i64gather_epi64(
          zero, fast, _mm512_srli_epi64(h, SentimentLexicon::kFilterWordShift), filter, 8);
      const __m512i bits = _mm512_or_si512(_mm512_sllv_epi64(one, _mm512_and_si512(h, low6)),
                                           _mm512_sllv_epi64(one, _mm512_and_si512(_mm512_srli_epi64(h, 6), low6)));
      const __m512i missing = _mm512_andnot_si512(word, bits);
      const __mmask8 probe = fast & _mm512_testn_epi64_mask(missing, missing);
      // Apostrophes are rare: most groups need no test.
      const __mmask8 negates = ((m0.quote | m1.quote) != 0) ? NegationLanes(w0, w1) : 0;

      _mm512_storeu_si512(hashes_ + first, h);
      // Unit::SetPlain for all eight (units has room), two units per store:
      // the words of text, length and bits, and a word of valence left as
      // anything (read only with has_valence, which is 0).
      const __m512i unit_text = _mm512_add_epi64(text_at, kept_at);
      const __m512i unit_bits = _mm512_or_si512(_mm512_maskz_mov_epi64(upper, _mm512_set1_epi64(1 << 8)),
                                                _mm512_maskz_mov_epi64(negates, _mm512_set1_epi64(1 << 16)));
      for (int pair = 0; pair < 4; ++pair) {
        const __m512i step = _mm512_set1_epi64(2 * pair);
        const __m512i text_and_length =
            _mm512_permutex2var_epi64(unit_text, _mm512_add_epi64(pair_words, step), kept);
        _mm512_storeu_si512(units + first + 2 * pair,
                            _mm512_mask_permutexvar_epi64(text_and_length, 0x44, _mm512_add_epi64(pair_bits, step),
                                                          unit_bits));
      }
      const size_t lanes = static_cast<size_t>(std::popcount(static_cast<unsigned>(live)));
      SetBits(probe_words_, first, probe);
      // The slow tokens wait until the end: branching on them here would
      // mispredict in most groups and drain the pipeline's overlap of
      // groups.
      SetBits(slow_words, first, slow & live);
      upper_count += static_cast<size_t>(std::popcount(static_cast<unsigned>(upper & fast)));
      first += lanes;
    }
    for (size_t w = 0; w < words; ++w) {
      for (uint64_t m = slow_words[w]; m != 0; m &= m - 1) {
        const size_t j = 64 * w + static_cast<size_t>(std::countr_zero(m));
        const size_t k = token_blocks[j];
        const size_t start = 64 * k + offsets[j];
        const uint64_t rest = masks[k].space >> offsets[j];
        const size_t end = rest != 0 ? start + static_cast<size_t>(std::countr_zero(rest)) : TokenEnd(masks, k + 1);
        AddAsciiToken(text, start, end, masks, j);
      }
    }
    count_ = count;
    upper_count_ += upper_count;
    any_link_ = any_link_ || www != 0;
    www_checked_ = true;
    s_.count = count_;
    return upper_count_;
  }

  // Sets bits [at, at + 8) of the bit array `words` to `bits`' (they were 0).
  static void SetBits(uint64_t* words, size_t at, uint8_t bits) {
    const unsigned shift = static_cast<unsigned>(at % 64);
    words[at / 64] |= uint64_t{bits} << shift;
    if (shift > 56) words[at / 64 + 1] |= uint64_t{bits} >> (64 - shift);
  }

  // Per lane, 64 bits of a mask field from the lane's token start `o` on:
  // of blocks k0 and k0 + 1 in the lanes of block k0, of block k0 + 1 (and
  // zeros past it) in the lanes of `next`, block k0 + 1.
  class LaneWindows {
   public:
    [[EARSHOT_TARGET_AVX512_TOKENS, gnu::always_inline]] LaneWindows(__mmask8 next, __m512i o)
        : next_(next), o_(o), up_(_mm512_sub_epi64(_mm512_set1_epi64(64), o)) {}
    [[EARSHOT_TARGET_AVX512_TOKENS, gnu::always_inline]] __m512i Of(uint64_t field0, uint64_t field1) const {
      const __m512i low = _mm512_mask_blend_epi64(next_, _mm512_set1_epi64(static_cast<long long>(field0)),
                                                  _mm512_set1_epi64(static_cast<long long>(field1)));
      // A shift by 64 (o = 0) gives zero.
      const __m512i high = _mm512_maskz_mov_epi64(static_cast<__mmask8>(~next_),
                                                  _mm512_set1_epi64(static_cast<long long>(field1)));
      return _mm512_or_si512(_mm512_srlv_epi64(low, o_), _mm512_sllv_epi64(high, up_));
    }

   private:
    __mmask8 next_;
    __m512i o_;
    __m512i up_;
  };

  // The lanes whose kept text, its first 16 bytes in w0 and w1 (bytes past
  // it zero), holds "n't" (AddAsciiToken's test).
  [[EARSHOT_TARGET_AVX512_TOKENS, gnu::always_inline]] static __mmask8 NegationLanes(__m512i w0, __m512i w1) {
    const uint64_t q0 = _mm512_cmpeq_epi8_mask(w0, _mm512_set1_epi8('\''));
    const uint64_t q1 = _mm512_cmpeq_epi8_mask(w1, _mm512_set1_epi8('\''));
    const uint64_t n0 = _mm512_cmpeq_epi8_mask(w0, _mm512_set1_epi8('n'));
    const uint64_t n1 = _mm512_cmpeq_epi8_mask(w1, _mm512_set1_epi8('n'));
    const uint64_t t0 = _mm512_cmpeq_epi8_mask(w0, _mm512_set1_epi8('t'));
    const uint64_t t1 = _mm512_cmpeq_epi8_mask(w1, _mm512_set1_epi8('t'));
    // Bit 8j + i is byte i of lane j's word; a neighbour in the same word is
    // one bit away, and bytes 7 and 8 of a lane are bit 7 of w0 and bit 0 of
    // w1's byte group.
    constexpr uint64_t kInner = 0x7E7E7E7E7E7E7E7EULL;
    constexpr uint64_t kFirst = 0x0101010101010101ULL;
    constexpr uint64_t kLast = 0x8080808080808080ULL;
    const uint64_t at = (q0 & (n0 << 1) & (t0 >> 1) & kInner) | (q1 & (n1 << 1) & (t1 >> 1) & kInner) |
                        (q0 & (n0 << 1) & (t1 << 7) & kLast) | (q1 & (n0 >> 7) & (t1 >> 1) & kFirst);
    const __m512i bytes = _mm512_movm_epi8(at);
    return _mm512_test_epi64_mask(bytes, bytes);
  }
#endif

  // Returns true if some unit is a link (a URL).
  bool any_link() const { return any_link_ || (masks_ != nullptr && !www_checked_ && HasWwwToken()); }

  // Looks up the units that Run or RunAscii marked for a probe, writes to
  // s.candidates those found in the lexicon (in unit order) and returns
  // their number. Apart from this pass over a few units, RunAscii takes no
  // branch that depends on lexicon membership. (A first pass that
  // prefetched the entries of all probed units gained nothing once entries
  // took one cache line each: the out-of-order core overlaps the probes.)
  size_t Resolve() {
    const size_t words = count_ / 64 + 1;
    Candidate* c = s_.candidates.data();
    size_t found = 0;
    for (size_t w = 0; w < words; ++w) {
      const uint64_t probe = probe_words_[w];
      for (uint64_t bits = probe | found_words_[w]; bits != 0; bits &= bits - 1) {
        const int bit = std::countr_zero(bits);
        const size_t i = 64 * w + static_cast<size_t>(bit);
        if ((probe >> bit) & 1) {
          Unit& u = units_[i];
          const TokenEntry* entry = lex_.ProbePadded(u.lower, u.lower_length, hashes_[i]);
          if (entry == nullptr) continue;
          u.info = entry->info;
          u.flags = entry->flags;
          u.rule = entry->rule_word;
          u.idiom = entry->idiom_word;
          u.has_valence = (entry->flags & TokenInfo::kHasValence) != 0;
          u.valence = entry->valence;
          u.negates = u.negates || (entry->flags & TokenInfo::kNegation);
          // RunAscii leaves "www." names to be found here, for the few units
          // in the lexicon: the token starts with it when nothing was stripped
          // before it (the byte before is a separator or none).
          if (StartsWww(u.lower)) {
            const size_t at = static_cast<size_t>(u.lower - lower_);
            if (at == 0 || (ClassOf(lower_[at - 1]) & kSpaceByte)) u.name = u.link = true;
          }
        }
        idiom_words_ |= uint32_t{1} << units_[i].idiom;
        found_flags_ |= units_[i].flags;
        c[found++] = Candidate{.unit = static_cast<uint32_t>(i)};
      }
    }
    return found;
  }

  // After Resolve: bit k is set if a unit found has idiom word id k.
  uint32_t idiom_words() const { return idiom_words_; }
  // After Resolve: the TokenInfo flags of the units found, OR-ed.
  uint16_t found_flags() const { return found_flags_; }

 private:
  void Start(std::string_view text, const char* lower) {
    // A token takes at least one byte and one separator.
    const size_t max_units = text.size() / 2 + 2;
    // Room for the vector tokenizer's whole groups of eight.
    if (s_.units.size() < max_units + 8) {
      s_.units.resize(max_units + 8);
      s_.candidates.resize(max_units);
    }
    units_ = s_.units.data();
    // Room for the vector tokenizer's whole groups of eight.
    hashes_ = s_.hashes.Reserve(max_units + 8);
    const size_t words = max_units / 64 + 2;
    probe_words_ = s_.probe_words.Reserve(words);
    found_words_ = s_.found_words.Reserve(words);
    std::fill_n(probe_words_, words, 0);
    std::fill_n(found_words_, words, 0);
    idiom_words_ = 0;
    found_flags_ = 0;
    any_link_ = false;
    www_checked_ = false;
    lower_ = lower;
    count_ = 0;
    upper_count_ = 0;
    folded_ = nullptr;
    masks_ = nullptr;
    text_size_ = text.size();
  }

  // "www." as a little-endian word.
  static constexpr uint32_t kWww = 'w' | 'w' << 8 | 'w' << 16 | '.' << 24;

  // True if the 4 bytes at `p` (lower-cased) are "www.".
  static bool StartsWww(const char* p) {
    uint32_t head;
    std::memcpy(&head, p, 4);
    return head == kWww;
  }

  // Returns the position of the first separator in or after block k of
  // RunAscii's masks (the last block ends in separators).
  static size_t TokenEnd(const ByteMasks* masks, size_t k) {
    while (masks[k].space == 0) ++k;
    return 64 * k + static_cast<size_t>(std::countr_zero(masks[k].space));
  }

  // True if a token of the ASCII text starts with "www." (a name and link).
  bool HasWwwToken() const {
    const std::string_view lower(lower_, text_size_);
    for (size_t at = lower.find("www."); at != std::string_view::npos; at = lower.find("www.", at + 1)) {
      if (at == 0 || (ClassOf(lower[at - 1]) & kSpaceByte)) return true;
    }
    return false;
  }

  // Returns the byte length of the Unicode space at `pos`, or 0 if none
  // starts there.
  static size_t UnicodeSpaceLength(std::string_view text, size_t pos) {
    const size_t begin = pos;
    return IsPythonSpace(DecodeUtf8(text, pos)) ? pos - begin : 0;
  }

  // Makes the token [start, end) unit `index`, looked up at once.
  void AddToken(std::string_view text, size_t start, size_t end, uint8_t raw_classes, size_t index) {
    const char* p = text.data();
    const std::string_view raw = text.substr(start, end - start);
    // Strip edge punctuation unless that leaves two code points or fewer.
    size_t b = start;
    size_t e = end;
    while (b < e && (ClassOf(p[b]) & kPunctByte)) ++b;
    while (e > b && (ClassOf(p[e - 1]) & kPunctByte)) --e;
    bool stripped = false;
    if (e - b > 2) {
      size_t code_points = 3;
      if (raw_classes & kNonAsciiByte) {
        code_points = 0;
        for (size_t i = b; i < e && code_points <= 2; ++i) code_points += (static_cast<unsigned char>(p[i]) & 0xC0) != 0x80;
      }
      stripped = code_points > 2;
    }
    if (!stripped) {
      b = start;
      e = end;
    }

    Unit& u = units_[index];
    u = Unit{};
    // Stripping removes only punctuation: the letter classes of the raw token
    // are those of the stripped one.
    uint8_t classes = raw_classes;
    if (stripped && (raw_classes & kAtOrColonByte)) {
      classes &= ~kAtOrColonByte;
      for (size_t i = b; i < e; ++i) classes |= ClassOf(p[i]) & kAtOrColonByte;
    }
    bool upper = false;
    uint64_t h;
    const TokenInfo* info;
    if (!(raw_classes & kNonAsciiByte)) {
      u.lower = lower_ + b;
      u.lower_length = static_cast<uint32_t>(e - b);
      h = TokenHashPadded(u.lower, e - b);
      const TokenEntry* entry = lex_.FindEntryPadded(u.lower, e - b, h);
      info = entry != nullptr ? &lex_.InfoOf(entry) : nullptr;
      upper = (classes & kUpperByte) && !(classes & kLowerByte);
    } else {
      h = FoldToken(text.substr(b, e - b), u, upper);
      info = lex_.Find(u.Lower(), h);
    }
    upper_count_ += upper;
    u.upper = upper;
    const std::string_view lower = u.Lower();
    CheckName(raw, (classes & (kAtOrColonByte | kNonAsciiByte)) != 0, u);
    any_link_ = any_link_ || u.link;
    if (info != nullptr) {
      u.info = lex_.InfoIndex(info);
      u.flags = info->flags;
      u.rule = info->rule_word;
      u.idiom = info->idiom_word;
      u.has_valence = info->Has(TokenInfo::kHasValence);
      u.valence = info->valence;
    }
    u.negates = (u.flags & TokenInfo::kNegation) ||
                ((classes & (kApostropheByte | kNonAsciiByte)) && lower.find("n't") != std::string_view::npos);
    // Looked up already: found, no probe.
    found_words_[index / 64] |= uint64_t{info != nullptr} << (index % 64);
  }

  // Sets u.name and u.link for an @handle, URL or e-mail address; the checks
  // are those of the reference, gated as it is by the classes of the stripped
  // token (`gate`: it holds '@', ':' or non-ASCII bytes).
  static void CheckName(std::string_view raw, bool gate, Unit& u) {
    if (gate || raw.front() == '@' || raw.front() == 'w' || raw.front() == 'W') {
      const bool url = raw.find("://") != std::string_view::npos || StartsWithIgnoreAsciiCase(raw, "www.");
      u.link = url;
      u.name = url || (raw.size() > 1 && raw.front() == '@') ||
               (raw.find('@') != std::string_view::npos && raw.find('.') != std::string_view::npos);
    }
  }

  // Returns bits [pos, pos + 64) of the masks' `field`, of which bits past
  // the text are separators. REQUIRES: pos < the text's size.
  static uint64_t MaskWindow(const ByteMasks* masks, uint64_t ByteMasks::*field, size_t pos) {
    const size_t k = pos / 64;
    const unsigned o = static_cast<unsigned>(pos % 64);
    // Two shifts: a shift by 64 would be undefined.
    return (masks[k].*field >> o) | ((masks[k + 1].*field << 1) << (63 - o));
  }

  // AddToken for the token [start, end) that RunAscii leaves to the slow
  // path, as unit `index`, classified from the masks: the same unit, with
  // bit operations in place of byte loops; a token with non-ASCII bytes or
  // longer than the masks' window goes on to AddToken. Out of line: inlined,
  // its registers would crowd RunAscii's loop.
  [[gnu::noinline]] void AddAsciiToken(std::string_view text, size_t start, size_t end, const ByteMasks* masks,
                                       size_t index) {
    const size_t length = end - start;
    if (length > 64 || (MaskWindow(masks, &ByteMasks::high, start) & (~uint64_t{0} >> (64 - length))) != 0) {
      // Longer than a mask window, or with non-ASCII bytes (to be folded
      // code point by code point): classify byte by byte.
      uint8_t classes = 0;
      for (size_t i = start; i < end; ++i) classes |= ClassOf(text[i]);
      AddToken(text, start, end, classes, index);
      return;
    }
    const uint64_t token = ~uint64_t{0} >> (64 - length);
    const uint64_t punct = MaskWindow(masks, &ByteMasks::punct, start) & token;
    // Strip edge punctuation unless that leaves two characters or fewer.
    const size_t lead = static_cast<size_t>(std::countr_one(punct));
    const size_t trail = static_cast<size_t>(std::countl_one(punct << (64 - length)));
    size_t b = start;
    size_t e = end;
    if (lead < length && length - lead - trail > 2) {
      b = start + lead;
      e = end - trail;
    }
    const uint64_t kept = (~uint64_t{0} >> (64 - (e - b))) << (b - start);

    Unit& u = units_[index];
    u = Unit{};
    u.lower = lower_ + b;
    u.lower_length = static_cast<uint32_t>(e - b);
    // Lexicon fields stay empty until Resolve() finds the unit.
    const uint64_t h = TokenHashPadded(u.lower, e - b);
    hashes_[index] = h;
    probe_words_[index / 64] |= uint64_t{lex_.MayContain(h)} << (index % 64);
    // Python's isupper(): a cased letter and no lower-case one.
    const bool upper = (MaskWindow(masks, &ByteMasks::upper, start) & token) != 0 &&
                       (MaskWindow(masks, &ByteMasks::lower, start) & token) == 0;
    upper_count_ += upper;
    u.upper = upper;
    // The rare bytes tell apostrophes from '@' and ':'; each is read from the
    // text where the mask has it (a token holds few), with no string search.
    bool negates = false;
    bool at = false;
    bool url = length >= 4 && StartsWww(lower_ + start);
    uint64_t at_or_colon = 0;
    const uint64_t rare = MaskWindow(masks, &ByteMasks::rare, start) | MaskWindow(masks, &ByteMasks::quote, start);
    for (uint64_t bits = rare & token; bits != 0; bits &= bits - 1) {
      const size_t p = start + static_cast<size_t>(std::countr_zero(bits));
      const char c = text[p];
      if (c == '\'') {
        // "n't" within the kept text.
        negates = negates || (p > b && p + 1 < e && lower_[p - 1] == 'n' && lower_[p + 1] == 't');
        continue;
      }
      at_or_colon |= uint64_t{1} << (p - start);
      at = at || c == '@';
      url = url || (c == ':' && p + 2 < end && text[p + 1] == '/' && text[p + 2] == '/');
    }
    // A name or link, by the reference's checks, gated as it gates them: by
    // '@' or ':' in the kept text, or a raw token starting with '@' or 'w'.
    const char front = text[start];
    if ((at_or_colon & kept) != 0 || front == '@' || front == 'w' || front == 'W') {
      u.link = url;
      u.name = url || (length > 1 && front == '@') ||
               (at && std::memchr(text.data() + start, '.', length) != nullptr);
    }
    any_link_ = any_link_ || u.link;
    u.negates = negates;
  }

  // Lower-cases a token that holds non-ASCII bytes into Scratch::folded
  // (ill-formed bytes become U+FFFD) and returns its hash; sets `upper` to
  // Python's str.isupper().
  uint64_t FoldToken(std::string_view token, Unit& u, bool& upper) {
    if (folded_ == nullptr) {
      // Each byte folds to at most 3 (U+FFFD for an ill-formed byte; a
      // simple case mapping adds at most one byte to a code point).
      folded_ = s_.folded.Reserve(3 * text_size_ + 8);
      folded_used_ = 0;
    }
    char* out = folded_ + folded_used_;
    bool has_upper = false;
    bool has_lower = false;
    size_t k = 0;
    size_t pos = 0;
    while (pos < token.size()) {
      const unsigned char c = static_cast<unsigned char>(token[pos]);
      if (c < 0x80) {
        ++pos;
        has_upper |= c >= 'A' && c <= 'Z';
        has_lower |= c >= 'a' && c <= 'z';
        out[k++] = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
        continue;
      }
      const char32_t cp = DecodeUtf8(token, pos);
      const char32_t f = FoldCase(cp);
      has_upper |= f != cp;
      has_lower |= IsCasedLower(cp);
      k += EncodeUtf8(f, out + k);
    }
    folded_used_ += k;
    u.lower = out;
    u.lower_length = static_cast<uint32_t>(k);
    upper = has_upper && !has_lower;
    return TokenHash(u.Lower());
  }

  const SentimentLexicon& lex_;
  Scratch& s_;
  Unit* units_ = nullptr;
  const char* lower_ = nullptr;
  size_t text_size_ = 0;
  size_t count_ = 0;
  size_t upper_count_ = 0;
  char* folded_ = nullptr;  // reserved on the first non-ASCII token
  size_t folded_used_ = 0;
  uint64_t* hashes_ = nullptr;
  uint64_t* probe_words_ = nullptr;
  uint64_t* found_words_ = nullptr;
  uint32_t idiom_words_ = 0;
  uint16_t found_flags_ = 0;
  bool any_link_ = false;
  bool www_checked_ = false;  // RunAsciiAvx512 tested every token for "www."
  const ByteMasks* masks_ = nullptr;  // RunAscii's, else nullptr
};

// Returns the number of words of the first phrase that starts at unit i (a
// kPhraseStart unit) and sets `valence` to its valence; 0 if none matches.
size_t MatchPhrase(const SentimentLexicon& lex, const Unit* u, size_t i, size_t n, double& valence) {
  const auto& phrases = lex.phrases();
  const TokenInfo& info = lex.InfoAt(u[i].info);
  for (uint32_t p = info.phrase_begin; p < info.phrase_begin + info.phrase_count; ++p) {
    const SentimentPhrase& ph = phrases[p];
    if (i + ph.words.size() > n) continue;
    bool ok = true;
    for (size_t k = 1; k < ph.words.size() && ok; ++k) ok = u[i + k].Lower() == ph.words[k];
    if (ok) {
      valence = ph.valence;
      return ph.words.size();
    }
  }
  return 0;
}

// Drops the valence of a name and of "like" used other than as a verb;
// `prev_flags` are those of the unit before, as tokenized.
void ApplyB2BWordRules(Unit& v, bool first, uint16_t prev_flags) {
  // Handles and URLs name things ("@love", "greatdeals.com/..."): no valence.
  // "like" is a sentiment verb only after a subject or an adverb ("I like",
  // "really like", "don't like"); elsewhere it compares ("a tool like X",
  // "looks like rain") or requests ("would like to"). Without branches: the
  // words come in no predictable order.
  const bool like_not_verb = v.rule == RuleWord::kLike && (first || !(prev_flags & TokenInfo::kLikeSubject));
  v.has_valence = v.has_valence & !v.name & !like_not_verb;
}

// True if a B2B phrase starts at one of the units found in the lexicon
// (s.candidates[0, found)), which ApplyB2BRules must then merge; else only
// the word rules apply, to those units, the only ones with a valence.
bool AnyPhraseMatches(const SentimentLexicon& lex, const Scratch& s, size_t found) {
  const Unit* u = s.units.data();
  for (size_t k = 0; k < found; ++k) {
    const size_t i = s.candidates[k].unit;
    double valence = 0.0;
    if ((u[i].flags & TokenInfo::kPhraseStart) && MatchPhrase(lex, u, i, s.count, valence) > 0) return true;
  }
  return false;
}

// B2B mode: merges multi-word phrases into one unit, drops the valence of
// words used in a non-sentiment sense and of names (URLs, handles). Works in
// place: a merge only shortens the
// sequence, so unit i is written to a slot at or before i, after the units
// of its phrase are read.
void ApplyB2BRules(const SentimentLexicon& lex, Scratch& s) {
  Unit* u = s.units.data();
  const size_t n = s.count;
  size_t out_count = 0;
  char* joined = nullptr;  // reserved on the first merge
  size_t joined_used = 0;
  uint16_t prev_flags = 0;  // of the unit before i, as tokenized
  for (size_t i = 0; i < n; ++i) {
    const uint16_t flags = u[i].flags;
    if (flags & TokenInfo::kPhraseStart) {
      double valence = 0.0;
      const size_t matched = MatchPhrase(lex, u, i, n, valence);
      if (matched > 0) {
        if (joined == nullptr) {
          // The merged texts never exceed the remaining units' text plus one
          // space each.
          size_t total = 0;
          for (size_t k = i; k < n; ++k) total += u[k].lower_length + 1;
          joined = s.joined.Reserve(total);
        }
        Unit m;
        // The merged unit's text is the words joined by single spaces.
        m.lower = joined + joined_used;
        bool upper = true;
        for (size_t k = 0; k < matched; ++k) {
          if (k > 0) joined[joined_used++] = ' ';
          const Unit& w = u[i + k];
          std::memcpy(joined + joined_used, w.lower, w.lower_length);
          joined_used += w.lower_length;
          upper = upper && w.upper;
        }
        m.lower_length = static_cast<uint32_t>(joined + joined_used - m.lower);
        m.upper = upper;
        m.has_valence = valence != 0.0;
        m.valence = valence;
        prev_flags = u[i + matched - 1].flags;
        u[out_count++] = m;
        i += matched - 1;
        continue;
      }
    }
    // Edited in place; copied only once a merge has shifted the sequence.
    Unit& v = u[i];
    ApplyB2BWordRules(v, i == 0, prev_flags);
    prev_flags = flags;
    if (out_count != i) u[out_count] = v;
    ++out_count;
  }
  s.count = out_count;
}

// Returns true if `idiom_words` (bit k: a word with idiom id k occurs) holds
// every word of some special-case idiom or two-word dampener.
bool MayHoldIdiom(uint32_t idiom_words) {
  static constexpr auto kMasks = [] {
    std::array<uint32_t, std::size(kSpecialCases) + std::size(kDampenerBigrams)> masks{};
    size_t m = 0;
    for (const Idiom& idiom : kSpecialCases) {
      for (int k = 0; k < idiom.size; ++k) masks[m] |= uint32_t{1} << idiom.ids[k];
      ++m;
    }
    for (const Idiom& idiom : kDampenerBigrams) {
      for (int k = 0; k < idiom.size; ++k) masks[m] |= uint32_t{1} << idiom.ids[k];
      ++m;
    }
    return masks;
  }();
  static_assert(std::size(kIdiomWords) < 32, "idiom word ids must fit in a 32-bit mask");
  // Every idiom has a word other than these common ones; without such a
  // word (most texts) there is nothing to check.
  static constexpr uint32_t kCommon = uint32_t{1} << IdiomWordId("the") | uint32_t{1} << IdiomWordId("of") |
                                      uint32_t{1} << IdiomWordId("to") | uint32_t{1} << IdiomWordId("for") |
                                      uint32_t{1} << IdiomWordId("just") | uint32_t{1} << 0;
  static_assert(std::all_of(kMasks.begin(), kMasks.end(), [](uint32_t m) { return (m & ~kCommon) != 0; }));
  if ((idiom_words & ~kCommon) == 0) return false;
  bool any = false;
  for (const uint32_t mask : kMasks) any |= (idiom_words & mask) == mask;
  return any;
}

// The VADER valence rules over a unit sequence.
class ValenceRules {
 public:
  // `idioms`: the units may hold a special-case idiom or two-word dampener
  // (MayHoldIdiom); without one the idiom check changes nothing.
  ValenceRules(const Unit* units, size_t count, bool cap_diff, bool idioms)
      : u_(units), n_(count), cap_diff_(cap_diff), idioms_(idioms) {}

  // Returns the adjusted valence of unit i (0 for a non-sentiment unit).
  // Score's loop calls it only for sentiment units.
  double At(size_t i) const {
    const size_t n = n_;
    // Most sentiment words stand among words that no rule reads: then the
    // rules below leave the word's valence as it is, but for capitals.
    if (!idioms_ && u_[i].rule == RuleWord::kNone && !IsBooster(i) && (i < 1 || Plain(i - 1)) &&
        (i < 2 || Plain(i - 2)) && (i < 3 || Plain(i - 3))) {
      const double v = u_[i].valence;
      if (u_[i].upper && cap_diff_) return v > 0 ? v + kCapsIncrement : v - kCapsIncrement;
      return v;
    }
    if (IsBooster(i)) return 0.0;
    if (i + 1 < n && Rule(i) == RuleWord::kKind && Rule(i + 1) == RuleWord::kOf) return 0.0;
    if (!u_[i].has_valence) return 0.0;
    const double base = u_[i].valence;
    double v = base;
    // "no" before a sentiment word negates it instead of counting itself.
    if (Rule(i) == RuleWord::kNo && i + 1 < n && u_[i + 1].has_valence) v = 0.0;
    if ((i > 0 && Rule(i - 1) == RuleWord::kNo) || (i > 1 && Rule(i - 2) == RuleWord::kNo) ||
        (i > 2 && Rule(i - 3) == RuleWord::kNo && (Rule(i - 1) == RuleWord::kOr || Rule(i - 1) == RuleWord::kNor))) {
      v = base * kNegationScalar;
    }
    if (u_[i].upper && cap_diff_) v = v > 0 ? v + kCapsIncrement : v - kCapsIncrement;
    for (size_t dist = 0; dist < 3; ++dist) {
      if (i <= dist || u_[i - dist - 1].has_valence) continue;
      double scalar = BoosterScalar(i - dist - 1, v);
      if (scalar != 0) scalar *= kDampenedBoosterDecay[dist];
      v = v + scalar;
      v = NegationCheck(v, dist, i);
      if (dist == 2 && idioms_) v = IdiomCheck(v, i);
    }
    return LeastCheck(v, i);
  }

 private:
  RuleWord Rule(size_t i) const { return u_[i].rule; }
  bool IsBooster(size_t i) const { return (u_[i].flags & TokenInfo::kBooster) != 0; }
  // A unit that no rule reads before a sentiment word: no booster, no
  // negation, no rule word.
  bool Plain(size_t i) const { return !IsBooster(i) && !u_[i].negates && u_[i].rule == RuleWord::kNone; }
  bool IsSoOrThis(size_t i) const { return Rule(i) == RuleWord::kSo || Rule(i) == RuleWord::kThis; }

  double BoosterScalar(size_t j, double valence) const {
    if (!IsBooster(j)) return 0.0;
    // TokenInfo::booster, from the flags (the entry is not in the cache).
    double scalar = (u_[j].flags & TokenInfo::kDampener) ? -kBoosterIncrement : kBoosterIncrement;
    if (valence < 0) scalar *= -1;
    if (u_[j].upper && cap_diff_) scalar = valence > 0 ? scalar + kCapsIncrement : scalar - kCapsIncrement;
    return scalar;
  }

  double NegationCheck(double v, size_t dist, size_t i) const {
    if (dist == 0) {
      if (u_[i - 1].negates) v *= kNegationScalar;
    } else if (dist == 1) {
      if (Rule(i - 2) == RuleWord::kNever && IsSoOrThis(i - 1)) {
        v *= kNeverSoScalar;
      } else if (Rule(i - 2) == RuleWord::kWithout && Rule(i - 1) == RuleWord::kDoubt) {
        // "without doubt" affirms.
      } else if (u_[i - 2].negates) {
        v *= kNegationScalar;
      }
    } else {
      // As in the reference, "so"/"this" right before the word also boosts
      // here, with or without "never".
      if ((Rule(i - 3) == RuleWord::kNever && IsSoOrThis(i - 2)) || IsSoOrThis(i - 1)) {
        v *= kNeverSoScalar;
      } else if (Rule(i - 3) == RuleWord::kWithout &&
                 (Rule(i - 2) == RuleWord::kDoubt || Rule(i - 1) == RuleWord::kDoubt)) {
      } else if (u_[i - 3].negates) {
        v *= kNegationScalar;
      }
    }
    return v;
  }

  // A unit's text is an idiom word exactly when its lexicon entry says so
  // (merged phrases hold a space, so they never are).
  bool Matches(const Idiom& idiom, size_t first, size_t count) const {
    if (static_cast<size_t>(idiom.size) != count) return false;
    for (size_t k = 0; k < count; ++k) {
      if (u_[first + k].idiom != idiom.ids[k]) return false;
    }
    return true;
  }

  // Returns the valence of the first special case over units
  // [first, first+count), or nullptr.
  const Idiom* FindIdiom(size_t first, size_t count) const {
    for (const Idiom& idiom : kSpecialCases) {
      if (Matches(idiom, first, count)) return &idiom;
    }
    return nullptr;
  }

  double IdiomCheck(double v, size_t i) const {
    const size_t n = n_;
    bool any = false;
    for (size_t k = i - 3; k <= i + 2 && k < n; ++k) any |= (u_[k].flags & TokenInfo::kIdiomWord) != 0;
    if (!any) return v;
    // Windows in the reference's order: (i-1,i) (i-2..i) (i-2,i-1)
    // (i-3..i-1) (i-3,i-2); the first hit wins, then (i,i+1) and (i..i+2).
    static constexpr int kWindows[5][2] = {{-1, 2}, {-2, 3}, {-2, 2}, {-3, 3}, {-3, 2}};
    for (const auto& w : kWindows) {
      if (const Idiom* idiom = FindIdiom(i + w[0], w[1])) {
        v = idiom->valence;
        break;
      }
    }
    if (n - 1 > i) {
      if (const Idiom* idiom = FindIdiom(i, 2)) v = idiom->valence;
    }
    if (n - 1 > i + 1) {
      if (const Idiom* idiom = FindIdiom(i, 3)) v = idiom->valence;
    }
    // Two-word dampeners ending right before the word or one earlier.
    static constexpr int kBigramWindows[3][2] = {{-3, 3}, {-3, 2}, {-2, 2}};
    for (const auto& w : kBigramWindows) {
      for (const Idiom& d : kDampenerBigrams) {
        if (Matches(d, i + w[0], w[1])) v = v + d.valence;
      }
    }
    return v;
  }

  double LeastCheck(double v, size_t i) const {
    if (i > 1 && !u_[i - 1].has_valence && Rule(i - 1) == RuleWord::kLeast) {
      if (Rule(i - 2) != RuleWord::kAt && Rule(i - 2) != RuleWord::kVery) v *= kNegationScalar;
    } else if (i > 0 && !u_[i - 1].has_valence && Rule(i - 1) == RuleWord::kLeast) {
      v *= kNegationScalar;
    }
    return v;
  }

  const Unit* u_;
  size_t n_;
  bool cap_diff_;
  bool idioms_;
};

[[gnu::always_inline]] inline double Normalize(double score) {
  const double norm = score / std::sqrt(score * score + kNormalizationAlpha);
  if (norm < -1.0) return -1.0;
  if (norm > 1.0) return 1.0;
  return norm;
}

// Emphasis from "!" (up to 4) and from 2 or more "?".
double PunctuationEmphasis(int exclamations, int questions) {
  double emphasis = std::min(exclamations, kMaxExclamations) * kExclamationIncrement;
  if (questions > 1) emphasis += questions <= 3 ? questions * kQuestionIncrement : kMaxQuestionEmphasis;
  return emphasis;
}

// The sums over the adjusted valences of a text, in unit order. Zeros add
// nothing (x + 0.0 == x), so they need no branch.
struct ValenceSums {
  double sum = 0.0;
  double pos = 0.0;  // of the positive ones, each + 1
  double neg = 0.0;  // of the negative ones, each - 1
  size_t nonzero = 0;

  void Add(double v) {
    sum += v;
    // +1 / -1 compensate for neutral words counted as 1.
    pos += v > 0 ? v + 1 : 0.0;
    neg += v < 0 ? v - 1 : 0.0;
    nonzero += v != 0.0;
  }
};

// Returns the scores of `units` units with valences summed in `sums`; the
// units with no valence count as neutral. Inlined into each kernel: called,
// its square root and divisions (the last work on a text) overlap less with
// the next text's.
[[gnu::always_inline]] inline SentimentScores Aggregate(const ValenceSums& sums, size_t units, double emphasis,
                                                         double neutral_band) {
  SentimentScores out;
  if (units == 0) return out;
  double sum = sums.sum;
  sum += sum > 0 ? emphasis : (sum < 0 ? -emphasis : 0.0);
  out.compound = Normalize(sum);
  if (std::fabs(sum) < neutral_band) out.compound = 0.0;
  double pos_sum = sums.pos;
  double neg_sum = sums.neg;
  const size_t neutral = units - sums.nonzero;
  if (pos_sum > std::fabs(neg_sum)) {
    pos_sum += emphasis;
  } else if (pos_sum < std::fabs(neg_sum)) {
    neg_sum -= emphasis;
  }
  const double total = pos_sum + std::fabs(neg_sum) + static_cast<double>(neutral);
  out.pos = std::fabs(pos_sum / total);
  out.neg = std::fabs(neg_sum / total);
  out.neu = std::fabs(static_cast<double>(neutral) / total);
  return out;
}

}  // namespace

SentimentClass Classify(double compound) {
  if (compound >= kPositiveThreshold) return SentimentClass::kPositive;
  if (compound <= kNegativeThreshold) return SentimentClass::kNegative;
  return SentimentClass::kNeutral;
}

std::string_view SentimentClassName(SentimentClass c) {
  switch (c) {
    case SentimentClass::kNegative:
      return "negative";
    case SentimentClass::kNeutral:
      return "neutral";
    case SentimentClass::kPositive:
      return "positive";
  }
  return "neutral";
}

Result<SentimentScorer> SentimentScorer::Create(SentimentMode mode) {
  Result<SentimentLexicon> lex = SentimentLexicon::Embedded(mode);
  if (!lex.ok()) return Status::Internal("embedded sentiment lexicon: " + lex.status().message());
  return FromLexicon(std::move(lex).value());
}

SentimentScorer SentimentScorer::FromLexicon(SentimentLexicon lexicon) {
  return SentimentScorer(std::make_shared<const SentimentLexicon>(std::move(lexicon)));
}

namespace {

// Score's body, compiled once per kernel: inlined into functions built for
// different instruction sets, with the byte scan `scan_text` and, with
// kVectorTokens, the AVX-512 tokenizer.
template <bool kVectorTokens = false>
[[gnu::always_inline]] inline SentimentScores ScoreText(const SentimentLexicon& lex, std::string_view text,
                                                         ScanFunction scan_text) {
  Scratch& s = ThreadScratch();
  TextScan scan = scan_text(text, s);
  // Rare (a few percent of social posts): rewrite the text, then scan again.
  if (scan.ampersand && lex.mode() == SentimentMode::kB2B) {
    text = DecodeBasicEntities(text, s.entities);
    scan = scan_text(text, s);
  }
  if (scan.non_ascii) {
    // Descriptions may hold "!" ("ON! arrow"), so count again.
    text = ReplaceEmoji(text, lex, s.emoji);
    scan = scan_text(text, s);
  }
  // Emoji descriptions are ASCII: a text may be ASCII only after them.
  Tokenizer tokenizer(lex, s);
  // A text with non-ASCII bytes (after emoji, mostly quotes, dashes and
  // accents) is cut from the masks too, its tokens with such bytes taking the
  // slow path; only Unicode spaces, which the masks do not mark, need the
  // byte-by-byte tokenizer.
  size_t upper;
  if (scan.non_ascii && HasUnicodeSpace(text)) {
    upper = tokenizer.Run(text, s.lower.Reserve(0));
  } else {
#if EARSHOT_SCAN_AVX512
    // Block numbers are 16-bit.
    if (kVectorTokens && text.size() / 64 < 0xFFFF) {
      upper = tokenizer.RunAsciiAvx512(text, s.lower.Reserve(0), s.masks.Reserve(0));
    } else
#endif
      upper = tokenizer.RunAscii(text, s.lower.Reserve(0), s.masks.Reserve(0));
  }
  const size_t found = tokenizer.Resolve();
  // Capitals emphasise only when the text mixes all-caps and other words.
  const bool cap_diff = upper > 0 && upper < s.count;
  double neutral_band = 0.0;
  bool merged = false;  // B2B phrases merged: unit indices moved
  if (lex.mode() == SentimentMode::kB2B) {
    // A link anywhere in the text, also in a merged phrase.
    neutral_band = tokenizer.any_link() ? kB2BLinkNeutralBand : kB2BNeutralBand;
    if ((tokenizer.found_flags() & TokenInfo::kPhraseStart) && AnyPhraseMatches(lex, s, found)) {
      ApplyB2BRules(lex, s);
      merged = true;
    }
  }

  const size_t n = s.count;
  Unit* units = s.units.data();
  if (s.valenced.size() < n) s.valenced.resize(n);
  // Idioms are rare: check every sentiment word's window for one only if the
  // text holds all the words of one (found in the lexicon, as idiom words are).
  const ValenceRules rules(units, n, cap_diff, MayHoldIdiom(tokenizer.idiom_words()));
  // Only sentiment words get a valence (the rules read their neighbours),
  // and the first "but" splits the text. Units not found in the lexicon have
  // neither; merged phrases are sentiment units not in the lexicon, so after
  // a merge every unit is visited. Gathered without branches, which the
  // mix of words would mispredict; without a merge, in B2B mode, in the loop
  // that applies the word rules (they change only the unit's own valence,
  // and read the flags before it, which no rule changes).
  uint32_t* valenced = s.valenced.data();
  size_t valenced_count = 0;
  size_t but = n;
  auto gather = [&](size_t i) {
    valenced[valenced_count] = static_cast<uint32_t>(i);
    valenced_count += units[i].has_valence;
    but = (units[i].rule == RuleWord::kBut && but == n) ? i : but;
  };
  if (merged) {
    for (size_t i = 0; i < n; ++i) gather(i);
  } else if (lex.mode() == SentimentMode::kB2B) {
    for (size_t k = 0; k < found; ++k) {
      const size_t i = s.candidates[k].unit;
      ApplyB2BWordRules(units[i], i == 0, i > 0 ? units[i - 1].flags : 0);
      gather(i);
    }
  } else {
    for (size_t k = 0; k < found; ++k) gather(s.candidates[k].unit);
  }
  // "but" shifts the weight to what follows it; weights of 1.0 and adding
  // zeros leave every value and sum exactly as they would be without them.
  ValenceSums sums;
  for (size_t k = 0; k < valenced_count; ++k) {
    const size_t i = valenced[k];
    const double weight = but == n ? 1.0 : (i < but ? kButBefore : (i > but ? kButAfter : 1.0));
    sums.Add(rules.At(i) * weight);
  }
  return Aggregate(sums, n, PunctuationEmphasis(scan.exclamations, scan.questions), neutral_band);
}

SentimentScores ScoreBaseline(const SentimentLexicon& lex, std::string_view text) {
  return ScoreText(lex, text, &ScanText);
}

#if defined(__x86_64__) && defined(__GNUC__)
// With BMI1/2 and LZCNT the tokenizer's bit operations are single
// instructions (tzcnt, lzcnt, shifts without the cl register).
[[gnu::target("avx2,bmi,bmi2,lzcnt,popcnt")]] SentimentScores ScoreAvx2(const SentimentLexicon& lex,
                                                                       std::string_view text) {
  return ScoreText(lex, text, &ScanText);
}

[[gnu::target("avx512f,avx512bw,avx2,bmi,bmi2,lzcnt,popcnt")]] SentimentScores ScoreAvx512(
    const SentimentLexicon& lex, std::string_view text) {
  return ScoreText(lex, text, &ScanTextAvx512);
}

[[EARSHOT_TARGET_AVX512_TOKENS]] SentimentScores ScoreAvx512Tokens(const SentimentLexicon& lex,
                                                                   std::string_view text) {
  return ScoreText<true>(lex, text, &ScanTextVbmi);
}
#endif

using ScoreFunction = SentimentScores (*)(const SentimentLexicon&, std::string_view);

struct Kernel {
  std::string_view name;
  ScoreFunction score;
  bool (*supported)();
};

const Kernel kKernels[] = {
#if defined(__x86_64__) && defined(__GNUC__)
    {"avx512", &ScoreAvx512Tokens,
     [] {
       return __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
              __builtin_cpu_supports("avx512cd") && __builtin_cpu_supports("avx512vl") &&
              __builtin_cpu_supports("avx512vbmi") && __builtin_cpu_supports("avx512vbmi2") &&
              __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("lzcnt") && __builtin_cpu_supports("popcnt");
     }},
    {"avx512bw", &ScoreAvx512,
     [] {
       return __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("bmi2") &&
              __builtin_cpu_supports("lzcnt") && __builtin_cpu_supports("popcnt");
     }},
    {"avx2", &ScoreAvx2,
     [] {
       return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("lzcnt") &&
              __builtin_cpu_supports("popcnt");
     }},
#endif
    {"baseline", &ScoreBaseline, [] { return true; }},
};

// The kernel in use: the first the processor supports. Atomic so that tests
// and benchmarks can switch; a relaxed load costs nothing.
std::atomic<const Kernel*>& CurrentKernel() {
  static std::atomic<const Kernel*> current = [] {
    for (const Kernel& k : kKernels) {
      if (k.supported()) return &k;
    }
    return &kKernels[std::size(kKernels) - 1];
  }();
  return current;
}

}  // namespace

SentimentScores SentimentScorer::Score(std::string_view text) const {
  return CurrentKernel().load(std::memory_order_relaxed)->score(*lexicon_, text);
}

std::string_view SentimentKernel() { return CurrentKernel().load()->name; }

bool SetSentimentKernel(std::string_view name) {
  for (const Kernel& k : kKernels) {
    if (k.name == name) {
      if (!k.supported()) return false;
      CurrentKernel().store(&k);
      return true;
    }
  }
  return false;
}

Status ScoreLines(std::istream& in, std::ostream& out, const SentimentScorer& scorer) {
  std::string line;
  size_t line_no = 0;
  char buf[32];
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    double c = line.empty() ? 0.0 : scorer.Score(line).compound;
    // Print 0.0000, never -0.0000, for scores that round to zero.
    if (std::fabs(c) < 0.00005) c = 0.0;
    const int len = std::snprintf(buf, sizeof buf, "%.4f\n", c);
    out.write(buf, len);
    if (!out) return Status::IOError("sentiment: cannot write the score of line " + std::to_string(line_no));
  }
  if (in.bad()) return Status::IOError("sentiment: cannot read input after line " + std::to_string(line_no));
  return Status::Ok();
}

}  // namespace earshot::enrich
