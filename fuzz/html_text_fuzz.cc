// Fuzzes HTML-to-text conversion (html_text.h): whatever the input, the
// output must be valid UTF-8 without control characters, whitespace must be
// collapsed as documented, links must be unique absolute http(s) URLs, and
// ParseHtmlContent must agree with HtmlToText and HtmlLinks.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/strings.h"
#include "fuzz_checks.h"
#include "ingest/html_text.h"

namespace {

using earshot::fuzz::Check;
using earshot::fuzz::CheckText;

// Checks the shape HtmlToText and CollapsePlainText promise: no tab or CR,
// single spaces, single line breaks, nothing blank at either end of a line.
void CheckCollapsed(std::string_view s, std::string_view what) {
  CheckText(s, what);
  const std::string name(what);
  Check(s.find_first_of("\t\r") == std::string_view::npos, name + ": tab or CR left");
  for (std::string_view bad : {"  ", " \n", "\n ", "\n\n"}) {
    Check(s.find(bad) == std::string_view::npos, name + ": whitespace not collapsed");
  }
  if (!s.empty()) {
    Check(s.front() != ' ' && s.front() != '\n' && s.back() != ' ' && s.back() != '\n', name + ": not trimmed");
  }
}

void CheckLinks(const std::vector<std::string>& links) {
  std::unordered_set<std::string> seen;
  for (const std::string& link : links) {
    CheckText(link, "link");
    Check(earshot::StartsWithIgnoreAsciiCase(link, "http://") || earshot::StartsWithIgnoreAsciiCase(link, "https://"),
          "link is not absolute http(s): " + link);
    Check(seen.insert(link).second, "link reported twice: " + link);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace earshot::ingest;
  std::string_view input(reinterpret_cast<const char*>(data), size);

  std::string text = HtmlToText(input);
  CheckCollapsed(text, "HtmlToText");
  std::vector<std::string> links = HtmlLinks(input);
  CheckLinks(links);
  HtmlContent content = ParseHtmlContent(input);
  Check(content.text == text, "ParseHtmlContent text differs from HtmlToText");
  Check(content.links == links, "ParseHtmlContent links differ from HtmlLinks");

  std::string decoded = DecodeEntities(input);
  CheckText(decoded, "DecodeEntities");
  // Text without references, controls or DEL (which DecodeEntities drops
  // too) must come back unchanged.
  if (input.find_first_of("&\x7f") == std::string_view::npos && earshot::IsValidUtf8(input) &&
      !earshot::fuzz::HasForbiddenControl(input)) {
    Check(decoded == input, "DecodeEntities changed text without references");
  }

  std::string collapsed = CollapsePlainText(input);
  CheckCollapsed(collapsed, "CollapsePlainText");
  Check(CollapsePlainText(collapsed) == collapsed, "CollapsePlainText is not idempotent");
  return 0;
}
