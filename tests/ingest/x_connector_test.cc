#include "ingest/x_connector.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>
#include <string_view>

#include "core/strings.h"
#include "ingest/json_util.h"
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

RecordCollector ParseFile(const std::string& rel) {
  RecordCollector sink;
  std::unique_ptr<Connector> x = NewXConnector();
  FeedLines(*x, ReadFileOrDie(SharedData(rel)), sink);
  return sink;
}

RecordCollector ParseText(std::string_view text, const ParseContext& ctx = Context("inline")) {
  RecordCollector sink;
  std::unique_ptr<Connector> x = NewXConnector();
  EXPECT_OK(x->Parse(text, ctx, sink));
  return sink;
}

TEST(XConnectorTest, NameAndFraming) {
  std::unique_ptr<Connector> x = NewXConnector();
  EXPECT_EQ(x->Name(), "x");
  EXPECT_EQ(x->framing(), Framing::kLines);
}

TEST(XConnectorTest, BrexitSearchPageGivesHundredMentions) {
  RecordCollector sink = ParseFile("x-v2/brexit.jsonl");
  ASSERT_EQ(sink.mentions.size(), 100u);
  EXPECT_TRUE(sink.rejects.empty());
  EXPECT_TRUE(sink.skips.empty());
  for (size_t i = 0; i < sink.mentions.size(); ++i) {
    EXPECT_EQ(sink.mentions[i].ref.line, 1);
    EXPECT_EQ(sink.mentions[i].ref.index, static_cast<int64_t>(i + 1));
  }
}

TEST(XConnectorTest, BrexitFirstTweetFields) {
  RecordCollector sink = ParseFile("x-v2/brexit.jsonl");
  ASSERT_FALSE(sink.mentions.empty());
  const Mention& m = sink.mentions[0].mention;
  EXPECT_EQ(m.id, "x:1440716895355764743");
  EXPECT_EQ(m.source, "x");
  EXPECT_EQ(m.external_id, "1440716895355764743");
  EXPECT_EQ(m.channel, Channel::kMicroblog);
  EXPECT_EQ(m.url, "https://twitter.com/WarmongerHodges/status/1440716895355764743");
  EXPECT_EQ(m.site, "twitter.com");
  EXPECT_EQ(m.author.handle, "WarmongerHodges");
  EXPECT_EQ(m.author.display_name,
            "Frank Owen's Legendary Paintbrush \U0001F7E8\U0001F7E5\U0001F940\U0001F1F5\U0001F1F8");
  EXPECT_EQ(m.author.followers, 34920);
  EXPECT_EQ(m.author.profile_location, "");
  EXPECT_EQ(m.author.profile_url, "https://twitter.com/WarmongerHodges");
  EXPECT_EQ(m.text,
            "The same Labour MPs that were happy to cite party members wanting a #PeoplesVote to pressure Corbyn into "
            "changing Labour's #Brexit policy are now saying party members are too thick to be trusted to choose the "
            "next Labour leader.\n\nTypical \"centrists\". No principles.");
  EXPECT_EQ(m.language, "en");
  EXPECT_EQ(m.created_at_ms, 1632328649000);  // 2021-09-22T16:37:29.000Z
  EXPECT_EQ(m.hashtags, (std::vector<std::string>{"PeoplesVote", "Brexit"}));
  EXPECT_TRUE(m.mentioned.empty());
  EXPECT_TRUE(m.links.empty());
  EXPECT_TRUE(m.in_reply_to.empty());
  EXPECT_TRUE(m.reshare_of.empty());
  EXPECT_TRUE(m.quote_of.empty());
  EXPECT_EQ(m.engagement.likes, 0);
  EXPECT_EQ(m.engagement.reshares, 0);
  EXPECT_EQ(m.engagement.replies, 0);
  EXPECT_EQ(m.engagement.quotes, 0);
  EXPECT_EQ(m.engagement.views, -1);  // no impression_count in 2021
  EXPECT_FALSE(m.geo.lat.has_value());
}

