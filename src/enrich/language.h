// The language of a mention: the one its source states when it states one
// (X `lang`, a feed's xml:lang or <language>, Mastodon `language`), else
// the one CLD2 detects in its words. Detection costs about 4.5 µs a post
// on one core, as much as the near-duplicate and intent stages each
// (docs/ENRICHMENT.md), so a stated language is never second-guessed.
#pragma once

#include <string>
#include <string_view>

#include "core/mention.h"

namespace earshot::enrich {

// Where a language code came from.
enum class LanguageOrigin {
  kNone,      // neither stated nor detected
  kSource,    // the source stated it (Mention::language)
  kDetected,  // CLD2 detected it in the title and text
};

struct LanguageGuess {
  // BCP 47 primary tag: the ISO 639-1 code when the language has one ("en",
  // "he", "zh"), else its ISO 639-3 code ("ceb", "haw"); "" when unknown.
  std::string code;
  // 0..1: the share of the text's letters in `code`, halved when CLD2 does
  // not call the guess reliable; 1 for a stated language; 0 when unknown.
  double confidence = 0;
  // True when CLD2 calls the guess reliable (or the source stated it).
  bool reliable = false;
  LanguageOrigin origin = LanguageOrigin::kNone;
};

// Texts with fewer letters than this (after URLs, @handles, #hashtags and
// HTML entities are removed) get no language: CLD2 guesses English for
// almost anything that short.
inline constexpr int kMinLettersForDetection = 12;
// When CLD2 finds no language in a text with at least this many letters,
// its best-effort guess is taken (and not called reliable).
inline constexpr int kMinLettersForBestEffort = 40;

// Returns the language CLD2 detects in `title` and `text` (plain text, any
// bytes: ill-formed UTF-8 is repaired on a copy first). URLs, @handles,
// #hashtags, $cashtags, a leading "RT" and HTML entity references are
// removed before detection: they are written the same in every language.
// Returns code "" for text too short or in no language CLD2 knows.
// Thread-safe.
LanguageGuess DetectLanguage(std::string_view title, std::string_view text);

// Returns the language of `m`: Mention::language when the source stated it
// (origin kSource, confidence 1), else DetectLanguage(m.title, m.text).
// Thread-safe.
LanguageGuess ResolveLanguage(const Mention& m);

// Returns the BCP 47 primary tag for a CLD2 language code ("iw" -> "he",
// "jw" -> "jv", "zh-Hant" -> "zh", "sr-ME" -> "sr"), or "" for CLD2's
// pseudo-languages ("un", "xxx", "xx-Latn", "zzp", "tlh", numbers).
std::string PrimaryTagFromCld2Code(std::string_view cld2_code);

// What StripNonLinguistic does with "#tag".
enum class Hashtags {
  kRemove,    // the whole tag goes: it is spelt the same in every language
  kKeepWord,  // only the '#' goes: the word is part of what the text says
};

// Returns `text` with URLs, @handles (and a "via" before one), $cashtags,
// a leading "RT" and HTML entity references replaced by a space, and
// hashtags treated as `hashtags` says. What is left is what a language
// detector or a duplicate finder should read.
std::string StripNonLinguistic(std::string_view text, Hashtags hashtags = Hashtags::kRemove);
// The same, appended to `out` (a reused buffer spares an allocation per call).
void AppendStripped(std::string_view text, Hashtags hashtags, std::string& out);

}  // namespace earshot::enrich
