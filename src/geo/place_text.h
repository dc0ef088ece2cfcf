// Splits free place text ("Austin, TX", "München | Remote", "東京都渋谷区")
// into normalized tokens grouped in segments. The gazetteer normalizes its
// names with the same function, so a run of tokens in one segment can be
// looked up directly as a substring of the normalized buffer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace earshot::geo {

// One word (Latin, Greek, Cyrillic...) or one CJK, Hangul or Thai character.
struct PlaceToken {
  uint16_t begin = 0;       // byte range in PlaceText::normalized()
  uint16_t end = 0;
  uint16_t segment = 0;     // tokens between two separators share a segment
  bool capitalized = false;  // first letter upper case in the original text
  bool all_upper = false;    // every letter upper case ("TX", "UK")
  bool dense = false;        // CJK/Hangul/Thai: joined to neighbours without a space
};

// A place text folded for matching: ASCII letters lower-cased, Latin
// accents removed ("München" -> "munchen", "Straße" -> "strasse"),
// apostrophes dropped, other punctuation turned into token or segment
// breaks. Holds fixed-size buffers: building one never allocates.
class PlaceText {
 public:
  // Only this many bytes of the input are read; profile locations are
  // short and the rest of a long text cannot change the answer much.
  static constexpr size_t kMaxInputBytes = 256;
  static constexpr size_t kMaxTokens = 64;

  // Separators (',', '|', '/', ';', '(', " - ", "&", " and ", emoji and
  // other symbols...) start a new segment when `split_segments` is true;
  // otherwise they only break tokens (used for gazetteer names).
  enum class Segments { kSplit, kJoin };
  explicit PlaceText(std::string_view text, Segments segments = Segments::kSplit);

  PlaceText(const PlaceText&) = delete;
  PlaceText& operator=(const PlaceText&) = delete;

  size_t size() const { return count_; }
  const PlaceToken& token(size_t i) const { return tokens_[i]; }
  // Returns the normalized text of tokens [first, last] (inclusive), which
  // is what the gazetteer stores as a key. REQUIRES: first <= last < size().
  std::string_view Key(size_t first, size_t last) const {
    return {buf_ + tokens_[first].begin, static_cast<size_t>(tokens_[last].end - tokens_[first].begin)};
  }
  // Returns the normalized text of all tokens (empty for no tokens).
  std::string_view All() const { return count_ ? Key(0, count_ - 1) : std::string_view(); }
  int segment_count() const { return count_ ? tokens_[count_ - 1].segment + 1 : 0; }

 private:
  void StartToken(bool dense, bool upper);
  void EndToken();

  char buf_[kMaxInputBytes * 2 + 8];
  size_t len_ = 0;
  PlaceToken tokens_[kMaxTokens];
  size_t count_ = 0;
  bool in_token_ = false;
  bool pending_break_ = false;  // a segment break before the next token
  uint16_t segment_ = 0;
  bool letters_upper_ = true;
};

// Returns `name` normalized as PlaceText does, with all tokens joined
// ("Saint-Étienne" -> "saint etienne", "東京都" -> "東京都").
std::string NormalizePlaceName(std::string_view name);

}  // namespace earshot::geo
