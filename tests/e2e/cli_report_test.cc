// `earshot report`, `retention` and `expire` end to end: real data and a
// small simulated market, with the JSON shape the API will serve.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "e2e/cli_runner.h"

namespace earshot::testing {
namespace {

using nlohmann::json;

json ParseOk(const RunResult& r) {
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return json::parse(r.out, nullptr, /*allow_exceptions=*/false);
}

std::string Data(const TempDir& d) { return "--data " + Sh(d.str() + "/data"); }

int64_t SumCounts(const json& by) {
  int64_t n = 0;
  for (const auto& [k, v] : by.items()) n += v["count"].get<int64_t>();
  return n;
}

// A small simulated market with its watches, ingested once for all tests.
class SimulatedMarket : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    const std::string world = dir_->str() + "/world";
    RunResult sim = RunEarshot("simulate --mentions 20000 --days 21 --seed 3 --out " + Sh(world));
    ASSERT_EQ(sim.exit_code, 0) << sim.err;
    std::ifstream watches(world + "/truth/watches.jsonl");
    for (std::string line; std::getline(watches, line);) {
      json w = json::parse(line);
      RunResult add = RunEarshot(Data(*dir_) + " watch add " + Sh(w["name"]) + " " + Sh(w["query"]) + " --group " +
                                 Sh(w["group"]));
      ASSERT_EQ(add.exit_code, 0) << add.err;
    }
    for (const char* sub : {"x", "mastodon", "feeds", "hn", "reddit", "csv"}) {
      RunResult in = RunEarshot(Data(*dir_) + " ingest " + Sh(world + "/" + sub));
      ASSERT_EQ(in.exit_code, 0) << in.err;
    }
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static TempDir* dir_;
};
TempDir* SimulatedMarket::dir_ = nullptr;

TEST_F(SimulatedMarket, ReportJsonHasEverySectionAndAddsUp) {
  json stats = ParseOk(RunEarshot(Data(*dir_) + " stats --json"));
  json r = ParseOk(RunEarshot(Data(*dir_) + " report --json"));
  ASSERT_TRUE(r.is_object());
  for (const char* key : {"range", "watches", "volume", "share_of_voice", "channels", "languages", "countries",
                          "sites", "authors", "spikes", "emerging", "influencers", "sources", "cascades",
                          "comparison"}) {
    EXPECT_TRUE(r.contains(key)) << key;
  }
  // The default range covers the whole simulated month: every mention.
  int64_t volume = 0;
  for (const json& b : r["volume"]) {
    volume += b["count"].get<int64_t>();
    EXPECT_EQ(b["count"].get<int64_t>(),
              b["positive"].get<int64_t>() + b["negative"].get<int64_t>() + b["neutral"].get<int64_t>());
  }
  EXPECT_EQ(volume, stats["mentions"].get<int64_t>());
  EXPECT_EQ(SumCounts(r["channels"]), volume);
  EXPECT_EQ(SumCounts(r["languages"]), volume);
  EXPECT_EQ(SumCounts(r["countries"]), volume);
  EXPECT_EQ(r["comparison"]["current"]["total"]["count"].get<int64_t>(), volume);
  EXPECT_EQ(r["channels"]["microblog"]["count"].get<int64_t>(), stats["by_channel"]["microblog"].get<int64_t>());
  // One share-of-voice entry per group; member shares sum to 1, and the
  // comparison's current shares are the same ones.
  ASSERT_FALSE(r["share_of_voice"].empty());
  for (const json& g : r["share_of_voice"]) {
    double sum = 0;
    for (const json& m : g["members"]) {
      sum += m["share"].get<double>();
      EXPECT_DOUBLE_EQ(r["comparison"]["share_of_voice"][g["group"].get<std::string>()][m["watch"].get<std::string>()]
                        ["current"].get<double>(),
                       m["share"].get<double>());
    }
    EXPECT_NEAR(sum, 1.0, 1e-9) << g["group"];
  }
  for (const json& s : r["spikes"]) {
    for (const char* key : {"watch", "start", "end", "direction", "reason", "tone"}) EXPECT_TRUE(s.contains(key)) << key;
    const std::string tone = s["tone"];
    EXPECT_TRUE(tone == "negative" || tone == "positive" || tone == "neutral") << tone;
    EXPECT_LT(s["start"].get<std::string>(), s["end"].get<std::string>());
  }
  EXPECT_FALSE(r["influencers"].empty());
  for (const json& i : r["influencers"]) EXPECT_TRUE(i.contains("author") && i.contains("score"));
  EXPECT_FALSE(r["cascades"].empty());
  for (const json& c : r["cascades"]) EXPECT_GE(c["size"].get<int64_t>(), 2);
}

TEST_F(SimulatedMarket, OneWatchAndOneGroup) {
  json list = ParseOk(RunEarshot(Data(*dir_) + " watch list --json"));
  ASSERT_FALSE(list.empty());
  const json& first = list[0];
  json r = ParseOk(RunEarshot(Data(*dir_) + " report --json --watch " + Sh(first["name"])));
  ASSERT_EQ(r["watches"].size(), 1u);
  int64_t volume = 0;
  for (const json& b : r["volume"]) volume += b["count"].get<int64_t>();
  // Every stored match of the watch lies in the default range.
  EXPECT_EQ(volume, first["matches"].get<int64_t>());

  json g = ParseOk(RunEarshot(Data(*dir_) + " report --json --group " + Sh(first["group"])));
  ASSERT_EQ(g["share_of_voice"].size(), 1u);
  EXPECT_EQ(g["share_of_voice"][0]["group"], first["group"]);
  int64_t members = 0;
  for (const json& w : list) members += w["group"] == first["group"];
  EXPECT_EQ(static_cast<int64_t>(g["share_of_voice"][0]["members"].size()), members);
}

// A filtered report counts what the same filter finds in stored search.
TEST_F(SimulatedMarket, FiltersAgreeWithSearch) {
  for (const auto& [filter, query] : std::vector<std::pair<std::string, std::string>>{
           {"--channel microblog --country US", "channel:microblog country:US"},
           {"--lang de --channel forum", "lang:de channel:forum"},
           {"--country gb", "country:GB"}}) {
    json s = ParseOk(RunEarshot(Data(*dir_) + " search --json --limit 0 " + Sh(query)));
    json r = ParseOk(RunEarshot(Data(*dir_) + " report --json " + filter));
    int64_t volume = 0;
    for (const json& b : r["volume"]) volume += b["count"].get<int64_t>();
    EXPECT_EQ(volume, s["total"].get<int64_t>()) << filter;
    EXPECT_GT(volume, 0) << filter;
    EXPECT_EQ(r["scanned"]["mentions"], s["total"]) << filter;
    EXPECT_EQ(r["comparison"]["current"]["total"]["count"], s["total"]) << filter;
  }
  EXPECT_NE(RunEarshot(Data(*dir_) + " report --channel nosuch").exit_code, 0);
}

TEST_F(SimulatedMarket, RangesAndErrors) {
  json r = ParseOk(RunEarshot(Data(*dir_) + " report --json --from 2026-01-05 --to 2026-01-08"));
  EXPECT_EQ(r["range"]["from"], "2026-01-05T00:00:00.000Z");
  EXPECT_EQ(r["range"]["grain"], "hour");
  EXPECT_EQ(r["volume"].size(), 72u);
  RunResult unknown = RunEarshot(Data(*dir_) + " report --watch nosuchwatch");
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_NE(unknown.err.find("nosuchwatch"), std::string::npos) << unknown.err;
  RunResult bad = RunEarshot(Data(*dir_) + " report --from yesterday");
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.err.find("yesterday"), std::string::npos) << bad.err;
  RunResult empty = RunEarshot(Data(*dir_) + " report --from 2026-02-01 --to 2026-01-01");
  EXPECT_NE(empty.exit_code, 0);
  // Text output names the sections.
  RunResult text = RunEarshot(Data(*dir_) + " report");
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("Share of voice"), std::string::npos);
  EXPECT_NE(text.out.find("Channels"), std::string::npos);
}

