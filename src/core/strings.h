// Small ASCII string helpers shared by every module.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace earshot {

inline char AsciiToLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }
inline bool IsAsciiSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
inline bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsAsciiAlpha(char c) { return (c | 32) >= 'a' && (c | 32) <= 'z'; }

std::string AsciiLower(std::string_view s);
bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b);
bool StartsWithIgnoreAsciiCase(std::string_view s, std::string_view prefix);
std::string_view TrimAscii(std::string_view s);
// Splits on `sep`, keeping empty pieces.
std::vector<std::string_view> Split(std::string_view s, char sep);
// Parses a whole decimal integer (optional sign); nullopt on any junk or overflow.
std::optional<int64_t> ParseInt64(std::string_view s);
// Parses a whole decimal floating-point number; nullopt on junk.
std::optional<double> ParseDouble(std::string_view s);
// Collapses runs of whitespace to one space and trims both ends.
std::string CollapseWhitespace(std::string_view s);

}  // namespace earshot
