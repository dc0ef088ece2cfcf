// Influencer ranking: exact expectations on small hand-made graphs, and the
// rank correlation with the simulator's true influence when a simulated
// world is read through the production connectors.
#include "analytics/influence.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ingest/connector.h"
#include "ingest/input_reader.h"
#include "sim/sim.h"
#include "testutil.h"

namespace earshot::analytics {
namespace {

using ::earshot::testing::ReadFileOrDie;
using ::earshot::testing::TempDir;

WatchMatch MatchOf(int64_t watch_id) {
  WatchMatch w;
  w.watch_id = watch_id;
  return w;
}

Mention Post(const std::string& id, const std::string& author, int64_t followers = -1) {
  Mention m;
  m.id = id;
  m.source = "x";
  m.site = "x.com";
  m.channel = Channel::kMicroblog;
  m.author.handle = author;
  m.author.followers = followers;
  return m;
}

size_t IndexOf(const std::vector<InfluencerScore>& v, const std::string& author) {
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i].author == author) return i;
  }
  return v.size();
}

TEST(InfluenceTest, StarOfResharesRanksTheCentreFirst) {
  InteractionGraphBuilder b;
  b.Add(Post("x:c", "centre", 100));
  for (int i = 0; i < 10; ++i) {
    Mention m = Post("x:r" + std::to_string(i), "leaf" + std::to_string(i), 100);
    m.reshare_of = "x:c";
    b.Add(m);
  }
  InfluenceOptions o;
  Result<std::vector<InfluencerScore>> r = b.RankInfluencers(o);
  ASSERT_OK(r.status());
  ASSERT_EQ(r->size(), 11u);
  EXPECT_EQ((*r)[0].author, "centre");
  EXPECT_DOUBLE_EQ((*r)[0].inbound, 10.0);
  EXPECT_EQ((*r)[0].mentions, 1);
  EXPECT_DOUBLE_EQ((*r)[0].focus, 1.0);
  EXPECT_GT((*r)[0].pagerank, 5 * (*r)[1].pagerank);
  // The leaves are alike: equal scores, ordered by handle.
  EXPECT_EQ((*r)[1].author, "leaf0");
  EXPECT_DOUBLE_EQ((*r)[1].score, (*r)[10].score);
  double sum = 0;
  for (const InfluencerScore& s : *r) sum += s.pagerank;
  EXPECT_NEAR(sum, 1.0, 1e-9);
}

TEST(InfluenceTest, ParentsMayArriveAfterTheirChildren) {
  InteractionGraphBuilder b;
  for (int i = 0; i < 5; ++i) {
    Mention m = Post("x:r" + std::to_string(i), "fan" + std::to_string(i));
    m.in_reply_to = "x:orig";
    b.Add(m);
  }
  b.Add(Post("x:orig", "Speaker"));
  Result<std::vector<InfluencerScore>> r = b.RankInfluencers({});
  ASSERT_OK(r.status());
  EXPECT_EQ((*r)[0].author, "Speaker");
  EXPECT_DOUBLE_EQ((*r)[0].inbound, 5 * InteractionWeights{}.reply);
}

TEST(InfluenceTest, InfluenceFlowsThroughChainsAndMentionsMatchHandlesOnTheSameSource) {
  // a <- b <- c, c <- d, e (reshares), plus @a from three others.
  InteractionGraphBuilder b;
  b.Add(Post("x:a", "a"));
  Mention mb = Post("x:b", "b");
  mb.reshare_of = "x:a";
  b.Add(mb);
  Mention mc = Post("x:c", "c");
  mc.reshare_of = "x:b";
  b.Add(mc);
  for (const char* who : {"d", "e"}) {
    Mention m = Post(std::string("x:") + who, who);
    m.reshare_of = "x:c";
    b.Add(m);
  }
  for (const char* who : {"f", "g", "h"}) {
    Mention m = Post(std::string("x:m") + who, who);
    m.mentioned = {"A"};  // handles match case-insensitively
    b.Add(m);
  }
  Mention other = Post("mastodon:1", "q");
  other.source = "mastodon";
  other.mentioned = {"b"};  // a different platform's "b"
  b.Add(other);
  InfluenceOptions o;
  o.reach_weight = 0;
  o.engagement_weight = 0;
  Result<std::vector<InfluencerScore>> r = b.RankInfluencers(o);
  ASSERT_OK(r.status());
  EXPECT_EQ((*r)[0].author, "a");
  EXPECT_LT(IndexOf(*r, "c"), IndexOf(*r, "d"));
  EXPECT_LT(IndexOf(*r, "b"), IndexOf(*r, "d"));
  EXPECT_DOUBLE_EQ((*r)[IndexOf(*r, "a")].inbound, 1.0 + 3 * InteractionWeights{}.mention);
  EXPECT_DOUBLE_EQ((*r)[IndexOf(*r, "b")].inbound, 1.0);
  // The mastodon "b" has no mentions of its own: in the graph, not ranked.
  EXPECT_EQ(r->size(), 9u);
}