TEST(XConnectorTest, RetweetGetsFullTextOfRetweetedTweet) {
  RecordCollector sink = ParseFile("x-v2/brexit.jsonl");
  ASSERT_GE(sink.mentions.size(), 2u);
  const Mention& m = sink.mentions[1].mention;
  EXPECT_EQ(m.id, "x:1440716856763977732");
  EXPECT_EQ(m.author.handle, "jacquip537");
  EXPECT_EQ(m.author.followers, 2485);
  EXPECT_EQ(m.reshare_of, "x:1440713161355583489");
  EXPECT_EQ(m.text,
            "RT @carolJhedges: . #BorisJohnson has revealed his favourite bottle of wine, Tignanello costs \u00a3180 \n"
            "He's happy to see the \u00a320 taken from your #UniversalCredit \nSTILL feel 'levelled up'?\n"
            "STILL think he cares about your life?\nStill, he 'got #Brexit done' eh?\n\n"
            "#brexit #JohnsonOut #BorisTheLiar https://t.co/IeqDhr3WET");
  // The retweet's own entities, then the original's (the photo link is not outbound).
  EXPECT_EQ(m.hashtags, (std::vector<std::string>{"BorisJohnson", "UniversalCredit", "Brexit", "brexit", "JohnsonOut",
                                                  "BorisTheLiar"}));
  EXPECT_EQ(m.mentioned, (std::vector<std::string>{"carolJhedges"}));
  EXPECT_TRUE(m.links.empty());
  EXPECT_EQ(m.engagement.reshares, 22);
  EXPECT_EQ(m.created_at_ms, 1632328640000);
}

TEST(XConnectorTest, DecodesEntitiesAndMapsReplyAndQuote) {
  RecordCollector sink = ParseFile("x-v2/brexit.jsonl");
  ASSERT_EQ(sink.mentions.size(), 100u);
  EXPECT_EQ(sink.mentions[2].mention.text,
            "Id rather have had Billions in Debt & owned something like Corbyns Labour offered than the Billions in "
            "debt we currently have going to CEO's,Shareholders & Tory pals.\nOh you pensioners who voted #Tories "
            "dont complain its cold this winter #COVID19 #BorisTheLiar #BrexitTax #Brexit");

  const Mention& reply = sink.mentions[6].mention;
  EXPECT_EQ(reply.id, "x:1440716745577140229");
  EXPECT_EQ(reply.author.handle, "calin_a");
  EXPECT_EQ(reply.in_reply_to, "x:1440621713281093641");
  EXPECT_EQ(reply.mentioned, (std::vector<std::string>{"AndrewKnight226"}));

  const Mention& quote = sink.mentions[25].mention;
  EXPECT_EQ(quote.id, "x:1440715975020584960");
  EXPECT_EQ(quote.author.handle, "Munku1");
  EXPECT_EQ(quote.quote_of, "x:1440660748275834882");
  EXPECT_EQ(quote.text,
            "And @AngelaRayner & #NicolaSturgeon blame #Brexit..\U0001F923\U0001F923\U0001F923! "
            "https://t.co/XVlaGrnmko");
  EXPECT_EQ(quote.links, (std::vector<std::string>{"https://twitter.com/paulafr68963440/status/1440660748275834882"}));
  EXPECT_EQ(quote.hashtags, (std::vector<std::string>{"NicolaSturgeon", "Brexit"}));
}

TEST(XConnectorTest, PseudoLanguageCodesBecomeEmpty) {
  RecordCollector sink = ParseFile("x-v2/brexit.jsonl");
  ASSERT_EQ(sink.mentions.size(), 100u);
  EXPECT_EQ(sink.mentions[63].mention.language, "");  // "und"
  EXPECT_EQ(sink.mentions[39].mention.language, "de");
  EXPECT_EQ(sink.mentions[71].mention.language, "es");
}

TEST(XConnectorTest, PartialErrorsDoNotRejectTweets) {
  RecordCollector sink = ParseFile("x-v2/kpop.jsonl");
  ASSERT_EQ(sink.mentions.size(), 100u);
  EXPECT_TRUE(sink.rejects.empty());
  EXPECT_TRUE(sink.skips.empty());
  const Mention& first = sink.mentions[0].mention;
  EXPECT_EQ(first.id, "x:1440717170493689866");
  EXPECT_EQ(first.author.handle, "ximerios12_");
  EXPECT_EQ(first.language, "es");
  const Mention& placed = sink.mentions[71].mention;
  EXPECT_EQ(placed.id, "x:1440716277845139456");
  EXPECT_EQ(placed.author.handle, "TaehyungKarelly");
  EXPECT_EQ(placed.geo.country, "CO");
  EXPECT_EQ(placed.geo.place, "Soledad, Colombia");
  EXPECT_FALSE(placed.geo.lat.has_value());
  EXPECT_EQ(placed.created_at_ms, 1632328502000);
}

