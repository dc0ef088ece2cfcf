#include "core/word_tokenizer.h"

#include <algorithm>

#include "core/utf8.h"

namespace earshot {
namespace {

struct CodeRange {
  char32_t first;
  char32_t last;
};
struct CodeMap {
  char32_t from;
  char32_t to;
};

#include "core/unicode_tables.inc"

}  // namespace

bool IsWordChar(char32_t cp) {
  if (cp < 0x80) {
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
  }
  auto it = std::upper_bound(std::begin(kWordRanges), std::end(kWordRanges), cp,
                             [](char32_t v, const CodeRange& r) { return v < r.first; });
  if (it == std::begin(kWordRanges)) return false;
  --it;
  return cp <= it->last;
}

char32_t FoldCase(char32_t cp) {
  if (cp < 0x80) return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
  auto it = std::lower_bound(std::begin(kLowerMap), std::end(kLowerMap), cp,
                             [](const CodeMap& m, char32_t v) { return m.from < v; });
  return (it != std::end(kLowerMap) && it->from == cp) ? it->to : cp;
}

void TokenizeWords(std::string_view text, WordTokens& out) {
  out.tokens.clear();
  out.folded.clear();
  ForEachWord(text, out.scratch, [&](std::string_view folded, size_t begin, size_t end) {
    WordToken t;
    t.begin = static_cast<uint32_t>(begin);
    t.end = static_cast<uint32_t>(end);
    t.fold_begin = static_cast<uint32_t>(out.folded.size());
    out.folded.append(folded);
    t.fold_end = static_cast<uint32_t>(out.folded.size());
    out.tokens.push_back(t);
  });
}

std::string FoldWords(std::string_view text) {
  std::string out;
  std::string buf;
  ForEachWord(text, buf, [&](std::string_view folded, size_t, size_t) {
    if (!out.empty()) out.push_back(' ');
    out.append(folded);
  });
  return out;
}

bool HashtagTokenAt(std::string_view text, size_t begin, std::string_view folded_word, std::string* token) {
  // Back over the lead ('_'s) to the '#'.
  size_t s = begin;
  while (s > 0 && text[s - 1] == '_') --s;
  if (s == 0 || text[s - 1] != '#') return false;
  // Forward over the word to the end of the name; a second word makes it a
  // multi-word name, which the index leaves to the evaluator.
  size_t pos = begin;
  bool in_word = true;
  while (pos < text.size()) {
    size_t next = pos;
    const char32_t cp = DecodeUtf8(text, next);
    if (cp == '_') {
      in_word = false;
    } else if (cp != kReplacementChar && IsWordChar(cp)) {
      if (!in_word) return false;
    } else {
      break;
    }
    pos = next;
  }
  // The word itself ends at the first '_' or the end of the name.
  size_t word_end = begin;
  while (word_end < pos && text[word_end] != '_') ++word_end;
  token->clear();
  token->push_back('#');
  token->append(text.substr(s, begin - s));
  token->append(folded_word);
  token->append(text.substr(word_end, pos - word_end));
  return true;
}

}  // namespace earshot
