#include "ingest/json_fields.h"

#include <cmath>

#include "core/strings.h"
#include "ingest/json_util.h"

namespace earshot::ingest::json {

using simdjson::dom::element;
using simdjson::dom::element_type;

std::optional<element> StrictFields::Get(std::string_view key) const { return Field(obj_, key); }

void StrictFields::WrongType(std::string_view key, std::string_view expected, element value) {
  if (!status_.ok()) return;
  status_ = Status::InvalidArgument("field \"" + std::string(key) + "\": expected " + std::string(expected) + ", got " +
                                    std::string(TypeName(value)));
}

std::string_view StrictFields::String(std::string_view key) {
  std::optional<element> value = Get(key);
  if (!value) return {};
  std::string_view s;
  if (value->get_string().get(s) != simdjson::SUCCESS) {
    WrongType(key, "a string", *value);
    return {};
  }
  return s;
}

std::optional<int64_t> StrictFields::Int64(std::string_view key) {
  std::optional<element> value = Get(key);
  if (!value) return std::nullopt;
  int64_t i = 0;
  if (value->get_int64().get(i) == simdjson::SUCCESS) return i;
  double d = 0;
  // Some dumps write counts as 11.0; accept integral doubles in int64 range.
  if (value->is_double() && value->get_double().get(d) == simdjson::SUCCESS && std::isfinite(d) &&
      d == std::trunc(d) && std::fabs(d) < 9.2e18) {
    return static_cast<int64_t>(d);
  }
  WrongType(key, "an integer", *value);
  return std::nullopt;
}

std::optional<double> StrictFields::Double(std::string_view key) {
  std::optional<element> value = Get(key);
  if (!value) return std::nullopt;
  double d = 0;
  if (value->get_double().get(d) != simdjson::SUCCESS) {
    WrongType(key, "a number", *value);
    return std::nullopt;
  }
  return d;
}

bool StrictFields::Bool(std::string_view key) {
  std::optional<element> value = Get(key);
  if (!value) return false;
  bool b = false;
  if (value->get_bool().get(b) != simdjson::SUCCESS) {
    WrongType(key, "a boolean", *value);
    return false;
  }
  return b;
}

std::optional<simdjson::dom::array> StrictFields::Array(std::string_view key) {
  std::optional<element> value = Get(key);
  if (!value) return std::nullopt;
  simdjson::dom::array a;
  if (value->get_array().get(a) != simdjson::SUCCESS) {
    WrongType(key, "an array", *value);
    return std::nullopt;
  }
  return a;
}

std::optional<simdjson::dom::object> StrictFields::Object(std::string_view key) {
  std::optional<element> value = Get(key);
  if (!value) return std::nullopt;
  simdjson::dom::object o;
  if (value->get_object().get(o) != simdjson::SUCCESS) {
    WrongType(key, "an object", *value);
    return std::nullopt;
  }
  return o;
}

std::string StrictFields::Id(std::string_view key) {
  std::optional<element> value = Get(key);
  if (!value) return {};
  std::string id = IdText(*value);
  bool digits = !id.empty();
  for (char c : id) digits &= IsAsciiDigit(c);
  if (!digits) {
    WrongType(key, "an integer id", *value);
    return {};
  }
  return id;
}

}  // namespace earshot::ingest::json