TEST(XConnectorTest, FilteredStreamGivesEightMentionsAndDisconnectSkip) {
  RecordCollector sink = ParseFile("x-v2/streaming_output.jsonl");
  EXPECT_EQ(sink.order, "mmmmsmmmm");
  ASSERT_EQ(sink.mentions.size(), 8u);
  ASSERT_EQ(sink.skips.size(), 1u);
  EXPECT_TRUE(sink.rejects.empty());
  EXPECT_EQ(sink.skips[0].ref.line, 5);
  EXPECT_EQ(sink.skips[0].ref.index, 5);
  EXPECT_NE(sink.skips[0].reason.find("operational-disconnect"), std::string::npos) << sink.skips[0].reason;
  EXPECT_NE(sink.skips[0].reason.find("line 5"), std::string::npos) << sink.skips[0].reason;
  EXPECT_EQ(sink.mentions[4].ref.line, 6);
  EXPECT_EQ(sink.mentions[4].ref.index, 6);

  const Mention& first = sink.mentions[0].mention;  // line 1
  EXPECT_EQ(first.id, "x:1377650090978992134");
  EXPECT_EQ(first.author.handle, "blackheart_265");
  EXPECT_EQ(first.author.followers, 881);
  EXPECT_EQ(first.author.profile_location, "Mzuzu, Malawi");
  EXPECT_EQ(first.text, "Fury https://t.co/YbMgHU5xRX https://t.co/tXgDG9jrKX");
  EXPECT_EQ(first.quote_of, "x:1377640162566496258");
  EXPECT_EQ(first.created_at_ms, 1617292351000);  // 2021-04-01T15:52:31.000Z
  EXPECT_EQ(first.geo.country, "MW");
  EXPECT_EQ(first.geo.place, "Malawi");
  // The photo link points back at the tweet; the quoted tweet's link stays.
  EXPECT_EQ(first.links, (std::vector<std::string>{"https://twitter.com/Manie_DS/status/1377640162566496258"}));

  const Mention& pinned = sink.mentions[2].mention;  // line 3: exact coordinates
  EXPECT_EQ(pinned.author.handle, "dreasaurusrex92");
  ASSERT_TRUE(pinned.geo.lat.has_value());
  ASSERT_TRUE(pinned.geo.lon.has_value());
  EXPECT_DOUBLE_EQ(*pinned.geo.lat, 34.75192228);
  EXPECT_DOUBLE_EQ(*pinned.geo.lon, -86.58216981);
  EXPECT_EQ(pinned.geo.country, "US");
  EXPECT_EQ(pinned.geo.place, "Huntsville, AL");

  EXPECT_EQ(sink.mentions[1].mention.in_reply_to.substr(0, 2), "x:");
  EXPECT_EQ(sink.mentions[1].mention.geo.place, "Bournemouth, England");
}

TEST(XConnectorTest, TruncatedStreamLineIsOneRejectNamingTheLine) {
  std::string content = ReadFileOrDie(SharedData("x-v2/streaming_output_with_error.jsonl"));
  RecordCollector sink = ParseFile("x-v2/streaming_output_with_error.jsonl");
  EXPECT_EQ(sink.order, "mmmmmmmr");
  ASSERT_EQ(sink.rejects.size(), 1u);
  const auto& reject = sink.rejects[0];
  EXPECT_EQ(reject.ref.line, 8);
  EXPECT_EQ(reject.ref.index, 8);
  EXPECT_TRUE(reject.reason.starts_with("line 8: invalid JSON")) << reject.reason;
  EXPECT_EQ(reject.raw, "{\"data\": {\"author_id\": \"1021159080151404544\"");
}

