#include "match/random_query.h"

#include <gtest/gtest.h>

#include <vector>

namespace earshot::match::testing {
namespace {

// Words sharing prefixes ("ab", "abc", "abd") so wildcards and prefixes matter,
// some beyond the 8 bytes MentionView sorts by before comparing whole words.
const std::vector<std::string> kWords = {"ab",         "abc",        "abd",      "bc", "cd", "Ab", "ABC", "déjà", "DÉJÀ",
                                         "x1",         "abcdefghij", "abcdefghik", "abcdefgh"};
const std::vector<std::string> kPatterns = {"ab*",       "abc*",       "bc*",        "dé*", "a?c", "?b",
                                            "ab?",       "ab?*",       "d?j?",       "abcdefgh*", "abcdefghi?",
                                            "abcdefghij*"};
const std::vector<std::string> kSeparators = {" ", " ", " ", "-", "_", ", ", ". ", " #", " @", "'", "@", "."};

template <typename T>
const T& Pick(std::mt19937_64& rng, const std::vector<T>& v) {
  return v[std::uniform_int_distribution<size_t>(0, v.size() - 1)(rng)];
}

int Roll(std::mt19937_64& rng, int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); }

std::string Word(std::mt19937_64& rng) { return Pick(rng, kWords); }

std::string TextAtom(std::mt19937_64& rng) {
  switch (Roll(rng, 9)) {
    case 0:
    case 1: return Word(rng);
    case 2: return Pick(rng, kPatterns);
    case 3: return "\"" + Word(rng) + " " + (Roll(rng, 3) == 0 ? Pick(rng, kPatterns) : Word(rng)) + "\"";
    case 4: return Word(rng) + "-" + Word(rng);
    case 5: return "{" + Word(rng) + "}";
    case 6: return "#" + Word(rng) + (Roll(rng, 3) == 0 ? "_" + Word(rng) : "");
    case 7: return "@" + Word(rng) + (Roll(rng, 2) == 0 ? Pick(rng, std::vector<std::string>{"_", "."}) + Word(rng) : "");
    default: return "\"" + Word(rng) + " " + Word(rng) + " " + Word(rng) + "\"";
  }
}

std::string NearOperand(std::mt19937_64& rng) {
  if (Roll(rng, 4) == 0) return "(" + TextAtom(rng) + " OR " + TextAtom(rng) + ")";
  return TextAtom(rng);
}

std::string Near(std::mt19937_64& rng) {
  std::string d = std::to_string(Roll(rng, 4));
  if (Roll(rng, 4) == 0) return "\"" + Word(rng) + " " + Word(rng) + " " + Pick(rng, kPatterns) + "\"~" + d;
  return NearOperand(rng) + " NEAR/" + d + (Roll(rng, 3) == 0 ? "f " : " ") + NearOperand(rng);
}

std::string FieldAtom(std::mt19937_64& rng) {
  static const std::vector<std::string> kFields = {
      "lang:en",       "lang:FR",          "channel:blog",  "channel:news", "country:us",     "country:GB",
      "author:jd",     "author:@AB_cd",    "author:\"J D\"", "site:ex.com", "site:blog.ex.com", "url:AB",
      "links:cd.org",  "followers:>10",    "followers:<=100", "followers:5", "author:\"ab cd\""};
  return Pick(rng, kFields);
}

std::string Expr(std::mt19937_64& rng, int depth, bool in_title);

std::string Primary(std::mt19937_64& rng, int depth, bool in_title) {
  int r = Roll(rng, depth > 0 ? 10 : 7);
  if (r <= 3) return TextAtom(rng);
  if (r == 4) return Near(rng);
  if (r == 5) return in_title ? TextAtom(rng) : FieldAtom(rng);
  if (r == 6) return in_title ? Word(rng) : "title:" + (Roll(rng, 2) == 0 ? TextAtom(rng) : "(" + Expr(rng, 1, true) + ")");
  return "(" + Expr(rng, depth - 1, in_title) + ")";
}

std::string Unary(std::mt19937_64& rng, int depth, bool in_title) {
  return (Roll(rng, 5) == 0 ? "NOT " : "") + Primary(rng, depth, in_title);
}

std::string Expr(std::mt19937_64& rng, int depth, bool in_title) {
  std::string out = Unary(rng, depth, in_title);
  int n = Roll(rng, 3);
  for (int i = 0; i < n; ++i) {
    static const std::vector<std::string> kOps = {" AND ", " OR ", " ", " OR "};
    out += Pick(rng, kOps) + Unary(rng, depth, in_title);
  }
  return out;
}

std::string RandomText(std::mt19937_64& rng, int max_words) {
  std::string out;
  int n = Roll(rng, max_words + 1);
  for (int i = 0; i < n; ++i) {
    if (i > 0) out += Pick(rng, kSeparators);
    out += Roll(rng, 8) == 0 ? "zz" : Word(rng);
  }
  return out;
}

}  // namespace

std::string RandomQuery(std::mt19937_64& rng, int depth) { return Expr(rng, depth, false); }

Mention RandomMention(std::mt19937_64& rng) {
  Mention m;
  m.title = RandomText(rng, 4);
  m.text = RandomText(rng, 10);
  m.language = Pick(rng, std::vector<std::string>{"en", "fr", "EN", ""});
  m.channel = Pick(rng, std::vector<Channel>{Channel::kBlog, Channel::kNews, Channel::kMicroblog});
  m.geo.country = Pick(rng, std::vector<std::string>{"US", "GB", "us", ""});
  m.author.handle = Pick(rng, std::vector<std::string>{"jd", "JD", "ab_cd", "AB_CD", "other"});
  m.author.display_name = Pick(rng, std::vector<std::string>{"J D", "j. d.", "Ab Cd", ""});
  m.author.followers = Pick(rng, std::vector<int64_t>{-1, 5, 10, 100, 1000});
  m.site = Pick(rng, std::vector<std::string>{"ex.com", "blog.ex.com", "myex.com", "other.org"});
  m.url = "https://" + m.site + "/" + Word(rng);
  if (Roll(rng, 2) == 0) m.links.push_back("https://cd.org/" + Word(rng));
  return m;
}

uint64_t TestSeed() {
  int seed = ::testing::UnitTest::GetInstance()->random_seed();
  return seed != 0 ? static_cast<uint64_t>(seed) : 20240611;
}

}  // namespace earshot::match::testing
