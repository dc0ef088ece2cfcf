#include "core/time.h"

#include <array>
#include <chrono>
#include <cstdio>

#include "core/strings.h"

namespace earshot {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}
namespace {

constexpr int64_t kMsPerDay = 86'400'000;

// Reads exactly `n` digits at `pos`; advances pos.
bool ReadDigits(std::string_view s, size_t& pos, size_t n, int64_t& out) {
  if (pos + n > s.size()) return false;
  int64_t v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (!IsAsciiDigit(c)) return false;
    v = v * 10 + (c - '0');
  }
  pos += n;
  out = v;
  return true;
}

// Reads 1..max digits.
bool ReadUpTo(std::string_view s, size_t& pos, size_t max, int64_t& out) {
  size_t start = pos;
  int64_t v = 0;
  while (pos < s.size() && pos - start < max && IsAsciiDigit(s[pos])) v = v * 10 + (s[pos++] - '0');
  out = v;
  return pos > start;
}

void SkipSpaces(std::string_view s, size_t& pos) {
  while (pos < s.size() && (IsAsciiSpace(s[pos]) || s[pos] == ',')) ++pos;
}

std::string_view ReadWord(std::string_view s, size_t& pos) {
  size_t start = pos;
  while (pos < s.size() && IsAsciiAlpha(s[pos])) ++pos;
  return s.substr(start, pos - start);
}

int MonthFromName(std::string_view w) {
  static constexpr std::array<std::string_view, 12> kMonths = {"jan", "feb", "mar", "apr", "may", "jun",
                                                               "jul", "aug", "sep", "oct", "nov", "dec"};
  if (w.size() < 3) return 0;
  for (size_t i = 0; i < kMonths.size(); ++i) {
    if (EqualsIgnoreAsciiCase(w.substr(0, 3), kMonths[i])) return static_cast<int>(i) + 1;
  }
  return 0;
}

bool ValidDate(int64_t y, int64_t mo, int64_t d, int64_t h, int64_t mi, int64_t sec) {
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return y >= 0 && y <= 9999 && mo >= 1 && mo <= 12 && d >= 1 && d <= kDays[mo - 1] && h >= 0 && h <= 24 &&
         mi >= 0 && mi <= 59 && sec >= 0 && sec <= 60;
}

int64_t Compose(int64_t y, int64_t mo, int64_t d, int64_t h, int64_t mi, int64_t sec, int64_t ms,
                int64_t offset_minutes) {
  int64_t days = DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  return days * kMsPerDay + ((h * 60 + mi - offset_minutes) * 60 + sec) * 1000 + ms;
}

Status Bad(std::string_view kind, std::string_view s) {
  std::string msg = "invalid ";
  msg += kind;
  msg += " date '";
  msg += s.substr(0, 64);
  msg += "'";
  return Status::InvalidArgument(std::move(msg));
}

// Parses "+hh:mm", "+hhmm", "+hh", "Z" or a named zone at pos. Returns false on junk.
bool ReadZone(std::string_view s, size_t& pos, int64_t& offset_minutes) {
  offset_minutes = 0;
  if (pos >= s.size()) return true;
  char c = s[pos];
  if (c == 'Z' || c == 'z') {
    ++pos;
    return true;
  }
  if (c == '+' || c == '-') {
    ++pos;
    int64_t hh = 0;
    int64_t mm = 0;
    if (!ReadDigits(s, pos, 2, hh)) return false;
    if (pos < s.size() && s[pos] == ':') ++pos;
    if (pos < s.size() && IsAsciiDigit(s[pos]) && !ReadDigits(s, pos, 2, mm)) return false;
    if (hh > 23 || mm > 59) return false;
    offset_minutes = (hh * 60 + mm) * (c == '-' ? -1 : 1);
    return true;
  }
  std::string_view w = ReadWord(s, pos);
  struct Named {
    std::string_view name;
    int hours;
  };
  static constexpr Named kZones[] = {{"ut", 0},  {"utc", 0}, {"gmt", 0},  {"z", 0},   {"est", -5},
                                     {"edt", -4}, {"cst", -6}, {"cdt", -5}, {"mst", -7}, {"mdt", -6},
                                     {"pst", -8}, {"pdt", -7}, {"cet", 1},  {"cest", 2}, {"bst", 1}};
  for (const Named& z : kZones) {
    if (EqualsIgnoreAsciiCase(w, z.name)) {
      offset_minutes = z.hours * 60;
      return true;
    }
  }
  return w.empty();
}

}  // namespace

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  // Howard Hinnant's days_from_civil.
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

