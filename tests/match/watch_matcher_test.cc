// Live matching: WatchMatcher must return exactly the watches whose query
// Matches() a mention, with MatchedTerms() as terms, for any watch set. The
// differential tests check this against a brute-force loop over generated
// and real mentions; the unit cases pin down the prefilter's edges (case
// folding beyond ASCII, wildcards, phrases, watches without text, patterns
// Hyperscan rejects) and the swapping of sets under a running matcher.
#include "match/watch_matcher.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "core/strings.h"
#include "core/utf8.h"
#include "core/word_tokenizer.h"
#include "ingest/input_reader.h"
#include "match/evaluator.h"
#include "match/random_query.h"
#include "testutil.h"

namespace earshot::match {
namespace {

using ::earshot::match::testing::RandomMention;
using ::earshot::match::testing::RandomQuery;
using ::earshot::match::testing::TestSeed;
using earshot::testing::SharedData;

// ---------------------------------------------------------------- helpers

// Parses `queries` into watches with ids 1, 2, ... (ParseQuery must accept each).
std::vector<WatchSpec> Watches(const std::vector<std::string>& queries) {
  std::vector<WatchSpec> out;
  for (size_t i = 0; i < queries.size(); ++i) {
    Result<Query> q = ParseQuery(queries[i]);
    EXPECT_TRUE(q.ok()) << queries[i] << ": " << q.status().ToString();
    if (!q.ok()) continue;
    out.push_back(WatchSpec{.id = static_cast<int64_t>(i + 1), .name = queries[i], .query = *q});
  }
  return out;
}

std::shared_ptr<const CompiledWatchSet> CompileOrDie(std::vector<WatchSpec> watches, const MatcherOptions& o = {}) {
  auto set = CompiledWatchSet::Compile(std::move(watches), o);
  EXPECT_TRUE(set.ok()) << set.status().ToString();
  return set.ok() ? *set : nullptr;
}

// The ids of the watches `matcher` reports for `m`.
std::vector<int64_t> HitIds(WatchMatcher& matcher, const Mention& m) {
  std::vector<WatchHit> hits;
  matcher.Match(m, &hits);
  std::vector<int64_t> ids;
  for (const WatchHit& h : hits) ids.push_back(h.watch_id);
  return ids;
}

// What Match() must return: every watch of `set` whose query matches, in id
// order, with MatchedTerms().
std::vector<WatchHit> BruteForce(const CompiledWatchSet& set, const MentionView& view) {
  std::vector<WatchHit> out;
  for (const WatchSpec& w : set.watches()) {
    if (!Matches(w.query, view)) continue;
    WatchHit& h = out.emplace_back();
    h.watch_id = w.id;
    MatchedTerms(w.query, view, &h.terms);
  }
  return out;
}

std::string Describe(const WatchHit& h, const CompiledWatchSet* set = nullptr) {
  const WatchSpec* w = set ? set->Find(h.watch_id) : nullptr;
  std::string s = std::to_string(h.watch_id) + (w ? " (" + w->name + ")" : "") + "[";
  for (const std::string& t : h.terms) s += t + ";";
  return s + "]";
}

bool SameHit(const WatchHit& a, const WatchHit& b) { return a.watch_id == b.watch_id && a.terms == b.terms; }

// Lists the hits only one side has, naming their queries.
std::string Diff(const std::vector<WatchHit>& want, const std::vector<WatchHit>& got, const CompiledWatchSet& set) {
  std::string s;
  for (const WatchHit& h : want) {
    if (std::none_of(got.begin(), got.end(), [&](const WatchHit& g) { return SameHit(g, h); })) {
      s += " missing " + Describe(h, &set);
    }
  }
  for (const WatchHit& h : got) {
    if (std::none_of(want.begin(), want.end(), [&](const WatchHit& g) { return SameHit(g, h); })) {
      s += " extra " + Describe(h, &set);
    }
  }
  return s.empty() ? " (order differs)" : s;
}

// Checks Match() against BruteForce on every mention; returns the number of hits.
int64_t ExpectSameAsBruteForce(const CompiledWatchSet& set, WatchMatcher& matcher, const std::vector<Mention>& ms) {
  int64_t total = 0;
  std::vector<WatchHit> got;
  for (size_t i = 0; i < ms.size(); ++i) {
    MentionView view(ms[i]);
    std::vector<WatchHit> want = BruteForce(set, view);
    got.clear();
    matcher.Match(ms[i], &got);
    bool same = std::equal(got.begin(), got.end(), want.begin(), want.end(), SameHit);
    EXPECT_TRUE(same) << "mention " << i << " title=\"" << ms[i].title << "\" text=\"" << ms[i].text
                      << "\":" << Diff(want, got, set);
    if (!same) return total;  // one detailed failure per set is enough
    total += static_cast<int64_t>(want.size());
  }
  return total;
}

// Collects the mentions a connector reports.
class MentionCollector : public ingest::RecordSink {
 public:
  void OnMention(Mention m, const ingest::RecordRef&) override { mentions.push_back(std::move(m)); }
  void OnReject(const ingest::RecordRef& ref, std::string reason, std::string_view) override {
    ADD_FAILURE() << "record " << ref.index << " rejected: " << reason;
  }
  void OnSkip(const ingest::RecordRef&, std::string) override {}
  std::vector<Mention> mentions;
};

std::vector<Mention> ReadMentions(const std::string& rel) {
  MentionCollector c;
  Status s = ingest::ReadInput(SharedData(rel), ingest::InputOptions{}, c);
  EXPECT_TRUE(s.ok()) << rel << ": " << s.ToString();
  return std::move(c.mentions);
}

// Real mentions: the Sanders tech tweets, two X API v2 captures (English
// politics, Korean pop) and Reddit posts with titles and comments.
std::vector<Mention> RealMentions() {
  std::vector<Mention> all;
  for (const char* rel :
       {"tweets-sanders/full-corpus.csv", "x-v2/brexit.jsonl", "x-v2/kpop.jsonl", "reddit/askreddit_new_listing.json",
        "reddit/askreddit_comments_listing.json", "reddit/all_search_listing.json"}) {
    std::vector<Mention> ms = ReadMentions(rel);
    EXPECT_FALSE(ms.empty()) << rel;
    for (Mention& m : ms) all.push_back(std::move(m));
  }
  return all;
}

// Random queries over the words of real mentions (frequent words drawn more
// often), with every operator of the language, so that generated watches hit
// real text at realistic rates.
class RealQueryGenerator {
 public:
  explicit RealQueryGenerator(const std::vector<Mention>& ms) {
    WordTokens tokens;
    for (const Mention& m : ms) {
      for (const std::string* field : {&m.title, &m.text}) {
        TokenizeWords(*field, tokens);
        for (size_t i = 0; i < tokens.tokens.size(); ++i) {
          const WordToken& t = tokens.tokens[i];
          words_.emplace_back(tokens.Folded(t));
          raw_.push_back(field->substr(t.begin, t.end - t.begin));
          if (i + 1 < tokens.tokens.size()) {
            bigrams_.push_back(std::string(tokens.Folded(t)) + " " + std::string(tokens.Folded(tokens.tokens[i + 1])));
          }
        }
      }
      for (const std::string& h : m.hashtags) hashtags_.push_back(h);
      for (const std::string& h : m.mentioned) handles_.push_back(h);
    }
  }

