// Translates a backend-neutral IndexQuery into SQLite FTS5 query syntax.
#pragma once

#include <string>

#include "match/index_plan.h"

namespace earshot::store::sqlite {

struct Fts5Query {
  std::string match;  // FTS5 MATCH expression; empty when every row is a candidate
  bool none = false;  // no row can be a candidate
  bool lossless = true;  // false when the translation widened the query (a superset)
};

// Returns the FTS5 form of `q` over columns title and text.
Fts5Query ToFts5(const match::IndexQuery& q);

}  // namespace earshot::store::sqlite
