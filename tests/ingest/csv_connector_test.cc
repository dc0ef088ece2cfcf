#include "ingest/csv_connector.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/hash.h"
#include "ingest/record_collector.h"
#include "testutil.h"

namespace earshot::ingest {
namespace {

using earshot::testing::ReadFileOrDie;
using earshot::testing::SharedData;
using testing::RecordCollector;
using Strings = std::vector<std::string>;

// Returns a ParseContext naming `file` and `source_name`.
ParseContext Context(std::string_view file = "", std::string source_name = "") {
  ParseContext ctx;
  ctx.file = file;
  ctx.source_name = std::move(source_name);
  return ctx;
}

RecordCollector ParseCsv(std::string_view input, const ParseContext& ctx = {}) {
  RecordCollector out;
  auto connector = NewCsvConnector();
  Status s = connector->Parse(input, ctx, out);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return out;
}

TEST(CsvConnectorTest, NameAndFraming) {
  auto connector = NewCsvConnector();
  EXPECT_EQ(connector->Name(), "csv");
  EXPECT_EQ(connector->framing(), Framing::kDocument);
}

TEST(CsvConnectorTest, ReadsTheWholeSandersCorpus) {
  std::string input = ReadFileOrDie(SharedData("tweets-sanders/full-corpus.csv"));
  ParseContext ctx = Context("full-corpus.csv", "sanders");
  RecordCollector out = ParseCsv(input, ctx);
  EXPECT_EQ(out.mentions.size(), 5113u);
  EXPECT_TRUE(out.rejects.empty()) << out.rejects.front().reason;
  EXPECT_TRUE(out.skips.empty());

  // Row 1 (file line 2).
  const auto& first = out.mentions.front();
  EXPECT_EQ(first.ref.line, 2);
  EXPECT_EQ(first.ref.index, 1);
  EXPECT_EQ(first.mention.id, "csv:sanders:126415614616154112");
  EXPECT_EQ(first.mention.source, "csv");
  EXPECT_EQ(first.mention.external_id, "sanders:126415614616154112");
  EXPECT_EQ(first.mention.created_at_ms, 1318974805000);  // Tue Oct 18 21:53:25 +0000 2011
  EXPECT_EQ(first.mention.text,
            "Now all @Apple has to do is get swype on the iphone and it will be crack. Iphone that is");
  EXPECT_EQ(first.mention.mentioned, (Strings{"Apple"}));
  EXPECT_EQ(first.mention.channel, Channel::kOther);

  // Row 42 (file line 45) has a line break inside its quoted text.
  const auto& multiline = out.mentions[41];
  EXPECT_EQ(multiline.ref.line, 45);
  EXPECT_EQ(multiline.mention.external_id, "sanders:126180209501286400");
  EXPECT_EQ(multiline.mention.created_at_ms, 1318918681000);  // Tue Oct 18 06:18:01 +0000 2011
  EXPECT_EQ(multiline.mention.text, "Lmfao look at the argument I had with Siri !!\n@ijustine @apple http://t.co/D4VjL7SI");
  EXPECT_EQ(multiline.mention.mentioned, (Strings{"ijustine", "apple"}));
  EXPECT_EQ(multiline.mention.links, (Strings{"http://t.co/D4VjL7SI"}));

  // Row 26 (file line 27) has doubled quotes.
  const auto& quoted = out.mentions[25];
  EXPECT_EQ(quoted.ref.line, 27);
  EXPECT_EQ(quoted.mention.external_id, "sanders:126318009647235072");
  EXPECT_EQ(quoted.mention.created_at_ms, 1318951535000);  // Tue Oct 18 15:25:35 +0000 2011
  EXPECT_EQ(quoted.mention.text,
            "RT @TripLingo: We're one of a few \"Featured Education Apps\" on the @Apple **Website** today, sweet! "
            "http://t.co/0yWvbe1Z");

  // Row 30 keeps its HTML entity as written.
  EXPECT_EQ(out.mentions[29].mention.text, "&lt;3 #ios5 @apple");
  EXPECT_EQ(out.mentions[29].mention.hashtags, (Strings{"ios5"}));

  // Row 2850 (file line 2994) has a lone carriage return in its text; lines
  // count "\n" only, so it starts no line.
  const auto& lone_cr = out.mentions[2849];
  EXPECT_EQ(lone_cr.ref.line, 2994);
  EXPECT_EQ(lone_cr.mention.external_id, "sanders:126728328358014980");
  EXPECT_EQ(lone_cr.mention.text,
            "#Microsoft Excel Tips: How To Alternate the Color Between Rows #tips \rhttp://t.co/WJWREFjJ");
  EXPECT_EQ(lone_cr.mention.hashtags, (Strings{"Microsoft", "tips"}));
  EXPECT_EQ(lone_cr.mention.links, (Strings{"http://t.co/WJWREFjJ"}));

  // The last row (file line 5395).
  const auto& last = out.mentions.back();
  EXPECT_EQ(last.ref.line, 5395);
  EXPECT_EQ(last.ref.index, 5113);
  EXPECT_EQ(last.mention.id, "csv:sanders:126854423317188608");
  EXPECT_EQ(last.mention.created_at_ms, 1319079426000);  // Thu Oct 20 02:57:06 +0000 2011
  EXPECT_EQ(last.mention.hashtags, (Strings{"seguiram", "twitter", "RT"}));
}

TEST(CsvConnectorTest, UsesCsvAsSourceNameByDefaultAndStartsAtFirstIndex) {
  ParseContext ctx;
  ctx.first_index = 40;
  RecordCollector out = ParseCsv("id,text\n7,hello\n", ctx);
  ASSERT_EQ(out.mentions.size(), 1u);
  EXPECT_EQ(out.mentions[0].mention.id, "csv:csv:7");
  EXPECT_EQ(out.mentions[0].ref.index, 40);
}

TEST(CsvConnectorTest, MapsEveryAliasedColumn) {
  std::string input =
      "Post_ID,Message,Published,Screen_Name,Permalink,Subject,Language,Channel,Followers_Count,User_Location\n"
      "p1,Loving the new #release from @acme https://acme.example/blog,2021-04-01T15:52:31Z,@jdoe,"
      "https://www.Example.com/p/1,Launch day,en-US,Blog,1234,\"Austin, TX\"\n";
  RecordCollector out = ParseCsv(input, Context("", "export"));
  ASSERT_EQ(out.mentions.size(), 1u) << (out.rejects.empty() ? "" : out.rejects[0].reason);
  const Mention& m = out.mentions[0].mention;
  EXPECT_EQ(m.id, "csv:export:p1");
  EXPECT_EQ(m.text, "Loving the new #release from @acme https://acme.example/blog");
  EXPECT_EQ(m.created_at_ms, 1617292351000);
  EXPECT_EQ(m.author.handle, "jdoe");
  EXPECT_EQ(m.author.followers, 1234);
  EXPECT_EQ(m.author.profile_location, "Austin, TX");
  EXPECT_EQ(m.url, "https://www.Example.com/p/1");
  EXPECT_EQ(m.site, "example.com");
  EXPECT_EQ(m.title, "Launch day");
  EXPECT_EQ(m.language, "en");
  EXPECT_EQ(m.channel, Channel::kBlog);
  EXPECT_EQ(m.hashtags, (Strings{"release"}));
  EXPECT_EQ(m.mentioned, (Strings{"acme"}));
  EXPECT_EQ(m.links, (Strings{"https://acme.example/blog"}));
}

TEST(CsvConnectorTest, MappingOverridesTheAliases) {
  // "text" would match by alias; the mapping points text at "Comment" instead.
  std::string input =
      "Ref,Comment,text,When,Who\n"
      "A-1,I like it,ignored,1318974805,alice\n";
  ParseContext ctx = Context("", "crm");
  ctx.csv_mapping = {{"id", "Ref"}, {"text", "comment"}, {"created_at", "When"}, {"author", "Who"}};
  RecordCollector out = ParseCsv(input, ctx);
  ASSERT_EQ(out.mentions.size(), 1u);
  const Mention& m = out.mentions[0].mention;
  EXPECT_EQ(m.id, "csv:crm:A-1");
  EXPECT_EQ(m.text, "I like it");
  EXPECT_EQ(m.created_at_ms, 1318974805000);
  EXPECT_EQ(m.author.handle, "alice");
}

TEST(CsvConnectorTest, ChannelColumnWinsOverContextWhichWinsOverDefault) {
  std::string input = "text,channel\nfrom column,news\nfrom context,\n";
  ParseContext ctx;
  ctx.channel = Channel::kReview;
  RecordCollector out = ParseCsv(input, ctx);
  ASSERT_EQ(out.mentions.size(), 2u);
  EXPECT_EQ(out.mentions[0].mention.channel, Channel::kNews);
  EXPECT_EQ(out.mentions[1].mention.channel, Channel::kReview);
}

TEST(CsvConnectorTest, HashesRowsWithoutIdStably) {
  std::string input = "text,date,author\nsame words,2011-10-18,bob\nother words,2011-10-18,bob\n";
  RecordCollector a = ParseCsv(input);
  RecordCollector b = ParseCsv(input);
  ASSERT_EQ(a.mentions.size(), 2u);
  ASSERT_EQ(b.mentions.size(), 2u);
  EXPECT_EQ(a.mentions[0].mention.id, b.mentions[0].mention.id);
  EXPECT_NE(a.mentions[0].mention.id, a.mentions[1].mention.id);
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx",
                static_cast<unsigned long long>(Hash64(std::string("same words\x1f") + "2011-10-18\x1f" + "bob")));
  EXPECT_EQ(a.mentions[0].mention.id, std::string("csv:csv:") + hex);
}

TEST(CsvConnectorTest, KeepsGoodRowsAroundBadOnes) {
  std::string input =
      "id,text,date\n"
      "1,first,2011-10-18T21:53:25Z\n"
      "2,bad date,yesterday-ish\n"
      "3,,2011-10-18T21:53:25Z\n"
      "4,too,many,fields\n"
      "5,\"unterminated,2011-10-18T21:53:25Z\n"
      "6,last,2011-10-18T21:53:25Z\n";
  RecordCollector out = ParseCsv(input, Context("mixed.csv"));
  ASSERT_EQ(out.mentions.size(), 2u);
  EXPECT_EQ(out.mentions[0].mention.external_id, "csv:1");
  EXPECT_EQ(out.mentions[0].ref.line, 2);
  EXPECT_EQ(out.mentions[1].mention.external_id, "csv:6");
  EXPECT_EQ(out.mentions[1].ref.line, 7);
  EXPECT_EQ(out.mentions[1].ref.index, 6);
  EXPECT_EQ(out.order, "mrrrrm");

  ASSERT_EQ(out.rejects.size(), 4u);
  EXPECT_EQ(out.rejects[0].ref.line, 3);
  EXPECT_EQ(out.rejects[0].reason, "line 3, column \"date\": cannot parse date \"yesterday-ish\"");
  EXPECT_EQ(out.rejects[0].raw, "2,bad date,yesterday-ish");
  EXPECT_EQ(out.rejects[1].reason, "line 4, column \"text\": empty text");
  EXPECT_EQ(out.rejects[2].reason, "line 5: 4 fields, the header has 3");
  EXPECT_EQ(out.rejects[3].ref.line, 6);
  EXPECT_EQ(out.rejects[3].reason, "line 6, field 2: quoted field opened on line 6 is never closed");
  EXPECT_EQ(out.rejects[3].raw, "5,\"unterminated,2011-10-18T21:53:25Z");
}

TEST(CsvConnectorTest, RejectsUnknownChannelAndBadFollowerCount) {
  std::string input = "text,channel,followers\na,tv,\nb,,lots\nc,forum,12\n";
  RecordCollector out = ParseCsv(input);
  ASSERT_EQ(out.mentions.size(), 1u);
  EXPECT_EQ(out.mentions[0].mention.author.followers, 12);
  ASSERT_EQ(out.rejects.size(), 2u);
  EXPECT_EQ(out.rejects[0].reason,
            "line 2, column \"channel\": unknown channel \"tv\" (channels: microblog, blog, news, forum, community, "
            "video, review, other)");
  EXPECT_EQ(out.rejects[1].reason, "line 3, column \"followers\": not a follower count: \"lots\"");
}

TEST(CsvConnectorTest, TitleAloneIsEnough) {
  RecordCollector out = ParseCsv("title,body\nA headline,\n,\n");
  ASSERT_EQ(out.mentions.size(), 1u);
  EXPECT_EQ(out.mentions[0].mention.title, "A headline");
  ASSERT_EQ(out.rejects.size(), 1u);
  EXPECT_EQ(out.rejects[0].reason, "line 3, column \"body\": empty text and title");
}

TEST(CsvConnectorTest, RejectsRowsOverTheRecordLimit) {
  std::string input = "text\nshort\n" + std::string(200, 'x') + "\n";
  ParseContext ctx;
  ctx.max_record_bytes = 100;
  RecordCollector out = ParseCsv(input, ctx);
  ASSERT_EQ(out.mentions.size(), 1u);
  ASSERT_EQ(out.rejects.size(), 1u);
  EXPECT_EQ(out.rejects[0].reason, "line 3: row of 200 bytes exceeds the limit of 100");
}

TEST(CsvConnectorTest, RepairsInvalidUtf8) {
  RecordCollector out = ParseCsv("text\nG\xF6teborg\n");
  ASSERT_EQ(out.mentions.size(), 1u);
  EXPECT_EQ(out.mentions[0].mention.text, "G\xEF\xBF\xBDteborg");
}

TEST(CsvConnectorTest, MissingTextColumnListsColumnsAndAcceptedNames) {
  RecordCollector out;
  Status s = NewCsvConnector()->Parse("Topic,TweetId\napple,1\n", Context("x.csv"), out);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "x.csv: line 1: no text column; columns found: \"Topic\", \"TweetId\"; accepted names: text, tweettext, "
            "body, content, message, full_text (or map one with text=<column>)");
  EXPECT_TRUE(out.order.empty());
}

