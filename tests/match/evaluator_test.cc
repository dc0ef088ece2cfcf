// Evaluator tests. Most cases live in cases/*.txt; these check the
// MentionView index, MatchedTerms, the no-allocation promise, and compare
// Matches() on random input with a deliberately naive evaluator written from
// the language's definition (scan every position, try every combination).
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <random>

#include "core/strings.h"
#include "core/utf8.h"
#include "core/word_tokenizer.h"
#include "match/evaluator.h"
#include "match/random_query.h"

// Counts allocations so a test can check that evaluation makes none.
// Sanitizers supply their own allocator, so the count is kept only without them.
#if !defined(__SANITIZE_ADDRESS__)
namespace {
std::atomic<long> g_allocations{0};
}  // namespace
void* operator new(size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
#define EARSHOT_COUNTS_ALLOCATIONS 1
#endif

namespace earshot::match {
namespace {

Query Q(std::string_view text) {
  Result<Query> q = ParseQuery(text);
  EXPECT_TRUE(q.ok()) << text << ": " << q.status().ToString();
  return q.ok() ? *q : *ParseQuery("parse_failed");
}

TEST(MentionViewTest, IndexesPositionsByWord) {
  Mention m;
  m.text = "Cloud clouds CLOUD cloudy storage cloud";
  MentionView v(m);
  auto cloud = v.text().Positions("cloud");
  EXPECT_EQ(std::vector<uint32_t>(cloud.begin(), cloud.end()), (std::vector<uint32_t>{0, 2, 5}));
  auto prefix = v.text().PrefixPositions("cloud");
  EXPECT_EQ(std::vector<uint32_t>(prefix.begin(), prefix.end()), (std::vector<uint32_t>{0, 2, 5, 1, 3}));
  EXPECT_TRUE(v.text().Positions("clou").empty());
  EXPECT_TRUE(v.text().PrefixPositions("z").empty());
  EXPECT_EQ(v.text().Raw(2), "CLOUD");
  EXPECT_EQ(v.title().size(), 0u);
}

TEST(MentionViewTest, OrdersWordsSharingTheirFirstEightBytes) {
  Mention m;
  m.text = "internationally international internationalization international internal";
  MentionView v(m);
  auto exact = v.text().Positions("international");
  EXPECT_EQ(std::vector<uint32_t>(exact.begin(), exact.end()), (std::vector<uint32_t>{1, 3}));
  auto prefix = v.text().PrefixPositions("internationa");
  EXPECT_EQ(std::vector<uint32_t>(prefix.begin(), prefix.end()), (std::vector<uint32_t>{1, 3, 2, 0}));
  auto shorter = v.text().PrefixPositions("inter");
  EXPECT_EQ(shorter.size(), 5u);
  EXPECT_TRUE(v.text().Positions("internation").empty());
}

TEST(MentionViewTest, ResetReplacesTheMention) {
  Mention a;
  a.text = "alpha";
  a.author.display_name = "Jane Doe";
  Mention b;
  b.title = "beta";
  b.author.handle = "Dell_EMC";
  MentionView v(a);
  EXPECT_TRUE(Matches(Q("alpha"), v));
  EXPECT_EQ(v.author_name_words(), "jane doe");
  v.Reset(b);
  EXPECT_FALSE(Matches(Q("alpha"), v));
  EXPECT_TRUE(Matches(Q("beta"), v));
  EXPECT_EQ(v.author_name_words(), "");
  EXPECT_EQ(v.author_handle_words(), "dell emc");
}

TEST(EvaluatorTest, ReportsMatchedTermsInQueryOrder) {
  Mention m;
  m.title = "AWS outage";
  m.text = "Azure is fine, #cloud storage down";
  MentionView v(m);
  std::vector<std::string> out = {"stale"};
  MatchedTerms(Q("(aws OR gcp OR azure) AND NOT fine2 AND (#cloud OR cloud NEAR/1 down) title:outage aws"), v, &out);
  // "cloud NEAR/1 down" holds too: one word ("storage") lies between them.
  EXPECT_EQ(out, (std::vector<std::string>{"aws", "azure", "#cloud", "cloud NEAR/1 down", "title:outage"}));
  MatchedTerms(Q("NOT azure"), v, &out);
  EXPECT_TRUE(out.empty());
  MatchedTerms(Q("NOT NOT azure"), v, &out);
  EXPECT_EQ(out, std::vector<std::string>{"azure"});
  MatchedTerms(Q("storage NEAR/1 down title:(aws NEAR/0 outage)"), v, &out);
  EXPECT_EQ(out, (std::vector<std::string>{"storage NEAR/1 down", "title:(aws NEAR/0 outage)"}));
}

#ifdef EARSHOT_COUNTS_ALLOCATIONS
TEST(EvaluatorTest, DoesNotAllocateWhileEvaluating) {
  Mention m;
  m.title = "Dell EMC cloud storage";
  m.text = "Big AWS outage at @Dell_EMC today, #CloudStorage down for women in regions near Austin";
  m.author.handle = "jdoe";
  m.author.followers = 5;
  m.url = "https://blog.example.com/post";
  m.site = "blog.example.com";
  m.links = {"https://aws.amazon.com/x"};
  std::vector<Query> queries = {
      Q("(aws OR azure) NEAR/3 outage"), Q("\"cloud storage\"~2 AND NOT title:gcp"), Q("wom?n OR clo* OR ?ustin"),
      Q("@dell_emc #cloudstorage {AWS}"), Q("outage NEAR/10f regions AND site:example.com AND url:POST"),
      Q("links:amazon author:jdoe followers:<10 OR lang:en")};
  MentionView v(m);
  long before = g_allocations.load();
  int hits = 0;
  for (int i = 0; i < 100; ++i) {
    for (const Query& q : queries) hits += Matches(q, v) ? 1 : 0;
  }
  EXPECT_EQ(g_allocations.load(), before);
  EXPECT_EQ(hits, 600);  // every query holds, so every path runs to the end
}
#endif

// ---------------------------------------------------------------- naive evaluator

struct NaiveField {
  std::string src;
  std::vector<std::string> folded;
  std::vector<size_t> begin;
  std::vector<size_t> end;
};

NaiveField Tokens(const std::string& src) {
  NaiveField f;
  f.src = src;
  WordTokens t;
  TokenizeWords(src, t);
  for (const WordToken& w : t.tokens) {
    f.folded.emplace_back(t.Folded(w));
    f.begin.push_back(w.begin);
    f.end.push_back(w.end);
  }
  return f;
}

std::u32string Decode(std::string_view s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) out.push_back(DecodeUtf8(s, i));
  return out;
}

// Glob match of '?' (one character) and '*' (any rest) over code points.
bool Glob(const std::u32string& p, size_t i, const std::u32string& t, size_t j) {
  if (i == p.size()) return j == t.size();
  if (p[i] == U'*') return true;
  if (j == t.size()) return false;
  return (p[i] == U'?' || p[i] == t[j]) && Glob(p, i + 1, t, j + 1);
}

std::string FoldAll(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size();) AppendUtf8(out, FoldCase(DecodeUtf8(s, i)));
  return out;
}

bool IsNameChar(char32_t c) { return c == U'_' || IsWordChar(c); }

// Returns the longest hashtag or handle name starting at byte `i`.
std::string NameRun(const std::string& s, size_t i, bool handle) {
  std::u32string cps = Decode(s.substr(i));
  size_t n = 0;
  while (n < cps.size()) {
    if (IsNameChar(cps[n])) {
      ++n;
    } else if (handle && (cps[n] == U'.' || cps[n] == U'-' || cps[n] == U'@') && n + 1 < cps.size() &&
               IsNameChar(cps[n + 1])) {
      ++n;
    } else {
      break;
    }
  }
  std::string out;
  for (size_t k = 0; k < n; ++k) AppendUtf8(out, cps[k]);
  return out;
}

// Returns the start positions of text atom `a` in `f`, found the slow way.
std::vector<size_t> NaiveStarts(const Node& a, const NaiveField& f) {
  std::vector<size_t> out;
  for (size_t p = 0; p + a.words.size() <= f.folded.size(); ++p) {
    bool ok = true;
    for (size_t k = 0; k < a.words.size() && ok; ++k) {
      ok = Glob(Decode(a.words[k].text), 0, Decode(f.folded[p + k]), 0);
      if (a.kind == NodeKind::kExact) ok = ok && f.src.substr(f.begin[p + k], f.end[p + k] - f.begin[p + k]) == a.exact[k];
    }
    if (ok && (a.kind == NodeKind::kHashtag || a.kind == NodeKind::kHandle)) {
      // The name as the query spells it must be the whole name after a sigil
      // placed right before the lead.
      std::string name = a.lead;
      for (size_t k = 0; k < a.words.size(); ++k) name += (k > 0 ? a.seps[k - 1] : "") + a.words[k].text;
      name += a.trail;
      size_t sigil_at = f.begin[p] - a.lead.size() - 1;
      ok = f.begin[p] >= a.lead.size() + 1 && f.src[sigil_at] == (a.kind == NodeKind::kHashtag ? '#' : '@') &&
           FoldAll(NameRun(f.src, sigil_at + 1, a.kind == NodeKind::kHandle)) == name;
    }
    if (ok) out.push_back(p);
  }
  return out;
}

struct Span {
  int64_t start;
  int64_t end;
};

std::vector<Span> OperandSpans(const Node& op, const NaiveField& f) {
  std::vector<Span> out;
  std::vector<const Node*> alts;
  if (op.kind == NodeKind::kOr) {
    for (const auto& c : op.children) alts.push_back(c.get());
  } else {
    alts.push_back(&op);
  }
  for (const Node* a : alts) {
    for (size_t s : NaiveStarts(*a, f)) out.push_back({int64_t(s), int64_t(s + a->words.size())});
  }
  return out;
}

// Tries every combination of one span per operand.
bool NaiveNear(const Node& n, const NaiveField& f) {
  std::vector<std::vector<Span>> spans;
  for (const auto& c : n.children) spans.push_back(OperandSpans(*c, f));
  std::vector<size_t> pick(spans.size(), 0);
  for (const auto& s : spans) {
    if (s.empty()) return false;
  }
  while (true) {
    int64_t max_start = INT64_MIN;
    int64_t min_end = INT64_MAX;
    for (size_t i = 0; i < spans.size(); ++i) {
      max_start = std::max(max_start, spans[i][pick[i]].start);
      min_end = std::min(min_end, spans[i][pick[i]].end);
    }
    if (n.ordered) {
      const Span& a = spans[0][pick[0]];
      const Span& b = spans[1][pick[1]];
      if (b.start >= a.end && b.start - a.end <= n.distance) return true;
    } else if (max_start - min_end <= n.distance) {
      return true;
    }
    size_t i = 0;
    while (i < pick.size() && ++pick[i] == spans[i].size()) pick[i++] = 0;
    if (i == pick.size()) return false;
  }
}

bool NaiveText(const Node& n, const NaiveField& f) {
  return n.kind == NodeKind::kNear ? NaiveNear(n, f) : !NaiveStarts(n, f).empty();
}

bool NaiveField_(const Node& n, const Mention& m) {
  std::string site = AsciiLower(m.site);
  switch (n.field) {
    case Field::kAuthor: return AsciiLower(m.author.handle) == n.value;
    case Field::kAuthorName: return FoldWords(m.author.display_name) == n.value || FoldWords(m.author.handle) == n.value;
    case Field::kSite: return site == n.value || site.ends_with("." + n.value);
    case Field::kUrl: return AsciiLower(m.url).find(n.value) != std::string::npos;
    case Field::kLinks:
      for (const std::string& l : m.links) {
        if (AsciiLower(l).find(n.value) != std::string::npos) return true;
      }
      return false;
    case Field::kLang: return AsciiLower(m.language) == n.value;
    case Field::kCountry: return AsciiLower(m.geo.country) == AsciiLower(n.value);
    case Field::kChannel: return std::string(ChannelName(m.channel)) == n.value;
  }
  return false;
}

bool Naive(const Node& n, const Mention& m, const NaiveField& title, const NaiveField& text, bool title_only) {
  switch (n.kind) {
    case NodeKind::kAnd:
      for (const auto& c : n.children) {
        if (!Naive(*c, m, title, text, title_only)) return false;
      }
      return true;
    case NodeKind::kOr:
      for (const auto& c : n.children) {
        if (Naive(*c, m, title, text, title_only)) return true;
      }
      return false;
    case NodeKind::kNot: return !Naive(*n.children[0], m, title, text, title_only);
    case NodeKind::kTitle: return Naive(*n.children[0], m, title, text, true);
    case NodeKind::kField: return NaiveField_(n, m);
    case NodeKind::kFollowers: {
      int64_t f = m.author.followers;
      if (f == -1) return false;
      switch (n.compare) {
        case Compare::kLess: return f < n.number;
        case Compare::kLessEqual: return f <= n.number;
        case Compare::kEqual: return f == n.number;
        case Compare::kGreaterEqual: return f >= n.number;
        case Compare::kGreater: return f > n.number;
      }
      return false;
    }
    default: return NaiveText(n, title) || (!title_only && NaiveText(n, text));
  }
}

TEST(EvaluatorTest, AgreesWithANaiveEvaluatorOnRandomInput) {
  std::mt19937_64 rng(testing::TestSeed());
  int matched = 0;
  const int kQueries = 3000;
  const int kMentions = 20;
  for (int i = 0; i < kQueries; ++i) {
    std::string text = testing::RandomQuery(rng);
    Query q = Q(text);
    for (int j = 0; j < kMentions; ++j) {
      Mention m = testing::RandomMention(rng);
      MentionView v(m);
      NaiveField title = Tokens(m.title);
      NaiveField body = Tokens(m.text);
      bool want = Naive(q.root(), m, title, body, false);
      ASSERT_EQ(Matches(q, v), want) << "query: " << text << "\ncanonical: " << q.ToString() << "\ntitle: " << m.title
                                     << "\ntext: " << m.text;
      matched += want ? 1 : 0;
    }
  }
  // Both outcomes must be common for the comparison to mean something.
  EXPECT_GT(matched, kQueries * kMentions / 10);
  EXPECT_LT(matched, kQueries * kMentions * 9 / 10);
}

}  // namespace
}  // namespace earshot::match
