// Helpers shared by the embedded store's tests.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "store/store.h"

namespace earshot::store::testing {

// An English X mention with `text`, created at `at_ms`.
inline Mention XMention(std::string ext, std::string text, int64_t at_ms, Channel channel = Channel::kMicroblog) {
  Mention m;
  m.source = "x";
  m.external_id = std::move(ext);
  m.id = MakeMentionId(m.source, m.external_id);
  m.channel = channel;
  m.text = std::move(text);
  m.created_at_ms = at_ms;
  m.language = "en";
  return m;
}

// A plan that asks the word index for one word, exactly.
inline match::IndexPlan WordPlan(std::string word) {
  match::IndexPlan p;
  p.text.kind = match::IndexQuery::Kind::kTerm;
  p.text.words = {std::move(word)};
  p.exact = true;
  return p;
}

// Runs `sql` on the database file of the store in `dir`, beside the store:
// the first column of the first row it returns (-1 for none), for checks of
// what the store wrote.
inline int64_t QueryStoreInt(const std::string& dir, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open((dir + "/earshot.db").c_str(), &db), SQLITE_OK);
  sqlite3_stmt* q = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &q, nullptr), SQLITE_OK) << sql;
  const int64_t v = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : -1;
  sqlite3_finalize(q);
  sqlite3_close(db);
  return v;
}

// Runs statements on that file (to make a store look like an older one).
inline void ExecStore(const std::string& dir, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open((dir + "/earshot.db").c_str(), &db), SQLITE_OK);
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sql;
  sqlite3_close(db);
}

// Opens the store in `dir`; fails the test (and returns null) when it cannot.
inline std::unique_ptr<Store> OpenOrFail(const std::string& dir, bool read_only = false) {
  StoreOptions o;
  o.data_dir = dir;
  o.read_only = read_only;
  Result<std::unique_ptr<Store>> s = OpenStore(o);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(*s) : nullptr;
}

}  // namespace earshot::store::testing
