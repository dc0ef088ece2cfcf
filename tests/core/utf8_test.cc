#include "core/utf8.h"

#include <gtest/gtest.h>

namespace earshot {
namespace {

TEST(Utf8Test, AcceptsWellFormedAndRejectsBroken) {
  EXPECT_TRUE(IsValidUtf8("plain ascii text that is longer than eight bytes"));
  EXPECT_TRUE(IsValidUtf8("München 東京 😀"));
  EXPECT_FALSE(IsValidUtf8("bad \xC3"));
  EXPECT_FALSE(IsValidUtf8("overlong \xC0\xAF"));
  EXPECT_FALSE(IsValidUtf8("surrogate \xED\xA0\x80"));
  EXPECT_EQ(FindInvalidUtf8("abcdefghij\xFFz"), 10u);
}

TEST(Utf8Test, SanitizeReplacesBadBytesAndDropsControls) {
  EXPECT_EQ(SanitizeUtf8("a\xFF" "b\x0F" "c\td"), "a\xEF\xBF\xBD" "bc\td");
}

TEST(Utf8Test, ConvertsLatin1AndWindows1252) {
  EXPECT_EQ(Latin1ToUtf8("G\xF6teborg"), "Göteborg");
  EXPECT_EQ(Windows1252ToUtf8("\x93quoted\x94 \x80"), "\u201Cquoted\u201D \u20AC");
}

TEST(Utf8Test, TruncateNeverSplitsACodePoint) {
  EXPECT_EQ(TruncateUtf8("aé", 2), "a");
  EXPECT_EQ(TruncateUtf8("aé", 3), "aé");
}

}  // namespace
}  // namespace earshot
