// SimHash fingerprints of short texts (Charikar 2002; Manku, Jain and Das
// Sarma, WWW 2007): 64 bits whose Hamming distance grows with how much two
// texts differ, so that copies, reshares and lightly edited copies of one
// text land a few bits apart while unrelated texts land about 32 apart.
#pragma once

#include <bit>
#include <cstdint>
#include <string_view>

namespace earshot::enrich {

struct SimHashOptions {
  // Words per shingle. 1 (single words) tolerates edits best on short
  // posts: one changed word in a 20-word post changes 1 of 20 features,
  // against 2 of 19 with 2-word shingles (measured in docs/ENRICHMENT.md).
  int shingle_words = 1;
};

struct TextFingerprint {
  uint64_t simhash = 0;
  // Words the fingerprint was computed from, after cleaning; a run of
  // Han or kana characters counts one word per two characters.
  int words = 0;
};

// Returns the fingerprint of `title` and `text` (any bytes; ill-formed
// UTF-8 separates words). The text is cleaned first, so that copies of one
// post agree: a leading "RT @user:", URLs, @handles (with a "via" before
// one), #hashtags and HTML entity references are dropped, and words are
// case-folded by the shared word tokenizer. Han and kana
// runs, which have no spaces between words, are cut into overlapping
// character pairs. Returns simhash 0 and words 0 for a text with no words.
TextFingerprint FingerprintText(std::string_view title, std::string_view text, const SimHashOptions& options = {});

// Returns the number of bits in which `a` and `b` differ (0..64).
inline int HammingDistance(uint64_t a, uint64_t b) { return std::popcount(a ^ b); }

}  // namespace earshot::enrich
