#include "ingest/feed_connector.h"

#include <gtest/gtest.h>

#include <cinttypes>
#include <cstdio>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "core/hash.h"
#include "core/time.h"
#include "core/utf8.h"
#include "ingest/record_collector.h"
#include "testutil.h"

namespace earshot::ingest {
namespace {

using earshot::testing::ReadFileOrDie;
using earshot::testing::SharedData;
using testing::RecordCollector;
using Links = std::vector<std::string>;

ParseContext Context(std::string_view file) {
  ParseContext ctx;
  ctx.file = file;
  return ctx;
}

// Parses shared/data/feeds/`name` into `sink`.
Status ParseSharedFeed(const std::string& name, RecordCollector& sink) {
  const std::string input = ReadFileOrDie(SharedData("feeds/" + name));
  FeedConnector connector;
  return connector.Parse(input, Context(name), sink);
}

bool Contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

// Builds an RSS 2.0 document: the declaration and <rss><channel> on lines
// 1-3, `head` after them, then `items` verbatim.
std::string Rss(std::string_view head, const std::vector<std::string>& items) {
  std::string doc = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\">\n<channel>\n";
  doc.append(head);
  for (const std::string& item : items) doc.append(item);
  doc.append("</channel>\n</rss>\n");
  return doc;
}

// Returns a five-line <item>.
std::string Item(std::string_view title, std::string_view date = "Mon, 02 Jan 2023 10:00:00 GMT") {
  std::string slug(title);
  for (char& c : slug) c = c == ' ' ? '-' : c;
  return "<item>\n<title>" + std::string(title) + "</title>\n<link>https://blog.example.com/" + slug +
         "</link>\n<pubDate>" + std::string(date) + "</pubDate>\n</item>\n";
}

constexpr std::string_view kBlogHead = "<title>Example blog</title>\n<link>https://blog.example.com/</link>\n";

// ---------------------------------------------------------------------------
// The real feeds of shared/data/feeds

TEST(FeedConnectorTest, NameAndFraming) {
  FeedConnector connector;
  EXPECT_EQ(connector.Name(), "feed");
  EXPECT_EQ(connector.framing(), Framing::kDocument);
  EXPECT_EQ(NewFeedConnector()->Name(), "feed");
}

TEST(FeedConnectorTest, EverySharedFeedParsesWithItsItemCount) {
  // Item counts from shared/data/feeds/README.md.
  const std::vector<std::pair<std::string, size_t>> feeds = {{"Rss20HubSpot.xml", 50},
                                                             {"Rss20MicrosoftBotFranework.xml", 10},
                                                             {"Rss20ThomasMaurer.xml", 10},
                                                             {"Rss20CodeHollowCom.xml", 10},
                                                             {"rss_2.0_cloudflare.xml", 1},
                                                             {"rss_2.0_element_io.xml", 1},
                                                             {"AtomAdobe.xml", 10},
                                                             {"AtomTheVerge.xml", 10},
                                                             {"atom_mediarss_reddit_1.xml", 25},
                                                             {"Rss20Reuters.xml", 10},
                                                             {"Rss20YandexRussia.xml", 15},
                                                             {"Rss20ISO88591Intranet30.xml", 30},
                                                             {"rss_1.0_iso8859.xml", 1},
                                                             {"AtomSpecialCharacters.xml", 1}};
  size_t total = 0;
  for (const auto& [name, count] : feeds) {
    SCOPED_TRACE(name);
    RecordCollector sink;
    ASSERT_OK(ParseSharedFeed(name, sink));
    EXPECT_EQ(sink.mentions.size(), count);
    EXPECT_TRUE(sink.rejects.empty()) << sink.rejects.front().reason;
    for (size_t i = 0; i < sink.mentions.size(); ++i) {
      const Mention& m = sink.mentions[i].mention;
      EXPECT_EQ(sink.mentions[i].ref.index, static_cast<int64_t>(i + 1));
      EXPECT_GT(sink.mentions[i].ref.line, 1);
      EXPECT_EQ(m.source, "feed");
      EXPECT_EQ(m.id, "feed:" + m.external_id);
      EXPECT_FALSE(m.title.empty());
      EXPECT_GT(m.created_at_ms, 0);
      EXPECT_TRUE(m.hashtags.empty());  // <category> is no hashtag
      EXPECT_TRUE(IsValidUtf8(m.title) && IsValidUtf8(m.text) && IsValidUtf8(m.author.display_name));
    }
    total += sink.mentions.size();
  }
  EXPECT_EQ(total, 184u);
}

TEST(FeedConnectorTest, HubSpotContentEncodedWithBom) {
  RecordCollector sink;
  ASSERT_OK(ParseSharedFeed("Rss20HubSpot.xml", sink));
  ASSERT_EQ(sink.mentions.size(), 50u);
  const Mention& m = sink.mentions[0].mention;
  EXPECT_EQ(sink.mentions[0].ref.line, 11);
  EXPECT_EQ(m.id, "feed:https://blog.hubspot.com/marketing/photo-video-editing-apps-mobile");
  EXPECT_EQ(m.title, "The 13 Best Photo & Video Editing Apps for Mobile");
  EXPECT_EQ(m.url, "https://blog.hubspot.com/marketing/photo-video-editing-apps-mobile");
  EXPECT_EQ(m.site, "blog.hubspot.com");
  EXPECT_EQ(m.author.display_name, "Amanda Zantal-Wiener");
  EXPECT_EQ(m.author.handle, "Amanda Zantal-Wiener");
  EXPECT_EQ(FormatRfc3339(m.created_at_ms), "2017-01-06T13:00:00.000Z");
  EXPECT_EQ(m.language, "en");
  EXPECT_EQ(m.channel, Channel::kBlog);
  // content:encoded wins over description; the image-only first paragraph leaves no text.
  EXPECT_TRUE(m.text.starts_with(
      "By now, it's clear that creating great visual content is critical for marketers -- and that's especially "
      "true on social media.\nIt was recently announced that Instagram has doubled its monthly active user base "
      "since 2014, which means a lot more people are viewing and sharing photos."))
      << m.text.substr(0, 300);
  ASSERT_GE(m.links.size(), 2u);
  EXPECT_EQ(m.links[0], "http://www.theverge.com/2016/12/15/13960412/instagram-600m-monthly-active-users");
  EXPECT_EQ(m.links[1], "https://www.hubspot.com/marketing-statistics");
}

TEST(FeedConnectorTest, ReutersPrefersFeedBurnerOrigLink) {
  RecordCollector sink;
  ASSERT_OK(ParseSharedFeed("Rss20Reuters.xml", sink));
  ASSERT_EQ(sink.mentions.size(), 10u);
  const Mention& m = sink.mentions[0].mention;
  EXPECT_EQ(sink.mentions[0].ref.line, 17);
  EXPECT_EQ(m.url,
            "http://www.reuters.com/article/us-mideast-crisis-iraq-turkey-abadi-idUSKBN14R0D4"
            "?feedType=RSS&feedName=worldNews");
  EXPECT_EQ(m.site, "reuters.com");
  // The guid is a URL (although isPermaLink="false"), so it is the id as is.
  EXPECT_EQ(m.external_id, m.url);
  EXPECT_EQ(m.title, "Iraq says deal reached over withdrawal of Turkish forces from Bashiqa");
  EXPECT_EQ(FormatRfc3339(m.created_at_ms), "2017-01-07T13:52:27.000Z");  // -0500
  EXPECT_EQ(m.language, "en");
  EXPECT_EQ(m.channel, Channel::kNews);
  EXPECT_TRUE(m.author.handle.empty());
  // The FeedBurner "feedflare" block holds only image links.
  EXPECT_EQ(m.text,
            "BAGHDAD (Reuters) - Iraq's Prime Minister Haider al-Abadi said on Saturday an agreement had been "
            "reached with Turkey over an Iraqi demand that Turkish forces withdraw from a town near Mosul in the "
            "north of the country, Iraqi state TV reported.");
  for (const auto& r : sink.mentions) {
    EXPECT_TRUE(r.mention.url.starts_with("http://www.reuters.com/article/")) << r.mention.url;
  }
}

TEST(FeedConnectorTest, TheVergeAtomWithOffsetsAndLanguage) {
  RecordCollector sink;
  ASSERT_OK(ParseSharedFeed("AtomTheVerge.xml", sink));
  ASSERT_EQ(sink.mentions.size(), 10u);
  const Mention& m = sink.mentions[0].mention;
  EXPECT_EQ(sink.mentions[0].ref.line, 8);
  EXPECT_EQ(m.title, "This is the new Hulu experience with live TV");
  EXPECT_EQ(m.url, "http://www.theverge.com/ces/2017/1/7/14195588/hulu-live-tv-streaming-internet-ces-2017");
  EXPECT_EQ(m.external_id, m.url);
  EXPECT_EQ(m.author.display_name, "Chris Welch");
  EXPECT_EQ(FormatRfc3339(m.created_at_ms), "2017-01-07T14:00:01.000Z");  // published, -05:00
  EXPECT_EQ(m.language, "en");                                            // <feed xml:lang="en">
  EXPECT_EQ(m.channel, Channel::kNews);
  EXPECT_TRUE(
      m.text.starts_with("Hulu is giving closed-door demonstrations of its upcoming internet TV service "
                         "here at CES in Las Vegas."))
      << m.text.substr(0, 200);
  EXPECT_FALSE(Contains(m.text, "<p"));
}

TEST(FeedConnectorTest, RedditAtomIsForum) {
  RecordCollector sink;
  ASSERT_OK(ParseSharedFeed("atom_mediarss_reddit_1.xml", sink));
  ASSERT_EQ(sink.mentions.size(), 25u);
  for (const auto& r : sink.mentions) EXPECT_EQ(r.mention.channel, Channel::kForum) << r.mention.id;
  const Mention& m = sink.mentions[0].mention;
  EXPECT_EQ(sink.mentions[0].ref.line, 12);
  // The atom:id "t3_157kyrd" is no URI, so it is qualified by the site.
  EXPECT_EQ(m.id, "feed:ud.reddit.com/t3_157kyrd");
  EXPECT_EQ(m.url, "https://ud.reddit.com/r/homelab/comments/157kyrd/any_reason_to_keep_1g_connections_to_my_servers/");
  EXPECT_EQ(m.title, "Any reason to keep 1G connections to my servers?");
  EXPECT_EQ(m.author.display_name, "/u/Remarkable_Housing61");
  EXPECT_EQ(m.author.handle, "Remarkable_Housing61");
  EXPECT_EQ(m.author.profile_url, "https://ud.reddit.com/user/Remarkable_Housing61");
  EXPECT_EQ(FormatRfc3339(m.created_at_ms), "2023-07-23T17:38:30.000Z");
  EXPECT_EQ(m.text,
            "Hello all, I recently acquired a 40G switch and some 40G cards for my rack and was wondering if there "
            "really is any reason to even keep 1G connections to my servers if I already have a 40G connection.\n"
            "My 40G network is bridged to my 1G network currently so all of my 40G devices have access to all of the "
            "1G resources.\nsubmitted by /u/Remarkable_Housing61\n[link] [comments]");
  EXPECT_EQ(m.links, (Links{"https://ud.reddit.com/user/Remarkable_Housing61",
                            "https://ud.reddit.com/r/homelab/comments/157kyrd/"
                            "any_reason_to_keep_1g_connections_to_my_servers/"}));
}

TEST(FeedConnectorTest, YandexDatesWithoutWeekday) {
  RecordCollector sink;
  ASSERT_OK(ParseSharedFeed("Rss20YandexRussia.xml", sink));
  ASSERT_EQ(sink.mentions.size(), 15u);
  const Mention& m = sink.mentions[0].mention;
  EXPECT_EQ(FormatRfc3339(m.created_at_ms), "2017-01-07T14:12:53.000Z");  // "07 Jan 2017 17:12:53 +0300"
  EXPECT_EQ(m.url, "https://news.yandex.ru/yandsearch?cl4url=ria.ru%2Fsociety%2F20170107%2F1485236822.html");
  EXPECT_EQ(m.channel, Channel::kNews);  // news.yandex.ru
  // The file itself holds double-encoded UTF-8; it stays as it is, valid.
  EXPECT_TRUE(m.title.starts_with("\u00d0\u2019 \u00d0\u0153\u00d0\u00be\u00d1")) << m.title;
  for (const auto& r : sink.mentions) {
    EXPECT_TRUE(IsValidUtf8(r.mention.title));
    EXPECT_TRUE(IsValidUtf8(r.mention.text));
    EXPECT_FALSE(r.mention.text.empty());
  }
}

TEST(FeedConnectorTest, SwedishIso88591Feed) {
  RecordCollector sink;
  ASSERT_OK(ParseSharedFeed("Rss20ISO88591Intranet30.xml", sink));
  ASSERT_EQ(sink.mentions.size(), 30u);
  const Mention& m = sink.mentions[0].mention;
  EXPECT_EQ(sink.mentions[0].ref.line, 24);
  EXPECT_EQ(m.title, "SVART M\u00c5NAD - D\u00d6DSOLYCKA i Vetlanda");
  EXPECT_EQ(m.author.display_name, "H\u00f6glandsnytt");
  EXPECT_EQ(m.text,
            "Under juli 2018 omkom 39 personer och 1 521 skadades i v\u00e4gtrafiken. Det visar de prelimin\u00e4ra "
            "uppgifter som inkommit till Transportstyrelsen fram till den 15 augusti 2018. Det \u00e4r \u00e5tta "
            "fler omkomna j\u00e4mf\u00f6rt med juli m\u00e5nad 2017.");
  EXPECT_EQ(FormatRfc3339(m.created_at_ms), "2018-08-19T07:14:00.000Z");
  // guid "00201120180819281555686" is no URI: qualified by the site.
  EXPECT_EQ(m.external_id, "retriever-info.com/00201120180819281555686");
  EXPECT_EQ(m.site, "retriever-info.com");
}

TEST(FeedConnectorTest, GolemRss1Iso88591) {
  RecordCollector sink;
  ASSERT_OK(ParseSharedFeed("rss_1.0_iso8859.xml", sink));
  ASSERT_EQ(sink.mentions.size(), 1u);
  const Mention& m = sink.mentions[0].mention;
  EXPECT_EQ(sink.mentions[0].ref.line, 30);
  const std::string url =
      "https://www.golem.de/news/digitalministerium-neue-glasfaserfoerderung-mit-schnellkasse-2301-171451.html";
  EXPECT_EQ(m.url, url);
  EXPECT_EQ(m.id, "feed:" + url);  // from rdf:about
  EXPECT_EQ(m.title, "Digitalministerium: Neue Glasfaserf\u00f6rderung mit Schnellkasse");
  EXPECT_EQ(m.author.display_name, "Achim Sawall");
  EXPECT_EQ(FormatRfc3339(m.created_at_ms), "2023-01-25T18:03:02.000Z");  // dc:date +01:00
  EXPECT_EQ(m.text,
            "Ab April soll es wieder F\u00f6rderung f\u00fcr den Ausbau von Glasfaser geben. Das "
            "Bundesdigitalministerium will es diesmal besser machen. (Infrastruktur, Glasfaser)");
  EXPECT_EQ(m.links,
            (Links{"https://www.golem.de/specials/infrastruktur/", "https://www.golem.de/specials/glasfaser/"}));
  EXPECT_EQ(m.channel, Channel::kNews);
  EXPECT_EQ(m.engagement.replies, -1);  // <slash:comments></slash:comments>
}

TEST(FeedConnectorTest, AtomSpecialCharactersParsesDespiteControlCharacter) {
  const std::string input = ReadFileOrDie(SharedData("feeds/AtomSpecialCharacters.xml"));
  ASSERT_NE(input.find('\x0f'), std::string::npos);  // the U+000F strict parsers reject
  RecordCollector sink;
  ASSERT_OK(ParseSharedFeed("AtomSpecialCharacters.xml", sink));
  ASSERT_EQ(sink.mentions.size(), 1u);
  const Mention& m = sink.mentions[0].mention;
  EXPECT_EQ(sink.mentions[0].ref.line, 11);
  EXPECT_EQ(m.id, "feed:https://stackoverflow.com/q/49812816");
  EXPECT_EQ(m.title, "Decode NMEA bytes received via external GPS bluetooth device");
  EXPECT_EQ(
      m.url,
      "https://stackoverflow.com/questions/49812816/decode-nmea-bytes-received-via-external-gps-bluetooth-device");
  EXPECT_EQ(m.author.display_name, "Frank");
  EXPECT_EQ(m.author.profile_url, "https://stackoverflow.com/users/3649383");
  EXPECT_EQ(FormatRfc3339(m.created_at_ms), "2018-04-13T08:45:41.000Z");
  EXPECT_EQ(m.channel, Channel::kForum);
  EXPECT_TRUE(
      m.text.starts_with("I'm trying to decode the bytes I receive from an external bluetooth GPS but "
                         "apperantly I'm not doing it right.\nThe device is Trimble R1 and it should send "
                         "data in NMEA format."))
      << m.text.substr(0, 200);
  EXPECT_EQ(m.text.find('\x0f'), std::string::npos);
  EXPECT_TRUE(IsValidUtf8(m.text));
}

TEST(FeedConnectorTest, WordPressCommentsAndNonUriGuids) {
  RecordCollector sink;
  ASSERT_OK(ParseSharedFeed("Rss20ThomasMaurer.xml", sink));
  ASSERT_EQ(sink.mentions.size(), 10u);
  const Mention& m = sink.mentions[0].mention;
  EXPECT_EQ(m.id, "feed:http://www.thomasmaurer.ch/?p=8383");
  EXPECT_EQ(m.url, "http://www.thomasmaurer.ch/2016/12/speaking-at-microsoft-techdays-2017-switzerland/");
  EXPECT_EQ(m.author.display_name, "Thomas Maurer");
  EXPECT_EQ(FormatRfc3339(m.created_at_ms), "2016-12-28T12:30:42.000Z");
  EXPECT_EQ(m.engagement.replies, 0);  // slash:comments
  EXPECT_EQ(m.language, "en");         // en-US

  RecordCollector cloudflare;
  ASSERT_OK(ParseSharedFeed("rss_2.0_cloudflare.xml", cloudflare));
  ASSERT_EQ(cloudflare.mentions.size(), 1u);
  const Mention& c = cloudflare.mentions[0].mention;
  EXPECT_EQ(c.id, "feed:blog.cloudflare.com/6166e7e065133e02a961145d");
  EXPECT_EQ(c.title, "Privacy-Preserving Compromised Credential Checking");
  EXPECT_EQ(c.author.display_name, "Luke Valenta");
  EXPECT_EQ(FormatRfc3339(c.created_at_ms), "2021-10-14T12:59:53.000Z");
  EXPECT_EQ(c.channel, Channel::kBlog);
}

TEST(FeedConnectorTest, AdobeAtomWithoutLinkOrTypeUsesIdAndReadsHtml) {
  RecordCollector sink;
  ASSERT_OK(ParseSharedFeed("AtomAdobe.xml", sink));
  ASSERT_EQ(sink.mentions.size(), 10u);
  const Mention& m = sink.mentions[0].mention;
  const std::string id =
      "https://blog.adobe.com/en/publish/2021/07/19/adobe-sky-kick-it-out-take-stand-launch-edit.html";
  EXPECT_EQ(m.external_id, id);
  EXPECT_EQ(m.url, id);  // the entry has no <link>
  EXPECT_EQ(m.site, "blog.adobe.com");
  EXPECT_EQ(m.title, "Adobe, Sky and Kick it Out #Takeastand with the launch of The Edit");
  EXPECT_EQ(FormatRfc3339(m.created_at_ms), "2021-07-19T00:00:00.000Z");  // updated
  EXPECT_TRUE(
      m.text.starts_with("Adobe, Sky and Kick it Out #Takeastand with the launch of The Edit\n"
                         "by Adobe Communications\nposted on 07-19-2021\nLiving in a digital-first world"))
      << m.text.substr(0, 200);
  EXPECT_TRUE(m.hashtags.empty());
}

// ---------------------------------------------------------------------------
// Broken and hostile input

TEST(FeedConnectorTest, TruncatedFeedKeepsCompleteItems) {
  std::string doc = Rss(kBlogHead, {Item("First"), Item("Second"), Item("Third")});
  // Lines: 4-5 head, 6-10 First, 11-15 Second, 16-20 Third. Cut inside Third's <link>.
  doc = doc.substr(0, doc.find("blog.example.com/Third") + 10);
  RecordCollector sink;
  FeedConnector connector;
  ASSERT_OK(connector.Parse(doc, Context("cut.xml"), sink));
  ASSERT_EQ(sink.order, "mmr");
  EXPECT_EQ(sink.mentions[0].mention.title, "First");
  EXPECT_EQ(sink.mentions[1].mention.title, "Second");
  EXPECT_EQ(sink.mentions[1].ref.line, 11);
  const auto& reject = sink.rejects[0];
  EXPECT_EQ(reject.ref.index, 3);
  EXPECT_EQ(reject.ref.line, 16);
  EXPECT_TRUE(Contains(reject.reason, "not well-formed")) << reject.reason;
  EXPECT_TRUE(Contains(reject.reason, "line 18")) << reject.reason;
  EXPECT_TRUE(Contains(reject.reason, "the input ends inside this item")) << reject.reason;
  EXPECT_TRUE(reject.raw.starts_with("<item>\n<title>Third</title>")) << reject.raw;
}

TEST(FeedConnectorTest, MalformedItemIsCutOutAndLaterItemsSurvive) {
  const std::string broken =
      "<item>\n<title>Broken <b>bold</title>\n<link>https://blog.example.com/b</link>\n</item>\n";
  const std::string doc = Rss(kBlogHead, {Item("First"), broken, Item("Third"), Item("Fourth")});
  RecordCollector sink;
  FeedConnector connector;
  ParseContext ctx = Context("broken.xml");
  ctx.first_index = 101;
  ASSERT_OK(connector.Parse(doc, ctx, sink));
  ASSERT_EQ(sink.order, "mrmm");
  EXPECT_EQ(sink.mentions[0].ref.index, 101);
  EXPECT_EQ(sink.rejects[0].ref.index, 102);
  EXPECT_EQ(sink.rejects[0].ref.line, 11);
  EXPECT_TRUE(Contains(sink.rejects[0].reason, "line 12")) << sink.rejects[0].reason;
  EXPECT_EQ(sink.rejects[0].raw, broken.substr(0, broken.size() - 1));  // through </item>
  EXPECT_EQ(sink.mentions[1].mention.title, "Third");
  EXPECT_EQ(sink.mentions[1].ref.index, 103);
  EXPECT_EQ(sink.mentions[1].ref.line, 15);
  EXPECT_EQ(sink.mentions[2].mention.title, "Fourth");
  EXPECT_EQ(sink.mentions[2].ref.index, 104);
}

TEST(FeedConnectorTest, ItemWithoutEndTagIsCutOut) {
  const std::string unclosed = "<item>\n<title>Unclosed</title>\n";
  const std::string doc = Rss(kBlogHead, {Item("First"), unclosed, Item("Third"), Item("Fourth")});
  RecordCollector sink;
  FeedConnector connector;
  ASSERT_OK(connector.Parse(doc, Context("unclosed.xml"), sink));
  ASSERT_EQ(sink.order, "mrmm");
  EXPECT_EQ(sink.rejects[0].ref.line, 11);
  EXPECT_TRUE(Contains(sink.rejects[0].reason, "the item has no end tag")) << sink.rejects[0].reason;
  EXPECT_EQ(sink.rejects[0].raw, unclosed);
  EXPECT_EQ(sink.mentions[1].mention.title, "Third");
  EXPECT_EQ(sink.mentions[2].mention.title, "Fourth");
}

TEST(FeedConnectorTest, ItemsAfterABreakOutsideItemsAreStillRead) {
  // An unclosed <junk> swallows the items after it, and the error only
  // shows at </channel>; those items are read one by one.
  const std::string doc = Rss(kBlogHead, {Item("First"), "<junk>\n", Item("Second"), Item("Third")});
  RecordCollector sink;
  FeedConnector connector;
  ASSERT_OK(connector.Parse(doc, Context("junk.xml"), sink));
  ASSERT_EQ(sink.order, "mmm");
  EXPECT_EQ(sink.mentions[1].mention.title, "Second");
  EXPECT_EQ(sink.mentions[1].ref.line, 12);
  EXPECT_EQ(sink.mentions[1].mention.url, "https://blog.example.com/Second");
  EXPECT_EQ(sink.mentions[2].mention.title, "Third");

  // A channel header broken before the first item.
  const std::string broken_head =
      Rss("<title>Example blog</titel>\n<link>https://blog.example.com/</link>\n", {Item("One"), Item("Two")});
  RecordCollector head_sink;
  ASSERT_OK(connector.Parse(broken_head, Context("head.xml"), head_sink));
  ASSERT_EQ(head_sink.order, "mm");
  EXPECT_EQ(head_sink.mentions[0].mention.title, "One");
  EXPECT_EQ(head_sink.mentions[0].ref.line, 6);
  EXPECT_EQ(head_sink.mentions[1].ref.index, 2);
}

TEST(FeedConnectorTest, MarkupInsideCdataIsNoItem) {
  const std::string doc = Rss(kBlogHead, {"<item>\n<title>Real</title>\n<description><![CDATA[<p>An <item> and a "
                                          "</item> in text</p>]]></description>\n<!-- <item> -->\n<pubDate>Mon, 02 "
                                          "Jan 2023 10:00:00 GMT</pubDate>\n</item>\n"});
  RecordCollector sink;
  FeedConnector connector;
  ASSERT_OK(connector.Parse(doc, Context("cdata.xml"), sink));
  ASSERT_EQ(sink.order, "m");
  EXPECT_EQ(sink.mentions[0].mention.text, "An and a in text");  // gumbo reads <item> as an unknown element
}

size_t CountOf(std::string_view s, std::string_view needle) {
  size_t n = 0;
  for (size_t pos = s.find(needle); pos != std::string_view::npos; pos = s.find(needle, pos + 1)) ++n;
  return n;
}

TEST(FeedConnectorTest, CutAnywhereKeepsEveryCompleteItem) {
  // Whatever the cut point, each item closed before it is a mention, and
  // an item cut in half is one reject.
  for (const auto& [name, open, close] : {std::tuple{"Rss20Reuters.xml", "<item>", "</item>"},
                                          std::tuple{"atom_mediarss_reddit_1.xml", "<entry>", "</entry>"}}) {
    const std::string doc = ReadFileOrDie(SharedData(std::string("feeds/") + name));
    for (size_t k = 1; k < 100; ++k) {
      const std::string_view prefix = std::string_view(doc).substr(0, doc.size() * k / 100);
      SCOPED_TRACE(std::string(name) + " cut at " + std::to_string(prefix.size()));
      const size_t last_open = prefix.rfind(open);
      const size_t last_close = prefix.rfind(close);
      if (last_open == std::string_view::npos) continue;  // still in the header
      RecordCollector sink;
      FeedConnector connector;
      ASSERT_OK(connector.Parse(prefix, Context(name), sink));
      EXPECT_EQ(sink.mentions.size(), CountOf(prefix, close));
      const bool cut_inside = last_close == std::string_view::npos || last_open > last_close;
      EXPECT_EQ(sink.rejects.size(), cut_inside ? 1u : 0u);
      for (size_t i = 0; i < sink.order.size(); ++i) {
        EXPECT_EQ(sink.order[i], cut_inside && i + 1 == sink.order.size() ? 'r' : 'm');
      }
    }
  }
}

TEST(FeedConnectorTest, InputThatIsNoFeedIsAnError) {
  FeedConnector connector;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "empty"},
      {"  \n\t ", "empty"},
      {"{\"id\": 1, \"text\": \"json\"}", "not XML"},
      {"<rss><channel><title>x</title>", "no item"},
      {"<!DOCTYPE html>\n<html><head><title>Home</title></head><body><p>Hi</p></body></html>", "HTML page"},
      {"<?xml version=\"1.0\"?><urlset><url><loc>https://x.org/</loc></url></urlset>", "<urlset>"},
      {"<?xml version=\"1.0\" encoding=\"KOI8-R\"?><rss/>", "KOI8-R"},
      {std::string("\xFF\xFE<\0r\0s\0s\0>\0", 12), "UTF-16"},
  };
  for (const auto& [input, problem] : cases) {
    SCOPED_TRACE(problem);
    RecordCollector sink;
    const Status status = connector.Parse(input, Context("in.xml"), sink);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << status.ToString();
    EXPECT_TRUE(Contains(status.message(), problem)) << status.message();
    EXPECT_TRUE(Contains(status.message(), "in.xml")) << status.message();
    EXPECT_TRUE(sink.order.empty());
  }
}

