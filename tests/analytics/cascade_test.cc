// Cascade reconstruction: the real Twitter15/16 propagation trees go through
// the embedded store and come back with the same root, size and depth; small
// hand-made cases pin down cross-channel joins, missing parents and cycles.
#include "analytics/cascade.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "match/index_plan.h"
#include "store/store.h"
#include "testutil.h"

namespace earshot::analytics {
namespace {

using ::earshot::testing::SharedData;
using ::earshot::testing::TempDir;

constexpr int64_t kMinuteMs = 60'000;
constexpr int64_t kT0 = 1'420'070'400'000;  // 2015-01-01T00:00:00Z

// ---- Twitter15/16 -------------------------------------------------------------

// One tree file turned into mentions, with the root, size and depth computed
// here from the edge list alone.
//
// A node is the triple (uid, tweet id, delay): retweets carry the source
// tweet's id, so the tweet id alone does not name a node. The published edge
// lists are not strict trees (a node can appear as the child of several
// parents, some lines repeat, some are self-loops), so a node's parent is
// the parent on the first line that names it as a child; self-loops are
// skipped. Under this rule every node of all 200 files is reachable from the
// root (checked below), so each file is one tree.
struct TwitterTree {
  std::string file;
  std::vector<Mention> mentions;
  std::string root_id;
  int64_t size = 0;
  int32_t depth = 0;
  int64_t reshares = 0;
  int64_t replies = 0;
};

// Returns the six quoted fields of "['a', 'b', 'c']->['d', 'e', 'f']".
std::vector<std::string> QuotedFields(const std::string& line) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (true) {
    const size_t open = line.find('\'', pos);
    if (open == std::string::npos) break;
    const size_t close = line.find('\'', open + 1);
    if (close == std::string::npos) break;
    out.push_back(line.substr(open + 1, close - open - 1));
    pos = close + 1;
  }
  return out;
}

TwitterTree LoadTwitterTree(const std::filesystem::path& path) {
  TwitterTree t;
  t.file = path.string();
  const std::string stem = path.parent_path().parent_path().filename().string() + "-" + path.stem().string();
  struct NodeInfo {
    std::string uid, tid, delay;
    std::string parent;  // key, empty for the root
  };
  std::map<std::string, NodeInfo> nodes;
  std::vector<std::string> order;
  std::string root;
  std::ifstream in(path);
  std::string line;
  int64_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty()) continue;
    const std::vector<std::string> f = QuotedFields(line);
    EXPECT_EQ(f.size(), 6u) << path << ":" << line_no;
    if (f.size() != 6) continue;
    const std::string pkey = f[0] + "/" + f[1] + "/" + f[2];
    const std::string ckey = f[3] + "/" + f[4] + "/" + f[5];
    if (pkey == ckey || nodes.count(ckey)) continue;
    const bool from_root = f[0] == "ROOT";
    if (from_root) {
      EXPECT_TRUE(root.empty()) << path << ": second ROOT edge at line " << line_no;
      root = ckey;
    }
    nodes[ckey] = {f[3], f[4], f[5], from_root ? "" : pkey};
    order.push_back(ckey);
  }
  EXPECT_FALSE(root.empty()) << path;
  const auto id_of = [&](const std::string& key) { return MakeMentionId("x", stem + "-" + key); };

  // Independent truth: breadth-first search over the parent relation.
  std::map<std::string, std::vector<std::string>> children;
  for (const auto& [key, info] : nodes) {
    if (info.parent.empty()) continue;
    EXPECT_TRUE(nodes.count(info.parent)) << path << ": parent " << info.parent << " is never a child";
    children[info.parent].push_back(key);
  }
  std::vector<std::pair<std::string, int32_t>> queue = {{root, 0}};
  for (size_t head = 0; head < queue.size(); ++head) {
    const auto [key, d] = queue[head];
    t.depth = std::max(t.depth, d);
    for (const std::string& c : children[key]) queue.push_back({c, d + 1});
  }
  t.size = static_cast<int64_t>(queue.size());
  EXPECT_EQ(t.size, static_cast<int64_t>(nodes.size())) << path << ": nodes unreachable from the root";
  t.root_id = id_of(root);

  for (const std::string& key : order) {
    const NodeInfo& info = nodes[key];
    Mention m;
    m.source = "x";
    m.external_id = stem + "-" + key;
    m.id = id_of(key);
    m.channel = Channel::kMicroblog;
    m.site = "twitter.com";
    m.author.handle = info.uid;
    m.text = "tweet " + info.tid;
    m.created_at_ms = kT0 + std::llround(std::stod(info.delay) * kMinuteMs);
    if (!info.parent.empty()) {
      // A child carrying its parent's tweet id is a retweet; otherwise a reply.
      if (nodes[info.parent].tid == info.tid) {
        m.reshare_of = id_of(info.parent);
        ++t.reshares;
      } else {
        m.in_reply_to = id_of(info.parent);
        ++t.replies;
      }
    }
    t.mentions.push_back(std::move(m));
  }
  return t;
}

