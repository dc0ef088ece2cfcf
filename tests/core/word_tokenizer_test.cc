#include "core/word_tokenizer.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "core/utf8.h"

namespace earshot {
namespace {

std::vector<std::string> Words(std::string_view text) {
  WordTokens t;
  TokenizeWords(text, t);
  std::vector<std::string> out;
  for (const WordToken& w : t.tokens) out.emplace_back(t.Folded(w));
  return out;
}

TEST(WordTokenizerTest, SplitsOnPunctuationAndFoldsCase) {
  EXPECT_EQ(Words("Left Oracle's #Cloud for @Dell_EMC!"),
            (std::vector<std::string>{"left", "oracle", "s", "cloud", "for", "dell", "emc"}));
}

TEST(WordTokenizerTest, KeepsNonAsciiLettersInOneWord) {
  EXPECT_EQ(Words("MÜNCHEN Straße ÉCOLE"), (std::vector<std::string>{"münchen", "straße", "école"}));
  EXPECT_EQ(Words("Яндекс новости"), (std::vector<std::string>{"яндекс", "новости"}));
}

TEST(WordTokenizerTest, EmojiAndSymbolsSeparateWords) {
  EXPECT_EQ(Words("great😀product—really"), (std::vector<std::string>{"great", "product", "really"}));
}

TEST(WordTokenizerTest, OffsetsPointAtSourceBytes) {
  WordTokens t;
  std::string text = "  #AWS rocks";
  TokenizeWords(text, t);
  ASSERT_EQ(t.tokens.size(), 2u);
  EXPECT_EQ(text.substr(t.tokens[0].begin, t.tokens[0].end - t.tokens[0].begin), "AWS");
  EXPECT_EQ(text[t.tokens[0].begin - 1], '#');
}

TEST(WordTokenizerTest, IllFormedBytesSeparateWords) {
  EXPECT_EQ(Words("ab\xFF" "cd"), (std::vector<std::string>{"ab", "cd"}));
}

struct Cut {
  std::string folded;
  size_t begin;
  size_t end;
  bool operator==(const Cut&) const = default;
};

// Code point by code point, as the module's header defines a word.
std::vector<Cut> ReferenceWords(std::string_view text) {
  std::vector<Cut> out;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t start = pos;
    char32_t cp = DecodeUtf8(text, pos);
    if (cp == kReplacementChar || !IsWordChar(cp)) continue;
    Cut c{"", start, pos};
    while (true) {
      AppendUtf8(c.folded, FoldCase(cp));
      c.end = pos;
      if (pos >= text.size()) break;
      const size_t save = pos;
      cp = DecodeUtf8(text, pos);
      if (cp == kReplacementChar || !IsWordChar(cp)) {
        pos = save;
        break;
      }
    }
    out.push_back(std::move(c));
  }
  return out;
}

TEST(WordTokenizerTest, ForEachWordCutsAsTheDefinitionSays) {
  // Pieces that meet at every kind of border: ASCII words of either case
  // and digits, accented and non-Latin letters, combining marks, emoji,
  // punctuation, U+FFFD and ill-formed bytes.
  const char* pieces[] = {"a", "Z", "q7", "ORACLE", "cloud", "9", " ", ".", "#", "_", "'", "-", "\t",
                          "é", "É", "ß", "Я", "я", "東", "e\xCC\x81", "😀", "\xEF\xBF\xBD", "\xFF", "\xC3", "\xE2\x80"};
  std::mt19937_64 rng(11);
  std::string fold_buf;
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    for (size_t k = rng() % 12; k > 0; --k) text += pieces[rng() % std::size(pieces)];
    std::vector<Cut> got;
    ForEachWord(text, fold_buf, [&](std::string_view w, size_t b, size_t e) { got.push_back({std::string(w), b, e}); });
    ASSERT_EQ(got, ReferenceWords(text)) << testing::PrintToString(text);
  }
}

}  // namespace
}  // namespace earshot
