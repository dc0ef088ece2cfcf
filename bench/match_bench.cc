// Live matching throughput on one core: WatchMatcher over simulated X posts
// with 1,000 / 10,000 / 100,000 watches, next to a bare Hyperscan scan of
// the same patterns, measured in one run.
//
//   build/release/bench/match_bench [--mentions N] [--watches 1000,10000,100000]
//                                   [--mix market|dense|words|both|all] [--repeat R] [--verify EVALS]
//
// Input: N posts of the market simulator's X stream (sim::WriteXStream),
// parsed by the X connector (not timed). Watches are generated from the
// posts' own vocabulary (the first 200,000 posts), each in one of the usual
// forms: a name, a phrase, name OR #name OR @name, AND with an OR of topic
// words, NOT, NEAR/3, a prefix wildcard, a field filter, {Exact}. Two mixes
// say what the names are:
//   market  300 watches name the stream's brands, products and people (words
//           written capitalised), the rest invented brands that never occur:
//           a shared service whose watches are mostly about other markets;
//   dense   a third of the watches name any word of the stream, common words
//           included, the rest invented brands: a stress case whose hits grow
//           with the number of watches;
//   words   every watch one literal word of the stream, all distinct, from
//           the 20th most frequent down (then invented ones): the case the
//           issue's reference figure names ("a bare scan of 10,000 literal
//           words").
// Contestants, each over all N posts, single-threaded, timed by thread CPU time:
//   bare-hs   hs_scan of the raw title and text against the same literals
//             compiled HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH, a callback
//             that counts: the ceiling of any Hyperscan prefilter;
//   same-db   hs_scan of the matcher's own database over the folded words,
//             folded beforehand (not timed): the scan inside the matcher;
//   matcher   WatchMatcher::Match: fold, scan, candidates, filters,
//             Matches() and MatchedTerms() of every hit.
// Before timing, the matcher's output is checked against Matches() over
// every watch on the first posts, EVALS / watches of them (default 2e7
// evaluations; 0 skips the check). The three take turns in R rounds
// (default 3), so a slow spell of the machine falls on all of them, and
// each keeps its best CPU time.
#include <hs/hs.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/word_tokenizer.h"
#include "ingest/connector.h"
#include "ingest/x_connector.h"
#include "match/evaluator.h"
#include "match/hyperscan_handle.h"
#include "match/watch_matcher.h"
#include "sim/sim.h"

namespace {

using earshot::Mention;
using earshot::match::CompiledWatchSet;
using earshot::match::WatchHit;
using earshot::match::WatchMatcher;
using earshot::match::WatchSpec;

double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// Parses X stream lines as the simulator writes them, keeping the Mentions.
class MentionSink : public earshot::sim::ByteSink, public earshot::ingest::RecordSink {
 public:
  MentionSink() : connector_(earshot::ingest::NewXConnector()) {}
  earshot::Status Write(std::string_view bytes) override {
    pending_.append(bytes);
    size_t start = 0;
    for (size_t nl; (nl = pending_.find('\n', start)) != std::string::npos; start = nl + 1) {
      earshot::ingest::ParseContext ctx;
      ctx.file = "sim";
      ctx.line = ++line_;
      ctx.first_index = line_;
      earshot::Status s = connector_->Parse(std::string_view(pending_).substr(start, nl - start), ctx, *this);
      if (!s.ok()) return s;
    }
    pending_.erase(0, start);
    return earshot::Status::Ok();
  }
  void OnMention(Mention m, const earshot::ingest::RecordRef&) override {
    // Keep what matching reads; drop the rest to save memory.
    m.id.clear();
    m.external_id.clear();
    m.in_reply_to.clear();
    m.reshare_of.clear();
    m.quote_of.clear();
    mentions.push_back(std::move(m));
  }
  void OnReject(const earshot::ingest::RecordRef& ref, std::string reason, std::string_view) override {
    std::fprintf(stderr, "rejected line %lld: %s\n", static_cast<long long>(ref.line), reason.c_str());
  }
  void OnSkip(const earshot::ingest::RecordRef&, std::string) override {}