  std::string Query(std::mt19937_64& rng, int depth = 2) { return Expr(rng, depth, false); }

 private:
  static const std::string& Pick(std::mt19937_64& rng, const std::vector<std::string>& v) {
    return v[std::uniform_int_distribution<size_t>(0, v.size() - 1)(rng)];
  }
  static int Roll(std::mt19937_64& rng, int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); }

  // Cuts `w` after about `n` bytes, at a character boundary.
  static std::string Prefix(const std::string& w, size_t n) {
    while (n < w.size() && (static_cast<unsigned char>(w[n]) & 0xC0) == 0x80) ++n;
    return w.substr(0, std::min(n, w.size()));
  }

  std::string Wildcard(std::mt19937_64& rng) {
    std::string w = Pick(rng, words_);
    if (Roll(rng, 2) == 0 || w.size() < 3) return Prefix(w, 2 + Roll(rng, 4)) + "*";
    size_t at = static_cast<size_t>(Roll(rng, static_cast<int>(w.size())));
    if ((static_cast<unsigned char>(w[at]) & 0x80) != 0) return Prefix(w, 3) + "*";
    return w.substr(0, at) + "?" + w.substr(at + 1);
  }

  std::string TextAtom(std::mt19937_64& rng) {
    switch (Roll(rng, 10)) {
      case 0:
      case 1:
      case 2: return Pick(rng, words_);
      case 3: return Wildcard(rng);
      case 4: return "\"" + Pick(rng, bigrams_) + "\"";
      case 5: return "{" + Pick(rng, raw_) + "}";
      case 6: return hashtags_.empty() ? Pick(rng, words_) : "#" + Pick(rng, hashtags_);
      case 7: return handles_.empty() ? Pick(rng, words_) : "@" + Pick(rng, handles_);
      case 8: return "\"" + Pick(rng, bigrams_) + " " + Pick(rng, words_) + "\"";
      default: return "\"" + Pick(rng, words_) + " " + Wildcard(rng) + "\"";
    }
  }

  std::string NearOperand(std::mt19937_64& rng) {
    if (Roll(rng, 4) == 0) return "(" + TextAtom(rng) + " OR " + TextAtom(rng) + ")";
    return TextAtom(rng);
  }

  std::string Near(std::mt19937_64& rng) {
    std::string d = std::to_string(Roll(rng, 6));
    if (Roll(rng, 3) == 0) return "\"" + Pick(rng, bigrams_) + "\"~" + d;
    return NearOperand(rng) + " NEAR/" + d + (Roll(rng, 3) == 0 ? "f " : " ") + NearOperand(rng);
  }

  static std::string Field(std::mt19937_64& rng) {
    static const std::vector<std::string> kFields = {"lang:en",           "lang:ko",        "channel:forum",
                                                     "channel:microblog", "followers:>100", "site:reddit.com",
                                                     "author:\"ab cd\""};
    return Pick(rng, kFields);
  }

  std::string Primary(std::mt19937_64& rng, int depth, bool in_title) {
    int r = Roll(rng, depth > 0 ? 10 : 7);
    if (r <= 3) return TextAtom(rng);
    if (r == 4) return Near(rng);
    if (r == 5) return in_title ? TextAtom(rng) : Field(rng);
    if (r == 6) return in_title ? Pick(rng, words_) : "title:" + TextAtom(rng);
    return "(" + Expr(rng, depth - 1, in_title) + ")";
  }

  std::string Expr(std::mt19937_64& rng, int depth, bool in_title) {
    static const std::vector<std::string> kOps = {" AND ", " OR ", " ", " OR "};
    std::string out = (Roll(rng, 6) == 0 ? "NOT " : "") + Primary(rng, depth, in_title);
    for (int i = Roll(rng, 3); i > 0; --i)
      out += Pick(rng, kOps) + (Roll(rng, 6) == 0 ? "NOT " : "") + Primary(rng, depth, in_title);
    return out;
  }

