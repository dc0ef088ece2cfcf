#include "ingest/reddit_connector.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "ingest/record_collector.h"
#include "testutil.h"

namespace earshot::ingest {
namespace {

using earshot::testing::ReadFileOrDie;
using earshot::testing::SharedData;
using testing::RecordCollector;
using Strings = std::vector<std::string>;

ParseContext Context(std::string_view file) {
  ParseContext ctx;
  ctx.file = file;
  return ctx;
}

RecordCollector ParseReddit(std::string_view input, const ParseContext& ctx = {}) {
  RecordCollector out;
  Status s = NewRedditConnector()->Parse(input, ctx, out);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return out;
}

RecordCollector ParseFile(const std::string& name) {
  return ParseReddit(ReadFileOrDie(SharedData("reddit/" + name)), Context(name));
}

TEST(RedditConnectorTest, NameAndFraming) {
  auto connector = NewRedditConnector();
  EXPECT_EQ(connector->Name(), "reddit");
  EXPECT_EQ(connector->framing(), Framing::kDocument);
}

TEST(RedditConnectorTest, ReadsSubredditNewListing) {
  RecordCollector out = ParseFile("askreddit_new_listing.json");
  ASSERT_EQ(out.mentions.size(), 100u);
  EXPECT_TRUE(out.rejects.empty());
  EXPECT_TRUE(out.skips.empty());

  const auto& first = out.mentions.front();
  EXPECT_EQ(first.ref.line, 1);
  EXPECT_EQ(first.ref.index, 1);
  const Mention& m = first.mention;
  EXPECT_EQ(m.id, "reddit:t3_48fbm9");
  EXPECT_EQ(m.source, "reddit");
  EXPECT_EQ(m.external_id, "t3_48fbm9");
  EXPECT_EQ(m.url, "https://www.reddit.com/r/AskReddit/comments/48fbm9/serious_parents_of_reddit_whats_the_biggest_lie/");
  EXPECT_EQ(m.site, "reddit.com");
  EXPECT_EQ(m.channel, Channel::kForum);
  EXPECT_EQ(m.author.handle, "RedHeadQc");
  EXPECT_EQ(m.author.profile_url, "https://www.reddit.com/user/RedHeadQc");
  EXPECT_EQ(m.title, "[Serious] Parents of Reddit, what's the biggest lie about yourself you've told your kids?");
  EXPECT_EQ(m.text, "");
  EXPECT_EQ(m.created_at_ms, 1456821458000);
  EXPECT_EQ(m.engagement.likes, 1);
  EXPECT_EQ(m.engagement.replies, 1);
  EXPECT_EQ(m.in_reply_to, "");
  EXPECT_TRUE(m.links.empty());  // a self post links nowhere

  // Titles keep a literal "&" (raw_json=1 leaves it unescaped).
  const Mention* amp = out.Find("reddit:t3_48f75b");
  ASSERT_NE(amp, nullptr);
  EXPECT_EQ(amp->title, "If practice makes perfect & nobody's perfect, why practice?");

  const auto& last = out.mentions.back();
  EXPECT_EQ(last.ref.index, 100);
  EXPECT_EQ(last.mention.id, "reddit:t3_48f6io");  // the listing's data.after
  EXPECT_EQ(last.mention.author.handle, "purpleclouds");
  EXPECT_EQ(last.mention.created_at_ms, 1456818242000);
  EXPECT_EQ(last.mention.engagement.likes, 3);
  EXPECT_EQ(last.mention.engagement.replies, 8);
}

TEST(RedditConnectorTest, ReadsSubredditCommentStream) {
  RecordCollector out = ParseFile("askreddit_comments_listing.json");
  ASSERT_EQ(out.mentions.size(), 100u);
  EXPECT_TRUE(out.rejects.empty());
  EXPECT_TRUE(out.skips.empty());

  const Mention& first = out.mentions.front().mention;
  EXPECT_EQ(first.id, "reddit:t1_d4y8bdp");
  EXPECT_EQ(first.in_reply_to, "reddit:t3_4r4inc");
  // The stream omits permalinks; the url is built from subreddit, link and id.
  EXPECT_EQ(first.url, "https://www.reddit.com/r/AskReddit/comments/4r4inc/_/d4y8bdp/");
  EXPECT_EQ(first.author.handle, "preppypuppy");
  EXPECT_EQ(first.title, "");
  EXPECT_EQ(first.text, "great, life is so much better when you can do what you enjoy for a living");
  EXPECT_EQ(first.created_at_ms, 1467590690000);
  EXPECT_EQ(first.engagement.likes, 1);
  EXPECT_EQ(first.engagement.replies, -1);

  const Mention& last = out.mentions.back().mention;
  EXPECT_EQ(last.id, "reddit:t1_d4y8a9e");
  EXPECT_EQ(last.in_reply_to, "reddit:t1_d4xhwt2");
  EXPECT_EQ(last.author.handle, "YoMamaIsSoFatThat");
  EXPECT_EQ(last.created_at_ms, 1467590634000);

  // 55 of the 100 answer another comment, 45 the submission.
  auto replies_to_comments = std::count_if(out.mentions.begin(), out.mentions.end(), [](const auto& r) {
    return r.mention.in_reply_to.starts_with("reddit:t1_");
  });
  EXPECT_EQ(replies_to_comments, 55);

  // Markdown links and bare URLs become links.
  const Mention* markdown = out.Find("reddit:t1_d4y8ax4");
  ASSERT_NE(markdown, nullptr);
  EXPECT_EQ(markdown->text,
            "Or use a [placeholder](http://i.imgur.com/AkC7sat.jpg) that both makes your seatbelt reminder not go "
            "off, *and* lets you open bottles.");
  EXPECT_EQ(markdown->links, (Strings{"http://i.imgur.com/AkC7sat.jpg"}));
  EXPECT_EQ(markdown->in_reply_to, "reddit:t1_d4y7qm0");
  EXPECT_EQ(markdown->author.handle, "literal-hitler");
  EXPECT_EQ(markdown->created_at_ms, 1467590667000);
  const Mention* bare = out.Find("reddit:t1_d4y8awr");
  ASSERT_NE(bare, nullptr);
  EXPECT_EQ(bare->links, (Strings{"https://youtu.be/_l3oUjAN1IA"}));
  const Mention* oatmeal = out.Find("reddit:t1_d4y8abp");
  ASSERT_NE(oatmeal, nullptr);
  EXPECT_EQ(oatmeal->links, (Strings{"http://theoatmeal.com/comics/exposure"}));
}

TEST(RedditConnectorTest, ReadsSearchListing) {
  RecordCollector out = ParseFile("all_search_listing.json");
  ASSERT_EQ(out.mentions.size(), 6u);
  EXPECT_TRUE(out.rejects.empty());
  Strings ids;
  for (const auto& r : out.mentions) ids.push_back(r.mention.id);
  EXPECT_EQ(ids, (Strings{"reddit:t3_3gpbiu", "reddit:t3_3x4kt2", "reddit:t3_3b4erh", "reddit:t3_1qvzkd",
                          "reddit:t3_3qc02b", "reddit:t3_4at068"}));

  const Mention& contributors = out.mentions[4].mention;
  EXPECT_EQ(contributors.url,
            "https://www.reddit.com/r/bugs/comments/3qc02b/pagination_of_subreddit_contributor_list_does_not/"
            "?ref=search_posts");
  EXPECT_EQ(contributors.author.handle, "Doomhammer458");
  EXPECT_EQ(contributors.created_at_ms, 1445894438000);
  EXPECT_EQ(contributors.engagement.likes, 2);
  EXPECT_EQ(contributors.engagement.replies, 2);
  EXPECT_EQ(contributors.links, (Strings{"https://oauth.reddit.com/r/armyofscience/about/contributors/"}));
  EXPECT_TRUE(contributors.text.starts_with("I have confirmed this with PRAW, toolbox and API requests.\n\n"));
  // The subreddit stays out of the text (it is in the url only).
  EXPECT_EQ(contributors.text.find("r/bugs"), std::string::npos);

  const Mention& japanese = out.mentions[5].mention;
  EXPECT_EQ(japanese.title, "たびたび話題になるサイドバーの閲覧中ユーザ数について（また）調べた");
  EXPECT_EQ(japanese.url,
            "https://www.reddit.com/r/p18s/comments/4at068/"
            "たびたび話題になるサイドバーの閲覧中ユーザ数についてまた調べた/?ref=search_posts");
  EXPECT_EQ(japanese.engagement.likes, 15);
  EXPECT_EQ(japanese.engagement.replies, 0);
  EXPECT_EQ(japanese.links,
            (Strings{"https://github.com/reddit/reddit/compare/b71d8b...20759d",
                     "https://www.reddit.com/r/changelog/comments/yneqk/reddit_change_users_online_text_adjusted_value/",
                     "https://www.reddit.com/r/changelog/comments/yek4r/reddit_change_display_the_number_of_users/",
                     "https://developer.mozilla.org/ja/docs/Tools/Page_Inspector",
                     "http://www.makotemplates.org/",
                     "http://lesscss.org/",
                     "https://github.com/reddit/reddit/commit/c88036cdaf8367421f1532163a1e919c93a8489b"
                     "#diff-deac0950e3b444d3903780f9fc5d73caR64",
                     "https://github.com/reddit/reddit/commit/fae672ea8ef4cdb862e4458dea114775f9775813"
                     "#diff-b30ccce2e7c1e5715267c9bb69830c74R593",
                     "https://pycassa.github.io/pycassa/tutorial.html",
                     "https://pycassa.github.io/pycassa/api/pycassa/columnfamily.html"
                     "#pycassa.columnfamily.ColumnFamily.get_count",
                     "https://www.reddit.com/"}));
}

TEST(RedditConnectorTest, WalksSubmissionAndNestedCommentTreeDepthFirst) {
  RecordCollector out = ParseFile("submission_2gmzqe_comments.json");
  ASSERT_EQ(out.mentions.size(), 3u);
  EXPECT_TRUE(out.rejects.empty());
  EXPECT_TRUE(out.skips.empty());

  const Mention& post = out.mentions[0].mention;
  EXPECT_EQ(out.mentions[0].ref.index, 1);
  EXPECT_EQ(post.id, "reddit:t3_2gmzqe");
  EXPECT_EQ(post.title, "[PRAW] HTTPS enabled PRAW testing needed");
  EXPECT_EQ(post.author.handle, "bboe");
  EXPECT_EQ(post.url, "https://www.reddit.com/r/redditdev/comments/2gmzqe/praw_https_enabled_praw_testing_needed/");
  EXPECT_EQ(post.created_at_ms, 1410935671000);
  EXPECT_EQ(post.engagement.likes, 11);
  EXPECT_EQ(post.engagement.replies, 2);
  EXPECT_TRUE(post.text.starts_with("PRAW client developers,\n\nI have made a PRAW branch"));
  EXPECT_TRUE(post.text.ends_with("(https://github.com/praw-dev/praw/issues) would be ideal. Thanks!"));
  EXPECT_EQ(post.links, (Strings{"https://github.com/praw-dev/praw/issues"}));

  const Mention& question = out.mentions[1].mention;
  EXPECT_EQ(out.mentions[1].ref.index, 2);
  EXPECT_EQ(question.id, "reddit:t1_cklfmye");
  EXPECT_EQ(question.in_reply_to, "reddit:t3_2gmzqe");
  EXPECT_EQ(question.author.handle, "paneer_burrito");
  EXPECT_EQ(question.created_at_ms, 1411005112000);
  EXPECT_EQ(question.url, "https://www.reddit.com/r/redditdev/comments/2gmzqe/_/cklfmye/");
  EXPECT_TRUE(question.text.starts_with("Quick question: I remember reading about an issue"));

  // The reply nested in the first comment's data.replies.
  const Mention& answer = out.mentions[2].mention;
  EXPECT_EQ(out.mentions[2].ref.index, 3);
  EXPECT_EQ(answer.id, "reddit:t1_cklhv0f");
  EXPECT_EQ(answer.in_reply_to, "reddit:t1_cklfmye");
  EXPECT_EQ(answer.author.handle, "bboe");
  EXPECT_EQ(answer.created_at_ms, 1411010034000);
  EXPECT_EQ(answer.text,
            "Yes it does. That fix is also in the master branch, we just haven't made a release for it (and we "
            "probably won't until 3.0).");
}

TEST(RedditConnectorTest, BadJsonIsAnError) {
  auto connector = NewRedditConnector();
  RecordCollector out;
  Status not_json = connector->Parse("<html>Too Many Requests</html>", Context("r.json"), out);
  EXPECT_EQ(not_json.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(not_json.message().starts_with("r.json: not JSON")) << not_json.message();

  std::string truncated = ReadFileOrDie(SharedData("reddit/askreddit_new_listing.json")).substr(0, 5000);
  Status cut = connector->Parse(truncated, Context("cut.json"), out);
  EXPECT_EQ(cut.code(), StatusCode::kInvalidArgument);

  Status pretty_cut = connector->Parse("{\n  \"kind\": \"Listing\",\n  \"data\": {\n", Context("p.json"), out);
  EXPECT_EQ(pretty_cut.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(out.order.empty());
}

TEST(RedditConnectorTest, JsonThatIsNoListingIsAnError) {
  RecordCollector out;
  Status s = NewRedditConnector()->Parse(R"({"message": "Forbidden", "error": 403})", Context("e.json"), out);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "e.json: line 1: not a Reddit Listing or thing: the object has no \"kind\"");
  Status number = NewRedditConnector()->Parse("42", Context("n.json"), out);
  EXPECT_EQ(number.message(), "n.json: line 1: expected a Reddit Listing, got integer");
}

// Returns a one-line Listing holding `things` (comma-separated JSON).
std::string Listing(const std::string& things) {
  return R"({"kind":"Listing","data":{"after":null,"children":[)" + things + "]}}";
}

const char kComment[] =
    R"({"kind":"t1","data":{"id":"c1","name":"t1_c1","author":"ann","body":"hi &amp; bye &lt;3",)"
    R"("parent_id":"t3_p1","link_id":"t3_p1","subreddit":"test","score":4,"created_utc":1467590690.5,"replies":""}})";

TEST(RedditConnectorTest, ReadsJsonLinesAndRejectsBadLines) {
  std::string input = Listing(kComment) + "\n{not json\n\n" +
                      Listing(R"({"kind":"t3","data":{"id":"p1","name":"t3_p1","author":"bob","title":"T",)"
                              R"("selftext":"","permalink":"/r/test/comments/p1/t/","score":1,"num_comments":0,)"
                              R"("created_utc":1467590000,"is_self":true,"url":"https://www.reddit.com/r/test/comments/p1/t/"}})") +
                      "\n";
  ParseContext ctx = Context("lines.jsonl");
  ctx.line = 10;
  RecordCollector out = ParseReddit(input, ctx);
  EXPECT_EQ(out.order, "mrm");
  ASSERT_EQ(out.mentions.size(), 2u);
  EXPECT_EQ(out.mentions[0].ref.line, 10);
  EXPECT_EQ(out.mentions[0].mention.text, "hi & bye <3");  // entities decoded
  EXPECT_EQ(out.mentions[0].mention.created_at_ms, 1467590690500);
  EXPECT_EQ(out.mentions[1].ref.line, 13);
  EXPECT_EQ(out.mentions[1].ref.index, 3);
  ASSERT_EQ(out.rejects.size(), 1u);
  EXPECT_EQ(out.rejects[0].ref.line, 11);
  EXPECT_TRUE(out.rejects[0].reason.starts_with("line 11: invalid JSON")) << out.rejects[0].reason;
  EXPECT_EQ(out.rejects[0].raw, "{not json");
}

TEST(RedditConnectorTest, SkipsMoreAndDeletedComments) {
  std::string input = Listing(
      R"({"kind":"more","data":{"count":12,"children":["abc"]}},)"
      R"({"kind":"t1","data":{"id":"c2","name":"t1_c2","author":"[deleted]","body":"[deleted]","parent_id":"t3_p1",)"
      R"("created_utc":1467590690}},)"
      R"({"kind":"t1","data":{"id":"c3","name":"t1_c3","author":"[deleted]","body":"still here","parent_id":"t3_p1",)"
      R"("link_id":"t3_p1","subreddit":"test","created_utc":1467590690}})");
  RecordCollector out = ParseReddit(input);
  EXPECT_EQ(out.order, "ssm");
  ASSERT_EQ(out.skips.size(), 2u);
  EXPECT_EQ(out.skips[0].reason, "line 1, child 1: a \"more\" thing is not a post or comment");
  EXPECT_EQ(out.skips[1].reason, "line 1, child 2, t1_c2: comment [deleted]");
  ASSERT_EQ(out.mentions.size(), 1u);
  EXPECT_EQ(out.mentions[0].mention.author.handle, "");
  EXPECT_EQ(out.mentions[0].mention.author.profile_url, "");
  EXPECT_EQ(out.mentions[0].mention.engagement.likes, -1);
}

TEST(RedditConnectorTest, LinkPostLinksItsTarget) {
  std::string input = Listing(
      R"({"kind":"t3","data":{"id":"p2","name":"t3_p2","author":"cat","title":"A &amp; B","selftext":"",)"
      R"("url":"https://example.com/story?a=1&amp;b=2","is_self":false,"permalink":"/r/news/comments/p2/a_b/",)"
      R"("created_utc":1456821458.0,"score":10,"num_comments":3}})");
  RecordCollector out = ParseReddit(input);
  ASSERT_EQ(out.mentions.size(), 1u);
  const Mention& m = out.mentions[0].mention;
  EXPECT_EQ(m.title, "A & B");
  EXPECT_EQ(m.links, (Strings{"https://example.com/story?a=1&b=2"}));
  EXPECT_EQ(m.url, "https://www.reddit.com/r/news/comments/p2/a_b/");
  EXPECT_EQ(m.site, "reddit.com");
}

TEST(RedditConnectorTest, RejectsBadThingsAndKeepsTheirNeighbours) {
  std::string input = Listing(
      std::string(kComment) + "," + R"("just a string",)" +
      R"({"kind":"t1","data":{"name":"t1_c4","body":"x","parent_id":"t3_p1","score":"many","created_utc":1}},)" +
      R"({"kind":"t1","data":{"name":"t1_c5","body":"x","parent_id":"t3_p1"}},)" +
      R"({"kind":"t1","data":{"body":"no name"}},)" + R"({"kind":"t1"},)" + kComment);
  ParseContext ctx;
  ctx.channel = Channel::kCommunity;
  RecordCollector out = ParseReddit(input, ctx);
  EXPECT_EQ(out.order, "mrrrrrm");
  ASSERT_EQ(out.rejects.size(), 5u);
  EXPECT_EQ(out.rejects[0].reason, "line 1, child 2: expected a Reddit thing object, got string");
  EXPECT_EQ(out.rejects[0].raw, "\"just a string\"");
  EXPECT_EQ(out.rejects[1].reason, "line 1, child 3, t1_c4: field \"score\": expected an integer, got string");
  EXPECT_EQ(out.rejects[2].reason, "line 1, child 4, t1_c5: missing field \"created_utc\"");
  EXPECT_EQ(out.rejects[3].reason, "line 1, child 5: t1 thing without \"name\" or \"id\"");
  EXPECT_EQ(out.rejects[4].reason, "line 1, child 6: t1 thing without \"data\"");
  EXPECT_EQ(out.rejects[4].raw, R"({"kind":"t1"})");
  for (const auto& r : out.mentions) EXPECT_EQ(r.mention.channel, Channel::kCommunity);
}

TEST(RedditConnectorTest, PrettyPrintedDocumentHasNoRecordLines) {
  std::string input = "[\n" + Listing(kComment) + "\n]\n";
  RecordCollector out = ParseReddit(input);
  ASSERT_EQ(out.mentions.size(), 1u);
  EXPECT_EQ(out.mentions[0].ref.line, 0);
  EXPECT_EQ(out.mentions[0].ref.index, 1);
}

TEST(RedditConnectorTest, EmptyInputReportsNothing) {
  RecordCollector out = ParseReddit("  \n");
  EXPECT_TRUE(out.order.empty());
}

// Regression: a parent_id written with control-character escapes kept them
// in in_reply_to (found by reddit_connector_fuzz).
TEST(RedditConnectorTest, ControlCharacterEscapesAreCleanedFromParentIds) {
  RecordCollector out = ParseReddit(Listing(
      R"({"kind":"t1","data":{"name":"t1_c6\u0001","body":"x","parent_id":"t3_p1\u001b","created_utc":1}})"));
  ASSERT_EQ(out.mentions.size(), 1u);
  EXPECT_EQ(out.mentions[0].mention.id, "reddit:t1_c6");
  EXPECT_EQ(out.mentions[0].mention.in_reply_to, "reddit:t3_p1");
}

}  // namespace
}  // namespace earshot::ingest
