#include "geo/resolver.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdio>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/strings.h"
#include "sim/lexicon.h"
#include "sim/out_buffer.h"
#include "sim/sim.h"
#include "testutil.h"

namespace earshot::geo {
namespace {

struct Case {
  std::string_view text;
  std::string_view country;  // "" when nothing should resolve
  std::string_view city = "";
  std::string_view admin1 = "";
};

std::string Describe(const std::optional<Place>& p) {
  if (!p) return "nothing";
  return p->country + " / " + p->admin1 + " / " + p->city;
}

void ExpectCases(const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    const std::optional<Place> p = ResolveLocation(c.text);
    if (c.country.empty()) {
      EXPECT_FALSE(p.has_value()) << "'" << c.text << "' -> " << Describe(p);
      continue;
    }
    ASSERT_TRUE(p.has_value()) << "'" << c.text << "' resolved to nothing";
    EXPECT_EQ(p->country, c.country) << "'" << c.text << "' -> " << Describe(p);
    EXPECT_EQ(p->city, c.city) << "'" << c.text << "' -> " << Describe(p);
    if (!c.admin1.empty()) {
      EXPECT_EQ(p->admin1, c.admin1) << "'" << c.text << "' -> " << Describe(p);
    }
    EXPECT_GT(p->confidence, 0) << c.text;
    EXPECT_LE(p->confidence, 1) << c.text;
  }
}

TEST(ResolveLocationTest, ResolvesTheIssueExamples) {
  ExpectCases({
      {"Austin, TX", "US", "Austin", "Texas"},
      {"NYC", "US", "New York City", "New York"},
      {"München", "DE", "München", "Bavaria"},
      {"London, UK", "GB", "London", "England"},
      {"Bay Area", "US", "San Francisco", "California"},
      {"Earth", ""},
  });
}

TEST(ResolveLocationTest, ResolvesProfileLocationsAsPeopleWriteThem) {
  ExpectCases({
      {"Paris, France", "FR", "Paris"},
      {"São Paulo", "BR", "São Paulo"},
      {"Sao Paulo, Brazil", "BR", "São Paulo"},
      {"東京", "JP", "Tokyo"},
      {"東京都渋谷区", "JP", "Tokyo"},
      {"Berlin | Remote", "DE", "Berlin"},
      {"berlin", "DE", "Berlin"},
      {"austin, tx", "US", "Austin", "Texas"},
      {"Huntsville Alabama", "US", "Huntsville", "Alabama"},
      {"New Orleans, LA", "US", "New Orleans", "Louisiana"},  // LA after a city is Louisiana
      {"Los Angeles, CA", "US", "Los Angeles", "California"},
      {"Toronto, ON", "CA", "Toronto", "Ontario"},
      {"Montréal, QC", "CA", "Montréal", "Quebec"},
      {"Vancouver, BC", "CA", "Vancouver"},
      {"Vancouver, WA", "US", "Vancouver", "Washington"},
      {"Sydney, NSW", "AU", "Sydney", "New South Wales"},
      {"Seoul, Republic of Korea", "KR", "Seoul"},
      {"Mumbai, India.", "IN", "Mumbai"},
      {"Bengaluru, India", "IN", "Bangalore"},
      {"Monterrey, NL", "MX", "Monterrey"},
      {"Edinburgh, Scotland", "GB", "Edinburgh", "Scotland"},
      {"Halifax, England", "GB", "Halifax", "England"},  // not Halifax, Nova Scotia
      {"Launceston, England", "GB", "", "England"},      // not Launceston, Tasmania
      {"Derry, Northern Ireland", "GB", "Derry"},
      {"London & Brighton, England", "GB", "London"},
      {"Cardiff, Glasgow and London", "GB", "Cardiff"},
      {"Philadelphia and Washington", "US", "Philadelphia"},
      {"near London", "GB", "London"},
      {"South Belfast", "GB", "Belfast"},
      {"#london", "GB", "London"},
      {"☆ Spain", "ES"},
      {"she/her. 33y/o. USA.", "US"},
      {"Cornwall UK", "GB", "", "England"},
      {"northumberland. uk.", "GB"},
      {"UK - North West", "GB"},
      {"South West, England", "GB", "", "England"},
      {"Scotland, United Kingdom", "GB", "", "Scotland"},
      {"England", "GB", "", "England"},
      {"Deutschland", "DE"},
      {"España", "ES"},
      {"日本", "JP"},
      {"ประเทศไทย", "TH"},
      {"กรุงเทพมหานคร, ประเทศไทย", "TH", "Bangkok"},
      {"Conamara, Éire.", "IE"},
      {"Alsace, Bretagne, Corse", "FR"},
      {"Mars, PA", "US", "", "Pennsylvania"},  // unknown town, known state
      {"Texas", "US", "", "Texas"},
      {"New South Wales", "AU", "", "New South Wales"},
      {"Republic of the Philippines", "PH"},
      {"BR", "BR"},
      {"USA", "US"},
      {"UK", "GB"},
      {"United Kingdom", "GB"},
  });
}

TEST(ResolveLocationTest, ResolvesNicknamesAndOtherLanguages) {
  ExpectCases({
      {"SF", "US", "San Francisco"},
      {"LA", "US", "Los Angeles"},
      {"the Big Apple", "US", "New York City"},
      {"Silicon Valley", "US", "San Jose"},
      {"ATX", "US", "Austin"},
      {"Chi-town", "US", "Chicago"},
      {"DMV", "US", "", "Washington, D.C."},
      {"PNW", "US", "", "Washington"},
      {"Washington, DC", "US", "Washington, D. C."},
      {"CDMX", "MX", "Mexico City"},
      {"FFM", "DE", "Frankfurt am Main"},
      {"Frankfurt", "DE", "Frankfurt am Main"},  // not Frankfurt (Oder)
      {"Köln", "DE", "Köln"},
      {"Cologne, Germany", "DE", "Köln"},
      {"Wien", "AT", "Vienna"},
      {"Zürich", "CH", "Zürich"},
      {"Bruxelles", "BE", "Brussels"},
      {"Munich, Germany", "DE", "München"},
      {"München, Deutschland", "DE", "München"},
      {"Madrid, España", "ES", "Madrid"},
      {"大阪", "JP", "Ōsaka-shi"},
      {"横浜", "JP", "Yokohama-shi"},
      {"Île-de-France", "FR", "", "Île-de-France"},
      {"Bayern", "DE", "", "Bavaria"},
      {"Scotland", "GB", "", "Scotland"},
  });
}

TEST(ResolveLocationTest, DisambiguatesByRegionCountryAndPopulation) {
  ExpectCases({
      {"Portland", "US", "Portland", "Oregon"},  // by population
      {"Portland, ME", "US", "Portland", "Maine"},
      {"Portland, Maine", "US", "Portland", "Maine"},
      {"Cambridge, UK", "GB", "Cambridge"},
      {"Cambridge, England", "GB", "Cambridge"},
      {"Cambridge, MA", "US", "Cambridge", "Massachusetts"},
      {"Paris", "FR", "Paris"},
      {"Paris, TX", "US", "Paris", "Texas"},
      {"Paris, Texas", "US", "Paris", "Texas"},
      {"Austin", "US", "Austin", "Texas"},
      {"London", "GB", "London"},
      {"London, Ontario", "CA", "London", "Ontario"},
      {"Toronto, CA", "CA", "Toronto"},  // CA after a Canadian city is Canada
      {"San Jose, CA", "US", "San Jose"},
      {"Santa Fe, Argentina", "AR", "Santa Fe de la Vera Cruz"},
      {"Birmingham", "GB", "Birmingham"},
      {"Birmingham, AL", "US", "Birmingham", "Alabama"},
      {"Reading, UK", "GB", "Reading"},  // a stopword alone, a town with its country
      {"Nice, France", "FR", "Nice"},
      {"Georgia", "GE"},                      // a country's name wins over the state
      {"Atlanta, Georgia", "US", "Atlanta"},  // ...unless a city agrees with the state
      {"Washington", "US", "", "Washington"},  // the state: its cities outnumber DC
      {"Springfield", "US"},  // many Springfields, all in the US: the country only
      {"Colorado", "US", "", "Colorado"},  // the state, not the town in Brazil
      {"Manchester", "GB", "Manchester"},  // not the parish in Jamaica
  });
}

// "CA" alone is taken as California (more US profiles write "CA" than
// Canadian ones, who write "Canada" or their province); after a Canadian
// city it is Canada. Two-letter codes that are both a country and a US
// state ("IN", "DE", "GA") resolve to nothing alone.
TEST(ResolveLocationTest, TreatsBareCodesConservatively) {
  ExpectCases({
      {"CA", "US", "", "California"},
      {"TX", "US", "", "Texas"},
      {"IN", ""},
      {"DE", ""},
      {"tx", ""},  // lower case alone is chat more often than a code
      {"dm", ""},
      {"ph", ""},
      {"PT-BR | ENG", ""},
      {"21 PERA FOR MX cutie", ""},
  });
}

TEST(ResolveLocationTest, ResolvesNothingForTextThatNamesNoPlace) {
  ExpectCases({
      {"", ""},
      {"Earth", ""},
      {"Planet Earth", ""},
      {"Planet Earth (Mostly Harmless)", ""},
      {"Worldwide", ""},
      {"Everywhere", ""},
      {"Nowhere", ""},
      {"Home", ""},
      {"Internet", ""},
      {"Remote", ""},
      {"the cloud ☁️", ""},
      {"localhost", ""},
      {"127.0.0.1", ""},
      {"/dev/null", ""},
      {"she/her", ""},
      {"he/him", ""},
      {"she/her🏳️‍🌈", ""},
      {"🌍", ""},
      {"🇪🇺", ""},
      {"Europe", ""},
      {"♡", ""},
      {"#DesdeTodasPartes", ""},
      {"https://example.com/about", ""},
      {"somewhere in the stack", ""},
      {"Wherever the Wi-Fi is", ""},
      {"On call 📟", ""},
      {"Vulcan/Earth", ""},  // not Vulcan, Romania
      {"Hell | someone@example.com", ""},
      {"Stranger in a Strange Land", ""},
      {"University of Bath // he/him", ""},  // "Bath" inside a phrase is too weak
      {"Reading", ""},
      {"Nice", ""},
      {"Victoria", ""},   // Australian state or one of several cities
      {"Cambridge", ""},  // England and Massachusetts are close in size
      {"+63 she/her, coping 09.99%", ""},
      {"이유 시현 미아 온다 아샤 이런", ""},
      {"Amazon.co.jpアソシエイト", ""},
  });
}

TEST(ResolveLocationTest, ReadsCoordinatesWrittenAsText) {
  auto p = ResolveLocation("40.7,-74.0");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->country, "US");
  EXPECT_EQ(p->city, "New York City");
  EXPECT_DOUBLE_EQ(p->lat, 40.7);
  EXPECT_DOUBLE_EQ(p->lon, -74.0);