TEST(InfluenceTest, ReachEngagementAndFocusBreakTiesWithoutInteractions) {
  InteractionGraphOptions go;
  go.watch_id = 7;
  InteractionGraphBuilder b(go);
  Mention big = Post("x:1", "big", 100000);
  big.engagement.likes = 500;
  Mention small = Post("x:2", "small", 10);
  Mention liked = Post("x:3", "liked", 10);
  liked.engagement.likes = 500;
  for (Mention* m : {&big, &small, &liked}) m->watches.push_back(MatchOf(7));
  Mention offtopic = Post("x:4", "big_offtopic", 100000);
  offtopic.engagement.likes = 500;
  offtopic.watches.push_back(MatchOf(8));
  for (const Mention* m : {&big, &small, &liked, &offtopic}) b.Add(*m);
  Result<std::vector<InfluencerScore>> r = b.RankInfluencers({});
  ASSERT_OK(r.status());
  ASSERT_EQ(r->size(), 4u);
  EXPECT_EQ((*r)[0].author, "big");
  EXPECT_EQ((*r)[0].reach, 100000);
  EXPECT_DOUBLE_EQ((*r)[0].focus, 1.0);
  EXPECT_EQ((*r)[IndexOf(*r, "big_offtopic")].focus, 0.0);
  EXPECT_NEAR((*r)[IndexOf(*r, "big_offtopic")].score, 0.5 * (*r)[0].score, 1e-12);
  // Same followers: engagement decides.
  EXPECT_LT(IndexOf(*r, "liked"), IndexOf(*r, "small"));
  EXPECT_EQ(IndexOf(*r, "small"), 3u);
  EXPECT_DOUBLE_EQ((*r)[IndexOf(*r, "liked")].engagement, 500.0);

  InfluenceOptions top1;
  top1.top_n = 1;
  Result<std::vector<InfluencerScore>> t = b.RankInfluencers(top1);
  ASSERT_OK(t.status());
  EXPECT_EQ(t->size(), 1u);
}

TEST(InfluenceTest, RejectsBadOptions) {
  InteractionGraphBuilder b;
  b.Add(Post("x:1", "a"));
  InfluenceOptions o;
  o.damping = 1.0;
  EXPECT_EQ(b.RankInfluencers(o).status().code(), StatusCode::kInvalidArgument);
  o = {};
  o.pagerank_weight = o.reach_weight = o.engagement_weight = 0;
  EXPECT_EQ(b.RankInfluencers(o).status().code(), StatusCode::kInvalidArgument);
  o = {};
  o.focus_weight = 2;
  EXPECT_EQ(b.RankSources(o).status().code(), StatusCode::kInvalidArgument);
}

TEST(InfluenceTest, EmptyBuilderRanksNothing) {
  InteractionGraphBuilder b;
  Result<std::vector<InfluencerScore>> r = b.RankInfluencers({});
  ASSERT_OK(r.status());
  EXPECT_TRUE(r->empty());
  Result<std::vector<SourceScore>> s = b.RankSources({});
  ASSERT_OK(s.status());
  EXPECT_TRUE(s->empty());
}

