// Timestamps: every time in Earshot is int64 milliseconds since the Unix
// epoch, UTC. These parsers accept the date formats real sources emit.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace earshot {

// Returns days since 1970-01-01 for a proleptic Gregorian date.
// Returns the current time, ms since the Unix epoch.
int64_t NowMs();

int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day);

// Parses RFC 3339 / ISO 8601 ("2021-04-01T15:52:31.000Z", "...-05:00",
// "2023-07-21T01:33:51.481951" without zone = UTC, date-only "2017-01-07").
Result<int64_t> ParseRfc3339(std::string_view s);

// Parses RFC 822/1123 dates as feeds write them, leniently: optional
// weekday, 2- or 4-digit year, optional seconds, numeric zones (+0300) and
// named zones (GMT, UT, Z, EST, EDT, CST, CDT, MST, MDT, PST, PDT).
Result<int64_t> ParseRfc822(std::string_view s);

// Parses the Twitter v1.1 / Sanders form "Tue Oct 18 21:53:25 +0000 2011".
Result<int64_t> ParseTwitterV1Date(std::string_view s);

// Tries RFC 3339, then RFC 822, then the Twitter v1.1 form, then a bare
// number of seconds (or milliseconds when > 1e11) since the epoch.
Result<int64_t> ParseAnyDate(std::string_view s);

// Formats `ms` as "2021-04-01T15:52:31.000Z".
std::string FormatRfc3339(int64_t ms);

}  // namespace earshot
