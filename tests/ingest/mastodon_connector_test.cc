#include "ingest/mastodon_connector.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "ingest/record_collector.h"
#include "testutil.h"

namespace earshot::ingest {
namespace {

using earshot::testing::ReadFileOrDie;
using earshot::testing::SharedData;
using testing::RecordCollector;

// Returns a context for `file` whose first line is `line`.
ParseContext Context(std::string_view file, int64_t line = 1) {
  ParseContext ctx;
  ctx.file = file;
  ctx.line = line;
  return ctx;
}

// Parses `text` in one call, as the driver does for kDocument connectors.
RecordCollector Parse(std::string_view text) {
  RecordCollector sink;
  std::unique_ptr<Connector> mastodon = NewMastodonConnector();
  EXPECT_OK(mastodon->Parse(text, Context("statuses.json"), sink));
  return sink;
}

RecordCollector ParseFile(const std::string& rel) { return Parse(ReadFileOrDie(SharedData(rel))); }

TEST(MastodonConnectorTest, NameAndFraming) {
  std::unique_ptr<Connector> mastodon = NewMastodonConnector();
  EXPECT_EQ(mastodon->Name(), "mastodon");
  EXPECT_EQ(mastodon->framing(), Framing::kDocument);
}

TEST(MastodonConnectorTest, PublicTimelineGivesEightMentions) {
  RecordCollector sink = ParseFile("mastodon/timelines_public.response.json");
  ASSERT_EQ(sink.mentions.size(), 8u);
  EXPECT_TRUE(sink.rejects.empty());
  EXPECT_TRUE(sink.skips.empty());
  for (size_t i = 0; i < sink.mentions.size(); ++i) EXPECT_EQ(sink.mentions[i].ref.index, static_cast<int64_t>(i + 1));

  const Mention& m = sink.mentions[0].mention;
  EXPECT_EQ(m.source, "mastodon");
  EXPECT_EQ(m.external_id, "http://localhost:3000/ap/users/117020566092212359/statuses/117020593378945190");
  EXPECT_EQ(m.id, "mastodon:http://localhost:3000/ap/users/117020566092212359/statuses/117020593378945190");
  EXPECT_EQ(m.channel, Channel::kMicroblog);
  EXPECT_EQ(m.url, "http://localhost:3000/@mastodonpy_test_2/117020593378945190");
  EXPECT_EQ(m.site, "localhost");
  // A local account gets its instance appended, so the handle is global.
  EXPECT_EQ(m.author.handle, "mastodonpy_test_2@localhost:3000");
  EXPECT_EQ(m.author.display_name, "");
  EXPECT_EQ(m.author.followers, 0);
  EXPECT_EQ(m.author.profile_url, "http://localhost:3000/@mastodonpy_test_2");
  EXPECT_EQ(m.text, "Toot, finally!");
  EXPECT_EQ(m.language, "ja");
  EXPECT_EQ(m.created_at_ms, 1785592550338);  // 2026-08-01T13:55:50.338Z
  EXPECT_TRUE(m.in_reply_to.empty());
  EXPECT_TRUE(m.reshare_of.empty());
  EXPECT_TRUE(m.links.empty());
  EXPECT_EQ(m.engagement.likes, 0);
  EXPECT_EQ(m.engagement.reshares, 0);
  EXPECT_EQ(m.engagement.replies, 0);
  EXPECT_EQ(m.engagement.quotes, 0);

  EXPECT_EQ(sink.mentions[1].mention.text, "you can't say that on television");
  EXPECT_EQ(sink.mentions[1].mention.author.handle, "admin@localhost:3000");
  EXPECT_EQ(sink.mentions[1].mention.author.followers, 1);
  EXPECT_EQ(sink.mentions[1].mention.language, "en");
}

TEST(MastodonConnectorTest, MentionLinksAreNotOutboundLinks) {
  RecordCollector sink = ParseFile("mastodon/timelines_public.response.json");
  ASSERT_EQ(sink.mentions.size(), 8u);
  const Mention& m = sink.mentions[4].mention;
  EXPECT_EQ(m.id, "mastodon:http://localhost:3000/ap/users/117020565693913441/statuses/117020588169351887");
  EXPECT_EQ(m.text, "@mastodonpy_test beep beep I'm a jeep");
  EXPECT_EQ(m.mentioned, (std::vector<std::string>{"mastodonpy_test@localhost:3000"}));
  EXPECT_TRUE(m.links.empty());
  EXPECT_TRUE(m.hashtags.empty());
}

TEST(MastodonConnectorTest, StatusWithCardAndContentWarningFlag) {
  RecordCollector sink = ParseFile("mastodon/status_with_card.response.json");
  ASSERT_EQ(sink.mentions.size(), 1u);
  EXPECT_EQ(sink.mentions[0].ref.line, 1);
  const Mention& m = sink.mentions[0].mention;
  EXPECT_EQ(m.id, "mastodon:http://localhost:3000/ap/users/117020565966271181/statuses/117020609135389699");
  EXPECT_EQ(m.url, "http://localhost:3000/@mastodonpy_test/117020609135389699");
  EXPECT_EQ(m.author.handle, "mastodonpy_test@localhost:3000");
  EXPECT_EQ(m.author.display_name, "John Lennon");
  // The recorded spoiler_text is empty, so the text is the content alone.
  EXPECT_EQ(m.text, "http://example.org/");
  EXPECT_EQ(m.links, (std::vector<std::string>{"http://example.org/"}));  // content link and card, once
  EXPECT_EQ(m.language, "en");
  EXPECT_EQ(m.created_at_ms, 1785592790763);  // 2026-08-01T13:59:50.763Z
}

TEST(MastodonConnectorTest, OldSchemaPostFrom2017) {
  RecordCollector sink = ParseFile("mastodon/hunter_home_timeline_2017.json");
  ASSERT_EQ(sink.mentions.size(), 1u);
  EXPECT_TRUE(sink.rejects.empty());
  const Mention& m = sink.mentions[0].mention;
  EXPECT_EQ(m.external_id, "tag:mstdn.io,2017-04-10:objectId=171105:objectType=Status");
  EXPECT_EQ(m.url, "https://mstdn.io/users/paperswelove/updates/9954");
  EXPECT_EQ(m.site, "mstdn.io");
  EXPECT_EQ(m.author.handle, "paperswelove@mstdn.io");
  EXPECT_EQ(m.author.display_name, "Papers We Love");
  EXPECT_EQ(m.author.followers, 1);
  EXPECT_EQ(m.author.profile_url, "https://mstdn.io/@paperswelove");
  // One line per paragraph; the "invisible" spans around the shortened URLs
  // still hold their text.
  EXPECT_EQ(m.text,
            "One Pass Real-Time Generational Mark-Sweep Garbage Collection - Armstrong, Virding\n"
            "Link: http://buff.ly/2pdh7iS\n"
            "In this paper we present a simple scheme for reclaiming data for such language classes with a single "
            "pass mark-sweep collector. We also show how the simple scheme can be modified so that the collection "
            "can be done in an incremental manner (making it suitable for real-time collection).\n"
            "#garbagecollection #compsci #paperswelove\n"
            "https://mstdn.io/media/u03CNEJZho1pvTR3q6Y");
  EXPECT_EQ(m.language, "");
  EXPECT_EQ(m.created_at_ms, 1491824445000);  // 2017-04-10T11:40:45.000Z
  EXPECT_EQ(m.hashtags, (std::vector<std::string>{"paperswelove", "compsci", "garbagecollection"}));
  // The hashtag links are dropped; the article and the media page stay.
  EXPECT_EQ(m.links,
            (std::vector<std::string>{"http://buff.ly/2pdh7iS", "https://mstdn.io/media/u03CNEJZho1pvTR3q6Y"}));
  EXPECT_EQ(m.engagement.likes, 0);
  EXPECT_EQ(m.engagement.reshares, 0);
  EXPECT_EQ(m.engagement.replies, -1);  // no replies_count in 1.x
  EXPECT_EQ(m.engagement.quotes, -1);
}

// A trimmed 4.x timeline: a reblog, a reply to a status in the same page,
// a reply to one that is not, a content warning, a quote, and a status
// without content.
constexpr std::string_view kTimeline = R"([
  {"id": "501", "created_at": "2024-05-01T10:00:00.000Z", "in_reply_to_id": null, "spoiler_text": "",
   "language": null, "uri": "https://example.social/users/bob/statuses/501/activity",
   "url": "https://example.social/users/bob/statuses/501/activity", "content": "",
   "replies_count": 0, "reblogs_count": 0, "favourites_count": 0,
   "account": {"id": "1", "username": "bob", "acct": "bob", "display_name": "Bob",
               "url": "https://example.social/@bob", "followers_count": 12},
   "reblog": {"id": "500", "created_at": "2024-04-30T09:00:00.000Z", "spoiler_text": "", "language": "de",
              "uri": "https://remote.example/users/carol/statuses/9", "url": "https://remote.example/@carol/9",
              "content": "<p>Hallo <a href=\"https://remote.example/tags/welt\" class=\"mention hashtag\" rel=\"tag\">#<span>welt</span></a></p>",
              "account": {"acct": "carol@remote.example", "url": "https://remote.example/@carol"},
              "tags": [{"name": "welt", "url": "https://example.social/tags/welt"}], "mentions": []},
   "tags": [], "mentions": []},
  {"id": "502", "created_at": "2024-05-01T10:05:00.000Z", "in_reply_to_id": "503", "spoiler_text": "",
   "language": "en", "uri": "https://example.social/users/bob/statuses/502", "url": "https://example.social/@bob/502",
   "content": "<p>agreed, see <a href=\"https://github.com/users/foo\">this</a> and <a href=\"https://example.social/@dave\">@dave</a></p>",
   "account": {"acct": "bob", "url": "https://example.social/@bob"}},
  {"id": "503", "created_at": "2024-05-01T10:04:00.000Z", "in_reply_to_id": "999", "spoiler_text": "CW: spoilers",
   "language": "en", "uri": "https://remote.example/users/carol/statuses/10", "url": "https://remote.example/@carol/10",
   "content": "<p>the butler did it</p>", "account": {"acct": "carol@remote.example", "url": "https://remote.example/@carol"},
   "quote": {"state": "accepted", "quoted_status": {"id": "504", "uri": "https://third.example/notes/abc",
             "content": "<p>who did it?</p>"}}},
  {"id": "505", "created_at": "2024-05-01T10:06:00.000Z", "uri": "https://example.social/users/bob/statuses/505",
   "account": {"acct": "bob", "url": "https://example.social/@bob"}},
  "not a status"
])";

