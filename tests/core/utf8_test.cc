#include "core/utf8.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>

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

// IsCleanUtf8 is what SanitizeUtf8 leaves unchanged, DEL aside (kept).
TEST(Utf8Test, CleanMeansNothingToSanitize) {
  EXPECT_TRUE(IsCleanUtf8(""));
  EXPECT_TRUE(IsCleanUtf8("tab\tline\ncr\r and DEL \x7f, München 東京 😀 past eight bytes"));
  // A control or a broken byte at every offset, inside and after the
  // eight-byte words.
  const std::string base(21, 'x');
  for (const char* bad : {"\x01", "\x1f", "\x80", "\xC3", "\xFF", "\xED\xA0\x80"}) {
    for (size_t at = 0; at <= base.size(); ++at) {
      std::string s = base;
      s.insert(at, bad);
      EXPECT_FALSE(IsCleanUtf8(s)) << "at " << at;
      EXPECT_NE(SanitizeUtf8(s), s);
    }
  }
  // Random bytes drawn from the borders of each class: the same verdict as
  // comparing with SanitizeUtf8.
  const unsigned char pool[] = {0x00, 0x09, 0x0A, 0x0D, 0x1F, 0x20, 0x41, 0x7E, 0x7F,
                                0x80, 0xBF, 0xC2, 0xC3, 0xDF, 0xE0, 0xED, 0xF0, 0xF4, 0xFF};
  std::mt19937_64 rng(7);
  for (int i = 0; i < 20000; ++i) {
    std::string s(rng() % 24, ' ');
    // Mostly printable ASCII, as posts are, so the fast path runs too.
    for (char& c : s) c = rng() % 4 ? static_cast<char>('a' + rng() % 26) : static_cast<char>(pool[rng() % sizeof pool]);
    std::string without_del = s;  // DEL as a plain letter: one ASCII byte either way
    std::replace(without_del.begin(), without_del.end(), '\x7f', 'x');
    EXPECT_EQ(IsCleanUtf8(s), SanitizeUtf8(without_del) == without_del) << testing::PrintToString(s);
  }
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
