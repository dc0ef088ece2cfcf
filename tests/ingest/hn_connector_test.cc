#include "ingest/hn_connector.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/strings.h"
#include "ingest/record_collector.h"
#include "testutil.h"

namespace earshot::ingest {
namespace {

using earshot::testing::ReadFileOrDie;
using earshot::testing::SharedData;
using testing::RecordCollector;
using Strings = std::vector<std::string>;

ParseContext Context(std::string_view file, int64_t line = 1, int64_t first_index = 1) {
  ParseContext ctx;
  ctx.file = file;
  ctx.line = line;
  ctx.first_index = first_index;
  return ctx;
}

// Feeds `input` line by line, as the ingest driver does for kLines.
RecordCollector ParseLines(std::string_view input, std::string_view file = "items.jsonl") {
  RecordCollector out;
  auto connector = NewHnConnector();
  int64_t line_no = 0;
  for (std::string_view line : Split(input, '\n')) {
    ++line_no;
    if (TrimAscii(line).empty()) continue;
    Status s = connector->Parse(line, Context(file, line_no, static_cast<int64_t>(out.order.size()) + 1), out);
    EXPECT_TRUE(s.ok()) << s.ToString();
  }
  return out;
}

RecordCollector ParseWhole(std::string_view input, const ParseContext& ctx = Context("hn.json")) {
  RecordCollector out;
  Status s = NewHnConnector()->Parse(input, ctx, out);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return out;
}

TEST(HnConnectorTest, NameAndFraming) {
  auto connector = NewHnConnector();
  EXPECT_EQ(connector->Name(), "hn");
  EXPECT_EQ(connector->framing(), Framing::kLines);
}

TEST(HnConnectorTest, ReadsAllSixApiItems) {
  RecordCollector out = ParseLines(ReadFileOrDie(SharedData("hn/items.jsonl")));
  EXPECT_EQ(out.order, "mmmmmm");
  ASSERT_EQ(out.mentions.size(), 6u);
  for (size_t i = 0; i < 6; ++i) {
    EXPECT_EQ(out.mentions[i].ref.line, static_cast<int64_t>(i + 1));
    EXPECT_EQ(out.mentions[i].ref.index, static_cast<int64_t>(i + 1));
    EXPECT_EQ(out.mentions[i].mention.source, "hn");
    EXPECT_EQ(out.mentions[i].mention.channel, Channel::kForum);
  }

  const Mention& story = out.mentions[0].mention;
  EXPECT_EQ(story.id, "hn:8863");
  EXPECT_EQ(story.external_id, "8863");
  EXPECT_EQ(story.url, "http://www.getdropbox.com/u/2/screencast.html");
  EXPECT_EQ(story.site, "getdropbox.com");
  EXPECT_EQ(story.author.handle, "dhouston");
  EXPECT_EQ(story.author.profile_url, "https://news.ycombinator.com/user?id=dhouston");
  EXPECT_EQ(story.title, "My YC app: Dropbox - Throw away your USB drive");
  EXPECT_EQ(story.text, "");
  EXPECT_EQ(story.links, (Strings{"http://www.getdropbox.com/u/2/screencast.html"}));
  EXPECT_EQ(story.created_at_ms, 1175714200000);
  EXPECT_EQ(story.in_reply_to, "");
  EXPECT_EQ(story.engagement.likes, 111);
  EXPECT_EQ(story.engagement.replies, 71);

  const Mention& comment = out.mentions[1].mention;
  EXPECT_EQ(comment.id, "hn:2921983");
  EXPECT_EQ(comment.url, "https://news.ycombinator.com/item?id=2921983");
  EXPECT_EQ(comment.site, "news.ycombinator.com");
  EXPECT_EQ(comment.author.handle, "norvig");
  EXPECT_EQ(comment.title, "");
  EXPECT_EQ(comment.text,
            "Aw shucks, guys ... you make me blush with your compliments.\n"
            "Tell you what, Ill make a deal: I'll keep writing if you keep reading. K?");
  EXPECT_EQ(comment.in_reply_to, "hn:2921506");
  EXPECT_EQ(comment.created_at_ms, 1314211127000);
  EXPECT_EQ(comment.engagement.likes, -1);
  EXPECT_EQ(comment.engagement.replies, 7);  // kids
  EXPECT_TRUE(comment.links.empty());

  const Mention& ask = out.mentions[2].mention;
  EXPECT_EQ(ask.id, "hn:121003");
  EXPECT_EQ(ask.title, "Ask HN: The Arc Effect");
  EXPECT_EQ(ask.url, "https://news.ycombinator.com/item?id=121003");
  EXPECT_EQ(ask.site, "news.ycombinator.com");
  EXPECT_EQ(ask.author.handle, "tel");
  EXPECT_EQ(ask.text,
            "or HN: the Next Iteration\n"
            "I get the impression that with Arc being released a lot of people who never had time for HN before are "
            "suddenly dropping in more often. (PG: what are the numbers on this? I'm envisioning a spike.)\n"
            "Not to say that isn't great, but I'm wary of Diggification. Between links comparing programming to sex "
            "and a flurry of gratuitous, ostentatious adjectives in the headlines it's a bit concerning.\n"
            "80% of the stuff that makes the front page is still pretty awesome, but what's in place to keep the "
            "signal/noise ratio high? Does the HN model still work as the community scales? What's in store for "
            "(++ HN)?");
  EXPECT_EQ(ask.created_at_ms, 1203647620000);
  EXPECT_EQ(ask.engagement.likes, 25);
  EXPECT_EQ(ask.engagement.replies, 16);
  EXPECT_TRUE(ask.links.empty());

  const Mention& job = out.mentions[3].mention;
  EXPECT_EQ(job.id, "hn:192327");
  EXPECT_EQ(job.title, "Justin.tv is looking for a Lead Flash Engineer!");
  EXPECT_EQ(job.url, "https://news.ycombinator.com/item?id=192327");  // "url": ""
  EXPECT_EQ(job.site, "news.ycombinator.com");
  EXPECT_EQ(job.author.handle, "justin");
  EXPECT_EQ(job.links, (Strings{"http://www.justin.tv/problems/bml"}));
  // Paragraphs and <pre> lines become lines; the code block's indentation
  // collapses like all whitespace.
  EXPECT_EQ(job.text,
            "Justin.tv is the biggest live video site online. We serve hundreds of thousands of video streams a day, "
            "and have supported up to 50k live concurrent viewers. Our site is growing every week, and we just added "
            "a 10 gbps line to our colo. Our unique visitors are up 900% since January.\n"
            "There are a lot of pieces that fit together to make Justin.tv work: our video cluster, IRC server, our "
            "web app, and our monitoring and search services, to name a few. A lot of our website is dependent on "
            "Flash, and we're looking for talented Flash Engineers who know AS2 and AS3 very well who want to be "
            "leaders in the development of our Flash.\n"
            "Responsibilities\n"
            "* Contribute to product design and implementation discussions\n"
            "* Implement projects from the idea phase to production\n"
            "* Test and iterate code before and after production release\n"
            "Qualifications\n"
            "* You should know AS2, AS3, and maybe a little be of Flex.\n"
            "* Experience building web applications.\n"
            "* A strong desire to work on website with passionate users and ideas for how to improve it.\n"
            "* Experience hacking video streams, python, Twisted or rails all a plus.\n"
            "While we're growing rapidly, Justin.tv is still a small, technology focused company, built by hackers "
            "for hackers. Seven of our ten person team are engineers or designers. We believe in rapid development, "
            "and push out new code releases every week. We're based in a beautiful office in the SOMA district of "
            "SF, one block from the caltrain station. If you want a fun job hacking on code that will touch a lot of "
            "people, JTV is for you.\n"
            "Note: You must be physically present in SF to work for JTV. Completing the technical problem at "
            "http://www.justin.tv/problems/bml will go a long way with us. Cheers!");
  EXPECT_EQ(job.created_at_ms, 1210981217000);
  EXPECT_EQ(job.engagement.likes, 6);
  EXPECT_EQ(job.engagement.replies, 0);

  const Mention& poll = out.mentions[4].mention;
  EXPECT_EQ(poll.id, "hn:126809");
  EXPECT_EQ(poll.title, "Poll: What would happen if News.YC had explicit support for polls?");
  EXPECT_EQ(poll.text, "");
  EXPECT_EQ(poll.author.handle, "pg");
  EXPECT_EQ(poll.created_at_ms, 1204403652000);
  EXPECT_EQ(poll.engagement.likes, 46);
  EXPECT_EQ(poll.engagement.replies, 54);
  EXPECT_EQ(poll.in_reply_to, "");

  const Mention& option = out.mentions[5].mention;
  EXPECT_EQ(option.id, "hn:160705");
  EXPECT_EQ(option.in_reply_to, "hn:160704");  // its poll
  EXPECT_EQ(option.text, "Yes, ban them; I'm tired of seeing Valleywag stories on News.YC.");
  EXPECT_EQ(option.title, "");
  EXPECT_EQ(option.author.handle, "pg");
  EXPECT_EQ(option.created_at_ms, 1207886576000);
  EXPECT_EQ(option.engagement.likes, 335);
  EXPECT_EQ(option.engagement.replies, 0);
}

// Counts are never below -1 (unknown): a negative score or descendant count
// (a poll's net score, bad data) reads as 0.
TEST(HnConnectorTest, NegativeCountsReadAsZero) {
  RecordCollector out = ParseLines(
      R"({"by":"pg","id":126809,"score":-6,"descendants":-2,"time":1204403652,"title":"Poll","type":"poll"})"
      "\n"
      R"({"by":"pg","id":126810,"time":1204403652,"title":"No counts","type":"story"})");
  ASSERT_EQ(out.mentions.size(), 2u);
  EXPECT_EQ(out.mentions[0].mention.engagement.likes, 0);
  EXPECT_EQ(out.mentions[0].mention.engagement.replies, 0);
  EXPECT_EQ(out.mentions[1].mention.engagement.likes, -1);
}

TEST(HnConnectorTest, ReadsTheWholeFileInOneCall) {
  RecordCollector out = ParseWhole(ReadFileOrDie(SharedData("hn/items.jsonl")), Context("items.jsonl", 1, 7));
  ASSERT_EQ(out.mentions.size(), 6u);
  EXPECT_EQ(out.mentions[3].mention.id, "hn:192327");
  EXPECT_EQ(out.mentions[3].ref.line, 4);
  EXPECT_EQ(out.mentions[3].ref.index, 10);
}

TEST(HnConnectorTest, ReadsAnArrayOfItems) {
  RecordCollector out = ParseWhole(
      R"([{"id": 1, "type": "story", "by": "a", "time": 1175714200, "title": "One", "url": "https://example.com/x"},)"
      R"( {"id": 2, "type": "comment", "by": "b", "time": 1175714300, "parent": 1, "text": "Two &amp; <a href=\"https://b.example/\">more</a>"}])");
  ASSERT_EQ(out.mentions.size(), 2u);
  EXPECT_EQ(out.mentions[0].mention.site, "example.com");
  EXPECT_EQ(out.mentions[0].ref.line, 1);
  EXPECT_EQ(out.mentions[1].mention.text, "Two & more");
  EXPECT_EQ(out.mentions[1].mention.links, (Strings{"https://b.example/"}));
  EXPECT_EQ(out.mentions[1].mention.in_reply_to, "hn:1");
  EXPECT_EQ(out.mentions[1].ref.index, 2);
}