std::vector<std::filesystem::path> TreeFiles() {
  std::vector<std::filesystem::path> out;
  for (const char* set : {"twitter15", "twitter16"}) {
    const std::filesystem::path dir = SharedData(std::string("cascades/") + set + "/tree");
    if (!std::filesystem::exists(dir)) continue;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
      if (e.path().extension() == ".txt") out.push_back(e.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(CascadeTwitterTest, EveryTreeComesBackWithSameRootSizeAndDepthThroughTheStore) {
  const std::vector<std::filesystem::path> files = TreeFiles();
  if (files.empty()) GTEST_SKIP() << "no tree files under " << SharedData("cascades");
  ASSERT_EQ(files.size(), 200u);

  TempDir dir;
  store::StoreOptions so;
  so.data_dir = dir.str();
  Result<std::unique_ptr<store::Store>> st = store::OpenStore(so);
  ASSERT_OK(st.status());

  std::map<std::string, TwitterTree> expected;  // by root id
  int64_t total = 0, reshares = 0, replies = 0;
  for (const auto& f : files) {
    TwitterTree t = LoadTwitterTree(f);
    total += t.size;
    reshares += t.reshares;
    replies += t.replies;
    Result<store::WriteSummary> w = (*st)->WriteBatch(t.mentions);
    ASSERT_OK(w.status());
    ASSERT_EQ(w->inserted, t.size) << t.file;
    t.mentions.clear();
    const std::string root = t.root_id;
    ASSERT_TRUE(expected.emplace(root, std::move(t)).second) << "two trees share root " << root;
  }

  CascadeBuilder builder;
  int64_t scanned = 0;
  ASSERT_OK((*st)->ScanCandidates(match::IndexPlan{}, store::ScanOptions{}, [&](const Mention& m) {
    builder.Add(m);
    ++scanned;
    return true;
  }));
  ASSERT_EQ(scanned, total);

  CascadeOptions opts;
  opts.min_size = 1;
  opts.max_members = 0;
  const std::vector<Cascade> cascades = builder.Build(opts);
  ASSERT_EQ(cascades.size(), expected.size());
  int64_t max_size = 0;
  int32_t max_depth = 0;
  for (const Cascade& c : cascades) {
    auto it = expected.find(c.root_id);
    ASSERT_NE(it, expected.end()) << "unexpected root " << c.root_id;
    EXPECT_EQ(c.size, it->second.size) << it->second.file;
    EXPECT_EQ(c.depth, it->second.depth) << it->second.file;
    EXPECT_FALSE(c.root_parent_missing) << it->second.file;
    EXPECT_EQ(c.path.size(), 1u);
    EXPECT_EQ(c.by_link[static_cast<int>(CascadeLink::kRoot)], 1);
    max_size = std::max(max_size, c.size);
    max_depth = std::max(max_depth, c.depth);
    expected.erase(it);
  }
  EXPECT_TRUE(expected.empty());
  std::printf("Twitter15/16: %zu trees, %lld mentions (%lld reshares, %lld replies), largest %lld, deepest %d\n",
              cascades.size(), static_cast<long long>(total), static_cast<long long>(reshares),
              static_cast<long long>(replies), static_cast<long long>(max_size), max_depth);
}

// ---- Hand-made cases ---------------------------------------------------------

Mention Post(std::string id, Channel channel, int64_t minute, std::string author = "ann") {
  Mention m;
  m.id = std::move(id);
  m.channel = channel;
  m.created_at_ms = kT0 + minute * kMinuteMs;
  m.author.handle = std::move(author);
  m.site = channel == Channel::kMicroblog ? "x.com" : "site.example";
  return m;
}

const CascadeMember* FindMember(const Cascade& c, const std::string& id) {
  for (const CascadeMember& m : c.members) {
    if (m.id == id) return &m;
  }
  return nullptr;
}

// A blog post, a microblog post linking to it with reshares and a reply, and
// a news article linking to the post three hours later.
std::vector<Mention> BlogToNews() {
  std::vector<Mention> v;
  Mention blog = Post("feed:b1", Channel::kBlog, 0, "ann");
  blog.url = "https://blog.example/2026/post-1";
  blog.site = "blog.example";
  v.push_back(blog);
  Mention share = Post("x:s1", Channel::kMicroblog, 10, "ann");
  share.links = {"https://blog.example/2026/post-1/"};
  v.push_back(share);
  Mention r1 = Post("x:r1", Channel::kMicroblog, 20, "bob");
  r1.reshare_of = "x:s1";
  v.push_back(r1);
  Mention r2 = Post("x:r2", Channel::kMicroblog, 30, "cid");
  r2.reshare_of = "x:s1";
  v.push_back(r2);
  Mention reply = Post("x:q1", Channel::kMicroblog, 40, "dee");
  reply.in_reply_to = "x:r1";
  v.push_back(reply);
  Mention news = Post("feed:n1", Channel::kNews, 180, "eve");
  news.site = "news.example";
  news.url = "https://news.example/a/123";
  news.links = {"http://www.Blog.example/2026/post-1#comments"};
  v.push_back(news);
  return v;
}

TEST(CascadeBuilderTest, JoinsBlogMicroblogAndNewsThroughTheSharedLink) {
  CascadeBuilder b;
  for (const Mention& m : BlogToNews()) b.Add(m);
  const std::vector<Cascade> out = b.Build({});
  ASSERT_EQ(out.size(), 1u);
  const Cascade& c = out[0];
  EXPECT_EQ(c.root_id, "feed:b1");
  EXPECT_EQ(c.origin_channel, Channel::kBlog);
  EXPECT_EQ(c.origin_site, "blog.example");
  EXPECT_EQ(c.origin_author, "ann");
  EXPECT_EQ(c.size, 6);
  EXPECT_EQ(c.depth, 3);  // b1 -> s1 -> r1 -> q1
  EXPECT_EQ(c.authors, 5);
  EXPECT_EQ(c.start_ms, kT0);
  EXPECT_EQ(c.end_ms, kT0 + 180 * kMinuteMs);
  ASSERT_EQ(c.path.size(), 3u);
  EXPECT_EQ(c.path[0].channel, Channel::kBlog);
  EXPECT_EQ(c.path[1].channel, Channel::kMicroblog);
  EXPECT_EQ(c.path[1].mention_id, "x:s1");
  EXPECT_EQ(c.path[1].first_ms, kT0 + 10 * kMinuteMs);
  EXPECT_EQ(c.path[2].channel, Channel::kNews);
  ASSERT_TRUE(c.blog_to_news_ms.has_value());
  EXPECT_EQ(*c.blog_to_news_ms, 180 * kMinuteMs);
  EXPECT_EQ(c.by_link[static_cast<int>(CascadeLink::kSharedLink)], 2);
  EXPECT_EQ(c.by_link[static_cast<int>(CascadeLink::kReshare)], 2);
  EXPECT_EQ(c.by_link[static_cast<int>(CascadeLink::kReply)], 1);
  ASSERT_EQ(c.members.size(), 6u);
  EXPECT_EQ(c.members[0].id, "feed:b1");
  EXPECT_EQ(FindMember(c, "x:s1")->parent_id, "feed:b1");
  EXPECT_EQ(FindMember(c, "x:s1")->link, CascadeLink::kSharedLink);
  EXPECT_EQ(FindMember(c, "feed:n1")->parent_id, "feed:b1");
  EXPECT_EQ(FindMember(c, "feed:n1")->depth, 1);
  EXPECT_EQ(FindMember(c, "x:q1")->parent_id, "x:r1");
  EXPECT_EQ(FindMember(c, "x:q1")->depth, 3);
}

TEST(CascadeBuilderTest, RelationsOnlyKeepsTheTreesApart) {
  CascadeBuilder b;
  for (const Mention& m : BlogToNews()) b.Add(m);
  CascadeOptions o;
  o.min_size = 1;
  o.join = CascadeOptions::Join::kRelations;
  const std::vector<Cascade> out = b.Build(o);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].root_id, "x:s1");
  EXPECT_EQ(out[0].size, 4);
  EXPECT_EQ(out[0].depth, 2);
  EXPECT_FALSE(out[0].blog_to_news_ms.has_value());
  EXPECT_EQ(out[1].root_id, "feed:b1");  // same size: the earlier start first
  EXPECT_EQ(out[2].root_id, "feed:n1");
}

TEST(CascadeBuilderTest, StoryMembersHangUnderTheEarliestMemberOfTheEarliestTree) {
  CascadeBuilder b;
  Mention t0 = Post("x:t0", Channel::kMicroblog, 0);
  Mention t1 = Post("x:t1", Channel::kMicroblog, 2);
  t1.in_reply_to = "x:t0";
  t1.story_id = "x:u";
  Mention u = Post("x:u", Channel::kMicroblog, 1);
  u.story_id = "x:u";
  Mention v = Post("feed:v", Channel::kNews, 5);
  v.story_id = "x:u";
  for (const Mention& m : {v, t1, u, t0}) b.Add(m);
  const std::vector<Cascade> out = b.Build({});
  ASSERT_EQ(out.size(), 1u);
  const Cascade& c = out[0];
  EXPECT_EQ(c.root_id, "x:t0");
  EXPECT_EQ(c.size, 4);
  EXPECT_EQ(c.depth, 2);
  EXPECT_EQ(FindMember(c, "x:u")->parent_id, "x:t1");
  EXPECT_EQ(FindMember(c, "x:u")->link, CascadeLink::kStory);
  EXPECT_EQ(FindMember(c, "feed:v")->parent_id, "x:t1");
  EXPECT_EQ(c.by_link[static_cast<int>(CascadeLink::kStory)], 2);
  EXPECT_FALSE(c.first_blog_ms.has_value());
  EXPECT_TRUE(c.first_news_ms.has_value());

  CascadeOptions no_stories;
  no_stories.join = CascadeOptions::Join::kRelations;
  ASSERT_EQ(b.Build(no_stories).size(), 1u);  // only t0 <- t1 has two members
}

TEST(CascadeBuilderTest, MissingParentMakesARootOfItsOwn) {
  CascadeBuilder b;
  Mention a = Post("x:a", Channel::kMicroblog, 5);
  a.in_reply_to = "x:never-ingested";
  Mention c1 = Post("x:c1", Channel::kMicroblog, 6);
  c1.reshare_of = "x:a";
  Mention lone = Post("x:lone", Channel::kMicroblog, 7);
  lone.quote_of = "x:also-missing";
  for (const Mention& m : {c1, a, lone}) b.Add(m);
  CascadeOptions o;
  o.min_size = 1;
  const std::vector<Cascade> out = b.Build(o);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].root_id, "x:a");
  EXPECT_TRUE(out[0].root_parent_missing);
  EXPECT_EQ(out[0].size, 2);
  EXPECT_EQ(out[0].depth, 1);
  EXPECT_EQ(out[1].root_id, "x:lone");
  EXPECT_TRUE(out[1].root_parent_missing);
  EXPECT_EQ(out[1].depth, 0);
}

