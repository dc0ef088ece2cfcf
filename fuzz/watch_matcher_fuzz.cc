// Fuzzes the live matcher against the evaluator. The input is a query, a
// newline, a post's text and, after a second newline, its title. Whatever
// the matcher decides from its pattern hits alone (exact watches, one-word
// hashtags and handles, {Word} look-ups, {word} counts, fields) must agree
// with Matches() and MatchedTerms(), with whole patterns and with patterns
// cut to 4 bytes (which changes triggers, filters and exactness).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/mention.h"
#include "match/evaluator.h"
#include "match/mention_view.h"
#include "match/query.h"
#include "match/watch_matcher.h"

namespace {

[[noreturn]] void Fail(const char* what, std::string_view query) {
  std::fprintf(stderr, "matcher and evaluator disagree (%s) on query: %.*s\n", what, static_cast<int>(query.size()),
               query.data());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace earshot::match;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  const size_t nl = in.find('\n');
  if (nl == std::string_view::npos) return 0;
  const std::string_view query_text = in.substr(0, nl);
  earshot::Result<Query> query = ParseQuery(query_text);
  if (!query.ok()) return 0;

  earshot::Mention m;
  std::string_view rest = in.substr(nl + 1);
  const size_t nl2 = rest.find('\n');
  m.text = std::string(rest.substr(0, nl2));
  if (nl2 != std::string_view::npos) m.title = std::string(rest.substr(nl2 + 1));
  // Fixed fields, so that field atoms go either way.
  m.language = "en";
  m.geo.country = "US";
  m.channel = earshot::Channel::kBlog;
  m.author.handle = "JDoe";
  m.author.display_name = "Jane Doe";
  m.author.followers = 1500;
  m.site = "blog.example.com";
  m.url = "https://blog.example.com/2024/outage";
  m.links = {"https://aws.amazon.com/status"};

  const MentionView view(m);
  const bool want = Matches(*query, view);
  std::vector<std::string> want_terms;
  if (want) MatchedTerms(*query, view, &want_terms);

  for (size_t max_bytes : {size_t{64}, size_t{4}}) {
    std::vector<WatchSpec> watches;
    watches.push_back(WatchSpec{.id = 1, .name = "fuzz", .query = *query});
    auto set = CompiledWatchSet::Compile(std::move(watches), MatcherOptions{.max_pattern_bytes = max_bytes});
    if (!set.ok()) Fail("compile failed", query_text);
    auto matcher = WatchMatcher::Create(*set);
    if (!matcher.ok()) Fail("no matcher", query_text);
    std::vector<WatchHit> hits;
    matcher->Match(m, &hits);
    if (hits.size() != (want ? 1u : 0u)) Fail(want ? "missed" : "false hit", query_text);
    if (want && hits[0].terms != want_terms) Fail("terms", query_text);
  }
  return 0;
}