TEST(HnConnectorTest, ReadsOnePrettyPrintedItem) {
  RecordCollector out = ParseWhole("\n{\n  \"id\": 8863,\n  \"by\": \"dhouston\",\n  \"time\": 1175714200,\n"
                                   "  \"title\": \"My YC app\"\n}\n",
                                   Context("item.json", 5));
  ASSERT_EQ(out.mentions.size(), 1u);
  EXPECT_EQ(out.mentions[0].ref.line, 6);  // where the object starts
  EXPECT_EQ(out.mentions[0].mention.id, "hn:8863");
}

TEST(HnConnectorTest, JobWithoutAuthorIsStillAMention) {
  RecordCollector out =
      ParseWhole(R"({"id": 192327, "type": "job", "time": 1210981217, "title": "Hiring", "text": "Come work"})");
  ASSERT_EQ(out.mentions.size(), 1u);
  EXPECT_EQ(out.mentions[0].mention.author.handle, "");
  EXPECT_EQ(out.mentions[0].mention.author.profile_url, "");
  EXPECT_EQ(out.mentions[0].mention.text, "Come work");
}

TEST(HnConnectorTest, SkipsDeletedDeadAndEmptyItems) {
  RecordCollector out = ParseLines(
      "{\"id\": 5, \"deleted\": true, \"type\": \"comment\", \"parent\": 4, \"time\": 1314211127}\n"
      "{\"id\": 6, \"dead\": true, \"by\": \"spam\", \"text\": \"buy\", \"time\": 1314211127}\n"
      "{\"id\": 7, \"by\": \"x\", \"type\": \"comment\", \"time\": 1314211127}\n");
  EXPECT_EQ(out.order, "sss");
  ASSERT_EQ(out.skips.size(), 3u);
  EXPECT_EQ(out.skips[0].reason, "line 1, item 5: deleted");
  EXPECT_EQ(out.skips[1].reason, "line 2, item 6: dead (flagged or killed)");
  EXPECT_EQ(out.skips[2].reason, "line 3, item 7: no title or text");
  EXPECT_EQ(out.skips[2].ref.line, 3);
}