TEST(XConnectorTest, GeoCoordinatesAndPlaces) {
  RecordCollector sink = ParseFile("x-v2/geo_tweets.jsonl");
  ASSERT_EQ(sink.mentions.size(), 2u);
  const Mention& point = sink.mentions[0].mention;
  EXPECT_EQ(point.id, "x:1249702384659554308");
  EXPECT_EQ(point.author.handle, "kamanonickname");
  ASSERT_TRUE(point.geo.lat.has_value());
  EXPECT_DOUBLE_EQ(*point.geo.lat, 88.01785747);  // GeoJSON [lon, lat]
  EXPECT_DOUBLE_EQ(*point.geo.lon, 42.77810097);
  EXPECT_EQ(point.geo.country, "");
  EXPECT_EQ(point.language, "pl");
  EXPECT_EQ(point.hashtags.size(), 12u);  // 13 entities, "harrypotter" twice
  EXPECT_EQ(point.hashtags[6], "zosta\u0144wdomu");
  EXPECT_EQ(point.links, (std::vector<std::string>{"https://www.instagram.com/p/B-7ItQwBJ93/?igshid=187dqx4b5lu2y"}));
  EXPECT_EQ(point.created_at_ms, 1586787241000);

  const Mention& place = sink.mentions[1].mention;
  EXPECT_EQ(place.id, "x:1501963039859363843");
  EXPECT_EQ(place.author.handle, "IgorBrigadir");
  EXPECT_EQ(place.author.profile_location, "Ireland");
  EXPECT_FALSE(place.geo.lat.has_value());
  EXPECT_EQ(place.geo.country, "DE");
  EXPECT_EQ(place.geo.place, "Berlin, Germany");
  EXPECT_EQ(place.in_reply_to, "x:1501958949863661574");
  EXPECT_EQ(place.mentioned, (std::vector<std::string>{"j2bryson", "Twitter"}));
  EXPECT_EQ(place.links, (std::vector<std::string>{"https://twarc-project.readthedocs.io/en/latest/twarc2_en_us/"}));
  EXPECT_NE(place.text.find("you need to specify Fields & Expansions, twarc"), std::string::npos) << place.text;
  EXPECT_EQ(sink.mentions[1].ref.line, 2);
}

TEST(XConnectorTest, CashtagTweetKeepsHashtagsLinksAndImpressions) {
  RecordCollector sink = ParseFile("x-v2/cashtags.jsonl");
  ASSERT_EQ(sink.mentions.size(), 1u);
  const Mention& m = sink.mentions[0].mention;
  EXPECT_EQ(m.id, "x:1611077073803841538");
  EXPECT_EQ(m.author.handle, "Trading22971312");
  EXPECT_EQ(m.author.followers, 809);
  EXPECT_EQ(m.author.profile_location, "USA");
  EXPECT_EQ(m.hashtags, (std::vector<std::string>{"business", "NFT", "StockMarket", "option"}));
  EXPECT_EQ(m.links, (std::vector<std::string>{"http://go.trade-ideas.com/SHHb"}));
  EXPECT_NE(m.text.find("$SPX $NIO $ETC $META"), std::string::npos);
  EXPECT_EQ(m.engagement.likes, 1);
  EXPECT_EQ(m.engagement.views, 52);
  EXPECT_EQ(m.created_at_ms, 1672945681000);
}

TEST(XConnectorTest, EditedTweetIsItsLatestVersion) {
  RecordCollector sink = ParseFile("x-v2/edited.jsonl");
  ASSERT_EQ(sink.mentions.size(), 1u);  // the earlier version in includes.tweets is not a mention
  const Mention& m = sink.mentions[0].mention;
  EXPECT_EQ(m.id, "x:1576994789110992896");
  EXPECT_EQ(m.author.handle, "wongmjane");
  EXPECT_EQ(m.author.followers, 138097);
  EXPECT_EQ(m.text, "hey :) https://t.co/rnwEIoNuqd");
  EXPECT_EQ(m.language, "");     // "qst": very short text
  EXPECT_TRUE(m.links.empty());  // twitter.com/i/web/status/<its own id>
  EXPECT_EQ(m.engagement.likes, 27);
  EXPECT_EQ(m.engagement.reshares, 2);
  EXPECT_EQ(m.engagement.replies, 12);
  EXPECT_EQ(m.engagement.quotes, 2);
  EXPECT_EQ(m.created_at_ms, 1664819831000);
}