  p = ResolveLocation("ÜT: -15.8198274,35.0281207");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->country, "MW");
  EXPECT_EQ(p->city, "Blantyre");

  p = ResolveLocation("iPhone: 51.5072 -0.1276");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->country, "GB");

  EXPECT_FALSE(ResolveLocation("0.0,0.0").has_value());  // Null Island: open sea
  EXPECT_FALSE(ResolveLocation("95.0,10.0").has_value());
}

TEST(ResolveLocationTest, SurvivesHostileInput) {
  const std::string big(1 << 20, 'x');
  EXPECT_FALSE(ResolveLocation(big).has_value());
  std::string paris_then_noise = "Paris, France " + std::string(1 << 20, '!');
  auto p = ResolveLocation(paris_then_noise);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->country, "FR");
  std::string many_names;
  for (int i = 0; i < 5000; ++i) many_names += "London, Paris, ";
  EXPECT_TRUE(ResolveLocation(many_names).has_value());
  const char invalid[] = "\xff\xfe\xc3\x28 Ber\x80lin \xed\xa0\x80 \xf0\x9f";
  EXPECT_FALSE(ResolveLocation(std::string_view(invalid, sizeof(invalid) - 1)).has_value());
  const std::string nuls("Ber\0lin", 7);
  (void)ResolveLocation(nuls);
  std::string all_bytes;
  for (int i = 0; i < 256; ++i) all_bytes.push_back(static_cast<char>(i));
  (void)ResolveLocation(all_bytes);
  std::string cjk;
  for (int i = 0; i < 200; ++i) cjk += "東";
  (void)ResolveLocation(cjk);
}

