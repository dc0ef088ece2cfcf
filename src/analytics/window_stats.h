// WindowStats: what a set of mentions talked about and who wrote it, counted
// by term, hashtag, author and channel. Spike explanations compare the
// mentions inside a spike with those of a baseline window; emerging topics
// compare a recent window with the one before it.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/mention.h"

namespace earshot::analytics {

// Returns true when `word` (folded, as the shared tokenizer gives it) is a
// stop word of English, German, French or Spanish, or is too short or
// numeric to mean anything on its own ("rt", "2026", "https").
bool IsStopWord(std::string_view word);

// Counts of a window of mentions. Terms and hashtags count mentions, not
// occurrences: a word written three times in one post counts once, so one
// repetitive post cannot make a term rise. Not thread-safe.
class WindowStats {
 public:
  using Counts = std::unordered_map<std::string, int64_t>;

  // Adds `m`: its words (title and text, URLs removed, stop words dropped,
  // folded by the shared tokenizer), its hashtags (folded the same way, so
  // #CloudOps and #cloudops are one), its author handle (lower case) and
  // its channel.
  void Add(const Mention& m);

  // Adds every count of `other` to this window.
  void Merge(const WindowStats& other);

  // Returns the number of mentions added.
  int64_t mentions() const { return mentions_; }
  // Returns mentions per folded word.
  const Counts& terms() const { return terms_; }
  // Returns mentions per folded hashtag (without '#').
  const Counts& hashtags() const { return hashtags_; }
  // Returns mentions per author handle; mentions without a handle are not counted.
  const Counts& authors() const { return authors_; }
  // Returns the mentions of channel `c`.
  int64_t channel(Channel c) const { return channels_[static_cast<size_t>(c)]; }

 private:
  int64_t mentions_ = 0;
  Counts terms_;
  Counts hashtags_;
  Counts authors_;
  std::array<int64_t, std::size(kAllChannels)> channels_{};
  // Scratch reused between Add() calls.
  std::string text_buf_;
  std::string fold_buf_;
  std::vector<std::string> words_;
};

}  // namespace earshot::analytics
