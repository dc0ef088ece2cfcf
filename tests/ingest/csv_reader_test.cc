#include "ingest/csv_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "testutil.h"

namespace earshot::ingest {
namespace {

using Fields = std::vector<std::string>;

// Reads every row of `input`.
std::vector<CsvRow> ReadAll(std::string_view input, CsvOptions options = {}) {
  CsvReader reader(input, options);
  std::vector<CsvRow> rows;
  CsvRow row;
  while (reader.Next(row)) rows.push_back(row);
  return rows;
}

TEST(CsvReaderTest, ReadsPlainAndQuotedFields) {
  auto rows = ReadAll("a,b,c\n1,\"two, with comma\",3\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].fields, (Fields{"a", "b", "c"}));
  EXPECT_EQ(rows[1].fields, (Fields{"1", "two, with comma", "3"}));
  EXPECT_EQ(rows[1].line, 2);
  EXPECT_EQ(rows[1].raw, "1,\"two, with comma\",3");
  EXPECT_OK(rows[1].status);
}

TEST(CsvReaderTest, UndoublesQuotes) {
  auto rows = ReadAll("\"say \"\"hi\"\"\",\"\"\"\"\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].fields, (Fields{"say \"hi\"", "\""}));
}

TEST(CsvReaderTest, KeepsLineBreaksInsideQuotesAndCountsLines) {
  auto rows = ReadAll("id,text\r\n1,\"line one\nline two\r\nline three\"\r\n2,after\r\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1].fields, (Fields{"1", "line one\nline two\r\nline three"}));
  EXPECT_EQ(rows[1].line, 2);
  EXPECT_EQ(rows[2].fields, (Fields{"2", "after"}));
  EXPECT_EQ(rows[2].line, 5);
}

TEST(CsvReaderTest, HandlesCrlfLfAndMissingFinalNewline) {
  auto rows = ReadAll("a,b\r\nc,d\ne,f");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].fields, (Fields{"a", "b"}));
  EXPECT_EQ(rows[0].raw, "a,b");
  EXPECT_EQ(rows[1].fields, (Fields{"c", "d"}));
  EXPECT_EQ(rows[2].fields, (Fields{"e", "f"}));
  EXPECT_EQ(rows[2].line, 3);
}

TEST(CsvReaderTest, StripsUtf8Bom) {
  auto rows = ReadAll("\xEF\xBB\xBFid,text\n1,x\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].fields, (Fields{"id", "text"}));
}

TEST(CsvReaderTest, KeepsEmptyFieldsAndSkipsBlankLines) {
  auto rows = ReadAll("a,,c,\n\n\r\n,\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].fields, (Fields{"a", "", "c", ""}));
  EXPECT_EQ(rows[1].fields, (Fields{"", ""}));
  EXPECT_EQ(rows[1].line, 4);
}

TEST(CsvReaderTest, KeepsQuoteInsideUnquotedFieldLiterally) {
  auto rows = ReadAll("5\" screen,ok\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_OK(rows[0].status);
  EXPECT_EQ(rows[0].fields, (Fields{"5\" screen", "ok"}));
}

TEST(CsvReaderTest, ReportsUnterminatedQuoteAndResumesAtNextLine) {
  auto rows = ReadAll("id,text\n1,good\n2,\"broken\n3,fine\n4,also fine\n");
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_OK(rows[1].status);
  EXPECT_FALSE(rows[2].status.ok());
  EXPECT_EQ(rows[2].line, 3);
  EXPECT_EQ(rows[2].raw, "2,\"broken");
  EXPECT_NE(rows[2].status.message().find("line 3, field 2"), std::string::npos) << rows[2].status.message();
  EXPECT_NE(rows[2].status.message().find("never closed"), std::string::npos) << rows[2].status.message();
  EXPECT_EQ(rows[3].fields, (Fields{"3", "fine"}));
  EXPECT_EQ(rows[3].line, 4);
  EXPECT_OK(rows[3].status);
  EXPECT_EQ(rows[4].fields, (Fields{"4", "also fine"}));
  EXPECT_EQ(rows[4].line, 5);
}

TEST(CsvReaderTest, StrayQuoteSwallowingLaterRowsIsUndone) {
  // The stray quote on line 2 pairs with the opening quote of line 3; the
  // text after that "closing" quote exposes the mistake.
  auto rows = ReadAll("1,\"stray\n2,\"quoted\",x\n3,plain\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_FALSE(rows[0].status.ok());
  EXPECT_EQ(rows[0].line, 1);
  EXPECT_NE(rows[0].status.message().find("unexpected text after the closing quote"), std::string::npos)
      << rows[0].status.message();
  EXPECT_EQ(rows[1].fields, (Fields{"2", "quoted", "x"}));
  EXPECT_EQ(rows[1].line, 2);
  EXPECT_OK(rows[1].status);
  EXPECT_EQ(rows[2].fields, (Fields{"3", "plain"}));
}

TEST(CsvReaderTest, TextAfterClosingQuoteOnOneLineFailsOnlyThatRow) {
  auto rows = ReadAll("\"ab\"cd,e\nf,g\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_FALSE(rows[0].status.ok());
  EXPECT_EQ(rows[0].fields, (Fields{"abcd", "e"}));
  EXPECT_EQ(rows[0].raw, "\"ab\"cd,e");
  EXPECT_OK(rows[1].status);
  EXPECT_EQ(rows[1].fields, (Fields{"f", "g"}));
}

TEST(CsvReaderTest, BoundsHowFarAnOpenQuoteIsFollowed) {
  std::string input = "1,\"open\n" + std::string(100, 'x') + "\n2,ok\n";
  auto rows = ReadAll(input, CsvOptions{.max_row_bytes = 50});
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_FALSE(rows[0].status.ok());
  EXPECT_NE(rows[0].status.message().find("still open 50 bytes"), std::string::npos) << rows[0].status.message();
  EXPECT_EQ(rows[1].fields, (Fields{std::string(100, 'x')}));
  EXPECT_EQ(rows[2].fields, (Fields{"2", "ok"}));
}

TEST(CsvReaderTest, SupportsOtherDelimiters) {
  auto rows = ReadAll("a;\"b;c\";d\n", CsvOptions{.delimiter = ';'});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].fields, (Fields{"a", "b;c", "d"}));
}

TEST(CsvReaderTest, QuotedFieldAtEndOfInputWithoutNewline) {
  auto rows = ReadAll("\"a\",\"b\"");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_OK(rows[0].status);
  EXPECT_EQ(rows[0].fields, (Fields{"a", "b"}));
  EXPECT_EQ(rows[0].raw, "\"a\",\"b\"");
}

TEST(CsvReaderTest, EmptyInputHasNoRows) {
  EXPECT_TRUE(ReadAll("").empty());
  EXPECT_TRUE(ReadAll("\xEF\xBB\xBF").empty());
  EXPECT_TRUE(ReadAll("\n\r\n").empty());
}

TEST(CsvReaderTest, ReusesRowStorageWithoutStaleFields) {
  CsvReader reader("a,b,c\nd\n");
  CsvRow row;
  ASSERT_TRUE(reader.Next(row));
  EXPECT_EQ(row.fields.size(), 3u);
  ASSERT_TRUE(reader.Next(row));
  EXPECT_EQ(row.fields, (Fields{"d"}));
  EXPECT_FALSE(reader.Next(row));
}

}  // namespace
}  // namespace earshot::ingest
