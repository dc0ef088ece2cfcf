// The enrich and match stages of the pipeline, applied to each mention
// between its connector and the writer: normalize, language (stated or
// detected), sentiment, questions and intent, near-duplicate story, and the
// live watches it matches (with target-level sentiment per watch).
#pragma once

#include <memory>
#include <vector>

#include "core/mention.h"
#include "core/status.h"
#include "core/word_tokenizer.h"
#include "enrich/near_duplicates.h"
#include "enrich/sentiment.h"
#include "match/watch_matcher.h"
#include "store/store.h"

namespace earshot::pipeline {

struct ProcessorOptions {
  // Run enrichment (geography, language, sentiment, intent, stories). Off only for
  // benchmarks that isolate the store.
  bool enrich = true;
  // Detect the language when the source does not state it (CLD2 is the
  // slowest stage; stated languages are always used).
  bool detect_language = true;
};

// Compiles `watches` (id, name, query text) into a watch set; a query that
// does not parse is skipped and named in `skipped`.
Result<std::shared_ptr<const match::CompiledWatchSet>> CompileWatches(
    const std::vector<std::tuple<int64_t, std::string, std::string>>& watches, std::vector<std::string>* skipped);

// Recompiles `holder`'s watch set from the store's watches when the store's
// watch-set version differs from *version (then updates it). A failure
// keeps the current set: matching goes on with the watches it had.
void RefreshWatchSet(store::Store& store, match::WatchSetHolder& holder, int64_t* version);

// Returns the target-level sentiment of `m` for a watch whose matched terms
// are `terms`: the clause around the first term found in the text, else the
// mention's own sentiment.
std::optional<double> WatchSentiment(const enrich::SentimentScorer& scorer, const Mention& m,
                                     const std::vector<std::string>& terms);

// The stages that need no state shared between mentions — normalize,
// geography, language, sentiment, intent — so they can run on many threads
// at once (the server enriches each upload on its own request thread).
void EnrichMention(const enrich::SentimentScorer& scorer, const ProcessorOptions& options, Mention& m);

// Not thread-safe: one per reader thread. Follows `holder` for watch-set changes.
class MentionProcessor {
 public:
  // `holder` is borrowed and must outlive the processor.
  static Result<std::unique_ptr<MentionProcessor>> Create(const match::WatchSetHolder& holder,
                                                          const ProcessorOptions& options);

  // Enriches and matches `m` in place: EnrichMention, Match, AssignStory.
  void Process(Mention& m);
  // EnrichMention and Match: everything but the story.
  void EnrichAndMatch(Mention& m);
  // Records the watches `m` matches, with target-level sentiment. `m` must
  // be enriched.
  void Match(Mention& m);
  // Assigns `m` to its near-duplicate story: the one stage that must see
  // every mention in turn, so one processor does it for a whole ingest.
  void AssignStory(Mention& m);

 private:
  MentionProcessor(const ProcessorOptions& options, enrich::SentimentScorer scorer, match::WatchMatcher matcher,
                   enrich::NearDuplicateIndex stories)
      : options_(options), scorer_(std::move(scorer)), matcher_(std::move(matcher)), stories_(std::move(stories)) {}

  ProcessorOptions options_;
  enrich::SentimentScorer scorer_;
  match::WatchMatcher matcher_;
  enrich::NearDuplicateIndex stories_;
  std::vector<match::WatchHit> hits_;  // reused
  WordTokens tokens_;                  // reused
};

}  // namespace earshot::pipeline
