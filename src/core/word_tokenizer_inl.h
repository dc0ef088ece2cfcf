// Inline part of word_tokenizer.h: the hot loop used by the FTS5 tokenizer,
// the stored-search view and enrichment. The word passed to `fn` is valid
// during the call only: it points into `text` or into `fold_buf`.
#pragma once

#include "core/utf8.h"

namespace earshot {

template <typename Fn>
void ForEachWord(std::string_view text, std::string& fold_buf, Fn&& fn) {
  size_t pos = 0;
  const size_t n = text.size();
  while (pos < n) {
    // Skip separators.
    size_t start = pos;
    char32_t cp = 0;
    bool word = false;
    while (pos < n) {
      start = pos;
      unsigned char c = static_cast<unsigned char>(text[pos]);
      if (c < 0x80) {
        ++pos;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
          cp = c;
          word = true;
          break;
        }
      } else {
        cp = DecodeUtf8(text, pos);
        if (cp != kReplacementChar && IsWordChar(cp)) {
          word = true;
          break;
        }
      }
    }
    if (!word) return;
    if (cp < 0x80) {
      // Fast path: a word of ASCII letters and digits that an ASCII byte (or
      // the end) closes is passed straight from the text when it holds no
      // capital, else lower-cased in one go; a word that goes on into other
      // bytes is cut again by the general loop below.
      size_t end = pos;
      bool upper = cp >= 'A' && cp <= 'Z';
      while (end < n) {
        const unsigned char c = static_cast<unsigned char>(text[end]);
        const bool is_lower_or_digit = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        const bool is_upper = c >= 'A' && c <= 'Z';
        if (!is_lower_or_digit && !is_upper) break;
        upper |= is_upper;
        ++end;
      }
      if (end >= n || static_cast<unsigned char>(text[end]) < 0x80) {
        std::string_view w = text.substr(start, end - start);
        if (upper) {
          fold_buf.assign(w);
          for (char& c : fold_buf) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
          w = fold_buf;
        }
        fn(w, start, end);
        pos = end;
        continue;
      }
    }
    fold_buf.clear();
    size_t end = pos;
    while (true) {
      if (cp < 0x80) {
        fold_buf.push_back(static_cast<char>(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp));
      } else {
        AppendUtf8(fold_buf, FoldCase(cp));
      }
      end = pos;
      if (pos >= n) break;
      unsigned char c = static_cast<unsigned char>(text[pos]);
      if (c < 0x80) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
          cp = c;
          ++pos;
          continue;
        }
        break;
      }
      size_t save = pos;
      cp = DecodeUtf8(text, pos);
      if (cp == kReplacementChar || !IsWordChar(cp)) {
        pos = save;
        break;
      }
    }
    fn(std::string_view(fold_buf), start, end);
    pos = end;
  }
}

}  // namespace earshot
