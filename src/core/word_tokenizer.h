// The one word tokenizer of Earshot. The FTS5 index (registered as the
// "earshot" tokenizer), the watch matcher and the stored-search evaluator all
// cut text into words here, so an indexed word and a query word can never
// disagree about where a word starts or how it is case-folded.
//
// A word is a maximal run of ASCII letters and digits and non-ASCII code
// points of Unicode categories L*, N* and M* (so "Oracle's" is "oracle" +
// "s", "#cloud" is "cloud", "München" stays one word). Words are folded to
// lower case with Unicode simple case mappings; diacritics are kept.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace earshot {

struct WordToken {
  uint32_t begin = 0;       // byte offset of the word in the source text
  uint32_t end = 0;         // one past its last byte
  uint32_t fold_begin = 0;  // byte offset of its folded form in the fold buffer
  uint32_t fold_end = 0;
};

// The words of one text. Reusable: Tokenize() clears it first, keeping capacity.
struct WordTokens {
  std::vector<WordToken> tokens;
  std::string folded;  // folded words back to back
  std::string scratch;  // reused by TokenizeWords

  std::string_view Folded(const WordToken& t) const {
    return std::string_view(folded).substr(t.fold_begin, t.fold_end - t.fold_begin);
  }
};

// Returns true when `cp` is a word character.
bool IsWordChar(char32_t cp);
// Returns the simple lower-case form of `cp`.
char32_t FoldCase(char32_t cp);

// Tokenizes `text` (UTF-8; ill-formed bytes act as separators) into `out`.
void TokenizeWords(std::string_view text, WordTokens& out);

// Calls fn(folded_word, begin, end) for each word, without storing tokens.
// `fold_buf` is scratch space reused between calls; `folded_word` is valid
// during the call only (it may point into `text` or into `fold_buf`).
template <typename Fn>
void ForEachWord(std::string_view text, std::string& fold_buf, Fn&& fn);

// Returns the folded form of every word of `text`, concatenated with single spaces.
std::string FoldWords(std::string_view text);

// Hashtags in the word index. When the word starting at byte `begin` of
// `text` is the first word of a hashtag ('#', optional '_', then the word)
// whose name is that one word (its name, the run of word characters and
// '_' after '#', holds no second word), sets *token to '#' + the name with
// the word folded and returns true. The index stores the token at the
// word's position, so `#tag` is one exact index term with the query
// language's meaning: the whole name, any case.
bool HashtagTokenAt(std::string_view text, size_t begin, std::string_view folded_word, std::string* token);

}  // namespace earshot

#include "core/word_tokenizer_inl.h"
