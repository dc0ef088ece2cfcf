// Stored search must mean exactly what the evaluator means: for thousands
// of generated queries over real and simulated mentions, search::Search
// (index candidates, re-check unless exact) returns exactly the mentions
// that match::Matches accepts when run over every stored mention.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

#include "search/real_query_gen.h"
#include "match/evaluator.h"
#include "match/query.h"
#include "match/random_query.h"
#include "pipeline/ingest_pipeline.h"
#include "search/search.h"
#include "testutil.h"

namespace earshot::search {
namespace {

using earshot::testing::SharedData;
using earshot::testing::TempDir;

std::vector<std::unique_ptr<match::MentionView>> Views(const std::vector<Mention>& all) {
  std::vector<std::unique_ptr<match::MentionView>> views;
  for (const Mention& m : all) views.push_back(std::make_unique<match::MentionView>(m));
  return views;
}

std::vector<Mention> AllMentions(store::Store& s) {
  std::vector<Mention> all;
  match::IndexPlan everything;
  EXPECT_OK(s.ScanCandidates(everything, {}, [&](const Mention& m) {
    all.push_back(m);
    return true;
  }));
  return all;
}

// Checks Search against brute force for `query`; returns false on the first mismatch.
void ExpectSameAsBruteForce(store::Store& s, const std::vector<Mention>& all,
                            const std::vector<std::unique_ptr<match::MentionView>>& views, const std::string& text,
                            int* exact_count) {
  Result<match::Query> q = match::ParseQuery(text);
  ASSERT_TRUE(q.ok()) << text << ": " << q.status().ToString();
  std::vector<std::string> want;
  for (size_t i = 0; i < all.size(); ++i) {
    if (match::Matches(*q, *views[i])) want.push_back(all[i].id);
  }
  SearchOptions opts;
  opts.limit = 1'000'000;
  Result<SearchResult> got = Search(s, *q, opts);
  ASSERT_TRUE(got.ok()) << text << ": " << got.status().ToString();
  if (got->index_exact) ++*exact_count;
  std::vector<std::string> ids;
  for (const Mention& m : got->results) ids.push_back(m.id);
  ASSERT_EQ(got->total, static_cast<int64_t>(want.size())) << "query: " << text;
  std::sort(ids.begin(), ids.end());
  std::sort(want.begin(), want.end());
  ASSERT_EQ(ids, want) << "query: " << text;
  // And a first page is the newest `limit` of them.
  opts.limit = 3;
  Result<SearchResult> page = Search(s, *q, opts);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, got->total);
  EXPECT_EQ(page->results.size(), std::min<size_t>(3, want.size()));
  for (size_t i = 1; i < page->results.size(); ++i) {
    EXPECT_GE(page->results[i - 1].created_at_ms, page->results[i].created_at_ms) << text;
  }
}

TEST(SearchDifferentialTest, RealMentionsAndRealVocabularyQueries) {
  TempDir dir;
  store::StoreOptions so;
  so.data_dir = dir.str();
  auto s = store::OpenStore(so);
  ASSERT_TRUE(s.ok());
  {
    auto p = pipeline::IngestPipeline::Start(**s, {});
    ASSERT_TRUE(p.ok());
    for (const char* f : {"x-v2/brexit.jsonl", "x-v2/kpop.jsonl", "feeds/Rss20HubSpot.xml", "hn/items.jsonl",
                          "reddit/askreddit_new_listing.json", "mastodon/timelines_public.response.json",
                          "tweets-sanders/full-corpus.csv", "feeds/AtomTheVerge.xml"}) {
      (*p)->IngestFile(SharedData(f), {});
    }
    auto report = (*p)->Finish();
    ASSERT_TRUE(report.ok());
    ASSERT_EQ(report->rejected, 0);
  }
  std::vector<Mention> all = AllMentions(**s);
  ASSERT_GT(all.size(), 5000u);
  auto views = Views(all);
  RealQueryGen gen(all, match::testing::TestSeed());
  int exact = 0;
  const int kQueries = 1000;
  for (int i = 0; i < kQueries; ++i) {
    ExpectSameAsBruteForce(**s, all, views, gen.Query(), &exact);
    if (::testing::Test::HasFatalFailure()) return;
  }
  // Both paths are exercised: index-only answers and re-checked candidates.
  EXPECT_GT(exact, kQueries / 10);
  EXPECT_LT(exact, kQueries);
}

TEST(SearchDifferentialTest, RandomMentionsAndRandomQueries) {
  TempDir dir;
  store::StoreOptions so;
  so.data_dir = dir.str();
  auto s = store::OpenStore(so);
  ASSERT_TRUE(s.ok());
  std::mt19937_64 rng(match::testing::TestSeed());
  std::vector<Mention> batch;
  for (int i = 0; i < 1000; ++i) {
    Mention m = match::testing::RandomMention(rng);
    m.id = "t:" + std::to_string(i);
    m.source = "t";
    m.external_id = std::to_string(i);
    batch.push_back(std::move(m));
  }
  ASSERT_TRUE((*s)->WriteBatch(batch).ok());
  std::vector<Mention> all = AllMentions(**s);
  ASSERT_EQ(all.size(), 1000u);
  auto views = Views(all);
  int exact = 0;
  for (int i = 0; i < 1000; ++i) {
    ExpectSameAsBruteForce(**s, all, views, match::testing::RandomQuery(rng), &exact);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

}  // namespace
}  // namespace earshot::search
