#include "store/store.h"

#include <gtest/gtest.h>

#include "core/time.h"
#include "testutil.h"
#include "store_fixtures.h"

namespace earshot::store {
namespace {

using earshot::testing::TempDir;

Mention MakeMention(std::string ext, std::string text, int64_t at_ms) {
  return testing::XMention(std::move(ext), std::move(text), at_ms);
}

std::unique_ptr<Store> OpenOrDie(const std::string& dir, bool read_only = false) {
  return testing::OpenOrFail(dir, read_only);
}

match::IndexPlan TermPlan(std::string word) { return testing::WordPlan(std::move(word)); }

std::vector<std::string> Ids(Store& s, const match::IndexPlan& plan, ScanOptions opts = {}) {
  std::vector<std::string> ids;
  EXPECT_OK(s.ScanCandidates(plan, opts, [&](const Mention& m) {
    ids.push_back(m.id);
    return true;
  }));
  return ids;
}

TEST(SqliteStoreTest, RoundTripsEveryField) {
  TempDir dir;
  auto s = OpenOrDie(dir.str());
  Mention m = MakeMention("1", "Left Oracle for Dell, very happy", 1617292351000);
  m.url = "https://twitter.com/jdoe/status/1";
  m.site = "twitter.com";
  m.author = {"jdoe", "J. Doe", 1234, "Austin, TX", "https://twitter.com/jdoe"};
  m.title = "";
  m.geo.lat = 30.27;
  m.geo.lon = -97.74;
  m.geo.country = "US";
  m.geo.place = "Austin, TX";
  m.geo.city = "Austin";
  m.in_reply_to = "x:0";
  m.quote_of = "x:2";
  m.links = {"https://example.com/a", "https://example.com/b"};
  m.hashtags = {"cloud"};
  m.mentioned = {"dell", "oracle"};
  m.engagement = {5, 2, 1, 0, 99};
  ASSERT_TRUE(s->WriteBatch(std::span(&m, 1)).ok());
  Result<Mention> got = s->Get("x:1");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->text, m.text);
  EXPECT_EQ(got->author.handle, "jdoe");
  EXPECT_EQ(got->author.followers, 1234);
  EXPECT_EQ(got->author.profile_location, "Austin, TX");
  EXPECT_DOUBLE_EQ(*got->geo.lat, 30.27);
  EXPECT_EQ(got->geo.country, "US");
  EXPECT_EQ(got->geo.city, "Austin");
  EXPECT_EQ(got->links, m.links);
  EXPECT_EQ(got->hashtags, m.hashtags);
  EXPECT_EQ(got->mentioned, m.mentioned);
  EXPECT_EQ(got->in_reply_to, "x:0");
  EXPECT_EQ(got->reshare_of, "");
  EXPECT_EQ(got->engagement.views, 99);
  EXPECT_EQ(got->engagement.quotes, 0);
  EXPECT_EQ(got->created_at_ms, 1617292351000);
  EXPECT_EQ(s->Get("x:404").status().code(), StatusCode::kNotFound);
}

TEST(SqliteStoreTest, SecondWriteOfSameMentionStoresNothing) {
  TempDir dir;
  auto s = OpenOrDie(dir.str());
  std::vector<Mention> batch = {MakeMention("1", "alpha", 1000), MakeMention("2", "beta", 2000)};
  Result<WriteSummary> first = s->WriteBatch(batch);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->inserted, 2);
  Result<WriteSummary> again = s->WriteBatch(batch);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->inserted, 0);
  EXPECT_EQ(again->unchanged, 2);
  EXPECT_EQ(s->Stats()->mentions, 2);
  EXPECT_OK(s->CheckConsistency());
}

TEST(SqliteStoreTest, EditedMentionIsUpdatedInRowAndIndex) {
  TempDir dir;
  auto s = OpenOrDie(dir.str());
  Mention m = MakeMention("1", "storage outage again", 1000);
  ASSERT_TRUE(s->WriteBatch(std::span(&m, 1)).ok());
  m.text = "storage works fine now";
  m.created_at_ms = 5000;  // an edit may move the time: the row key moves too
  Result<WriteSummary> r = s->WriteBatch(std::span(&m, 1));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->updated, 1);
  EXPECT_TRUE(Ids(*s, TermPlan("outage")).empty());
  EXPECT_EQ(Ids(*s, TermPlan("fine")), std::vector<std::string>{"x:1"});
  EXPECT_EQ(s->Stats()->mentions, 1);
  EXPECT_OK(s->CheckConsistency());
}

TEST(SqliteStoreTest, DuplicateIdsWithinOneBatchAreStoredOnce) {
  TempDir dir;
  auto s = OpenOrDie(dir.str());
  std::vector<Mention> batch = {MakeMention("1", "alpha", 1000), MakeMention("1", "alpha", 1000)};
  Result<WriteSummary> r = s->WriteBatch(batch);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->inserted, 1);
  EXPECT_EQ(r->unchanged, 1);
}

