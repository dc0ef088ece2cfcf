// Helpers shared by the JSON connectors (X, Mastodon, Bluesky, HN, Reddit):
// lenient typed field access on simdjson's DOM, exact ids, readable error
// text, splitting an input into JSON values or JSON lines, and reporting
// records to a sink with consecutive indexes.
//
// Every accessor takes a dom::element by value (it is two pointers) and
// never throws: a missing field, a null and a value of another type all
// yield the fallback. Views returned point into the parser's DOM and stay
// valid until that parser parses again.
#pragma once

#include <simdjson.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/mention.h"
#include "core/status.h"
#include "ingest/connector.h"

namespace earshot::ingest::json {

// Returns member `key` of `obj` when `obj` is an object holding a non-null
// value under `key`; nullopt otherwise.
std::optional<simdjson::dom::element> Field(simdjson::dom::element obj, std::string_view key);

// The members of some keys of one object, read in one pass over its
// members: a connector that reads a dozen keys of each post would otherwise
// walk the object once per key. Get(i) is what Field(obj, keys[i]) returns:
// the first member with that key, nullopt when it is missing or null.
template <size_t N>
class FieldSet {
 public:
  FieldSet(simdjson::dom::element obj, const std::array<std::string_view, N>& keys) {
    simdjson::dom::object o;
    if (obj.get_object().get(o) != simdjson::SUCCESS) return;
    std::array<bool, N> seen{};
    for (auto it = o.begin(), end = o.end(); it != end; ++it) {
      const size_t length = it.key_length();
      for (size_t i = 0; i < N; ++i) {
        if (seen[i] || keys[i].size() != length || std::memcmp(keys[i].data(), it.key_c_str(), length) != 0) continue;
        seen[i] = true;
        if (simdjson::dom::element v = it.value(); !v.is_null()) values_[i] = v;
        break;
      }
    }
  }
  std::optional<simdjson::dom::element> Get(size_t i) const { return values_[i]; }

 private:
  std::array<std::optional<simdjson::dom::element>, N> values_{};
};

// What the Get* functions below return for a member `value` (from Field or
// a FieldSet; nullopt when missing).
std::string_view StringValue(std::optional<simdjson::dom::element> value, std::string_view fallback = {});
int64_t CountValue(std::optional<simdjson::dom::element> value);
std::optional<simdjson::dom::array> ArrayValue(std::optional<simdjson::dom::element> value);
void IdValueInto(std::optional<simdjson::dom::element> value, std::string& out);

// Returns true when `obj` is an object that has member `key` (null or not).
bool HasField(simdjson::dom::element obj, std::string_view key);

// Returns the string member `key` of `obj`, or `fallback` when it is
// missing, null or not a string.
std::string_view GetString(simdjson::dom::element obj, std::string_view key, std::string_view fallback = {});

// Returns the integer member `key` of `obj`. Accepts JSON integers that fit
// in int64, integral doubles, and strings holding a decimal integer (some
// APIs quote counts, e.g. X's "edits_remaining": "4"); `fallback` otherwise.
int64_t GetInt64(simdjson::dom::element obj, std::string_view key, int64_t fallback);

// Returns the count member `key` of `obj` as the Mention model keeps counts:
// -1 when it is missing or not an integer, 0 for a negative value (a net
// score below zero, or bad data), else the value. See AsCount.
int64_t GetCount(simdjson::dom::element obj, std::string_view key);

// Returns `v` as a Mention count: -1 for nullopt, 0 for negatives.
inline int64_t AsCount(std::optional<int64_t> v) { return !v ? -1 : (*v < 0 ? 0 : *v); }

// Returns the numeric member `key` of `obj` as a double (integers
// included), or nullopt when it is missing or not a number.
std::optional<double> GetDouble(simdjson::dom::element obj, std::string_view key);

// Returns the boolean member `key` of `obj`, or `fallback`.
bool GetBool(simdjson::dom::element obj, std::string_view key, bool fallback);

// Returns the array member `key` of `obj`, or nullopt.
std::optional<simdjson::dom::array> GetArray(simdjson::dom::element obj, std::string_view key);

// Returns the object member `key` of `obj`, or nullopt.
std::optional<simdjson::dom::object> GetObject(simdjson::dom::element obj, std::string_view key);

// Returns `value` as exact decimal id text: a string as written, a JSON
// integer (int64 or uint64) printed exactly, never through a double.
// Returns "" for null, doubles, and every other type.
std::string IdText(simdjson::dom::element value);

// Returns IdText of member `key` of `obj`, or "" when it is missing.
std::string GetId(simdjson::dom::element obj, std::string_view key);
// As GetId, into `out` (replacing its contents, reusing its buffer).
void GetIdInto(simdjson::dom::element obj, std::string_view key, std::string& out);

// Returns the member names of object `obj`, comma-separated, for messages.
std::string KeyList(simdjson::dom::element obj);

// Appends `value` to `list` unless it is empty or already there. Linear:
// meant for the few links, tags and handles of one post.
void AddUnique(std::vector<std::string>& list, std::string_view value);

// Returns "object", "array", "string", "integer", "number", "boolean" or
// "null" for messages.
std::string_view TypeName(simdjson::dom::element value);

// Returns the minified JSON text of `value` (for the `raw` of a reject).
std::string ToJson(simdjson::dom::element value);

// Returns simdjson's message for `error`.
std::string_view ErrorText(simdjson::error_code error);

// Returns `s` as valid UTF-8 without C0 controls other than tab, newline and
// carriage return (copies; repairs only when needed). JSON strings decode
// "\u0000"-style escapes into such controls.
std::string CleanText(std::string_view s);
// As CleanText, into `out` (replacing its contents, reusing its buffer).
void CleanTextInto(std::string_view s, std::string& out);

// Returns the lower-case primary subtag of BCP 47 tag `tag` ("en-US" ->
// "en"), or "" when `tag` is empty or not alphabetic.
std::string PrimaryLanguage(std::string_view tag);

// Returns the first 1-based line number in `input` (counting from
// `first_line`) that holds a non-whitespace byte; `first_line` if none.
int64_t FirstContentLine(std::string_view input, int64_t first_line);

// Reports records to a sink, giving each the next index
// (ctx.first_index, ctx.first_index + 1, ...). Keeps references to `ctx`
// and `sink`; both must outlive it.
class RecordEmitter {
 public:
  RecordEmitter(const ParseContext& ctx, RecordSink& sink) : ctx_(ctx), sink_(sink) {}