TEST(XConnectorTest, MediaTweetHasNoOutboundLinks) {
  RecordCollector sink = ParseFile("x-v2/media_tweet.jsonl");
  ASSERT_EQ(sink.mentions.size(), 1u);
  const Mention& m = sink.mentions[0].mention;
  EXPECT_EQ(m.id, "x:1558553189766631429");
  EXPECT_EQ(m.url, "https://twitter.com/IgorBrigadir/status/1558553189766631429");
  EXPECT_EQ(m.text, "She's GOING with it! \U0001F40D https://t.co/uXqSAGWkWJ");
  EXPECT_TRUE(m.links.empty());
  EXPECT_EQ(m.engagement.likes, 93);
  EXPECT_EQ(m.engagement.reshares, 13);
  EXPECT_EQ(m.engagement.replies, 3);
  EXPECT_EQ(m.engagement.quotes, 7);
}

TEST(XConnectorTest, ComplianceEventsAreSkips) {
  RecordCollector sink = ParseFile("x-v2/tweets_compliance.jsonl");
  EXPECT_TRUE(sink.mentions.empty());
  EXPECT_TRUE(sink.rejects.empty());
  ASSERT_EQ(sink.skips.size(), 2u);
  EXPECT_EQ(sink.skips[0].ref.line, 2);  // line 1 is blank
  EXPECT_EQ(sink.skips[1].ref.line, 3);
  EXPECT_NE(sink.skips[0].reason.find("1170025343920402432"), std::string::npos) << sink.skips[0].reason;
  EXPECT_NE(sink.skips[1].reason.find("deactivated"), std::string::npos) << sink.skips[1].reason;
}

TEST(XConnectorTest, CountsResponseIsOneSkip) {
  RecordCollector sink = ParseFile("x-v2/counts.jsonl");
  EXPECT_TRUE(sink.mentions.empty());
  EXPECT_TRUE(sink.rejects.empty());
  ASSERT_EQ(sink.skips.size(), 1u);
  EXPECT_NE(sink.skips[0].reason.find("169 buckets"), std::string::npos) << sink.skips[0].reason;
}

TEST(XConnectorTest, WholeFileAtOnceIsReadAsJsonLines) {
  RecordCollector sink;
  std::unique_ptr<Connector> x = NewXConnector();
  ASSERT_OK(x->Parse(ReadFileOrDie(SharedData("x-v2/streaming_output_with_error.jsonl")), Context("s"), sink));
  EXPECT_EQ(sink.order, "mmmmmmmr");
  ASSERT_EQ(sink.rejects.size(), 1u);
  EXPECT_EQ(sink.rejects[0].ref.line, 8);
  EXPECT_EQ(sink.mentions[6].ref.line, 7);
  EXPECT_EQ(sink.mentions[6].ref.index, 7);
}

TEST(XConnectorTest, BadTweetIsRejectedAndItsNeighboursKept) {
  ParseContext ctx = Context("inline", 12);
  ctx.first_index = 40;
  RecordCollector sink =
      ParseText(R"({"data":[{"id":"1","text":"first","author_id":"9"},{"id":"2","author_id":"9"},)"
                R"({"text":"no id"},{"id":"4","text":"last","created_at":"yesterday"},{"id":"5","text":"kept"}],)"
                R"("includes":{"users":[{"id":"9","username":"jdoe","name":"J. Doe"}]}})",
                ctx);
  EXPECT_EQ(sink.order, "mrrrm");
  ASSERT_EQ(sink.mentions.size(), 2u);
  EXPECT_EQ(sink.mentions[0].mention.url, "https://twitter.com/jdoe/status/1");
  EXPECT_EQ(sink.mentions[0].ref.index, 40);
  EXPECT_EQ(sink.mentions[1].mention.id, "x:5");
  EXPECT_EQ(sink.mentions[1].mention.url, "https://twitter.com/i/web/status/5");  // author unknown
  EXPECT_EQ(sink.mentions[1].ref.index, 44);
  ASSERT_EQ(sink.rejects.size(), 3u);
  EXPECT_EQ(sink.rejects[0].reason, "line 12: data[1]: tweet 2: missing field \"text\"");
  EXPECT_EQ(sink.rejects[0].ref.line, 12);
  EXPECT_EQ(sink.rejects[0].ref.index, 41);
  EXPECT_EQ(sink.rejects[0].raw, R"({"id":"2","author_id":"9"})");
  EXPECT_EQ(sink.rejects[1].reason, "line 12: data[2]: missing field \"id\"");
  EXPECT_NE(sink.rejects[2].reason.find("data[3]: tweet 4: field \"created_at\""), std::string::npos)
      << sink.rejects[2].reason;
}