  std::vector<Mention> mentions;

 private:
  std::unique_ptr<earshot::ingest::Connector> connector_;
  std::string pending_;
  int64_t line_ = 0;
};

// The stream's vocabulary, by frequency.
struct Vocabulary {
  std::vector<std::string> words;                    // folded, letters only, 3+ bytes, most frequent first
  std::vector<std::string> names;                    // written capitalised 80% of the time or more
  std::unordered_map<std::string, std::string> raw;  // folded -> a form as written
  std::vector<std::string> bigrams;                  // "w1 w2", most frequent first
  std::vector<std::string> name_bigrams;             // bigrams of two names ("draqent orbit")
  std::unordered_set<std::string> all;               // every folded word seen
};

std::vector<std::string> ByCount(const std::unordered_map<std::string, int64_t>& m) {
  std::vector<std::pair<int64_t, std::string>> counted;
  for (const auto& [w, n] : m) counted.emplace_back(-n, w);
  std::sort(counted.begin(), counted.end());
  std::vector<std::string> out;
  for (auto& [n, w] : counted) out.push_back(std::move(w));
  return out;
}

Vocabulary BuildVocabulary(const std::vector<Mention>& ms, size_t sample) {
  std::unordered_map<std::string, int64_t> words, capitalised, bigrams;
  Vocabulary v;
  earshot::WordTokens tokens;
  for (size_t i = 0; i < std::min(sample, ms.size()); ++i) {
    earshot::TokenizeWords(ms[i].text, tokens);
    for (size_t k = 0; k < tokens.tokens.size(); ++k) {
      const auto& t = tokens.tokens[k];
      std::string w(tokens.Folded(t));
      v.all.insert(w);
      bool letters = w.size() >= 3 && std::all_of(w.begin(), w.end(), [](char c) { return c >= 'a' && c <= 'z'; });
      if (!letters) continue;
      if (++words[w] == 1) v.raw[w] = ms[i].text.substr(t.begin, t.end - t.begin);
      if (ms[i].text[t.begin] >= 'A' && ms[i].text[t.begin] <= 'Z') ++capitalised[w];
      if (k + 1 < tokens.tokens.size()) ++bigrams[w + " " + std::string(tokens.Folded(tokens.tokens[k + 1]))];
    }
  }
  v.words = ByCount(words);
  for (const std::string& w : v.words) {
    if (words[w] >= 5 && capitalised[w] * 5 >= words[w] * 4) v.names.push_back(w);
  }
  std::unordered_set<std::string> names(v.names.begin(), v.names.end());
  v.bigrams = ByCount(bigrams);
  for (const std::string& b : v.bigrams) {
    size_t sp = b.find(' ');
    if (names.count(b.substr(0, sp)) && names.count(b.substr(sp + 1))) v.name_bigrams.push_back(b);
  }
  return v;
}

// The two watch mixes; see the file comment.
enum class Mix { kMarket, kDense, kWords };

const char* MixName(Mix m) { return m == Mix::kMarket ? "market" : m == Mix::kDense ? "dense" : "words"; }
constexpr size_t kMarketStreamWatches = 300;

// Generates realistic watches; see the file comment.
class WatchGenerator {
 public:
  WatchGenerator(const Vocabulary& v, uint64_t seed) : v_(v), rng_(seed) {}

