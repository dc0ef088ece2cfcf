#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <string>

#include "match/query.h"
#include "match/random_query.h"
#include "testutil.h"

namespace earshot::match {
namespace {

Query MustParse(std::string_view text) {
  Result<Query> q = ParseQuery(text);
  EXPECT_TRUE(q.ok()) << text << ": " << q.status().ToString();
  return q.ok() ? *q : *ParseQuery("parse_failed");
}

ParseError MustFail(std::string_view text, const QueryLimits& limits = {}) {
  auto r = ParseQueryDetailed(text, limits);
  if (auto* q = std::get_if<Query>(&r)) {
    ADD_FAILURE() << text << " parsed as " << q->ToString();
    return {};
  }
  return std::get<ParseError>(r);
}

TEST(QueryParserTest, BuildsWordAtomsWithFoldedWords) {
  Query q = MustParse("Dell-EMC");
  ASSERT_EQ(q.root().kind, NodeKind::kWords);
  ASSERT_EQ(q.root().words.size(), 2u);
  EXPECT_EQ(q.root().words[0].text, "dell");
  EXPECT_EQ(q.root().words[1].text, "emc");
  EXPECT_EQ(q.ToString(), "\"dell emc\"");
  EXPECT_EQ(MustParse("O'Reilly"), MustParse("\"o reilly\""));
  EXPECT_EQ(MustParse("MÜNCHEN").root().words[0].text, "münchen");
}

TEST(QueryParserTest, RecordsWildcardPrefixes) {
  Query star_query = MustParse("Cloud*");
  const WordPattern& star = star_query.root().words[0];
  EXPECT_EQ(star.text, "cloud*");
  EXPECT_EQ(star.prefix, "cloud");
  EXPECT_TRUE(star.trailing_star);
  EXPECT_FALSE(star.has_question);
  Query q_query = MustParse("wom?n");
  const WordPattern& q = q_query.root().words[0];
  EXPECT_EQ(q.prefix, "wom");
  EXPECT_TRUE(q.has_question);
  EXPECT_FALSE(q.literal());
}

TEST(QueryParserTest, GivesNotHigherPrecedenceThanAndThanOr) {
  EXPECT_EQ(MustParse("a b OR c NOT d").ToString(), "a AND b OR c AND NOT d");
  Query root_query = MustParse("a b OR c NOT d");
  const Node& root = root_query.root();
  ASSERT_EQ(root.kind, NodeKind::kOr);
  ASSERT_EQ(root.children.size(), 2u);
  EXPECT_EQ(root.children[1]->kind, NodeKind::kAnd);
  EXPECT_EQ(root.children[1]->children[1]->kind, NodeKind::kNot);
  EXPECT_EQ(MustParse("(a OR b) c").ToString(), "(a OR b) AND c");
  EXPECT_EQ(MustParse("NOT (a OR b)").ToString(), "NOT (a OR b)");
}

TEST(QueryParserTest, FlattensNestedAndsAndOrs) {
  EXPECT_EQ(MustParse("a AND (b AND (c AND d))"), MustParse("a b c d"));
  EXPECT_EQ(MustParse("((a OR b) OR c)").root().children.size(), 3u);
  EXPECT_EQ(MustParse("((((x))))"), MustParse("x"));
}

TEST(QueryParserTest, TreatsLowerCaseOperatorsAsWords) {
  Query q = MustParse("rock and roll or not");
  ASSERT_EQ(q.root().kind, NodeKind::kAnd);
  EXPECT_EQ(q.root().children.size(), 5u);
  EXPECT_EQ(q.ToString(), "rock AND and AND roll AND or AND not");
}

TEST(QueryParserTest, ParsesProximity) {
  Query n_query = MustParse("(aws OR azure) NEAR/3f outage");
  const Node& n = n_query.root();
  ASSERT_EQ(n.kind, NodeKind::kNear);
  EXPECT_EQ(n.distance, 3);
  EXPECT_TRUE(n.ordered);
  EXPECT_EQ(n.children[0]->kind, NodeKind::kOr);
  EXPECT_EQ(MustParse("\"cloud storage\"~5"), MustParse("cloud NEAR/5 storage"));
  EXPECT_EQ(MustParse("\"a b c\"~2").root().children.size(), 3u);
  EXPECT_EQ(MustParse("\"a b c\"~2").ToString(), "\"a b c\"~2");
}

TEST(QueryParserTest, NormalisesFieldValues) {
  EXPECT_EQ(MustParse("lang:EN").root().value, "en");
  EXPECT_EQ(MustParse("country:us").root().value, "US");
  EXPECT_EQ(MustParse("channel:Blog").root().value, "blog");
  EXPECT_EQ(MustParse("site:WWW.Example.COM").root().value, "example.com");
  EXPECT_EQ(MustParse("site:https://www.example.com/path").root().value, "example.com");
  EXPECT_EQ(MustParse("author:@JDoe").root().value, "jdoe");
  EXPECT_EQ(MustParse("author:@JDoe").root().field, Field::kAuthor);
  EXPECT_EQ(MustParse("author:\"Jane  DOE!\"").root().value, "jane doe");
  EXPECT_EQ(MustParse("author:\"Jane  DOE!\"").root().field, Field::kAuthorName);
  EXPECT_EQ(MustParse("url:\"Example.com/A B\"").ToString(), "url:\"example.com/a b\"");
  Query f_query = MustParse("followers:>=1000");
  const Node& f = f_query.root();
  EXPECT_EQ(f.kind, NodeKind::kFollowers);
  EXPECT_EQ(f.compare, Compare::kGreaterEqual);
  EXPECT_EQ(f.number, 1000);
}

TEST(QueryParserTest, ParsesHashtagsAndHandlesWithSeparators) {
  Query h_query = MustParse("@Dell_EMC");
  const Node& h = h_query.root();
  ASSERT_EQ(h.kind, NodeKind::kHandle);
  ASSERT_EQ(h.words.size(), 2u);
  EXPECT_EQ(h.seps, std::vector<std::string>{"_"});
  EXPECT_EQ(NodeToString(h), "@dell_emc");
  EXPECT_EQ(MustParse("@jay.bsky.social").ToString(), "@jay.bsky.social");
  EXPECT_EQ(MustParse("#_Brexit_").ToString(), "#_brexit_");
  Query t_query = MustParse("#_Brexit_");
  const Node& t = t_query.root();
  EXPECT_EQ(t.lead, "_");
  EXPECT_EQ(t.trail, "_");
}

struct ErrorCase {
  std::string query;
  size_t offset;
  std::string message;  // the whole message
};

TEST(QueryParserTest, ReportsErrorPositionsAndWhatWasExpected) {
  const ErrorCase kCases[] = {
      {"", 0, "column 1: expected a term, phrase, field or '(' but the query is empty"},
      {"   ", 0, "column 1: expected a term, phrase, field or '(' but the query is empty"},
      {"cloud AND (aws OR", 17, "column 18: expected a term, phrase, field or '(' but found end of query"},
      {"cloud AND (aws OR gcp", 21, "column 22: expected ')' to close '(' at column 11"},
      {"(a OR b}", 7, "column 8: expected ')' to close '(' at column 1, found '}'"},
      {"a OR b)", 6, "column 7: unexpected ')' without a matching '('"},
      {"aws NEAR/ outage", 4, "column 5: NEAR/ needs a distance like NEAR/5 (or NEAR/5f when the order matters)"},
      {"aws NEAR outage", 4, "column 5: NEAR/ needs a distance like NEAR/5 (or NEAR/5f when the order matters)"},
      {"aws NEAR/3x outage", 10, "column 11: NEAR/ needs a distance like NEAR/5 (or NEAR/5f when the order matters)"},
      {"aws NEAR/5000 b", 4, "column 5: distance 5000 is over the limit of 1000"},
      {"NEAR/3 b", 0, "column 1: NEAR/3 needs a term, phrase, wildcard or (… OR …) of those on its left"},
      {"a NEAR/3", 8, "column 9: NEAR/3 needs a term, phrase, wildcard or (… OR …) of those on its right"},
      {"(a AND b) NEAR/3 c", 0, "column 1: NEAR/3 needs a term, phrase, wildcard or (… OR …) of those on its left"},
      {"a NEAR/3 lang:en", 9, "column 10: NEAR/3 needs a term, phrase, wildcard or (… OR …) of those on its right"},
      {"a NEAR/3 b NEAR/3 c", 11, "column 12: NEAR cannot be chained; write (a NEAR/5 b) AND (b NEAR/5 c), or \"a b c\"~5"},
      {"title:a NEAR/2 b", 0,
       "column 1: NEAR/2 needs a term, phrase, wildcard or (… OR …) of those on its left; to search the title write "
       "title:(a NEAR/5 b)"},
      {"c*", 1, "column 2: '*' needs at least 2 letters or digits before it, as in clo*"},
      {"*", 0, "column 1: '*' needs at least 2 letters or digits before it, as in clo*"},
      {"clo*d", 3, "column 4: '*' is only allowed at the end of a word"},
      {"cloud~3", 5, "column 6: '~' follows a quoted phrase, as in \"cloud storage\"~5"},
      {"\"cloud storage", 14, "column 15: expected '\"' to close '\"' at column 1"},
      {"\"\"", 0, "column 1: expected words inside the quotes"},
      {"\"a b\"~", 6, "column 7: '~' needs a distance, as in \"cloud storage\"~5"},
      {"\"a\"~3", 3, "column 4: '~' needs a phrase of two or more words"},
      {"\"a b\"~3x", 7, "column 8: unexpected characters after ~3"},
      {"{AWS", 4, "column 5: expected '}' to close '{' at column 1"},
      {"{}", 0, "column 1: expected a word inside {…}"},
      {"{AW*}", 3, "column 4: wildcards are not allowed inside {…}"},
      {"a }", 2, "column 3: unexpected '}' without a matching '{'"},
      {"#", 0, "column 1: expected a hashtag after '#'"},
      {"@", 0, "column 1: expected a handle after '@'"},
      {"#brexit!", 7, "column 8: unexpected '!' in hashtag; a hashtag is made of letters, digits and '_'"},
      {"@jdoe.", 5,
       "column 6: unexpected '.' in handle; a handle is made of letters, digits, '_', and '.', '-' or '@' between them"},
      {"a & b", 2, "column 3: expected a term, but '&' has no letters or digits"},
      {"a AND", 5, "column 6: expected a term, phrase, field or '(' but found end of query"},
      {"OR a", 0, "column 1: expected a term, phrase, field or '(' but found OR"},
      {"a AND OR b", 6, "column 7: expected a term, phrase, field or '(' but found OR"},
      {"NOT", 3, "column 4: expected a term, phrase, field or '(' but found end of query"},
      {"()", 1, "column 2: expected a term, phrase, field or '(' but found ')'"},
      {"lang:", 5, "column 6: expected a value after 'lang:'"},
      {"lang: en", 5, "column 6: expected a value after 'lang:'"},
      {"lang:e_n", 5, "column 6: expected a language code like lang:en"},
      {"country:USA", 8, "column 9: expected a two-letter country code like country:US"},
      {"channel:tv", 8,
       "column 9: unknown channel; expected one of microblog, blog, news, forum, community, video, review, other"},
      {"followers:>1k", 10, "column 11: expected a number like followers:>1000 (operators >, >=, <, <=, =)"},
      {"followers:=>5", 10, "column 11: expected a number like followers:>1000 (operators >, >=, <, <=, =)"},
      {"site:a/b", 5, "column 6: expected a host name like site:example.com"},
      {"author:@", 7, "column 8: expected a handle like author:jdoe"},
      {"author:\"!!\"", 7, "column 8: author name has no letters or digits"},
      {"title: x", 6, "column 7: expected a term, phrase or '(' right after title:"},
      {"title:(a lang:en)", 9, "column 10: title: can only contain terms, phrases and operators, not lang:"},
      {"title:title:a", 6, "column 7: title: can only contain terms, phrases and operators, not title:"},
      {"title:NOT a", 6, "column 7: expected a term, phrase, field or '(' but found NOT"},
      {"url:\"abc", 8, "column 9: expected '\"' to close '\"' at column 5"},
  };
  for (const ErrorCase& c : kCases) {
    ParseError e = MustFail(c.query);
    EXPECT_EQ(e.message, c.message) << "query: " << c.query;
    EXPECT_EQ(e.offset, c.offset) << "query: " << c.query;
    EXPECT_FALSE(e.expected.empty()) << "query: " << c.query;
    Result<Query> r = ParseQuery(c.query);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(r.status().message(), c.message);
  }
}

TEST(QueryParserTest, ExposesTheExpectedPart) {
  ParseError e = MustFail("a AND (b OR c");
  EXPECT_EQ(e.expected, "')' to close '(' at column 7");
  EXPECT_EQ(e.offset, 13u);
  EXPECT_EQ(e.column, 14u);
}

TEST(QueryParserTest, CountsColumnsInCharacters) {
  // "münchen" has 7 characters in 8 bytes; the error is at byte 17, character 16.
  ParseError e = MustFail("münchen AND (x y");
  EXPECT_EQ(e.offset, 17u);
  EXPECT_EQ(e.column, 17u);
  e = MustFail("(münchen");
  EXPECT_EQ(e.offset, 9u);
  EXPECT_EQ(e.column, 9u);
  EXPECT_EQ(e.message, "column 9: expected ')' to close '(' at column 1");
}

TEST(QueryParserTest, RejectsInvalidUtf8) {
  ParseError e = MustFail("ab\xFF" "cd");
  EXPECT_EQ(e.offset, 2u);
  EXPECT_EQ(e.message, "column 3: query is not valid UTF-8");
}

TEST(QueryParserTest, EnforcesTheLengthLimit) {
  std::string q(4096, 'a');
  EXPECT_TRUE(ParseQuery(q).ok());
  q.push_back('a');
  ParseError e = MustFail(q);
  EXPECT_EQ(e.offset, 4096u);
  EXPECT_EQ(e.message, "column 4097: query is 4097 bytes long; the limit is 4096");
  EXPECT_EQ(MustFail("abcdef", QueryLimits{.max_length = 5}).message, "column 6: query is 6 bytes long; the limit is 5");
}

TEST(QueryParserTest, EnforcesTheDepthLimit) {
  std::string ok = std::string(32, '(') + "a" + std::string(32, ')');
  EXPECT_TRUE(ParseQuery(ok).ok());
  std::string deep = std::string(33, '(') + "a" + std::string(33, ')');
  ParseError e = MustFail(deep);
  EXPECT_EQ(e.offset, 32u);
  EXPECT_EQ(e.message, "column 33: query nests deeper than 32 levels of '(', NOT and title:");
  std::string nots;
  for (int i = 0; i < 33; ++i) nots += "NOT ";
  EXPECT_EQ(MustFail(nots + "a").offset, 128u);
  EXPECT_EQ(MustFail("NOT (a OR (b))", QueryLimits{.max_depth = 2}).offset, 10u);
  EXPECT_EQ(MustFail("title:(a)", QueryLimits{.max_depth = 1}).offset, 6u);
}

TEST(QueryParserTest, EnforcesTheTermLimit) {
  std::string q;
  for (int i = 0; i < 1000; ++i) q += "a ";
  EXPECT_TRUE(ParseQuery(q).ok());
  q += "b";
  ParseError e = MustFail(q);
  EXPECT_EQ(e.offset, 2000u);
  EXPECT_EQ(e.message, "column 2001: query has more than 1000 terms");
  // A "~" phrase counts each word; fields count too.
  EXPECT_EQ(MustFail("\"a b c\"~2", QueryLimits{.max_terms = 2}).message, "column 1: query has more than 2 terms");
  EXPECT_EQ(MustFail("a lang:en", QueryLimits{.max_terms = 1}).offset, 2u);
  EXPECT_TRUE(ParseQuery("\"a b c d\"", QueryLimits{.max_terms = 1}).ok());
}

TEST(QueryParserTest, HonoursOtherLimits) {
  EXPECT_EQ(MustFail("a NEAR/11 b", QueryLimits{.max_near_distance = 10}).message,
            "column 3: distance 11 is over the limit of 10");
  EXPECT_TRUE(ParseQuery("a NEAR/10 b", QueryLimits{.max_near_distance = 10}).ok());
  EXPECT_EQ(MustFail("\"a b\"~11", QueryLimits{.max_near_distance = 10}).offset, 5u);
  EXPECT_TRUE(ParseQuery("c*", QueryLimits{.min_wildcard_prefix = 1}).ok());
  EXPECT_EQ(MustFail("clo*", QueryLimits{.min_wildcard_prefix = 4}).message,
            "column 4: '*' needs at least 4 letters or digits before it, as in clo*");
}

TEST(QueryParserTest, RejectsBadLimits) {
  Result<Query> r = ParseQuery("a", QueryLimits{.max_depth = 100000});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "QueryLimits.max_depth must be between 1 and 256");
  EXPECT_FALSE(ParseQuery("a", QueryLimits{.max_length = 0}).ok());
  EXPECT_FALSE(ParseQuery("a", QueryLimits{.max_terms = 0}).ok());
  EXPECT_FALSE(ParseQuery("a", QueryLimits{.max_near_distance = -1}).ok());
}

TEST(QueryParserTest, CopiesShareTheTree) {
  Query a = MustParse("cloud AND storage");
  Query b = a;
  EXPECT_EQ(&a.root(), &b.root());
  EXPECT_EQ(a, b);
  EXPECT_FALSE(a == MustParse("cloud OR storage"));
}

TEST(QueryParserTest, RoundTripsRandomQueries) {
  std::mt19937_64 rng(testing::TestSeed());
  for (int i = 0; i < 5000; ++i) {
    std::string text = testing::RandomQuery(rng);
    Result<Query> q = ParseQuery(text);
    ASSERT_TRUE(q.ok()) << text << ": " << q.status().ToString();
    std::string canon = q->ToString();
    Result<Query> again = ParseQuery(canon);
    ASSERT_TRUE(again.ok()) << text << " -> " << canon << ": " << again.status().ToString();
    EXPECT_EQ(*again, *q) << text << " -> " << canon << " -> " << again->ToString();
    EXPECT_EQ(again->ToString(), canon) << text;
  }
}

// Byte soup made of the language's own pieces, so that the parser sees many
// near-valid queries.
TEST(QueryParserTest, NeverFailsBadlyOnTokenSoup) {
  static const char* kPieces[] = {"(", ")", "\"", "{", "}", "AND ", "OR ", "NOT ", "NEAR/", "NEAR/3 ", "~2", "*", "?",
                                  "#", "@", "_", ".", "title:", "lang:", "author:", "followers:>", "site:", "a", "ab",
                                  " ", "é", "\xFF", "1", "f", ":", "-"};
  std::mt19937_64 rng(testing::TestSeed());
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    int n = std::uniform_int_distribution<int>(0, 12)(rng);
    for (int k = 0; k < n; ++k) text += kPieces[std::uniform_int_distribution<size_t>(0, std::size(kPieces) - 1)(rng)];
    auto r = ParseQueryDetailed(text);
    if (auto* q = std::get_if<Query>(&r)) {
      Result<Query> again = ParseQuery(q->ToString());
      ASSERT_TRUE(again.ok()) << text << " -> " << q->ToString() << ": " << again.status().ToString();
      EXPECT_EQ(*again, *q) << text << " -> " << q->ToString();
    } else {
      const ParseError& e = std::get<ParseError>(r);
      EXPECT_LE(e.offset, text.size()) << text;
      EXPECT_TRUE(e.message.starts_with("column " + std::to_string(e.column) + ": ")) << e.message;
    }
  }
}

TEST(QueryParserTest, ParsesLongInputsInLinearTime) {
  std::string q;
  while (q.size() < 4000) q += "((a OR \"b c\" OR dd*) NEAR/2 e) ";
  ASSERT_TRUE(ParseQuery(q).ok());
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 100; ++i) (void)ParseQueryDetailed(q);
  for (int i = 0; i < 100; ++i) (void)ParseQueryDetailed(std::string(4096, '('));
  for (int i = 0; i < 100; ++i) (void)ParseQueryDetailed(std::string(4096, '"'));
  // Generous bound: catches quadratic behaviour, not slow machines.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
}

}  // namespace
}  // namespace earshot::match