TEST(CliReportTest, RealDataFromEverySource) {
  TempDir d;
  std::string files = Sh(SharedData("x-v2/brexit.jsonl")) + " " + Sh(SharedData("feeds/Rss20HubSpot.xml")) + " " +
                      Sh(SharedData("hn/items.jsonl")) + " " + Sh(SharedData("reddit/askreddit_new_listing.json")) +
                      " " + Sh(SharedData("mastodon/timelines_public.response.json"));
  ASSERT_EQ(ParseOk(RunEarshot(Data(d) + " ingest --json " + files))["stored"], 264);
  ASSERT_EQ(RunEarshot(Data(d) + " watch add brexit 'brexit OR #brexit' --group politics").exit_code, 0);
  ASSERT_EQ(RunEarshot(Data(d) + " watch add eu 'EU OR europe*' --group politics").exit_code, 0);
  ASSERT_EQ(RunEarshot(Data(d) + " watch backfill brexit").exit_code, 0);
  ASSERT_EQ(RunEarshot(Data(d) + " watch backfill eu").exit_code, 0);
  json all = ParseOk(RunEarshot(Data(d) + " report --json --from 2000-01-01 --to 2100-01-01"));
  EXPECT_EQ(all["comparison"]["current"]["total"]["count"], 264);
  EXPECT_EQ(SumCounts(all["channels"]), 264);
  EXPECT_EQ(all["channels"]["forum"]["count"], 106);
  EXPECT_EQ(all["scanned"]["mentions"], 264);
  EXPECT_FALSE(all["authors"].empty());
  EXPECT_FALSE(all["sites"].empty());
  EXPECT_FALSE(all["cascades"].empty());  // Reddit and HN threads
  json list = ParseOk(RunEarshot(Data(d) + " watch list --json"));
  json brexit = ParseOk(RunEarshot(Data(d) + " report --json --watch brexit --from 2000-01-01 --to 2100-01-01"));
  EXPECT_EQ(brexit["comparison"]["current"]["total"]["count"], list[0]["matches"]);
  EXPECT_GT(list[0]["matches"].get<int64_t>(), 50);
  ASSERT_EQ(brexit["share_of_voice"].size(), 1u);
  EXPECT_EQ(brexit["share_of_voice"][0]["members"].size(), 2u);
}

