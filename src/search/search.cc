#include "search/search.h"

#include "match/evaluator.h"
#include "match/index_plan.h"

namespace earshot::search {

Result<SearchResult> Search(store::Store& store, const match::Query& query, const SearchOptions& options) {
  match::IndexPlan plan = match::PlanForIndex(query);
  store::ScanOptions scan;
  scan.from_ms = options.from_ms;
  scan.to_ms = options.to_ms;
  SearchResult out;
  if (store.IndexIsExact(plan)) {
    out.index_exact = true;
    EARSHOT_ASSIGN_OR_RETURN(out.total, store.CountCandidates(plan, scan));
    if (options.limit > 0) {
      scan.limit = options.limit;
      EARSHOT_RETURN_IF_ERROR(store.ScanCandidates(plan, scan, [&](const Mention& m) {
        out.results.push_back(m);
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
    if (match::Matches(query, view)) {
      ++out.total;
      if (static_cast<int64_t>(out.results.size()) < options.limit) out.results.push_back(m);
    }
    return true;
  }));
  return out;
}

}  // namespace earshot::search