TEST(InfluenceTest, SourcesRankByInboundLinksAndReshares) {
  InteractionGraphBuilder b;
  Mention post = Post("feed:1", "ann");
  post.source = "feed";
  post.site = "bigblog.example";
  post.channel = Channel::kBlog;
  post.links = {"https://vendor.example/product"};
  b.Add(post);
  for (int i = 0; i < 6; ++i) {
    Mention m = Post("x:" + std::to_string(i), "u" + std::to_string(i));
    m.links = {"https://bigblog.example/post-1"};
    if (i >= 4) m.reshare_of = "x:0";
    b.Add(m);
  }
  Mention m = Post("x:9", "z");
  m.links = {"https://smallblog.example/p", "https://x.com/self"};  // a link to its own site is ignored
  b.Add(m);
  Result<std::vector<SourceScore>> r = b.RankSources({});
  ASSERT_OK(r.status());
  ASSERT_EQ(r->size(), 4u);
  // vendor.example gets all of bigblog's rank passed on.
  EXPECT_EQ((*r)[0].site, "vendor.example");
  EXPECT_EQ((*r)[1].site, "bigblog.example");
  EXPECT_EQ((*r)[1].inbound_links, 6);
  EXPECT_EQ((*r)[1].inbound_reshares, 2);
  EXPECT_EQ((*r)[1].mentions, 1);
  EXPECT_EQ((*r)[2].site, "smallblog.example");
  EXPECT_EQ((*r)[3].site, "x.com");
  EXPECT_EQ((*r)[3].inbound_links, 0);
}

TEST(SpearmanCorrelationTest, MatchesHandComputedValues) {
  EXPECT_DOUBLE_EQ(SpearmanCorrelation({1, 2, 3, 4}, {10, 20, 30, 40}), 1.0);
  EXPECT_DOUBLE_EQ(SpearmanCorrelation({1, 2, 3, 4}, {4, 3, 2, 1}), -1.0);
  // Ranks (1, 2.5, 2.5, 4) against (1, 2, 3, 4): r = 4.5 / sqrt(4.5 * 5).
  EXPECT_NEAR(SpearmanCorrelation({1, 2, 2, 3}, {1, 2, 3, 4}), 4.5 / std::sqrt(4.5 * 5.0), 1e-12);
  EXPECT_EQ(SpearmanCorrelation({1, 1, 1}, {1, 2, 3}), 0.0);
}

// ---- The simulator's true influence ------------------------------------------------

class AddingSink : public ingest::RecordSink {
 public:
  explicit AddingSink(InteractionGraphBuilder& b) : b_(b) {}
  void OnMention(Mention mention, const ingest::RecordRef&) override {
    b_.Add(mention);
    ++mentions;
  }
  void OnReject(const ingest::RecordRef&, std::string, std::string_view) override { ++rejects; }
  void OnSkip(const ingest::RecordRef&, std::string) override {}
  int64_t mentions = 0;
  int64_t rejects = 0;

 private:
  InteractionGraphBuilder& b_;
};

struct Correlations {
  size_t authors = 0;
  double score = 0, pagerank = 0, reach = 0, engagement = 0;
};

Correlations Correlate(const std::vector<InfluencerScore>& ranked, const std::map<std::string, double>& truth) {
  std::vector<double> t, s, p, f, e;
  for (const InfluencerScore& r : ranked) {
    auto it = truth.find(r.source + "\n" + r.author);
    if (it == truth.end()) continue;
    t.push_back(it->second);
    s.push_back(r.score);
    p.push_back(r.pagerank);
    f.push_back(static_cast<double>(r.reach));
    e.push_back(r.engagement);
  }
  return {t.size(), SpearmanCorrelation(s, t), SpearmanCorrelation(p, t), SpearmanCorrelation(f, t),
          SpearmanCorrelation(e, t)};
}