  // Returns a watch about the stream (`real`) or about an invented brand.
  std::string Next(bool real, Mix mix) {
    std::string s = !real                 ? Invented()
                    : mix == Mix::kMarket ? Pick(v_.names, 0, v_.names.size())
                                          : Pick(v_.words, 20, 3000);
    std::string s_raw = real ? v_.raw.at(s) : std::string(1, static_cast<char>(s[0] - 32)) + s.substr(1);
    int t = Roll(100);
    if (t < 20) return s;
    if (t < 35) {
      const auto& bigrams = mix == Mix::kMarket ? v_.name_bigrams : v_.bigrams;
      return "\"" + (real ? Pick(bigrams, mix == Mix::kMarket ? 0 : 10, 5000) : s + " " + Context()) + "\"";
    }
    if (t < 50) return s + " OR #" + s + " OR @" + s;
    if (t < 65) return s + " AND (" + Context() + " OR " + Context() + " OR " + Context() + ")";
    if (t < 75) return s + " NOT (" + Context() + " OR " + Context() + ")";
    if (t < 85) return s + " NEAR/3 (" + Context() + " OR " + Context().substr(0, 4) + "*)";
    if (t < 90) return s.substr(0, std::max<size_t>(4, s.size() - 2)) + "* AND " + Context();
    if (t < 95) return s + (Roll(2) == 0 ? " lang:de" : " followers:>1000");
    return "{" + s_raw + "}";
  }

  int Roll(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }

 private:
  const std::string& Pick(const std::vector<std::string>& from, size_t lo, size_t hi) {
    hi = std::min(hi, from.size());
    lo = std::min(lo, hi - 1);
    return from[lo + static_cast<size_t>(Roll(static_cast<int>(hi - lo)))];
  }
  // A topic or common word of the stream.
  const std::string& Context() { return Pick(v_.words, 20, 400); }
  // A made-up brand name that never occurs in the stream.
  std::string Invented() {
    static const char* const kSyllables[] = {"ka", "ze", "lo",  "vi",  "tra", "mon", "qu",  "ex", "ri", "dal",
                                             "no", "sy", "fen", "bro", "ux",  "pel", "gar", "ti", "wo", "zan"};
    while (true) {
      std::string s;
      for (int n = 2 + Roll(3); n > 0; --n) s += kSyllables[Roll(20)];
      if (s.size() >= 5 && !v_.all.count(s)) return s;
    }
  }

