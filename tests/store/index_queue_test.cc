// The word-index writes of a transaction, applied in key order.
#include "store/sqlite/index_queue.h"

#include <sqlite3.h>
#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

#include "store/store.h"
#include "store_fixtures.h"
#include "testutil.h"

namespace earshot::store {
namespace {

using sqlite::IndexQueue;
using sqlite::Stmt;
using Write = std::tuple<char, int64_t, std::string, std::string>;  // op, key, title, text

// Records the writes it receives in a table, in the order they ran.
class IndexQueueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(":memory:", &raw), SQLITE_OK);
    db_.reset(raw);
    ASSERT_TRUE(sqlite::Exec(db_.get(), "CREATE TABLE log (op TEXT, key INTEGER, title TEXT, text TEXT)").ok());
    insert_ = *Stmt::Prepare(db_.get(), "INSERT INTO log VALUES ('i', ?1, ?2, ?3)");
    remove_ = *Stmt::Prepare(db_.get(), "INSERT INTO log VALUES ('r', ?1, ?2, ?3)");
  }
  std::vector<Write> Log() {
    Stmt q = *Stmt::Prepare(db_.get(), "SELECT op, key, title, text FROM log ORDER BY rowid");
    std::vector<Write> out;
    while (*q.Step()) out.emplace_back(q.Text(0)[0], q.Int(1), std::string(q.Text(2)), std::string(q.Text(3)));
    return out;
  }
  sqlite::DbHandle db_;
  Stmt insert_, remove_;
};

TEST_F(IndexQueueTest, AppliesInKeyOrderAndQueueOrderWithinAKey) {
  IndexQueue q;
  std::string t3 = "three", t1 = "one", t2 = "two";
  q.Insert(3, "", t3);
  q.Insert(1, "T", t1);
  {
    std::string old_title = "old", old_text = "words that were indexed";
    q.Remove(2, old_title, old_text);  // copies: the originals go before Apply
  }
  q.Insert(2, "", t2);  // the same key again: after its removal
  q.Remove(1, "T", "one");
  EXPECT_EQ(q.size(), 5u);
  ASSERT_TRUE(q.Apply(insert_, remove_).ok());
  EXPECT_EQ(q.size(), 0u);
  std::vector<Write> want = {{'i', 1, "T", "one"}, {'r', 1, "T", "one"}, {'r', 2, "old", "words that were indexed"},
                             {'i', 2, "", "two"}, {'i', 3, "", "three"}};
  EXPECT_EQ(Log(), want);
}

TEST_F(IndexQueueTest, FailedWriteStopsAndEmptiesTheQueue) {
  ASSERT_TRUE(sqlite::Exec(db_.get(), "CREATE TRIGGER no_two BEFORE INSERT ON log WHEN NEW.key = 2 "
                                      "BEGIN SELECT RAISE(ABORT, 'no key 2'); END")
                  .ok());
  IndexQueue q;
  for (int64_t k : {3, 2, 1}) q.Insert(k, "", "x");
  EXPECT_FALSE(q.Apply(insert_, remove_).ok());
  EXPECT_EQ(q.size(), 0u);
  EXPECT_EQ(Log(), (std::vector<Write>{{'i', 1, "", "x"}}));
}

// FTS5 segments of the word index (one row per segment's first leaf).
int64_t Segments(const std::string& dir) {
  return testing::QueryStoreInt(dir, "SELECT count(DISTINCT segid) FROM mentions_fts_idx");
}

// A feed lists its newest item first: the batch steps back in time at every
// mention. Its words still go to the index as one segment.
TEST(StoreIndexOrderTest, BatchNewestFirstIsIndexedAsOneSegment) {
  earshot::testing::TempDir dir;
  auto s = testing::OpenOrFail(dir.str());
  ASSERT_NE(s, nullptr);
  constexpr int64_t kNow = 1'700'000'000'000;
  std::vector<Mention> batch;
  for (int i = 0; i < 300; ++i) {
    batch.push_back(testing::XMention(std::to_string(i), "item " + std::to_string(i) + " about storage outages",
                                      kNow - int64_t{i} * 60'000));
  }
  Result<WriteSummary> r = s->WriteBatch(batch);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->inserted, 300);
  EXPECT_EQ(Segments(dir.str()), 1);
  EXPECT_OK(s->CheckConsistency());
}

// A mention written twice in one batch, edited in between: the index ends
// with the second version's words only.
TEST(StoreIndexOrderTest, EditWithinABatchLeavesOnlyTheNewWords) {
  earshot::testing::TempDir dir;
  auto s = testing::OpenOrFail(dir.str());
  ASSERT_NE(s, nullptr);
  std::vector<Mention> batch = {testing::XMention("1", "storage outage", 3000),
                                testing::XMention("2", "storage outage too", 2000),
                                testing::XMention("1", "backups restored", 1000)};
  Result<WriteSummary> r = s->WriteBatch(batch);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->inserted, 2);
  EXPECT_EQ(r->updated, 1);
  EXPECT_OK(s->CheckConsistency());
  auto count = [&](std::string word) { return *s->CountCandidates(testing::WordPlan(std::move(word)), {}); };
  EXPECT_EQ(count("outage"), 1);
  EXPECT_EQ(count("backups"), 1);
}

}  // namespace
}  // namespace earshot::store