  // Reports `mention` as the record starting at `line`; applies ctx.channel.
  // Cleans every string field first (CleanMentionStrings: ids, handles,
  // links and tags too); a mention whose external id held nothing but
  // control characters is rejected instead.
  void Emit(Mention mention, int64_t line);
  // As Emit, for a Mention the connector refills for each record (see
  // RecordSink::OnRecycledMention); `mention` is recycled before it returns.
  void EmitRecycled(Mention& mention, int64_t line);
  // Reports a post that could not become a Mention.
  void Reject(int64_t line, std::string reason, std::string_view raw);
  // Reports a well-formed record that carries no post.
  void Skip(int64_t line, std::string reason);
  // Returns the number of records reported so far.
  int64_t count() const { return count_; }

 private:
  RecordRef NextRef(int64_t line) { return RecordRef{.line = line, .index = ctx_.first_index + count_++}; }
  // Applies ctx.channel and cleans `mention`; false (and rejected) when it has no usable id.
  bool Prepare(Mention& mention, int64_t line);

  const ParseContext& ctx_;
  RecordSink& sink_;
  int64_t count_ = 0;
};

// Receives what ParseJsonInput reads. Views passed in live until the
// callback returns (values) or until ParseJsonInput returns (raw text).
class JsonInputHandler {
 public:
  virtual ~JsonInputHandler() = default;
  // A JSON value that starts on `line`; `raw` is its source text.
  virtual void OnValue(simdjson::dom::element value, int64_t line, std::string_view raw) = 0;
  // A line that is not valid JSON (or exceeds the size limit); `error` says why.
  virtual void OnBadLine(int64_t line, std::string error, std::string_view raw) = 0;
};

// How ParseJsonInput treats input that is a single line.
enum class SingleLine {
  kRecord,    // one JSON-lines record: bad JSON or excess size is OnBadLine
  kDocument,  // a whole minified document: no size limit, bad JSON an error
};

struct JsonInputOptions {
  int64_t first_line = 1;           // number of the input's first line
  size_t max_line_bytes = 1 << 20;  // longer JSON lines are OnBadLine
  SingleLine single_line = SingleLine::kRecord;
};

// Parses `input` with `parser` and hands each JSON value to `handler`:
//  - input holding one line: that line (see SingleLine);
//  - several lines holding one JSON value (a pretty-printed document): it,
//    whatever its size;
//  - otherwise JSON lines: each non-blank line in order, each invalid or
//    oversized line an OnBadLine naming it.
// Blank input reports nothing. Returns InvalidArgument (and reports
// nothing) when the input is a single-line kDocument that is not JSON, or
// has several lines and neither the whole nor any line is valid JSON.
Status ParseJsonInput(simdjson::dom::parser& parser, std::string_view input, const JsonInputOptions& options,
                      JsonInputHandler& handler);

}  // namespace earshot::ingest::json
