#include "enrich/sentiment.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <istream>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "core/strings.h"
#include "core/utf8.h"
#include "core/word_tokenizer.h"

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
  std::string_view words[3];
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

// One scored token: a whitespace-separated word with edge punctuation
// stripped (or, in B2B mode, a matched multi-word phrase).
struct Unit {
  const char* lower = nullptr;  // lower-cased form, in one of the Scratch buffers
  uint32_t lower_length = 0;
  uint16_t flags = 0;  // TokenInfo flags
  RuleWord rule = RuleWord::kNone;
  bool has_valence = false;
  double valence = 0.0;
  const TokenInfo* info = nullptr;  // phrases and booster values only; the rest is copied above
  bool upper = false;    // Python str.isupper() of the token
  bool negates = false;  // a negation word or contains "n't"
  bool name = false;     // an @handle, URL or e-mail address
  bool link = false;     // a URL

  std::string_view Lower() const { return std::string_view(lower, lower_length); }
};

// A buffer that only grows and is never initialised, so that sizing it for
// each text costs nothing (std::string::resize would clear the new bytes).
class GrowBuffer {
 public:
  // Returns room for at least `n` bytes; invalidates earlier pointers.
  char* Reserve(size_t n) {
    if (n > capacity_) {
      capacity_ = std::max(n, capacity_ * 2);
      data_ = std::make_unique_for_overwrite<char[]>(capacity_);
    }
    return data_.get();
  }

 private:
  std::unique_ptr<char[]> data_;
  size_t capacity_ = 0;
};

// Per-thread buffers so that scoring allocates nothing in the steady state.
struct Scratch {
  std::string entities;
  std::string emoji;
  GrowBuffer lower;   // the text lower-cased (ASCII letters only), then zero padding
  GrowBuffer folded;  // lower-cased tokens that hold non-ASCII bytes
  GrowBuffer joined;  // B2B phrases, their words joined by single spaces
  // Unit array that only grows; the first `count` entries are this text's
  // (avoids re-initialising them for every text).
  std::vector<Unit> units;
  size_t count = 0;
  std::vector<double> sentiments;  // the nonzero valences, in unit order
  std::vector<uint32_t> positions;  // the unit index of each
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

// Word-at-a-time ("SWAR") helpers over 8 bytes.
constexpr uint64_t kOnes = 0x0101010101010101ULL;
constexpr uint64_t kLow7 = 0x7F7F7F7F7F7F7F7FULL;
constexpr uint64_t kHigh = 0x8080808080808080ULL;

// Returns 0x80 in each byte of `w` equal to `c`, 0 elsewhere (exact: no
// borrow crosses bytes).
constexpr uint64_t BytesEqual(uint64_t w, unsigned char c) {
  const uint64_t t = w ^ (kOnes * c);
  return ~(((t & kLow7) + kLow7) | t | kLow7);
}

// Returns the number of 0x80 bytes of a BytesEqual() mask.
constexpr int CountMarked(uint64_t mask) { return static_cast<int>(((mask >> 7) * kOnes) >> 56); }

// Returns `w` with its bytes 'A'..'Z' lower-cased; other bytes (including
// those >= 0x80) are unchanged.
constexpr uint64_t LowerAscii(uint64_t w) {
  const uint64_t x = w & kLow7;
  const uint64_t at_least_a = x + kOnes * (0x80 - 'A');
  const uint64_t above_z = x + kOnes * (0x80 - 'Z' - 1);
  const uint64_t upper = at_least_a & ~above_z & ~w & kHigh;
  return w | (upper >> 2);
}

// Bytes of zero padding after the lower-cased text, so that whole-word reads
// of a token's end stay in the buffer.
constexpr size_t kPadding = 16;

// Counts what Score needs to know about `text` and writes it, ASCII letters
// lower-cased, to `lower` followed by kPadding zero bytes. One pass of 8-byte
// words. REQUIRES: `lower` holds text.size() + kPadding bytes.
TextScan ScanAndLower(std::string_view text, char* lower) {
  uint64_t amp = 0;
  uint64_t high = 0;
  int exclamations = 0;
  int questions = 0;
  const char* p = text.data();
  const size_t n = text.size();
  size_t i = 0;
  auto step = [&](uint64_t w) {
    const uint64_t e = BytesEqual(w, '!');
    const uint64_t q = BytesEqual(w, '?');
    exclamations += CountMarked(e);
    questions += CountMarked(q);
    amp |= BytesEqual(w, '&');
    high |= w;
    return LowerAscii(w);
  };
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    w = step(w);
    std::memcpy(lower + i, &w, 8);
  }
  uint64_t w = 0;
  std::memcpy(&w, p + i, n - i);  // zero bytes count as none of the above
  w = step(w);
  std::memcpy(lower + i, &w, 8);
  std::memset(lower + i + 8, 0, kPadding - 8);
  TextScan t;
  t.exclamations = exclamations;
  t.questions = questions;
  t.ampersand = amp != 0;
  t.non_ascii = (high & kHigh) != 0;
  return t;
}

