// Sources: feed URLs (RSS/Atom, or any format a connector reads) that the
// server polls on an interval. The list lives in <data>/sources.db (SQLite,
// WAL); fetching uses libcurl with conditional requests (ETag,
// Last-Modified), so an unchanged feed costs one 304; what a fetch brings is
// handed to the caller's ingest function, which stores it like any upload.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/mention.h"
#include "core/status.h"

namespace earshot::sources {

struct Source {
  int64_t id = 0;
  std::string url;                  // http:// or https:// only
  std::string format = "auto";      // connector name or "auto"
  std::optional<Channel> channel;   // forced channel (a news site's feed is news)
  int interval_s = 900;             // between polls, seconds: 60 (a minute) to 604800 (a week)
  int64_t created_at_ms = 0;
  std::string created_by;
  // The last poll: when, HTTP status (0 when no response), "ok",
  // "not_modified" or the error, and what it stored.
  int64_t last_polled_ms = 0;
  int last_http_status = 0;
  std::string last_result;
  int64_t last_stored = 0;
  int64_t last_rejected = 0;
  int64_t total_stored = 0;  // over all polls
  // Of those stored, exact copies of a text already stored (reshares,
  // copy-pastes), whose text is kept once: the last poll's and all polls'.
  int64_t last_text_copies = 0;
  int64_t total_text_copies = 0;
  int64_t polls = 0;
  std::string etag;           // validators from the last 200
  std::string last_modified;
};

// What ingesting one fetched body gave (the caller's ingest function).
struct IngestCounts {
  int64_t read = 0;
  int64_t stored = 0;
  int64_t updated = 0;
  int64_t duplicates = 0;
  int64_t text_copies = 0;  // of stored + updated: exact copies of a stored text
  int64_t rejected = 0;
  std::string error;  // the body as a whole could not be read ("" when it could)
};

// Stores `body` fetched from `source` (named `name` in messages) and says
// what happened. Called from the poller thread.
using IngestFn = std::function<IngestCounts(const Source& source, const std::string& name, std::string_view body)>;

struct FetchOptions {
  int64_t timeout_ms = 20'000;
  int64_t max_bytes = 32LL << 20;  // larger bodies are refused, not truncated
  int max_redirects = 5;
  std::string user_agent = "Earshot/0.1 (+self-hosted social listening)";
};

struct FetchResult {
  int http_status = 0;
  std::string body;
  std::string etag;
  std::string last_modified;
  bool not_modified = false;  // 304
};

// One conditional GET of `url` with the validators given. Errors: a
// non-http(s) URL (InvalidArgument), network failures and timeouts
// (Unavailable, with curl's message), bodies over max_bytes
// (ResourceExhausted), HTTP status >= 400 (Unavailable naming the status).
Result<FetchResult> Fetch(const std::string& url, const std::string& etag, const std::string& last_modified,
                          const FetchOptions& options);

// The list of sources, and the thread that polls them. Thread-safe.
class SourcePoller {
 public:
  // Opens (creating) <data_dir>/sources.db. The polling thread starts with
  // Start().
  static Result<std::unique_ptr<SourcePoller>> Open(const std::string& data_dir, IngestFn ingest,
                                                    const FetchOptions& fetch = {});
  virtual ~SourcePoller() = default;

  // InvalidArgument for a URL that is not http(s) or an interval out of
  // range; AlreadyExists for a URL already listed. The new source is due at once.
  virtual Result<Source> Add(const std::string& url, const std::string& format, std::optional<Channel> channel,
                             int interval_s, const std::string& created_by) = 0;
  virtual Result<std::vector<Source>> List() = 0;
  virtual Result<Source> Get(int64_t id) = 0;
  virtual Status Remove(int64_t id) = 0;
  // Polls one source now on the caller's thread and returns it updated.
  virtual Result<Source> PollNow(int64_t id) = 0;

  // Starts / stops the background thread that polls each source when due.
  // Stop() waits for a poll in progress; the destructor stops.
  virtual void Start() = 0;
  virtual void Stop() = 0;
};

}  // namespace earshot::sources
