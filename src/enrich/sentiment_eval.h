// Readers for the sentiment evaluation corpora and the accuracy measures
// reported for the scorer (tests and bench/sentiment_bench share them).
//
// - VADER's ground truth (`*_GroundTruth.txt`): `ID<TAB>MEAN_RATING<TAB>TEXT`
//   per line, CRLF or LF, the last line possibly without a line end.
// - The Sanders tech-brand tweets (`full-corpus.csv`): RFC 4180 CSV with a
//   header `Topic,Sentiment,TweetId,TweetDate,TweetText`; quoted fields may
//   hold doubled quotes and raw newlines.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "enrich/sentiment.h"

namespace earshot::enrich {

// One line of a VADER ground-truth file.
struct RatedText {
  std::string id;
  double rating = 0.0;  // mean human rating, -4..+4
  std::string text;
};

// One Sanders tweet.
struct LabeledTweet {
  size_t record = 0;  // 1-based data record number in the file
  std::string topic;  // apple | google | microsoft | twitter
  std::string label;  // positive | negative | neutral | irrelevant
  std::string tweet_id;
  std::string text;
};

// Parses ground-truth text. Returns InvalidArgument naming `name` and the
// line of the first malformed record (fewer than 3 fields, a rating that is
// not a number).
Result<std::vector<RatedText>> ParseGroundTruth(std::string_view data, std::string_view name);

// Parses the Sanders CSV. Returns InvalidArgument naming `name` and the
// record of the first malformed one (a wrong header, an unterminated quote,
// a record without 5 fields).
Result<std::vector<LabeledTweet>> ParseSandersCsv(std::string_view data, std::string_view name);

// Reads a whole file. Returns IOError naming `path` on failure.
Result<std::string> ReadTextFile(const std::string& path);

// Returns the Pearson correlation of x and y (0 for fewer than 2 pairs or a
// constant series). REQUIRES: x.size() == y.size().
double PearsonR(const std::vector<double>& x, const std::vector<double>& y);

// A 3-class confusion matrix: counts[truth][predicted], indexed by
// SentimentClass (negative, neutral, positive).
struct Confusion {
  std::array<std::array<int64_t, 3>, 3> counts{};

  void Add(SentimentClass truth, SentimentClass predicted);
  // Returns the F1 of one class (0 when it has no support and no predictions).
  double F1(SentimentClass c) const;
  // Returns the unweighted mean F1 of the three classes.
  double MacroF1() const;
  // Returns the fraction of correct predictions.
  double Accuracy() const;
};

// Maps a Sanders label to a class; false for "irrelevant" or anything else.
bool SandersClass(std::string_view label, SentimentClass& out);

// Which Sanders tweets to evaluate: all, or the half with odd (1, 3, 5...) or
// even record numbers. The odd half is the only one used to calibrate
// anything (the B2B neutral band); the even half is held out. Record parity
// rather than id parity because the ids' last digits are skewed (715 of the
// 3,424 relevant tweets have an odd id).
enum class SandersSplit { kAll, kOddRecords, kEvenRecords };

// Returns the 3-class confusion of `scorer` on the relevant (non-irrelevant)
// tweets of `split`, with the +-0.05 thresholds.
Confusion EvaluateSanders(const SentimentScorer& scorer, const std::vector<LabeledTweet>& tweets,
                          SandersSplit split);

// Returns Pearson r between compound scores and mean ratings.
double EvaluateGroundTruth(const SentimentScorer& scorer, const std::vector<RatedText>& rows);

}  // namespace earshot::enrich
