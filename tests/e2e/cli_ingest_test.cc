// The CLI end to end on the real data in ../shared/data: ingest, re-ingest,
// broken input, search and stats, with the JSON shapes scripts rely on.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "e2e/cli_runner.h"

namespace earshot::testing {
namespace {

using nlohmann::json;

json Json(const RunResult& r) {
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return json::parse(r.out);
}

std::string Data(const TempDir& d) { return "--data " + Sh(d.str() + "/data"); }

TEST(CliIngestTest, IngestsRealDataOnceAndReingestStoresNothingNew) {
  TempDir d;
  std::string files = Sh(SharedData("x-v2/brexit.jsonl")) + " " + Sh(SharedData("feeds/Rss20HubSpot.xml")) + " " +
                      Sh(SharedData("hn/items.jsonl")) + " " + Sh(SharedData("reddit/askreddit_new_listing.json")) +
                      " " + Sh(SharedData("mastodon/timelines_public.response.json")) + " " +
                      Sh(SharedData("bluesky/post_record.json"));
  json first = Json(RunEarshot(Data(d) + " ingest --json " + files));
  EXPECT_EQ(first["read"], 100 + 50 + 6 + 100 + 8 + 1);
  EXPECT_EQ(first["stored"], 265);
  EXPECT_EQ(first["rejected"], 0);
  EXPECT_EQ(first["duplicates"], 0);
  // 28 of brexit.jsonl's 100 tweets are retweets whose "RT @user: ..." text
  // another retweet in the file already has (counted by hand): stored once.
  EXPECT_EQ(first["text_copies"], 28);
  EXPECT_TRUE(first["errors"].empty());

  json again = Json(RunEarshot(Data(d) + " ingest --json " + files));
  EXPECT_EQ(again["stored"], 0);
  EXPECT_EQ(again["updated"], 0);
  EXPECT_EQ(again["duplicates"], 265);

  json stats = Json(RunEarshot(Data(d) + " stats --json"));
  EXPECT_EQ(stats["mentions"], 265);
  EXPECT_EQ(stats["by_channel"]["microblog"], 100 + 8 + 1);
  EXPECT_EQ(stats["by_channel"]["blog"], 50);
  EXPECT_EQ(stats["by_channel"]["forum"], 106);
  EXPECT_EQ(stats["by_language"]["en"].get<int>() > 0, true);
  EXPECT_EQ(stats["by_source"]["reddit"], 100);
  EXPECT_EQ(stats["text_copies"], 28);
  // Each copy reads and searches with its text.
  json hits = Json(RunEarshot(Data(d) + " search --json --limit 100 " + Sh("\"favourite bottle of wine\"")));
  EXPECT_EQ(hits["total"], 17);
  for (const json& h : hits["results"]) {
    EXPECT_NE(h["text"].get<std::string>().find("favourite bottle of wine"), std::string::npos) << h.dump();
  }
}

TEST(CliIngestTest, BrokenRecordsAreNamedAndKeptWhileGoodOnesAreStored) {
  TempDir d;
  // Three good stream lines around a malformed line, invalid UTF-8, an
  // over-long line and a tweet without text.
  std::string good = ReadFileOrDie(SharedData("x-v2/streaming_output.jsonl"));
  std::vector<std::string> lines;
  for (size_t start = 0, nl; (nl = good.find('\n', start)) != std::string::npos; start = nl + 1) {
    lines.push_back(good.substr(start, nl - start));
  }
  ASSERT_GE(lines.size(), 3u);
  std::string path = d.str() + "/mixed.jsonl";
  {
    std::ofstream f(path, std::ios::binary);
    f << lines[0] << "\n";
    f << "{\"data\": {\"id\": \"1\", \"text\": \"cut off\n";                         // line 2: malformed
    f << lines[1] << "\n";                                                          // line 3
    f << "{\"data\":{\"id\":\"77\",\"text\":\"bad \xC3\x28 byte\",\"created_at\":\"2021-04-01T15:52:31.000Z\"}}\n";  // 4
    f << "{\"data\":{\"id\":\"78\",\"text\":\"" << std::string(1100000, 'a') << "\"}}\n";  // line 5: > 1 MiB
    f << "{\"data\":{\"id\":\"79\",\"created_at\":\"2021-04-01T15:52:31.000Z\"}}\n";       // line 6: no text
    f << lines[2] << "\n";                                                          // line 7
  }
  RunResult r = RunEarshot(Data(d) + " ingest --json " + Sh(path));
  json j = Json(r);
  EXPECT_EQ(j["rejected"], 4) << r.out;
  EXPECT_EQ(j["stored"], 3) << r.out;
  std::vector<int> bad_lines;
  std::vector<std::string> reasons;
  for (const json& e : j["errors"]) {
    EXPECT_EQ(e["file"], path);
    bad_lines.push_back(e["line"]);
    reasons.push_back(e["reason"]);
  }
  ASSERT_EQ(bad_lines, (std::vector<int>{2, 4, 5, 6}));
  EXPECT_NE(reasons[0].find("JSON"), std::string::npos) << reasons[0];
  EXPECT_NE(reasons[1].find("UTF-8"), std::string::npos) << reasons[1];
  EXPECT_NE(reasons[2].find("larger than"), std::string::npos) << reasons[2];
  EXPECT_NE(reasons[3].find("text"), std::string::npos) << reasons[3];
  // Rejected records are kept, with their raw text.
  int kept = 0;
  for (const auto& f : std::filesystem::directory_iterator(d.str() + "/data/rejected")) {
    std::ifstream in(f.path());
    for (std::string line; std::getline(in, line);) {
      json rec = json::parse(line);
      EXPECT_EQ(rec["file"], path);
      EXPECT_TRUE(rec.contains("raw"));
      ++kept;
    }
  }
  EXPECT_EQ(kept, 4);
}

TEST(CliIngestTest, TruncatedFeedKeepsCompleteItems) {
  TempDir d;
  std::string feed = ReadFileOrDie(SharedData("feeds/Rss20MicrosoftBotFranework.xml"));
  size_t third = 0;
  for (int i = 0; i < 3; ++i) third = feed.find("<item>", third + 1);
  ASSERT_NE(third, std::string::npos);
  std::string path = d.str() + "/cut.xml";
  std::ofstream(path) << feed.substr(0, third + 200);
  json j = Json(RunEarshot(Data(d) + " ingest --json " + Sh(path)));
  EXPECT_EQ(j["stored"], 2);
  EXPECT_GE(j["rejected"], 1);
}

TEST(CliIngestTest, UnknownFormatIsReportedAndExitStatusSaysNothingWasRead) {
  TempDir d;
  std::string path = d.str() + "/notes.txt";
  std::ofstream(path) << "just some notes\nwith no format\n";
  RunResult r = RunEarshot(Data(d) + " ingest --json " + Sh(path));
  EXPECT_NE(r.exit_code, 0);
  json j = json::parse(r.out);
  ASSERT_EQ(j["errors"].size(), 1u);
  EXPECT_NE(j["errors"][0]["reason"].get<std::string>().find("no known format"), std::string::npos);
  RunResult missing = RunEarshot(Data(d) + " ingest /nonexistent/file.jsonl");
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.err.find("/nonexistent/file.jsonl"), std::string::npos);
}

TEST(CliIngestTest, ReadsStdinAndShowsNoProgressWhenNotATerminal) {
  TempDir d;
  RunResult r = RunEarshot(Data(d) + " ingest --format hn -", SharedData("hn/items.jsonl"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_NE(r.out.find("stored 6"), std::string::npos) << r.out;
}

TEST(CliIngestTest, DirectoriesAreReadRecursively) {
  TempDir d;
  json j = Json(RunEarshot(Data(d) + " ingest --json " + Sh(SharedData("reddit"))));
  // Four decoded listings (100 + 100 + 6 + 3); the cassettes are not a known format.
  EXPECT_EQ(j["stored"], 209);
}

TEST(CliSearchTest, TotalCountsEveryMatchWhateverTheLimit) {
  TempDir d;
  Json(RunEarshot(Data(d) + " ingest --json " + Sh(SharedData("x-v2/brexit.jsonl"))));
  json page = Json(RunEarshot(Data(d) + " search --json --limit 3 '#brexit'"));
  EXPECT_EQ(page["total"], 100);  // every tweet of the #brexit search carries the tag
  ASSERT_EQ(page["results"].size(), 3u);
  for (const char* key : {"id", "created_at", "author", "channel", "text"}) {
    EXPECT_TRUE(page["results"][0].contains(key)) << key;
  }
  // Newest first.
  EXPECT_GE(page["results"][0]["created_at"].get<std::string>(), page["results"][1]["created_at"].get<std::string>());
  json none = Json(RunEarshot(Data(d) + " search --json --limit 0 '#brexit'"));
  EXPECT_EQ(none["total"], 100);
  EXPECT_TRUE(none["results"].empty());
}

TEST(CliSearchTest, BadQueryPointsAtThePositionAndFails) {
  TempDir d;
  Json(RunEarshot(Data(d) + " ingest --json " + Sh(SharedData("hn/items.jsonl"))));
  RunResult r = RunEarshot(Data(d) + " search '(dropbox OR'");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("column"), std::string::npos) << r.err;
}

TEST(CliSearchTest, FieldPrefixesNarrowResults) {
  TempDir d;
  Json(RunEarshot(Data(d) + " ingest --json " + Sh(SharedData("hn/items.jsonl")) + " " +
                  Sh(SharedData("feeds/Rss20HubSpot.xml"))));
  json hn = Json(RunEarshot(Data(d) + " search --json 'channel:forum'"));
  EXPECT_EQ(hn["total"], 6);
  json site = Json(RunEarshot(Data(d) + " search --json 'site:hubspot.com'"));
  EXPECT_EQ(site["total"], 50);
  json author = Json(RunEarshot(Data(d) + " search --json 'author:dhouston'"));
  EXPECT_EQ(author["total"], 1);
}

}  // namespace
}  // namespace earshot::testing
