#include "ingest/connector.h"

#include <gtest/gtest.h>

#include <string>

#include "core/utf8.h"
#include "testutil.h"

namespace earshot::ingest {
namespace {

// Regression: the preview of the content in a detection error was cut at
// byte 40, splitting a character, and kept ill-formed bytes, so the message
// was not valid UTF-8 (found by detect_format_fuzz).
TEST(DetectFormatTest, ErrorPreviewIsValidUtf8) {
  // "é" takes bytes 40 and 41: the preview stops before it.
  Result<std::string> html = DetectFormat("<html>" + std::string(33, 'a') + "\xC3\xA9 tail");
  ASSERT_FALSE(html.ok());
  EXPECT_EQ(html.status().message(),
            "XML or HTML that is not an RSS or Atom feed (starts with '<html>" + std::string(33, 'a') + "')");

  Result<std::string> json = DetectFormat("{\"x\":\"\xFF\x01\"}");
  ASSERT_FALSE(json.ok());
  EXPECT_EQ(json.status().message(),
            "JSON content of no known format (starts with '{\"x\":\"\xEF\xBF\xBD \"}'); name it with --format");
  EXPECT_TRUE(IsValidUtf8(json.status().message()));
}

}  // namespace
}  // namespace earshot::ingest
