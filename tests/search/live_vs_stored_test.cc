// The same query means the same thing live and stored: generated queries
// become watches, mentions are ingested through the pipeline (live
// matching records what each watch matched), and for every watch the
// recorded matches equal `search` over the stored mentions, and
// `watch list` counts them.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "match/evaluator.h"
#include "match/index_plan.h"
#include "match/query.h"
#include "match/random_query.h"
#include "pipeline/ingest_pipeline.h"
#include "search/real_query_gen.h"
#include "search/search.h"
#include "testutil.h"

namespace earshot::search {
namespace {

using earshot::testing::SharedData;
using earshot::testing::TempDir;

TEST(LiveVsStoredTest, WatchMatchesEqualSearchOverStoredMentions) {
  TempDir dir;
  store::StoreOptions so;
  so.data_dir = dir.str();
  auto s = store::OpenStore(so);
  ASSERT_TRUE(s.ok());
  const std::vector<std::string> files = {"x-v2/brexit.jsonl", "x-v2/kpop.jsonl", "feeds/Rss20HubSpot.xml",
                                          "hn/items.jsonl", "reddit/askreddit_new_listing.json",
                                          "mastodon/timelines_public.response.json", "tweets-sanders/full-corpus.csv"};
  // A first pass gives the vocabulary the watches are drawn from.
  {
    auto p = pipeline::IngestPipeline::Start(**s, {});
    ASSERT_TRUE(p.ok());
    for (const std::string& f : files) (*p)->IngestFile(SharedData(f), {});
    ASSERT_TRUE((*p)->Finish().ok());
  }
  std::vector<Mention> all;
  ASSERT_OK((*s)->ScanCandidates({}, {}, [&](const Mention& m) {
    all.push_back(m);
    return true;
  }));
  RealQueryGen gen(all, match::testing::TestSeed());
  std::mt19937_64 rng(match::testing::TestSeed());
  std::map<int64_t, std::string> queries;
  for (int i = 0; i < 400; ++i) {
    std::string q = i % 4 == 3 ? match::testing::RandomQuery(rng) : gen.Query();
    Result<store::Watch> w = (*s)->AddWatch("w" + std::to_string(i), q, i % 2 ? "g1" : "");
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    queries[w->id] = q;
  }
  // Re-ingest the same files: the watch set changed, so every mention is
  // rematched live and updated in place.
  {
    auto p = pipeline::IngestPipeline::Start(**s, {});
    ASSERT_TRUE(p.ok());
    for (const std::string& f : files) (*p)->IngestFile(SharedData(f), {});
    auto report = (*p)->Finish();
    ASSERT_TRUE(report.ok());
    EXPECT_EQ(report->rejected, 0);
  }
  std::map<int64_t, std::set<std::string>> live;
  for (const Mention& m : all) {
    Result<Mention> got = (*s)->Get(m.id);
    ASSERT_TRUE(got.ok());
    for (const WatchMatch& w : got->watches) live[w.watch_id].insert(m.id);
  }
  Result<std::vector<store::Watch>> watches = (*s)->ListWatches();
  ASSERT_TRUE(watches.ok());
  ASSERT_EQ(watches->size(), queries.size());
  int nonempty = 0;
  for (const store::Watch& w : *watches) {
    Result<match::Query> q = match::ParseQuery(w.query);
    ASSERT_TRUE(q.ok());
    SearchOptions opts;
    opts.limit = 1'000'000;
    Result<SearchResult> r = Search(**s, *q, opts);
    ASSERT_TRUE(r.ok());
    std::set<std::string> stored;
    for (const Mention& m : r->results) stored.insert(m.id);
    ASSERT_EQ(stored, live[w.id]) << "watch query: " << w.query;
    ASSERT_EQ(w.matches, r->total) << "watch query: " << w.query;
    if (r->total > 0) ++nonempty;
  }
  EXPECT_GT(nonempty, 100);
}

TEST(LiveVsStoredTest, BackfillAppliesANewWatchToHistory) {
  TempDir dir;
  store::StoreOptions so;
  so.data_dir = dir.str();
  auto s = store::OpenStore(so);
  ASSERT_TRUE(s.ok());
  {
    auto p = pipeline::IngestPipeline::Start(**s, {});
    ASSERT_TRUE(p.ok());
    (*p)->IngestFile(SharedData("x-v2/brexit.jsonl"), {});
    ASSERT_TRUE((*p)->Finish().ok());
  }
  Result<store::Watch> w = (*s)->AddWatch("brexit", "#brexit", "");
  ASSERT_TRUE(w.ok());
  EXPECT_EQ((*s)->ListWatches()->front().matches, 0);  // added after the ingest
  auto q = match::ParseQuery("#brexit");
  Result<int64_t> n = (*s)->Backfill(w->id, match::PlanForIndex(*q), [&](const Mention& m, WatchMatch* out) {
    match::MentionView v(m);
    if (!match::Matches(*q, v)) return false;
    match::MatchedTerms(*q, v, &out->terms);
    return true;
  });
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 100);
  EXPECT_EQ((*s)->ListWatches()->front().matches, 100);
  ASSERT_OK((*s)->RemoveWatch("brexit"));
  EXPECT_TRUE((*s)->ListWatches()->empty());
  EXPECT_EQ((*s)->RemoveWatch("brexit").code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace earshot::search