TEST(InfluenceSimTest, RankCorrelatesWithTheSimulatorsTrueInfluence) {
  TempDir dir;
  sim::SimOptions so;
  so.seed = 11;
  so.mentions = 30'000;
  so.days = 7;
  so.out_dir = dir.str();
  Result<sim::SimSummary> sum = sim::Simulate(so);
  ASSERT_OK(sum.status());

  InteractionGraphBuilder b;
  AddingSink sink(b);
  for (const char* sub : {"x", "mastodon", "feeds", "hn", "reddit"}) {
    Result<std::vector<std::string>> files = ingest::ExpandPaths({(dir.path() / sub).string()});
    ASSERT_OK(files.status());
    for (const std::string& f : *files) ASSERT_OK(ingest::ReadInput(f, {}, sink));
  }
  EXPECT_EQ(sink.rejects, 0);
  EXPECT_GT(sink.mentions, 25'000);

  std::map<std::string, double> truth;  // "source\nauthor" -> influence
  {
    const std::string text = ReadFileOrDie((dir.path() / "truth" / "influence.jsonl").string());
    size_t pos = 0;
    while (pos < text.size()) {
      size_t nl = text.find('\n', pos);
      if (nl == std::string::npos) nl = text.size();
      if (nl > pos) {
        const nlohmann::json j = nlohmann::json::parse(text.substr(pos, nl - pos));
        truth[j.at("source").get<std::string>() + "\n" + j.at("author").get<std::string>()] =
            j.at("influence").get<double>();
      }
      pos = nl + 1;
    }
  }
  ASSERT_FALSE(truth.empty());

  InfluenceOptions o;
  Result<std::vector<InfluencerScore>> all = b.RankInfluencers(o);
  ASSERT_OK(all.status());
  const Correlations c = Correlate(*all, truth);
  o.min_mentions = 3;
  Result<std::vector<InfluencerScore>> active = b.RankInfluencers(o);
  ASSERT_OK(active.status());
  const Correlations c3 = Correlate(*active, truth);
  std::printf("influence vs truth, all %zu authors: spearman score %.3f (pagerank %.3f, reach %.3f, engagement %.3f)\n",
              c.authors, c.score, c.pagerank, c.reach, c.engagement);
  std::printf("authors with >= 3 mentions, %zu: spearman score %.3f (pagerank %.3f, reach %.3f, engagement %.3f)\n",
              c3.authors, c3.score, c3.pagerank, c3.reach, c3.engagement);
  // Per platform: followers and engagement mean the same thing within one.
  std::map<std::string, Correlations> per_source;
  for (const char* src : {"x", "mastodon", "feed", "hn", "reddit"}) {
    std::vector<InfluencerScore> sub;
    for (const InfluencerScore& r : *all) {
      if (r.source == src) sub.push_back(r);
    }
    per_source[src] = Correlate(sub, truth);
    std::printf("  %-8s %5zu authors: spearman score %.3f (pagerank %.3f, reach %.3f, engagement %.3f)\n", src,
                per_source[src].authors, per_source[src].score, per_source[src].pagerank, per_source[src].reach,
                per_source[src].engagement);
  }
  // Floors a little under the values measured with seed 11 (docs/INFLUENCE.md:
  // 0.320, 0.670, 0.814, 0.801, 0.683); the combined score must also beat
  // PageRank alone where followers are reported.
  EXPECT_GT(c.authors, 5000u);
  EXPECT_GE(c.score, 0.28);
  EXPECT_GE(c3.score, 0.62);
  EXPECT_GE(per_source["x"].score, 0.78);
  EXPECT_GE(per_source["mastodon"].score, 0.72);
  EXPECT_GE(per_source["feed"].score, 0.60);
  EXPECT_GT(per_source["x"].score, per_source["x"].pagerank);

  Result<std::vector<SourceScore>> sources = b.RankSources(o);
  ASSERT_OK(sources.status());
  ASSERT_FALSE(sources->empty());
  std::printf("top sources:");
  for (size_t i = 0; i < std::min<size_t>(5, sources->size()); ++i) {
    std::printf(" %s(%.3f, %lld links)", (*sources)[i].site.c_str(), (*sources)[i].score,
                static_cast<long long>((*sources)[i].inbound_links));
  }
  std::printf("\n");
}

}  // namespace
}  // namespace earshot::analytics
