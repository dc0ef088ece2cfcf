// UTF-8 validation, repair and decoding. Every string that enters a Mention
// is valid UTF-8; these functions are how connectors make it so.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace earshot {

inline constexpr char32_t kReplacementChar = 0xFFFD;

// Returns true when `s` is well-formed UTF-8 (no overlongs, no surrogates).
bool IsValidUtf8(std::string_view s);

// Returns true when `s` is well-formed UTF-8 and holds no C0 control other
// than tab, newline and carriage return: a string connectors keep as it is.
bool IsCleanUtf8(std::string_view s);

// Returns the byte offset of the first ill-formed sequence, or npos.
size_t FindInvalidUtf8(std::string_view s);

// Returns `s` with each ill-formed sequence replaced by U+FFFD and each C0
// control other than tab, newline and carriage return removed.
std::string SanitizeUtf8(std::string_view s);

// Decodes one code point at `pos`, advancing it; ill-formed input yields
// U+FFFD and advances by one byte. REQUIRES: pos < s.size().
char32_t DecodeUtf8(std::string_view s, size_t& pos);

// Appends the UTF-8 encoding of `cp` (U+FFFD for invalid code points).
void AppendUtf8(std::string& out, char32_t cp);

// Returns the ISO-8859-1 (Latin-1) text `s` converted to UTF-8.
std::string Latin1ToUtf8(std::string_view s);

// Returns the Windows-1252 text `s` converted to UTF-8.
std::string Windows1252ToUtf8(std::string_view s);

// Returns `s` cut to at most `max_bytes` without splitting a code point.
std::string_view TruncateUtf8(std::string_view s, size_t max_bytes);

}  // namespace earshot

namespace earshot {

// Repairs "mojibake": UTF-8 text that was decoded as Windows-1252 (or
// Latin-1) and encoded again, as in "weâ€™re" for "we’re" or "Ð¯Ð½Ð´ÐµÐºÑ"
// for "Яндекс". Each run of characters that maps back to single bytes is
// replaced only when those bytes form valid multi-byte UTF-8, so genuine
// Latin-1 text ("Café", "Göteborg") is left alone. Returns true when
// anything changed.
bool RepairMojibake(std::string& text);

}  // namespace earshot