  const Vocabulary& v_;
  std::mt19937_64 rng_;
};

std::vector<WatchSpec> MakeWatches(const Vocabulary& v, size_t n, Mix mix, uint64_t seed) {
  WatchGenerator gen(v, seed);
  std::vector<WatchSpec> out;
  if (mix == Mix::kWords) {
    std::unordered_set<std::string> used;
    for (size_t i = 20; i < v.words.size() && used.size() < n; ++i) used.insert(v.words[i]);
    std::vector<std::string> words(used.begin(), used.end());
    while (words.size() < n) {
      std::string w = gen.Next(false, mix);
      bool plain = std::all_of(w.begin(), w.end(), [](char c) { return c >= 'a' && c <= 'z'; });
      if (plain && used.insert(w).second) words.push_back(w);
    }
    std::sort(words.begin(), words.end());
    for (std::string& w : words) {
      auto q = earshot::match::ParseQuery(w);
      if (!q.ok()) std::exit(1);
      out.push_back(WatchSpec{.id = static_cast<int64_t>(out.size() + 1), .name = std::move(w), .query = *q});
    }
    return out;
  }
  size_t stream_left = std::min(n, kMarketStreamWatches);
  while (out.size() < n) {
    bool real;
    if (mix == Mix::kMarket) {
      // Spread the stream watches evenly over the ids.
      real = stream_left > 0 && static_cast<size_t>(gen.Roll(static_cast<int>(n - out.size()))) < stream_left;
      if (real) --stream_left;
    } else {
      real = gen.Roll(3) == 0;
    }
    std::string text = gen.Next(real, mix);
    auto q = earshot::match::ParseQuery(text);
    if (!q.ok()) {
      std::fprintf(stderr, "generated query does not parse: %s: %s\n", text.c_str(), q.status().ToString().c_str());
      std::exit(1);
    }
    out.push_back(WatchSpec{.id = static_cast<int64_t>(out.size() + 1), .name = std::move(text), .query = *q});
  }
  return out;
}

// Compares the matcher with Matches() on every watch for the first `n` posts.
bool Verify(const std::shared_ptr<const CompiledWatchSet>& shared, const std::vector<Mention>& ms, size_t n) {
  const CompiledWatchSet& set = *shared;
  auto matcher = WatchMatcher::Create(shared);
  if (!matcher.ok()) return false;
  std::vector<WatchHit> got;
  for (size_t i = 0; i < std::min(n, ms.size()); ++i) {
    got.clear();
    matcher->Match(ms[i], &got);
    earshot::match::MentionView view(ms[i]);
    size_t k = 0;
    for (const WatchSpec& w : set.watches()) {
      if (!earshot::match::Matches(w.query, view)) continue;
      std::vector<std::string> terms;
      earshot::match::MatchedTerms(w.query, view, &terms);
      if (k >= got.size() || got[k].watch_id != w.id || got[k].terms != terms) {
        std::fprintf(stderr, "MISMATCH on post %zu, watch %lld (%s)\n", i, static_cast<long long>(w.id),
                     w.name.c_str());
        return false;
      }
      ++k;
    }
    if (k != got.size()) {
      std::fprintf(stderr, "MISMATCH on post %zu: %zu extra hits\n", i, got.size() - k);
      return false;
    }
  }
  return true;
}

struct Run {
  double cpu_s = 1e300;  // best of the repeats
  int64_t checksum = 0;  // hits or matches reported, so no run is optimised away
};

// Runs `fn` once and keeps the better time in `r`.
template <typename Fn>
void TimeOnce(Run& r, Fn&& fn) {
  double t0 = ThreadCpuSeconds();
  r.checksum = fn();
  r.cpu_s = std::min(r.cpu_s, ThreadCpuSeconds() - t0);
}

int CountMatch(unsigned int, unsigned long long, unsigned long long, unsigned int, void* ctx) {
  ++*static_cast<int64_t*>(ctx);
  return 0;
}

// The bare peer's database: the set's literals without the padding spaces, caseless.
earshot::match::HsDatabase CompileBare(const CompiledWatchSet& set) {
  std::vector<std::string> lits;
  std::unordered_set<std::string> seen;
  for (const std::string& p : set.patterns()) {
    std::string l = p;
    while (!l.empty() && (l.front() == ' ' || l.front() == '\x01')) l.erase(l.begin());  // '\x01': a cased word
    while (!l.empty() && l.back() == ' ') l.pop_back();
    if (!l.empty() && seen.insert(l).second) lits.push_back(std::move(l));
  }
  std::vector<const char*> ptrs;
  std::vector<size_t> lens;
  std::vector<unsigned int> flags(lits.size(), HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH), ids;
  for (size_t i = 0; i < lits.size(); ++i) {
    ptrs.push_back(lits[i].data());
    lens.push_back(lits[i].size());
    ids.push_back(static_cast<unsigned int>(i));
  }
  hs_database_t* db = nullptr;
  hs_compile_error_t* err = nullptr;
  if (hs_compile_lit_multi(ptrs.data(), flags.data(), ids.data(), lens.data(), static_cast<unsigned int>(lits.size()),
                           HS_MODE_BLOCK, nullptr, &db, &err) != HS_SUCCESS) {
    std::fprintf(stderr, "bare compile failed: %s\n", err ? err->message : "?");
    hs_free_compile_error(err);
    std::exit(1);
  }
  return earshot::match::HsDatabase(db);
}

int64_t ScanAll(const hs_database_t* db, hs_scratch_t* scratch, const std::vector<Mention>& ms) {
  int64_t n = 0;
  for (const Mention& m : ms) {
    if (!m.title.empty())
      hs_scan(db, m.title.data(), static_cast<unsigned int>(m.title.size()), 0, scratch, CountMatch, &n);
    hs_scan(db, m.text.data(), static_cast<unsigned int>(m.text.size()), 0, scratch, CountMatch, &n);
  }
  return n;
}

void Bench(const Vocabulary& vocab, const std::vector<Mention>& ms, size_t n_watches, Mix mix, int repeat,
           int64_t verify_budget) {
  std::vector<WatchSpec> watches = MakeWatches(vocab, n_watches, mix, 1000 + n_watches);
  auto t0 = std::chrono::steady_clock::now();
  auto compiled = CompiledWatchSet::Compile(std::move(watches));
  double compile_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!compiled.ok()) {
    std::fprintf(stderr, "%s\n", compiled.status().ToString().c_str());
    std::exit(1);
  }
  std::shared_ptr<const CompiledWatchSet> set = *compiled;
  const auto& st = set->stats();
  size_t verify_n = verify_budget <= 0 ? 0 : std::max<size_t>(200, static_cast<size_t>(verify_budget) / n_watches);
  bool ok = Verify(set, ms, verify_n);