TEST(MastodonConnectorTest, ReblogsRepliesQuotesAndContentWarnings) {
  RecordCollector sink = Parse(kTimeline);
  EXPECT_EQ(sink.order, "mmmrr");
  ASSERT_EQ(sink.mentions.size(), 3u);

  const Mention& reblog = sink.mentions[0].mention;
  EXPECT_EQ(reblog.id, "mastodon:https://example.social/users/bob/statuses/501/activity");
  EXPECT_EQ(reblog.author.handle, "bob@example.social");
  EXPECT_EQ(reblog.author.followers, 12);
  EXPECT_EQ(reblog.reshare_of, "mastodon:https://remote.example/users/carol/statuses/9");
  EXPECT_EQ(reblog.text, "Hallo #welt");
  EXPECT_EQ(reblog.language, "de");
  EXPECT_EQ(reblog.hashtags, (std::vector<std::string>{"welt"}));
  EXPECT_TRUE(reblog.links.empty());
  EXPECT_EQ(reblog.created_at_ms, 1714557600000);  // the reblog's own time

  const Mention& reply = sink.mentions[1].mention;
  EXPECT_EQ(reply.text, "agreed, see this and @dave");
  // A profile page on the author's instance is Mastodon's own link; a
  // /users/ path elsewhere is an ordinary link.
  EXPECT_EQ(reply.links, (std::vector<std::string>{"https://github.com/users/foo"}));
  // The parent (local id 503) is in the same page: its uri is known.
  EXPECT_EQ(reply.in_reply_to, "mastodon:https://remote.example/users/carol/statuses/10");

  const Mention& warned = sink.mentions[2].mention;
  EXPECT_EQ(warned.text, "CW: spoilers\nthe butler did it");
  EXPECT_EQ(warned.author.handle, "carol@remote.example");
  // The parent (local id 999) is not: its API address on the serving instance.
  EXPECT_EQ(warned.in_reply_to, "mastodon:https://example.social/api/v1/statuses/999");
  EXPECT_EQ(warned.quote_of, "mastodon:https://third.example/notes/abc");

  ASSERT_EQ(sink.rejects.size(), 2u);
  EXPECT_EQ(sink.rejects[0].reason,
            "line 1: status[3]: status https://example.social/users/bob/statuses/505: missing field \"content\"");
  EXPECT_EQ(sink.rejects[0].ref.index, 4);
  EXPECT_EQ(sink.rejects[1].reason, "line 1: status[4]: expected a status object, got string");
  EXPECT_EQ(sink.rejects[1].raw, "\"not a status\"");
}

