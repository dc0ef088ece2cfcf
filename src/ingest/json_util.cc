#include "ingest/json_util.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <utility>

#include "core/strings.h"
#include "core/utf8.h"
#include "ingest/normalize.h"

namespace earshot::ingest::json {

using simdjson::dom::element;
using simdjson::dom::element_type;

std::optional<element> Field(element obj, std::string_view key) {
  simdjson::dom::object o;
  if (obj.get_object().get(o) != simdjson::SUCCESS) return std::nullopt;
  element value;
  if (o.at_key(key).get(value) != simdjson::SUCCESS || value.is_null()) return std::nullopt;
  return value;
}

bool HasField(element obj, std::string_view key) {
  simdjson::dom::object o;
  if (obj.get_object().get(o) != simdjson::SUCCESS) return false;
  return o.at_key(key).error() == simdjson::SUCCESS;
}

std::string_view GetString(element obj, std::string_view key, std::string_view fallback) {
  return StringValue(Field(obj, key), fallback);
}

std::string_view StringValue(std::optional<element> value, std::string_view fallback) {
  std::string_view s;
  if (!value || value->get_string().get(s) != simdjson::SUCCESS) return fallback;
  return s;
}

namespace {

std::optional<int64_t> AsInt64(element value) {
  switch (value.type()) {
    case element_type::INT64: return value.get_int64().value_unsafe();
    case element_type::UINT64: {
      uint64_t u = value.get_uint64().value_unsafe();
      if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return std::nullopt;
      return static_cast<int64_t>(u);
    }
    case element_type::DOUBLE: {
      double d = value.get_double().value_unsafe();
      // 2^63 is exactly representable; anything at or above it does not fit.
      if (!std::isfinite(d) || d != std::trunc(d) || d < -9.2233720368547758e18 || d >= 9.2233720368547758e18) {
        return std::nullopt;
      }
      return static_cast<int64_t>(d);
    }
    case element_type::STRING: return ParseInt64(TrimAscii(value.get_string().value_unsafe()));
    default: return std::nullopt;
  }
}

}  // namespace

int64_t GetInt64(element obj, std::string_view key, int64_t fallback) {
  std::optional<element> value = Field(obj, key);
  if (!value) return fallback;
  return AsInt64(*value).value_or(fallback);
}

int64_t GetCount(simdjson::dom::element obj, std::string_view key) { return CountValue(Field(obj, key)); }

int64_t CountValue(std::optional<element> value) { return AsCount(value ? AsInt64(*value) : std::nullopt); }

std::optional<double> GetDouble(element obj, std::string_view key) {
  std::optional<element> value = Field(obj, key);
  double d = 0;
  // get_double() converts int64/uint64 too.
  if (!value || value->get_double().get(d) != simdjson::SUCCESS) return std::nullopt;
  return d;
}

bool GetBool(element obj, std::string_view key, bool fallback) {
  std::optional<element> value = Field(obj, key);
  bool b = false;
  if (!value || value->get_bool().get(b) != simdjson::SUCCESS) return fallback;
  return b;
}

std::optional<simdjson::dom::array> GetArray(element obj, std::string_view key) {
  return ArrayValue(Field(obj, key));
}

std::optional<simdjson::dom::array> ArrayValue(std::optional<element> value) {
  simdjson::dom::array a;
  if (!value || value->get_array().get(a) != simdjson::SUCCESS) return std::nullopt;
  return a;
}

std::optional<simdjson::dom::object> GetObject(element obj, std::string_view key) {
  std::optional<element> value = Field(obj, key);
  simdjson::dom::object o;
  if (!value || value->get_object().get(o) != simdjson::SUCCESS) return std::nullopt;
  return o;
}

namespace {

void AssignIdText(element value, std::string& out) {
  char buf[24];
  switch (value.type()) {
    case element_type::STRING: out.assign(value.get_string().value_unsafe()); return;
    case element_type::INT64: {
      auto r = std::to_chars(buf, buf + sizeof(buf), value.get_int64().value_unsafe());
      out.assign(buf, r.ptr);
      return;
    }
    case element_type::UINT64: {
      auto r = std::to_chars(buf, buf + sizeof(buf), value.get_uint64().value_unsafe());
      out.assign(buf, r.ptr);
      return;
    }
    default: out.clear();
  }
}

}  // namespace

std::string IdText(element value) {
  std::string out;
  AssignIdText(value, out);
  return out;
}

void GetIdInto(element obj, std::string_view key, std::string& out) { IdValueInto(Field(obj, key), out); }

void IdValueInto(std::optional<element> value, std::string& out) {
  if (value) {
    AssignIdText(*value, out);
  } else {
    out.clear();
  }
}

std::string GetId(element obj, std::string_view key) {
  std::string out;
  GetIdInto(obj, key, out);
  return out;
}

std::string_view TypeName(element value) {
  switch (value.type()) {
    case element_type::ARRAY: return "array";
    case element_type::OBJECT: return "object";
    case element_type::INT64:
    case element_type::UINT64: return "integer";
    case element_type::DOUBLE: return "number";
    case element_type::STRING: return "string";
    case element_type::BOOL: return "boolean";
    case element_type::NULL_VALUE: return "null";
  }
  return "unknown";
}

std::string KeyList(element obj) {
  std::string keys;
  simdjson::dom::object o;
  if (obj.get_object().get(o) != simdjson::SUCCESS) return keys;
  for (auto field : o) {
    if (!keys.empty()) keys += ", ";
    keys.append(field.key);
  }
  return keys;
}

void AddUnique(std::vector<std::string>& list, std::string_view value) {
  if (value.empty()) return;
  if (std::find(list.begin(), list.end(), value) == list.end()) list.emplace_back(value);
}

std::string ToJson(element value) { return simdjson::minify(value); }

std::string_view ErrorText(simdjson::error_code error) { return simdjson::error_message(error); }

std::string CleanText(std::string_view s) { return IsCleanUtf8(s) ? std::string(s) : SanitizeUtf8(s); }

void CleanTextInto(std::string_view s, std::string& out) {
  if (IsCleanUtf8(s)) {
    out.assign(s);
  } else {
    out = SanitizeUtf8(s);
  }
}

std::string PrimaryLanguage(std::string_view tag) {
  std::string_view primary = tag.substr(0, tag.find_first_of("-_"));
  primary = TrimAscii(primary);
  if (primary.size() < 2 || primary.size() > 8) return "";
  for (char c : primary) {
    if (!IsAsciiAlpha(c)) return "";
  }
  return AsciiLower(primary);
}

int64_t FirstContentLine(std::string_view input, int64_t first_line) {
  int64_t line = first_line;
  for (char c : input) {
    if (c == '\n') {
      ++line;
    } else if (!IsAsciiSpace(c)) {
      return line;
    }
  }
  return first_line;
}

bool RecordEmitter::Prepare(Mention& mention, int64_t line) {
  if (ctx_.channel) mention.channel = *ctx_.channel;
  // A "\u001b"-style escape decodes to a control character in any string
  // a connector copies, an id or a handle as much as the text.
  CleanMentionStrings(mention);
  if (mention.external_id.empty()) {
    Reject(line, "line " + std::to_string(line) + ": the post's id holds only control characters", "");
    return false;
  }
  return true;
}

void RecordEmitter::Emit(Mention mention, int64_t line) {
  if (Prepare(mention, line)) sink_.OnMention(std::move(mention), NextRef(line));
}

void RecordEmitter::EmitRecycled(Mention& mention, int64_t line) {
  if (Prepare(mention, line)) sink_.OnRecycledMention(mention, NextRef(line));
  mention.Recycle();
}

void RecordEmitter::Reject(int64_t line, std::string reason, std::string_view raw) {
  sink_.OnReject(NextRef(line), std::move(reason), raw);
}

void RecordEmitter::Skip(int64_t line, std::string reason) { sink_.OnSkip(NextRef(line), std::move(reason)); }

namespace {

std::string InvalidJsonMessage(simdjson::error_code error) { return "invalid JSON: " + std::string(ErrorText(error)); }

std::string TooLongMessage(size_t size, size_t limit) {
  return "record of " + std::to_string(size) + " bytes exceeds the limit of " + std::to_string(limit) + " bytes";
}

struct ParsedLine {
  element value;
  std::string error;  // empty when `value` holds the line's JSON
};

ParsedLine ParseLine(simdjson::dom::parser& parser, std::string_view line, size_t max_line_bytes) {
  ParsedLine out;
  if (line.size() > max_line_bytes) {
    out.error = TooLongMessage(line.size(), max_line_bytes);
  } else if (simdjson::error_code e = parser.parse(line.data(), line.size(), true).get(out.value); e) {
    out.error = InvalidJsonMessage(e);
  }
  return out;
}

struct BadLine {
  int64_t line;
  std::string error;
  std::string_view raw;
};

// JSON lines mode. Bad lines before the first good one are held back: if no
// line parses, the input is not JSON lines at all and the caller gets one
// error instead of a reject per line of, say, a truncated pretty-printed file.
Status ParseLines(simdjson::dom::parser& parser, std::string_view input, int64_t first_line, size_t max_line_bytes,
                  simdjson::error_code whole_error, JsonInputHandler& handler) {
  std::vector<BadLine> pending;
  bool any_good = false;
  int64_t line_no = first_line;
  for (size_t pos = 0; pos <= input.size(); ++line_no) {
    size_t end = std::min(input.find('\n', pos), input.size());
    std::string_view line = TrimAscii(input.substr(pos, end - pos));
    pos = end + 1;
    if (line.empty()) continue;
    ParsedLine parsed = ParseLine(parser, line, max_line_bytes);
    if (!parsed.error.empty()) {
      if (any_good) {
        handler.OnBadLine(line_no, std::move(parsed.error), line);
      } else {
        pending.push_back(BadLine{line_no, std::move(parsed.error), line});
      }
      continue;
    }
    if (!any_good) {
      any_good = true;
      for (BadLine& bad : pending) handler.OnBadLine(bad.line, std::move(bad.error), bad.raw);
      pending.clear();
    }
    handler.OnValue(parsed.value, line_no, line);
  }
  if (any_good) return Status::Ok();
  std::string msg = "not JSON: as one document: " + std::string(ErrorText(whole_error));
  if (!pending.empty()) msg += "; line " + std::to_string(pending.front().line) + ": " + pending.front().error;
  return Status::InvalidArgument(std::move(msg));
}

}  // namespace

Status ParseJsonInput(simdjson::dom::parser& parser, std::string_view input, const JsonInputOptions& options,
                      JsonInputHandler& handler) {
  std::string_view body = TrimAscii(input);
  if (body.empty()) return Status::Ok();
  int64_t start_line = FirstContentLine(input, options.first_line);
  bool one_line = body.find('\n') == std::string_view::npos;
  if (one_line && options.single_line == SingleLine::kRecord) {
    ParsedLine parsed = ParseLine(parser, body, options.max_line_bytes);
    if (parsed.error.empty()) {
      handler.OnValue(parsed.value, start_line, body);
    } else {
      handler.OnBadLine(start_line, std::move(parsed.error), body);
    }
    return Status::Ok();
  }
  element value;
  simdjson::error_code whole_error = parser.parse(body.data(), body.size(), true).get(value);
  if (whole_error == simdjson::SUCCESS) {
    handler.OnValue(value, start_line, body);
    return Status::Ok();
  }
  if (one_line) return Status::InvalidArgument("not JSON: " + std::string(ErrorText(whole_error)));
  return ParseLines(parser, input, options.first_line, options.max_line_bytes, whole_error, handler);
}

}  // namespace earshot::ingest::json