TEST(ResolvePointTest, FindsTheCityOrTheCountry) {
  auto p = ResolvePoint(48.137, 11.575);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->country, "DE");
  EXPECT_EQ(p->city, "München");
  EXPECT_EQ(p->admin1, "Bavaria");
  EXPECT_GT(p->confidence, 0.9);

  p = ResolvePoint(50.955, 6.99);  // nearest is Köln-Mülheim, a district of Köln
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->city, "Köln");

  p = ResolvePoint(35.6895, 139.6917);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->city, "Tokyo");

  p = ResolvePoint(-33.87, 151.21);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->country, "AU");
  EXPECT_EQ(p->city, "Sydney");

  // Far from any listed city but within reach of one: the country only.
  p = ResolvePoint(64.0, -150.0);
  if (p) {
    EXPECT_EQ(p->country, "US");
    EXPECT_TRUE(p->city.empty());
  }
  EXPECT_FALSE(ResolvePoint(0, -140).has_value());  // Pacific
  EXPECT_FALSE(ResolvePoint(91, 0).has_value());
  EXPECT_FALSE(ResolvePoint(0, 181).has_value());
  EXPECT_FALSE(ResolvePoint(std::nan(""), 0).has_value());
  EXPECT_FALSE(ResolvePoint(-89.9, 0).has_value());
  // The antimeridian: Fiji sits across it.
  p = ResolvePoint(-18.14, 178.44);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->country, "FJ");
}

