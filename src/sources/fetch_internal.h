// Internals of the sources module shared by fetch.cc, source_poller.cc and
// the tests; not part of the module's interface (sources/sources.h).
#pragma once

#include <atomic>
#include <string>
#include <string_view>

#include "core/status.h"
#include "sources/sources.h"

namespace earshot::sources::internal {

// Longest source URL accepted, in bytes.
inline constexpr size_t kMaxUrlBytes = 2048;

// Returns `url` with its scheme and host lower-cased when it is an absolute
// http:// or https:// URL with a host, at most kMaxUrlBytes long, without
// whitespace or control characters; otherwise InvalidArgument saying why.
Result<std::string> NormalizeUrl(std::string_view url);

// Returns InvalidArgument naming the first field of `options` out of range.
Status ValidateFetchOptions(const FetchOptions& options);

// What one fetch gave. `result.http_status` is set even when `status` is an
// error (404), and 0 when no response came.
struct FetchOutcome {
  Status status;
  FetchResult result;
  bool cancelled = false;  // stopped because *cancel became true
};

// Does what Fetch() does, keeping the HTTP status of a failed fetch. When
// `cancel` is not null, the transfer is abandoned (Unavailable, `cancelled`)
// soon after *cancel becomes true; the caller keeps ownership of it.
FetchOutcome FetchWithOutcome(const std::string& url, const std::string& etag, const std::string& last_modified,
                              const FetchOptions& options, const std::atomic<bool>* cancel);

}  // namespace earshot::sources::internal
