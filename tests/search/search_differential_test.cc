// Stored search must mean exactly what the evaluator means: for thousands
// of generated queries over real and simulated mentions, search::Search
// (index candidates, re-check unless exact) returns exactly the mentions
// that match::Matches accepts when run over every stored mention.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

#include "core/utf8.h"
#include "core/word_tokenizer.h"
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

// A query generator over the vocabulary of real mentions: words, phrases
// cut from real texts, prefixes, NEAR, hashtags, handles, fields.
class RealQueryGen {
 public:
  RealQueryGen(const std::vector<Mention>& all, uint64_t seed) : rng_(seed) {
    for (const Mention& m : all) {
      WordTokens t;
      TokenizeWords(m.text, t);
      std::vector<std::string> words;
      for (const WordToken& w : t.tokens) words.emplace_back(t.Folded(w));
      if (words.size() >= 2) texts_.push_back(words);
      for (auto& w : words) {
        if (w.size() >= 3 && w.size() < 20) vocab_.push_back(w);
      }
      for (const std::string& h : m.hashtags) tags_.push_back(h);
      if (!m.author.handle.empty() && m.author.handle.find_first_of(" \"") == std::string::npos) {
        authors_.push_back(m.author.handle);
      }
      if (!m.language.empty()) langs_.insert(m.language);
    }
  }

  std::string Query(int depth = 2) {
    int pick = Uniform(depth > 0 ? 9 : 6);
    switch (pick) {
      case 0: case 1: return Word();
      case 2: return Phrase();
      case 3: {
        // The first three characters of a word (the language asks for two or more).
        std::string w = Word();
        size_t pos = 0;
        for (int chars = 0; chars < 3 && pos < w.size(); ++chars) DecodeUtf8(w, pos);
        return w.substr(0, pos) + "*";
      }
      case 4: return tags_.empty() ? Word() : "#" + tags_[Uniform(static_cast<int>(tags_.size()))];
      case 5: return Field();
      case 6: return "(" + Query(depth - 1) + " OR " + Query(depth - 1) + ")";
      case 7: return Query(depth - 1) + " " + Query(depth - 1);
      default: {
        int k = Uniform(3);
        if (k == 0) return Query(depth - 1) + " NOT " + Query(depth - 1);
        if (k == 1) return Word() + " NEAR/" + std::to_string(Uniform(6)) + (Uniform(2) ? "f " : " ") + Word();
        return "\"" + Phrase(false) + "\"~" + std::to_string(Uniform(4));
      }
    }
  }

 private:
  int Uniform(int n) { return static_cast<int>(rng_() % static_cast<uint64_t>(n)); }
  std::string Word() { return vocab_[Uniform(static_cast<int>(vocab_.size()))]; }
  std::string Phrase(bool quoted = true) {
    const auto& t = texts_[Uniform(static_cast<int>(texts_.size()))];
    int start = Uniform(static_cast<int>(t.size()) - 1);
    std::string p = t[start] + " " + t[start + 1];
    return quoted ? "\"" + p + "\"" : p;
  }
  std::string Field() {
    switch (Uniform(4)) {
      case 0: return "lang:" + *std::next(langs_.begin(), Uniform(static_cast<int>(langs_.size())));
      case 1: return std::string("channel:") + (Uniform(2) ? "microblog" : "blog");
      case 2: return authors_.empty() ? Word() : "author:" + authors_[Uniform(static_cast<int>(authors_.size()))];
      default: return "title:" + Word();
    }
  }

  std::mt19937_64 rng_;
  std::vector<std::vector<std::string>> texts_;
  std::vector<std::string> vocab_, tags_, authors_;
  std::set<std::string> langs_;
};

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