TEST(FeedConnectorTest, UnparseableDateWithoutChannelDateIsRejected) {
  const std::string doc = Rss(kBlogHead, {Item("Before"), Item("Odd", "sometime last week"), Item("After")});
  RecordCollector sink;
  FeedConnector connector;
  ASSERT_OK(connector.Parse(doc, Context("dates.xml"), sink));
  ASSERT_EQ(sink.order, "mrm");
  EXPECT_EQ(sink.rejects[0].ref.index, 2);
  EXPECT_EQ(sink.rejects[0].ref.line, 11);
  EXPECT_TRUE(Contains(sink.rejects[0].reason, "pubDate \"sometime last week\"")) << sink.rejects[0].reason;
  EXPECT_EQ(FormatRfc3339(sink.mentions[0].mention.created_at_ms), "2023-01-02T10:00:00.000Z");

  // With a channel date to fall back on, the item is kept with that date.
  const std::string with_channel_date =
      Rss(std::string(kBlogHead) + "<lastBuildDate>Tue, 03 Jan 2023 08:30:00 +0100</lastBuildDate>\n",
          {Item("Odd", "sometime last week")});
  RecordCollector kept;
  ASSERT_OK(connector.Parse(with_channel_date, Context("dates.xml"), kept));
  ASSERT_EQ(kept.order, "m");
  EXPECT_EQ(FormatRfc3339(kept.mentions[0].mention.created_at_ms), "2023-01-03T07:30:00.000Z");

  // No date element at all, and none on the channel.
  const std::string undated = Rss(kBlogHead, {"<item><title>Undated</title></item>\n"});
  RecordCollector none;
  ASSERT_OK(connector.Parse(undated, Context("dates.xml"), none));
  ASSERT_EQ(none.order, "r");
  EXPECT_TRUE(Contains(none.rejects[0].reason, "no date")) << none.rejects[0].reason;
}