  // bare-hs
  earshot::match::HsDatabase bare = CompileBare(*set);
  hs_scratch_t* raw_scratch = nullptr;
  if (hs_alloc_scratch(bare.get(), &raw_scratch) != HS_SUCCESS ||
      hs_alloc_scratch(set->database(), &raw_scratch) != HS_SUCCESS) {
    std::fprintf(stderr, "hs_alloc_scratch failed\n");
    std::exit(1);
  }
  earshot::match::HsScratch scratch(raw_scratch);
  size_t scratch_bytes = 0, bare_bytes = 0;
  hs_scratch_size(scratch.get(), &scratch_bytes);
  hs_database_size(bare.get(), &bare_bytes);
  // same-db: the matcher's database over texts folded beforehand.
  std::vector<std::string> folded(ms.size());
  for (size_t i = 0; i < ms.size(); ++i) CompiledWatchSet::BuildScanText(ms[i], &folded[i]);
  auto matcher = WatchMatcher::Create(set);
  if (!matcher.ok()) std::exit(1);
  earshot::match::MatcherCounters before;
  int64_t with_hit = 0;
  // The contestants take turns in each round, so that a slow spell of the
  // machine does not fall on one of them only; each keeps its best time.
  Run bare_run, same_run, match_run;
  for (int round = 0; round < repeat; ++round) {
    TimeOnce(bare_run, [&] { return ScanAll(bare.get(), scratch.get(), ms); });
    TimeOnce(same_run, [&] {
      int64_t n = 0;
      for (const std::string& f : folded) {
        hs_scan(set->database(), f.data(), static_cast<unsigned int>(f.size()), 0, scratch.get(), CountMatch, &n);
      }
      return n;
    });
    TimeOnce(match_run, [&] {
      before = matcher->counters();
      int64_t hits = 0;
      with_hit = 0;
      std::vector<WatchHit> out;
      for (const Mention& m : ms) {
        out.clear();
        matcher->Match(m, &out);
        hits += static_cast<int64_t>(out.size());
        with_hit += out.empty() ? 0 : 1;
      }
      return hits;
    });
  }
  const auto& c = matcher->counters();
  const double n = static_cast<double>(ms.size());
  const double per = static_cast<double>(c.mentions - before.mentions);

