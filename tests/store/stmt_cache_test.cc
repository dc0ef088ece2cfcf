// The connection's cache of prepared read statements.
#include <sqlite3.h>
#include <gtest/gtest.h>

#include "store/sqlite/sqlite_handle.h"

namespace earshot::store::sqlite {
namespace {

class StmtCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(":memory:", &raw), SQLITE_OK);
    db_.reset(raw);
    ASSERT_TRUE(Exec(db_.get(), "CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2), (3);").ok());
  }
  DbHandle db_;
};

TEST_F(StmtCacheTest, ReturnedStatementIsReusedAndReset) {
  StmtCache cache(db_.get());
  sqlite3_stmt* first = nullptr;
  {
    auto lease = cache.Get("SELECT x FROM t WHERE x >= ?1 ORDER BY x");
    ASSERT_TRUE(lease.ok());
    Stmt& s = **lease;
    first = s.get();
    s.BindInt(1, 2);
    ASSERT_TRUE(*s.Step());
    EXPECT_EQ(s.Int(0), 2);  // left mid-scan: the lease's end resets it
  }
  auto again = cache.Get("SELECT x FROM t WHERE x >= ?1 ORDER BY x");
  ASSERT_TRUE(again.ok());
  Stmt& s = **again;
  EXPECT_EQ(s.get(), first);
  s.BindInt(1, 1);
  ASSERT_TRUE(*s.Step());
  EXPECT_EQ(s.Int(0), 1);  // a fresh scan with the new binding
}

TEST_F(StmtCacheTest, NestedLeasesOfOneSqlGetTheirOwnStatements) {
  StmtCache cache(db_.get());
  const char* sql = "SELECT x FROM t ORDER BY x";
  auto outer = cache.Get(sql);
  ASSERT_TRUE(outer.ok());
  ASSERT_TRUE(*(**outer).Step());
  auto inner = cache.Get(sql);
  ASSERT_TRUE(inner.ok());
  EXPECT_NE((**outer).get(), (**inner).get());
  int rows = 0;
  while (*(**inner).Step()) ++rows;
  EXPECT_EQ(rows, 3);
  EXPECT_EQ((**outer).Int(0), 1);  // the outer scan is undisturbed
}

int LiveStatements(sqlite3* db) {
  int n = 0;
  for (sqlite3_stmt* s = sqlite3_next_stmt(db, nullptr); s != nullptr; s = sqlite3_next_stmt(db, s)) ++n;
  return n;
}

TEST_F(StmtCacheTest, BeyondItsCapacityStatementsAreFinalized) {
  StmtCache cache(db_.get(), /*max_sql=*/1);
  sqlite3_stmt* kept = nullptr;
  { kept = (**cache.Get("SELECT 1")).get(); }
  EXPECT_EQ(LiveStatements(db_.get()), 1);
  {
    auto other = cache.Get("SELECT 2");
    ASSERT_TRUE(other.ok());
    EXPECT_EQ(LiveStatements(db_.get()), 2);
  }
  EXPECT_EQ(LiveStatements(db_.get()), 1);  // "SELECT 2" was not kept
  { EXPECT_EQ((**cache.Get("SELECT 1")).get(), kept); }
}

TEST_F(StmtCacheTest, BadSqlIsAnError) {
  StmtCache cache(db_.get());
  auto bad = cache.Get("SELECT FROM nowhere");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("prepare"), std::string::npos);
}

}  // namespace
}  // namespace earshot::store::sqlite
