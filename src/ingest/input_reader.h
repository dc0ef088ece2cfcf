// Reads input files (or stdin), detects their format, frames them (lines or
// whole documents) and hands them to the right connector. One bad record is
// reported and skipped; it never stops the file, and one bad file never
// stops the run.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "ingest/connector.h"

namespace earshot::ingest {

struct InputOptions {
  // Format name, or "auto" to detect it per file from its content.
  std::string format = "auto";
  // A record (a JSON line, a feed item, a CSV row) larger than this is rejected.
  size_t max_record_bytes = 1 << 20;
  // A document-framed file (feed, Reddit listing, Mastodon array) larger than
  // this is rejected whole: it would have to be held in memory.
  size_t max_document_bytes = 256u << 20;
  // Forces the channel of every mention (e.g. news for a news site's feed).
  std::optional<Channel> channel;
  // CSV: field=column overrides of the header mapping.
  std::vector<std::pair<std::string, std::string>> csv_mapping;
};

// Receives progress: bytes consumed so far of the current file.
using ProgressFn = std::function<void(int64_t bytes_done)>;

// Returns the files to read for `paths`: files as given, directories walked
// recursively in sorted order (hidden files skipped), "-" kept for stdin.
// NotFound names a path that does not exist.
Result<std::vector<std::string>> ExpandPaths(const std::vector<std::string>& paths);

// Reads one file ("-" = stdin) and reports each of its records to `sink`.
// Returns non-OK when the file as a whole could not be read (missing,
// unknown format, not the format it claims); records already reported stay.
Status ReadInput(const std::string& path, const InputOptions& options, RecordSink& sink,
                 const ProgressFn& progress = nullptr);

// Reads `content` held in memory (an HTTP request body, a fetched feed)
// exactly as ReadInput reads a file; `name` stands for the file in messages
// and gives CSV sources their label.
Status ReadBuffer(const std::string& name, std::string_view content, const InputOptions& options,
                  RecordSink& sink);

// Returns the size of `path` in bytes, or -1 (stdin, pipes).
int64_t InputSize(const std::string& path);

}  // namespace earshot::ingest
