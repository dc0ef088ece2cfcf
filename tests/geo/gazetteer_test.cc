#include "geo/gazetteer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "geo/place_text.h"
#include "testutil.h"

namespace earshot::geo {
namespace {

// A two-country gazetteer in the format tools/build_gazetteer.py writes.
constexpr std::string_view kSmallTsv =
    "# test gazetteer\n"
    "C\tUS\tUSA\tUnited States\t310232863\t38.8951\t-77.0364\t\n"
    "C\tDE\tDEU\tGermany\t81802257\t52.5244\t13.4105\tDeutschland\n"
    "A\tUS\tTX\tTexas\tTX\n"
    "A\tUS\tMN\tMinnesota\tMN\n"
    "A\tDE\t02\tBavaria\tBayern\n"
    "P\tAustin\tUS\tTX\t790390\t30.2672\t-97.7431\t\n"
    "P\tAustin\tUS\tMN\t24718\t43.6666\t-92.9746\t\n"
    "P\tMünchen\tDE\t02\t1260391\t48.1374\t11.5755\tMunich|Muenchen|ミュンヘン\n"
    "L\tATX\tP\t0\t0\n"
    "L\tMuc\tP\t2\t1\n"
    "S\tEarth\t1\n"
    "S\tHome\t0\n";

Gazetteer ParseOrDie(std::string_view tsv) {
  Result<Gazetteer> g = Gazetteer::Parse(tsv);
  EXPECT_TRUE(g.ok()) << g.status().ToString();
  return std::move(g).value();
}

TEST(PlaceTextTest, FoldsCaseAccentsAndPunctuation) {
  EXPECT_EQ(NormalizePlaceName("München"), "munchen");
  EXPECT_EQ(NormalizePlaceName("São Paulo"), "sao paulo");
  EXPECT_EQ(NormalizePlaceName("Saint-Étienne"), "saint etienne");
  EXPECT_EQ(NormalizePlaceName("Straße"), "strasse");
  EXPECT_EQ(NormalizePlaceName("Ra’s al Khaymah"), "ras al khaymah");
  EXPECT_EQ(NormalizePlaceName("Washington, D. C."), "washington d c");
  EXPECT_EQ(NormalizePlaceName("  NEW   york "), "new york");
  EXPECT_EQ(NormalizePlaceName("東京都"), "東京都");
  EXPECT_EQ(NormalizePlaceName("Łódź"), "lodz");
  EXPECT_EQ(NormalizePlaceName("ＮＹＣ"), "nyc");  // full-width
  EXPECT_EQ(NormalizePlaceName("🌍"), "");
  EXPECT_EQ(NormalizePlaceName(""), "");
}

TEST(PlaceTextTest, SplitsSegmentsAtSeparators) {
  const PlaceText t("Austin, TX | Remote 🚀 Berlin");
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t.Key(0, 0), "austin");
  EXPECT_EQ(t.token(0).segment, 0);
  EXPECT_EQ(t.Key(1, 1), "tx");
  EXPECT_EQ(t.token(1).segment, 1);
  EXPECT_TRUE(t.token(1).all_upper);
  EXPECT_EQ(t.token(2).segment, 2);
  EXPECT_EQ(t.token(3).segment, 3);
  EXPECT_TRUE(t.token(3).capitalized);
  EXPECT_FALSE(t.token(3).all_upper);
}

TEST(PlaceTextTest, KeepsHyphenatedNamesInOneSegmentButSplitsADash) {
  const PlaceText a("Ashton-under-Lyne");
  EXPECT_EQ(a.segment_count(), 1);
  EXPECT_EQ(a.All(), "ashton under lyne");
  const PlaceText b("UK - North West");
  EXPECT_EQ(b.segment_count(), 2);
}

TEST(PlaceTextTest, TreatsEachCjkCharacterAsAToken) {
  const PlaceText t("東京都渋谷区");
  ASSERT_EQ(t.size(), 6u);
  EXPECT_EQ(t.Key(0, 2), "東京都");
  EXPECT_TRUE(t.token(0).dense);
}

TEST(PlaceTextTest, SurvivesLongAndInvalidInput) {
  const std::string big(1 << 20, 'a');
  const PlaceText t(big);
  EXPECT_LE(t.size(), PlaceText::kMaxTokens);
  std::string words;
  for (int i = 0; i < 1000; ++i) words += "ab ";
  const PlaceText w(words);
  EXPECT_EQ(w.size(), PlaceText::kMaxTokens);
  const PlaceText bad(std::string("\xff\xfe Par\xc3is \x80\xc3", 10));
  EXPECT_GE(bad.size(), 1u);
}

TEST(GazetteerTest, ParsesRecordsAndFindsNames) {
  const Gazetteer g = ParseOrDie(kSmallTsv);
  ASSERT_EQ(g.countries().size(), 2u);
  ASSERT_EQ(g.admin1s().size(), 3u);
  ASSERT_EQ(g.cities().size(), 3u);
  EXPECT_EQ(g.cities()[0].name, "Austin");
  EXPECT_EQ(g.admin1s()[static_cast<size_t>(g.cities()[0].admin1)].name, "Texas");

  const NameInfo austin = g.Find("austin");
  ASSERT_EQ(austin.entries.size(), 2u);
  EXPECT_EQ(austin.entries[0].kind, PlaceKind::kCity);

  const NameInfo munich = g.Find("munich");
  ASSERT_EQ(munich.entries.size(), 1u);
  EXPECT_EQ(munich.entries[0].index, 2u);
  EXPECT_EQ(g.Find("ミュンヘン").entries.size(), 1u);
  EXPECT_EQ(g.Find("muenchen").entries.size(), 1u);

  const NameInfo tx = g.Find("tx");
  ASSERT_EQ(tx.entries.size(), 1u);
  EXPECT_EQ(tx.entries[0].kind, PlaceKind::kAdmin1);
  EXPECT_EQ(g.Find("bayern").entries.size(), 1u);

  // Countries by name, ISO2 and ISO3.
  EXPECT_EQ(g.Find("germany").entries.size(), 1u);
  EXPECT_EQ(g.Find("deutschland").entries.size(), 1u);
  EXPECT_EQ(g.Find("deu").entries.size(), 1u);
  EXPECT_EQ(g.Find("us").entries[0].kind, PlaceKind::kCountry);
  ASSERT_TRUE(g.FindCountry("de").has_value());
  EXPECT_EQ(g.countries()[*g.FindCountry("DE")].name, "Germany");
  EXPECT_FALSE(g.FindCountry("XX").has_value());
  EXPECT_FALSE(g.FindCountry("").has_value());

  EXPECT_FALSE(g.Find("paris").found());
  EXPECT_FALSE(g.Find("").found());
}

TEST(GazetteerTest, FlagsAliasesAndStopwords) {
  const Gazetteer g = ParseOrDie(kSmallTsv);
  const NameInfo atx = g.Find("atx");
  ASSERT_EQ(atx.entries.size(), 1u);
  EXPECT_TRUE(atx.entries[0].alias);
  EXPECT_FALSE(atx.entries[0].preferred);
  EXPECT_TRUE(g.Find("muc").entries[0].preferred);

  const NameInfo earth = g.Find("earth");
  EXPECT_TRUE(earth.found());
  EXPECT_TRUE(earth.stopword);
  EXPECT_TRUE(earth.imaginary);
  EXPECT_TRUE(earth.entries.empty());
  EXPECT_TRUE(g.Find("home").stopword);
  EXPECT_FALSE(g.Find("home").imaginary);
}

TEST(GazetteerTest, FindsCitiesNearAPoint) {
  const Gazetteer g = ParseOrDie(kSmallTsv);
  auto near = g.CitiesWithin(30.3, -97.7, 50);
  ASSERT_EQ(near.size(), 1u);
  EXPECT_EQ(g.cities()[near[0].city].name, "Austin");
  EXPECT_LT(near[0].km, 6);
  EXPECT_TRUE(g.CitiesWithin(0, 0, 250).empty());
  EXPECT_TRUE(g.CitiesWithin(std::nan(""), 0, 250).empty());
  EXPECT_TRUE(g.CitiesWithin(91, 0, 250).empty());
  EXPECT_TRUE(g.CitiesWithin(89.9, 179.9, 500).empty());  // near the pole: every column, no crash
  near = g.CitiesWithin(40, -95, 2000);
  ASSERT_EQ(near.size(), 2u);
  EXPECT_LT(near[0].km, near[1].km);
}

TEST(GazetteerTest, RejectsMalformedRecordsNamingTheLine) {
  const Result<Gazetteer> bad_type = Gazetteer::Parse("C\tUS\tUSA\tUnited States\t1\t0\t0\t\nX\tfoo\n");
  ASSERT_FALSE(bad_type.ok());
  EXPECT_EQ(bad_type.status().code(), StatusCode::kCorruption);
  EXPECT_NE(bad_type.status().message().find("line 2"), std::string::npos) << bad_type.status().ToString();

  EXPECT_FALSE(Gazetteer::Parse("P\tAustin\tUS\tTX\t1\t30\t-97\t\n").ok());  // unknown country
  EXPECT_FALSE(Gazetteer::Parse("C\tUS\tUSA\tUnited States\tmany\t0\t0\t\n").ok());
  EXPECT_FALSE(Gazetteer::Parse("C\tUS\tUSA\n").ok());
  EXPECT_FALSE(Gazetteer::Parse("C\tUS\tUSA\tUnited States\t1\t0\t0\t\nP\tX\tUS\t\t1\t95\t0\t\n").ok());
  EXPECT_FALSE(Gazetteer::Parse("C\tUS\tUSA\tUnited States\t1\t0\t0\t\nL\tX\tP\t0\t0\n").ok());  // no city 0
  EXPECT_TRUE(Gazetteer::Parse("").ok());
  EXPECT_TRUE(Gazetteer::Parse("# only a comment\r\n").ok());
}

TEST(GazetteerTest, EmbeddedGazetteerCoversTheWorld) {
  const Gazetteer& g = Gazetteer::Embedded();
  EXPECT_EQ(&g, &Gazetteer::Embedded());
  EXPECT_GE(g.countries().size(), 250u);
  EXPECT_GE(g.admin1s().size(), 3900u);
  EXPECT_GE(g.cities().size(), 22000u);
  for (std::string_view key : {"munchen", "new york city", "nyc", "tokyo", "東京", "sao paulo", "texas", "tx",
                               "new south wales", "deutschland", "bay area", "silicon valley", "koln", "cologne"}) {
    EXPECT_FALSE(g.Find(key).entries.empty()) << key;
  }
  EXPECT_TRUE(g.Find("earth").stopword);
  // Nearly every city's region is known for the countries Earshot sees most
  // (a few GeoNames codes in the 2012 cities file have no admin1 row).
  int known = 0, listed = 0;
  for (const City& c : g.cities()) {
    const std::string& cc = g.countries()[c.country].iso2;
    if (cc == "US" || cc == "GB" || cc == "DE" || cc == "FR" || cc == "JP" || cc == "ES" || cc == "CA") {
      ++listed;
      known += c.admin1 >= 0 ? 1 : 0;
    }
  }
  EXPECT_GE(known, listed * 99 / 100) << known << " of " << listed;
}

}  // namespace
}  // namespace earshot::geo
