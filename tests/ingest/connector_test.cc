#include "ingest/connector.h"

#include <gtest/gtest.h>

#include <string>

#include "core/utf8.h"
#include "ingest/json_util.h"
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

// A FieldSet answers each key as Field does, from one pass: the first of
// a repeated key, nullopt for null or missing, nothing from a non-object.
TEST(JsonFieldSetTest, AgreesWithFieldOnEveryKey) {
  simdjson::dom::parser parser;
  const std::string json = R"({"a":1,"b":null,"c":"x","a":2,"dd":{"e":3},"c2":[1]})";
  simdjson::dom::element obj = parser.parse(json).value();
  const std::array<std::string_view, 6> keys = {"a", "b", "c", "dd", "missing", "c2"};
  const json::FieldSet<6> fields(obj, keys);
  for (size_t i = 0; i < keys.size(); ++i) {
    const std::optional<simdjson::dom::element> want = json::Field(obj, keys[i]);
    const std::optional<simdjson::dom::element> got = fields.Get(i);
    ASSERT_EQ(got.has_value(), want.has_value()) << keys[i];
    if (got) {
      EXPECT_EQ(json::ToJson(*got), json::ToJson(*want)) << keys[i];
    }
  }
  EXPECT_EQ(json::CountValue(fields.Get(0)), 1);  // the first "a"
  EXPECT_FALSE(fields.Get(1).has_value());
  EXPECT_EQ(json::StringValue(fields.Get(2)), "x");
  EXPECT_EQ(json::CountValue(fields.Get(4)), -1);

  simdjson::dom::parser array_parser;
  const std::string array_json = "[1,2]";
  const json::FieldSet<1> none(array_parser.parse(array_json).value(), {"a"});
  EXPECT_FALSE(none.Get(0).has_value());
}

}  // namespace
}  // namespace earshot::ingest
