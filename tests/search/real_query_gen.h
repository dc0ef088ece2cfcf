// A query generator over the vocabulary of real mentions, shared by the
// stored-search and live-versus-stored differential tests.
#pragma once

#include <random>
#include <set>
#include <string>
#include <vector>

#include "core/mention.h"
#include "core/utf8.h"
#include "core/word_tokenizer.h"

namespace earshot::search {

// A query generator over the vocabulary of real mentions: words, phrases
// cut from real texts, prefixes, NEAR, hashtags, handles, fields.
class RealQueryGen {
 public:
  RealQueryGen(const std::vector<Mention>& all, uint64_t seed) : rng_(seed) {
    for (const Mention& m : all) {
      WordTokens t;
      TokenizeWords(m.text, t);
      std::vector<std::string> words;
      for (const WordToken& w : t.tokens) words.emplace_back(t.Folded(w));
      if (words.size() >= 2) texts_.push_back(words);
      for (auto& w : words) {
        if (w.size() >= 3 && w.size() < 20) vocab_.push_back(w);
      }
      for (const std::string& h : m.hashtags) tags_.push_back(h);
      if (!m.author.handle.empty() && m.author.handle.find_first_of(" \"") == std::string::npos) {
        authors_.push_back(m.author.handle);
      }
      if (!m.language.empty()) langs_.insert(m.language);
    }
  }

  std::string Query(int depth = 2) {
    int pick = Uniform(depth > 0 ? 9 : 6);
    switch (pick) {
      case 0: case 1: return Word();
      case 2: return Phrase();
      case 3: {
        // The first three characters of a word (the language asks for two or more).
        std::string w = Word();
        size_t pos = 0;
        int chars = 0;
        for (; chars < 3 && pos < w.size(); ++chars) DecodeUtf8(w, pos);
        return chars >= 2 ? w.substr(0, pos) + "*" : w;  // '*' needs two characters before it
      }
      case 4: return tags_.empty() ? Word() : "#" + tags_[Uniform(static_cast<int>(tags_.size()))];
      case 5: return Field();
      case 6: return "(" + Query(depth - 1) + " OR " + Query(depth - 1) + ")";
      case 7: return Query(depth - 1) + " " + Query(depth - 1);
      default: {
        int k = Uniform(3);
        if (k == 0) return Query(depth - 1) + " NOT " + Query(depth - 1);
        if (k == 1) return Word() + " NEAR/" + std::to_string(Uniform(6)) + (Uniform(2) ? "f " : " ") + Word();
        return "\"" + Phrase(false) + "\"~" + std::to_string(Uniform(4));
      }
    }
  }

 private:
  int Uniform(int n) { return static_cast<int>(rng_() % static_cast<uint64_t>(n)); }
  std::string Word() { return vocab_[Uniform(static_cast<int>(vocab_.size()))]; }
  std::string Phrase(bool quoted = true) {
    const auto& t = texts_[Uniform(static_cast<int>(texts_.size()))];
    int start = Uniform(static_cast<int>(t.size()) - 1);
    std::string p = t[start] + " " + t[start + 1];
    return quoted ? "\"" + p + "\"" : p;
  }
  std::string Field() {
    switch (Uniform(4)) {
      case 0: return "lang:" + *std::next(langs_.begin(), Uniform(static_cast<int>(langs_.size())));
      case 1: return std::string("channel:") + (Uniform(2) ? "microblog" : "blog");
      case 2: return authors_.empty() ? Word() : "author:" + authors_[Uniform(static_cast<int>(authors_.size()))];
      default: return "title:" + Word();
    }
  }

  std::mt19937_64 rng_;
  std::vector<std::vector<std::string>> texts_;
  std::vector<std::string> vocab_, tags_, authors_;
  std::set<std::string> langs_;
};

}  // namespace earshot::search