TEST(MastodonConnectorTest, JsonLinesKeepGoodLinesAroundABadOne) {
  RecordCollector sink = Parse(
      R"({"id":"1","uri":"https://a.example/s/1","content":"<p>one</p>","account":{"acct":"x","url":"https://a.example/@x"}})"
      "\n"
      R"({"id":"2","uri":"https://a.example/s/2","content":"<p>tw)"
      "\n\n"
      R"({"id":"3","uri":"https://a.example/s/3","content":"<p>three</p>","in_reply_to_id":"1"})"
      "\n");
  EXPECT_EQ(sink.order, "mrm");
  ASSERT_EQ(sink.mentions.size(), 2u);
  EXPECT_EQ(sink.mentions[0].mention.text, "one");
  EXPECT_EQ(sink.mentions[1].mention.text, "three");
  EXPECT_EQ(sink.mentions[1].ref.line, 4);
  EXPECT_EQ(sink.mentions[1].ref.index, 3);
  // Each line is its own value: the parent on line 1 is not seen from line 4,
  // and no local account on line 4 tells the serving instance.
  EXPECT_EQ(sink.mentions[1].mention.in_reply_to, "mastodon:/api/v1/statuses/1");
  ASSERT_EQ(sink.rejects.size(), 1u);
  EXPECT_EQ(sink.rejects[0].ref.line, 2);
  EXPECT_TRUE(sink.rejects[0].reason.starts_with("line 2: invalid JSON")) << sink.rejects[0].reason;
  EXPECT_EQ(sink.rejects[0].raw, R"({"id":"2","uri":"https://a.example/s/2","content":"<p>tw)");
}

TEST(MastodonConnectorTest, ContextResponseAndNonStatusObjects) {
  RecordCollector sink = Parse(
      R"({"ancestors":[{"id":"1","uri":"https://a.example/s/1","content":"<p>up</p>"}],)"
      R"("descendants":[{"id":"3","uri":"https://a.example/s/3","content":"<p>down</p>","in_reply_to_id":"1"}]})");
  ASSERT_EQ(sink.mentions.size(), 2u);
  EXPECT_EQ(sink.mentions[1].mention.in_reply_to, "mastodon:https://a.example/s/1");

  RecordCollector error = Parse(R"({"error":"Record not found"})");
  EXPECT_TRUE(error.mentions.empty());
  ASSERT_EQ(error.skips.size(), 1u);
  EXPECT_EQ(error.skips[0].reason, "line 1: no statuses in an object with keys error");
}

TEST(MastodonConnectorTest, UnreadableDocumentIsAnError) {
  for (std::string_view text : {std::string_view("[{\"id\": \"1\", \"content\""), std::string_view("[\n{\"id\":\n")}) {
    RecordCollector sink;
    std::unique_ptr<Connector> mastodon = NewMastodonConnector();
    Status s = mastodon->Parse(text, Context("cut.json"), sink);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << text;
    EXPECT_TRUE(s.message().starts_with("cut.json: not JSON")) << s.message();
    EXPECT_TRUE(sink.order.empty());
  }
}

TEST(MastodonConnectorTest, BadDateIsRejected) {
  RecordCollector sink = Parse(R"({"id":"1","uri":"https://a.example/s/1","content":"","created_at":"soon"})");
  ASSERT_EQ(sink.rejects.size(), 1u);
  EXPECT_TRUE(sink.rejects[0].reason.starts_with("line 1: status https://a.example/s/1: field \"created_at\""))
      << sink.rejects[0].reason;
}

// Regression: a tag name or account written with control-character escapes
// kept them (found by mastodon_connector_fuzz).
TEST(MastodonConnectorTest, ControlCharacterEscapesAreCleanedFromTagsAndHandles) {
  RecordCollector sink = Parse(
      R"({"id":"1","uri":"https://a.example/s/1","content":"<p>hi</p>","account":{"acct":"x\u0001",)"
      R"("url":"https://a.example/@x"},"tags":[{"name":"news\u0002"},{"name":"\u0003"}]})");
  ASSERT_EQ(sink.mentions.size(), 1u);
  const Mention& m = sink.mentions[0].mention;
  EXPECT_EQ(m.author.handle, "x@a.example");
  EXPECT_EQ(m.hashtags, (std::vector<std::string>{"news"}));
}

}  // namespace
}  // namespace earshot::ingest
