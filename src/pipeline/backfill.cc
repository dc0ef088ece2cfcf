#include "pipeline/backfill.h"

#include "enrich/sentiment.h"
#include "match/evaluator.h"
#include "match/index_plan.h"
#include "match/mention_view.h"
#include "match/query.h"
#include "pipeline/mention_processor.h"

namespace earshot::pipeline {

Result<int64_t> BackfillWatch(store::Store& store, const store::Watch& watch) {
  Result<match::Query> q = match::ParseQuery(watch.query);
  if (!q.ok()) return q.status().WithContext("watch '" + watch.name + "'");
  EARSHOT_ASSIGN_OR_RETURN(enrich::SentimentScorer scorer, enrich::SentimentScorer::Create());
  return store.Backfill(watch.id, match::PlanForIndex(*q), [&](const Mention& m, WatchMatch* out) {
    match::MentionView view(m);
    if (!match::Matches(*q, view)) return false;
    match::MatchedTerms(*q, view, &out->terms);
    out->sentiment = WatchSentiment(scorer, m, out->terms);
    return true;
  });
}

}  // namespace earshot::pipeline
