// Strict typed access to the members of one JSON record. json_util.h's
// accessors fall back silently on a wrong type; a connector that must reject
// a record whose "score" is a string or whose "time" is an object reads it
// through StrictFields, which remembers the first such error.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace earshot::ingest::json {

// Reads members of one JSON object. A missing or null member is absent (the
// accessors return "", nullopt or false); a member of another type is also
// returned as absent and recorded, so status() names the first bad field.
// Views returned point into the parser's DOM. Not thread-safe.
class StrictFields {
 public:
  // Keeps `obj` (a DOM view, two pointers). REQUIRES: `obj` is an object.
  explicit StrictFields(simdjson::dom::element obj) : obj_(obj) {}

  // Returns the string member `key`, or "" when absent.
  std::string_view String(std::string_view key);
  // Returns the integer member `key` (an integral double counts), or nullopt.
  std::optional<int64_t> Int64(std::string_view key);
  // Returns the numeric member `key` as a double, or nullopt.
  std::optional<double> Double(std::string_view key);
  // Returns the boolean member `key`, or false when absent.
  bool Bool(std::string_view key);
  // Returns the array member `key`, or nullopt.
  std::optional<simdjson::dom::array> Array(std::string_view key);
  // Returns the object member `key`, or nullopt.
  std::optional<simdjson::dom::object> Object(std::string_view key);
  // Returns the id member `key` as exact decimal text (a JSON integer or a
  // string of digits), or "" when absent.
  std::string Id(std::string_view key);

  // Returns OK, or InvalidArgument naming the first member of a wrong type:
  // `field "score": expected an integer, got string`.
  const Status& status() const { return status_; }

 private:
  // Returns the member `key` unless absent or null.
  std::optional<simdjson::dom::element> Get(std::string_view key) const;
  // Records that member `key` holds `value` where `expected` was needed.
  void WrongType(std::string_view key, std::string_view expected, simdjson::dom::element value);

  simdjson::dom::element obj_;
  Status status_;
};

}  // namespace earshot::ingest::json
