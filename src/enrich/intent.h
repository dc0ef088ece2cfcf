// Questions and buying intent: labels that tell a marketing or support team
// which mentions want an answer. Rule-based: weighted phrase patterns per
// language (en, de, fr, es, ja; other languages get the English and the
// language-neutral ones), combined per label by noisy-OR, so that several
// weak cues add up and one strong cue suffices. docs/ENRICHMENT.md lists
// the cues and the precision and recall measured.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace earshot::enrich {

// The labels, as stored and as the simulator's ground truth names them.
inline constexpr std::string_view kIntentQuestion = "question";
inline constexpr std::string_view kIntentRecommendationRequest = "recommendation_request";
inline constexpr std::string_view kIntentComparison = "comparison";
inline constexpr std::string_view kIntentComplaint = "complaint";
inline constexpr std::string_view kIntentPraise = "praise";
inline constexpr std::string_view kIntentJobPost = "job_post";
inline constexpr std::string_view kIntentSpam = "spam";

// Returns every label, in the order DetectIntents reports them.
std::span<const std::string_view> IntentLabels();

struct IntentLabel {
  std::string label;      // one of IntentLabels()
  double confidence = 0;  // 0.5 .. 1: how many and how strong the cues were
};

// A label is reported when its confidence reaches this.
inline constexpr double kIntentThreshold = 0.5;

// Returns the labels of a mention with `title` and `text` (UTF-8; URLs,
// @handles and HTML entities are ignored) written in `lang` (a BCP 47
// primary tag, "" when unknown), in IntentLabels() order, each with
// confidence >= kIntentThreshold. Rhetorical questions ("who knew?",
// "guess what?") are not questions. Thread-safe: the pattern tables are
// built once, on first use.
std::vector<IntentLabel> DetectIntents(std::string_view title, std::string_view text, std::string_view lang);

}  // namespace earshot::enrich