  std::vector<std::string> words_;  // one entry per occurrence
  std::vector<std::string> raw_;
  std::vector<std::string> bigrams_;
  std::vector<std::string> hashtags_;
  std::vector<std::string> handles_;
};

// ---------------------------------------------------------------- differential

TEST(WatchMatcherTest, AgreesWithTheEvaluatorOnRandomQueriesAndMentions) {
  std::mt19937_64 rng(TestSeed());
  // Set sizes, and pattern cuts: at 4 bytes most literals are cut short,
  // which changes triggers, filters and which watches are exact.
  const std::pair<size_t, size_t> kConfigs[] = {{0, 64},    {1, 64}, {5, 64},  {50, 64}, {500, 64},
                                                {2000, 64}, {50, 4}, {500, 4}, {500, 1}};
  for (auto [size, max_bytes] : kConfigs) {
    std::vector<std::string> queries;
    for (size_t i = 0; i < size; ++i) queries.push_back(RandomQuery(rng, 1 + static_cast<int>(i % 3)));
    auto set = CompileOrDie(Watches(queries), MatcherOptions{.max_pattern_bytes = max_bytes});
    ASSERT_NE(set, nullptr);
    auto matcher = WatchMatcher::Create(set);
    ASSERT_TRUE(matcher.ok()) << matcher.status().ToString();
    std::vector<Mention> ms;
    for (int i = 0; i < 300; ++i) ms.push_back(RandomMention(rng));
    SCOPED_TRACE("watch set of " + std::to_string(size) + ", patterns cut at " + std::to_string(max_bytes));
    int64_t hits = ExpectSameAsBruteForce(*set, *matcher, ms);
    if (size >= 50) {
      EXPECT_GT(hits, 0);
    }
  }
}

TEST(WatchMatcherTest, AgreesWithTheEvaluatorOnRealMentions) {
  std::vector<Mention> ms = RealMentions();
  // 5,113 Sanders tweets, 100 + 100 X v2 tweets, 100 + 6 Reddit posts, 100 comments.
  ASSERT_EQ(ms.size(), 5519u);
  RealQueryGenerator gen(ms);
  std::mt19937_64 rng(TestSeed());
  std::vector<std::string> queries;
  while (queries.size() < 1200) {
    std::string q = gen.Query(rng);
    if (ParseQuery(q).ok()) queries.push_back(std::move(q));  // a drawn raw token may be an operator word
  }
  auto set = CompileOrDie(Watches(queries));
  ASSERT_NE(set, nullptr);
  auto matcher = WatchMatcher::Create(set);
  ASSERT_TRUE(matcher.ok());
  int64_t hits = ExpectSameAsBruteForce(*set, *matcher, ms);
  EXPECT_GT(hits, 0);
  // The prefilter must spare most evaluations.
  const MatcherCounters& c = matcher->counters();
  EXPECT_LT(c.evaluated, static_cast<int64_t>(ms.size() * set->size()) / 2);
  EXPECT_EQ(c.full_fallbacks, 0);

  // Smaller sets drawn from the same queries, on the Reddit and X v2 posts.
  std::vector<Mention> few(ms.end() - 406, ms.end());
  for (size_t size : {1, 10, 100}) {
    std::vector<std::string> sub(queries.begin(), queries.begin() + static_cast<std::ptrdiff_t>(size));
    auto small = CompileOrDie(Watches(sub));
    auto m2 = WatchMatcher::Create(small);
    ASSERT_TRUE(m2.ok());
    SCOPED_TRACE("watch set of " + std::to_string(size));
    ExpectSameAsBruteForce(*small, *m2, few);
  }
}

// ---------------------------------------------------------------- conformance cases

// One mention of a case file (format in case_file.h) with what its lines
// say: `+`/`-` queries that match or not, `?` queries and their terms.
struct CaseMention {
  Mention mention;
  std::vector<std::pair<std::string, bool>> matches;
  std::vector<std::pair<std::string, std::string>> terms;
};

// Reads the mentions of a case file; `=` and `!` lines (parser cases) are skipped.
std::vector<CaseMention> ReadCaseMentions(std::string_view content, const std::string& source) {
  std::vector<CaseMention> out;
  size_t pos = 0;
  for (int line_no = 1; pos <= content.size(); ++line_no) {
    size_t nl = std::min(content.find('\n', pos), content.size());
    std::string_view line = TrimAscii(content.substr(pos, nl - pos));
    pos = nl + 1;
    if (line.empty() || line[0] == '#' || line[0] == '=' || line[0] == '!') continue;
    if (line.starts_with("---")) {
      out.emplace_back();
      continue;
    }
    if (out.empty()) out.emplace_back();
    CaseMention& c = out.back();
    std::string body(TrimAscii(line.substr(1)));
    if (line[0] == '+' || line[0] == '-') {
      c.matches.emplace_back(body, line[0] == '+');
      continue;
    }
    if (line[0] == '?') {
      size_t arrow = body.rfind("=>");
      c.terms.emplace_back(TrimAscii(std::string_view(body).substr(0, arrow)),
                           TrimAscii(std::string_view(body).substr(arrow + 2)));
      continue;
    }
    size_t colon = line.find(':');
    std::string key(line.substr(0, colon));
    std::string value(TrimAscii(line.substr(colon + 1)));
    Mention& m = c.mention;
    if (key == "title") m.title = value;
    if (key == "text") m.text = value;
    if (key == "author") m.author.handle = value;
    if (key == "author_name") m.author.display_name = value;
    if (key == "followers") m.author.followers = ParseInt64(value).value_or(-1);
    if (key == "lang") m.language = value;
    if (key == "country") m.geo.country = value;
    if (key == "channel") m.channel = ParseChannel(value).value_or(Channel::kOther);
    if (key == "site") m.site = value;
    if (key == "url") m.url = value;
    if (key == "url" && m.site.empty()) m.site = SiteOfUrl(value);
    if (key == "link") m.links.push_back(value);
    EXPECT_NE(colon, std::string_view::npos) << source << ":" << line_no << ": cannot read '" << line << "'";
  }
  return out;
}

// Returns the ```cases blocks of a Markdown document, concatenated.
std::string CaseBlocks(const std::string& doc) {
  std::string out;
  bool in_block = false;
  size_t pos = 0;
  while (pos < doc.size()) {
    size_t nl = std::min(doc.find('\n', pos), doc.size());
    std::string_view line(doc.data() + pos, nl - pos);
    pos = nl + 1;
    if (!in_block && line == "```cases") {
      in_block = true;
      out += "---\n";  // a block never continues the previous block's mention
    } else if (in_block && line.starts_with("```")) {
      in_block = false;
    } else if (in_block) {
      out.append(line).push_back('\n');
    }
  }
  return out;
}

// Runs every query of a case file as one watch set over the file's
// mentions: each `+`/`-` line, and each `?` line of a matching query, must
// come out of the matcher as the file says, and all of its output must
// equal the evaluator's. Returns the number of lines checked.
int ExpectCasesHold(const std::string& content, const std::string& source) {
  std::vector<CaseMention> cases = ReadCaseMentions(content, source);
  std::vector<std::string> queries;
  for (const CaseMention& c : cases) {
    for (const auto& [q, want] : c.matches) queries.push_back(q);
    for (const auto& [q, terms] : c.terms) queries.push_back(q);
  }
  std::sort(queries.begin(), queries.end());
  queries.erase(std::unique(queries.begin(), queries.end()), queries.end());
  auto set = CompileOrDie(Watches(queries));
  auto matcher = WatchMatcher::Create(set);
  if (!matcher.ok()) {
    ADD_FAILURE() << source << ": " << matcher.status().ToString();
    return 0;
  }
  auto id_of = [&](const std::string& q) {
    return static_cast<int64_t>(std::lower_bound(queries.begin(), queries.end(), q) - queries.begin()) + 1;
  };
  int checks = 0;
  for (const CaseMention& c : cases) {
    std::vector<WatchHit> hits;
    matcher->Match(c.mention, &hits);
    auto hit_of = [&](int64_t id) {
      auto it = std::find_if(hits.begin(), hits.end(), [&](const WatchHit& h) { return h.watch_id == id; });
      return it == hits.end() ? nullptr : &*it;
    };
    for (const auto& [q, want] : c.matches) {
      EXPECT_EQ(hit_of(id_of(q)) != nullptr, want) << source << ": " << q << " on text=\"" << c.mention.text << "\"";
      ++checks;
    }
    for (const auto& [q, want] : c.terms) {
      const WatchHit* h = hit_of(id_of(q));
      if (h == nullptr) continue;
      std::string joined;
      for (const std::string& t : h->terms) joined += (joined.empty() ? "" : " | ") + t;
      EXPECT_EQ(joined, want) << source << ": " << q;
      ++checks;
    }
    std::vector<WatchHit> want = BruteForce(*set, MentionView(c.mention));
    EXPECT_TRUE(std::equal(hits.begin(), hits.end(), want.begin(), want.end(), SameHit))
        << source << ": text=\"" << c.mention.text << "\":" << Diff(want, hits, *set);
  }
  return checks;
}

TEST(WatchMatcherTest, PassesTheConformanceCasesAndTheQueryMdExamples) {
  std::filesystem::path dir = std::filesystem::path(EARSHOT_SOURCE_DIR) / "tests/match/cases";
  int checks = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".txt") continue;
    checks += ExpectCasesHold(earshot::testing::ReadFileOrDie(entry.path().string()), entry.path().filename().string());
  }
  EXPECT_GE(checks, 250);
  std::string doc = earshot::testing::ReadFileOrDie(std::string(EARSHOT_SOURCE_DIR) + "/docs/QUERY.md");
  EXPECT_GE(ExpectCasesHold(CaseBlocks(doc), "docs/QUERY.md"), 100);
}

