// Exact copies of a text (reshares, copy-pastes) store it once: the copy's
// row refers to the row that holds it, reads and searches see it whole, and
// the holder's text survives the holder.
#include <sqlite3.h>

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "store/store.h"
#include "testutil.h"
#include "store_fixtures.h"

namespace earshot::store {
namespace {

using earshot::testing::TempDir;

constexpr char kText[] = "Our storage cluster went down during the upgrade again";

Mention Make(std::string ext, std::string text, int64_t at_ms) {
  return testing::XMention(std::move(ext), std::move(text), at_ms);
}

std::unique_ptr<Store> Open(const std::string& dir) { return testing::OpenOrFail(dir); }

// What the row of `id` stores itself: its text column and text_of (nullopt: NULL).
struct RawRow {
  std::string text;
  std::optional<int64_t> text_of;
  int64_t key = 0;
};

RawRow ReadRaw(const std::string& dir, const std::string& id) {
  RawRow r;
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2((dir + "/earshot.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* q = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, "SELECT text, text_of, key FROM mentions WHERE id = ?1", -1, &q, nullptr),
            SQLITE_OK);
  sqlite3_bind_text(q, 1, id.c_str(), -1, SQLITE_TRANSIENT);
  EXPECT_EQ(sqlite3_step(q), SQLITE_ROW) << id;
  r.text = reinterpret_cast<const char*>(sqlite3_column_text(q, 0));
  if (sqlite3_column_type(q, 1) != SQLITE_NULL) r.text_of = sqlite3_column_int64(q, 1);
  r.key = sqlite3_column_int64(q, 2);
  sqlite3_finalize(q);
  sqlite3_close(db);
  return r;
}

std::vector<std::string> Search(Store& s, std::string word) {
  match::IndexPlan p;
  p.text.kind = match::IndexQuery::Kind::kTerm;
  p.text.words = {std::move(word)};
  p.exact = true;
  std::vector<std::string> ids;
  EXPECT_OK(s.ScanCandidates(p, {}, [&](const Mention& m) {
    ids.push_back(m.id);
    EXPECT_NE(m.text.find("storage"), std::string::npos) << m.id << ": " << m.text;
    return true;
  }));
  return ids;
}

std::string TextOf(Store& s, const std::string& id) {
  Result<Mention> m = s.Get(id);
  EXPECT_TRUE(m.ok()) << id;
  return m.ok() ? m->text : "";
}

TEST(TextCopiesTest, AnExactCopyRefersToTheRowHoldingItsText) {
  TempDir dir;
  auto s = Open(dir.str());
  std::vector<Mention> batch = {Make("1", kText, 1000), Make("2", kText, 2000),
                                Make("3", std::string(kText) + "!", 3000),  // not exact: its own text
                                Make("4", "short copy", 4000), Make("5", "short copy", 5000)};
  batch[1].author.handle = "someone_else";
  ASSERT_OK(s->WriteBatch(batch).status());
  // Another batch: the holder is found across transactions too.
  Mention later = Make("6", kText, 6000);
  ASSERT_OK(s->WriteBatch(std::span(&later, 1)).status());

  const RawRow holder = ReadRaw(dir.str(), "x:1");
  EXPECT_EQ(holder.text, kText);
  EXPECT_FALSE(holder.text_of);
  for (const char* id : {"x:2", "x:6"}) {
    const RawRow copy = ReadRaw(dir.str(), id);
    EXPECT_EQ(copy.text, "") << id;
    EXPECT_EQ(copy.text_of, holder.key) << id;
  }
  EXPECT_EQ(ReadRaw(dir.str(), "x:3").text, std::string(kText) + "!");
  EXPECT_FALSE(ReadRaw(dir.str(), "x:5").text_of);  // too short to share

  for (const char* id : {"x:1", "x:2", "x:6"}) EXPECT_EQ(TextOf(*s, id), kText) << id;
  Result<Mention> copy = s->Get("x:2");
  ASSERT_TRUE(copy.ok());
  EXPECT_EQ(copy->author.handle, "someone_else");  // the copy keeps every field of its own
  EXPECT_EQ(Search(*s, "upgrade"), (std::vector<std::string>{"x:6", "x:3", "x:2", "x:1"}));

  Result<StoreStats> st = s->Stats();
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->mentions, 6);
  EXPECT_EQ(st->text_copies, 2);
  EXPECT_OK(s->CheckConsistency());  // includes FTS5's check of the index against the resolved texts

  // Re-ingesting a copy as it was changes nothing.
  Result<WriteSummary> again = s->WriteBatch(std::span(&batch[1], 1));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->unchanged, 1);
}

TEST(TextCopiesTest, EditingTheHolderHandsTheTextToItsNewestCopy) {
  TempDir dir;
  auto s = Open(dir.str());
  std::vector<Mention> batch = {Make("1", kText, 1000), Make("2", kText, 2000), Make("3", kText, 3000)};
  ASSERT_OK(s->WriteBatch(batch).status());
  Mention edited = batch[0];
  edited.text = "Fixed: the storage cluster is back after the rollback";
  Result<WriteSummary> r = s->WriteBatch(std::span(&edited, 1));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->updated, 1);