Result<int64_t> ParseRfc3339(std::string_view in) {
  std::string_view s = TrimAscii(in);
  size_t pos = 0;
  int64_t y, mo, d, h = 0, mi = 0, sec = 0, ms = 0, off = 0;
  if (!ReadDigits(s, pos, 4, y) || pos >= s.size() || s[pos++] != '-' || !ReadDigits(s, pos, 2, mo) ||
      pos >= s.size() || s[pos++] != '-' || !ReadDigits(s, pos, 2, d)) {
    return Bad("RFC 3339", in);
  }
  if (pos < s.size()) {
    if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ') return Bad("RFC 3339", in);
    ++pos;
    if (!ReadDigits(s, pos, 2, h) || pos >= s.size() || s[pos++] != ':' || !ReadDigits(s, pos, 2, mi)) {
      return Bad("RFC 3339", in);
    }
    if (pos < s.size() && s[pos] == ':') {
      ++pos;
      if (!ReadDigits(s, pos, 2, sec)) return Bad("RFC 3339", in);
    }
    if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
      ++pos;
      size_t start = pos;
      int64_t frac = 0;
      while (pos < s.size() && IsAsciiDigit(s[pos])) {
        if (pos - start < 3) frac = frac * 10 + (s[pos] - '0');
        ++pos;
      }
      if (pos == start) return Bad("RFC 3339", in);
      for (size_t k = pos - start; k < 3; ++k) frac *= 10;
      ms = frac;
    }
    if (!ReadZone(s, pos, off) || pos != s.size()) return Bad("RFC 3339", in);
  }
  if (!ValidDate(y, mo, d, h, mi, sec)) return Bad("RFC 3339", in);
  return Compose(y, mo, d, h, mi, sec, ms, off);
}

Result<int64_t> ParseRfc822(std::string_view in) {
  std::string_view s = TrimAscii(in);
  size_t pos = 0;
  SkipSpaces(s, pos);
  // Optional weekday ("Tue," or "Tuesday,").
  if (pos < s.size() && IsAsciiAlpha(s[pos])) {
    size_t save = pos;
    std::string_view w = ReadWord(s, pos);
    if (MonthFromName(w) != 0 && w.size() <= 9) {
      pos = save;  // "Jan 07 2017" style: month first
    }
    SkipSpaces(s, pos);
  }
  int64_t d = 0, y = 0, h = 0, mi = 0, sec = 0, off = 0;
  int mo = 0;
  if (pos < s.size() && IsAsciiDigit(s[pos])) {
    if (!ReadUpTo(s, pos, 2, d)) return Bad("RFC 822", in);
    while (pos < s.size() && (s[pos] == ' ' || s[pos] == '-')) ++pos;
    mo = MonthFromName(ReadWord(s, pos));
  } else {
    mo = MonthFromName(ReadWord(s, pos));
    SkipSpaces(s, pos);
    if (!ReadUpTo(s, pos, 2, d)) return Bad("RFC 822", in);
  }
  if (mo == 0) return Bad("RFC 822", in);
  while (pos < s.size() && (s[pos] == ' ' || s[pos] == '-' || s[pos] == ',')) ++pos;
  size_t ystart = pos;
  if (!ReadUpTo(s, pos, 4, y)) return Bad("RFC 822", in);
  if (pos - ystart == 2) y += y < 50 ? 2000 : 1900;
  SkipSpaces(s, pos);
  if (pos < s.size() && IsAsciiDigit(s[pos])) {
    if (!ReadUpTo(s, pos, 2, h) || pos >= s.size() || s[pos++] != ':' || !ReadDigits(s, pos, 2, mi)) {
      return Bad("RFC 822", in);
    }
    if (pos < s.size() && s[pos] == ':') {
      ++pos;
      if (!ReadDigits(s, pos, 2, sec)) return Bad("RFC 822", in);
    }
  }
  SkipSpaces(s, pos);
  if (!ReadZone(s, pos, off)) return Bad("RFC 822", in);
  SkipSpaces(s, pos);
  if (pos != s.size()) return Bad("RFC 822", in);
  if (!ValidDate(y, mo, d, h, mi, sec)) return Bad("RFC 822", in);
  return Compose(y, mo, d, h, mi, sec, 0, off);
}

Result<int64_t> ParseTwitterV1Date(std::string_view in) {
  // "Tue Oct 18 21:53:25 +0000 2011"
  std::string_view s = TrimAscii(in);
  std::vector<std::string_view> parts = Split(s, ' ');
  if (parts.size() != 6) return Bad("Twitter", in);
  std::string reordered;
  reordered.append(parts[2]).append(" ").append(parts[1]).append(" ").append(parts[5]).append(" ");
  reordered.append(parts[3]).append(" ").append(parts[4]);
  auto r = ParseRfc822(reordered);
  if (!r.ok()) return Bad("Twitter", in);
  return r;
}

Result<int64_t> ParseAnyDate(std::string_view s) {
  s = TrimAscii(s);
  if (auto r = ParseRfc3339(s); r.ok()) return r;
  if (auto r = ParseRfc822(s); r.ok()) return r;
  if (auto r = ParseTwitterV1Date(s); r.ok()) return r;
  if (auto n = ParseDouble(s); n && *n >= 0) {
    double ms = *n > 1e11 ? *n : *n * 1000.0;
    if (ms < 9.2e18) return static_cast<int64_t>(ms);  // also refuses inf and NaN
  }
  return Bad("unrecognised", s);
}

std::string FormatRfc3339(int64_t ms) {
  int64_t days = ms >= 0 ? ms / kMsPerDay : (ms - kMsPerDay + 1) / kMsPerDay;
  int64_t rem = ms - days * kMsPerDay;
  // civil_from_days (Hinnant).
  int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ", static_cast<long long>(y), m, d,
                static_cast<long long>(rem / 3'600'000), static_cast<long long>(rem / 60'000 % 60),
                static_cast<long long>(rem / 1000 % 60), static_cast<long long>(rem % 1000));
  return buf;
}

}  // namespace earshot