TEST(FeedConnectorTest, HugeItemIsRejected) {
  const std::string huge = "<item>\n<title>Huge</title>\n<description>" + std::string(5000, 'x') +
                           "</description>\n<pubDate>Mon, 02 Jan 2023 10:00:00 GMT</pubDate>\n</item>\n";
  const std::string doc = Rss(kBlogHead, {Item("Small"), huge, Item("Also small")});
  ParseContext ctx = Context("huge.xml");
  ctx.max_record_bytes = 1000;
  RecordCollector sink;
  FeedConnector connector;
  ASSERT_OK(connector.Parse(doc, ctx, sink));
  ASSERT_EQ(sink.order, "mrm");
  EXPECT_TRUE(Contains(sink.rejects[0].reason, "max_record_bytes")) << sink.rejects[0].reason;
  EXPECT_TRUE(Contains(sink.rejects[0].reason, std::to_string(huge.size() - 1) + " bytes")) << sink.rejects[0].reason;
  EXPECT_LE(sink.rejects[0].raw.size(), 1000u);
  EXPECT_EQ(sink.mentions[1].mention.title, "Also small");
}

TEST(FeedConnectorTest, EmptyItemIsRejectedTitleOnlyItemIsKept) {
  const std::string doc = Rss(kBlogHead, {"<item><pubDate>Mon, 02 Jan 2023 10:00:00 GMT</pubDate></item>\n",
                                          "<item><title>Only a title</title><pubDate>Mon, 02 Jan 2023 10:00:00 "
                                          "GMT</pubDate></item>\n"});
  RecordCollector sink;
  FeedConnector connector;
  ASSERT_OK(connector.Parse(doc, Context("empty.xml"), sink));
  ASSERT_EQ(sink.order, "rm");
  EXPECT_TRUE(Contains(sink.rejects[0].reason, "no title, no text and no link")) << sink.rejects[0].reason;
  const Mention& m = sink.mentions[0].mention;
  EXPECT_EQ(m.title, "Only a title");
  EXPECT_TRUE(m.text.empty());
  // Neither guid nor link: "<channel site>/<hex Hash64(title + date)>".
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016" PRIx64, Hash64("Only a title\nMon, 02 Jan 2023 10:00:00 GMT"));
  EXPECT_EQ(m.external_id, std::string("blog.example.com/") + hex);
  EXPECT_EQ(m.site, "blog.example.com");
}

