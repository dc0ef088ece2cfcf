// Index plan tests: the plan's shape for each construct, and on random
// queries and mentions that a reference interpretation of the plan (written
// here from FTS5's documented semantics) accepts every mention Matches()
// accepts, and exactly those when the plan says it is exact.
#include "match/index_plan.h"

#include <gtest/gtest.h>

#include <random>

#include "core/strings.h"
#include "core/word_tokenizer.h"
#include "match/evaluator.h"
#include "match/random_query.h"

namespace earshot::match {
namespace {

IndexPlan Plan(std::string_view text) {
  Result<Query> q = ParseQuery(text);
  EXPECT_TRUE(q.ok()) << text << ": " << q.status().ToString();
  return q.ok() ? PlanForIndex(*q) : IndexPlan{};
}

struct PlanCase {
  std::string query;
  std::string text;  // DebugString of plan.text
  bool exact;
};

TEST(IndexPlanTest, MapsEachConstruct) {
  const PlanCase kCases[] = {
      {"Cloud", "TERM(cloud)", true},
      {"cloud*", "PREFIX(cloud)", true},
      {"\"cloud storage\"", "PHRASE(cloud storage)", true},
      {"dell-emc", "PHRASE(dell emc)", true},
      {"cloud storage", "AND(TERM(cloud), TERM(storage))", true},
      {"cloud OR storage*", "OR(TERM(cloud), PREFIX(storage))", true},
      {"wom?n", "PREFIX(wom)", false},
      {"?oman", "ALL", false},
      {"\"big clo* storage\"", "AND(TERM(big), PREFIX(clo), TERM(storage))", false},
      {"\"big data clo?d\"", "AND(PHRASE(big data), PREFIX(clo))", false},
      {"{AWS}", "TERM(aws)", false},
      {"#Brexit", "TERM(#brexit)", true},
      {"#brexit_now", "PHRASE(brexit now)", false},
      {"@dell_emc", "PHRASE(dell emc)", false},
      {"cloud NEAR/5 storage", "NEAR(TERM(cloud), TERM(storage), 5)", true},
      {"\"a b c\"~2", "NEAR(TERM(a), TERM(b), TERM(c), 2)", true},
      {"(aws OR azure*) NEAR/3 \"big outage\"", "NEAR(OR(TERM(aws), PREFIX(azure)), PHRASE(big outage), 3)", true},
      {"cloud NEAR/5f storage", "NEAR(TERM(cloud), TERM(storage), 5)", false},
      {"#aws NEAR/2 outage", "NEAR(TERM(#aws), TERM(outage), 2)", true},
      {"?ws NEAR/2 outage", "TERM(outage)", false},
      {"\"a clo* b\" NEAR/2 c", "AND(TERM(a), PREFIX(clo), TERM(b), TERM(c))", false},
      {"title:cloud", "title:TERM(cloud)", true},
      {"title:(cloud NEAR/2 storage OR \"a b\")", "OR(title:NEAR(title:TERM(cloud), title:TERM(storage), 2), title:PHRASE(a b))", true},
      {"cloud NOT rain", "ANDNOT(TERM(cloud), TERM(rain))", true},
      {"cloud NOT rain NOT snow*", "ANDNOT(ANDNOT(TERM(cloud), TERM(rain)), PREFIX(snow))", true},
      {"cloud NOT wom?n", "TERM(cloud)", false},
      {"cloud NOT (rain OR #snow)", "ANDNOT(TERM(cloud), OR(TERM(rain), TERM(#snow)))", true},
      {"wom?n NOT rain", "ANDNOT(PREFIX(wom), TERM(rain))", false},
      {"NOT rain", "ALL", false},
      {"NOT rain NOT snow", "ALL", false},
      {"cloud OR NOT rain", "ALL", false},
      {"title:(cloud NOT rain)", "ANDNOT(title:TERM(cloud), title:TERM(rain))", true},
      {"cloud AND site:example.com", "TERM(cloud)", false},
      {"cloud AND url:abc AND links:x AND followers:>5 AND author:\"Jane Doe\"", "TERM(cloud)", false},
      {"cloud OR lang:en", "ALL", false},
      {"(cloud AND lang:en) OR rain", "OR(TERM(cloud), TERM(rain))", false},
  };
  for (const PlanCase& c : kCases) {
    IndexPlan p = Plan(c.query);
    EXPECT_EQ(DebugString(p.text), c.text) << c.query;
    EXPECT_EQ(p.exact, c.exact) << c.query;
    EXPECT_TRUE(p.filters.empty()) << c.query;
  }
}

TEST(IndexPlanTest, TurnsTopLevelFieldsIntoFilters) {
  IndexPlan p = Plan("cloud lang:EN channel:Blog country:gb author:@JDoe");
  EXPECT_EQ(DebugString(p.text), "TERM(cloud)");
  EXPECT_TRUE(p.exact);
  EXPECT_EQ(p.filters, (std::vector<FieldFilter>{{FieldFilter::Field::kLang, "en"},
                                                  {FieldFilter::Field::kChannel, "blog"},
                                                  {FieldFilter::Field::kCountry, "GB"},
                                                  {FieldFilter::Field::kAuthorHandle, "jdoe"}}));
  p = Plan("lang:en");
  EXPECT_EQ(p.text.kind, IndexQuery::Kind::kAll);
  EXPECT_TRUE(p.exact);
  EXPECT_EQ(p.filters.size(), 1u);
  p = Plan("lang:en NOT rain");
  EXPECT_EQ(DebugString(p.text), "ALL");
  EXPECT_FALSE(p.exact);
  EXPECT_EQ(p.filters.size(), 1u);
  // NOT of a lang, channel or country filter is a negated filter: exact.
  p = Plan("cloud NOT lang:EN NOT channel:blog");
  EXPECT_EQ(DebugString(p.text), "TERM(cloud)");
  EXPECT_TRUE(p.exact);
  EXPECT_EQ(p.filters, (std::vector<FieldFilter>{{FieldFilter::Field::kLang, "en", true},
                                                  {FieldFilter::Field::kChannel, "blog", true}}));
  p = Plan("cloud NOT author:@jdoe");
  EXPECT_FALSE(p.exact);
  EXPECT_TRUE(p.filters.empty());
  p = Plan("(lang:en OR lang:fr) cloud");
  EXPECT_TRUE(p.filters.empty());
  EXPECT_EQ(DebugString(p.text), "TERM(cloud)");
  EXPECT_FALSE(p.exact);
}

// ---------------------------------------------------------------- reference interpretation

struct Column {
  std::vector<std::string> words;
  std::vector<std::string> tags;  // the hashtag term the index keeps at each position, or ""
};

struct Doc {
  Column title;
  Column text;
  const Mention* m;
};

Column Words(const std::string& s) {
  Column c;
  WordTokens t;
  TokenizeWords(s, t);
  for (const WordToken& w : t.tokens) {
    c.words.emplace_back(t.Folded(w));
    std::string tag;
    if (!HashtagTokenAt(s, w.begin, t.Folded(w), &tag)) tag.clear();
    c.tags.push_back(std::move(tag));
  }
  return c;
}

struct Span {
  int64_t start;
  int64_t end;
};

// The spans of a NEAR operand (term, prefix, phrase, or OR of those) in `c`.
std::vector<Span> Spans(const IndexQuery& q, const Column& c) {
  std::vector<Span> out;
  if (q.kind == IndexQuery::Kind::kOr) {
    for (const IndexQuery& alt : q.children) {
      for (Span s : Spans(alt, c)) out.push_back(s);
    }
    return out;
  }
  for (size_t p = 0; p < c.words.size(); ++p) {
    if (q.kind == IndexQuery::Kind::kPrefix) {
      if (c.words[p].starts_with(q.words[0])) out.push_back({int64_t(p), int64_t(p + 1)});
      continue;
    }
    size_t n = q.words.size();
    if (p + n > c.words.size()) continue;
    bool ok = true;
    for (size_t k = 0; k < n && ok; ++k) ok = c.words[p + k] == q.words[k];
    if (!ok && n == 1 && !c.tags[p].empty()) ok = c.tags[p] == q.words[0];
    if (ok) out.push_back({int64_t(p), int64_t(p + n)});
  }
  return out;
}

// FTS5's NEAR: some choice of one span per operand with max(start) - min(end) <= distance.
bool NearIn(const IndexQuery& q, const Column& c) {
  std::vector<std::vector<Span>> spans;
  for (const IndexQuery& op : q.children) {
    spans.push_back(Spans(op, c));
    if (spans.back().empty()) return false;
  }
  std::vector<size_t> pick(spans.size(), 0);
  while (true) {
    int64_t max_start = INT64_MIN;
    int64_t min_end = INT64_MAX;
    for (size_t i = 0; i < spans.size(); ++i) {
      max_start = std::max(max_start, spans[i][pick[i]].start);
      min_end = std::min(min_end, spans[i][pick[i]].end);
    }
    if (max_start - min_end <= q.distance) return true;
    size_t i = 0;
    while (i < pick.size() && ++pick[i] == spans[i].size()) pick[i++] = 0;
    if (i == pick.size()) return false;
  }
}

bool LeafIn(const IndexQuery& q, const Column& c) {
  if (q.kind == IndexQuery::Kind::kNear) return NearIn(q, c);
  return !Spans(q, c).empty();
}

bool RefEval(const IndexQuery& q, const Doc& d) {
  using K = IndexQuery::Kind;
  switch (q.kind) {
    case K::kAll: return true;
    case K::kNone: return false;
    case K::kTerm:
    case K::kPrefix:
    case K::kPhrase:
    case K::kNear:
      return LeafIn(q, d.title) || (q.column == IndexQuery::Column::kAny && LeafIn(q, d.text));
    case K::kAnd:
      for (const IndexQuery& c : q.children) {
        if (!RefEval(c, d)) return false;
      }
      return true;
    case K::kOr:
      for (const IndexQuery& c : q.children) {
        if (RefEval(c, d)) return true;
      }
      return false;
    case K::kAndNot: return RefEval(q.children[0], d) && !RefEval(q.children[1], d);
  }
  return false;
}

std::string AsciiUpperCopy(std::string s) {
  for (char& c : s) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
  return s;
}

// The store's filters: equality on normalised columns.
bool FiltersHold(const std::vector<FieldFilter>& filters, const Mention& m) {
  for (const FieldFilter& f : filters) {
    std::string have;
    switch (f.field) {
      case FieldFilter::Field::kLang: have = AsciiLower(m.language); break;
      case FieldFilter::Field::kChannel: have = std::string(ChannelName(m.channel)); break;
      case FieldFilter::Field::kCountry: have = AsciiUpperCopy(m.geo.country); break;
      case FieldFilter::Field::kAuthorHandle: have = AsciiLower(m.author.handle); break;
      case FieldFilter::Field::kSite: have = AsciiLower(m.site); break;
    }
    // A negated filter holds when the value differs (or is missing).
    if ((have == f.value) == f.negated) return false;
  }
  return true;
}

TEST(IndexPlanTest, IsASupersetAndExactWhenItSaysSo) {
  std::mt19937_64 rng(testing::TestSeed());
  const int kQueries = 4000;
  const int kMentions = 25;
  int exact_plans = 0;
  int candidates = 0;
  int matches = 0;
  for (int i = 0; i < kQueries; ++i) {
    std::string text = testing::RandomQuery(rng);
    Result<Query> q = ParseQuery(text);
    ASSERT_TRUE(q.ok()) << text;
    IndexPlan plan = PlanForIndex(*q);
    exact_plans += plan.exact ? 1 : 0;
    for (int j = 0; j < kMentions; ++j) {
      Mention m = testing::RandomMention(rng);
      MentionView v(m);
      Doc d{Words(m.title), Words(m.text), &m};
      bool candidate = FiltersHold(plan.filters, m) && RefEval(plan.text, d);
      bool match = Matches(*q, v);
      candidates += candidate ? 1 : 0;
      matches += match ? 1 : 0;
      std::string context = "query: " + text + "\ncanonical: " + q->ToString() + "\nplan: " + DebugString(plan.text) +
                            "\ntitle: " + m.title + "\ntext: " + m.text;
      ASSERT_TRUE(candidate || !match) << "a match the index would miss\n" << context;
      if (plan.exact) {
        ASSERT_EQ(candidate, match) << "an exact plan that disagrees\n" << context;
      }
    }
  }
  // The generator must exercise both kinds of plan and both outcomes.
  EXPECT_GT(exact_plans, kQueries / 10);
  EXPECT_LT(exact_plans, kQueries * 9 / 10);
  EXPECT_GT(matches, kQueries * kMentions / 10);
  EXPECT_LT(candidates, kQueries * kMentions);
}

}  // namespace
}  // namespace earshot::match
