#include "enrich/simhash.h"

#include <array>
#include <bit>
#include <string>
#include <vector>

#include "core/hash.h"
#include "core/utf8.h"
#include "core/word_tokenizer.h"
#include "enrich/language.h"

namespace earshot::enrich {
namespace {

// Han and kana: scripts written without spaces between words.
bool IsUnspacedScript(char32_t cp) {
  return (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFF66 && cp <= 0xFF9F);
}

// The hashed units of a text: words, and character pairs of Han and kana runs.
struct Units {
  std::vector<uint64_t> hashes;
  int words = 0;
};

// Appends the units of the run of unspaced-script characters `run` (each
// element one code point, UTF-8 encoded back to back at `offsets`).
void AddUnspacedRun(std::string_view run, const std::vector<size_t>& offsets, Units& units) {
  size_t chars = offsets.size() - 1;
  units.words += static_cast<int>((chars + 1) / 2);
  if (chars == 1) {
    units.hashes.push_back(Hash64(run));
    return;
  }
  for (size_t i = 0; i + 1 < chars; ++i) {
    units.hashes.push_back(Hash64(run.substr(offsets[i], offsets[i + 2] - offsets[i])));
  }
}

bool IsAscii(std::string_view s) {
  unsigned char any = 0;
  for (char c : s) any |= static_cast<unsigned char>(c);
  return any < 0x80;
}

// Splits one folded word into units: a run of ordinary letters is one
// unit, a run of Han or kana becomes its overlapping character pairs.
void AddWordUnits(std::string_view word, Units& units, std::vector<size_t>& offsets) {
  // Most words are ASCII: one run of ordinary letters, no decoding needed.
  if (IsAscii(word)) {
    units.hashes.push_back(Hash64(word));
    ++units.words;
    return;
  }
  size_t pos = 0;
  while (pos < word.size()) {
    size_t start = pos;
    size_t probe = pos;
    bool unspaced = IsUnspacedScript(DecodeUtf8(word, probe));
    offsets.assign(1, 0);
    while (pos < word.size()) {
      size_t next = pos;
      if (IsUnspacedScript(DecodeUtf8(word, next)) != unspaced) break;
      pos = next;
      offsets.push_back(pos - start);
    }
    std::string_view run = word.substr(start, pos - start);
    if (unspaced) {
      AddUnspacedRun(run, offsets, units);
    } else {
      units.hashes.push_back(Hash64(run));
      ++units.words;
    }
  }
}

// Counts, per bit, how many features have it set; the bit of the
// fingerprint is set when more than half do (a feature votes +1 for each
// set bit and -1 for each clear one). The counters are bit-sliced: plane j
// holds bit j of all 64 counters, so adding a feature is a ripple carry
// over a few words instead of 64 separate additions.
class SimHashAccumulator {
 public:
  void Add(uint64_t feature) {
    ++features_;
    uint64_t carry = feature;
    for (size_t j = 0; carry != 0; ++j) {
      const uint64_t plane = planes_[j];
      planes_[j] = plane ^ carry;
      carry &= plane;
    }
  }
  uint64_t Finish() const {
    // Bits whose count reaches features/2 + 1, compared plane by plane
    // from the most significant: `greater` where the count is already
    // known to be larger, `equal` where it matches the threshold so far.
    const uint64_t threshold = features_ / 2 + 1;
    uint64_t greater = 0;
    uint64_t equal = ~uint64_t{0};
    for (int j = static_cast<int>(std::bit_width(features_)) - 1; j >= 0; --j) {
      const uint64_t plane = planes_[static_cast<size_t>(j)];
      if ((threshold >> j) & 1) {
        equal &= plane;
      } else {
        greater |= equal & plane;
        equal &= ~plane;
      }
    }
    return greater | equal;
  }

 private:
  // A count never exceeds the number of features, which is below 2^64.
  std::array<uint64_t, 64> planes_{};
  uint64_t features_ = 0;
};

// Reused between calls: fingerprinting allocates only while a thread's
// buffers grow.
struct Scratch {
  Units units;
  std::vector<size_t> offsets;
  std::string fold_buf;
  std::string cleaned;
};

}  // namespace

TextFingerprint FingerprintText(std::string_view title, std::string_view text, const SimHashOptions& options) {
  thread_local Scratch scratch;
  Units& units = scratch.units;
  units.hashes.clear();
  units.words = 0;
  // Hashtags go whole: copies add and drop them freely ("... #backup #cloud").
  // Title and text are cut apart: a line break between them separates words anyway.
  for (std::string_view part : {title, text}) {
    std::string& cleaned = scratch.cleaned;
    cleaned.clear();
    AppendStripped(part, Hashtags::kRemove, cleaned);
    ForEachWord(cleaned, scratch.fold_buf,
                [&](std::string_view word, size_t, size_t) { AddWordUnits(word, units, scratch.offsets); });
  }
  if (units.hashes.empty()) return {};

  const size_t n = static_cast<size_t>(options.shingle_words < 1 ? 1 : options.shingle_words);
  SimHashAccumulator acc;
  size_t shingles = units.hashes.size() >= n ? units.hashes.size() - n + 1 : 1;
  for (size_t i = 0; i < shingles; ++i) {
    uint64_t h = units.hashes[i];
    for (size_t j = 1; j < n && i + j < units.hashes.size(); ++j) {
      h = Mix64(h * 0x9E3779B97F4A7C15ULL + units.hashes[i + j]);
    }
    acc.Add(h);
  }
  return {acc.Finish(), units.words};
}

}  // namespace earshot::enrich
