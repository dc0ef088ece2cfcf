// Printing for the CLI: JSON encodings of results (stable keys that
// scripts rely on) and terminal-safe rendering of untrusted text.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/mention.h"
#include "core/status.h"

namespace earshot::cli {

// Returns `s` with control characters, ANSI escapes and bidirectional
// overrides made visible (\x1b → "\x1b" text), newlines as spaces, cut to
// `max_bytes` (0 = no cut). Every mention field printed to a terminal goes
// through this: mention text is untrusted.
std::string TerminalSafe(std::string_view s, size_t max_bytes = 0);

// Returns the JSON form of a mention (every field of the model).
nlohmann::json MentionJson(const Mention& m);

// Prints `status` to stderr as "earshot: <context>: <message>".
void PrintError(std::string_view context, const Status& status);

// Formats 1234567 as "1,234,567".
std::string Thousands(int64_t v);

}  // namespace earshot::cli
