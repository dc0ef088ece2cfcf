// Volume series, breakdowns, share of voice and period comparison answered
// from rollups, checked against counts taken directly from the mentions.
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "analytics/comparison.h"
#include "analytics/rollup_query.h"
#include "analytics/share_of_voice.h"
#include "store/store.h"
#include "testutil.h"

namespace earshot::analytics {
namespace {

using earshot::testing::TempDir;

constexpr int64_t kMonday = 1767571200000;  // 2026-01-05T00:00:00Z

Mention Make(int id, int64_t at_ms) {
  Mention m;
  m.source = "x";
  m.external_id = std::to_string(id);
  m.id = MakeMentionId(m.source, m.external_id);
  m.channel = Channel::kMicroblog;
  m.text = "t";
  m.created_at_ms = at_ms;
  m.language = "en";
  return m;
}

std::unique_ptr<store::Store> Open(const std::string& dir) {
  store::StoreOptions o;
  o.data_dir = dir;
  auto s = store::OpenStore(o);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(*s) : nullptr;
}

TEST(RollupQueryTest, VolumeSeriesIsDenseAndExact) {
  TempDir dir;
  auto s = Open(dir.str());
  std::vector<Mention> ms = {Make(1, kMonday + 30 * 60'000), Make(2, kMonday + 2 * kHourMs + 1),
                             Make(3, kMonday + 2 * kHourMs + 2), Make(4, kMonday + kDayMs + 5)};
  ms[1].sentiment = 0.5;
  ms[2].sentiment = -0.5;
  ASSERT_OK(s->WriteBatch(ms).status());
  Result<Series> hourly = VolumeSeries(*s, 0, {kMonday, kMonday + 4 * kHourMs}, Grain::kHour);
  ASSERT_OK(hourly.status());
  ASSERT_EQ(hourly->buckets.size(), 4u);
  EXPECT_EQ(hourly->start_ms, kMonday);
  std::vector<int64_t> counts;
  for (const Bucket& b : hourly->buckets) counts.push_back(b.count);
  EXPECT_EQ(counts, (std::vector<int64_t>{1, 0, 2, 0}));
  EXPECT_EQ(hourly->buckets[2].positive, 1);
  EXPECT_EQ(hourly->buckets[2].negative, 1);
  EXPECT_EQ(hourly->buckets[3].t_ms, kMonday + 3 * kHourMs);

  Result<Series> daily = VolumeSeries(*s, 0, {kMonday, kMonday + 3 * kDayMs}, Grain::kDay);
  ASSERT_OK(daily.status());
  ASSERT_EQ(daily->buckets.size(), 3u);
  EXPECT_EQ(daily->buckets[0].count, 3);
  EXPECT_EQ(daily->buckets[1].count, 1);
  EXPECT_EQ(daily->buckets[2].count, 0);
}

// Breakdowns over random ragged ranges equal direct counts of the mentions
// in the same hour-aligned range.
TEST(RollupQueryTest, BreakdownsOverRaggedRangesMatchDirectCounts) {
  TempDir dir;
  auto s = Open(dir.str());
  std::mt19937_64 rng(7);
  const char* countries[] = {"", "US", "DE"};
  std::vector<Mention> ms;
  for (int i = 0; i < 3000; ++i) {
    Mention m = Make(i, kMonday + static_cast<int64_t>(rng() % (20 * kDayMs)));
    m.channel = kAllChannels[rng() % 4];
    m.geo.country = countries[rng() % 3];
    m.author.followers = static_cast<int64_t>(rng() % 100);
    ms.push_back(m);
  }
  ASSERT_OK(s->WriteBatch(ms).status());
  for (int trial = 0; trial < 200; ++trial) {
    int64_t a = kMonday - kDayMs + static_cast<int64_t>(rng() % (22 * kDayMs));
    int64_t b = a + static_cast<int64_t>(rng() % (6 * kDayMs)) + 1;
    TimeRange r = HourAligned({a, b});
    std::map<std::string, int64_t> want_channel, want_country;
    int64_t want_reach = 0, want_total = 0;
    for (const Mention& m : ms) {
      if (m.created_at_ms < r.from_ms || m.created_at_ms >= r.to_ms) continue;
      ++want_channel[std::string(ChannelName(m.channel))];
      ++want_country[m.geo.country];
      want_reach += m.author.followers;
      ++want_total;
    }
    auto channels = Breakdown(*s, 0, store::RollupDim::kChannel, {a, b});
    auto countries_by = Breakdown(*s, 0, store::RollupDim::kCountry, {a, b});
    auto total = Total(*s, 0, {a, b});
    ASSERT_OK(channels.status());
    ASSERT_OK(countries_by.status());
    ASSERT_OK(total.status());
    std::map<std::string, int64_t> got_channel, got_country;
    for (const auto& [k, v] : *channels) got_channel[k] = v.count;
    for (const auto& [k, v] : *countries_by) got_country[k] = v.count;
    ASSERT_EQ(got_channel, want_channel) << "range " << a << ".." << b;
    ASSERT_EQ(got_country, want_country);
    ASSERT_EQ(total->count, want_total);
    ASSERT_EQ(total->reach, want_reach);
  }
}

// Filters that combine channel, language and country answer from the
// combined facet rollups exactly as a direct count does.
TEST(RollupQueryTest, FacetFiltersMatchDirectCounts) {
  TempDir dir;
  auto s = Open(dir.str());
  std::mt19937_64 rng(11);
  const char* countries[] = {"", "US", "DE"};
  const char* langs[] = {"", "en", "de"};
  std::vector<Mention> ms;
  for (int i = 0; i < 3000; ++i) {
    Mention m = Make(i, kMonday + static_cast<int64_t>(rng() % (20 * kDayMs)));
    m.channel = kAllChannels[rng() % 3];
    m.geo.country = countries[rng() % 3];
    m.language = langs[rng() % 3];
    if (rng() % 2) m.sentiment = 0.5;
    ms.push_back(m);
  }
  ASSERT_OK(s->WriteBatch(ms).status());
  for (int trial = 0; trial < 100; ++trial) {
    FacetFilter f;
    if (rng() % 2) f.channel = std::string(ChannelName(kAllChannels[rng() % 3]));
    if (rng() % 2) f.lang = rng() % 3 == 0 ? "und" : langs[1 + rng() % 2];
    if (rng() % 2) f.country = countries[1 + rng() % 2];
    const int64_t a = kMonday + static_cast<int64_t>(rng() % (18 * kDayMs));
    const int64_t b = a + static_cast<int64_t>(rng() % (5 * kDayMs)) + 1;
    const TimeRange r = HourAligned({a, b});
    std::map<std::string, int64_t> want_country;
    int64_t want_total = 0, want_positive = 0;
    for (const Mention& m : ms) {
      if (m.created_at_ms < r.from_ms || m.created_at_ms >= r.to_ms || !f.MatchesMention(m)) continue;
      ++want_country[m.geo.country];
      ++want_total;
      want_positive += m.sentiment.has_value();
    }
    auto by_country = Breakdown(*s, 0, store::RollupDim::kCountry, {a, b}, f);
    ASSERT_OK(by_country.status());
    std::map<std::string, int64_t> got;
    for (const auto& [k, v] : *by_country) got[k] = v.count;
    ASSERT_EQ(got, want_country) << f.channel << "/" << f.lang << "/" << f.country;
    auto total = Total(*s, 0, {a, b}, f);
    ASSERT_OK(total.status());
    EXPECT_EQ(total->count, want_total);
    EXPECT_EQ(total->positive, want_positive);
    auto hourly = VolumeSeries(*s, 0, r, Grain::kHour, f);
    ASSERT_OK(hourly.status());
    int64_t sum = 0;
    for (const Bucket& bucket : hourly->buckets) sum += bucket.count;
    EXPECT_EQ(sum, want_total);
  }
  EXPECT_EQ(Breakdown(*s, 0, store::RollupDim::kSite, {kMonday, kMonday + kDayMs}, FacetFilter{"blog", "", ""})
                .status()
                .code(),
            StatusCode::kInvalidArgument);
}

TEST(RollupQueryTest, ShareOfVoiceSplitsTheGroup) {
  TempDir dir;
  auto s = Open(dir.str());
  auto acme = s->AddWatch("acme", "acme", "brands");
  auto rival = s->AddWatch("rival", "rival", "brands");
  ASSERT_OK(acme.status());
  ASSERT_OK(rival.status());
  std::vector<Mention> ms;
  // Day 0: acme 3 (2 positive), rival 1 (negative); day 1: rival 4.
  for (int i = 0; i < 8; ++i) {
    Mention m = Make(i, kMonday + (i < 4 ? 0 : kDayMs) + i * 1000);
    m.author.followers = 10;
    const int64_t w = i < 3 ? acme->id : rival->id;
    std::optional<double> target;
    if (i < 2) target = 0.8;
    if (i == 3) target = -0.8;
    m.watches = {{w, {"x"}, target}};
    ms.push_back(m);
  }
  ASSERT_OK(s->WriteBatch(ms).status());
  Result<ShareOfVoice> sov = ComputeShareOfVoice(*s, "brands", {*acme, *rival}, {kMonday, kMonday + 2 * kDayMs},
                                                 Grain::kDay);
  ASSERT_OK(sov.status());
  ASSERT_EQ(sov->members.size(), 2u);
  EXPECT_DOUBLE_EQ(sov->members[0].share, 3.0 / 8);
  EXPECT_DOUBLE_EQ(sov->members[1].share, 5.0 / 8);
  EXPECT_DOUBLE_EQ(sov->members[0].reach_share, 30.0 / 80);
  EXPECT_DOUBLE_EQ(sov->members[0].positive_share, 1.0);
  EXPECT_DOUBLE_EQ(sov->members[1].negative_share, 1.0);
  ASSERT_EQ(sov->series.size(), 2u);
  EXPECT_DOUBLE_EQ(sov->series[0].shares[0], 0.75);
  EXPECT_DOUBLE_EQ(sov->series[1].shares[0], 0.0);
  EXPECT_DOUBLE_EQ(sov->series[1].shares[1], 1.0);
}

TEST(RollupQueryTest, ComparesWithThePreviousPeriodAndAYearEarlier) {
  TempDir dir;
  auto s = Open(dir.str());
  const int64_t week = 7 * kDayMs;
  const int64_t start = kMonday + 60 * week;
  std::vector<Mention> ms;
  int id = 0;
  for (int i = 0; i < 10; ++i) ms.push_back(Make(id++, start + i * kHourMs));              // this week
  for (int i = 0; i < 5; ++i) ms.push_back(Make(id++, start - week + i * kHourMs));        // last week
  for (int i = 0; i < 4; ++i) ms.push_back(Make(id++, start - kYearAgoMs + i * kHourMs));  // a year ago
  ms.push_back(Make(id++, start + week));                                                  // after: not counted
  ASSERT_OK(s->WriteBatch(ms).status());
  Result<Comparison> c = ComparePeriods(*s, 0, {start, start + week});
  ASSERT_OK(c.status());
  EXPECT_EQ(c->current.total.count, 10);
  EXPECT_EQ(c->previous.total.count, 5);
  EXPECT_EQ(c->year_ago.total.count, 4);
  EXPECT_EQ(c->previous.range.to_ms, start);
  EXPECT_DOUBLE_EQ(*Change(5, 10), 1.0);
  EXPECT_FALSE(Change(0, 3).has_value());
  EXPECT_EQ(c->current.channels.at("microblog").count, 10);
}

}  // namespace
}  // namespace earshot::analytics
