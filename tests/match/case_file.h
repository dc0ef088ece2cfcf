// The conformance case format shared by tests/match/cases/*.txt and the
// examples in docs/QUERY.md:
//
//   # a comment
//   ---                         starts a new mention (all fields empty)
//   title: Cloud outage         mention fields: title text author author_name
//   text: AWS is down           followers lang country channel site url link
//   url: https://x.com/a        (link repeats; site defaults to the url's site)
//   + aws NEAR/3 down           the query matches the mention
//   - azure                     the query does not match it
//   ! (aws => column 5: expected ')'   the query fails; the message contains the text after "=>"
//   = aws  cloud => aws AND cloud     the canonical form (Query::ToString)
//   ? aws OR gcp => aws               MatchedTerms, joined by " | "
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace earshot::match::testing {

struct CaseReport {
  int checks = 0;                     // lines checked
  std::vector<std::string> failures;  // "<source>:<line>: what went wrong"
};

// Runs the cases in `content`, naming failures "<source>:<first_line + i>".
CaseReport RunCases(std::string_view content, std::string_view source, int first_line = 1);

}  // namespace earshot::match::testing
