// Connectors turn one real source format into Mentions, one result per
// record: a bad record is reported through the sink and never stops the
// records around it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/mention.h"
#include "core/status.h"

namespace earshot::ingest {

// Where a record sits in its input, for error messages and rejected/ files.
struct RecordRef {
  int64_t line = 0;   // 1-based line where the record starts; 0 when unknown
  int64_t index = 0;  // 1-based ordinal of the record within the file
};

// Receives what a connector reads. Not thread-safe; one sink per file.
class RecordSink {
 public:
  virtual ~RecordSink() = default;
  // A record that became a Mention.
  virtual void OnMention(Mention mention, const RecordRef& ref) = 0;
  // The same for a connector that refills one Mention per record: the sink
  // takes `mention` (moves from it or swaps a spent Mention into it, whose
  // buffers the connector then reuses); the caller Recycle()s it afterwards.
  virtual void OnRecycledMention(Mention& mention, const RecordRef& ref) { OnMention(std::move(mention), ref); }
  // A record that is a post but could not become a Mention: `reason` says
  // why and names the field; `raw` is the record's source text.
  virtual void OnReject(const RecordRef& ref, std::string reason, std::string_view raw) = 0;
  // A well-formed record that carries no post (a stream keep-alive or
  // disconnect notice, a like, a compliance event, a deleted item).
  virtual void OnSkip(const RecordRef& ref, std::string reason) = 0;
};

// How the ingest driver hands input to a connector.
enum class Framing {
  kLines,     // JSON lines: Parse() is called once per non-blank line
  kDocument,  // one document per file: Parse() is called once with it all
};

struct ParseContext {
  std::string_view file;      // name used in messages ("-" for stdin)
  int64_t line = 1;           // kLines: the line number of this call's input
  int64_t first_index = 1;    // index to give the first record of this call
  size_t max_record_bytes = 1 << 20;  // a record larger than this is rejected
  std::optional<Channel> channel{};   // the channel when the record does not say (CLI --channel)
  std::string source_name{};  // CSV: the source label, e.g. "sanders"
  std::vector<std::pair<std::string, std::string>> csv_mapping{};  // CSV: field=column overrides
};

class Connector {
 public:
  virtual ~Connector() = default;
  // Returns the format name ("x", "feed", ...).
  virtual std::string_view Name() const = 0;
  virtual Framing framing() const = 0;
  // Parses `input` and reports each record to `sink`, in input order. The
  // next record's index is ctx.first_index + (records reported so far).
  // Returns non-OK only when the input as a whole cannot be read (not XML,
  // not JSON); records reported before that stay reported.
  // REQUIRES: `input` outlives the call only.
  virtual Status Parse(std::string_view input, const ParseContext& ctx, RecordSink& sink) = 0;
};

// Names of every format, in detection order.
std::vector<std::string_view> FormatNames();

// Returns a new connector for `format` ("x", "feed", "mastodon", "bluesky",
// "hn", "reddit", "csv"), or InvalidArgument naming the known formats.
Result<std::unique_ptr<Connector>> MakeConnector(std::string_view format);

// Returns the format of a file from its first bytes (up to 64 KiB), or
// InvalidArgument saying what the content looked like.
Result<std::string> DetectFormat(std::string_view head);

}  // namespace earshot::ingest
