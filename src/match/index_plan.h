// The index plan: how stored search turns a Query into a question for the
// FTS5 word index (same tokenizer, columns `title` and `text`, prefix index)
// plus SQL equality filters. The index proposes candidates, a superset of the
// true matches; Matches() then decides, unless the plan is exact.
#pragma once

#include <string>
#include <vector>

#include "match/query.h"

namespace earshot::match {

// A query over the word index. Its candidates are a superset of the
// mentions the query matches.
struct IndexQuery {
  enum class Kind { kAll, kNone, kTerm, kPrefix, kPhrase, kNear, kAnd, kOr, kAndNot };
  // The column a leaf (kTerm, kPrefix, kPhrase, kNear) looks in: kAny is the
  // title or the text (a phrase or NEAR within one of them, as in FTS5);
  // compound nodes carry kAny and leave the column to their leaves.
  enum class Column { kAny, kTitle };

  Kind kind = Kind::kAll;
  Column column = Column::kAny;
  // Folded words: kTerm and kPrefix one word, kPhrase the words in order.
  std::vector<std::string> words;
  // kNear: at most this many tokens between the operands, FTS5's
  // NEAR(a b, N): max(start) - min(end) <= N over the operands' spans.
  int distance = 0;
  // kAnd/kOr: 2+ operands; kNear: 2+ operands, each kTerm, kPrefix, kPhrase or a
  // kOr of those (the store expands such a kOr into an OR of NEARs); kAndNot:
  // [positive, negative].
  std::vector<IndexQuery> children;

  bool operator==(const IndexQuery&) const = default;
};

// A conjunctive equality filter the store applies in SQL.
struct FieldFilter {
  // kSite is reserved: PlanForIndex does not emit it, since site: also
  // matches subdomains, which an equality filter would miss.
  enum class Field { kLang, kChannel, kCountry, kAuthorHandle, kSite };
  Field field = Field::kLang;
  // Normalised: lower-case lang, channel and handle (no '@'), upper-case country.
  std::string value;
  // The mention must NOT have this value (NOT lang:de); lang, channel and
  // country only. A mention without the field passes a negated filter.
  bool negated = false;

  bool operator==(const FieldFilter&) const = default;
};

struct IndexPlan {
  IndexQuery text;                   // candidates from the word index (kAll: every mention)
  std::vector<FieldFilter> filters;  // all must hold; values normalised as FieldFilter says
  bool exact = false;                // every candidate satisfying text + filters matches the query
};

// Returns the plan for `q`. Exact parts: literal terms, trailing-'*' prefixes,
// phrases of literal words, one-word #tags (their own index term), unordered
// NEAR of those, AND, OR, title:, A AND NOT B when B's plan is exact, and
// lang:/channel:/country:/author:handle and NOT lang:/channel:/country: in
// the top-level conjunction (as filters). Everything else widens to a
// superset and clears `exact`: '?' wildcards become the prefix before the
// first '?', {AWS}, @name and multi-word #tag_names their plain words,
// NEAR/Nf an unordered NEAR, site:/url:/links:/followers:/author:"name" and
// any field below the top level every mention.
IndexPlan PlanForIndex(const Query& q);

// Returns a readable form of `q` for logs and test messages, e.g.
// AND(TERM(cloud), NEAR(PREFIX(stor), PHRASE(a b), 5), title:TERM(x)).
std::string DebugString(const IndexQuery& q);

}  // namespace earshot::match