  std::printf(
      "\n%zu watches, %s mix: %zu patterns, %zu exact, %zu always "
      "evaluated, compiled in %.2f s, "
      "database %.1f MiB (bare %.1f MiB), scratch %.1f KiB, verified "
      "on %zu posts: %s\n",
      n_watches, MixName(mix), st.patterns, st.exact, st.always_evaluated, compile_s,
      st.database_bytes / 1048576.0, bare_bytes / 1048576.0, scratch_bytes / 1024.0, std::min(verify_n, ms.size()),
      ok ? "ok" : "MISMATCH");
  std::printf(
      "  per post: %.2f hits, %.1f%% with a hit, %.2f candidates, %.2f "
      "decided by patterns, %.2f evaluated, "
      "%.1f%% views built\n",
      static_cast<double>(c.hits - before.hits) / per, 100.0 * static_cast<double>(with_hit) / per,
      static_cast<double>(c.candidates - before.candidates) / per,
      static_cast<double>(c.decided - before.decided) / per, static_cast<double>(c.evaluated - before.evaluated) / per,
      100.0 * static_cast<double>(c.views_built - before.views_built) / per);
  std::printf("  %-8s %14s %12s\n", "run", "posts/cpu-s", "checksum");
  std::printf("  %-8s %14.0f %12lld\n", "bare-hs", n / bare_run.cpu_s, static_cast<long long>(bare_run.checksum));
  std::printf("  %-8s %14.0f %12lld\n", "same-db", n / same_run.cpu_s, static_cast<long long>(same_run.checksum));
  std::printf("  %-8s %14.0f %12lld\n", "matcher", n / match_run.cpu_s, static_cast<long long>(match_run.checksum));
  std::printf("  matcher / bare-hs: %.2f\n", bare_run.cpu_s / match_run.cpu_s);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  int64_t mentions = 1'000'000;
  std::vector<size_t> sizes = {1'000, 10'000, 100'000};
  int repeat = 3;
  int64_t verify_budget = 20'000'000;
  std::vector<Mix> mixes = {Mix::kMarket, Mix::kDense};
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--mentions") && i + 1 < argc) {
      mentions = std::atoll(argv[++i]);
    } else if (!std::strcmp(argv[i], "--watches") && i + 1 < argc) {
      sizes.clear();
      for (char* p = argv[++i]; *p;) {
        sizes.push_back(std::strtoull(p, &p, 10));
        if (*p == ',') ++p;
      }
    } else if (!std::strcmp(argv[i], "--repeat") && i + 1 < argc) {
      repeat = std::max(1, std::atoi(argv[++i]));
    } else if (!std::strcmp(argv[i], "--verify") && i + 1 < argc) {
      verify_budget = std::atoll(argv[++i]);
    } else if (!std::strcmp(argv[i], "--mix") && i + 1 < argc) {
      std::string m = argv[++i];
      mixes.clear();
      if (m == "market" || m == "both" || m == "all") mixes.push_back(Mix::kMarket);
      if (m == "dense" || m == "both" || m == "all") mixes.push_back(Mix::kDense);
      if (m == "words" || m == "all") mixes.push_back(Mix::kWords);
    } else {
      std::fprintf(stderr,
                   "usage: match_bench [--mentions N] [--watches "
                   "1000,10000,100000] [--mix market|dense|words|both|all] "
                   "[--repeat R] [--verify EVALS]\n");
      return 2;
    }
  }
  MentionSink sink;
  earshot::sim::SimOptions so;
  so.mentions = mentions;
  so.days = 30;
  so.seed = 42;
  auto t0 = std::chrono::steady_clock::now();
  auto r = earshot::sim::WriteXStream(so, sink);
  if (!r.ok()) {
    std::fprintf(stderr, "generation failed: %s\n", r.status().ToString().c_str());
    return 1;
  }
  const std::vector<Mention>& ms = sink.mentions;
  double bytes = 0;
  for (const Mention& m : ms) bytes += static_cast<double>(m.text.size() + m.title.size());
  std::printf(
      "input: %zu simulated X posts (%.0f bytes of text on average), generated "
      "and parsed in %.1f s\n",
      ms.size(), bytes / static_cast<double>(ms.size()),
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  Vocabulary vocab = BuildVocabulary(ms, 200'000);
  std::printf("vocabulary: %zu words, %zu bigrams in the first 200,000 posts\n", vocab.words.size(),
              vocab.bigrams.size());
  std::printf("vocabulary: %zu names, %zu bigrams of names\n", vocab.names.size(), vocab.name_bigrams.size());
  for (Mix mix : mixes) {
    for (size_t n : sizes) Bench(vocab, ms, n, mix, repeat, verify_budget);
  }
  return 0;
}