TEST(ResolveMentionGeoTest, PrefersPointThenPlaceThenProfile) {
  Mention m;
  m.geo.lat = 30.27;
  m.geo.lon = -97.74;
  m.author.profile_location = "Paris, France";
  ResolveMentionGeo(m);
  EXPECT_EQ(m.geo.country, "US");
  EXPECT_EQ(m.geo.city, "Austin");

  Mention placed;
  placed.geo.place = "Manhattan, NY";
  placed.geo.country = "US";
  placed.author.profile_location = "Berlin";
  ResolveMentionGeo(placed);
  EXPECT_EQ(placed.geo.country, "US");
  EXPECT_EQ(placed.geo.city, "New York City");  // GeoNames lists Manhattan as one of its names

  Mention profile;
  profile.author.profile_location = "München";
  ResolveMentionGeo(profile);
  EXPECT_EQ(profile.geo.country, "DE");
  EXPECT_EQ(profile.geo.city, "München");

  Mention junk;
  junk.author.profile_location = "Planet Earth";
  ResolveMentionGeo(junk);
  EXPECT_TRUE(junk.geo.country.empty());
  EXPECT_TRUE(junk.geo.city.empty());
}

TEST(ResolveMentionGeoTest, KeepsTheSourceCountry) {
  Mention m;
  m.geo.country = "FR";
  m.author.profile_location = "Austin, TX";  // the post says France: keep it, no Austin
  ResolveMentionGeo(m);
  EXPECT_EQ(m.geo.country, "FR");
  EXPECT_TRUE(m.geo.city.empty());

  Mention same;
  same.geo.country = "US";
  same.author.profile_location = "Austin, TX";
  ResolveMentionGeo(same);
  EXPECT_EQ(same.geo.country, "US");
  EXPECT_EQ(same.geo.city, "Austin");

  Mention city_given;
  city_given.geo.city = "Lyon";
  city_given.author.profile_location = "Paris, France";
  ResolveMentionGeo(city_given);
  EXPECT_EQ(city_given.geo.city, "Lyon");
}

