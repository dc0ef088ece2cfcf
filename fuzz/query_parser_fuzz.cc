// Fuzzes the query parser: any input must parse or fail cleanly; a query
// that parses must round-trip through its canonical form, evaluate against a
// fixed mention, and plan for the index without crashing.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "match/evaluator.h"
#include "match/index_plan.h"
#include "match/query.h"

namespace {

const earshot::Mention& FixedMention() {
  static const earshot::Mention* m = [] {
    auto* mention = new earshot::Mention();
    mention->title = "AWS outage: Cloud storage down";
    mention->text =
        "Big #CloudStorage outage at @Dell_EMC today; women in München say cloud-native apps were down for 2.5 hours. "
        "See @jay.bsky.social and https://status.example.com, ##brexit_now! {braces} \"quotes\" emoji😀word";
    mention->author.handle = "JDoe";
    mention->author.display_name = "Jane Doe";
    mention->author.followers = 1500;
    mention->language = "en";
    mention->geo.country = "US";
    mention->channel = earshot::Channel::kBlog;
    mention->url = "https://blog.example.com/2024/outage";
    mention->site = "blog.example.com";
    mention->links = {"https://aws.amazon.com/status"};
    return mention;
  }();
  return *m;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace earshot::match;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = ParseQueryDetailed(text);
  if (auto* e = std::get_if<ParseError>(&parsed)) {
    if (e->offset > size || e->message.empty() || e->expected.empty()) std::abort();
    return 0;
  }
  const Query& q = std::get<Query>(parsed);
  std::string canonical = q.ToString();
  earshot::Result<Query> again = ParseQuery(canonical);
  if (!again.ok() || !(*again == q) || again->ToString() != canonical) std::abort();
  static const MentionView view(FixedMention());
  bool hit = Matches(q, view);
  if (hit != Matches(*again, view)) std::abort();
  std::vector<std::string> terms;
  MatchedTerms(q, view, &terms);
  IndexPlan plan = PlanForIndex(q);
  (void)DebugString(plan.text);
  return 0;
}
