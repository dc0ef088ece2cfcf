#include "ingest/bluesky_connector.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "core/strings.h"
#include "ingest/record_collector.h"
#include "testutil.h"

namespace earshot::ingest {
namespace {

using earshot::testing::ReadFileOrDie;
using earshot::testing::SharedData;
using testing::RecordCollector;

constexpr std::string_view kTestDid = "did:plc:kvwvcn5iqfooopmyzvb4qzba";

// Returns a context for `file` whose first line is `line`.
ParseContext Context(std::string_view file, int64_t line = 1) {
  ParseContext ctx;
  ctx.file = file;
  ctx.line = line;
  return ctx;
}

// Parses `text` in one call, as the driver does for a whole JSON document.
RecordCollector ParseWhole(std::string_view text) {
  RecordCollector sink;
  std::unique_ptr<Connector> bluesky = NewBlueskyConnector();
  EXPECT_OK(bluesky->Parse(text, Context("doc.json"), sink));
  return sink;
}

RecordCollector ParseFile(const std::string& rel) { return ParseWhole(ReadFileOrDie(SharedData(rel))); }

TEST(BlueskyConnectorTest, NameAndFraming) {
  std::unique_ptr<Connector> bluesky = NewBlueskyConnector();
  EXPECT_EQ(bluesky->Name(), "bluesky");
  EXPECT_EQ(bluesky->framing(), Framing::kLines);
}

TEST(BlueskyConnectorTest, GetRecordPostIsOneMention) {
  RecordCollector sink = ParseFile("bluesky/post_record.json");
  ASSERT_EQ(sink.mentions.size(), 1u);
  EXPECT_TRUE(sink.rejects.empty());
  EXPECT_TRUE(sink.skips.empty());
  const Mention& m = sink.mentions[0].mention;
  EXPECT_EQ(m.source, "bluesky");
  EXPECT_EQ(m.external_id, "at://did:plc:kvwvcn5iqfooopmyzvb4qzba/app.bsky.feed.post/3k2yihcrp6f2c");
  EXPECT_EQ(m.id, "bluesky:at://did:plc:kvwvcn5iqfooopmyzvb4qzba/app.bsky.feed.post/3k2yihcrp6f2c");
  EXPECT_EQ(m.channel, Channel::kMicroblog);
  // No profile view in a getRecord response: the did stands for the handle.
  EXPECT_EQ(m.author.handle, kTestDid);
  EXPECT_EQ(m.author.profile_url, "https://bsky.app/profile/did:plc:kvwvcn5iqfooopmyzvb4qzba");
  EXPECT_EQ(m.url, "https://bsky.app/profile/did:plc:kvwvcn5iqfooopmyzvb4qzba/post/3k2yihcrp6f2c");
  EXPECT_EQ(m.site, "bsky.app");
  EXPECT_EQ(m.text, "new text114");
  EXPECT_EQ(m.language, "");
  EXPECT_EQ(m.created_at_ms, 1708631893903);  // 2024-02-22T19:58:13.903293+00:00
  EXPECT_EQ(m.engagement.likes, -1);
  EXPECT_EQ(sink.mentions[0].ref.line, 1);
  EXPECT_EQ(sink.mentions[0].ref.index, 1);
}

TEST(BlueskyConnectorTest, ThreadViewPostWithQuoteAndImage) {
  RecordCollector sink = ParseFile("bluesky/thread_view_post_with_embed_media.json");
  ASSERT_EQ(sink.mentions.size(), 1u);  // the quoted post in the embed view is not reported
  EXPECT_TRUE(sink.rejects.empty());
  EXPECT_TRUE(sink.skips.empty());
  const Mention& m = sink.mentions[0].mention;
  EXPECT_EQ(m.id, "bluesky:at://did:plc:kvwvcn5iqfooopmyzvb4qzba/app.bsky.feed.post/3kaheyt6vpc22");
  EXPECT_EQ(m.author.handle, "test.marshal.dev");
  EXPECT_EQ(m.author.display_name, "Python SDK");
  EXPECT_EQ(m.author.profile_url, "https://bsky.app/profile/test.marshal.dev");
  EXPECT_EQ(m.url, "https://bsky.app/profile/test.marshal.dev/post/3kaheyt6vpc22");
  EXPECT_EQ(m.text, "");  // an image and a quote, no words
  EXPECT_EQ(m.language, "en");
  EXPECT_EQ(m.created_at_ms, 1695905376735);  // 2023-09-28T12:49:36.735Z
  EXPECT_EQ(m.quote_of, "bluesky:at://did:plc:kvwvcn5iqfooopmyzvb4qzba/app.bsky.feed.post/3kahesw26il2z");
  EXPECT_TRUE(m.in_reply_to.empty());
  EXPECT_TRUE(m.links.empty());
  EXPECT_EQ(m.engagement.likes, 0);
  EXPECT_EQ(m.engagement.reshares, 0);
  EXPECT_EQ(m.engagement.replies, 0);
  EXPECT_EQ(m.engagement.quotes, -1);  // no quoteCount in this capture
}

TEST(BlueskyConnectorTest, NonPostRecordsAreSkips) {
  struct Case {
    const char* file;
    const char* reason_part;
  };
  for (const Case& c : {Case{"bluesky/like_record.json", "app.bsky.feed.like"},
                        Case{"bluesky/feed_record.json", "app.bsky.feed.generator"},
                        Case{"bluesky/get_follows.json", "follows, subject"}}) {
    RecordCollector sink = ParseFile(c.file);
    EXPECT_TRUE(sink.mentions.empty()) << c.file;
    EXPECT_TRUE(sink.rejects.empty()) << c.file;
    ASSERT_EQ(sink.skips.size(), 1u) << c.file;
    EXPECT_NE(sink.skips[0].reason.find(c.reason_part), std::string::npos) << sink.skips[0].reason;
  }
}

// Jetstream events written after the examples in the Jetstream README
// (github.com/bluesky-social/jetstream): one JSON object per line.
constexpr std::string_view kJetstream =
    R"({"did":"did:plc:ii4ng3spmcsatgmeedmvlfgz","time_us":1725516665333808,"kind":"commit","commit":{"rev":"3l3ba5dtobz2r","operation":"create","collection":"app.bsky.feed.post","rkey":"3l3ba5dtsaz2o","record":{"$type":"app.bsky.feed.post","createdAt":"2024-09-05T06:11:04.870Z","langs":["en-US"],"text":"Reading the #atproto lexicon spec https://atproto.com/specs/lexicon with @bsky.app","facets":[{"index":{"byteStart":12,"byteEnd":20},"features":[{"$type":"app.bsky.richtext.facet#tag","tag":"atproto"}]},{"index":{"byteStart":34,"byteEnd":67},"features":[{"$type":"app.bsky.richtext.facet#link","uri":"https://atproto.com/specs/lexicon"}]},{"index":{"byteStart":73,"byteEnd":82},"features":[{"$type":"app.bsky.richtext.facet#mention","did":"did:plc:z72i7hdynmk6r22z27h6tvur"}]}],"reply":{"parent":{"cid":"bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm","uri":"at://did:plc:wa7b35aakoll7hugkrjtf3xf/app.bsky.feed.post/3l3pte3p2e325"},"root":{"cid":"bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm","uri":"at://did:plc:wa7b35aakoll7hugkrjtf3xf/app.bsky.feed.post/3l3pte3p2e325"}}},"cid":"bafyreidwaivazkwu67xztlmuobx35hs2lnfh3kolmgfmucldvhd3sgzcqi"}})"
    "\n"
    R"({"did":"did:plc:eygmaihciaxprqvxpfvl6flk","time_us":1725911162329308,"kind":"commit","commit":{"rev":"3l3qo2vutsw2b","operation":"create","collection":"app.bsky.feed.like","rkey":"3l3qo2vuowo2b","record":{"$type":"app.bsky.feed.like","createdAt":"2024-09-09T19:46:02.102Z","subject":{"cid":"bafyreidc6sydkkbchcyg62v77wbhzvb2mvytlmsychqgwf2xojjtirmzj4","uri":"at://did:plc:wa7b35aakoll7hugkrjtf3xf/app.bsky.feed.post/3l3pte3p2e325"}},"cid":"bafyreidwaivazkwu67xztlmuobx35hs2lnfh3kolmgfmucldvhd3sgzcqi"}})"
    "\n"
    R"({"did":"did:plc:rfov6bpyztcnedeyyzgfq42k","time_us":1725516666833633,"kind":"commit","commit":{"rev":"3l3ba5f2r3a2n","operation":"delete","collection":"app.bsky.feed.post","rkey":"3l3ba5csbwb2m"}})"
    "\n"
    R"({"did":"did:plc:ufbl4k27gp6kzas5glhz7fim","time_us":1725516665234703,"kind":"identity","identity":{"did":"did:plc:ufbl4k27gp6kzas5glhz7fim","handle":"yohenrique.bsky.social","seq":1409752997,"time":"2024-09-05T06:11:04.870Z"}})"
    "\n"
    R"({"did":"did:plc:ufbl4k27gp6kzas5glhz7fim","time_us":1725516665333808,"kind":"account","account":{"active":true,"did":"did:plc:ufbl4k27gp6kzas5glhz7fim","seq":1409753013,"time":"2024-09-05T06:11:04.870Z"}})"
    "\n"
    R"({"did":"did:plc:ufbl4k27gp6kzas5glhz7fim","time_us":1725516667000000,"kind":"commit","commit":{"rev":"3l3ba5g","operation":"create","collection":"app.bsky.feed.post","rkey":"3l3ba5gzzzz2a","record":{"$type":"app.bsky.feed.post","text":"no date on this one","embed":{"$type":"app.bsky.embed.external","external":{"uri":"https://example.org/article","title":"An article","description":""}}}}})"
    "\n"
    R"({"did":"did:plc:ufbl4k27gp6kzas5glhz7fim","time_us":1725516668000000,"kind":"commit","commit":{"rev":"3l3ba5h","operation":"create","collection":"app.bsky.feed.post","rkey":"3l3ba5hzzzz2a","record":{"$type":"app.bsky.feed.post","createdAt":"2024-09-05T06:11:08Z"}}})"
    "\n"
    R"({"did":"did:plc:ufbl4k27gp6kzas5glhz7fim","time_us":17255166)"
    "\n";

TEST(BlueskyConnectorTest, RecycledMentionsEqualFreshOnes) {
  testing::ExpectRecycledEqualsFresh(NewBlueskyConnector, kJetstream);
  for (const char* file : {"bluesky/post_record.json", "bluesky/thread_view_post_with_embed_media.json"}) {
    SCOPED_TRACE(file);
    testing::ExpectRecycledEqualsFresh(NewBlueskyConnector, ReadFileOrDie(SharedData(file)), /*whole=*/true);
  }
}

TEST(BlueskyConnectorTest, JetstreamLines) {
  RecordCollector sink;
  std::unique_ptr<Connector> bluesky = NewBlueskyConnector();
  FeedLines(*bluesky, kJetstream, sink);
  EXPECT_EQ(sink.order, "mssssmrr");

  ASSERT_EQ(sink.mentions.size(), 2u);
  const Mention& post = sink.mentions[0].mention;
  EXPECT_EQ(post.id, "bluesky:at://did:plc:ii4ng3spmcsatgmeedmvlfgz/app.bsky.feed.post/3l3ba5dtsaz2o");
  EXPECT_EQ(post.author.handle, "did:plc:ii4ng3spmcsatgmeedmvlfgz");
  EXPECT_EQ(post.url, "https://bsky.app/profile/did:plc:ii4ng3spmcsatgmeedmvlfgz/post/3l3ba5dtsaz2o");
  EXPECT_EQ(post.text, "Reading the #atproto lexicon spec https://atproto.com/specs/lexicon with @bsky.app");
  EXPECT_EQ(post.language, "en");
  EXPECT_EQ(post.created_at_ms, 1725516664870);
  EXPECT_EQ(post.in_reply_to, "bluesky:at://did:plc:wa7b35aakoll7hugkrjtf3xf/app.bsky.feed.post/3l3pte3p2e325");
  EXPECT_EQ(post.hashtags, (std::vector<std::string>{"atproto"}));
  EXPECT_EQ(post.links, (std::vector<std::string>{"https://atproto.com/specs/lexicon"}));
  EXPECT_EQ(post.mentioned, (std::vector<std::string>{"did:plc:z72i7hdynmk6r22z27h6tvur"}));
  EXPECT_EQ(sink.mentions[0].ref.line, 1);

  EXPECT_NE(sink.skips[0].reason.find("create of app.bsky.feed.like"), std::string::npos) << sink.skips[0].reason;
  EXPECT_NE(sink.skips[1].reason.find("delete of app.bsky.feed.post record 3l3ba5csbwb2m"), std::string::npos)
      << sink.skips[1].reason;
  EXPECT_NE(sink.skips[2].reason.find("identity"), std::string::npos) << sink.skips[2].reason;
  EXPECT_NE(sink.skips[3].reason.find("account"), std::string::npos) << sink.skips[3].reason;
  EXPECT_EQ(sink.skips[3].ref.line, 5);

  const Mention& undated = sink.mentions[1].mention;  // no createdAt: the event time
  EXPECT_EQ(undated.created_at_ms, 1725516667000);
  EXPECT_EQ(undated.links, (std::vector<std::string>{"https://example.org/article"}));
  EXPECT_EQ(sink.mentions[1].ref.index, 6);

  ASSERT_EQ(sink.rejects.size(), 2u);
  EXPECT_EQ(sink.rejects[0].ref.line, 7);
  EXPECT_NE(sink.rejects[0].reason.find("missing field \"text\""), std::string::npos) << sink.rejects[0].reason;
  EXPECT_TRUE(sink.rejects[0].reason.starts_with("line 7: commit: post at://")) << sink.rejects[0].reason;
  EXPECT_EQ(sink.rejects[1].ref.line, 8);
  EXPECT_TRUE(sink.rejects[1].reason.starts_with("line 8: invalid JSON")) << sink.rejects[1].reason;
  EXPECT_EQ(sink.rejects[1].raw, R"({"did":"did:plc:ufbl4k27gp6kzas5glhz7fim","time_us":17255166)");
}

TEST(BlueskyConnectorTest, FeedAndPostsResponses) {
  RecordCollector sink = ParseWhole(R"({"feed":[
    {"post":{"uri":"at://did:plc:aaa/app.bsky.feed.post/3k1","cid":"c1",
      "author":{"did":"did:plc:aaa","handle":"alice.example.com","displayName":"Alice"},
      "record":{"$type":"app.bsky.feed.post","text":"hello","createdAt":"2023-07-21T01:33:51.481951"},
      "likeCount":5,"repostCount":2,"replyCount":1,"quoteCount":3,"indexedAt":"2023-07-21T01:34:00.000Z"}},
    {"post":{"uri":"at://did:plc:bbb/app.bsky.feed.post/3k2",
      "author":{"did":"did:plc:bbb","handle":"handle.invalid"},
      "record":{"text":"untyped record, bad date","createdAt":"not a date"},
      "indexedAt":"2023-07-22T00:00:00.000Z"},
     "reason":{"$type":"app.bsky.feed.defs#reasonRepost"}},
    {"reply":{}}
  ],"cursor":"abc"})");
  EXPECT_EQ(sink.order, "mmr");
  ASSERT_EQ(sink.mentions.size(), 2u);
  const Mention& alice = sink.mentions[0].mention;
  EXPECT_EQ(alice.author.handle, "alice.example.com");
  EXPECT_EQ(alice.author.display_name, "Alice");
  EXPECT_EQ(alice.url, "https://bsky.app/profile/alice.example.com/post/3k1");
  EXPECT_EQ(alice.created_at_ms, 1689903231481);  // no zone: UTC
  EXPECT_EQ(alice.engagement.likes, 5);
  EXPECT_EQ(alice.engagement.reshares, 2);
  EXPECT_EQ(alice.engagement.replies, 1);
  EXPECT_EQ(alice.engagement.quotes, 3);
  EXPECT_EQ(alice.engagement.views, -1);
  const Mention& bob = sink.mentions[1].mention;
  EXPECT_EQ(bob.author.handle, "did:plc:bbb");  // unverified handle
  EXPECT_EQ(bob.created_at_ms, 1689984000000);  // indexedAt
  EXPECT_EQ(sink.rejects[0].reason, "line 1: feed[2]: feed item: missing field \"post\"");

