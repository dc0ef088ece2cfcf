// Rule-based sentiment scoring: the VADER method (Hutto & Gilbert, ICWSM
// 2014) in C++, extended for B2B technology conversation, plus target-level
// sentiment (the clause around a watch's match). docs/SENTIMENT.md describes
// the method, the deviations, the B2B lexicon and the measured figures.
//
//   EARSHOT_ASSIGN_OR_RETURN(SentimentScorer scorer, SentimentScorer::Create());
//   double c = scorer.Score("Our dashboard is down again").compound;   // < 0
//   double t = scorer.TargetSentiment("left Oracle for Dell, very happy", 5, 11);  // < 0
#pragma once

#include <cstddef>
#include <iosfwd>
#include <memory>
#include <string_view>

#include "core/status.h"
#include "enrich/sentiment_lexicon.h"

namespace earshot::enrich {

// VADER's four scores. neg + neu + pos is 1 (0 for a text without tokens);
// compound is the normalised sum of valences in [-1, 1]. Values are not
// rounded (the reference rounds to 3 and 4 decimals for display).
struct SentimentScores {
  double neg = 0.0;
  double neu = 0.0;
  double pos = 0.0;
  double compound = 0.0;
};

enum class SentimentClass { kNegative, kNeutral, kPositive };

// The thresholds of the 3-class decision, as recommended by VADER's authors.
inline constexpr double kPositiveThreshold = 0.05;
inline constexpr double kNegativeThreshold = -0.05;

// Returns kPositive for compound >= 0.05, kNegative for <= -0.05, else kNeutral.
SentimentClass Classify(double compound);

// Returns "negative", "neutral" or "positive".
std::string_view SentimentClassName(SentimentClass c);

// Scores texts. Cheap to copy (the lexicon is shared and immutable); all
// methods are const and thread-safe (per-thread scratch buffers), and never
// fail: any byte string, including invalid UTF-8, gets a score.
class SentimentScorer {
 public:
  // Returns a scorer over the lexicons compiled into the binary. Fails only
  // if an embedded lexicon is malformed (Internal).
  static Result<SentimentScorer> Create(SentimentMode mode = SentimentMode::kB2B);

  // Returns a scorer over `lexicon`, in the lexicon's mode.
  static SentimentScorer FromLexicon(SentimentLexicon lexicon);

  SentimentMode mode() const { return lexicon_->mode(); }
  const SentimentLexicon& lexicon() const { return *lexicon_; }

  // Returns the sentiment of `text` (UTF-8; ill-formed bytes are tolerated).
  SentimentScores Score(std::string_view text) const;

  // Returns the compound sentiment in [-1, 1] toward the target at byte span
  // [target_begin, target_end) of `text` (a watch's match): the score of the
  // clause around the target, adjusted by its role in a switch or comparison
  // ("left X for Y", "X is better than Y"). Rules: docs/SENTIMENT.md and
  // enrich/sentiment_target.h. A span outside the text is clamped to it.
  double TargetSentiment(std::string_view text, size_t target_begin, size_t target_end) const;

 private:
  explicit SentimentScorer(std::shared_ptr<const SentimentLexicon> lexicon) : lexicon_(std::move(lexicon)) {}

  std::shared_ptr<const SentimentLexicon> lexicon_;
};

// Returns the name of the scoring kernel in use: the first of "avx512bw"
// (AVX-512BW byte scan; BMI2 and LZCNT in the tokenizer), "avx2" (BMI2 and
// LZCNT) and "baseline" that the processor supports. Every kernel gives the
// same scores, bit for bit.
std::string_view SentimentKernel();

// Switches every scorer of the process to the kernel `name`, for tests and
// benchmarks; returns false if the processor or build lacks it. Not safe
// while other threads score.
bool SetSentimentKernel(std::string_view name);

// Reads `in` line by line and writes one compound score per line to `out`
// with 4 decimals ("0.4404"); an empty line gives "0.0000". A trailing "\r"
// is dropped (CRLF input). Returns IOError naming the line if reading or
// writing fails. Backs `earshot sentiment [FILE|-]`.
Status ScoreLines(std::istream& in, std::ostream& out, const SentimentScorer& scorer);

}  // namespace earshot::enrich
