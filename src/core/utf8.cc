#include "core/utf8.h"

#include <vector>

namespace earshot {
namespace {

// Returns the length of the well-formed sequence at `pos`, or 0.
size_t ValidSequenceLength(std::string_view s, size_t pos) {
  auto b = [&](size_t i) { return static_cast<unsigned char>(s[pos + i]); };
  unsigned char c = b(0);
  size_t left = s.size() - pos;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return left >= 2 && (b(1) & 0xC0) == 0x80 ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (left < 3 || (b(1) & 0xC0) != 0x80 || (b(2) & 0xC0) != 0x80) return 0;
    if (c == 0xE0 && b(1) < 0xA0) return 0;   // overlong
    if (c == 0xED && b(1) >= 0xA0) return 0;  // surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (left < 4 || (b(1) & 0xC0) != 0x80 || (b(2) & 0xC0) != 0x80 || (b(3) & 0xC0) != 0x80) return 0;
    if (c == 0xF0 && b(1) < 0x90) return 0;  // overlong
    if (c == 0xF4 && b(1) >= 0x90) return 0;  // > U+10FFFF
    return 4;
  }
  return 0;
}

}  // namespace

size_t FindInvalidUtf8(std::string_view s) {
  size_t pos = 0;
  while (pos < s.size()) {
    // Fast path over ASCII, eight bytes at a time.
    while (pos + 8 <= s.size()) {
      uint64_t w;
      __builtin_memcpy(&w, s.data() + pos, 8);
      if (w & 0x8080808080808080ULL) break;
      pos += 8;
    }
    if (pos >= s.size()) break;
    size_t n = ValidSequenceLength(s, pos);
    if (n == 0) return pos;
    pos += n;
  }
  return std::string_view::npos;
}

bool IsValidUtf8(std::string_view s) { return FindInvalidUtf8(s) == std::string_view::npos; }

bool IsCleanUtf8(std::string_view s) {
  // Eight bytes at a time while every byte is printable ASCII or DEL (nearly
  // all of a post, also between the accented letters and emoji of the
  // rest): a byte >= 0x80 sets its high bit, and subtracting 0x20 from each
  // byte borrows into the high bit of a byte below 0x20 (a borrow only
  // starts at such a byte, so the test is exact).
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  const size_t n = s.size();
  size_t pos = 0;
  while (pos < n) {
    for (; pos + 8 <= n; pos += 8) {
      uint64_t w;
      __builtin_memcpy(&w, s.data() + pos, 8);
      if ((w | ((w - 0x20 * kOnes) & ~w)) & kHigh) break;
    }
    if (pos >= n) break;
    const unsigned char c = static_cast<unsigned char>(s[pos]);
    if (c < 0x80) {
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return false;
      ++pos;
      continue;
    }
    const size_t length = ValidSequenceLength(s, pos);
    if (length == 0) return false;
    pos += length;
  }
  return true;
}

std::string SanitizeUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t pos = 0;
  while (pos < s.size()) {
    size_t n = ValidSequenceLength(s, pos);
    if (n == 0) {
      AppendUtf8(out, kReplacementChar);
      ++pos;
      continue;
    }
    unsigned char c = static_cast<unsigned char>(s[pos]);
    if (n == 1 && ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F)) {
      ++pos;
      continue;
    }
    out.append(s.substr(pos, n));
    pos += n;
  }
  return out;
}

char32_t DecodeUtf8(std::string_view s, size_t& pos) {
  size_t n = ValidSequenceLength(s, pos);
  auto b = [&](size_t i) { return static_cast<char32_t>(static_cast<unsigned char>(s[pos + i])); };
  char32_t cp;
  switch (n) {
    case 1: cp = b(0); break;
    case 2: cp = ((b(0) & 0x1F) << 6) | (b(1) & 0x3F); break;
    case 3: cp = ((b(0) & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F); break;
    case 4: cp = ((b(0) & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) | (b(3) & 0x3F); break;
    default:
      ++pos;
      return kReplacementChar;
  }
  pos += n;
  return cp;
}

void AppendUtf8(std::string& out, char32_t cp) {
  if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) cp = kReplacementChar;
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::string Latin1ToUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (char c : s) AppendUtf8(out, static_cast<unsigned char>(c));
  return out;
}

std::string Windows1252ToUtf8(std::string_view s) {
  // 0x80..0x9F differ from Latin-1; unassigned bytes map to U+FFFD.
  static constexpr char16_t kHigh[32] = {
      0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
      0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
      0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    AppendUtf8(out, (c >= 0x80 && c < 0xA0) ? kHigh[c - 0x80] : c);
  }
  return out;
}

std::string_view TruncateUtf8(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return s.substr(0, end);
}

}  // namespace earshot

