#include "ingest/normalize.h"

#include <gtest/gtest.h>

#include "ingest/feed_connector.h"
#include "ingest/connector.h"
#include "testutil.h"

namespace earshot::ingest {
namespace {

class Collect : public RecordSink {
 public:
  void OnMention(Mention m, const RecordRef&) override { mentions.push_back(std::move(m)); }
  void OnReject(const RecordRef&, std::string, std::string_view) override {}
  void OnSkip(const RecordRef&, std::string) override {}
  std::vector<Mention> mentions;
};

TEST(NormalizeTest, CleansLanguageSiteAndCountry) {
  Mention m;
  m.language = "en-US";
  m.url = "https://WWW.Example.com/a";
  m.geo.country = "de";
  NormalizeMention(m);
  EXPECT_EQ(m.language, "en");
  EXPECT_EQ(m.site, "example.com");
  EXPECT_EQ(m.geo.country, "DE");
}

TEST(NormalizeTest, RepairsTheDoubleEncodedYandexFeed) {
  // The file declares UTF-8 but its Russian text was double-encoded at the source.
  std::string feed = earshot::testing::ReadFileOrDie(earshot::testing::SharedData("feeds/Rss20YandexRussia.xml"));
  Collect c;
  ParseContext ctx;
  ASSERT_TRUE(NewFeedConnector()->Parse(feed, ctx, c).ok());
  ASSERT_EQ(c.mentions.size(), 15u);
  int cyrillic = 0;
  for (Mention& m : c.mentions) {
    NormalizeMention(m);
    if (m.title.find("\xD0") != std::string::npos || m.title.find("\xD1") != std::string::npos) ++cyrillic;
    EXPECT_EQ(m.title.find("\xC3\x90"), std::string::npos) << m.title;  // no "Ð" left
  }
  EXPECT_EQ(cyrillic, 15);
}

TEST(CleanMentionStringsTest, RemovesControlsRepairsUtf8AndDropsEmptiedListEntries) {
  Mention m;
  m.external_id = "12\x01";
  m.id = "x:12\x01";
  m.author.handle = "j\x1b[1mdoe";
  m.text = "line one\nline\ttwo\r\n\x7f";  // tab, LF, CR and DEL stay
  m.title = "caf\xC3";                      // a cut-off "é"
  m.hashtags = {"a\x02", "a", "\x03", "b"};
  m.links = {std::string("https://example.com/a") + '\0' + "b"};
  CleanMentionStrings(m);
  EXPECT_EQ(m.external_id, "12");
  EXPECT_EQ(m.id, "x:12");
  EXPECT_EQ(m.author.handle, "j[1mdoe");
  EXPECT_EQ(m.text, "line one\nline\ttwo\r\n\x7f");
  EXPECT_EQ(m.title, "caf\xEF\xBF\xBD");
  EXPECT_EQ(m.hashtags, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(m.links, (std::vector<std::string>{"https://example.com/ab"}));
}

}  // namespace
}  // namespace earshot::ingest