  const RawRow heir = ReadRaw(dir.str(), "x:3");
  EXPECT_EQ(heir.text, kText);
  EXPECT_FALSE(heir.text_of);
  EXPECT_EQ(ReadRaw(dir.str(), "x:2").text_of, heir.key);
  EXPECT_EQ(TextOf(*s, "x:1"), edited.text);
  EXPECT_EQ(TextOf(*s, "x:2"), kText);
  EXPECT_EQ(TextOf(*s, "x:3"), kText);
  EXPECT_EQ(Search(*s, "upgrade"), (std::vector<std::string>{"x:3", "x:2"}));
  EXPECT_EQ(Search(*s, "rollback"), (std::vector<std::string>{"x:1"}));
  EXPECT_OK(s->CheckConsistency());

  // A new copy of the text now refers to the heir.
  Mention fourth = Make("4", kText, 4000);
  ASSERT_OK(s->WriteBatch(std::span(&fourth, 1)).status());
  EXPECT_EQ(ReadRaw(dir.str(), "x:4").text_of, heir.key);
}

TEST(TextCopiesTest, AnUpdateThatKeepsTheTextStaysACopyOfTheHeir) {
  TempDir dir;
  auto s = Open(dir.str());
  std::vector<Mention> batch = {Make("1", kText, 1000), Make("2", kText, 2000)};
  ASSERT_OK(s->WriteBatch(batch).status());
  // The holder comes again with a new like count: its row is replaced, its
  // copy inherits the text, and the new row refers to the copy.
  Mention liked = batch[0];
  liked.engagement.likes = 7;
  Result<WriteSummary> r = s->WriteBatch(std::span(&liked, 1));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->updated, 1);
  EXPECT_EQ(ReadRaw(dir.str(), "x:1").text_of, ReadRaw(dir.str(), "x:2").key);
  EXPECT_EQ(TextOf(*s, "x:1"), kText);
  EXPECT_EQ(s->Get("x:1")->engagement.likes, 7);
  EXPECT_OK(s->CheckConsistency());
}

TEST(TextCopiesTest, ExpiringTheHolderKeepsTheCopiesWhole) {
  TempDir dir;
  auto s = Open(dir.str());
  std::vector<Mention> batch = {Make("1", kText, 1000), Make("2", kText, 2000), Make("3", kText, 3000)};
  ASSERT_OK(s->WriteBatch(batch).status());
  ExpireOptions e;
  e.before_ms = 2500;  // the holder and its first copy: the text moves to the newest copy, once
  Result<int64_t> removed = s->Expire(e);
  ASSERT_TRUE(removed.ok()) << removed.status().ToString();
  EXPECT_EQ(*removed, 2);
  const RawRow last = ReadRaw(dir.str(), "x:3");
  EXPECT_EQ(last.text, kText);
  EXPECT_FALSE(last.text_of);
  EXPECT_EQ(Search(*s, "upgrade"), (std::vector<std::string>{"x:3"}));
  EXPECT_EQ(s->Stats()->text_copies, 0);
  EXPECT_OK(s->CheckConsistency());
}