namespace earshot {
namespace {

// Returns the Windows-1252 byte that decodes to `cp`, or -1.
int Cp1252Byte(char32_t cp) {
  if (cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF)) return static_cast<int>(cp);
  // Latin-1's C1 controls, kept by decoders that fall back to Latin-1.
  if (cp >= 0x80 && cp < 0xA0) return static_cast<int>(cp);
  static constexpr struct {
    char16_t cp;
    unsigned char byte;
  } kHigh[] = {{0x20AC, 0x80}, {0x201A, 0x82}, {0x0192, 0x83}, {0x201E, 0x84}, {0x2026, 0x85}, {0x2020, 0x86},
               {0x2021, 0x87}, {0x02C6, 0x88}, {0x2030, 0x89}, {0x0160, 0x8A}, {0x2039, 0x8B}, {0x0152, 0x8C},
               {0x017D, 0x8E}, {0x2018, 0x91}, {0x2019, 0x92}, {0x201C, 0x93}, {0x201D, 0x94}, {0x2022, 0x95},
               {0x2013, 0x96}, {0x2014, 0x97}, {0x02DC, 0x98}, {0x2122, 0x99}, {0x0161, 0x9A}, {0x203A, 0x9B},
               {0x0153, 0x9C}, {0x017E, 0x9E}, {0x0178, 0x9F}};
  for (const auto& h : kHigh) {
    if (h.cp == cp) return h.byte;
  }
  return -1;
}

// Cheap pre-check: mojibake of UTF-8 lead bytes 0xC2..0xF4 shows up as
// "Â".."ô" (U+00C2..U+00F4), encoded C3 82..C3 B4, and a repair needs the
// next character to stand for a continuation byte 0x80..0xBF: U+0080..U+00BF
// (encoded C2 xx) or one of Windows-1252's letters and marks for 0x80..0x9F
// (encoded with a C5, C6, CB or E2 lead). Correct accented text ("café",
// "Straße") passes here without the slow path.
bool MayHaveMojibake(std::string_view s) {
  for (size_t i = s.find('\xC3'); i != std::string_view::npos && i + 2 < s.size(); i = s.find('\xC3', i + 1)) {
    const unsigned char b = static_cast<unsigned char>(s[i + 1]);
    const unsigned char next = static_cast<unsigned char>(s[i + 2]);
    if (b >= 0x82 && b <= 0xB4 && (next == 0xC2 || next == 0xC5 || next == 0xC6 || next == 0xCB || next == 0xE2)) {
      return true;
    }
  }
  return s.find("\xC2\x80") != std::string_view::npos;
}

// One character of a candidate run: the byte it maps back to, and where it
// sits in the original text.
struct MappedChar {
  unsigned char byte;
  uint32_t begin;
  uint32_t end;
};

// Decodes the UTF-8 sequence the mapped bytes at `i` form, or returns 0.
// With `space_as_nbsp`, an ASCII space stands for 0xA0: whitespace
// collapsing upstream turns the NBSP of a mis-decoded 0xA0 byte into a space.
size_t SequenceAt(const std::vector<MappedChar>& run, size_t i, bool space_as_nbsp, std::string& out) {
  unsigned char lead = run[i].byte;
  size_t n = lead >= 0xC2 && lead <= 0xDF ? 2 : lead >= 0xE0 && lead <= 0xEF ? 3 : lead >= 0xF0 && lead <= 0xF4 ? 4 : 0;
  if (n == 0 || i + n > run.size()) return 0;
  std::string bytes(1, static_cast<char>(lead));
  for (size_t k = 1; k < n; ++k) {
    unsigned char b = run[i + k].byte;
    if (b == ' ' && space_as_nbsp) b = 0xA0;
    bytes.push_back(static_cast<char>(b));
  }
  if (!IsValidUtf8(bytes)) return 0;
  out += bytes;
  return n;
}

// Repairs one run; returns the number of sequences repaired.
int RepairRun(std::string_view text, const std::vector<MappedChar>& run, bool space_as_nbsp, std::string& out) {
  int repaired = 0;
  for (size_t i = 0; i < run.size();) {
    size_t n = run[i].byte >= 0x80 ? SequenceAt(run, i, space_as_nbsp, out) : 0;
    if (n) {
      ++repaired;
      i += n;
    } else {
      out.append(text.substr(run[i].begin, run[i].end - run[i].begin));
      ++i;
    }
  }
  return repaired;
}

}  // namespace

bool RepairMojibake(std::string& text) {
  if (!MayHaveMojibake(text)) return false;
  std::string out;
  out.reserve(text.size());
  bool changed = false;
  std::vector<MappedChar> run;
  auto flush = [&] {
    if (run.empty()) return;
    std::string plain;
    int repaired = RepairRun(text, run, /*space_as_nbsp=*/false, plain);
    if (repaired > 0) {
      std::string with_nbsp;
      RepairRun(text, run, /*space_as_nbsp=*/true, with_nbsp);
      out += with_nbsp;
      changed = true;
    } else {
      out.append(text, run.front().begin, run.back().end - run.front().begin);
    }
    run.clear();
  };
  size_t pos = 0;
  while (pos < text.size()) {
    size_t start = pos;
    char32_t cp = DecodeUtf8(text, pos);
    int byte = cp == kReplacementChar ? -1 : Cp1252Byte(cp);
    if (byte < 0) {
      flush();
      out.append(text, start, pos - start);
      continue;
    }
    run.push_back({static_cast<unsigned char>(byte), static_cast<uint32_t>(start), static_cast<uint32_t>(pos)});
  }
  flush();
  if (changed) text = std::move(out);
  return changed;
}

}  // namespace earshot
