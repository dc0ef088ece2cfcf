// Internals of SourcePoller shared with its tests; not part of the module's
// interface (sources/sources.h).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/status.h"
#include "sources/sources.h"

namespace earshot::sources::internal {

// Bounds of Source::interval_s, in seconds (a minute to a week).
inline constexpr int kMinIntervalS = 60;
inline constexpr int kMaxIntervalS = 7 * 24 * 3600;

// Returns the current time in milliseconds since the Unix epoch.
using NowFn = std::function<int64_t()>;

// Returns whether `source` is due at `now_ms`: never polled, or polled at
// least interval_s ago.
bool IsDue(const Source& source, int64_t now_ms);

// Opens as SourcePoller::Open() does, reading the time from `now` (called
// from any thread, so it must be thread-safe); tests pass a clock they move.
Result<std::unique_ptr<SourcePoller>> OpenWithClock(const std::string& data_dir, IngestFn ingest,
                                                    const FetchOptions& fetch, NowFn now);

}  // namespace earshot::sources::internal
