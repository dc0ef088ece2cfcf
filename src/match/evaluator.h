// The evaluator: THE definition of what a query matches. Live matching of
// watches and stored search (which re-checks index candidates) both call
// Matches(), so a mention found live is found by search and the reverse.
#pragma once

#include <string>
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

}  // namespace earshot::match