TEST(FeedConnectorTest, Windows1252AndChannelOverride) {
  const std::string doc =
      "<?xml version=\"1.0\" encoding=\"windows-1252\"?>\n<rss version=\"2.0\"><channel>"
      "<title>Daily News</title><link>http://example.org/</link><language>de-DE</language>"
      "<item><title>\x93Quoted\x94 \x80 price</title><link>http://example.org/a</link>"
      "<dc:creator xmlns:dc=\"http://purl.org/dc/elements/1.1/\">J\xfcrgen</dc:creator>"
      "<pubDate>Mon, 02 Jan 2023 10:00:00 GMT</pubDate></item></channel></rss>";
  FeedConnector connector;
  RecordCollector sink;
  ASSERT_OK(connector.Parse(doc, Context("cp1252.xml"), sink));
  ASSERT_EQ(sink.mentions.size(), 1u);
  const Mention& m = sink.mentions[0].mention;
  EXPECT_EQ(m.title, "\u201cQuoted\u201d \u20ac price");
  EXPECT_EQ(m.author.display_name, "J\u00fcrgen");
  EXPECT_EQ(m.language, "de");
  EXPECT_EQ(m.channel, Channel::kNews);  // "News" in the feed title

  ParseContext ctx = Context("cp1252.xml");
  ctx.channel = Channel::kReview;
  RecordCollector forced;
  ASSERT_OK(connector.Parse(doc, ctx, forced));
  ASSERT_EQ(forced.mentions.size(), 1u);
  EXPECT_EQ(forced.mentions[0].mention.channel, Channel::kReview);
}