TEST(XConnectorTest, PrettyPrintedResponseIsOneDocument) {
  RecordCollector sink = ParseText(
      "{\n"
      "  \"data\": [\n"
      "    {\"id\": \"100\", \"text\": \"a &lt;b&gt; &amp; c\", \"author_id\": \"7\", \"lang\": \"en\"}\n"
      "  ],\n"
      "  \"includes\": {\"users\": [{\"id\": \"7\", \"username\": \"pp\"}]},\n"
      "  \"meta\": {\"result_count\": 1}\n"
      "}\n");
  ASSERT_EQ(sink.mentions.size(), 1u);
  EXPECT_EQ(sink.mentions[0].mention.text, "a <b> & c");
  EXPECT_EQ(sink.mentions[0].mention.author.handle, "pp");
  EXPECT_EQ(sink.mentions[0].ref.line, 1);
}

TEST(XConnectorTest, UnreadableMultiLineInputIsAnError) {
  RecordCollector sink;
  std::unique_ptr<Connector> x = NewXConnector();
  Status s = x->Parse("{\n  \"data\": [\n", Context("cut.json"), sink);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(s.message().starts_with("cut.json: not JSON")) << s.message();
  EXPECT_EQ(sink.reported(), 0);
}

TEST(XConnectorTest, IncludesAreFoundByIdInAnyOrderAndTheFirstOfTwoWins) {
  RecordCollector sink = ParseText(
      R"({"data":[{"id":"1","text":"a","author_id":"30"},{"id":"2","text":"b","author_id":"10"},)"
      R"({"id":"3","text":"c","author_id":"20"},{"id":"4","text":"d","author_id":"99"}],)"
      R"("includes":{"users":[{"id":"30","username":"thirty"},{"id":"20","username":"twenty"},)"
      R"({"id":"10","username":"ten"},{"id":"20","username":"twenty_again"}]}})");
  ASSERT_EQ(sink.mentions.size(), 4u);
  EXPECT_EQ(sink.mentions[0].mention.author.handle, "thirty");
  EXPECT_EQ(sink.mentions[1].mention.author.handle, "ten");
  EXPECT_EQ(sink.mentions[2].mention.author.handle, "twenty");
  EXPECT_EQ(sink.mentions[3].mention.author.handle, "");  // not in includes
}

TEST(XConnectorTest, NumericIdsStayExact) {
  RecordCollector sink = ParseText(R"({"data":{"id":1440716895355764743,"text":"big",)"
                                   R"("referenced_tweets":[{"type":"replied_to","id":18446744073709551615}]}})");
  ASSERT_EQ(sink.mentions.size(), 1u);
  EXPECT_EQ(sink.mentions[0].mention.external_id, "1440716895355764743");
  EXPECT_EQ(sink.mentions[0].mention.in_reply_to, "x:18446744073709551615");
}

