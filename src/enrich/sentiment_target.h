// Target-level sentiment: which part of a text speaks about a target (a
// watch's match) and in what role. SentimentScorer::TargetSentiment scores
// the clause found here and applies the role (docs/SENTIMENT.md, "Target-level
// sentiment").
//
// Rules, in order (English function words and symbols; case-insensitive):
//  1. Sentences end at ". ", "! ", "? " (punctuation then space or end), ";",
//     "|" and line breaks; only the target's sentence counts.
//  2. Switches: "left|ditched|dropped|quit|... X for Y", "switched|moved|
//     migrated|... from X to Y" (or "to Y from X"), "replaced X with Y",
//     "moving away from X", "X -> Y" / "X => Y" / "X → Y": X is kDeparted,
//     Y is kChosen.
//  3. Preferences: "chose|prefer|picked|... Y over X", "Y instead of X",
//     "instead of X, Y", "Y rather than X", "Y > X", "X < Y": Y is kPreferred,
//     X is kRejected.
//  4. Comparisons: "X is much better than Y": X's clause holds the judgement
//     (kPlain), Y is kComparedTo and mirrors it.
//  5. Otherwise the clause is cut at contrast words (but, however, although,
//     though, whereas, while, except, yet), at "vs"/"versus" and at the
//     markers above; the target's clause is scored as is (kPlain).
#pragma once

#include <cstddef>
#include <string_view>

namespace earshot::enrich {

enum class TargetRole {
  kPlain,       // the clause's own sentiment
  kDeparted,    // left / switched away from: negative unless the clause says otherwise
  kChosen,      // switched to: positive unless the clause says otherwise
  kPreferred,   // preferred over another: positive unless the clause says otherwise
  kRejected,    // passed over for another: negative unless the clause says otherwise
  kComparedTo,  // the standard of a comparison: the opposite of the comparing clause
};

// Returns "plain", "departed", "chosen", "preferred", "rejected" or "compared_to".
std::string_view TargetRoleName(TargetRole role);

// Where a target's sentiment comes from: its own clause and, for a role
// other than kPlain, the partner clause of the relation (possibly empty).
// Offsets are bytes of the analysed text.
struct TargetContext {
  TargetRole role = TargetRole::kPlain;
  size_t clause_begin = 0;
  size_t clause_end = 0;
  size_t partner_begin = 0;
  size_t partner_end = 0;
  bool symbolic = false;  // the relation was a symbol (">", "->"), with no words to score
};

// Returns the context of the target at bytes [target_begin, target_end) of
// `text` (clamped to the text). Thread-safe.
TargetContext AnalyzeTarget(std::string_view text, size_t target_begin, size_t target_end);

}  // namespace earshot::enrich