// ---------------------------------------------------------------- scan text

Mention Text(std::string text, std::string title = "") {
  Mention m;
  m.text = std::move(text);
  m.title = std::move(title);
  return m;
}

// The scan text as ForEachWord, the shared tokenizer, gives it, with the
// words that are whole hashtag or handle names listed after their sigil.
std::string ReferenceScanText(const Mention& m) {
  std::string out = " ";
  std::string names;
  std::string buf;
  auto append = [&](std::string_view text) {
    ForEachWord(text, buf, [&](std::string_view folded, size_t begin, size_t end) {
      out.append(folded);
      out.push_back(' ');
      const char sigil = begin > 0 ? text[begin - 1] : ' ';
      if ((sigil == '#' || sigil == '@') && !ContinuesSigilName(text, end, sigil == '@')) {
        names += sigil;
        names.append(folded);
        names += ' ';
      }
    });
  };
  append(m.title);
  out += "\n ";
  append(m.text);
  if (!names.empty()) out += "\n " + names;
  return out;
}

void ExpectScanTextAsTokenizer(const Mention& m) {
  std::string got;
  CompiledWatchSet::BuildScanText(m, &got);
  ASSERT_EQ(got, ReferenceScanText(m)) << "title=\"" << m.title << "\" text=\"" << m.text << "\"";
}

TEST(WatchMatcherTest, FoldsTextAsTheSharedTokenizerDoes) {
  for (const Mention& m : RealMentions()) ExpectScanTextAsTokenizer(m);
  std::mt19937_64 rng(TestSeed());
  for (int i = 0; i < 2000; ++i) ExpectScanTextAsTokenizer(RandomMention(rng));
  // Every code point, 61 to a text and mixed with ASCII separators and letters.
  std::string text;
  for (char32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    AppendUtf8(text, cp);
    if (cp % 7 == 0) text += cp % 2 ? "A-" : " z";
    if (cp % 61 == 60) {
      ExpectScanTextAsTokenizer(Text(text, text.substr(text.size() / 2)));
      text.clear();
    }
  }
  // Random bytes: ill-formed UTF-8, truncated sequences, overlongs, surrogates.
  static const unsigned char kBytes[] = {'a',  'Z',  '0',  ' ',  '_',  '#',  0x80, 0xBF, 0xC0, 0xC3, 0xC4, 0xCE,
                                         0xDF, 0xE0, 0xE2, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF, 0xA0, 0x9F, 0x84};
  for (int i = 0; i < 20000; ++i) {
    std::string bytes;
    for (int n = static_cast<int>(rng() % 24); n > 0; --n)
      bytes.push_back(static_cast<char>(kBytes[rng() % sizeof kBytes]));
    ExpectScanTextAsTokenizer(Text(bytes, bytes.substr(0, rng() % (bytes.size() + 1))));
  }
}

