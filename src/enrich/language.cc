#include "enrich/language.h"

// compact_lang_det.h uses FILE without including <cstdio>.
#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>

#include <cstdio>

#include "core/strings.h"
#include "core/utf8.h"
#include "core/word_tokenizer.h"

namespace earshot::enrich {
namespace {

bool IsHandleChar(char c) { return IsAsciiAlpha(c) || IsAsciiDigit(c) || c == '_'; }

// Returns the end of the URL starting at `pos`, or `pos` when none starts there.
size_t UrlEnd(std::string_view s, size_t pos) {
  std::string_view rest = s.substr(pos);
  if (!StartsWithIgnoreAsciiCase(rest, "http://") && !StartsWithIgnoreAsciiCase(rest, "https://") &&
      !StartsWithIgnoreAsciiCase(rest, "www.")) {
    return pos;
  }
  while (pos < s.size() && !IsAsciiSpace(s[pos])) ++pos;
  return pos;
}

// Returns the end of the HTML entity reference ("&amp;", "&#8217;") at `pos`, or `pos`.
size_t EntityEnd(std::string_view s, size_t pos) {
  size_t i = pos + 1;
  if (i < s.size() && s[i] == '#') ++i;
  size_t first = i;
  while (i < s.size() && i - first < 10 && (IsAsciiAlpha(s[i]) || IsAsciiDigit(s[i]))) ++i;
  return (i > first && i < s.size() && s[i] == ';') ? i + 1 : pos;
}

// Returns the end of the run of word characters (and '_') starting at `pos`.
size_t WordRunEnd(std::string_view s, size_t pos) {
  while (pos < s.size()) {
    size_t next = pos;
    char32_t cp = DecodeUtf8(s, next);
    if (cp != '_' && (cp == kReplacementChar || !IsWordChar(cp))) break;
    pos = next;
  }
  return pos;
}

// Returns the end of the "#tag", "@handle", "$CASH" or "@user@server"
// token at `pos`, or `pos` when the sigil starts no token.
size_t SigilTokenEnd(std::string_view s, size_t pos) {
  char sigil = s[pos];
  size_t i = pos + 1;
  if (sigil == '#') return WordRunEnd(s, i) > i ? WordRunEnd(s, i) : pos;
  if (sigil == '$') {
    while (i < s.size() && IsAsciiAlpha(s[i])) ++i;
    return i > pos + 1 ? i : pos;
  }
  // '@': a handle, with the server of a fediverse address.
  while (i < s.size() && (IsHandleChar(s[i]) || s[i] == '.' || s[i] == '@' || s[i] == '-')) ++i;
  while (i > pos + 1 && (s[i - 1] == '.' || s[i - 1] == '-')) --i;  // sentence punctuation
  return i > pos + 1 ? i : pos;
}

// Returns true when a token may start at `pos` (start of text or after a non-word byte).
bool AtTokenStart(std::string_view s, size_t pos) {
  if (pos == 0) return true;
  char prev = s[pos - 1];
  return !(IsAsciiAlpha(prev) || IsAsciiDigit(prev) || prev == '_');
}

// Returns the length of a leading retweet marker ("RT", "RT:", "RT @user:"), or 0.
size_t RetweetMarkerEnd(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && IsAsciiSpace(s[i])) ++i;
  if (s.substr(i, 2) != "RT") return 0;
  i += 2;
  if (i < s.size() && s[i] == ':') ++i;
  if (i < s.size() && !IsAsciiSpace(s[i]) && s[i] != '@') return 0;  // "RTX"
  size_t j = i;
  while (j < s.size() && IsAsciiSpace(s[j])) ++j;
  if (j < s.size() && s[j] == '@') {
    size_t end = j + 1;
    while (end < s.size() && IsHandleChar(s[end])) ++end;
    if (end > j + 1) {
      i = end;
      if (i < s.size() && s[i] == ':') ++i;
    }
  }
  return i;
}

// Removes a trailing "via " from `out` ("... via @techcrunch"): it only
// introduces the handle that follows.
// Looks no further back than `start`, where the text being stripped begins.
void DropTrailingVia(std::string& out, size_t start) {
  size_t end = out.size();
  while (end > start && IsAsciiSpace(out[end - 1])) --end;
  if (end < start + 3 || !EqualsIgnoreAsciiCase(std::string_view(out).substr(end - 3, 3), "via")) return;
  if (end > start + 3 && !AtTokenStart(out, end - 3)) return;
  out.resize(end - 3);
}

// Returns the number of letters in `s`, counting a Han, kana or Hangul
// character as three: one carries about as much as a short word.
int WeightedLetters(std::string_view s) {
  int letters = 0;
  size_t pos = 0;
  while (pos < s.size()) {
    char32_t cp = DecodeUtf8(s, pos);
    if (cp < 0x80) {
      if (IsAsciiAlpha(static_cast<char>(cp))) ++letters;
    } else if (cp != kReplacementChar && IsWordChar(cp)) {
      bool cjk = (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x3400 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7AF);
      letters += cjk ? 3 : 1;
    }
  }
  return letters;
}

}  // namespace

