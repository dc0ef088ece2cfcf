// Rollups, per-watch scans, expiry and retention of the embedded store.
#include <sqlite3.h>
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <tuple>

#include "store/store.h"
#include "testutil.h"
#include "store_fixtures.h"

namespace earshot::store {
namespace {

using earshot::testing::TempDir;

constexpr int64_t kHour = 3'600'000;
constexpr int64_t kDay = 24 * kHour;
constexpr int64_t kMonday = 1767571200000;  // 2026-01-05T00:00:00Z

Mention Make(std::string ext, int64_t at_ms, Channel channel = Channel::kMicroblog) {
  std::string text = "text of " + ext;
  return testing::XMention(std::move(ext), std::move(text), at_ms, channel);
}

std::unique_ptr<Store> Open(const std::string& dir) { return testing::OpenOrFail(dir); }

// (t, value) -> cell, for one scan.
std::map<std::pair<int64_t, std::string>, RollupCell> Cells(Store& s, int64_t watch, RollupDim dim, RollupGrain grain,
                                                            int64_t from = 0, int64_t to = INT64_MAX) {
  std::map<std::pair<int64_t, std::string>, RollupCell> out;
  EXPECT_OK(s.ScanRollups({watch, dim, grain, from, to}, [&](const RollupCell& c) { out[{c.t_ms, c.value}] = c; }));
  return out;
}

// Every rollup row of the store as a comparable tuple.
using Row = std::tuple<int64_t, int, int, int64_t, std::string, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t>;
std::vector<Row> AllRollups(Store& s, const std::vector<int64_t>& watches) {
  std::vector<Row> rows;
  for (int64_t w : watches) {
    for (RollupDim dim : kAllRollupDims) {
      for (RollupGrain grain : {RollupGrain::kHour, RollupGrain::kDay}) {
        EXPECT_OK(s.ScanRollups({w, dim, grain, INT64_MIN, INT64_MAX}, [&](const RollupCell& c) {
          rows.emplace_back(w, static_cast<int>(dim), static_cast<int>(grain), c.t_ms, c.value, c.count, c.positive,
                            c.negative, c.neutral, c.reach, c.engagement);
        }));
      }
    }
  }
  return rows;
}

TEST(RollupsTest, CountsEachMentionPerHourDayAndDimension) {
  TempDir dir;
  auto s = Open(dir.str());
  ASSERT_OK(s->AddWatch("acme", "acme", "").status());
  Mention a = Make("1", kMonday + 10 * 60'000);  // 00:10
  a.sentiment = 0.6;
  a.author.followers = 100;
  a.engagement = {5, 2, 1, -1, 1000};  // views are not engagement; unknown quotes count 0
  a.geo.country = "US";
  a.site = "x.com";
  a.watches = {{1, {"acme"}, -0.4}};  // target-level sentiment wins for the watch
  Mention b = Make("2", kMonday + 50 * 60'000, Channel::kBlog);  // 00:50, same hour
  b.sentiment = -0.9;
  b.language = "";
  b.site = "blog.example";
  Mention c = Make("3", kMonday + kDay + 5 * kHour);  // Tuesday 05:00
  c.sentiment = 0.01;
  c.author.followers = 7;
  c.watches = {{1, {"acme"}, std::nullopt}};
  ASSERT_OK(s->WriteBatch(std::vector<Mention>{a, b, c}).status());

  auto hours = Cells(*s, 0, RollupDim::kTotal, RollupGrain::kHour);
  ASSERT_EQ(hours.size(), 2u);
  const RollupCell& h0 = hours.at({kMonday, ""});
  EXPECT_EQ(h0.count, 2);
  EXPECT_EQ(h0.positive, 1);
  EXPECT_EQ(h0.negative, 1);
  EXPECT_EQ(h0.neutral, 0);
  EXPECT_EQ(h0.reach, 100);
  EXPECT_EQ(h0.engagement, 8);
  const RollupCell& h1 = hours.at({kMonday + kDay + 5 * kHour, ""});
  EXPECT_EQ(h1.count, 1);
  EXPECT_EQ(h1.neutral, 1);  // 0.01 is inside the neutral band
  EXPECT_EQ(h1.reach, 7);

  auto days = Cells(*s, 0, RollupDim::kTotal, RollupGrain::kDay);
  ASSERT_EQ(days.size(), 2u);
  EXPECT_EQ(days.at({kMonday, ""}).count, 2);
  EXPECT_EQ(days.at({kMonday + kDay, ""}).count, 1);

  auto channels = Cells(*s, 0, RollupDim::kChannel, RollupGrain::kDay);
  EXPECT_EQ(channels.at({kMonday, "microblog"}).count, 1);
  EXPECT_EQ(channels.at({kMonday, "blog"}).count, 1);
  EXPECT_EQ(channels.at({kMonday + kDay, "microblog"}).count, 1);
  auto langs = Cells(*s, 0, RollupDim::kLanguage, RollupGrain::kDay);
  EXPECT_EQ(langs.at({kMonday, "und"}).count, 1);
  EXPECT_EQ(langs.at({kMonday, "en"}).count, 1);
  auto countries = Cells(*s, 0, RollupDim::kCountry, RollupGrain::kDay);
  EXPECT_EQ(countries.at({kMonday, "US"}).count, 1);
  EXPECT_EQ(countries.at({kMonday, ""}).count, 1);
  auto sites = Cells(*s, 0, RollupDim::kSite, RollupGrain::kHour);
  EXPECT_EQ(sites.at({kMonday, "blog.example"}).negative, 1);

  // The watch sees its two mentions, with a's target sentiment (negative).
  auto watch = Cells(*s, 1, RollupDim::kTotal, RollupGrain::kDay);
  ASSERT_EQ(watch.size(), 2u);
  EXPECT_EQ(watch.at({kMonday, ""}).count, 1);
  EXPECT_EQ(watch.at({kMonday, ""}).negative, 1);
  EXPECT_EQ(watch.at({kMonday + kDay, ""}).neutral, 1);

  // Ranges are half-open on bucket starts.
  EXPECT_EQ(Cells(*s, 0, RollupDim::kTotal, RollupGrain::kHour, kMonday + kHour, kMonday + kDay + 5 * kHour).size(),
            0u);
  EXPECT_OK(s->CheckConsistency());
}

TEST(RollupsTest, WatchHourlyChannelLanguageAndCountryAreSummedFromFacets) {
  TempDir dir;
  auto s = Open(dir.str());
  ASSERT_OK(s->AddWatch("acme", "acme", "").status());
  auto make = [](std::string id, Channel ch, std::string lang, std::string country, bool watched) {
    Mention m = Make(std::move(id), kMonday + kHour, ch);
    m.language = std::move(lang);
    m.geo.country = std::move(country);
    if (watched) m.watches = {{1, {"acme"}, std::nullopt}};
    return m;
  };
  ASSERT_OK(s->WriteBatch(std::vector<Mention>{make("a", Channel::kMicroblog, "en", "US", true),
                                               make("b", Channel::kBlog, "de", "DE", true),
                                               make("c", Channel::kBlog, "de", "US", true),
                                               make("d", Channel::kBlog, "de", "DE", false)})
                .status());
  auto counts = [&](int64_t watch, RollupDim dim) {
    std::map<std::string, int64_t> out;
    for (RollupGrain grain : {RollupGrain::kHour, RollupGrain::kDay}) {
      for (const auto& [key, cell] : Cells(*s, watch, dim, grain)) out[key.second] += cell.count;
    }
    return out;
  };
  using Counts = std::map<std::string, int64_t>;
  EXPECT_EQ(counts(1, RollupDim::kChannel), (Counts{{"blog", 4}, {"microblog", 2}}));  // hour + day
  EXPECT_EQ(counts(1, RollupDim::kLanguage), (Counts{{"de", 4}, {"en", 2}}));
  EXPECT_EQ(counts(1, RollupDim::kCountry), (Counts{{"DE", 2}, {"US", 4}}));
  EXPECT_EQ(counts(0, RollupDim::kChannel), (Counts{{"blog", 6}, {"microblog", 2}}));
  // Every watch at once is read hourly by total, site or facets.
  std::map<int64_t, int64_t> totals;
  ASSERT_OK(s->ScanRollupsOfAllWatches(RollupGrain::kDay, RollupDim::kTotal, INT64_MIN, INT64_MAX,
                                       [&](int64_t w, const RollupCell& c) { totals[w] += c.count; }));
  EXPECT_EQ(totals, (std::map<int64_t, int64_t>{{0, 4}, {1, 3}}));
  EXPECT_FALSE(s->ScanRollupsOfAllWatches(RollupGrain::kHour, RollupDim::kChannel, INT64_MIN, INT64_MAX,
                                          [](int64_t, const RollupCell&) {})
                   .ok());
}

TEST(RollupsTest, UpdatesReplaceTheOldContribution) {
  TempDir dir;
  auto s = Open(dir.str());
  ASSERT_OK(s->AddWatch("w", "x", "").status());
  Mention m = Make("1", kMonday);
  m.sentiment = 0.5;
  m.author.followers = 10;
  m.watches = {{1, {"x"}, std::nullopt}};
  ASSERT_OK(s->WriteBatch(std::vector<Mention>{m}).status());
  // Re-fetched later: new counts, an edited text, a day later, no longer matching.
  m.sentiment = -0.5;
  m.author.followers = 30;
  m.created_at_ms = kMonday + kDay;
  m.watches.clear();
  ASSERT_OK(s->WriteBatch(std::vector<Mention>{m}).status());
  auto days = Cells(*s, 0, RollupDim::kTotal, RollupGrain::kDay);
  ASSERT_EQ(days.size(), 1u);
  const RollupCell& d = days.at({kMonday + kDay, ""});
  EXPECT_EQ(d.count, 1);
  EXPECT_EQ(d.negative, 1);
  EXPECT_EQ(d.reach, 30);
  EXPECT_TRUE(Cells(*s, 1, RollupDim::kTotal, RollupGrain::kDay).empty());
  // Identical content again changes nothing.
  ASSERT_OK(s->WriteBatch(std::vector<Mention>{m}).status());
  EXPECT_EQ(Cells(*s, 0, RollupDim::kTotal, RollupGrain::kDay).at({kMonday + kDay, ""}).count, 1);
  EXPECT_OK(s->CheckConsistency());
}

// Incremental rollups after random writes, updates, backfills and watch
// removals equal rollups computed from scratch over what is stored.
TEST(RollupsTest, IncrementalEqualsRecomputed) {
  TempDir dir;
  std::vector<Row> incremental;
  std::vector<int64_t> watches = {0};
  {
    auto s = Open(dir.str());
    for (int w = 1; w <= 4; ++w) {
      ASSERT_OK(s->AddWatch("w" + std::to_string(w), "q", "").status());
      watches.push_back(w);
    }
    std::mt19937_64 rng(42);
    const char* countries[] = {"", "US", "DE", "JP"};
    const char* langs[] = {"", "en", "de", "ja"};
    const char* sites[] = {"", "x.com", "a.example", "b.example"};
    for (int batch = 0; batch < 30; ++batch) {
      std::vector<Mention> ms;
      for (int i = 0; i < 50; ++i) {
        // Ids repeat across batches, so many writes are updates.
        Mention m = Make(std::to_string(rng() % 600), kMonday + static_cast<int64_t>(rng() % (9 * kDay)) - kDay,
                         kAllChannels[rng() % 8]);
        m.language = langs[rng() % 4];
        m.geo.country = countries[rng() % 4];
        m.site = sites[rng() % 4];
        if (rng() % 5) m.sentiment = static_cast<double>(rng() % 2001) / 1000.0 - 1.0;
        m.author.followers = static_cast<int64_t>(rng() % 1000) - 100;
        m.engagement.likes = static_cast<int64_t>(rng() % 50) - 5;
        for (int w = 1; w <= 4; ++w) {
          if (rng() % 3 == 0) {
            WatchMatch wm{w, {"q"}, std::nullopt};
            if (rng() % 2) wm.sentiment = static_cast<double>(rng() % 200) / 100.0 - 1.0;
            m.watches.push_back(wm);
          }
        }
        ms.push_back(std::move(m));
      }
      // One batch holds the same id twice at most once: keep the last.
      std::map<std::string, Mention> unique;
      for (Mention& m : ms) unique[m.id] = m;
      std::vector<Mention> b;
      for (auto& [id, m] : unique) b.push_back(m);
      ASSERT_OK(s->WriteBatch(b).status());
    }
    ASSERT_OK(s->Backfill(2, match::IndexPlan{}, [](const Mention& m, WatchMatch* wm) {
                   wm->terms = {"q"};
                   if (m.created_at_ms % 2 == 0) wm->sentiment = -0.7;
                   return m.external_id.size() == 2;
                 }).status());
    ASSERT_OK(s->RemoveWatch("w3"));
    EXPECT_OK(s->CheckConsistency());
    incremental = AllRollups(*s, watches);
    EXPECT_GT(incremental.size(), 500u);
  }
  {
    // Ask the store to recompute its rollups when it next opens.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir.str() + "/earshot.db").c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "UPDATE meta SET value = 1 WHERE name = 'rollups_pending'; DELETE FROM rollups;",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  {
    auto s = Open(dir.str());
    EXPECT_EQ(AllRollups(*s, watches), incremental);
  }
  // The same for the combined facet rows alone (schema 5's migration).
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir.str() + "/earshot.db").c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "UPDATE meta SET value = 1 WHERE name = 'facet_rollups_pending'; DELETE FROM rollups "
                               "WHERE dim = 5;",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  {
    auto s = Open(dir.str());
    EXPECT_EQ(AllRollups(*s, watches), incremental);
  }
  // Schema 6 keys rollups time first: a store with schema 5's table (keyed
  // watch first) is migrated with every row kept (and then to schema 7).
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir.str() + "/earshot.db").c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db,
                           "CREATE TABLE old (watch_id INTEGER NOT NULL, grain INTEGER NOT NULL, dim INTEGER NOT "
                           "NULL, t INTEGER NOT NULL, value TEXT NOT NULL, n INTEGER NOT NULL, pos INTEGER NOT NULL, "
                           "neg INTEGER NOT NULL, neu INTEGER NOT NULL, reach INTEGER NOT NULL, engagement INTEGER "
                           "NOT NULL, PRIMARY KEY (watch_id, grain, dim, t, value)) WITHOUT ROWID; INSERT INTO old "
                           "SELECT watch_id, grain, dim, t, value, n, pos, neg, neu, reach, engagement FROM rollups; "
                           "DROP TABLE rollups; ALTER TABLE old RENAME TO rollups; DROP VIEW mention_texts; DROP INDEX "
                           "mentions_by_text_of; ALTER TABLE mentions DROP COLUMN text_of; PRAGMA user_version = 5;",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  auto s = Open(dir.str());
  EXPECT_EQ(AllRollups(*s, watches), incremental);
  EXPECT_OK(s->CheckConsistency());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir.str() + "/earshot.db").c_str(), &db), SQLITE_OK);
  sqlite3_stmt* q = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT sql FROM sqlite_schema WHERE name = 'rollups'", -1, &q, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(q), SQLITE_ROW);
  EXPECT_NE(std::string(reinterpret_cast<const char*>(sqlite3_column_text(q, 0))).find(
                "PRIMARY KEY (grain, dim, t, watch_id, value)"),
            std::string::npos);
  sqlite3_finalize(q);
  sqlite3_close(db);
}

