#include "match/case_file.h"

#include <optional>

#include "core/mention.h"
#include "core/strings.h"
#include "match/evaluator.h"
#include "match/query.h"

namespace earshot::match::testing {
namespace {

// Splits "query => expectation" at the last "=>".
bool SplitExpectation(std::string_view body, std::string_view& query, std::string_view& expected) {
  size_t arrow = body.rfind("=>");
  if (arrow == std::string_view::npos) return false;
  query = TrimAscii(body.substr(0, arrow));
  expected = TrimAscii(body.substr(arrow + 2));
  return true;
}

// Sets the mention field named `key`; false when there is no such field.
bool SetField(Mention& m, std::string_view key, std::string_view value) {
  std::string v(value);
  if (key == "title") {
    m.title = v;
  } else if (key == "text") {
    m.text = v;
  } else if (key == "author") {
    m.author.handle = v;
  } else if (key == "author_name") {
    m.author.display_name = v;
  } else if (key == "followers") {
    std::optional<int64_t> n = ParseInt64(value);
    if (!n) return false;
    m.author.followers = *n;
  } else if (key == "lang") {
    m.language = v;
  } else if (key == "country") {
    m.geo.country = v;
  } else if (key == "channel") {
    std::optional<Channel> c = ParseChannel(value);
    if (!c) return false;
    m.channel = *c;
  } else if (key == "site") {
    m.site = v;
  } else if (key == "url") {
    m.url = v;
    if (m.site.empty()) m.site = SiteOfUrl(v);
  } else if (key == "link") {
    m.links.push_back(v);
  } else {
    return false;
  }
  return true;
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : " | ") + s;
  return out;
}

class Runner {
 public:
  Runner(std::string_view source, int first_line) : source_(source), first_line_(first_line) {}

  void Line(std::string_view line, int index);
  CaseReport& report() { return report_; }

 private:
  void Fail(int index, const std::string& what) {
    report_.failures.push_back(std::string(source_) + ":" + std::to_string(first_line_ + index) + ": " + what);
  }
  // Parses `query`, recording a failure when it does not parse.
  std::optional<Query> Parse(std::string_view query, int index);
  void CheckMatch(std::string_view query, bool want, int index);

  std::string_view source_;
  int first_line_;
  Mention mention_;
  CaseReport report_;
};

std::optional<Query> Runner::Parse(std::string_view query, int index) {
  Result<Query> q = ParseQuery(query);
  if (!q.ok()) {
    Fail(index, "'" + std::string(query) + "' does not parse: " + q.status().message());
    return std::nullopt;
  }
  return *q;
}

void Runner::CheckMatch(std::string_view query, bool want, int index) {
  std::optional<Query> q = Parse(query, index);
  if (!q) return;
  MentionView view(mention_);
  if (Matches(*q, view) != want) {
    Fail(index, "'" + std::string(query) + "' should " + (want ? "" : "not ") + "match title='" + mention_.title +
                    "' text='" + mention_.text + "' (canonical: " + q->ToString() + ")");
  }
}

void Runner::Line(std::string_view raw, int index) {
  std::string_view line = TrimAscii(raw);
  if (line.empty() || line.starts_with("#")) return;
  if (line.starts_with("---")) {
    mention_ = Mention();
    return;
  }
  char op = line[0];
  std::string_view body = TrimAscii(line.substr(1));
  std::string_view query;
  std::string_view expected;
  ++report_.checks;
  switch (op) {
    case '+':
    case '-': CheckMatch(body, op == '+', index); return;
    case '!': {
      if (!SplitExpectation(body, query, expected)) return Fail(index, "'!' line needs '=> message'");
      Result<Query> q = ParseQuery(query);
      if (q.ok()) return Fail(index, "'" + std::string(query) + "' should fail but parsed as " + q->ToString());
      if (q.status().message().find(expected) == std::string::npos) {
        Fail(index, "'" + std::string(query) + "' failed with '" + q.status().message() + "', want '" +
                        std::string(expected) + "'");
      }
      return;
    }
    case '=': {
      if (!SplitExpectation(body, query, expected)) return Fail(index, "'=' line needs '=> canonical'");
      std::optional<Query> q = Parse(query, index);
      if (q && q->ToString() != expected) {
        Fail(index, "'" + std::string(query) + "' prints as '" + q->ToString() + "', want '" + std::string(expected) + "'");
      }
      return;
    }
    case '?': {
      if (!SplitExpectation(body, query, expected)) return Fail(index, "'?' line needs '=> terms'");
      std::optional<Query> q = Parse(query, index);
      if (!q) return;
      std::vector<std::string> terms;
      MentionView view(mention_);
      MatchedTerms(*q, view, &terms);
      if (Join(terms) != expected) {
        Fail(index, "'" + std::string(query) + "' matched terms '" + Join(terms) + "', want '" + std::string(expected) + "'");
      }
      return;
    }
    default: break;
  }
  --report_.checks;
  size_t colon = line.find(':');
  if (colon == std::string_view::npos || !SetField(mention_, line.substr(0, colon), TrimAscii(line.substr(colon + 1)))) {
    Fail(index, "cannot read line '" + std::string(line) + "'");
  }
}

}  // namespace

CaseReport RunCases(std::string_view content, std::string_view source, int first_line) {
  Runner runner(source, first_line);
  int index = 0;
  size_t pos = 0;
  while (pos <= content.size()) {
    size_t nl = content.find('\n', pos);
    if (nl == std::string_view::npos) nl = content.size();
    runner.Line(content.substr(pos, nl - pos), index++);
    pos = nl + 1;
  }
  return std::move(runner.report());
}

}  // namespace earshot::match::testing
