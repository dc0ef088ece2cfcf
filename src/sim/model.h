// Internal vocabulary of the simulator: languages, what a post does (its
// act), sentiment, intent labels, platforms and the roles people play.
#pragma once

#include <cstdint>
#include <string_view>

namespace earshot::sim {

enum class Lang : uint8_t { kEn, kDe, kFr, kEs, kJa };
inline constexpr int kLangCount = 5;
inline constexpr std::string_view kLangCodes[kLangCount] = {"en", "de", "fr", "es", "ja"};
inline std::string_view LangCode(Lang l) { return kLangCodes[static_cast<int>(l)]; }

enum class Sentiment : uint8_t { kNeutral, kPositive, kNegative };
inline std::string_view SentimentName(Sentiment s) {
  return s == Sentiment::kPositive ? "positive" : (s == Sentiment::kNegative ? "negative" : "neutral");
}

// Intent labels as bits; the truth file lists them by name in this order.
enum IntentBit : uint8_t {
  kIntentQuestion = 1 << 0,
  kIntentRecommendation = 1 << 1,
  kIntentComparison = 1 << 2,
  kIntentComplaint = 1 << 3,
  kIntentPraise = 1 << 4,
  kIntentJobPost = 1 << 5,
  kIntentSpam = 1 << 6,
};
inline constexpr std::string_view kIntentNames[] = {"question", "recommendation_request", "comparison", "complaint",
                                                    "praise",   "job_post",               "spam"};

// What a post does; selects its templates.
enum class Act : uint8_t {
  kPraise,
  kComplaint,
  kQuestion,
  kRecRequest,     // "looking for", "alternatives to", "anyone using"
  kCompare,        // weighs the subject against another company's product
  kAnnounce,       // releases, launches, webinars, status notes
  kOpinion,        // market-topic chatter, no brand required
  kShare,          // shares an article link
  kJobPost,
  kSpam,
  kOutage,         // "is X down?" during an incident
  kSupportReply,   // the vendor's support answering a complaint
  kAnswer,         // a reply that recommends a product
  kAgree,          // "same here" / "+1" under a post, same sentiment as it
  kThanks,
  kQuote,          // commentary on a quoted post
  kCount,
};
inline constexpr int kActCount = static_cast<int>(Act::kCount);

// Where a mention is published, which also fixes its output format.
enum class Platform : uint8_t {
  kX,          // X API v2 filtered-stream JSON lines
  kMastodon,   // Mastodon status JSON arrays
  kBlog,       // RSS 2.0 or Atom, one feed per site
  kNews,       // RSS 2.0, one feed per news site
  kHn,         // Hacker News items JSON lines
  kReddit,     // Reddit Listing JSON
  kReview,     // CSV
  kCommunity,  // CSV
  kVideo,      // CSV
  kCount,
};
inline constexpr int kPlatformCount = static_cast<int>(Platform::kCount);

// The part a person plays in the market.
enum class Role : uint8_t {
  kOfficial,    // a company's own brand account
  kSupport,     // the vendor's support account
  kSme,         // the vendor's subject-matter experts
  kAnalyst,
  kBlogger,
  kJournalist,
  kCustomer,
  kProspect,
  kAdvocate,
  kDeveloper,   // the wider technical public
  kRecruiter,
  kSpammer,
  kCount,
};
inline constexpr int kRoleCount = static_cast<int>(Role::kCount);

}  // namespace earshot::sim