TEST(RollupsTest, ScanWatchMentionsIsOldestFirstWithTheWatchMatch) {
  TempDir dir;
  auto s = Open(dir.str());
  ASSERT_OK(s->AddWatch("w", "x", "").status());
  std::vector<Mention> ms;
  for (int i = 0; i < 5; ++i) {
    Mention m = Make(std::to_string(i), kMonday + (4 - i) * kHour);
    if (i % 2 == 0) m.watches = {{1, {"x", "y"}, 0.25}};
    ms.push_back(m);
  }
  ASSERT_OK(s->WriteBatch(ms).status());
  std::vector<std::string> ids;
  ASSERT_OK(s->ScanWatchMentions(1, {}, [&](const Mention& m) {
    ids.push_back(m.external_id);
    EXPECT_EQ(m.watches.size(), 1u);
    EXPECT_EQ(m.watches[0].terms, (std::vector<std::string>{"x", "y"}));
    EXPECT_EQ(m.watches[0].sentiment, 0.25);
    return true;
  }));
  EXPECT_EQ(ids, (std::vector<std::string>{"4", "2", "0"}));
  ids.clear();
  ScanOptions range;
  range.from_ms = kMonday + kHour;
  range.to_ms = kMonday + 4 * kHour;
  ASSERT_OK(s->ScanWatchMentions(0, range, [&](const Mention& m) {
    ids.push_back(m.external_id);
    return true;
  }));
  EXPECT_EQ(ids, (std::vector<std::string>{"3", "2", "1"}));
}

