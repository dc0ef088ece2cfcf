#include "match/mention_view.h"

#include <algorithm>

namespace earshot::match {

uint64_t FieldTokens::KeyOf(std::string_view word) {
  // Folded words hold no NUL bytes, so zero padding keeps byte order:
  // comparing keys, then whole words, orders words as strings.
  uint64_t k = 0;
  for (size_t i = 0; i < 8; ++i) k = (k << 8) | (i < word.size() ? static_cast<unsigned char>(word[i]) : 0u);
  return k;
}

void FieldTokens::Reset(std::string_view source) {
  source_ = source;
  TokenizeWords(source, words_);
  const size_t n = words_.tokens.size();
  entries_.resize(n);
  for (size_t i = 0; i < n; ++i) entries_[i] = {KeyOf(Folded(i)), static_cast<uint32_t>(i)};
  std::sort(entries_.begin(), entries_.end(), [this](const Entry& a, const Entry& b) {
    if (a.key != b.key) return a.key < b.key;
    int c = Folded(a.pos).compare(Folded(b.pos));
    return c != 0 ? c < 0 : a.pos < b.pos;
  });
  by_word_.resize(n);
  for (size_t i = 0; i < n; ++i) by_word_[i] = entries_[i].pos;
}

std::span<const uint32_t> FieldTokens::Positions(std::string_view word) const {
  const uint64_t key = KeyOf(word);
  auto lo = std::lower_bound(entries_.begin(), entries_.end(), word, [&](const Entry& e, std::string_view w) {
    return e.key != key ? e.key < key : Folded(e.pos) < w;
  });
  auto hi = std::upper_bound(lo, entries_.end(), word, [&](std::string_view w, const Entry& e) {
    return e.key != key ? key < e.key : w < Folded(e.pos);
  });
  return std::span<const uint32_t>(by_word_).subspan(lo - entries_.begin(), hi - lo);
}

std::span<const uint32_t> FieldTokens::PrefixPositions(std::string_view prefix) const {
  const uint64_t key = KeyOf(prefix);
  auto lo = std::lower_bound(entries_.begin(), entries_.end(), prefix, [&](const Entry& e, std::string_view w) {
    return e.key != key ? e.key < key : Folded(e.pos) < w;
  });
  // Words starting with `prefix` sort right after it, up to the first that does not.
  auto hi = std::partition_point(lo, entries_.end(), [&](const Entry& e) { return Folded(e.pos).starts_with(prefix); });
  return std::span<const uint32_t>(by_word_).subspan(lo - entries_.begin(), hi - lo);
}

namespace {

// Appends FoldWords(text) to `out` without a temporary string.
void AppendFoldWords(std::string_view text, std::string& buf, std::string& out) {
  ForEachWord(text, buf, [&](std::string_view folded, size_t, size_t) {
    if (!out.empty()) out.push_back(' ');
    out.append(folded);
  });
}

}  // namespace

void MentionView::Reset(const Mention& m) {
  mention_ = &m;
  title_.Reset(m.title);
  text_.Reset(m.text);
  author_name_words_.clear();
  AppendFoldWords(m.author.display_name, fold_buf_, author_name_words_);
  author_handle_words_.clear();
  AppendFoldWords(m.author.handle, fold_buf_, author_handle_words_);
}

}  // namespace earshot::match
