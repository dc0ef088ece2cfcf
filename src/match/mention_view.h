// MentionView: a Mention cut into words once, so that many queries can be
// evaluated against it without tokenizing again.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/mention.h"
#include "core/word_tokenizer.h"

namespace earshot::match {

// The words of one text field (title or text) with a by-word index: token
// positions sorted by folded word, so a word's positions are found by binary
// search and come out in text order.
class FieldTokens {
 public:
  // Tokenizes `source` with TokenizeWords, keeping a view of it: the caller
  // keeps `source` alive and unchanged while this object is used. Reuses the
  // capacity of earlier calls.
  void Reset(std::string_view source);

  // Returns the field's text.
  std::string_view source() const { return source_; }
  // Returns the number of tokens.
  size_t size() const { return words_.tokens.size(); }
  // Returns token `i`. REQUIRES: i < size().
  const WordToken& token(size_t i) const { return words_.tokens[i]; }
  // Returns the folded form of token `i`. REQUIRES: i < size().
  std::string_view Folded(size_t i) const { return words_.Folded(words_.tokens[i]); }
  // Returns the bytes of token `i` as written. REQUIRES: i < size().
  std::string_view Raw(size_t i) const {
    const WordToken& t = words_.tokens[i];
    return source_.substr(t.begin, t.end - t.begin);
  }
  // Returns the positions of the tokens whose folded form equals `word`, ascending.
  std::span<const uint32_t> Positions(std::string_view word) const;
  // Returns the positions of the tokens whose folded form starts with
  // `prefix`, grouped by word (ascending within each word).
  std::span<const uint32_t> PrefixPositions(std::string_view prefix) const;

 private:
  // A token position with the first 8 bytes of its folded word as a
  // big-endian integer, so sorting compares integers and rarely strings.
  struct Entry {
    uint64_t key;
    uint32_t pos;
  };
  static uint64_t KeyOf(std::string_view word);

  std::string_view source_;
  WordTokens words_;
  std::vector<Entry> entries_;     // sorted by (folded word, position)
  std::vector<uint32_t> by_word_;  // entries_[i].pos, for returning spans
};

// A Mention prepared for matching: title and text tokenized and indexed, the
// author's names folded. Build one per mention and evaluate every query on it.
// Not thread-safe to Reset while another thread reads it; concurrent reads are fine.
class MentionView {
 public:
  // An empty view; Reset() it before use.
  MentionView() = default;
  // Prepares `m`. Keeps a reference: `m` must outlive this view and stay unchanged.
  explicit MentionView(const Mention& m) { Reset(m); }

  // Prepares `m` in place of the current mention, reusing allocated memory.
  void Reset(const Mention& m);

  // Returns the mention.
  const Mention& mention() const { return *mention_; }
  // Returns the title's words.
  const FieldTokens& title() const { return title_; }
  // Returns the text's words.
  const FieldTokens& text() const { return text_; }
  // Returns the author's display name as FoldWords() gives it ("jane doe").
  std::string_view author_name_words() const { return author_name_words_; }
  // Returns the author's handle as FoldWords() gives it ("dell emc" for "Dell_EMC").
  std::string_view author_handle_words() const { return author_handle_words_; }

 private:
  const Mention* mention_ = nullptr;
  FieldTokens title_;
  FieldTokens text_;
  std::string author_name_words_;
  std::string author_handle_words_;
  std::string fold_buf_;
};

}  // namespace earshot::match
