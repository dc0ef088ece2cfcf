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

}  // namespace
}  // namespace earshot::ingest