TEST(HnConnectorTest, RejectsBadItemsAndKeepsTheirNeighbours) {
  RecordCollector out = ParseLines(
      "{\"id\": 1, \"by\": \"a\", \"time\": 1175714200, \"title\": \"ok\"}\n"
      "{\"id\": 2, \"by\": \"a\", \"time\": 1175714200, \"title\": \n"
      "{\"id\": 3, \"by\": \"a\", \"time\": 1175714200, \"title\": \"t\", \"score\": \"111\"}\n"
      "{\"by\": \"a\", \"time\": 1175714200, \"title\": \"no id\"}\n"
      "{\"id\": 5, \"by\": \"a\", \"title\": \"no time\"}\n"
      "{\"id\": 6, \"by\": \"a\", \"time\": -5, \"title\": \"bad time\"}\n"
      "[1, {\"id\": 7, \"by\": 7, \"time\": 1175714200, \"title\": \"t\"}]\n"
      "{\"id\": \"x8\", \"time\": 1175714200, \"title\": \"t\"}\n"
      "{\"id\": 9, \"by\": \"a\", \"time\": 1175714200, \"title\": \"last\"}\n");
  EXPECT_EQ(out.order, "mrrrrrrrrm");
  ASSERT_EQ(out.rejects.size(), 8u);
  EXPECT_EQ(out.rejects[0].ref.line, 2);
  EXPECT_TRUE(out.rejects[0].reason.starts_with("line 2: invalid JSON")) << out.rejects[0].reason;
  EXPECT_EQ(out.rejects[1].reason, "line 3, item 3: field \"score\": expected an integer, got string");
  EXPECT_EQ(out.rejects[2].reason, "line 4: item has no \"id\"");
  EXPECT_EQ(out.rejects[3].reason, "line 5, item 5: missing field \"time\"");
  EXPECT_EQ(out.rejects[4].reason, "line 6, item 6: field \"time\": -5 is not a Unix time in seconds");
  EXPECT_EQ(out.rejects[5].reason, "line 7, array element 1: expected an item object, got integer");
  EXPECT_EQ(out.rejects[5].raw, "1");
  EXPECT_EQ(out.rejects[6].reason, "line 7, array element 2, item 7: field \"by\": expected a string, got integer");
  EXPECT_EQ(out.rejects[6].raw, R"({"id":7,"by":7,"time":1175714200,"title":"t"})");
  EXPECT_EQ(out.rejects[7].reason, "line 8: field \"id\": expected an integer id, got string");
  EXPECT_EQ(out.mentions[1].mention.id, "hn:9");
  EXPECT_EQ(out.mentions[1].ref.line, 9);
  EXPECT_EQ(out.mentions[1].ref.index, 10);
}

