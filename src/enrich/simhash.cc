#include "enrich/simhash.h"

#include <array>
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

// Splits one folded word into units: a run of ordinary letters is one
// unit, a run of Han or kana becomes its overlapping character pairs.
void AddWordUnits(std::string_view word, Units& units, std::vector<size_t>& offsets) {
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

// Accumulates weighted feature hashes bit by bit; the sign of each
// counter is one bit of the fingerprint.
class SimHashAccumulator {
 public:
  void Add(uint64_t feature) {
    for (int b = 0; b < 64; ++b) counts_[b] += static_cast<int32_t>((feature >> b) & 1) * 2 - 1;
  }
  uint64_t Finish() const {
    uint64_t fp = 0;
    for (int b = 0; b < 64; ++b) fp |= static_cast<uint64_t>(counts_[b] > 0) << b;
    return fp;
  }

 private:
  std::array<int32_t, 64> counts_{};
};

}  // namespace

TextFingerprint FingerprintText(std::string_view title, std::string_view text, const SimHashOptions& options) {
  // Hashtags go whole: copies add and drop them freely ("... #backup #cloud").
  std::string cleaned = StripNonLinguistic(title, Hashtags::kRemove);
  cleaned.push_back('\n');
  cleaned += StripNonLinguistic(text, Hashtags::kRemove);
  Units units;
  std::vector<size_t> offsets;
  std::string fold_buf;
  ForEachWord(cleaned, fold_buf, [&](std::string_view word, size_t, size_t) { AddWordUnits(word, units, offsets); });
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