TEST(CascadeBuilderTest, BreaksCyclesAtTheEarliestMemberWhateverTheOrder) {
  std::vector<Mention> v;
  Mention a = Post("x:a", Channel::kMicroblog, 3);
  a.in_reply_to = "x:b";
  Mention bb = Post("x:b", Channel::kMicroblog, 2);
  bb.in_reply_to = "x:c";
  Mention c = Post("x:c", Channel::kMicroblog, 1);
  c.reshare_of = "x:a";
  Mention d = Post("x:d", Channel::kMicroblog, 4);
  d.in_reply_to = "x:a";
  Mention self = Post("x:self", Channel::kMicroblog, 9);
  self.in_reply_to = "x:self";
  v = {a, bb, c, d, self};
  std::vector<int> perm = {0, 1, 2, 3, 4};
  do {
    CascadeBuilder b;
    for (int i : perm) b.Add(v[static_cast<size_t>(i)]);
    CascadeOptions o;
    o.min_size = 1;
    const std::vector<Cascade> out = b.Build(o);
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].root_id, "x:c");
    EXPECT_EQ(out[0].size, 4);
    EXPECT_EQ(out[0].depth, 3);  // c <- b <- a <- d
    EXPECT_FALSE(out[0].root_parent_missing);
    EXPECT_EQ(FindMember(out[0], "x:d")->depth, 3);
    EXPECT_EQ(out[1].root_id, "x:self");
    EXPECT_EQ(out[1].size, 1);
  } while (std::next_permutation(perm.begin(), perm.end()));
}