TEST(CsvConnectorTest, BadMappingIsAnError) {
  RecordCollector out;
  auto connector = NewCsvConnector();
  ParseContext unknown_ctx;
  unknown_ctx.csv_mapping = {{"txt", "a"}};
  Status unknown_field = connector->Parse("a\nb\n", unknown_ctx, out);
  EXPECT_EQ(unknown_field.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(unknown_field.message().find("unknown field \"txt\""), std::string::npos) << unknown_field.message();
  ParseContext missing_ctx;
  missing_ctx.csv_mapping = {{"text", "body"}};
  Status missing_column = connector->Parse("a\nb\n", missing_ctx, out);
  EXPECT_EQ(missing_column.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(missing_column.message().find("no column \"body\" (columns found: \"a\")"), std::string::npos)
      << missing_column.message();
}

TEST(CsvConnectorTest, EmptyInputHasNoHeader) {
  RecordCollector out;
  Status s = NewCsvConnector()->Parse("", Context("empty.csv"), out);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "empty.csv: empty CSV: no header row");
}

TEST(CsvConnectorTest, HeaderOnlyHasNoRecords) {
  RecordCollector out = ParseCsv("id,text\r\n");
  EXPECT_TRUE(out.order.empty());
}

}  // namespace
}  // namespace earshot::ingest
