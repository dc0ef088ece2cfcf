#include "core/word_tokenizer.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace earshot