  RecordCollector posts = ParseWhole(
      R"({"posts":[{"uri":"at://alice.example.com/app.bsky.feed.post/3k9","author":{"did":"did:plc:aaa",)"
      R"("handle":"alice.example.com"},"record":{"text":"by handle","createdAt":"2024-01-01T00:00:00Z"}}]})");
  ASSERT_EQ(posts.mentions.size(), 1u);
  EXPECT_EQ(posts.mentions[0].mention.external_id, "at://did:plc:aaa/app.bsky.feed.post/3k9");
}

TEST(BlueskyConnectorTest, ThreadParentsAndRepliesInOrder) {
  RecordCollector sink = ParseWhole(R"({"thread":{"$type":"app.bsky.feed.defs#threadViewPost",
    "post":{"uri":"at://did:plc:b/app.bsky.feed.post/2","author":{"did":"did:plc:b","handle":"b.test"},
      "record":{"text":"middle","createdAt":"2024-01-01T00:00:02Z",
        "reply":{"parent":{"uri":"at://did:plc:a/app.bsky.feed.post/1"},"root":{"uri":"at://did:plc:a/app.bsky.feed.post/1"}}}},
    "parent":{"$type":"app.bsky.feed.defs#threadViewPost",
      "post":{"uri":"at://did:plc:a/app.bsky.feed.post/1","author":{"did":"did:plc:a","handle":"a.test"},
        "record":{"text":"root","createdAt":"2024-01-01T00:00:01Z"}},
      "parent":{"$type":"app.bsky.feed.defs#notFoundPost","uri":"at://did:plc:z/app.bsky.feed.post/0","notFound":true}},
    "replies":[
      {"$type":"app.bsky.feed.defs#threadViewPost",
       "post":{"uri":"at://did:plc:c/app.bsky.feed.post/3","author":{"did":"did:plc:c","handle":"c.test"},
         "record":{"text":"leaf","createdAt":"2024-01-01T00:00:03Z"}},
       "replies":[{"$type":"app.bsky.feed.defs#blockedPost","uri":"at://did:plc:d/app.bsky.feed.post/4","blocked":true}]}]}})");
  EXPECT_EQ(sink.order, "smmms");
  ASSERT_EQ(sink.mentions.size(), 3u);
  EXPECT_EQ(sink.mentions[0].mention.text, "root");
  EXPECT_EQ(sink.mentions[1].mention.text, "middle");
  EXPECT_EQ(sink.mentions[1].mention.in_reply_to, sink.mentions[0].mention.id);
  EXPECT_EQ(sink.mentions[2].mention.text, "leaf");
  EXPECT_NE(sink.skips[0].reason.find("thread.parent.parent: thread item app.bsky.feed.defs#notFoundPost"),
            std::string::npos)
      << sink.skips[0].reason;
  EXPECT_NE(sink.skips[1].reason.find("blockedPost"), std::string::npos) << sink.skips[1].reason;
  EXPECT_EQ(sink.mentions[2].ref.index, 4);
  EXPECT_EQ(sink.skips[1].ref.index, 5);
}

TEST(BlueskyConnectorTest, BadUriIsRejected) {
  RecordCollector sink =
      ParseWhole(R"({"uri":"https://bsky.app/x","value":{"$type":"app.bsky.feed.post","text":"t"}})");
  ASSERT_EQ(sink.rejects.size(), 1u);
  EXPECT_EQ(sink.rejects[0].reason, "line 1: field \"uri\": not a post AT-URI: \"https://bsky.app/x\"");
}

TEST(BlueskyConnectorTest, UnreadableDocumentIsAnError) {
  RecordCollector sink;
  std::unique_ptr<Connector> bluesky = NewBlueskyConnector();
  Status s = bluesky->Parse("{\n \"thread\": {\n", Context("t.json"), sink);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(sink.reported(), 0);
}

}  // namespace
}  // namespace earshot::ingest