// ---------------------------------------------------------------- unit cases

TEST(WatchMatcherTest, FoldsCaseBeyondAscii) {
  auto set = CompileOrDie(Watches({"münchen", "MÜNCHEN", "munchen", "straße", "kelvin", "ÉCOLE"}));
  auto matcher = WatchMatcher::Create(set);
  ASSERT_TRUE(matcher.ok());
  EXPECT_EQ(HitIds(*matcher, Text("Stau in MÜNCHEN, Hauptstraße gesperrt")), (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(HitIds(*matcher, Text("Die STRAßE nach München")), (std::vector<int64_t>{1, 2, 4}));
  // U+212A KELVIN SIGN folds to ASCII 'k': a caseless scan of the raw bytes
  // would miss it.
  EXPECT_EQ(HitIds(*matcher, Text("300 \u212Aelvin")), (std::vector<int64_t>{5}));
  EXPECT_EQ(HitIds(*matcher, Text("l'école est fermée")), (std::vector<int64_t>{6}));
  EXPECT_EQ(HitIds(*matcher, Text("ecole, munchen")), (std::vector<int64_t>{3}));
}

TEST(WatchMatcherTest, ReportsMatchedTermsInIdOrder) {
  std::vector<WatchSpec> watches = Watches({"(aws OR gcp OR azure) AND NOT fine2 AND #cloud title:outage", "azure"});
  watches[0].id = 30;
  watches[1].id = 7;
  auto set = CompileOrDie(std::move(watches));
  auto matcher = WatchMatcher::Create(set);
  ASSERT_TRUE(matcher.ok());
  std::vector<WatchHit> hits;
  matcher->Match(Text("Azure is fine, #cloud storage down", "AWS outage"), &hits);
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].watch_id, 7);
  EXPECT_EQ(hits[0].terms, (std::vector<std::string>{"azure"}));
  EXPECT_EQ(hits[1].watch_id, 30);
  EXPECT_EQ(hits[1].terms, (std::vector<std::string>{"aws", "azure", "#cloud", "title:outage"}));
  EXPECT_EQ(set->Find(30)->name, "(aws OR gcp OR azure) AND NOT fine2 AND #cloud title:outage");
  EXPECT_EQ(set->Find(8), nullptr);
}

