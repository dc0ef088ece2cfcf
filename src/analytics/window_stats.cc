#include "analytics/window_stats.h"

#include <algorithm>
#include <string_view>

#include "core/strings.h"
#include "core/word_tokenizer.h"

namespace earshot::analytics {
namespace {

// Function words of the four European languages the simulator and most of
// Earshot's users write in, plus web and microblog noise. Sorted, for binary
// search. Japanese needs no list: the tokenizer keeps a run of kana and kanji
// as one word, and particles rarely stand alone.
constexpr std::string_view kStopWords[] = {
    "a", "about", "after", "again", "al", "all", "also", "am", "amp", "an", "and", "any", "are", "as", "at",
    "au", "auch", "auf", "aus", "aux", "avec", "be", "been", "bei", "being", "bin", "but", "by", "can", "ce",
    "ces", "cette", "co", "com", "como", "con", "could", "da", "dans", "das", "dass", "de", "del", "dem",
    "den", "der", "des", "did", "die", "dieser", "do", "does", "du", "ein", "eine", "einem", "einen", "einer",
    "eines", "el", "elle", "en", "es", "est", "esta", "este", "et", "for", "from", "fue", "für", "get", "got",
    "had", "has", "hat", "have", "he", "her", "here", "his", "how", "http", "https", "i", "ich", "if", "il",
    "ils", "im", "in", "into", "is", "ist", "it", "its", "je", "just", "la", "las", "le", "les", "lo", "los",
    "mais", "me", "mi", "mit", "mon", "more", "muy", "my", "nach", "ne", "nicht", "no", "noch", "nos", "not",
    "nous", "now", "oder", "of", "on", "one", "only", "or", "ou", "our", "out", "par", "para", "pas", "pero",
    "por", "pour", "que", "qui", "rt", "se", "ser", "should", "sich", "sie", "sin", "sind", "so", "some",
    "son", "sont", "su", "sur", "than", "that", "the", "their", "them", "then", "there", "these", "they",
    "this", "to", "tu", "un", "una", "und", "une", "uno", "up", "us", "very", "vom", "von", "vous", "war",
    "was", "we", "were", "what", "when", "which", "who", "why", "wie", "will", "wir", "with", "would", "www",
    "y", "ya", "you", "your", "zu", "zum", "zur",
};

// Copies `text` without the URLs in it, so that "https://t.example/x1" adds
// no words ("t", "example", "x1"): links are counted elsewhere.
void AppendWithoutUrls(std::string_view text, std::string& out) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t http = text.find("http", pos);
    if (http == std::string_view::npos) break;
    std::string_view rest = text.substr(http);
    if (!StartsWithIgnoreAsciiCase(rest, "http://") && !StartsWithIgnoreAsciiCase(rest, "https://")) {
      out.append(text.substr(pos, http + 4 - pos));
      pos = http + 4;
      continue;
    }
    out.append(text.substr(pos, http - pos));
    size_t end = http;
    while (end < text.size() && !IsAsciiSpace(text[end])) ++end;
    out.push_back(' ');
    pos = end;
  }
  out.append(text.substr(pos));
}

}  // namespace

bool IsStopWord(std::string_view word) {
  if (word.size() < 2) return true;
  if (std::all_of(word.begin(), word.end(), IsAsciiDigit)) return true;
  static_assert(std::is_sorted(std::begin(kStopWords), std::end(kStopWords)));
  return std::binary_search(std::begin(kStopWords), std::end(kStopWords), word);
}

void WindowStats::Add(const Mention& m) {
  ++mentions_;
  ++channels_[static_cast<size_t>(m.channel)];
  if (!m.author.handle.empty()) ++authors_[AsciiLower(m.author.handle)];

  text_buf_.clear();
  AppendWithoutUrls(m.title, text_buf_);
  text_buf_.push_back('\n');
  AppendWithoutUrls(m.text, text_buf_);
  words_.clear();
  ForEachWord(text_buf_, fold_buf_, [&](std::string_view w, size_t, size_t) {
    if (!IsStopWord(w)) words_.emplace_back(w);
  });
  std::sort(words_.begin(), words_.end());
  words_.erase(std::unique(words_.begin(), words_.end()), words_.end());
  for (const std::string& w : words_) ++terms_[w];

  words_.clear();
  for (const std::string& tag : m.hashtags) {
    // FoldWords joins the words of "Cloud_Ops" with a space; a hashtag is one name.
    std::string folded = FoldWords(tag);
    folded.erase(std::remove(folded.begin(), folded.end(), ' '), folded.end());
    if (!folded.empty()) words_.push_back(std::move(folded));
  }
  std::sort(words_.begin(), words_.end());
  words_.erase(std::unique(words_.begin(), words_.end()), words_.end());
  for (const std::string& tag : words_) ++hashtags_[tag];
}

void WindowStats::Merge(const WindowStats& other) {
  mentions_ += other.mentions_;
  for (const auto& [k, v] : other.terms_) terms_[k] += v;
  for (const auto& [k, v] : other.hashtags_) hashtags_[k] += v;
  for (const auto& [k, v] : other.authors_) authors_[k] += v;
  for (size_t i = 0; i < channels_.size(); ++i) channels_[i] += other.channels_[i];
}

}  // namespace earshot::analytics
