#include "core/time.h"

#include <gtest/gtest.h>

namespace earshot {
namespace {

TEST(TimeTest, ParsesRfc3339Variants) {
  EXPECT_EQ(*ParseRfc3339("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(*ParseRfc3339("2021-04-01T15:52:31.000Z"), 1617292351000);
  EXPECT_EQ(*ParseRfc3339("2017-01-06T20:30:00-05:00"), *ParseRfc3339("2017-01-07T01:30:00Z"));
  EXPECT_EQ(*ParseRfc3339("2023-07-21T01:33:51.481951"), *ParseRfc3339("2023-07-21T01:33:51.481Z"));
  EXPECT_EQ(*ParseRfc3339("2017-01-07"), *ParseRfc3339("2017-01-07T00:00:00Z"));
}

TEST(TimeTest, RejectsMalformedRfc3339) {
  EXPECT_FALSE(ParseRfc3339("2021-13-01T00:00:00Z").ok());
  EXPECT_FALSE(ParseRfc3339("2021-02-30T00:00:00Z").ok());
  EXPECT_FALSE(ParseRfc3339("2021-02-01T00:00:00Zjunk").ok());
  EXPECT_FALSE(ParseRfc3339("yesterday").ok());
}

TEST(TimeTest, ParsesRfc822AsFeedsWriteIt) {
  int64_t want = *ParseRfc3339("2017-01-07T14:12:53Z");
  EXPECT_EQ(*ParseRfc822("Sat, 07 Jan 2017 14:12:53 GMT"), want);
  EXPECT_EQ(*ParseRfc822("07 Jan 2017 17:12:53 +0300"), want);  // no weekday (Yandex)
  EXPECT_EQ(*ParseRfc822("Sat, 7 Jan 2017 09:12:53 EST"), want);
  EXPECT_EQ(*ParseRfc822("Sat, 07 Jan 17 14:12:53 +0000"), want);
  EXPECT_EQ(*ParseRfc822("Sat, 07 Jan 2017 14:12 GMT"), want - 53000);
}

TEST(TimeTest, ParsesTwitterV1Dates) {
  EXPECT_EQ(*ParseTwitterV1Date("Tue Oct 18 21:53:25 +0000 2011"), *ParseRfc3339("2011-10-18T21:53:25Z"));
}

TEST(TimeTest, FormatsRoundTrip) {
  for (int64_t ms : {int64_t{0}, int64_t{1617292351123}, int64_t{951782400000}, int64_t{4102444799999}}) {
    EXPECT_EQ(*ParseRfc3339(FormatRfc3339(ms)), ms) << FormatRfc3339(ms);
  }
  EXPECT_EQ(FormatRfc3339(1617292351000), "2021-04-01T15:52:31.000Z");
}

TEST(TimeTest, ParseAnyDateTakesEpochSeconds) {
  EXPECT_EQ(*ParseAnyDate("1456821458.0"), 1456821458000);
  EXPECT_EQ(*ParseAnyDate("1175714200"), 1175714200000);
  EXPECT_FALSE(ParseAnyDate("1e30").ok());  // beyond int64 milliseconds
  EXPECT_FALSE(ParseAnyDate("inf").ok());
}

}  // namespace
}  // namespace earshot