TEST(SqliteStoreTest, CandidatesComeNewestFirstAndRespectTimeBounds) {
  TempDir dir;
  auto s = OpenOrDie(dir.str());
  std::vector<Mention> batch;
  // Same timestamp for two mentions exercises the key disambiguator.
  for (int i = 0; i < 6; ++i) batch.push_back(MakeMention(std::to_string(i), "cloud news " + std::to_string(i), 1000 * (i / 2)));
  ASSERT_TRUE(s->WriteBatch(batch).ok());
  std::vector<std::string> ids = Ids(*s, TermPlan("cloud"));
  ASSERT_EQ(ids.size(), 6u);
  int64_t prev = INT64_MAX;
  for (const std::string& id : ids) {
    int64_t t = s->Get(id)->created_at_ms;
    EXPECT_LE(t, prev);
    prev = t;
  }
  ScanOptions window;
  window.from_ms = 1000;
  window.to_ms = 2000;
  std::vector<std::string> in = Ids(*s, TermPlan("cloud"), window);
  std::sort(in.begin(), in.end());
  EXPECT_EQ(in, (std::vector<std::string>{"x:2", "x:3"}));
  EXPECT_EQ(*s->CountCandidates(TermPlan("cloud"), window), 2);
}

TEST(SqliteStoreTest, FtsTranslationHandlesPhrasesPrefixesNearAndNot) {
  TempDir dir;
  auto s = OpenOrDie(dir.str());
  std::vector<Mention> batch = {MakeMention("1", "hybrid cloud storage rocks", 1),
                                MakeMention("2", "cloud based cold storage", 2),
                                MakeMention("3", "Cloudy skies over storage", 3)};
  ASSERT_TRUE(s->WriteBatch(batch).ok());
  using K = match::IndexQuery::Kind;
  match::IndexPlan phrase;
  phrase.text.kind = K::kPhrase;
  phrase.text.words = {"cloud", "storage"};
  EXPECT_EQ(Ids(*s, phrase), std::vector<std::string>{"x:1"});
  match::IndexPlan prefix;
  prefix.text.kind = K::kPrefix;
  prefix.text.words = {"cloud"};
  EXPECT_EQ(Ids(*s, prefix).size(), 3u);
  match::IndexPlan near;
  near.text.kind = K::kNear;
  near.text.distance = 1;
  match::IndexQuery a, b;
  a.kind = b.kind = K::kTerm;
  a.words = {"cloud"};
  b.words = {"storage"};
  near.text.children = {a, b};
  std::vector<std::string> near_ids = Ids(*s, near);
  std::sort(near_ids.begin(), near_ids.end());
  EXPECT_EQ(near_ids, (std::vector<std::string>{"x:1"}));
  near.text.distance = 2;
  EXPECT_EQ(Ids(*s, near).size(), 2u);
  match::IndexPlan andnot;
  andnot.text.kind = K::kAndNot;
  match::IndexQuery hybrid;
  hybrid.kind = K::kTerm;
  hybrid.words = {"hybrid"};
  andnot.text.children = {b, hybrid};
  std::vector<std::string> an = Ids(*s, andnot);
  std::sort(an.begin(), an.end());
  EXPECT_EQ(an, (std::vector<std::string>{"x:2", "x:3"}));
}

TEST(SqliteStoreTest, FieldFiltersNarrowCandidates) {
  TempDir dir;
  auto s = OpenOrDie(dir.str());
  std::vector<Mention> batch = {MakeMention("1", "cloud", 1), MakeMention("2", "cloud", 2)};
  batch[1].language = "de";
  ASSERT_TRUE(s->WriteBatch(batch).ok());
  match::IndexPlan p = TermPlan("cloud");
  p.filters.push_back({match::FieldFilter::Field::kLang, "de"});
  EXPECT_EQ(Ids(*s, p), std::vector<std::string>{"x:2"});
  match::IndexPlan all;  // kAll text with a filter: a plain table scan
  all.filters.push_back({match::FieldFilter::Field::kLang, "en"});
  EXPECT_EQ(Ids(*s, all), std::vector<std::string>{"x:1"});
}

TEST(SqliteStoreTest, StatsCountByChannelLanguageAndSource) {
  TempDir dir;
  auto s = OpenOrDie(dir.str());
  std::vector<Mention> batch = {MakeMention("1", "a", 1), MakeMention("2", "b", 2), MakeMention("3", "c", 3)};
  batch[2].source = "feed";
  batch[2].id = "feed:3";
  batch[2].channel = Channel::kBlog;
  batch[2].language = "";
  ASSERT_TRUE(s->WriteBatch(batch).ok());
  StoreStats st = *s->Stats();
  EXPECT_EQ(st.mentions, 3);
  EXPECT_EQ(st.by_channel["microblog"], 2);
  EXPECT_EQ(st.by_channel["blog"], 1);
  EXPECT_EQ(st.by_language["en"], 2);
  EXPECT_EQ(st.by_language["und"], 1);
  EXPECT_EQ(st.by_source["feed"], 1);
  EXPECT_EQ(st.first_ms, 1);
  EXPECT_EQ(st.last_ms, 3);
}

TEST(SqliteStoreTest, ReopenKeepsDataAndReadOnlyRefusesWrites) {
  TempDir dir;
  {
    auto s = OpenOrDie(dir.str());
    Mention m = MakeMention("1", "kept", 1);
    ASSERT_TRUE(s->WriteBatch(std::span(&m, 1)).ok());
  }
  auto ro = OpenOrDie(dir.str(), /*read_only=*/true);
  EXPECT_EQ(ro->Get("x:1")->text, "kept");
  Mention m = MakeMention("2", "nope", 2);
  EXPECT_EQ(ro->WriteBatch(std::span(&m, 1)).status().code(), StatusCode::kFailedPrecondition);
}

TEST(SqliteStoreTest, ReadOnlyOpenOfEmptyDirectoryIsNotFound) {
  TempDir dir;
  StoreOptions o;
  o.data_dir = (dir.path() / "none").string();
  o.read_only = true;
  EXPECT_EQ(OpenStore(o).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace earshot::store