// Replaces each single-code-point emoji by its description, as the
// reference does: a space before it unless one precedes, none after.
std::string_view ReplaceEmoji(std::string_view text, const SentimentLexicon& lex, std::string& out) {
  out.clear();
  bool prev_space = true;
  size_t pos = 0;
  while (pos < text.size()) {
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
// by ScanAndLower; a token with other bytes is folded code point by code
// point into Scratch::folded.
class Tokenizer {
 public:
  Tokenizer(const SentimentLexicon& lex, Scratch& s) : lex_(lex), s_(s) {}

  // Fills s.units and s.count; returns the number of all-caps units.
  // REQUIRES: `lower` is ScanAndLower's output for `text`.
  size_t Run(std::string_view text, const char* lower) {
    // A token takes at least one byte and one separator.
    const size_t max_units = text.size() / 2 + 2;
    if (s_.units.size() < max_units) s_.units.resize(max_units);
    units_ = s_.units.data();
    lower_ = lower;
    count_ = 0;
    upper_count_ = 0;
    folded_ = nullptr;
    text_size_ = text.size();
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
      AddToken(text, start, pos, classes);
    }
    s_.count = count_;
    return upper_count_;
  }

 private:
  // Returns the byte length of the Unicode space at `pos`, or 0 if none
  // starts there.
  static size_t UnicodeSpaceLength(std::string_view text, size_t pos) {
    const size_t begin = pos;
    return IsPythonSpace(DecodeUtf8(text, pos)) ? pos - begin : 0;
  }

  void AddToken(std::string_view text, size_t start, size_t end, uint8_t raw_classes) {
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

    Unit& u = units_[count_++];
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
      info = lex_.FindPadded(u.lower, e - b, h);
      upper = (classes & kUpperByte) && !(classes & kLowerByte);
    } else {
      h = FoldToken(text.substr(b, e - b), u, upper);
      info = lex_.Find(u.Lower(), h);
    }
    upper_count_ += upper;
    u.upper = upper;
    const std::string_view lower = u.Lower();
    // An @handle, URL or e-mail address; the checks are those of the
    // reference, gated as it is by the classes of the stripped token.
    if ((classes & (kAtOrColonByte | kNonAsciiByte)) || raw.front() == '@' || raw.front() == 'w' || raw.front() == 'W') {
      const bool url = raw.find("://") != std::string_view::npos || StartsWithIgnoreAsciiCase(raw, "www.");
      u.link = url;
      u.name = url || (raw.size() > 1 && raw.front() == '@') ||
               (raw.find('@') != std::string_view::npos && raw.find('.') != std::string_view::npos);
    }
    if (info != nullptr) {
      u.info = info;
      u.flags = info->flags;
      u.rule = info->rule_word;
      u.has_valence = info->Has(TokenInfo::kHasValence);
      u.valence = info->valence;
    }
    u.negates = (u.flags & TokenInfo::kNegation) ||
                ((classes & (kApostropheByte | kNonAsciiByte)) && lower.find("n't") != std::string_view::npos);
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
};

// B2B mode: merges multi-word phrases into one unit, drops the valence of
// words used in a non-sentiment sense and of names (URLs, handles). Returns
// true if the text holds a link. Works in place: a merge only shortens the
// sequence, so unit i is written to a slot at or before i, after the units
// of its phrase are read.
bool ApplyB2BRules(const SentimentLexicon& lex, Scratch& s) {
  Unit* u = s.units.data();
  const size_t n = s.count;
  size_t out_count = 0;
  const auto& phrases = lex.phrases();
  bool link = false;
  char* joined = nullptr;  // reserved on the first merge
  size_t joined_used = 0;
  uint16_t prev_flags = 0;  // of the unit before i, as tokenized
  for (size_t i = 0; i < n; ++i) {
    const uint16_t flags = u[i].flags;
    if (flags & TokenInfo::kPhraseStart) {
      size_t matched = 0;
      double valence = 0.0;
      for (uint32_t p = u[i].info->phrase_begin; p < u[i].info->phrase_begin + u[i].info->phrase_count; ++p) {
        const SentimentPhrase& ph = phrases[p];
        if (i + ph.words.size() > n) continue;
        bool ok = true;
        for (size_t k = 1; k < ph.words.size() && ok; ++k) ok = u[i + k].Lower() == ph.words[k];
        if (ok) {
          matched = ph.words.size();
          valence = ph.valence;
          break;
        }
      }
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
    link = link || v.link;
    // Handles and URLs name things ("@love", "greatdeals.com/..."): no valence.
    if (v.name) v.has_valence = false;
    // "like" is a sentiment verb only after a subject or an adverb ("I like",
    // "really like", "don't like"); elsewhere it compares ("a tool like X",
    // "looks like rain") or requests ("would like to").
    if (v.has_valence && v.rule == RuleWord::kLike) {
      const bool verb = i > 0 && (prev_flags & TokenInfo::kLikeSubject);
      if (!verb) v.has_valence = false;
    }
    prev_flags = flags;
    if (out_count != i) u[out_count] = v;
    ++out_count;
  }
  s.count = out_count;
  return link;
}

// The VADER valence rules over a unit sequence.
class ValenceRules {
 public:
  ValenceRules(const Unit* units, size_t count, bool cap_diff) : u_(units), n_(count), cap_diff_(cap_diff) {}

  // Returns the adjusted valence of unit i (0 for a non-sentiment unit).
  // Inlined into Score's loop, which calls it only for sentiment units.
  double At(size_t i) const {
    const size_t n = n_;
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
      if (dist == 2) v = IdiomCheck(v, i);
    }
    return LeastCheck(v, i);
  }

 private:
  RuleWord Rule(size_t i) const { return u_[i].rule; }
  bool IsBooster(size_t i) const { return (u_[i].flags & TokenInfo::kBooster) != 0; }
  bool IsSoOrThis(size_t i) const { return Rule(i) == RuleWord::kSo || Rule(i) == RuleWord::kThis; }
  std::string_view Lower(size_t i) const { return u_[i].Lower(); }

  double BoosterScalar(size_t j, double valence) const {
    if (!IsBooster(j)) return 0.0;
    double scalar = u_[j].info->booster;
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

  bool Matches(const Idiom& idiom, size_t first, size_t count) const {
    if (static_cast<size_t>(idiom.size) != count) return false;
    for (size_t k = 0; k < count; ++k) {
      if (Lower(first + k) != idiom.words[k]) return false;
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
};

double Normalize(double score) {
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

// Returns the scores of `units` units whose nonzero valences are
// `sentiments[0, count)` in unit order; the other units count as neutral.
// Skipping the zeros changes no sum: x + 0.0 == x.
SentimentScores Aggregate(const double* sentiments, size_t count, size_t units, double emphasis,
                          double neutral_band) {
  SentimentScores out;
  if (units == 0) return out;
  double sum = 0.0;
  for (size_t i = 0; i < count; ++i) sum += sentiments[i];
  if (sum > 0) {
    sum += emphasis;
  } else if (sum < 0) {
    sum -= emphasis;
  }
  out.compound = Normalize(sum);
  if (std::fabs(sum) < neutral_band) out.compound = 0.0;
  double pos_sum = 0.0;
  double neg_sum = 0.0;
  // +1 / -1 compensate for neutral words counted as 1.
  for (size_t i = 0; i < count; ++i) {
    const double s = sentiments[i];
    if (s > 0) pos_sum += s + 1;
    if (s < 0) neg_sum += s - 1;
  }
  const size_t neutral = units - count;
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

SentimentScores SentimentScorer::Score(std::string_view text) const {
  const SentimentLexicon& lex = *lexicon_;
  Scratch& s = ThreadScratch();
  char* lower = s.lower.Reserve(text.size() + kPadding);
  TextScan scan = ScanAndLower(text, lower);
  // Rare (a few percent of social posts): rewrite the text, then scan again.
  if (scan.ampersand && lex.mode() == SentimentMode::kB2B) {
    text = DecodeBasicEntities(text, s.entities);
    lower = s.lower.Reserve(text.size() + kPadding);
    scan = ScanAndLower(text, lower);
  }
  if (scan.non_ascii) {
    // Descriptions may hold "!" ("ON! arrow"), so count again.
    text = ReplaceEmoji(text, lex, s.emoji);
    lower = s.lower.Reserve(text.size() + kPadding);
    scan = ScanAndLower(text, lower);
  }
  const size_t upper = Tokenizer(lex, s).Run(text, lower);
  // Capitals emphasise only when the text mixes all-caps and other words.
  const bool cap_diff = upper > 0 && upper < s.count;
  double neutral_band = 0.0;
  if (lex.mode() == SentimentMode::kB2B) neutral_band = ApplyB2BRules(lex, s) ? kB2BLinkNeutralBand : kB2BNeutralBand;

  const size_t n = s.count;
  const Unit* units = s.units.data();
  if (s.sentiments.size() < n) {
    s.sentiments.resize(n);
    s.positions.resize(n);
  }
  double* sentiments = s.sentiments.data();
  uint32_t* positions = s.positions.data();
  const ValenceRules rules(units, n, cap_diff);
  size_t count = 0;
  size_t but = n;
  for (size_t i = 0; i < n; ++i) {
    // Only sentiment words get a valence; the rules read their neighbours.
    if (units[i].has_valence) {
      const double v = rules.At(i);
      if (v != 0.0) {
        sentiments[count] = v;
        positions[count++] = static_cast<uint32_t>(i);
      }
    }
    if (units[i].rule == RuleWord::kBut && but == n) but = i;
  }
  // "but" shifts the weight to what follows it.
  if (but < n) {
    for (size_t k = 0; k < count; ++k) {
      if (positions[k] < but) sentiments[k] *= kButBefore;
      if (positions[k] > but) sentiments[k] *= kButAfter;
    }
  }
  return Aggregate(sentiments, count, n, PunctuationEmphasis(scan.exclamations, scan.questions), neutral_band);
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
