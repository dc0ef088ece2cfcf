// Stored search: the word index proposes candidates, the one query
// evaluator (match::Matches) decides, so a query means the same thing here
// as in live matching. When the index alone is exact for a query, its
// answer is used directly.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/mention.h"
#include "core/status.h"
#include "match/query.h"
#include "store/store.h"

namespace earshot::search {

struct SearchOptions {
  // Results to return, newest first; the total counts every match regardless.
  int64_t limit = 20;
  // Only mentions with created_at in [from_ms, to_ms).
  std::optional<int64_t> from_ms;
  std::optional<int64_t> to_ms;
  // Only mentions that at least one of these watches matched (empty: all).
  std::vector<int64_t> watch_ids;
  // Results to skip before the first returned (paging within equal times).
  int64_t skip = 0;
};

struct SearchResult {
  int64_t total = 0;              // every stored mention that matches
  std::vector<Mention> results;   // the newest `limit` of them
  bool index_exact = false;       // the index decided alone (no re-check)
  int64_t candidates = 0;         // candidates re-checked (0 when index_exact)
};

// Returns the stored mentions matching `query`. Errors come from the store.
Result<SearchResult> Search(store::Store& store, const match::Query& query, const SearchOptions& options);

// Returns every stored mention within the options' range and watches (no
// query), newest first.
Result<SearchResult> SearchAll(store::Store& store, const SearchOptions& options);

}  // namespace earshot::search
