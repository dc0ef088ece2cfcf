#include "geo/place_text.h"

#include "core/utf8.h"

namespace earshot::geo {
namespace {

// Latin-1 Supplement and Latin Extended-A letters folded to ASCII, from
// U+00C0. "" marks a non-letter (×, ÷), which breaks the token.
constexpr const char* kLatinFold[] = {
    // U+00C0
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "ss",
    // U+00E0
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "y",
    // U+0100
    "a", "a", "a", "a", "a", "a", "c", "c", "c", "c", "c", "c", "c", "c", "d", "d",
    "d", "d", "e", "e", "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g",
    // U+0120
    "g", "g", "g", "g", "h", "h", "h", "h", "i", "i", "i", "i", "i", "i", "i", "i",
    "i", "i", "ij", "ij", "j", "j", "k", "k", "k", "l", "l", "l", "l", "l", "l", "l",
    // U+0140
    "l", "l", "l", "n", "n", "n", "n", "n", "n", "n", "n", "n", "o", "o", "o", "o",
    "o", "o", "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s", "s", "s", "s", "s",
    // U+0160
    "s", "s", "t", "t", "t", "t", "t", "t", "u", "u", "u", "u", "u", "u", "u", "u",
    "u", "u", "u", "u", "w", "w", "y", "y", "y", "z", "z", "z", "z", "z", "z", "s",
};

bool IsUpperLatin(char32_t cp) {
  if (cp < 0x100) return cp >= 0xC0 && cp <= 0xDE;
  if (cp <= 0x137) return cp % 2 == 0;
  if (cp <= 0x148) return cp % 2 == 1;
  if (cp <= 0x177) return cp % 2 == 0;
  if (cp == 0x178) return true;
  return cp <= 0x17E && cp % 2 == 1;
}

// Scripts written without spaces between words (or, for Hangul, with
// names usually written as one word): each character is its own token
// and tokens join without a space, so "東京都渋谷区" can match "東京都".
bool IsDense(char32_t cp) {
  return (cp >= 0x0E00 && cp <= 0x0E7F) || (cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0x3040 && cp <= 0x30FF) ||
         (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7AF) ||
         (cp >= 0xF900 && cp <= 0xFAFF);
}

// Letters of other alphabetic scripts, kept as they are (Greek and
// Cyrillic lower-cased): Latin extensions, Greek, Cyrillic, Armenian,
// Hebrew, Arabic, Indic scripts.
bool IsWordLetter(char32_t cp) {
  return (cp >= 0x180 && cp < 0x2B0) || (cp >= 0x370 && cp < 0x530) || (cp >= 0x531 && cp < 0x0E00) ||
         (cp >= 0x1E00 && cp < 0x1F00);
}

// Appends the UTF-8 bytes of `cp` (a valid scalar value below U+10000 here).
void AppendCodePoint(char* buf, size_t& len, char32_t cp) {
  if (cp < 0x800) {
    buf[len++] = static_cast<char>(0xC0 | (cp >> 6));
  } else {
    buf[len++] = static_cast<char>(0xE0 | (cp >> 12));
    buf[len++] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  }
  buf[len++] = static_cast<char>(0x80 | (cp & 0x3F));
}

bool IsApostrophe(char32_t cp) { return cp == '\'' || cp == 0x2019 || cp == 0x02BC || cp == '`' || cp == 0x30FB; }

}  // namespace

PlaceText::PlaceText(std::string_view text, Segments segments) {
  text = TruncateUtf8(text, kMaxInputBytes);
  const bool split = segments == Segments::kSplit;
  size_t pos = 0;
  bool after_space = true;  // a hyphen after a space is a dash: " - "
  while (pos < text.size() && count_ < kMaxTokens) {
    char32_t cp = DecodeUtf8(text, pos);
    if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;  // full-width ASCII
    if (cp < 0x80) {
      const char c = static_cast<char>(cp);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
        const bool upper = c >= 'A' && c <= 'Z';
        if (!in_token_ || tokens_[count_].dense) {
          if (in_token_) EndToken();
          StartToken(false, upper);
          if (count_ >= kMaxTokens) break;
        }
        if (c >= 'a' && c <= 'z') letters_upper_ = false;
        buf_[len_++] = static_cast<char>(upper ? c + 32 : c);
        after_space = false;
        continue;
      }
      if (IsApostrophe(cp)) continue;
      if (in_token_) EndToken();
      if (c == ' ' || c == '.' || c == '_') {
        after_space = true;
        continue;
      }
      if (c == '-' && !after_space) continue;
      // Everything else (',', '|', '/', '(', '&', '#', '@', " - "...) separates.
      if (split) pending_break_ = true;
      after_space = true;
      continue;
    }
    if (IsApostrophe(cp)) continue;
    after_space = false;
    if (cp >= 0xC0 && cp <= 0x17F) {
      const char* fold = kLatinFold[cp - 0xC0];
      if (*fold == '\0') {
        if (in_token_) EndToken();
        if (split) pending_break_ = true;
        continue;
      }
      const bool upper = IsUpperLatin(cp);
      if (!in_token_ || tokens_[count_].dense) {
        if (in_token_) EndToken();
        StartToken(false, upper);
        if (count_ >= kMaxTokens) break;
      }
      if (!upper) letters_upper_ = false;
      for (; *fold; ++fold) buf_[len_++] = *fold;
      continue;
    }
    if (cp == 0x218 || cp == 0x219 || cp == 0x21A || cp == 0x21B) {  // Romanian ș ț
      if (!in_token_ || tokens_[count_].dense) {
        if (in_token_) EndToken();
        StartToken(false, cp % 2 == 0);
        if (count_ >= kMaxTokens) break;
      }
      buf_[len_++] = cp < 0x21A ? 's' : 't';
      continue;
    }
    if (IsDense(cp)) {
      if (in_token_) EndToken();
      StartToken(true, false);
      if (count_ >= kMaxTokens) break;
      AppendCodePoint(buf_, len_, cp);
      EndToken();
      continue;
    }
    if (IsWordLetter(cp)) {
      bool upper = false;
      if ((cp >= 0x391 && cp <= 0x3A9) || (cp >= 0x410 && cp <= 0x42F)) {
        cp += 0x20;
        upper = true;
      } else if (cp >= 0x400 && cp <= 0x40F) {
        cp += 0x50;
        upper = true;
      }
      if (!in_token_ || tokens_[count_].dense) {
        if (in_token_) EndToken();
        StartToken(false, upper);
        if (count_ >= kMaxTokens) break;
      }
      if (!upper) letters_upper_ = false;
      AppendCodePoint(buf_, len_, cp);
      continue;
    }
    // Combining marks and joiners stay inside a token; symbols, emoji,
    // punctuation and U+FFFD separate.
    if ((cp >= 0x300 && cp < 0x370) || cp == 0x200C || cp == 0x200D || (cp >= 0xFE00 && cp <= 0xFE0F)) continue;
    if (in_token_) EndToken();
    if (split) pending_break_ = true;
    after_space = true;
  }
  if (in_token_) EndToken();
}

void PlaceText::StartToken(bool dense, bool upper) {
  if (pending_break_) {
    if (count_ > 0) ++segment_;
    pending_break_ = false;
  }
  // Words are joined by one space; dense characters by nothing.
  if (count_ > 0 && !dense && !tokens_[count_ - 1].dense) buf_[len_++] = ' ';
  PlaceToken& t = tokens_[count_];
  t = PlaceToken();
  t.begin = static_cast<uint16_t>(len_);
  t.segment = segment_;
  t.capitalized = upper;
  t.dense = dense;
  letters_upper_ = upper;
  in_token_ = true;
}

void PlaceText::EndToken() {
  PlaceToken& t = tokens_[count_];
  t.end = static_cast<uint16_t>(len_);
  t.all_upper = letters_upper_ && !t.dense;
  in_token_ = false;
  ++count_;
}

std::string NormalizePlaceName(std::string_view name) {
  const PlaceText text(name, PlaceText::Segments::kJoin);
  return std::string(text.All());
}

}  // namespace earshot::geo
