// Emerging topics: the scoring on hand-made windows (rising, steady, rare and
// stop words; hashtags), the tracker's windows, and a launch in the
// simulator whose product rises.
#include "analytics/emerging.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "analytics/window_stats.h"
#include "core/time.h"
#include "ingest/connector.h"
#include "ingest/x_connector.h"
#include "sim/sim.h"
#include "testutil.h"

namespace earshot::analytics {
namespace {

using ::earshot::testing::ReadFileOrDie;
using ::earshot::testing::TempDir;

Mention Post(std::string text, std::vector<std::string> tags = {}, int64_t t_ms = 0) {
  Mention m;
  m.text = std::move(text);
  m.hashtags = std::move(tags);
  m.created_at_ms = t_ms;
  m.author.handle = "someone";
  return m;
}

const EmergingTerm* Find(const std::vector<EmergingTerm>& v, std::string_view term, TermKind kind) {
  for (const EmergingTerm& e : v) {
    if (e.term == term && e.kind == kind) return &e;
  }
  return nullptr;
}

TEST(WindowStatsTest, CountsMentionsNotOccurrencesAndDropsNoise) {
  WindowStats w;
  w.Add(Post("Outage outage OUTAGE at the Datacenter https://t.example/abc1 #Ops", {"Ops", "CloudOps"}));
  w.Add(Post("Die Störung ist vorbei, und das ist gut. 2026", {"cloudops"}));
  EXPECT_EQ(w.mentions(), 2);
  EXPECT_EQ(w.terms().at("outage"), 1);
  EXPECT_EQ(w.terms().at("datacenter"), 1);
  EXPECT_EQ(w.terms().at("störung"), 1);
  EXPECT_EQ(w.terms().count("the"), 0u);
  EXPECT_EQ(w.terms().count("das"), 0u);
  EXPECT_EQ(w.terms().count("2026"), 0u);
  EXPECT_EQ(w.terms().count("example"), 0u);
  EXPECT_EQ(w.terms().count("abc1"), 0u);
  EXPECT_EQ(w.hashtags().at("cloudops"), 2);
  EXPECT_EQ(w.hashtags().at("ops"), 1);
  EXPECT_EQ(w.authors().at("someone"), 2);
  EXPECT_EQ(w.channel(Channel::kOther), 2);

  WindowStats both;
  both.Merge(w);
  both.Merge(w);
  EXPECT_EQ(both.mentions(), 4);
  EXPECT_EQ(both.hashtags().at("cloudops"), 4);
  EXPECT_TRUE(IsStopWord("und"));
  EXPECT_TRUE(IsStopWord("rt"));
  EXPECT_FALSE(IsStopWord("outage"));
}

TEST(FindEmergingTest, RisingTermsBeatSteadyCommonAndRareOnes) {
  WindowStats baseline, recent;
  for (int i = 0; i < 500; ++i) {
    baseline.Add(Post(i % 2 ? "storage pricing question" : "backup storage works"));
    if (i % 50 == 0) baseline.Add(Post("quantum storage idea"));
  }
  for (int i = 0; i < 100; ++i) {
    recent.Add(Post(i % 2 ? "storage pricing question" : "backup storage works"));
    if (i < 30) recent.Add(Post("Launching Vault today: storage for everyone", {"VaultLaunch"}));
  }
  recent.Add(Post("zebra storage"));
  recent.Add(Post("zebra backup"));
  const std::vector<EmergingTerm> out = FindEmerging(recent, baseline, {});
  ASSERT_FALSE(out.empty());
  const EmergingTerm* vault = Find(out, "vault", TermKind::kTerm);
  ASSERT_NE(vault, nullptr);
  EXPECT_EQ(vault->recent, 30);
  EXPECT_EQ(vault->baseline, 0);
  EXPECT_GT(vault->ratio, 10);
  const EmergingTerm* tag = Find(out, "vaultlaunch", TermKind::kHashtag);
  ASSERT_NE(tag, nullptr);
  EXPECT_EQ(TermKindName(tag->kind), "hashtag");
  EXPECT_EQ(Find(out, "storage", TermKind::kTerm), nullptr) << "in every mention of both windows";
  EXPECT_EQ(Find(out, "pricing", TermKind::kTerm), nullptr) << "steady";
  EXPECT_EQ(Find(out, "zebra", TermKind::kTerm), nullptr) << "two mentions are below min_recent";
  EXPECT_EQ(Find(out, "today", TermKind::kTerm)->recent, 30);
  for (size_t i = 1; i < out.size(); ++i) EXPECT_GE(out[i - 1].score, out[i].score);

  EmergingOptions one;
  one.max_results = 1;
  EXPECT_EQ(FindEmerging(recent, baseline, one).size(), 1u);
  EXPECT_TRUE(FindEmerging(WindowStats(), baseline, {}).empty());
}

TEST(FindEmergingTest, SmoothingKeepsAFewNewMentionsBelowManyRisingOnes) {
  // "alpha" goes from 1% to 10% of 1,000 mentions; "beta" appears 5 times
  // in 1,000, never before: the better-supported rise scores higher.
  WindowStats baseline, recent;
  for (int i = 0; i < 1000; ++i) baseline.Add(Post(i % 100 == 0 ? "alpha filler" : "filler"));
  for (int i = 0; i < 1000; ++i) recent.Add(Post(i % 10 == 0 ? "alpha filler" : (i % 200 == 1 ? "beta" : "filler")));
  const std::vector<EmergingTerm> out = FindEmerging(recent, baseline, {});
  ASSERT_NE(Find(out, "alpha", TermKind::kTerm), nullptr);
  EXPECT_EQ(Find(out, "beta", TermKind::kTerm), nullptr) << "five new mentions are not a trend yet";

  EmergingOptions all;
  all.min_score = -100;
  all.min_ratio = 0;
  const std::vector<EmergingTerm> every = FindEmerging(recent, baseline, all);
  const EmergingTerm* alpha = Find(every, "alpha", TermKind::kTerm);
  const EmergingTerm* beta = Find(every, "beta", TermKind::kTerm);
  ASSERT_NE(alpha, nullptr);
  ASSERT_NE(beta, nullptr);
  EXPECT_GT(beta->ratio, alpha->ratio) << "beta rises more steeply";
  EXPECT_GT(alpha->score, beta->score) << "but alpha's rise is far better supported";
}

TEST(EmergingTrackerTest, ScoresTheRecentWindowAgainstTheOneBefore) {
  constexpr int64_t kH = 3'600'000;
  const int64_t t0 = 1'767'571'200'000;
  Result<EmergingTracker> tracker = EmergingTracker::Create({.recent_ms = 24 * kH, .baseline_ms = 7 * 24 * kH}, {});
  ASSERT_OK(tracker.status());
  for (int h = 0; h < 8 * 24; ++h) {
    for (int i = 0; i < 5; ++i) tracker->Add(Post("backup question " + std::to_string(i), {}, t0 + h * kH + i));
    if (h >= 7 * 24) tracker->Add(Post("ransomware hits backup", {"Ransomware"}, t0 + h * kH + 99));
  }
  std::vector<EmergingTerm> now = tracker->Emerging(t0 + 8 * 24 * kH);
  ASSERT_FALSE(now.empty());
  EXPECT_EQ(now[0].recent, 24);
  EXPECT_NE(Find(now, "ransomware", TermKind::kTerm), nullptr);
  EXPECT_NE(Find(now, "ransomware", TermKind::kHashtag), nullptr);
  // A day earlier nothing was rising.
  EXPECT_TRUE(tracker->Emerging(t0 + 7 * 24 * kH).empty());
  // Mentions older than both windows are dropped.
  tracker->Add(Post("old", {}, t0 - kH));
  EXPECT_EQ(tracker->dropped(), 1);

  EXPECT_EQ(EmergingTracker::Create({.recent_ms = 90 * 60'000}, {}).status().code(), StatusCode::kInvalidArgument);
  EmergingOptions bad;
  bad.prior_mentions = 0;
  EXPECT_EQ(EmergingTracker::Create({}, bad).status().code(), StatusCode::kInvalidArgument);
}

class Collector : public ingest::RecordSink {
 public:
  explicit Collector(EmergingTracker* t) : tracker(t) {}
  void OnMention(Mention m, const ingest::RecordRef&) override {
    if (m.created_at_ms < until_ms) tracker->Add(m);
  }
  void OnReject(const ingest::RecordRef& ref, std::string reason, std::string_view) override {
    ADD_FAILURE() << "line " << ref.line << ": " << reason;
  }
  void OnSkip(const ingest::RecordRef&, std::string) override {}
  EmergingTracker* tracker;
  int64_t until_ms = 0;
};

TEST(EmergingTrackerTest, ALaunchInTheSimulatorRaisesItsProduct) {
  TempDir dir;
  sim::SimOptions so;
  so.seed = 7;
  so.days = 40;
  so.mentions = 40'000;
  so.out_dir = dir.str();
  so.formats = sim::SimOptions::Formats::kXOnly;
  ASSERT_OK(sim::Simulate(so).status());
  std::istringstream events(ReadFileOrDie(dir.str() + "/truth/events.jsonl"));
  std::string first_launch;
  int64_t start_ms = 0;
  for (std::string l; std::getline(events, l);) {
    const nlohmann::json j = nlohmann::json::parse(l);
    if (j.at("kind") != "launch") continue;
    first_launch = j.at("watch");
    Result<int64_t> t = ParseRfc3339(j.at("start").get<std::string>());
    ASSERT_OK(t.status());
    start_ms = *t;
    break;
  }
  ASSERT_FALSE(first_launch.empty());

  constexpr int64_t kH = 3'600'000;
  Result<EmergingTracker> tracker = EmergingTracker::Create({.recent_ms = 12 * kH, .baseline_ms = 7 * 24 * kH}, {});
  ASSERT_OK(tracker.status());
  Collector collector(&*tracker);
  collector.until_ms = start_ms + 12 * kH;
  std::unique_ptr<ingest::Connector> x = ingest::NewXConnector();
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir.path() / "x")) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::istringstream in(ReadFileOrDie(f.string()));
    for (std::string l; std::getline(in, l);) ASSERT_OK(x->Parse(l, {}, collector));
  }

  // "Nyxynth Bridge": the hashtag NyxynthBridge, the word "bridge".
  std::string tag = first_launch;
  tag.erase(std::remove(tag.begin(), tag.end(), ' '), tag.end());
  std::transform(tag.begin(), tag.end(), tag.begin(), [](unsigned char c) { return std::tolower(c); });
  std::string word = first_launch.substr(first_launch.find(' ') + 1);
  std::transform(word.begin(), word.end(), word.begin(), [](unsigned char c) { return std::tolower(c); });

  const std::vector<EmergingTerm> top = tracker->Emerging(start_ms + 12 * kH);
  std::string listing;
  for (const EmergingTerm& e : top) listing += std::string(TermKindName(e.kind)) + ":" + e.term + " ";
  ASSERT_GE(top.size(), 2u) << listing;
  auto rank = [&](std::string_view term, TermKind kind) {
    for (size_t i = 0; i < top.size(); ++i) {
      if (top[i].term == term && top[i].kind == kind) return static_cast<int>(i);
    }
    return -1;
  };
  const int tag_rank = rank(tag, TermKind::kHashtag);
  const int word_rank = rank(word, TermKind::kTerm);
  EXPECT_TRUE(tag_rank >= 0 && tag_rank < 5) << first_launch << ": " << listing;
  EXPECT_TRUE(word_rank >= 0 && word_rank < 5) << first_launch << ": " << listing;

  // Twelve hours before the launch, the product does not rise.
  Result<EmergingTracker> before = EmergingTracker::Create({.recent_ms = 12 * kH, .baseline_ms = 7 * 24 * kH}, {});
  ASSERT_OK(before.status());
  Collector early(&*before);
  early.until_ms = start_ms;
  for (const auto& f : files) {
    std::istringstream in(ReadFileOrDie(f.string()));
    for (std::string l; std::getline(in, l);) ASSERT_OK(x->Parse(l, {}, early));
  }
  for (const EmergingTerm& e : before->Emerging(start_ms)) EXPECT_NE(e.term, tag) << "before the launch";
}

}  // namespace
}  // namespace earshot::analytics