TEST(CliRetentionTest, ExpiredMentionsLeaveRollupsAndStayExpired) {
  TempDir d;
  const std::string file = Sh(SharedData("x-v2/brexit.jsonl"));
  ASSERT_EQ(ParseOk(RunEarshot(Data(d) + " ingest --json " + file))["stored"], 100);
  json before = ParseOk(RunEarshot(Data(d) + " report --json --from 2000-01-01 --to 2100-01-01"));
  ASSERT_EQ(before["comparison"]["current"]["total"]["count"], 100);

  ASSERT_EQ(RunEarshot(Data(d) + " retention set x 30").exit_code, 0);
  json policies = ParseOk(RunEarshot(Data(d) + " retention list --json"));
  ASSERT_EQ(policies.size(), 1u);
  EXPECT_EQ(policies[0]["source"], "x");
  EXPECT_EQ(policies[0]["days"], 30);
  // These posts are years old: the policy expires all of them.
  json expired = ParseOk(RunEarshot(Data(d) + " expire --json"));
  EXPECT_EQ(expired["expired"], 100);
  EXPECT_EQ(ParseOk(RunEarshot(Data(d) + " stats --json"))["mentions"], 0);
  json after = ParseOk(RunEarshot(Data(d) + " report --json --from 2000-01-01 --to 2100-01-01"));
  EXPECT_EQ(after["comparison"]["current"]["total"]["count"], 100);
  EXPECT_EQ(after["channels"], before["channels"]);
  // Reading the file again stores nothing: expired stays expired.
  json again = ParseOk(RunEarshot(Data(d) + " ingest --json " + file));
  EXPECT_EQ(again["stored"], 0);
  EXPECT_EQ(again["duplicates"], 100);
  RunResult bad = RunEarshot(Data(d) + " expire --source x");
  EXPECT_EQ(bad.exit_code, 2);
}

}  // namespace
}  // namespace earshot::testing