TEST(XConnectorTest, LongPostUsesNoteTweet) {
  RecordCollector sink =
      ParseText(R"({"data":{"id":"3","text":"short… https://t.co/x","note_tweet":{"text":"the whole #long post",)"
                R"("entities":{"hashtags":[{"tag":"long"}]}},"entities":{"urls":[{"url":"https://t.co/x",)"
                R"("expanded_url":"https://twitter.com/i/web/status/3"}]}}})");
  ASSERT_EQ(sink.mentions.size(), 1u);
  EXPECT_EQ(sink.mentions[0].mention.text, "the whole #long post");
  EXPECT_EQ(sink.mentions[0].mention.hashtags, (std::vector<std::string>{"long"}));
  EXPECT_TRUE(sink.mentions[0].mention.links.empty());
}

TEST(XConnectorTest, UnknownValuesAreRejectedAndEmptyPagesSkipped) {
  RecordCollector sink;
  std::unique_ptr<Connector> x = NewXConnector();
  FeedLines(*x, "[1]\n{\"foo\":1}\n{\"meta\":{\"result_count\":0}}\n{\"data\":[]}\n", sink);
  EXPECT_EQ(sink.order, "rrss");
  ASSERT_EQ(sink.rejects.size(), 2u);
  EXPECT_EQ(sink.rejects[0].reason, "line 1: expected an X API object, got integer");
  EXPECT_EQ(sink.rejects[0].raw, "1");
  EXPECT_EQ(sink.rejects[1].reason, "line 2: not an X API v2 object (keys: foo)");
  EXPECT_EQ(sink.rejects[1].raw, "{\"foo\":1}");
}

TEST(XConnectorTest, OversizedLineIsRejected) {
  RecordCollector sink;
  std::unique_ptr<Connector> x = NewXConnector();
  std::string line = R"({"data":{"id":"1","text":"0123456789012345678901234567890123456789"}})";
  ParseContext ctx = Context("big", 3);
  ctx.max_record_bytes = 32;
  ASSERT_OK(x->Parse(line, ctx, sink));
  ASSERT_EQ(sink.rejects.size(), 1u);
  EXPECT_TRUE(sink.rejects[0].reason.starts_with("line 3: record of")) << sink.rejects[0].reason;
}

TEST(XConnectorTest, ContextChannelOverrides) {
  ParseContext ctx = Context("c");
  ctx.channel = Channel::kNews;
  RecordCollector sink = ParseText(R"({"id":"8","text":"bare tweet"})", ctx);
  ASSERT_EQ(sink.mentions.size(), 1u);
  EXPECT_EQ(sink.mentions[0].mention.channel, Channel::kNews);
}

TEST(XConnectorTest, ParserIsReusedAcrossCalls) {
  std::unique_ptr<Connector> x = NewXConnector();
  RecordCollector sink;
  std::string brexit = ReadFileOrDie(SharedData("x-v2/brexit.jsonl"));
  std::string kpop = ReadFileOrDie(SharedData("x-v2/kpop.jsonl"));
  for (int i = 0; i < 3; ++i) {
    ASSERT_OK(x->Parse(brexit, Context("b"), sink));
    ASSERT_OK(x->Parse(kpop, Context("k"), sink));
  }
  EXPECT_EQ(sink.mentions.size(), 600u);
  EXPECT_EQ(sink.mentions[100].mention.id, "x:1440717170493689866");
}

TEST(XConnectorTest, RecycledMentionsEqualFreshOnes) {
  for (const char* file : {"x-v2/brexit.jsonl", "x-v2/kpop.jsonl", "x-v2/streaming_output_with_error.jsonl"}) {
    SCOPED_TRACE(file);
    testing::ExpectRecycledEqualsFresh(NewXConnector, ReadFileOrDie(SharedData(file)));
  }
}

// Regression: JSON escapes such as \u001b decode to control characters,
// which reached ids, handles, urls, links and tags as they were (found by
// x_connector_fuzz). An id of nothing but controls is a reject.
TEST(XConnectorTest, ControlCharacterEscapesAreCleanedFromEveryField) {
  RecordCollector sink = ParseText(
      R"({"data":[{"id":"7\u0007","text":"hi\u001b[1m","author_id":"9","referenced_tweets":)"
      R"([{"type":"replied_to","id":"5\u0003"}],"entities":{"urls":[{"url":"https://t.co/a",)"
      R"("expanded_url":"https://example.com/\u0000x"}],"hashtags":[{"tag":"\u0001"},{"tag":"ok\u0002"}],)"
      R"("mentions":[{"username":"bob\u001b"}]}},{"id":"\u0001\u0002","text":"id of controls"}],)"
      R"("includes":{"users":[{"id":"9","username":"j\u001bdoe"}]}})");
  EXPECT_EQ(sink.order, "mr");
  ASSERT_EQ(sink.mentions.size(), 1u);
  const Mention& m = sink.mentions[0].mention;
  EXPECT_EQ(m.id, "x:7");
  EXPECT_EQ(m.external_id, "7");
  EXPECT_EQ(m.text, "hi[1m");
  EXPECT_EQ(m.author.handle, "jdoe");
  EXPECT_EQ(m.author.profile_url, "https://twitter.com/jdoe");
  EXPECT_EQ(m.url, "https://twitter.com/jdoe/status/7");
  EXPECT_EQ(m.in_reply_to, "x:5");
  EXPECT_EQ(m.links, (std::vector<std::string>{"https://example.com/x"}));
  EXPECT_EQ(m.hashtags, (std::vector<std::string>{"ok"}));  // "\u0001" cleans to nothing
  EXPECT_EQ(m.mentioned, (std::vector<std::string>{"bob"}));
  ASSERT_EQ(sink.rejects.size(), 1u);
  EXPECT_EQ(sink.rejects[0].reason, "line 1: the post's id holds only control characters");
  EXPECT_EQ(sink.rejects[0].ref.index, 2);
}

// json_util.h underlies every JSON connector; its lenient accessors are
// checked here, next to their first user.
TEST(JsonUtilTest, AccessorsFallBackOnMissingNullAndWrongTypes) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser
                .parse(std::string_view(R"({"s":"x","n":null,"i":-5,"u":18446744073709551615,"d":3.0,)"
                                        R"("f":2.5,"q":" 42 ","b":true,"id":1440716895355764743,"a":[1]})"))
                .get(doc),
            simdjson::SUCCESS);
  EXPECT_EQ(json::GetString(doc, "s"), "x");
  EXPECT_EQ(json::GetString(doc, "n", "fb"), "fb");
  EXPECT_EQ(json::GetString(doc, "i", "fb"), "fb");
  EXPECT_FALSE(json::Field(doc, "n").has_value());
  EXPECT_TRUE(json::HasField(doc, "n"));
  EXPECT_EQ(json::GetInt64(doc, "i", 0), -5);
  EXPECT_EQ(json::GetInt64(doc, "u", -1), -1);  // does not fit int64
  EXPECT_EQ(json::GetInt64(doc, "d", -1), 3);
  EXPECT_EQ(json::GetInt64(doc, "f", -1), -1);
  EXPECT_EQ(json::GetInt64(doc, "q", -1), 42);
  EXPECT_EQ(json::GetDouble(doc, "i"), -5.0);
  EXPECT_FALSE(json::GetDouble(doc, "s").has_value());
  EXPECT_TRUE(json::GetBool(doc, "b", false));
  EXPECT_TRUE(json::GetBool(doc, "s", true));
  EXPECT_EQ(json::GetId(doc, "id"), "1440716895355764743");
  EXPECT_EQ(json::GetId(doc, "u"), "18446744073709551615");
  EXPECT_EQ(json::GetId(doc, "f"), "");
  EXPECT_TRUE(json::GetArray(doc, "a").has_value());
  EXPECT_FALSE(json::GetObject(doc, "a").has_value());
  EXPECT_EQ(json::TypeName(doc), "object");
  EXPECT_EQ(json::ToJson(*json::Field(doc, "a")), "[1]");
}

TEST(JsonUtilTest, TextAndLanguageHelpers) {
  EXPECT_EQ(json::CleanText("a\x01" "b\tc\xff"), "ab\tc\uFFFD");
  EXPECT_EQ(json::PrimaryLanguage("en-US"), "en");
  EXPECT_EQ(json::PrimaryLanguage("PT_br"), "pt");
  EXPECT_EQ(json::PrimaryLanguage("x"), "");
  EXPECT_EQ(json::PrimaryLanguage("12"), "");
  EXPECT_EQ(json::FirstContentLine("\n  \n {}", 10), 12);
}

TEST(JsonUtilTest, CrlfJsonLinesKeepTheirNumbers) {
  RecordCollector sink;
  std::unique_ptr<Connector> x = NewXConnector();
  ASSERT_OK(
      x->Parse("{\"id\":\"1\",\"text\":\"a\"}\r\n\r\n{\"id\":\"2\",\"text\":\"b\"}\r\n", Context("crlf", 5), sink));
  ASSERT_EQ(sink.mentions.size(), 2u);
  EXPECT_EQ(sink.mentions[1].ref.line, 7);
  EXPECT_EQ(sink.mentions[1].mention.text, "b");
}

}  // namespace
}  // namespace earshot::ingest
