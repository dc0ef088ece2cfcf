// How row keys encode time, and time windows over keys that spilled.
#include "store/sqlite/key_layout.h"

#include <sqlite3.h>
#include <gtest/gtest.h>

#include <optional>
#include <random>
#include <string>
#include <vector>

#include "store/sqlite/sqlite_handle.h"
#include "store/store.h"
#include "store_fixtures.h"
#include "testutil.h"

namespace earshot::store {
namespace {

using sqlite::KeyLayout;

TEST(KeyLayoutTest, FloorSpillAndMillisecond) {
  KeyLayout k;
  k.shift = 4;
  EXPECT_EQ(k.Floor(1000), 16000);
  EXPECT_EQ(k.Floor(-5), 0);  // before 1970: clamped
  EXPECT_EQ(k.MsOf(16015), 1000);
  EXPECT_EQ(k.SpillOf(16015, 1000), 0);  // still its own millisecond's key
  EXPECT_EQ(k.SpillOf(16016, 1000), 16);
  EXPECT_EQ(k.Bounds("key", "c", std::nullopt, std::nullopt), "");
}

// Rows with keys at or past their millisecond's Floor (a few far past it,
// as bursts leave them); Bounds must keep exactly the rows of each window.
TEST(KeyLayoutTest, BoundsKeepExactlyTheWindowsRows) {
  for (int shift : {0, 4, 20}) {
    for (bool spilled : {false, true}) {
      KeyLayout layout;
      layout.shift = shift;
      sqlite3* raw = nullptr;
      ASSERT_EQ(sqlite3_open(":memory:", &raw), SQLITE_OK);
      sqlite::DbHandle db(raw);
      ASSERT_TRUE(sqlite::Exec(db.get(), "CREATE TABLE r (key INTEGER PRIMARY KEY, c INTEGER NOT NULL)").ok());
      std::mt19937_64 rng(shift * 2 + spilled);
      std::vector<std::pair<int64_t, int64_t>> rows;  // key, created
      for (int i = 0; i < 400; ++i) {
        const int64_t c = 1000 + static_cast<int64_t>(rng() % 40);
        int64_t past = static_cast<int64_t>(rng() % layout.Slots());
        if (spilled && rng() % 5 == 0) past += static_cast<int64_t>(rng() % (layout.Slots() * 6));
        const int64_t key = layout.Floor(c) + past;
        if (sqlite3_exec(db.get(), ("INSERT INTO r VALUES (" + std::to_string(key) + ", " + std::to_string(c) + ")").c_str(),
                         nullptr, nullptr, nullptr) != SQLITE_OK) {
          continue;  // key taken
        }
        rows.emplace_back(key, c);
        layout.spill = std::max(layout.spill, layout.SpillOf(key, c));
      }
      EXPECT_EQ(layout.spill > 0, spilled) << shift;
      std::vector<std::optional<int64_t>> edges = {std::nullopt};
      for (int64_t t = 998; t <= 1042; ++t) edges.push_back(t);
      for (const auto& from : edges) {
        for (const auto& to : edges) {
          int64_t want = 0;
          for (const auto& [key, c] : rows) want += (!from || c >= *from) && (!to || c < *to);
          const std::string where = "shift " + std::to_string(shift) + " from " +
                                    std::to_string(from.value_or(-1)) + " to " + std::to_string(to.value_or(-1));
          sqlite::Stmt q = *sqlite::Stmt::Prepare(db.get(), "SELECT count(*) FROM r WHERE 1" +
                                                                layout.Bounds("key", "c", from, to));
          ASSERT_TRUE(*q.Step());
          ASSERT_EQ(q.Int(0), want) << where;
          // The bands: adjacent, in key order, and their counts add up.
          const std::vector<KeyLayout::Band> bands = layout.Bands(from, to);
          int64_t banded = 0;
          for (size_t i = 0; i < bands.size(); ++i) {
            const KeyLayout::Band& b = bands[i];
            if (i > 0) {
              ASSERT_EQ(bands[i - 1].hi, b.lo) << where;
            }
            for (const auto& [key, c] : rows) {
              const bool in_band = (!b.lo || key >= *b.lo) && (!b.hi || key < *b.hi);
              const bool in_window = (!from || c >= *from) && (!to || c < *to);
              if (in_band && !b.check_created) {
                ASSERT_TRUE(in_window) << where << " key " << key;
              }
              banded += in_band && in_window;
            }
          }
          ASSERT_EQ(banded, want) << where;
          ASSERT_EQ(bands.size() > 1 || bands[0].check_created, layout.spill > 0 && (from || to)) << where;
        }
      }
    }
  }
}

match::IndexPlan Word(std::string w, bool with_filter) {
  match::IndexPlan p = testing::WordPlan(std::move(w));
  if (with_filter) p.filters.push_back({match::FieldFilter::Field::kLang, "en", false});
  return p;
}

// Forty mentions of one millisecond take more keys than it has (16): the
// rest spill into the next milliseconds' keys, where other mentions are.
// Every time window still holds exactly its mentions, counted from the word
// index alone, counted through the rows, and scanned.
TEST(StoreKeySpillTest, WindowsStayExactAfterABurstSpills) {
  earshot::testing::TempDir dir;
  auto s = testing::OpenOrFail(dir.str());
  ASSERT_NE(s, nullptr);
  constexpr int64_t kT = 1'700'000'000'000;
  std::vector<Mention> batch;
  std::vector<int64_t> created;
  auto add = [&](int64_t at) {
    batch.push_back(testing::XMention(std::to_string(batch.size()), "storage burst", at));
    created.push_back(at);
  };
  for (int64_t d = 1; d <= 3; ++d) add(kT + d);  // written first: the burst spills past them
  for (int i = 0; i < 40; ++i) add(kT);
  for (int64_t d = -2; d <= 4; ++d) add(kT + d);
  ASSERT_TRUE(s->WriteBatch(batch).ok());
  ASSERT_EQ(s->Stats()->mentions, static_cast<int64_t>(batch.size()));
  EXPECT_OK(s->CheckConsistency());

  std::vector<std::optional<int64_t>> edges = {std::nullopt};
  for (int64_t d = -3; d <= 6; ++d) edges.push_back(kT + d);
  for (const auto& from : edges) {
    for (const auto& to : edges) {
      int64_t want = 0;
      for (int64_t c : created) want += (!from || c >= *from) && (!to || c < *to);
      ScanOptions o;
      o.from_ms = from;
      o.to_ms = to;
      const std::string where = "from " + std::to_string(from.value_or(0) - kT) + " to " +
                                std::to_string(to.value_or(0) - kT);
      EXPECT_EQ(*s->CountCandidates(Word("storage", false), o), want) << "index only, " << where;
      EXPECT_EQ(*s->CountCandidates(Word("storage", true), o), want) << "joined, " << where;
      int64_t seen = 0;
      ASSERT_TRUE(s->ScanWatchMentions(0, o, [&](const Mention& m) {
                     seen += (!from || m.created_at_ms >= *from) && (!to || m.created_at_ms < *to);
                     return true;
                   }).ok());
      EXPECT_EQ(seen, want) << "every mention, " << where;
    }
  }
}

// A burst written by one connection is continued by the next, which does
// not know where the burst's keys end: it finds the first free key.
TEST(StoreKeySpillTest, ALaterConnectionContinuesABurst) {
  earshot::testing::TempDir dir;
  constexpr int64_t kT = 1'700'000'000'000;  // a date without a time of day, say
  auto write = [&](int first, int n) {
    auto s = testing::OpenOrFail(dir.str());
    ASSERT_NE(s, nullptr);
    std::vector<Mention> batch;
    for (int i = first; i < first + n; ++i) batch.push_back(testing::XMention(std::to_string(i), "storage", kT));
    Result<WriteSummary> r = s->WriteBatch(batch);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->inserted, n);
  };
  write(0, 2000);  // 125 milliseconds' keys
  write(2000, 3);
  auto s = testing::OpenOrFail(dir.str());
  ASSERT_NE(s, nullptr);
  ScanOptions o;
  o.from_ms = kT;
  o.to_ms = kT + 1;
  EXPECT_EQ(*s->CountCandidates(testing::WordPlan("storage"), o), 2003);
  o.from_ms = kT + 1;
  o.to_ms = std::nullopt;
  EXPECT_EQ(*s->CountCandidates(testing::WordPlan("storage"), o), 0);
  EXPECT_OK(s->CheckConsistency());
}

// A store with mentions from before schema 9 keeps its keys' layout.
TEST(StoreKeySpillTest, StoreFromBeforeSchema9KeepsItsShift) {
  earshot::testing::TempDir dir;
  auto meta = [&](const std::string& name) {
    return testing::QueryStoreInt(dir.str(), "SELECT value FROM meta WHERE name = '" + name + "'");
  };
  {
    auto s = testing::OpenOrFail(dir.str());
    ASSERT_NE(s, nullptr);
  }
  EXPECT_EQ(meta("key_shift"), KeyLayout::kShift);  // a new store
  // A mention as schema 8 keyed it: created_at << 20 | low bits of a hash.
  testing::ExecStore(dir.str(),
                     "DELETE FROM meta WHERE name IN ('key_shift', 'key_spill'); PRAGMA user_version = 8; "
                     "INSERT INTO mentions (key, id, source, external_id, channel, text, created_at, content_hash, "
                     "ingested_at) VALUES ((1700000000000 << 20) | 12345, 'x:1', 'x', '1', 'microblog', "
                     "'legacy storage', 1700000000000, 0, 0)");
  auto s = testing::OpenOrFail(dir.str());
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(meta("key_shift"), KeyLayout::kLegacyShift);
  EXPECT_EQ(meta("key_spill"), 0);
  Mention m = testing::XMention("2", "new storage", 1'700'000'000'000);
  ASSERT_TRUE(s->WriteBatch(std::span(&m, 1)).ok());
  ScanOptions o;
  o.from_ms = 1'700'000'000'000;
  o.to_ms = 1'700'000'000'001;
  int64_t n = 0;
  ASSERT_TRUE(s->ScanWatchMentions(0, o, [&](const Mention&) { return ++n; }).ok());
  EXPECT_EQ(n, 2);
}

}  // namespace
}  // namespace earshot::store