// ---- Coverage and accuracy on real and simulated profile locations -----

struct Tally {
  int total = 0;            // labelled locations
  int places = 0;           // labelled with a country
  int places_resolved = 0;  // ...that resolved to some country
  int places_right = 0;     // ...to the labelled one
  int nones = 0;            // labelled '-': the text names no place
  int nones_resolved = 0;   // ...that resolved anyway (an error)

  void Add(std::string_view expected, const std::optional<Place>& got) {
    ++total;
    if (expected == "-") {
      ++nones;
      nones_resolved += got ? 1 : 0;
      return;
    }
    ++places;
    if (got) {
      ++places_resolved;
      places_right += got->country == expected ? 1 : 0;
    }
  }
  static double Share(int a, int b) { return b ? static_cast<double>(a) / b : 0; }
  // Share of place locations that resolved to any country.
  double Coverage() const { return Share(places_resolved, places); }
  // Share right among everything that resolved.
  double Precision() const { return Share(places_right, places_resolved + nones_resolved); }
  // Share of place locations resolved to the right country.
  double RightOfPlaces() const { return Share(places_right, places); }
  // Share of all locations handled right (right country, or rightly nothing).
  double Overall() const { return Share(places_right + nones - nones_resolved, total); }
  void Print(const char* what) const {
    std::printf(
        "%s: %d locations, %d naming a country, %d naming none.\n"
        "  coverage %.1f%% (%d/%d resolved); precision %.1f%% (%d right of %d resolved); "
        "right overall %.1f%% of places (%d/%d); %d no-place texts resolved; "
        "all locations handled right %.1f%%\n",
        what, total, places, nones, 100 * Coverage(), places_resolved, places, 100 * Precision(), places_right,
        places_resolved + nones_resolved, 100 * RightOfPlaces(), places_right, places, nones_resolved,
        100 * Overall());
  }
};

std::map<std::string, std::string> XUserLocations(const std::string& file) {
  std::map<std::string, std::string> out;  // user id -> location
  simdjson::dom::parser parser;
  std::istringstream in(testing::ReadFileOrDie(testing::SharedData("x-v2/" + file)));
  std::string line;
  while (std::getline(in, line)) {
    simdjson::dom::element doc;
    if (parser.parse(line).get(doc) != simdjson::SUCCESS) continue;  // the cut-off stream line
    simdjson::dom::array users;
    if (doc["includes"]["users"].get_array().get(users) != simdjson::SUCCESS) continue;
    for (simdjson::dom::element u : users) {
      std::string_view id, loc;
      if (u["id"].get_string().get(id) != simdjson::SUCCESS) continue;
      if (u["location"].get_string().get(loc) != simdjson::SUCCESS) continue;
      out.emplace(std::string(id), std::string(loc));
    }
  }
  return out;
}