std::string StripNonLinguistic(std::string_view text, Hashtags hashtags) {
  std::string out;
  AppendStripped(text, hashtags, out);
  return out;
}

void AppendStripped(std::string_view text, Hashtags hashtags, std::string& out) {
  out.reserve(out.size() + text.size());
  const size_t start = out.size();  // DropTrailingVia looks no further back
  size_t pos = RetweetMarkerEnd(text);
  if (pos > 0) out.push_back(' ');
  while (pos < text.size()) {
    char c = text[pos];
    size_t end = pos;
    if (c == '&') {
      end = EntityEnd(text, pos);
    } else if (c == '#' && AtTokenStart(text, pos)) {
      end = SigilTokenEnd(text, pos);
      if (end > pos && hashtags == Hashtags::kKeepWord) end = pos + 1;
    } else if ((c == '@' || c == '$') && AtTokenStart(text, pos)) {
      end = SigilTokenEnd(text, pos);
      if (end > pos && c == '@') DropTrailingVia(out, start);
    } else if ((c == 'h' || c == 'H' || c == 'w' || c == 'W') && AtTokenStart(text, pos)) {
      end = UrlEnd(text, pos);
    }
    if (end > pos) {
      out.push_back(' ');
      pos = end;
    } else {
      out.push_back(c);
      ++pos;
    }
  }
}

std::string PrimaryTagFromCld2Code(std::string_view code) {
  if (code == "iw") return "he";  // CLD2 keeps the withdrawn ISO 639 codes
  if (code == "jw") return "jv";
  if (code == "zh-Hant") return "zh";  // script variants share the language
  if (code == "sr-ME") return "sr";
  if (code == "un" || code == "xxx" || code == "tlh" || code.starts_with("zz") || code.starts_with("xx-")) {
    return "";
  }
  if (code.size() < 2 || code.size() > 3) return "";
  for (char c : code) {
    if (c < 'a' || c > 'z') return "";
  }
  return std::string(code);
}

namespace {

struct Cld2Result {
  CLD2::Language language = CLD2::UNKNOWN_LANGUAGE;
  int percent = 0;
  bool reliable = false;
};

Cld2Result RunCld2(std::string_view text, int flags) {
  CLD2::CLDHints hints{nullptr, nullptr, CLD2::UNKNOWN_ENCODING, CLD2::UNKNOWN_LANGUAGE};
  CLD2::Language language3[3];
  int percent3[3] = {0, 0, 0};
  double normalized_score3[3];
  int text_bytes = 0;
  int valid_prefix_bytes = 0;
  Cld2Result r;
  r.language = CLD2::ExtDetectLanguageSummaryCheckUTF8(
      text.data(), static_cast<int>(text.size()), /*is_plain_text=*/true, &hints, flags, language3, percent3,
      normalized_score3, /*resultchunkvector=*/nullptr, &text_bytes, &r.reliable, &valid_prefix_bytes);
  for (int i = 0; i < 3; ++i) {
    if (language3[i] == r.language) r.percent = percent3[i];
  }
  return r;
}

}  // namespace

LanguageGuess DetectLanguage(std::string_view title, std::string_view text) {
  thread_local std::string buf;
  buf.clear();
  AppendStripped(title, Hashtags::kRemove, buf);
  buf.push_back('\n');
  AppendStripped(text, Hashtags::kRemove, buf);
  if (!IsValidUtf8(buf)) buf = SanitizeUtf8(buf);
  const int letters = WeightedLetters(buf);
  if (letters < kMinLettersForDetection) return {};
  // CLD2 takes an int length; a mention is far below 1 GiB, but cut to be safe.
  const std::string_view input = TruncateUtf8(buf, 1 << 30);
  Cld2Result r = RunCld2(input, /*flags=*/0);
  // CLD2 sometimes gives up on plain sentences that contain one odd word
  // ("Ballmer fue afortunado de no haber adquirido Yahoo..." comes back
  // unknown); on text long enough to judge, ask for its best effort, which
  // it then does not call reliable.
  if (r.language == CLD2::UNKNOWN_LANGUAGE && letters >= kMinLettersForBestEffort) {
    r = RunCld2(input, CLD2::kCLDFlagBestEffort);
    r.reliable = false;
  }
  LanguageGuess guess;
  guess.code = PrimaryTagFromCld2Code(CLD2::LanguageCode(r.language));
  if (guess.code.empty()) return {};
  guess.reliable = r.reliable;
  guess.confidence = (r.reliable ? 1.0 : 0.5) * r.percent / 100.0;
  guess.origin = LanguageOrigin::kDetected;
  return guess;
}

LanguageGuess ResolveLanguage(const Mention& m) {
  if (!m.language.empty()) return {m.language, 1.0, true, LanguageOrigin::kSource};
  return DetectLanguage(m.title, m.text);
}

}  // namespace earshot::enrich
