#include "ingest/text_entities.h"

#include <algorithm>
#include <unordered_set>

#include "core/strings.h"
#include "core/utf8.h"
#include "core/word_tokenizer.h"

namespace earshot::ingest {
namespace {

bool IsAsciiAlnum(char32_t cp) { return cp < 0x80 && (IsAsciiAlpha(static_cast<char>(cp)) || IsAsciiDigit(static_cast<char>(cp))); }

// Word characters of hashtags: the tokenizer's word characters plus '_'.
bool IsTagChar(char32_t cp) {
  if (cp < 0x80) return IsAsciiAlnum(cp) || cp == '_';
  return cp != kReplacementChar && IsWordChar(cp);
}

// Returns the code point that ends just before `pos`, or 0 at the start.
char32_t CodePointBefore(std::string_view s, size_t pos) {
  if (pos == 0) return 0;
  size_t start = pos - 1;
  // Back up over at most three continuation bytes.
  while (start > 0 && pos - start < 4 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
  return DecodeUtf8(s, start);
}

// Returns the code point at `pos` and advances `pos` past it.
char32_t NextCodePoint(std::string_view s, size_t& pos) {
  unsigned char c = static_cast<unsigned char>(s[pos]);
  if (c < 0x80) {
    ++pos;
    return c;
  }
  return DecodeUtf8(s, pos);
}

// Collects distinct pieces of one text in order of first appearance.
class UniqueList {
 public:
  void Add(std::string_view piece) {
    if (seen_.insert(piece).second) out_.emplace_back(piece);
  }
  std::vector<std::string> Take() { return std::move(out_); }

 private:
  std::unordered_set<std::string_view> seen_;  // views into the text being scanned
  std::vector<std::string> out_;
};

bool IsHandleChar(char c) { return IsAsciiAlpha(c) || IsAsciiDigit(c) || c == '_'; }
bool IsDomainChar(char c) { return IsAsciiAlpha(c) || IsAsciiDigit(c) || c == '.' || c == '-'; }

// Returns the length of a "@server.tld" suffix starting at `pos` (which holds
// '@'), or 0 when none follows.
size_t FediverseServerLength(std::string_view text, size_t pos) {
  if (pos >= text.size() || text[pos] != '@') return 0;
  size_t end = pos + 1;
  while (end < text.size() && IsDomainChar(text[end])) ++end;
  while (end > pos + 1 && (text[end - 1] == '.' || text[end - 1] == '-')) --end;
  std::string_view server = text.substr(pos + 1, end - pos - 1);
  return server.find('.') == std::string_view::npos ? 0 : end - pos;
}

// Returns true when `c` cannot be part of a URL in running text.
bool EndsUrl(std::string_view text, size_t pos) {
  unsigned char c = static_cast<unsigned char>(text[pos]);
  if (c < 0x80) return c <= 0x20 || c == 0x7F || c == '<' || c == '>' || c == '"' || c == '`';
  // Non-ASCII: letters and digits (IRIs, "ü") continue the URL; punctuation
  // and spaces ("…", "“", U+00A0) end it.
  char32_t cp = DecodeUtf8(text, pos);
  return cp == kReplacementChar || !IsWordChar(cp);
}

// Returns where the URL whose host starts at `pos` ends. A closing bracket
// without its opening one inside the URL ends it: "[t](https://x.org/a)が"
// must stop at ')' even though a letter follows.
size_t UrlEnd(std::string_view text, size_t pos) {
  int parens = 0;
  int brackets = 0;
  while (pos < text.size() && !EndsUrl(text, pos)) {
    char c = text[pos];
    if ((c == ')' && --parens < 0) || (c == ']' && --brackets < 0)) break;
    parens += c == '(';
    brackets += c == '[';
    NextCodePoint(text, pos);
  }
  return pos;
}

// Drops trailing sentence punctuation and unbalanced closing brackets.
std::string_view TrimUrlTail(std::string_view url) {
  while (!url.empty()) {
    char last = url.back();
    if (std::string_view(".,;:!?'*").find(last) != std::string_view::npos) {
      url.remove_suffix(1);
      continue;
    }
    char open = last == ')' ? '(' : last == ']' ? '[' : last == '}' ? '{' : 0;
    if (open != 0 && std::count(url.begin(), url.end(), open) < std::count(url.begin(), url.end(), last)) {
      url.remove_suffix(1);
      continue;
    }
    break;
  }
  return url;
}

// Returns the length of the scheme ("http://", "https://") at `pos`, or 0.
size_t SchemeLength(std::string_view text, size_t pos) {
  std::string_view rest = text.substr(pos);
  if (StartsWithIgnoreAsciiCase(rest, "https://")) return 8;
  if (StartsWithIgnoreAsciiCase(rest, "http://")) return 7;
  return 0;
}

}  // namespace

std::vector<std::string> ExtractHashtags(std::string_view text) {
  UniqueList tags;
  for (size_t i = text.find('#'); i != std::string_view::npos; i = text.find('#', i + 1)) {
    char32_t before = CodePointBefore(text, i);
    if (IsTagChar(before) || before == '&' || before == '#') continue;
    size_t end = i + 1;
    bool has_non_digit = false;
    while (end < text.size()) {
      size_t next = end;
      char32_t cp = NextCodePoint(text, next);
      if (!IsTagChar(cp)) break;
      has_non_digit |= !(cp < 0x80 && IsAsciiDigit(static_cast<char>(cp)));
      end = next;
    }
    if (has_non_digit) tags.Add(text.substr(i + 1, end - i - 1));
  }
  return tags.Take();
}

std::vector<std::string> ExtractHandles(std::string_view text) {
  UniqueList handles;
  for (size_t i = text.find('@'); i != std::string_view::npos; i = text.find('@', i + 1)) {
    char32_t before = CodePointBefore(text, i);
    if (IsTagChar(before) || before == '@') continue;
    size_t end = i + 1;
    while (end < text.size() && IsHandleChar(text[end])) ++end;
    if (end == i + 1) continue;
    end += FediverseServerLength(text, end);
    handles.Add(text.substr(i + 1, end - i - 1));
    i = end - 1;  // the server's '@' starts no handle of its own
  }
  return handles.Take();
}

std::vector<std::string> ExtractUrls(std::string_view text) {
  UniqueList urls;
  size_t i = 0;
  while (i < text.size()) {
    size_t scheme = 0;
    if ((text[i] == 'h' || text[i] == 'H') && (i == 0 || !IsAsciiAlnum(static_cast<unsigned char>(text[i - 1])))) {
      scheme = SchemeLength(text, i);
    }
    if (scheme == 0) {
      ++i;
      continue;
    }
    size_t end = UrlEnd(text, i + scheme);
    std::string_view url = TrimUrlTail(text.substr(i, end - i));
    // A URL needs a host: "http://" alone or "http:///x" is prose or junk.
    if (url.size() > scheme && url[scheme] != '/' && url[scheme] != '?' && url[scheme] != '#') urls.Add(url);
    i = end;
  }
  return urls.Take();
}

}  // namespace earshot::ingest