TEST(FeedConnectorTest, AtomTextConstructsAndFeedFallbacks) {
  const std::string doc = R"(<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr-CA">
  <title>Un blogue</title>
  <link rel="self" href="https://blogue.example.ca/feed.atom"/>
  <link href="https://blogue.example.ca/"/>
  <updated>2024-03-01T12:00:00Z</updated>
  <author><name>La r&#233;daction</name></author>
  <entry>
    <title type="html">&lt;em&gt;Bonjour&lt;/em&gt; &amp;amp; bienvenue</title>
    <id>tag:blogue.example.ca,2024:1</id>
    <link rel="alternate" href="/2024/bonjour"/>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Premier <b>paragraphe</b> <i>ici</i>.</p><p>Voir <a href="https://autre.example.org/x">ceci</a>.</p></div></content>
  </entry>
  <entry>
    <title>Texte &lt;brut&gt;</title>
    <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>
    <updated>2024-02-28T08:00:00+01:00</updated>
    <summary type="text">Une ligne &lt;b&gt;pas du HTML&lt;/b&gt;
      et une autre.</summary>
  </entry>
</feed>
)";
  FeedConnector connector;
  RecordCollector sink;
  ASSERT_OK(connector.Parse(doc, Context("fr.atom"), sink));
  ASSERT_EQ(sink.mentions.size(), 2u);
  const Mention& a = sink.mentions[0].mention;
  EXPECT_EQ(sink.mentions[0].ref.line, 8);
  EXPECT_EQ(a.id, "feed:tag:blogue.example.ca,2024:1");
  EXPECT_EQ(a.title, "Bonjour & bienvenue");
  EXPECT_EQ(a.url, "https://blogue.example.ca/2024/bonjour");  // resolved against the feed link
  EXPECT_EQ(a.text, "Premier paragraphe ici.\nVoir ceci.");
  EXPECT_EQ(a.links, Links{"https://autre.example.org/x"});
  EXPECT_EQ(a.author.display_name, "La r\u00e9daction");                  // inherited from the feed
  EXPECT_EQ(FormatRfc3339(a.created_at_ms), "2024-03-01T12:00:00.000Z");  // the feed's updated
  EXPECT_EQ(a.language, "fr");
  EXPECT_EQ(a.channel, Channel::kBlog);

  const Mention& b = sink.mentions[1].mention;
  EXPECT_EQ(b.id, "feed:urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a");
  EXPECT_EQ(b.title, "Texte <brut>");
  EXPECT_EQ(b.text, "Une ligne <b>pas du HTML</b>\net une autre.");  // type text stays text
  EXPECT_TRUE(b.links.empty());
  EXPECT_TRUE(b.url.empty());
  EXPECT_EQ(b.site, "blogue.example.ca");
  EXPECT_EQ(FormatRfc3339(b.created_at_ms), "2024-02-28T07:00:00.000Z");
}