TEST(ProfileLocationAccuracyTest, RealXProfileLocations) {
  const std::string labels =
      testing::ReadFileOrDie(std::string(EARSHOT_SOURCE_DIR) + "/tests/geo/profile_locations_labels.tsv");
  std::map<std::string, std::map<std::string, std::string>> by_file;
  Tally tally;
  std::set<std::string> distinct;
  std::istringstream in(labels);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto f = Split(line, '\t');
    ASSERT_EQ(f.size(), 3u) << line;
    const std::string file(f[0]);
    if (!by_file.count(file)) by_file[file] = XUserLocations(file);
    const auto it = by_file[file].find(std::string(f[1]));
    ASSERT_NE(it, by_file[file].end()) << "no location for user " << f[1] << " in " << file;
    distinct.insert(it->second);
    const auto got = ResolveLocation(it->second);
    tally.Add(f[2], got);
    // Misses and errors, by user id only (the text stays in the shared data).
    if (!got && f[2] != "-") std::printf("  missed  %s %s (want %s)\n", file.c_str(), std::string(f[1]).c_str(), std::string(f[2]).c_str());
    if (got && got->country != f[2]) {
      std::printf("  wrong   %s %s (want %s, got %s)\n", file.c_str(), std::string(f[1]).c_str(),
                  std::string(f[2]).c_str(), got->country.c_str());
    }
  }
  tally.Print("real X profile locations (x-v2, by user)");
  std::printf("  %zu distinct location strings\n", distinct.size());
  EXPECT_GE(distinct.size(), 150u);
  EXPECT_GE(tally.total, 200);
  // Measured: see docs/GEO.md. The thresholds sit a little under the
  // figures so that a regression fails and a gazetteer refresh does not.
  EXPECT_GE(tally.Precision(), 0.97);
  EXPECT_GE(tally.Coverage(), 0.90);
  EXPECT_GE(tally.Overall(), 0.92);
}

class StringSink final : public sim::ByteSink {
 public:
  Status Write(std::string_view bytes) override {
    data.append(bytes);
    return Status::Ok();
  }
  std::string data;
};

TEST(ProfileLocationAccuracyTest, SimulatedXProfileLocations) {
  // Labels come from the simulator's own tables: each written form of a
  // city names its country; the junk forms name none.
  std::map<std::string, std::string> label;
  for (const sim::Region& r : sim::Regions()) {
    for (const sim::City& c : r.cities) {
      for (std::string_view w : c.written) label[std::string(w)] = std::string(c.country_code);
      label[std::string(c.country)] = std::string(c.country_code);
    }
  }
  for (const char* w : {"USA", "United States"}) label[w] = "US";
  label["Deutschland"] = "DE";
  label["日本"] = "JP";
  label["España"] = "ES";
  label["UK"] = "GB";
  for (std::string_view w : sim::JunkLocations()) label[std::string(w)] = "-";
  label["Global"] = "-";

  sim::SimOptions opts;
  opts.seed = 7;
  opts.mentions = 5000;
  StringSink sink;
  Result<sim::SimSummary> summary = sim::WriteXStream(opts, sink);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();

  std::map<std::string, std::string> users;  // id -> location
  simdjson::dom::parser parser;
  std::istringstream in(sink.data);
  std::string line;
  while (std::getline(in, line)) {
    simdjson::dom::element doc;
    ASSERT_EQ(parser.parse(line).get(doc), simdjson::SUCCESS);
    simdjson::dom::array list;
    if (doc["includes"]["users"].get_array().get(list) != simdjson::SUCCESS) continue;
    for (simdjson::dom::element u : list) {
      std::string_view id, loc;
      if (u["id"].get_string().get(id) == simdjson::SUCCESS && u["location"].get_string().get(loc) == simdjson::SUCCESS) {
        users.emplace(std::string(id), std::string(loc));
      }
    }
  }
  Tally tally;
  std::map<std::string, int> missed;
  for (const auto& [id, loc] : users) {
    if (loc.empty()) continue;
    const auto it = label.find(loc);
    ASSERT_NE(it, label.end()) << "unlabelled simulated location '" << loc << "'";
    const auto got = ResolveLocation(loc);
    tally.Add(it->second, got);
    if ((!got && it->second != "-") || (got && got->country != it->second)) ++missed[loc];
  }
  tally.Print("simulated X profile locations (seed 7, 5,000 mentions, by user, non-empty)");
  for (const auto& [loc, n] : missed) std::printf("  missed or wrong: '%s' x%d\n", loc.c_str(), n);
  EXPECT_GE(tally.total, 500);
  EXPECT_GE(tally.Precision(), 0.99);
  EXPECT_GE(tally.Coverage(), 0.98);
}

}  // namespace
}  // namespace earshot::geo
