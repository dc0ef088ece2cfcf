#include "search/search.h"

#include <algorithm>

#include "match/evaluator.h"
#include "match/index_plan.h"

namespace earshot::search {

namespace {

Result<SearchResult> Run(store::Store& store, const match::Query* query, const match::IndexPlan& plan,
                         const SearchOptions& options) {
  store::ScanOptions scan;
  scan.from_ms = options.from_ms;
  scan.to_ms = options.to_ms;
  scan.watch_ids = options.watch_ids;
  SearchResult out;
  int64_t skip = std::max<int64_t>(options.skip, 0);
  if (query == nullptr || store.IndexIsExact(plan)) {
    out.index_exact = true;
    EARSHOT_ASSIGN_OR_RETURN(out.total, store.CountCandidates(plan, scan));
    if (options.limit > 0) {
      scan.limit = options.limit + skip;
      int64_t seen = 0;
      EARSHOT_RETURN_IF_ERROR(store.ScanCandidates(plan, scan, [&](const Mention& m) {
        if (seen++ >= skip) out.results.push_back(m);
        return true;
      }));
    }
    return out;
  }
  // Re-check every candidate: the total must count all matches. One view,
  // reset per candidate, reuses its buffers.
  match::MentionView view;
  EARSHOT_RETURN_IF_ERROR(store.ScanCandidates(plan, scan, [&](const Mention& m) {
    ++out.candidates;
    view.Reset(m);
    if (match::Matches(*query, view)) {
      ++out.total;
      if (out.total > skip && static_cast<int64_t>(out.results.size()) < options.limit) out.results.push_back(m);
    }
    return true;
  }));
  return out;
}

}  // namespace

Result<SearchResult> Search(store::Store& store, const match::Query& query, const SearchOptions& options) {
  return Run(store, &query, match::PlanForIndex(query), options);
}

Result<SearchResult> SearchAll(store::Store& store, const SearchOptions& options) {
  match::IndexPlan plan;  // every mention: the index decides alone
  plan.exact = true;
  return Run(store, nullptr, plan, options);
}

}  // namespace earshot::search
