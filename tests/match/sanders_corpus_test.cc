// Queries over 5,113 real tweets (tweets-sanders/full-corpus.csv). The
// expected counts were computed outside Earshot with a separate script that
// tokenizes by Unicode category and applies each operator's definition.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "match/evaluator.h"
#include "testutil.h"

namespace earshot::match {
namespace {

// Reads RFC 4180 CSV: quoted fields, doubled quotes, newlines inside quotes.
std::vector<std::vector<std::string>> ReadCsv(const std::string& data) {
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < data.size(); ++i) {
    char c = data[i];
    if (quoted) {
      if (c == '"' && i + 1 < data.size() && data[i + 1] == '"') {
        field.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field.push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(std::move(field));
      field.clear();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < data.size() && data[i + 1] == '\n') ++i;
      rows.back().push_back(std::move(field));
      field.clear();
      rows.emplace_back();
    } else {
      field.push_back(c);
    }
  }
  if (!field.empty() || !rows.back().empty()) rows.back().push_back(std::move(field));
  if (rows.back().empty()) rows.pop_back();
  return rows;
}

std::vector<Mention> LoadTweets() {
  std::string data = earshot::testing::ReadFileOrDie(earshot::testing::SharedData("tweets-sanders/full-corpus.csv"));
  std::vector<std::vector<std::string>> rows = ReadCsv(data);
  std::vector<Mention> out;
  for (size_t i = 1; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].size(), 5u) << "row " << i;
    if (rows[i].size() != 5) continue;
    Mention m;
    m.source = "x";
    m.external_id = rows[i][2];
    m.id = MakeMentionId(m.source, m.external_id);
    m.channel = Channel::kMicroblog;
    m.text = rows[i][4];
    out.push_back(std::move(m));
  }
  return out;
}

struct CorpusCase {
  std::string query;
  int matches;
  std::string first_id;  // the first matching tweet in file order
};

TEST(SandersCorpusTest, CountsMatchesOfRealTweets) {
  std::vector<Mention> tweets = LoadTweets();
  ASSERT_EQ(tweets.size(), 5113u);
  const CorpusCase kCases[] = {
      {"apple", 1244, "x:126415614616154112"},
      {"#apple", 134, "x:126112836219973632"},
      {"@apple", 1128, "x:126415614616154112"},
      {"{iPhone}", 185, "x:126404574230740992"},
      {"iphone*", 316, "x:126415614616154112"},
      {"\"ice cream sandwich\"", 216, "x:125967560171720704"},
      {"(microsoft OR msft) NOT windows", 1201, "x:125406743923671040"},
      {"steve NEAR/1f jobs", 34, "x:126256230397259776"},
      {"\"iphone 4s\"", 83, "x:126404574230740992"},
      {"google NOT (android OR #android)", 897, "x:125510333078048768"},
      {"@google #android", 3, "x:125972882240188416"},
      {"wom?n", 6, "x:126523519357030400"},
      {"ios5 OR \"ios 5\"", 137, "x:126395626979196928"},
      {"siri NEAR/5 (love* OR hate*)", 2, "x:126402758403305474"},
      {"siri NEAR/2f (love* OR hate*)", 0, ""},
  };
  std::vector<MentionView> views;
  views.reserve(tweets.size());
  for (const Mention& m : tweets) views.emplace_back(m);
  for (const CorpusCase& c : kCases) {
    Result<Query> q = ParseQuery(c.query);
    ASSERT_TRUE(q.ok()) << c.query;
    int n = 0;
    std::string first;
    for (size_t i = 0; i < tweets.size(); ++i) {
      if (!Matches(*q, views[i])) continue;
      if (n++ == 0) first = tweets[i].id;
    }
    EXPECT_EQ(n, c.matches) << c.query;
    EXPECT_EQ(first, c.first_id) << c.query;
  }
}

TEST(SandersCorpusTest, ReportsTheTermsThatHit) {
  std::vector<Mention> tweets = LoadTweets();
  ASSERT_FALSE(tweets.empty());
  // "Now all @Apple has to do is get swype on the iphone and it will be crack. Iphone that is"
  const Mention& first = tweets[0];
  ASSERT_EQ(first.id, "x:126415614616154112");
  MentionView v(first);
  std::vector<std::string> terms;
  MatchedTerms(*ParseQuery("@apple OR {iPhone} OR iphone* OR swype NEAR/3 iphone OR android"), v, &terms);
  EXPECT_EQ(terms, (std::vector<std::string>{"@apple", "iphone*", "swype NEAR/3 iphone"}));
}

}  // namespace
}  // namespace earshot::match