TEST(WatchMatcherTest, MatchesWildcards) {
  auto set = CompileOrDie(Watches({"cloud*", "wom?n", "?oman", "colo?r", "\"the cloud*\"", "clouds*"}));
  auto matcher = WatchMatcher::Create(set);
  ASSERT_TRUE(matcher.ok());
  EXPECT_EQ(HitIds(*matcher, Text("Clouds over the cloud; women and a woman love the colour.")),
            (std::vector<int64_t>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(HitIds(*matcher, Text("a CLOUD, one Roman")), (std::vector<int64_t>{1, 3}));
  EXPECT_EQ(HitIds(*matcher, Text("womb, colouur, cloudless")), (std::vector<int64_t>{1}));
  EXPECT_EQ(set->stats().always_evaluated, 1u);  // ?oman has no literal to scan for
}

TEST(WatchMatcherTest, MatchesABareStarWhenTheLimitsAllowIt) {
  // With min_wildcard_prefix 0, "cloud *" is cloud followed by any word.
  auto q = ParseQuery("\"cloud *\"", QueryLimits{.min_wildcard_prefix = 0});
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  auto set = CompileOrDie({WatchSpec{.id = 1, .name = "", .query = *q}});
  auto matcher = WatchMatcher::Create(set);
  ASSERT_TRUE(matcher.ok());
  EXPECT_EQ(HitIds(*matcher, Text("the cloud")), (std::vector<int64_t>{}));
  EXPECT_EQ(HitIds(*matcher, Text("storage", "the cloud")), (std::vector<int64_t>{}));
  EXPECT_EQ(HitIds(*matcher, Text("cloud, storage")), (std::vector<int64_t>{1}));
}

TEST(WatchMatcherTest, MatchesPhrasesWithinOneField) {
  auto set =
      CompileOrDie(Watches({"\"cloud storage\"", "cloud-storage", "\"storage cloud\"", "title:\"cloud storage\""}));
  auto matcher = WatchMatcher::Create(set);
  ASSERT_TRUE(matcher.ok());
  EXPECT_EQ(HitIds(*matcher, Text("Cloud-Storage prices")), (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(HitIds(*matcher, Text("prices", "CLOUD storage")), (std::vector<int64_t>{1, 2, 4}));
  // The phrase never runs from the title into the text.
  EXPECT_EQ(HitIds(*matcher, Text("storage outage", "cloud")), (std::vector<int64_t>{}));
  EXPECT_EQ(HitIds(*matcher, Text("storage, cloud")), (std::vector<int64_t>{3}));
}

TEST(WatchMatcherTest, MatchesProximity) {
  auto set = CompileOrDie(Watches({"aws NEAR/1 outage", "aws NEAR/0 outage", "outage NEAR/1f aws", "aws NEAR/3f outage",
                                   "\"said rise\"~2", "(aws OR azure) NEAR/2f outage"}));
  auto matcher = WatchMatcher::Create(set);
  ASSERT_TRUE(matcher.ok());
  EXPECT_EQ(HitIds(*matcher, Text("Outage at AWS today; Azure had an outage too.")), (std::vector<int64_t>{1, 3, 6}));
  EXPECT_EQ(HitIds(*matcher, Text("they said prices will rise")), (std::vector<int64_t>{5}));
  EXPECT_EQ(HitIds(*matcher, Text("aws only")), (std::vector<int64_t>{}));
}

TEST(WatchMatcherTest, EvaluatesWatchesWithoutTextOnEveryMention) {
  auto set = CompileOrDie(
      Watches({"NOT banana", "lang:de", "lang:de OR followers:>1000", "apple NOT banana", "NOT NOT apple"}));
  ASSERT_EQ(set->stats().always_evaluated, 3u);
  auto matcher = WatchMatcher::Create(set);
  ASSERT_TRUE(matcher.ok());
  Mention de = Text("Ein Apfel");
  de.language = "de";
  EXPECT_EQ(HitIds(*matcher, de), (std::vector<int64_t>{1, 2, 3}));
  Mention en = Text("apple and banana");
  en.language = "en";
  en.author.followers = 5000;
  EXPECT_EQ(HitIds(*matcher, en), (std::vector<int64_t>{3, 5}));
  EXPECT_EQ(HitIds(*matcher, Text("an apple")), (std::vector<int64_t>{1, 4, 5}));
  std::vector<WatchHit> hits;
  matcher->Match(Text("nothing"), &hits);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].watch_id, 1);
  EXPECT_TRUE(hits[0].terms.empty());  // a NOT-only match names no term
}

TEST(WatchMatcherTest, MatchesExactCaseHashtagsHandlesAndTitles) {
  auto set = CompileOrDie(Watches({"{AWS}", "#brexit", "@dell_emc", "@dell", "title:outage", "brexit", "#brexit_now"}));
  auto matcher = WatchMatcher::Create(set);
  ASSERT_TRUE(matcher.ok());
  EXPECT_EQ(HitIds(*matcher, Text("#Brexit news from @Dell_EMC on aws")), (std::vector<int64_t>{2, 3, 6}));
  EXPECT_EQ(HitIds(*matcher, Text("AWS #brexit_now @dell.")), (std::vector<int64_t>{1, 4, 6, 7}));
  EXPECT_EQ(HitIds(*matcher, Text("an outage", "Report")), (std::vector<int64_t>{}));
  EXPECT_EQ(HitIds(*matcher, Text("report", "OUTAGE!")), (std::vector<int64_t>{5}));
}

TEST(WatchMatcherTest, HandlesAnEmptyWatchSet) {
  auto set = CompileOrDie({});
  ASSERT_NE(set, nullptr);
  EXPECT_EQ(set->size(), 0u);
  EXPECT_EQ(set->stats().patterns, 0u);
  auto matcher = WatchMatcher::Create(set);
  ASSERT_TRUE(matcher.ok());
  EXPECT_EQ(HitIds(*matcher, Text("anything at all", "title")), (std::vector<int64_t>{}));
  EXPECT_EQ(matcher->counters().views_built, 0);
}

TEST(WatchMatcherTest, RejectsDuplicateIdsAndBadOptions) {
  std::vector<WatchSpec> w = Watches({"a", "b"});
  w[1].id = w[0].id;
  auto set = CompiledWatchSet::Compile(w);
  ASSERT_FALSE(set.ok());
  EXPECT_EQ(set.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(set.status().message(), "watch id 1 is used twice (\"a\" and \"b\")");
  auto bad = CompiledWatchSet::Compile(Watches({"a"}), MatcherOptions{.max_pattern_bytes = 0});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "MatcherOptions.max_pattern_bytes must be in 1 .. 1048576, got 0");
}

TEST(WatchMatcherTest, ProposesOnlyMentionsWhosePatternsHit) {
  // On the Sanders tweets `apple` matches 1,244, `#apple` 134 and `@apple`
  // 1,128 (counted independently, see sanders_corpus_test.cc; the handle
  // with a separate script). A whole-word pattern over folded words finds
  // exactly the tweets with the word apple, and the patterns over the
  // listed names exactly those with the hashtag or the handle: all three
  // watches are decided by their patterns alone, without the evaluator.
  std::vector<Mention> tweets = ReadMentions("tweets-sanders/full-corpus.csv");
  ASSERT_EQ(tweets.size(), 5113u);
  auto set = CompileOrDie(Watches({"apple", "#apple", "@apple"}));
  EXPECT_EQ(set->stats().exact, 3u);
  auto matcher = WatchMatcher::Create(set);
  ASSERT_TRUE(matcher.ok());
  int counts[3] = {0, 0, 0};
  for (const Mention& m : tweets) {
    for (int64_t id : HitIds(*matcher, m)) counts[id - 1] += 1;
  }
  EXPECT_EQ(counts[0], 1244);
  EXPECT_EQ(counts[1], 134);
  EXPECT_EQ(counts[2], 1128);
  EXPECT_EQ(matcher->counters().decided, 1244 + 134 + 1128);
  EXPECT_EQ(matcher->counters().evaluated, 0);
  EXPECT_EQ(matcher->counters().views_built, 0);

  // The filter of `apple NEAR/2 iphone` needs both words: of the 1,244
  // tweets with apple, only the 221 that also have the word iphone are
  // evaluated, and in 75 of them the two are at most 2 words apart (counted
  // with a separate script). `{iPhone}`, written otherwise than folded, is
  // looked up among the words that folding changed: 172 tweets have apple
  // and iPhone. `{iphone}`, written as folded, is decided by counting its
  // word in the scan text: 49 write it so. Neither needs the evaluator.
  auto both = CompileOrDie(
      Watches({"apple NEAR/2 iphone", "apple OR iphone", "apple AND {iPhone}", "apple AND {iphone}"}));
  EXPECT_EQ(both->stats().exact, 3u);
  auto m2 = WatchMatcher::Create(both);
  ASSERT_TRUE(m2.ok());
  int64_t by_id[5] = {0, 0, 0, 0, 0};
  for (const Mention& m : tweets) {
    for (int64_t id : HitIds(*m2, m)) by_id[id] += 1;
  }
  EXPECT_EQ(by_id[1], 75);
  EXPECT_EQ(by_id[3], 172);
  EXPECT_EQ(by_id[4], 49);
  EXPECT_EQ(m2->counters().evaluated, 221);
}

TEST(WatchMatcherTest, DecidesFieldsOnTheMentionWithoutTheEvaluator) {
  auto set = CompileOrDie(Watches({"apple lang:de", "apple NOT followers:>100", "lang:en OR channel:forum",
                                   "apple author:\"Jane Doe\""}));
  EXPECT_EQ(set->stats().exact, 3u);  // not the display name: it needs the view's folded words
  auto matcher = WatchMatcher::Create(set);
  ASSERT_TRUE(matcher.ok());
  Mention m = Text("Apple again");
  m.language = "DE";
  m.author.followers = 50;
  m.author.display_name = "jane DOE";
  EXPECT_EQ(HitIds(*matcher, m), (std::vector<int64_t>{1, 2, 4}));
  m.language = "en";
  m.author.followers = 500;
  EXPECT_EQ(HitIds(*matcher, m), (std::vector<int64_t>{3, 4}));
  m.language.clear();
  m.author.followers = -1;  // unknown: no comparison holds, so NOT followers:>100 does
  m.channel = Channel::kForum;
  EXPECT_EQ(HitIds(*matcher, m), (std::vector<int64_t>{2, 3, 4}));
  EXPECT_EQ(matcher->counters().evaluated, 3);  // the display-name watch, once per mention
  EXPECT_EQ(matcher->counters().views_built, 3);
}

TEST(WatchMatcherTest, CompilesOneHundredThousandWatches) {
  std::vector<std::string> queries;
  for (int i = 0; i < 100'000; ++i) {
    std::string brand = "brand" + std::to_string(i);
    switch (i % 4) {
      case 0: queries.push_back(brand); break;
      case 1: queries.push_back("\"" + brand + " cloud\" OR #" + brand); break;
      case 2: queries.push_back(brand + " AND (outage OR down*)"); break;
      default: queries.push_back(brand + " NEAR/3 price NOT lang:de"); break;
    }
  }
  auto set = CompileOrDie(Watches(queries));
  ASSERT_NE(set, nullptr);
  EXPECT_EQ(set->size(), 100'000u);
  // 100,000 brand words + 25,000 phrases + outage, down* and price.
  EXPECT_EQ(set->stats().patterns, 125'003u);
  EXPECT_EQ(set->stats().always_evaluated, 0u);
  EXPECT_GT(set->stats().database_bytes, 0u);
  auto matcher = WatchMatcher::Create(set);
  ASSERT_TRUE(matcher.ok());
  // Watch i + 1 is about brand<i>, in the form i % 4 selects.
  EXPECT_EQ(HitIds(*matcher, Text("Brand4240 and #brand4241 are down; "
                                  "brand4242 too. brand4243 price")),
            (std::vector<int64_t>{4241, 4242, 4243, 4244}));
  EXPECT_EQ(HitIds(*matcher, Text("brand99999 price cut, brand4242 up")), (std::vector<int64_t>{100'000}));
  // Only the watches of the brands named were proposed; of those, only the
  // NEAR watches needed the evaluator (the hashtag has its own pattern).
  EXPECT_EQ(matcher->counters().candidates, 6);
  EXPECT_EQ(matcher->counters().evaluated, 2);
}

// ---------------------------------------------------------------- rejected patterns

// Queries longer than the default 4,096 bytes, for the long phrases below.
constexpr QueryLimits kLongQueries{.max_length = 16384};

// A one-word "phrase" of 1,400 kanji (4,200 bytes of UTF-8), the first
// chosen by `salt`. Escaped for Hyperscan (\xNN per byte) it is longer than
// Hyperscan's pattern limit of 16,000 bytes.
std::string LongKanjiWord(int salt) {
  static const char* const kFirst[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
                                       "百", "千", "万", "円", "日", "月", "火", "水", "木", "金"};
  std::string s = kFirst[salt % 20];
  for (int i = 1; i < 1400; ++i) s += "語";
  return s;
}

std::vector<WatchSpec> LongWatches(const std::vector<std::string>& queries) {
  std::vector<WatchSpec> out;
  for (size_t i = 0; i < queries.size(); ++i) {
    Result<Query> q = ParseQuery(queries[i], kLongQueries);
    EXPECT_TRUE(q.ok()) << q.status().ToString();
    if (q.ok()) out.push_back(WatchSpec{.id = static_cast<int64_t>(i + 1), .name = "", .query = *q});
  }
  return out;
}

TEST(WatchMatcherTest, EvaluatesWatchesWhosePatternHyperscanRejects) {
  const MatcherOptions long_patterns{.max_pattern_bytes = 1 << 20};
  const std::string word = LongKanjiWord(0);
  auto set = CompileOrDie(LongWatches({"\"" + word + "\"", "apple", word + " AND apple"}), long_patterns);
  ASSERT_NE(set, nullptr);
  EXPECT_EQ(set->stats().patterns, 2u);
  EXPECT_EQ(set->stats().failed_patterns, 1u);
  EXPECT_NE(set->stats().hyperscan_error.find("Pattern length exceeds limit"), std::string::npos)
      << set->stats().hyperscan_error;
  EXPECT_EQ(set->stats().always_evaluated, 1u);  // watch 3 still triggers on apple
  auto matcher = WatchMatcher::Create(set);
  ASSERT_TRUE(matcher.ok());
  EXPECT_EQ(HitIds(*matcher, Text("x " + word + " apple")), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(HitIds(*matcher, Text(word)), (std::vector<int64_t>{1}));
  EXPECT_EQ(HitIds(*matcher, Text("Apple")), (std::vector<int64_t>{2}));

  // With the default cut to 64 bytes, the same watches compile whole.
  auto cut = CompileOrDie(LongWatches({"\"" + word + "\"", "apple", word + " AND apple"}));
  ASSERT_NE(cut, nullptr);
  EXPECT_EQ(cut->stats().failed_patterns, 0u);
  EXPECT_EQ(cut->stats().always_evaluated, 0u);
  auto m2 = WatchMatcher::Create(cut);
  ASSERT_TRUE(m2.ok());
  EXPECT_EQ(HitIds(*m2, Text("x " + word + " apple")), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(HitIds(*m2, Text("x " + LongKanjiWord(1) + " apple")), (std::vector<int64_t>{2}));
}

TEST(WatchMatcherTest, FallsBackToEvaluatingEverythingWhenTheDatabaseCannotBeBuilt) {
  // More rejected patterns than compile attempts: every watch is evaluated
  // on every mention, and the results are still right.
  std::vector<std::string> queries = {"apple", "NOT apple"};
  for (int i = 0; i < 20; ++i) queries.push_back(LongKanjiWord(i));
  auto set = CompileOrDie(LongWatches(queries), MatcherOptions{.max_pattern_bytes = 1 << 20});
  ASSERT_NE(set, nullptr);
  EXPECT_EQ(set->stats().patterns, 21u);
  EXPECT_EQ(set->stats().failed_patterns, 21u);
  EXPECT_EQ(set->stats().database_bytes, 0u);
  EXPECT_EQ(set->stats().always_evaluated, queries.size());
  auto matcher = WatchMatcher::Create(set);
  ASSERT_TRUE(matcher.ok());
  EXPECT_EQ(HitIds(*matcher, Text("an Apple")), (std::vector<int64_t>{1}));
  EXPECT_EQ(HitIds(*matcher, Text(LongKanjiWord(7))), (std::vector<int64_t>{2, 10}));
}

// ---------------------------------------------------------------- swapping sets

TEST(WatchMatcherTest, PicksUpANewSetWhileAnotherThreadMatches) {
  std::mt19937_64 rng(TestSeed());
  constexpr int kSets = 6;
  std::vector<std::shared_ptr<const CompiledWatchSet>> sets;
  for (int s = 0; s < kSets; ++s) {
    std::vector<std::string> queries;
    for (int i = 0; i < 40 + 30 * s; ++i) queries.push_back(RandomQuery(rng, 2));
    sets.push_back(CompileOrDie(Watches(queries)));
    ASSERT_NE(sets.back(), nullptr);
  }
  std::vector<Mention> ms;
  for (int i = 0; i < 200; ++i) ms.push_back(RandomMention(rng));

  WatchSetHolder holder(sets[0]);
  std::atomic<int> published{0};  // index of the last set Set() returned for
  std::atomic<bool> stop{false};
  std::atomic<int64_t> checked{0};
  std::atomic<bool> failed{false};
  std::string failure;  // written by the worker only, read after join
  std::thread worker([&] {
    auto matcher = WatchMatcher::Create(holder);
    if (!matcher.ok()) {
      failure = matcher.status().ToString();
      failed.store(true);
      return;
    }
    std::vector<WatchHit> got;
    for (size_t i = 0; failure.empty(); ++i) {
      bool last_round = stop.load();
      int before = published.load();
      const Mention& m = ms[i % ms.size()];
      got.clear();
      matcher->Match(m, &got);
      const CompiledWatchSet* used = matcher->set().get();
      // The set used is the one published before the call or a later one.
      auto at = std::find_if(sets.begin(), sets.end(), [&](const auto& s) { return s.get() == used; });
      if (at == sets.end() || at - sets.begin() < before) {
        failure = "mention " + std::to_string(i) + " used a stale or unknown set";
        failed.store(true);
        break;
      }
      std::vector<WatchHit> want = BruteForce(*used, MentionView(m));
      if (!std::equal(got.begin(), got.end(), want.begin(), want.end(), SameHit)) {
        failure = "mention " + std::to_string(i) + ":" + Diff(want, got, *used);
        failed.store(true);
      }
      checked.fetch_add(1);
      if (last_round) break;
    }
    if (failure.empty() && matcher->set() != sets.back()) failure = "the last set was never picked up";
    if (failure.empty() && matcher->counters().set_changes != kSets - 1) {
      failure = std::to_string(matcher->counters().set_changes) + " set changes seen";
    }
    failed.store(!failure.empty());
  });
  for (int s = 1; s < kSets; ++s) {
    int64_t seen = checked.load();
    while (checked.load() < seen + 50 && !failed.load()) std::this_thread::yield();
    holder.Set(sets[s]);
    published.store(s);
  }
  int64_t seen = checked.load();
  while (checked.load() < seen + 50 && !failed.load()) std::this_thread::yield();
  stop.store(true);
  worker.join();
  EXPECT_TRUE(failure.empty()) << failure;
  EXPECT_EQ(holder.Get(), sets.back());
}

TEST(WatchMatcherTest, SharesOneSetBetweenThreads) {
  std::mt19937_64 rng(TestSeed() + 1);
  std::vector<std::string> queries;
  for (int i = 0; i < 300; ++i) queries.push_back(RandomQuery(rng, 2));
  auto set = CompileOrDie(Watches(queries));
  ASSERT_NE(set, nullptr);
  std::vector<Mention> ms;
  for (int i = 0; i < 400; ++i) ms.push_back(RandomMention(rng));
  std::vector<std::vector<WatchHit>> want;
  for (const Mention& m : ms) want.push_back(BruteForce(*set, MentionView(m)));
  std::vector<int> mismatches(2, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      auto matcher = WatchMatcher::Create(set);
      if (!matcher.ok()) {
        mismatches[t] = -1;
        return;
      }
      std::vector<WatchHit> got;
      for (int round = 0; round < 3; ++round) {
        for (size_t i = 0; i < ms.size(); ++i) {
          got.clear();
          matcher->Match(ms[(i * (t + 1)) % ms.size()], &got);
          const auto& w = want[(i * (t + 1)) % ms.size()];
          if (!std::equal(got.begin(), got.end(), w.begin(), w.end(), SameHit)) ++mismatches[t];
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches, (std::vector<int>{0, 0}));
}

}  // namespace
}  // namespace earshot::match
