#include "enrich/sentiment_eval.h"

#include <cmath>
#include <fstream>
#include <sstream>

#include "core/strings.h"

namespace earshot::enrich {
namespace {

Status RecordError(std::string_view name, size_t record, std::string_view what) {
  return Status::InvalidArgument(std::string(name) + ": record " + std::to_string(record) + ": " + std::string(what));
}

// Reads one CSV record starting at `pos`; fills `fields` and advances `pos`
// past its line end. Returns false on an unterminated quoted field.
bool ReadCsvRecord(std::string_view data, size_t& pos, std::vector<std::string>& fields) {
  fields.clear();
  std::string field;
  bool quoted = false;
  bool in_quotes = false;
  while (pos < data.size()) {
    const char c = data[pos++];
    if (in_quotes) {
      if (c != '"') {
        field.push_back(c);
      } else if (pos < data.size() && data[pos] == '"') {
        field.push_back('"');
        ++pos;
      } else {
        in_quotes = false;
      }
      continue;
    }
    if (c == '"' && field.empty() && !quoted) {
      in_quotes = quoted = true;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
      quoted = false;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && pos < data.size() && data[pos] == '\n') ++pos;
      fields.push_back(std::move(field));
      return true;
    } else {
      field.push_back(c);
    }
  }
  if (in_quotes) return false;
  fields.push_back(std::move(field));
  return true;
}

}  // namespace

Result<std::vector<RatedText>> ParseGroundTruth(std::string_view data, std::string_view name) {
  std::vector<RatedText> rows;
  size_t line_no = 0;
  while (!data.empty()) {
    const size_t nl = data.find('\n');
    std::string_view line = data.substr(0, nl);
    data = nl == std::string_view::npos ? std::string_view() : data.substr(nl + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    const size_t t1 = line.find('\t');
    const size_t t2 = t1 == std::string_view::npos ? t1 : line.find('\t', t1 + 1);
    if (t2 == std::string_view::npos) {
      return Status::InvalidArgument(std::string(name) + ":" + std::to_string(line_no) +
                                     ": expected ID<TAB>RATING<TAB>TEXT");
    }
    std::optional<double> rating = ParseDouble(line.substr(t1 + 1, t2 - t1 - 1));
    if (!rating) {
      return Status::InvalidArgument(std::string(name) + ":" + std::to_string(line_no) + ": rating '" +
                                     std::string(line.substr(t1 + 1, t2 - t1 - 1)) + "' is not a number");
    }
    rows.push_back({std::string(line.substr(0, t1)), *rating, std::string(line.substr(t2 + 1))});
  }
  return rows;
}

Result<std::vector<LabeledTweet>> ParseSandersCsv(std::string_view data, std::string_view name) {
  std::vector<LabeledTweet> tweets;
  std::vector<std::string> fields;
  size_t pos = 0;
  size_t record = 0;
  if (!ReadCsvRecord(data, pos, fields) || fields.size() != 5 || fields[0] != "Topic" || fields[1] != "Sentiment" ||
      fields[4] != "TweetText") {
    return RecordError(name, 0, "expected the header Topic,Sentiment,TweetId,TweetDate,TweetText");
  }
  while (pos < data.size()) {
    ++record;
    if (!ReadCsvRecord(data, pos, fields)) return RecordError(name, record, "unterminated quoted field");
    if (fields.size() == 1 && fields[0].empty()) continue;  // blank line
    if (fields.size() != 5) {
      return RecordError(name, record, "expected 5 fields, found " + std::to_string(fields.size()));
    }
    tweets.push_back({record, fields[0], fields[1], fields[2], fields[4]});
  }
  return tweets;
}

Result<std::string> ReadTextFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError("cannot open " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Status::IOError("cannot read " + path);
  return ss.str();
}

double PearsonR(const std::vector<double>& x, const std::vector<double>& y) {
  const size_t n = x.size();
  if (n < 2) return 0.0;
  double mx = 0.0;
  double my = 0.0;
  for (size_t i = 0; i < n; ++i) {
    mx += x[i];
    my += y[i];
  }
  mx /= static_cast<double>(n);
  my /= static_cast<double>(n);
  double sxy = 0.0;
  double sxx = 0.0;
  double syy = 0.0;
  for (size_t i = 0; i < n; ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  if (sxx == 0.0 || syy == 0.0) return 0.0;
  return sxy / std::sqrt(sxx * syy);
}

void Confusion::Add(SentimentClass truth, SentimentClass predicted) {
  ++counts[static_cast<int>(truth)][static_cast<int>(predicted)];
}

double Confusion::F1(SentimentClass c) const {
  const int k = static_cast<int>(c);
  int64_t tp = counts[k][k];
  int64_t support = 0;
  int64_t predicted = 0;
  for (int j = 0; j < 3; ++j) {
    support += counts[k][j];
    predicted += counts[j][k];
  }
  if (support + predicted == 0) return 0.0;
  return 2.0 * static_cast<double>(tp) / static_cast<double>(support + predicted);
}

double Confusion::MacroF1() const {
  return (F1(SentimentClass::kNegative) + F1(SentimentClass::kNeutral) + F1(SentimentClass::kPositive)) / 3.0;
}

double Confusion::Accuracy() const {
  int64_t correct = 0;
  int64_t total = 0;
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) {
      total += counts[i][j];
      if (i == j) correct += counts[i][j];
    }
  }
  return total == 0 ? 0.0 : static_cast<double>(correct) / static_cast<double>(total);
}

bool SandersClass(std::string_view label, SentimentClass& out) {
  if (label == "positive") {
    out = SentimentClass::kPositive;
  } else if (label == "negative") {
    out = SentimentClass::kNegative;
  } else if (label == "neutral") {
    out = SentimentClass::kNeutral;
  } else {
    return false;
  }
  return true;
}

Confusion EvaluateSanders(const SentimentScorer& scorer, const std::vector<LabeledTweet>& tweets,
                          SandersSplit split) {
  Confusion confusion;
  for (const LabeledTweet& t : tweets) {
    SentimentClass truth;
    if (!SandersClass(t.label, truth)) continue;
    if (split != SandersSplit::kAll && (t.record % 2 == 1) != (split == SandersSplit::kOddRecords)) continue;
    confusion.Add(truth, Classify(scorer.Score(t.text).compound));
  }
  return confusion;
}

double EvaluateGroundTruth(const SentimentScorer& scorer, const std::vector<RatedText>& rows) {
  std::vector<double> scores;
  std::vector<double> ratings;
  scores.reserve(rows.size());
  ratings.reserve(rows.size());
  for (const RatedText& r : rows) {
    scores.push_back(scorer.Score(r.text).compound);
    ratings.push_back(r.rating);
  }
  return PearsonR(scores, ratings);
}

}  // namespace earshot::enrich
