#include "enrich/sentiment.h"

#include <array>
#include <cmath>
#include <cstdio>
#include <istream>
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
  uint32_t lower_begin = 0;  // lower-cased form in Scratch::lower
  uint32_t lower_length = 0;
  const TokenInfo* info = nullptr;  // phrases and booster values only; the rest is copied below
  double valence = 0.0;
  uint16_t flags = 0;  // TokenInfo flags
  RuleWord rule = RuleWord::kNone;
  bool has_valence = false;
  bool upper = false;    // Python str.isupper() of the token
  bool negates = false;  // a negation word or contains "n't"
  bool name = false;     // an @handle, URL or e-mail address
  bool link = false;     // a URL
};

// Per-thread buffers so that scoring allocates nothing in the steady state.
struct Scratch {
  std::string entities;
  std::string emoji;
  std::string lower;  // lower-cased units back to back
  // Unit arrays that only grow; the first `count` entries are this text's
  // (avoids re-initialising them for every text).
  std::vector<Unit> units;
  size_t count = 0;
  std::vector<Unit> merged;
  std::vector<double> sentiments;
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

TextScan Scan(std::string_view text) {
  TextScan t;
  for (char ch : text) {
    t.exclamations += ch == '!';
    t.questions += ch == '?';
    t.ampersand |= ch == '&';
    t.non_ascii |= static_cast<unsigned char>(ch) >= 0x80;
  }
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

// Byte classes of the ASCII fast path.
constexpr uint8_t kSpaceByte = 1;  // Python str.split() separator
constexpr uint8_t kPunctByte = 2;  // string.punctuation
constexpr uint8_t kUpperByte = 4;
constexpr uint8_t kLowerByte = 8;
constexpr uint8_t kApostropheByte = 16;
constexpr uint8_t kAtByte = 32;     // e-mail addresses
constexpr uint8_t kColonByte = 64;  // "://" of URLs

constexpr std::array<uint8_t, 128> MakeByteClasses() {
  std::array<uint8_t, 128> t{};
  for (int c = 0; c < 128; ++c) {
    if ((c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20)) t[c] |= kSpaceByte;
    if (IsAsciiPunct(static_cast<char>(c))) t[c] |= kPunctByte;
    if (c >= 'A' && c <= 'Z') t[c] |= kUpperByte;
    if (c >= 'a' && c <= 'z') t[c] |= kLowerByte;
    if (c == '\'') t[c] |= kApostropheByte;
    if (c == '@') t[c] |= kAtByte;
    if (c == ':') t[c] |= kColonByte;
  }
  return t;
}
constexpr std::array<uint8_t, 128> kByteClass = MakeByteClasses();

// Cuts `text` into units: whitespace-separated tokens with leading and
// trailing punctuation stripped unless that leaves two characters or fewer
// (so emoticons such as ":)" survive). Lower-cases and hashes each token in
// the same pass and looks it up once.
class Tokenizer {
 public:
  Tokenizer(const SentimentLexicon& lex, Scratch& s) : lex_(lex), s_(s) {}

  void Run(std::string_view text) {
    // A token takes at least one byte and one separator.
    const size_t max_units = text.size() / 2 + 2;
    if (s_.units.size() < max_units) s_.units.resize(max_units);
    units_ = s_.units.data();
    count_ = 0;
    // Room for the worst case: an ill-formed byte becomes U+FFFD (3 bytes).
    s_.lower.resize(text.size() * 3 + 16);
    used_ = 0;
    const size_t n = text.size();
    size_t pos = 0;
    while (pos < n) {
      size_t next = pos;
      if (IsSpaceAt(text, next)) {
        pos = next;
        continue;
      }
      const size_t start = pos;
      pos = next;
      while (pos < n) {
        next = pos;
        if (IsSpaceAt(text, next)) break;
        pos = next;
      }
      AddToken(text.substr(start, pos - start));
    }
    s_.lower.resize(used_);
    s_.count = count_;
  }

 private:
  // Returns true if a separator starts at `pos`; advances `pos` past the
  // code point (or the byte) either way.
  static bool IsSpaceAt(std::string_view text, size_t& pos) {
    const unsigned char c = static_cast<unsigned char>(text[pos]);
    if (c < 0x80) {
      ++pos;
      return (kByteClass[c] & kSpaceByte) != 0;
    }
    // Only these lead bytes start a Unicode space (U+0085, U+00A0,
    // U+1680, U+2000-U+205F, U+3000).
    if (c != 0xC2 && c != 0xE1 && c != 0xE2 && c != 0xE3) {
      ++pos;
      return false;
    }
    return IsPythonSpace(DecodeUtf8(text, pos));
  }

  void AddToken(std::string_view token) {
    Unit u;
    const std::string_view raw = token;
    size_t b = 0;
    size_t e = token.size();
    while (b < e && static_cast<unsigned char>(token[b]) < 0x80 && (kByteClass[static_cast<unsigned char>(token[b])] & kPunctByte)) ++b;
    while (e > b && static_cast<unsigned char>(token[e - 1]) < 0x80 &&
           (kByteClass[static_cast<unsigned char>(token[e - 1])] & kPunctByte)) {
      --e;
    }
    if (e - b > 2) {
      size_t code_points = 0;
      for (size_t i = b; i < e && code_points <= 2; ++i) {
        if ((static_cast<unsigned char>(token[i]) & 0xC0) != 0x80) ++code_points;
      }
      if (code_points > 2) token = token.substr(b, e - b);
    }

    u.lower_begin = static_cast<uint32_t>(used_);
    char* out = s_.lower.data() + used_;
    uint64_t h = kTokenHashSeed;
    uint8_t classes = 0;
    size_t k = 0;
    bool ascii = true;
    for (char ch : token) {
      const unsigned char c = static_cast<unsigned char>(ch);
      if (c >= 0x80) {
        ascii = false;
        break;
      }
      classes |= kByteClass[c];
      const char lower = static_cast<char>((kByteClass[c] & kUpperByte) ? c + 32 : c);
      out[k++] = lower;
      h = TokenHashStep(h, static_cast<unsigned char>(lower));
    }
    bool has_upper = (classes & kUpperByte) != 0;
    bool has_lower = (classes & kLowerByte) != 0;
    if (!ascii) {
      k = 0;
      h = kTokenHashSeed;
      has_upper = has_lower = false;
      size_t pos = 0;
      while (pos < token.size()) {
        const char32_t cp = DecodeUtf8(token, pos);
        const char32_t f = FoldCase(cp);
        has_upper |= f != cp;
        has_lower |= cp < 0x80 ? (cp >= 'a' && cp <= 'z') : IsCasedLower(cp);
        const size_t len = EncodeUtf8(f, out + k);
        for (size_t j = k; j < k + len; ++j) h = TokenHashStep(h, static_cast<unsigned char>(out[j]));
        k += len;
      }
    }
    used_ += k;
    if ((classes & (kAtByte | kColonByte)) || raw.front() == '@' || raw.front() == 'w' || raw.front() == 'W' || !ascii) {
      const bool url = raw.find("://") != std::string_view::npos || StartsWithIgnoreAsciiCase(raw, "www.");
      u.link = url;
      u.name = url || (raw.size() > 1 && raw.front() == '@') ||
               (raw.find('@') != std::string_view::npos && raw.find('.') != std::string_view::npos);
    }
    u.lower_length = static_cast<uint32_t>(k);
    u.upper = has_upper && !has_lower;
    const std::string_view lower(out, k);
    u.info = lex_.Find(lower, h);
    if (u.info != nullptr) {
      u.flags = u.info->flags;
      u.rule = u.info->rule_word;
      u.has_valence = u.info->Has(TokenInfo::kHasValence);
      u.valence = u.info->valence;
    }
    u.negates = (u.flags & TokenInfo::kNegation) ||
                ((!ascii || (classes & kApostropheByte)) && lower.find("n't") != std::string_view::npos);
    units_[count_++] = u;
  }

  const SentimentLexicon& lex_;
  Scratch& s_;
  Unit* units_ = nullptr;
  size_t count_ = 0;
  size_t used_ = 0;
};

// B2B mode: merges multi-word phrases into one unit, drops the valence of
// words used in a non-sentiment sense and of names (URLs, handles). Returns
// true if the text holds a link.
bool ApplyB2BRules(const SentimentLexicon& lex, Scratch& s) {
  auto lower_of = [&](const Unit& u) { return std::string_view(s.lower.data() + u.lower_begin, u.lower_length); };
  const Unit* in = s.units.data();
  const size_t n = s.count;
  if (s.merged.size() < n) s.merged.resize(n);
  Unit* out = s.merged.data();
  size_t out_count = 0;
  const auto& phrases = lex.phrases();
  bool link = false;
  for (size_t i = 0; i < n; ++i) {
    const Unit& u = in[i];
    if (u.flags & TokenInfo::kPhraseStart) {
      size_t matched = 0;
      double valence = 0.0;
      for (uint32_t p = u.info->phrase_begin; p < u.info->phrase_begin + u.info->phrase_count; ++p) {
        const SentimentPhrase& ph = phrases[p];
        if (i + ph.words.size() > n) continue;
        bool ok = true;
        for (size_t k = 1; k < ph.words.size() && ok; ++k) ok = lower_of(in[i + k]) == ph.words[k];
        if (ok) {
          matched = ph.words.size();
          valence = ph.valence;
          break;
        }
      }
      if (matched > 0) {
        Unit m;
        // The merged unit's text is the words joined by single spaces.
        size_t length = matched - 1;
        for (size_t k = 0; k < matched; ++k) length += in[i + k].lower_length;
        s.lower.reserve(s.lower.size() + length);  // appends below read from s.lower itself
        m.lower_begin = static_cast<uint32_t>(s.lower.size());
        bool upper = true;
        for (size_t k = 0; k < matched; ++k) {
          if (k > 0) s.lower.push_back(' ');
          const Unit& w = in[i + k];
          s.lower.append(s.lower.data() + w.lower_begin, w.lower_length);
          upper = upper && w.upper;
        }
        m.lower_length = static_cast<uint32_t>(s.lower.size() - m.lower_begin);
        m.upper = upper;
        m.has_valence = valence != 0.0;
        m.valence = valence;
        out[out_count++] = m;
        i += matched - 1;
        continue;
      }
    }
    Unit v = u;
    link = link || v.link;
    // Handles and URLs name things ("@love", "greatdeals.com/..."): no valence.
    if (v.name) v.has_valence = false;
    // "like" is a sentiment verb only after a subject or an adverb ("I like",
    // "really like", "don't like"); elsewhere it compares ("a tool like X",
    // "looks like rain") or requests ("would like to").
    if (v.has_valence && v.rule == RuleWord::kLike) {
      const bool verb = i > 0 && (in[i - 1].flags & TokenInfo::kLikeSubject);
      if (!verb) v.has_valence = false;
    }
    out[out_count++] = v;
  }
  std::swap(s.units, s.merged);
  s.count = out_count;
  return link;
}

// The VADER valence rules over a unit sequence.
class ValenceRules {
 public:
  ValenceRules(const Scratch& s, bool cap_diff) : u_(s.units.data()), n_(s.count), lower_(s.lower), cap_diff_(cap_diff) {}

  // Returns the adjusted valence of unit i (0 for a non-sentiment unit).
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
  std::string_view Lower(size_t i) const {
    return std::string_view(lower_.data() + u_[i].lower_begin, u_[i].lower_length);
  }

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
  const std::string& lower_;
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

SentimentScores Aggregate(const std::vector<double>& sentiments, double emphasis, double neutral_band) {
  SentimentScores out;
  if (sentiments.empty()) return out;
  double sum = 0.0;
  for (double s : sentiments) sum += s;
  if (sum > 0) {
    sum += emphasis;
  } else if (sum < 0) {
    sum -= emphasis;
  }
  out.compound = Normalize(sum);
  if (std::fabs(sum) < neutral_band) out.compound = 0.0;
  double pos_sum = 0.0;
  double neg_sum = 0.0;
  int neutral = 0;
  // +1 / -1 compensate for neutral words counted as 1.
  for (double s : sentiments) {
    if (s > 0) pos_sum += s + 1;
    if (s < 0) neg_sum += s - 1;
    if (s == 0) ++neutral;
  }
  if (pos_sum > std::fabs(neg_sum)) {
    pos_sum += emphasis;
  } else if (pos_sum < std::fabs(neg_sum)) {
    neg_sum -= emphasis;
  }
  const double total = pos_sum + std::fabs(neg_sum) + neutral;
  out.pos = std::fabs(pos_sum / total);
  out.neg = std::fabs(neg_sum / total);
  out.neu = std::fabs(neutral / total);
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
  TextScan scan = Scan(text);
  if (scan.ampersand && lex.mode() == SentimentMode::kB2B) {
    text = DecodeBasicEntities(text, s.entities);
    scan = Scan(text);
  }
  if (scan.non_ascii) {
    // Descriptions may hold "!" ("ON! arrow"), so count again.
    text = ReplaceEmoji(text, lex, s.emoji);
    scan = Scan(text);
  }
  Tokenizer(lex, s).Run(text);

  size_t upper = 0;
  for (size_t i = 0; i < s.count; ++i) upper += s.units[i].upper;
  // Capitals emphasise only when the text mixes all-caps and other words.
  const bool cap_diff = upper > 0 && upper < s.count;
  double neutral_band = 0.0;
  if (lex.mode() == SentimentMode::kB2B) neutral_band = ApplyB2BRules(lex, s) ? kB2BLinkNeutralBand : kB2BNeutralBand;

  const size_t n = s.count;
  s.sentiments.resize(n);
  ValenceRules rules(s, cap_diff);
  size_t but = n;
  for (size_t i = 0; i < n; ++i) {
    s.sentiments[i] = rules.At(i);
    if (but == n && s.units[i].rule == RuleWord::kBut) but = i;
  }
  // "but" shifts the weight to what follows it.
  if (but < n) {
    for (size_t i = 0; i < n; ++i) {
      if (i < but) s.sentiments[i] *= kButBefore;
      if (i > but) s.sentiments[i] *= kButAfter;
    }
  }
  return Aggregate(s.sentiments, PunctuationEmphasis(scan.exclamations, scan.questions), neutral_band);
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