TEST(RollupsTest, ExpiryKeepsRollupsAndRefusesTheSameIdsAgain) {
  TempDir dir;
  auto s = Open(dir.str());
  ASSERT_OK(s->AddWatch("w", "x", "").status());
  std::vector<Mention> ms;
  for (int i = 0; i < 12; ++i) {
    Mention m = Make(std::to_string(i), kMonday + i * kDay);
    if (i % 3 == 0) m.source = "rss";
    m.id = MakeMentionId(m.source, m.external_id);
    m.watches = {{1, {"x"}, std::nullopt}};
    ms.push_back(m);
  }
  ASSERT_OK(s->WriteBatch(ms).status());
  auto before = AllRollups(*s, {0, 1});

  // Only x mentions older than day 6 go: ids 1, 2, 4, 5.
  Result<int64_t> removed = s->Expire({"x", kMonday + 6 * kDay});
  ASSERT_OK(removed.status());
  EXPECT_EQ(*removed, 4);
  EXPECT_EQ(AllRollups(*s, {0, 1}), before);
  Result<StoreStats> st = s->Stats();
  ASSERT_OK(st.status());
  EXPECT_EQ(st->mentions, 8);
  EXPECT_EQ(st->by_source.at("x"), 4);
  Result<std::vector<Watch>> w = s->ListWatches();
  ASSERT_OK(w.status());
  EXPECT_EQ((*w)[0].matches, 8);
  EXPECT_EQ(s->Get("x:1").status().code(), StatusCode::kNotFound);
  EXPECT_OK(s->Get("rss:0").status());
  EXPECT_OK(s->CheckConsistency());

  // The feed is read again: expired ids are not stored or counted again.
  Result<WriteSummary> again = s->WriteBatch(ms);
  ASSERT_OK(again.status());
  EXPECT_EQ(again->inserted, 0);
  EXPECT_EQ(again->unchanged, 12);
  EXPECT_EQ(AllRollups(*s, {0, 1}), before);
  EXPECT_OK(s->CheckConsistency());
}

TEST(RollupsTest, RetentionPolicies) {
  TempDir dir;
  auto s = Open(dir.str());
  ASSERT_OK(s->SetRetention("x", 30));
  ASSERT_OK(s->SetRetention("rss", 365));
  ASSERT_OK(s->SetRetention("x", 7));
  Result<std::vector<RetentionPolicy>> p = s->ListRetention();
  ASSERT_OK(p.status());
  ASSERT_EQ(p->size(), 2u);
  EXPECT_EQ((*p)[0].source, "rss");
  EXPECT_EQ((*p)[0].days, 365);
  EXPECT_EQ((*p)[1].source, "x");
  EXPECT_EQ((*p)[1].days, 7);
  ASSERT_OK(s->SetRetention("rss", 0));
  EXPECT_EQ(s->ListRetention()->size(), 1u);
  EXPECT_EQ(s->SetRetention("", 3).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s->SetRetention("x", -1).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace earshot::store