TEST(HnConnectorTest, ContextChannelOverridesForum) {
  ParseContext ctx = Context("hn.json");
  ctx.channel = Channel::kCommunity;
  RecordCollector out = ParseWhole(R"({"id": 1, "by": "a", "time": 1175714200, "title": "t"})", ctx);
  ASSERT_EQ(out.mentions.size(), 1u);
  EXPECT_EQ(out.mentions[0].mention.channel, Channel::kCommunity);
}

TEST(HnConnectorTest, RejectsOverlongLines) {
  ParseContext ctx = Context("hn.json");
  ctx.max_record_bytes = 64;
  std::string line = R"({"id": 1, "by": "a", "time": 1175714200, "title": ")" + std::string(100, 'x') + "\"}";
  RecordCollector out = ParseWhole(line, ctx);
  ASSERT_EQ(out.rejects.size(), 1u);
  EXPECT_NE(out.rejects[0].reason.find("exceeds the limit of 64 bytes"), std::string::npos) << out.rejects[0].reason;
}

TEST(HnConnectorTest, MultiLineInputWithoutAnyJsonIsAnError) {
  RecordCollector out;
  Status s = NewHnConnector()->Parse("not json\nat all\n", Context("junk.txt"), out);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(s.message().starts_with("junk.txt: not JSON")) << s.message();
  EXPECT_TRUE(out.order.empty());
}

}  // namespace
}  // namespace earshot::ingest