// Regression: character references to control characters ("&#1;") reached
// ids and urls as they were (found by feed_connector_fuzz); a guid of
// nothing else is no guid.
TEST(FeedConnectorTest, ControlCharacterReferencesAreCleanedFromEveryField) {
  const std::string doc =
      Rss(kBlogHead, {"<item><title>A</title><link>https://blog.example.com/a&#1;b</link>"
                      "<guid>tag:blog.example.com,2024:&#27;7</guid>"
                      "<pubDate>Mon, 02 Jan 2023 10:00:00 GMT</pubDate></item>\n",
                      "<item><title>B</title><link>https://blog.example.com/b</link><guid>&#2;</guid>"
                      "<pubDate>Mon, 02 Jan 2023 10:00:00 GMT</pubDate></item>\n"});
  RecordCollector sink;
  FeedConnector connector;
  ASSERT_OK(connector.Parse(doc, Context("controls.xml"), sink));
  ASSERT_EQ(sink.mentions.size(), 2u);
  EXPECT_EQ(sink.mentions[0].mention.id, "feed:tag:blog.example.com,2024:7");
  EXPECT_EQ(sink.mentions[0].mention.url, "https://blog.example.com/ab");
  EXPECT_EQ(sink.mentions[1].mention.id, "feed:https://blog.example.com/b");
}

// Regression: an item with a link but no guid was identified by the hash
// of its title and date instead of its url, as the url had been moved out
// before the id was chosen.
TEST(FeedConnectorTest, ItemWithLinkButNoGuidIsIdentifiedByItsUrl) {
  RecordCollector sink;
  FeedConnector connector;
  ASSERT_OK(connector.Parse(Rss(kBlogHead, {Item("Hello world")}), Context("noguid.xml"), sink));
  ASSERT_EQ(sink.mentions.size(), 1u);
  EXPECT_EQ(sink.mentions[0].mention.external_id, "https://blog.example.com/Hello-world");
  EXPECT_EQ(sink.mentions[0].mention.url, "https://blog.example.com/Hello-world");
}

}  // namespace
}  // namespace earshot::ingest
