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

namespace earshot {
namespace {

TEST(Utf8Test, RepairsDoubleEncodedText) {
  std::string s = "Today we\xC3\xA2\xE2\x82\xAC\xE2\x84\xA2re excited";  // weâ€™re
  EXPECT_TRUE(RepairMojibake(s));
  EXPECT_EQ(s, "Today we\u2019re excited");
  std::string ru = "\xC3\x90\xC2\xAF\xC3\x90\xC2\xBD\xC3\x90\xC2\xB4\xC3\x90\xC2\xB5\xC3\x90\xC2\xBA\xC3\x91\xC2\x81";
  EXPECT_TRUE(RepairMojibake(ru));
  EXPECT_EQ(ru, "Яндекс");
}

TEST(Utf8Test, LeavesGenuineLatinTextAlone) {
  for (std::string s : {"Café au lait", "Göteborg och Malmö", "Â la carte", "naïve résumé", "plain"}) {
    std::string copy = s;
    EXPECT_FALSE(RepairMojibake(copy)) << s;
    EXPECT_EQ(copy, s);
  }
}

}  // namespace
}  // namespace earshot
