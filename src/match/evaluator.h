// The evaluator: THE definition of what a query matches. Live matching of
// watches and stored search (which re-checks index candidates) both call
// Matches(), so a mention found live is found by search and the reverse.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "match/mention_view.h"
#include "match/query.h"

namespace earshot::match {

// Returns true when `m` satisfies `q`. Text atoms look at the title and the
// text, each on its own: a phrase or NEAR must lie within one of them. Does
// not allocate. Thread-safe: many threads may evaluate one Query and one
// MentionView at once.
bool Matches(const Query& q, const MentionView& m);

// Replaces the contents of `out` with the canonical text of each text atom
// and NEAR group of `q` that occurs in `m` and is not negated by NOT, in query
// order without duplicates; atoms under title: are written "title:atom".
// Meant for reporting which terms of a matching query hit.
void MatchedTerms(const Query& q, const MentionView& m, std::vector<std::string>* out);

// The parts of Matches() that a matcher may decide without a MentionView.

// Returns true when the character at byte `e` of `s` continues a hashtag
// (`handle` false) or handle name, so a name ending just before `e` is only
// part of a longer one: '_' or a word character, and for handles also '.',
// '-' or '@' followed by one of those.
bool ContinuesSigilName(std::string_view s, size_t e, bool handle);

// Returns true when field node `n` holds for `m`, as Matches() decides it.
// REQUIRES: n is kFollowers, or kField other than Field::kAuthorName (which
// needs the view's folded names).
bool MentionFieldHolds(const Node& n, const Mention& m);

}  // namespace earshot::match
