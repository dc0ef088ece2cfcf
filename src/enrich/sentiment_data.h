// The sentiment lexicons compiled into the binary (data/sentiment/), so that
// scoring needs no data file at run time. The definitions are generated at
// build time by cmake/EarshotEmbed.cmake.
#pragma once

#include <string_view>

namespace earshot::enrich {

// Returns the bytes of data/sentiment/vader_lexicon.txt (static storage).
std::string_view EmbeddedVaderLexicon();

// Returns the bytes of data/sentiment/emoji_utf8_lexicon.txt (static storage).
std::string_view EmbeddedEmojiLexicon();

// Returns the bytes of data/sentiment/b2b_lexicon.tsv (static storage).
std::string_view EmbeddedB2BLexicon();

}  // namespace earshot::enrich