TEST(TextCopiesTest, ACopyWrittenAfterReopenStoresItsOwnTextOrRefers) {
  // The table of recent holders lives in memory: after a reopen a copy of
  // an older text is stored whole (never wrongly referred), and copies of
  // it refer to it from then on.
  TempDir dir;
  {
    auto s = Open(dir.str());
    Mention m = Make("1", kText, 1000);
    ASSERT_OK(s->WriteBatch(std::span(&m, 1)).status());
  }
  auto s = Open(dir.str());
  std::vector<Mention> batch = {Make("2", kText, 2000), Make("3", kText, 3000)};
  ASSERT_OK(s->WriteBatch(batch).status());
  EXPECT_EQ(ReadRaw(dir.str(), "x:2").text, kText);
  EXPECT_EQ(ReadRaw(dir.str(), "x:3").text_of, ReadRaw(dir.str(), "x:2").key);
  EXPECT_OK(s->CheckConsistency());
}

TEST(TextCopiesTest, ARolledBackHolderIsNeverReferred) {
  TempDir dir;
  auto s = Open(dir.str());
  Mention bad = Make("2", "whatever", 2000);
  bad.id.clear();  // fails the batch after its first mention was written
  std::vector<Mention> failing = {Make("1", kText, 1000), bad};
  EXPECT_FALSE(s->WriteBatch(failing).ok());
  Mention copy = Make("3", kText, 3000);
  ASSERT_OK(s->WriteBatch(std::span(&copy, 1)).status());
  const RawRow row = ReadRaw(dir.str(), "x:3");
  EXPECT_EQ(row.text, kText);
  EXPECT_FALSE(row.text_of);
  EXPECT_OK(s->CheckConsistency());
}

TEST(TextCopiesTest, AHolderDeletedByAnotherConnectionIsNeverReferred) {
  TempDir dir;
  auto writer = Open(dir.str());
  Mention first = Make("1", kText, 1000);
  ASSERT_OK(writer->WriteBatch(std::span(&first, 1)).status());
  {
    auto other = Open(dir.str());  // e.g. `earshot retention apply` while a server ingests
    ExpireOptions e;
    e.before_ms = 1500;
    ASSERT_EQ(*other->Expire(e), 1);
  }
  Mention copy = Make("2", kText, 2000);
  ASSERT_OK(writer->WriteBatch(std::span(&copy, 1)).status());
  const RawRow row = ReadRaw(dir.str(), "x:2");
  EXPECT_EQ(row.text, kText);
  EXPECT_FALSE(row.text_of);
  EXPECT_EQ(TextOf(*writer, "x:2"), kText);
  EXPECT_OK(writer->CheckConsistency());
}

TEST(TextCopiesTest, ACopyADayLaterHoldsTheTextAnew) {
  TempDir dir;
  auto s = Open(dir.str());
  constexpr int64_t kDay = 24LL * 3600 * 1000;
  std::vector<Mention> batch = {Make("1", kText, 1000), Make("2", kText, 1000 + 2 * kDay),
                                Make("3", kText, 1000 + 2 * kDay + 60'000)};
  ASSERT_OK(s->WriteBatch(batch).status());
  EXPECT_EQ(ReadRaw(dir.str(), "x:2").text, kText);
  EXPECT_FALSE(ReadRaw(dir.str(), "x:2").text_of);
  EXPECT_EQ(ReadRaw(dir.str(), "x:3").text_of, ReadRaw(dir.str(), "x:2").key);
  EXPECT_OK(s->CheckConsistency());
}

}  // namespace
}  // namespace earshot::store