TEST(CascadeBuilderTest, RepeatedIdsCountOnce) {
  CascadeBuilder b;
  Mention a = Post("x:a", Channel::kMicroblog, 0);
  Mention r = Post("x:r", Channel::kMicroblog, 1);
  r.reshare_of = "x:a";
  b.Add(a);
  b.Add(r);
  b.Add(r);
  b.Add(a);
  EXPECT_EQ(b.added(), 4);
  const std::vector<Cascade> out = b.Build({});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].size, 2);
}

TEST(CascadeBuilderTest, MinSizeAndTopNSelectTheLargest) {
  CascadeBuilder b;
  // Three stars of sizes 3, 2 and 4, plus a lone post.
  const int sizes[] = {3, 2, 4};
  for (int s = 0; s < 3; ++s) {
    const std::string root = "x:root" + std::to_string(s);
    b.Add(Post(root, Channel::kMicroblog, s));
    for (int k = 1; k < sizes[s]; ++k) {
      Mention m = Post(root + "-" + std::to_string(k), Channel::kMicroblog, 10 + k);
      m.reshare_of = root;
      b.Add(m);
    }
  }
  b.Add(Post("x:lone", Channel::kMicroblog, 0));
  CascadeOptions o;
  EXPECT_EQ(b.Build(o).size(), 3u);  // min_size 2 drops the lone post
  o.min_size = 3;
  EXPECT_EQ(b.Build(o).size(), 2u);
  o.min_size = 1;
  o.top_n = 2;
  o.max_members = 2;
  const std::vector<Cascade> top = b.Build(o);
  ASSERT_EQ(top.size(), 2u);
  EXPECT_EQ(top[0].root_id, "x:root2");
  EXPECT_EQ(top[0].size, 4);
  EXPECT_EQ(top[0].members.size(), 2u);
  EXPECT_EQ(top[1].root_id, "x:root0");
}

TEST(CascadeBuilderTest, FrontPagesDoNotJoinCascades) {
  CascadeBuilder b;
  Mention a = Post("x:a", Channel::kMicroblog, 0);
  a.links = {"https://vendor.example/"};
  Mention c = Post("x:c", Channel::kMicroblog, 1);
  c.links = {"https://www.vendor.example"};
  b.Add(a);
  b.Add(c);
  EXPECT_TRUE(b.Build({}).empty());
}

TEST(NormalizeLinkForCascadeTest, FoldsHostSchemeWwwFragmentAndTrailingSlash) {
  EXPECT_EQ(NormalizeLinkForCascade("https://www.Blog.Example/Post-1/#c"), "blog.example/Post-1");
  EXPECT_EQ(NormalizeLinkForCascade("http://blog.example:8080/post-1"), "blog.example/post-1");
  EXPECT_EQ(NormalizeLinkForCascade("https://blog.example/?p=12"), "blog.example?p=12");
  EXPECT_EQ(NormalizeLinkForCascade("https://blog.example/"), "");
  EXPECT_EQ(NormalizeLinkForCascade("blog.example/post"), "");
  EXPECT_EQ(NormalizeLinkForCascade(""), "");
}

}  // namespace
}  // namespace earshot::analytics
