// Inline part of word_tokenizer.h: the hot loop used by the FTS5 tokenizer
// and the matcher.
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
