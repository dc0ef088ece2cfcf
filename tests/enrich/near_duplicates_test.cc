// Near-duplicates: SimHash fingerprints, the Hamming lookup tables, the
// story index (reshares, copies, the window) and the real X captures, whose
// retweet groups must each become one story.
#include "enrich/near_duplicates.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "core/word_tokenizer.h"
#include "enrich/language.h"
#include "enrich/simhash.h"
#include "ingest/input_reader.h"
#include "ingest/normalize.h"
#include "ingest/record_collector.h"
#include "testutil.h"

namespace earshot::enrich {
namespace {

using earshot::testing::SharedData;
using ingest::testing::RecordCollector;

constexpr char kPost[] =
    "Our backup window went from six hours to forty minutes after the upgrade, and restores finally work "
    "the way the docs promised.";

std::vector<Mention> ReadMentions(const std::string& rel) {
  RecordCollector sink;
  Status st = ingest::ReadInput(SharedData(rel), {}, sink);
  EXPECT_TRUE(st.ok()) << rel << ": " << st.ToString();
  std::vector<Mention> out;
  for (RecordCollector::Reported& r : sink.mentions) {
    ingest::NormalizeMention(r.mention);
    out.push_back(std::move(r.mention));
  }
  return out;
}

Mention Post(std::string id, std::string text, int64_t at_ms = 0) {
  Mention m;
  m.id = std::move(id);
  m.text = std::move(text);
  m.created_at_ms = at_ms;
  return m;
}

NearDuplicateIndex NewIndex(const NearDuplicateOptions& options = {}) {
  Result<NearDuplicateIndex> index = NearDuplicateIndex::Create(options);
  EXPECT_TRUE(index.ok()) << index.status().ToString();
  return std::move(index).value();
}

StoryAssignment AssignOk(NearDuplicateIndex& index, const Mention& m) {
  Result<StoryAssignment> a = index.Assign(m);
  EXPECT_TRUE(a.ok()) << a.status().ToString();
  return a.ok() ? *a : StoryAssignment{};
}

std::vector<std::string> Words(std::string_view text) {
  std::vector<std::string> out;
  std::string fold;
  std::string cleaned = StripNonLinguistic(text, Hashtags::kKeepWord);
  ForEachWord(cleaned, fold, [&](std::string_view w, size_t, size_t) { out.emplace_back(w); });
  return out;
}

// ---- Fingerprints -------------------------------------------------------------

TEST(FingerprintTextTest, IgnoresWhatCopiesChange) {
  const uint64_t fp = FingerprintText("", kPost).simhash;
  const std::string variants[] = {
      std::string("RT @storage_ops: ") + kPost,
      std::string(kPost) + " https://t.co/AbCdEf123",
      std::string(kPost) + " via @techweekly",
      "OUR BACKUP WINDOW went from six hours to forty minutes after the upgrade -- and restores FINALLY work the "
      "way the docs promised!!!",
      "our backup window went from six hours to forty minutes after the upgrade and restores finally work the way "
      "the docs promised",
      std::string("@someone ") + kPost + " &amp;",
      std::string(kPost) + " #backup #DisasterRecovery",
  };
  for (const std::string& v : variants) EXPECT_EQ(FingerprintText("", v).simhash, fp) << v;
  EXPECT_EQ(FingerprintText("", kPost).words, 22);
}

TEST(FingerprintTextTest, SeparatesUnrelatedTexts) {
  uint64_t a = FingerprintText("", kPost).simhash;
  uint64_t b = FingerprintText("",
                               "Looking for a managed Kubernetes offering with a sane pricing model, any "
                               "recommendations from people running it in production?")
                   .simhash;
  EXPECT_GT(HammingDistance(a, b), 12);
}

TEST(FingerprintTextTest, CutsJapaneseIntoCharacterPairs) {
  TextFingerprint fp = FingerprintText("", "新しいバージョンでレプリケーションの不具合がようやく修正されました");
  EXPECT_EQ(fp.words, 17);  // one unspaced run of 33 characters
  // One character changed moves few bits: the pairs around it change, the rest stay.
  TextFingerprint edited = FingerprintText("", "新しいバージョンでレプリケーションの不具合がやっと修正されました");
  EXPECT_LE(HammingDistance(fp.simhash, edited.simhash), 12);
}

TEST(FingerprintTextTest, EmptyTextHasNoWords) {
  EXPECT_EQ(FingerprintText("", "").words, 0);
  EXPECT_EQ(FingerprintText("", "https://t.co/x @a #").simhash, 0u);
}

// On posts of 100 words or more (feed articles), changing any one word
// moves the fingerprint at most 3 bits in 97% of cases (measured over the
// feeds in ../shared/data; docs/ENRICHMENT.md has the table by length).
TEST(FingerprintTextTest, OneChangedWordInALongPostStaysWithinThreeBits) {
  std::mt19937 rng(::testing::UnitTest::GetInstance()->random_seed());
  int tried = 0;
  int within = 0;
  for (const char* file : {"feeds/Rss20HubSpot.xml", "feeds/AtomTheVerge.xml", "feeds/Rss20ThomasMaurer.xml"}) {
    for (const Mention& m : ReadMentions(file)) {
      std::vector<std::string> words = Words(m.title + "\n" + m.text);
      if (words.size() < 100) continue;
      std::string original;
      for (const std::string& w : words) original += w + " ";
      words[rng() % words.size()] = "zebra";
      std::string edited;
      for (const std::string& w : words) edited += w + " ";
      ++tried;
      if (HammingDistance(FingerprintText("", original).simhash, FingerprintText("", edited).simhash) <= 3) ++within;
    }
  }
  ASSERT_GE(tried, 60);
  EXPECT_GE(static_cast<double>(within) / tried, 0.9) << within << " of " << tried;
}

// ---- Lookup tables -------------------------------------------------------------

TEST(HammingTableMasksTest, FindsEveryFingerprintWithinTheDistance) {
  const size_t expected_tables[] = {1, 2, 3, 4, 15, 21, 28};
  std::mt19937_64 rng(::testing::UnitTest::GetInstance()->random_seed());
  for (int k = 0; k <= 6; ++k) {
    std::vector<uint64_t> masks = HammingTableMasks(k);
    EXPECT_EQ(masks.size(), expected_tables[k]) << "k=" << k;
    for (uint64_t mask : masks) EXPECT_GE(std::popcount(mask), k == 0 ? 64 : 16) << "k=" << k;
    for (int trial = 0; trial < 2000; ++trial) {
      uint64_t a = rng();
      uint64_t b = a;
      int flips = static_cast<int>(rng() % (k + 1));
      for (int f = 0; f < flips; ++f) b ^= uint64_t{1} << (rng() % 64);
      bool found = std::any_of(masks.begin(), masks.end(), [&](uint64_t m) { return (a & m) == (b & m); });
      ASSERT_TRUE(found) << "k=" << k << " a=" << a << " b=" << b;
    }
  }
}

// ---- The index -------------------------------------------------------------------

TEST(NearDuplicateIndexTest, RejectsBadOptionsNamingTheField) {
  struct Bad {
    void (*set)(NearDuplicateOptions&);
    const char* field;
  };
  const Bad cases[] = {
      {[](NearDuplicateOptions& o) { o.max_distance = 7; }, "max_distance"},
      {[](NearDuplicateOptions& o) { o.max_distance = -1; }, "max_distance"},
      {[](NearDuplicateOptions& o) { o.min_words = 0; }, "min_words"},
      {[](NearDuplicateOptions& o) { o.max_fingerprints = 0; }, "max_fingerprints"},
      {[](NearDuplicateOptions& o) { o.max_age_ms = -1; }, "max_age_ms"},
      {[](NearDuplicateOptions& o) { o.simhash.shingle_words = 0; }, "shingle_words"},
  };
  for (const Bad& b : cases) {
    NearDuplicateOptions options;
    b.set(options);
    Result<NearDuplicateIndex> index = NearDuplicateIndex::Create(options);
    ASSERT_FALSE(index.ok()) << b.field;
    EXPECT_EQ(index.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(index.status().message().find(b.field), std::string::npos) << index.status().message();
  }
}

TEST(NearDuplicateIndexTest, RejectsAMentionWithoutId) {
  NearDuplicateIndex index = NewIndex();
  Result<StoryAssignment> a = index.Assign(Post("", kPost));
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().code(), StatusCode::kInvalidArgument);
}

TEST(NearDuplicateIndexTest, IdenticalTextsShareAStory) {
  NearDuplicateIndex index = NewIndex();
  StoryAssignment first = AssignOk(index, Post("x:1", kPost));
  EXPECT_EQ(first.story_id, "x:1");
  EXPECT_EQ(first.first_mention_id, "x:1");
  EXPECT_FALSE(first.duplicate_of_existing);
  EXPECT_EQ(first.link, StoryLink::kNew);
  EXPECT_EQ(first.distance, -1);

  StoryAssignment second = AssignOk(index, Post("mastodon:9", kPost));
  EXPECT_EQ(second.story_id, "x:1");
  EXPECT_EQ(second.first_mention_id, "x:1");
  EXPECT_TRUE(second.duplicate_of_existing);
  EXPECT_EQ(second.link, StoryLink::kText);
  EXPECT_EQ(second.distance, 0);
  EXPECT_EQ(second.simhash, first.simhash);
  EXPECT_EQ(index.size(), 1u);  // a copy adds nothing
}

TEST(NearDuplicateIndexTest, CopiesWithSmallChangesShareAStory) {
  NearDuplicateIndex index = NewIndex();
  (void)AssignOk(index, Post("x:1", kPost));
  const std::string copies[] = {
      std::string("RT @storage_ops: ") + kPost,
      std::string(kPost) + " https://t.co/AbCdEf123 via @techweekly",
      "OUR BACKUP WINDOW went from six hours to forty minutes after the upgrade -- and restores FINALLY work the "
      "way the docs promised!!!",
  };
  int n = 2;
  for (const std::string& text : copies) {
    StoryAssignment a = AssignOk(index, Post("x:" + std::to_string(n++), text));
    EXPECT_EQ(a.story_id, "x:1") << text;
    EXPECT_TRUE(a.duplicate_of_existing) << text;
  }
}

TEST(NearDuplicateIndexTest, ALongArticleWithAWordChangedJoinsItsStory) {
  std::vector<Mention> posts = ReadMentions("feeds/Rss20HubSpot.xml");
  ASSERT_EQ(posts.size(), 50u);
  NearDuplicateIndex index = NewIndex();
  int joined = 0;
  for (const Mention& m : posts) {
    (void)AssignOk(index, m);
    Mention copy = m;
    copy.id = "copy:" + m.id;
    size_t at = copy.text.find(" the ");
    ASSERT_NE(at, std::string::npos) << m.id;
    copy.text.replace(at, 5, " our ");
    StoryAssignment a = AssignOk(index, copy);
    if (a.story_id == m.id) ++joined;
  }
  // Measured: 50 of 50.
  EXPECT_GE(joined, 48);
}

TEST(NearDuplicateIndexTest, UnrelatedTextsGetTheirOwnStories) {
  NearDuplicateIndex index = NewIndex();
  const char* texts[] = {
      kPost,
      "Looking for a managed Kubernetes offering with a sane pricing model, any recommendations from people running "
      "it in production?",
      "The status page says everything is green but our dashboards have been timing out for the last two hours.",
      "Great talk today on zero trust networking, the slides are up on the conference site for everyone.",
  };
  std::set<std::string> stories;
  int n = 0;
  for (const char* t : texts) {
    StoryAssignment a = AssignOk(index, Post("x:" + std::to_string(n++), t));
    EXPECT_FALSE(a.duplicate_of_existing) << t;
    stories.insert(a.story_id);
  }
  EXPECT_EQ(stories.size(), 4u);
}

TEST(NearDuplicateIndexTest, ShortTextsAreNeverMatchedByText) {
  NearDuplicateIndex index = NewIndex();  // min_words 5
  StoryAssignment a = AssignOk(index, Post("x:1", "Thanks, that fixed it!"));
  StoryAssignment b = AssignOk(index, Post("x:2", "Thanks, that fixed it!"));
  EXPECT_EQ(a.story_id, "x:1");
  EXPECT_EQ(b.story_id, "x:2");
  EXPECT_FALSE(b.duplicate_of_existing);
  // ...but a reshare of a short post is still that post's story.
  Mention rt = Post("x:3", "RT @someone: Thanks, that fixed it!");
  rt.reshare_of = "x:1";
  StoryAssignment c = AssignOk(index, rt);
  EXPECT_EQ(c.story_id, "x:1");
  EXPECT_TRUE(c.duplicate_of_existing);
  EXPECT_EQ(c.link, StoryLink::kReshare);
}

TEST(NearDuplicateIndexTest, ResharesOfAnUnseenPostFormThatPostsStory) {
  NearDuplicateIndex index = NewIndex();
  Mention rt1 = Post("x:11", "RT @a: so true");  // short: found only through reshare_of
  rt1.reshare_of = "x:10";
  Mention rt2 = Post("x:12", "RT @a: so true");
  rt2.reshare_of = "x:10";
  StoryAssignment first = AssignOk(index, rt1);
  EXPECT_EQ(first.story_id, "x:10");
  EXPECT_EQ(first.first_mention_id, "x:11");
  EXPECT_FALSE(first.duplicate_of_existing);  // nothing of it is stored yet
  StoryAssignment second = AssignOk(index, rt2);
  EXPECT_EQ(second.story_id, "x:10");
  EXPECT_EQ(second.first_mention_id, "x:11");
  EXPECT_TRUE(second.duplicate_of_existing);
  EXPECT_EQ(second.link, StoryLink::kReshare);
  // The original arriving late joins the story named after it.
  StoryAssignment original = AssignOk(index, Post("x:10", "so true"));
  EXPECT_EQ(original.story_id, "x:10");
  EXPECT_TRUE(original.duplicate_of_existing);
  EXPECT_EQ(original.link, StoryLink::kReshare);
}

TEST(NearDuplicateIndexTest, AReshareJoinsItsOriginalsStoryWhateverItsText) {
  NearDuplicateIndex index = NewIndex();
  (void)AssignOk(index, Post("x:1", kPost));
  // A reshare whose text was cut (old 140-character retweets) still joins.
  Mention rt = Post("x:3", "RT @b: Our backup window went from six hours to forty minutes after the upgr...");
  rt.reshare_of = "x:1";
  StoryAssignment a = AssignOk(index, rt);
  EXPECT_EQ(a.story_id, "x:1");
  EXPECT_EQ(a.link, StoryLink::kReshare);
  // A copy of x:1 brings no fingerprint of its own; its reshares are found by text.
  EXPECT_EQ(AssignOk(index, Post("x:2", std::string(kPost) + " #backup")).story_id, "x:1");
  Mention rt_of_copy = Post("x:4", std::string("RT @c: ") + kPost);
  rt_of_copy.reshare_of = "x:2";
  StoryAssignment b = AssignOk(index, rt_of_copy);
  EXPECT_EQ(b.story_id, "x:1");
  EXPECT_EQ(b.link, StoryLink::kText);
}

TEST(NearDuplicateIndexTest, AssigningAMentionAgainGivesTheSameStory) {
  NearDuplicateIndex index = NewIndex();
  StoryAssignment a1 = AssignOk(index, Post("x:1", kPost));
  StoryAssignment b1 = AssignOk(index, Post("x:2", std::string("RT @x: ") + kPost));
  StoryAssignment a2 = AssignOk(index, Post("x:1", kPost));
  StoryAssignment b2 = AssignOk(index, Post("x:2", std::string("RT @x: ") + kPost));
  EXPECT_EQ(a2.story_id, a1.story_id);
  EXPECT_EQ(a2.duplicate_of_existing, false);
  EXPECT_EQ(b2.story_id, b1.story_id);
  EXPECT_TRUE(b2.duplicate_of_existing);
}

TEST(NearDuplicateIndexTest, ForgetsTheLeastRecentlySeenBeyondTheCount) {
  NearDuplicateIndex index = NewIndex({.max_fingerprints = 2, .max_age_ms = 0, .simhash = {}});
  const std::string a = kPost;
  const std::string b = "The status page says everything is green but our dashboards have been timing out.";
  const std::string c = "Great talk today on zero trust networking, the slides are up on the conference site.";
  (void)AssignOk(index, Post("x:a", a));
  (void)AssignOk(index, Post("x:b", b));
  (void)AssignOk(index, Post("x:a2", a));  // refreshes a: b is now the oldest
  (void)AssignOk(index, Post("x:c", c));   // evicts b
  EXPECT_EQ(index.size(), 2u);
  EXPECT_EQ(AssignOk(index, Post("x:a3", a)).story_id, "x:a");
  EXPECT_EQ(AssignOk(index, Post("x:b2", b)).story_id, "x:b2");  // b was forgotten
}

TEST(NearDuplicateIndexTest, ForgetsFingerprintsOlderThanTheAge) {
  const int64_t hour = 3600 * 1000;
  NearDuplicateIndex index = NewIndex({.max_age_ms = 2 * hour, .simhash = {}});
  (void)AssignOk(index, Post("x:1", kPost, 0));
  EXPECT_EQ(AssignOk(index, Post("x:2", kPost, 1 * hour)).story_id, "x:1");      // and refreshed
  EXPECT_EQ(AssignOk(index, Post("x:3", kPost, 3 * hour)).story_id, "x:1");      // 2 h after the refresh
  EXPECT_EQ(AssignOk(index, Post("x:4", kPost, 5 * hour + 1)).story_id, "x:4");  // gone
  // The clock is the newest created_at seen: an old straggler does not turn it back.
  EXPECT_EQ(AssignOk(index, Post("x:5", kPost, 1 * hour)).story_id, "x:4");
}

// Many stories through a small window: every eviction empties buckets of the
// lookup tables and every new story fills others, and what the window holds
// must stay findable by id and by text, at every table count.
TEST(NearDuplicateIndexTest, KeepsFindingWhatTheWindowHoldsThroughChurn) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> letter('a', 'z');
  std::vector<std::string> vocabulary(2000);
  for (std::string& w : vocabulary) {
    for (int i = 0; i < 7; ++i) w.push_back(static_cast<char>(letter(rng)));
  }
  std::uniform_int_distribution<size_t> pick(0, vocabulary.size() - 1);
  std::vector<std::string> texts(400);
  for (std::string& t : texts) {
    for (int i = 0; i < 12; ++i) t += vocabulary[pick(rng)] + " ";
  }
  constexpr size_t kWindow = 50;
  constexpr size_t kBack = 10;  // a mention this many texts back is still held
  for (int max_distance : {0, 3, 6}) {
    SCOPED_TRACE("max_distance " + std::to_string(max_distance));
    NearDuplicateIndex index =
        NewIndex({.max_distance = max_distance, .max_fingerprints = kWindow, .max_age_ms = 0, .simhash = {}});
    auto id_of = [](int round, size_t k) { return "x:" + std::to_string(round) + "-" + std::to_string(k); };
    for (int round = 0; round < 3; ++round) {
      for (size_t k = 0; k < texts.size(); ++k) {
        // The text's copy of the last round left the window long ago.
        const std::string id = id_of(round, k);
        EXPECT_EQ(AssignOk(index, Post(id, texts[k])).story_id, id);
        StoryAssignment copy = AssignOk(index, Post(id + "c", texts[k]));
        EXPECT_EQ(copy.story_id, id);
        EXPECT_EQ(copy.distance, 0);
        if (k >= kBack) {
          const std::string back = id_of(round, k - kBack);
          StoryAssignment again = AssignOk(index, Post(back, texts[k - kBack]));
          EXPECT_EQ(again.story_id, back);
          EXPECT_FALSE(again.duplicate_of_existing);
        }
        EXPECT_LE(index.size(), kWindow);
      }
    }
  }
}

// ---- Real data ---------------------------------------------------------------------

// Returns the mentions of `file` oldest first (search pages list newest first).
std::vector<Mention> Chronological(const std::string& file) {
  std::vector<Mention> ms = ReadMentions(file);
  std::stable_sort(ms.begin(), ms.end(),
                   [](const Mention& a, const Mention& b) { return a.created_at_ms < b.created_at_ms; });
  return ms;
}

// Each capture holds one search page of 100 tweets, many of them retweets
// of a few posts. Counted independently (python, referenced_tweets): brexit
// has 67 retweets in 39 groups and 68 distinct posts-or-originals; kpop 78
// retweets and 43. Every retweet must land in its original's story and
// nothing else may merge.
TEST(NearDuplicateRealTest, EachRetweetGroupOfTheXCapturesIsOneStory) {
  const std::pair<const char*, size_t> files[] = {{"x-v2/brexit.jsonl", 68}, {"x-v2/kpop.jsonl", 43}};
  for (const auto& [file, expected_stories] : files) {
    std::vector<Mention> mentions = Chronological(file);
    ASSERT_EQ(mentions.size(), 100u) << file;
    NearDuplicateIndex index = NewIndex();
    std::set<std::string> stories;
    int duplicates = 0;
    for (const Mention& m : mentions) {
      StoryAssignment a = AssignOk(index, m);
      const std::string& expected = m.reshare_of.empty() ? m.id : m.reshare_of;
      EXPECT_EQ(a.story_id, expected) << file << " " << m.id;
      stories.insert(a.story_id);
      if (a.duplicate_of_existing) ++duplicates;
    }
    EXPECT_EQ(stories.size(), expected_stories) << file;
    EXPECT_EQ(duplicates, static_cast<int>(100 - expected_stories)) << file;
  }
}

TEST(NearDuplicateRealTest, TheRetweetsOfTheBiggestGroupAreOneStory) {
  // 17 retweets of one brexit post, whose original is not in the capture.
  std::vector<Mention> mentions = Chronological("x-v2/brexit.jsonl");
  NearDuplicateIndex index = NewIndex();
  int in_story = 0;
  for (const Mention& m : mentions) {
    StoryAssignment a = AssignOk(index, m);
    if (m.reshare_of == "x:1440713161355583489") {
      EXPECT_EQ(a.story_id, "x:1440713161355583489");
      ++in_story;
    }
  }
  EXPECT_EQ(in_story, 17);
}

// The Sanders tweets are all distinct posts, but people copy tweets by hand
// ("RT" typed in front, a hashtag added). Whatever the index merges must be
// such a copy: no merged pair may share fewer than half its words.
TEST(NearDuplicateRealTest, MergesOnlyCopiesAmongTheSandersTweets) {
  std::vector<Mention> tweets = Chronological("tweets-sanders/full-corpus.csv");
  ASSERT_EQ(tweets.size(), 5113u);
  NearDuplicateIndex index = NewIndex();
  std::map<std::string, const Mention*> by_id;
  int merged = 0;
  for (const Mention& m : tweets) {
    by_id[m.id] = &m;
    StoryAssignment a = AssignOk(index, m);
    if (!a.duplicate_of_existing) continue;
    ++merged;
    std::vector<std::string> x = Words(m.text);
    std::vector<std::string> y = Words(by_id.at(a.first_mention_id)->text);
    std::set<std::string> sx(x.begin(), x.end()), sy(y.begin(), y.end());
    size_t common = 0;
    for (const std::string& w : sx) common += sy.count(w);
    double jaccard = static_cast<double>(common) / static_cast<double>(sx.size() + sy.size() - common);
    EXPECT_GE(jaccard, 0.5) << m.text << "\n  joined\n" << by_id.at(a.first_mention_id)->text;
  }
  EXPECT_GT(merged, 100);  // hand-made copies are common in 2011 tweets
}

}  // namespace
}  // namespace earshot::enrich
