#include "sim/out_buffer.h"

#include <fcntl.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>

namespace earshot::sim {
namespace {

constexpr char kDigitPairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

// Per byte: 0 = copy, otherwise the JSON escape class (see PutJsonEscaped).
struct JsonEscapeTable {
  uint8_t cls[256];
  constexpr JsonEscapeTable() : cls() {
    for (int c = 0; c < 0x20; ++c) cls[c] = 1;
    cls[static_cast<int>('"')] = 2;
    cls[static_cast<int>('\\')] = 2;
  }
};
constexpr JsonEscapeTable kJson;

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

constexpr const char* kWeekdays[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};  // 1970-01-01 was a Thursday
constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

}  // namespace

void CivilFromDays(int64_t z, int64_t& year, unsigned& month, unsigned& day) {
  // Howard Hinnant's civil_from_days.
  z += 719468;
  const int64_t era = FloorDiv(z, 146097);
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  day = doy - (153 * mp + 2) / 5 + 1;
  month = mp < 10 ? mp + 3 : mp - 9;
  year = static_cast<int64_t>(yoe) + era * 400 + (month <= 2);
}

OutBuffer::OutBuffer(size_t capacity) : data_(new char[capacity < 64 ? 64 : capacity]) {
  pos_ = data_.get();
  end_ = pos_ + (capacity < 64 ? 64 : capacity);
}

void OutBuffer::Grow(size_t n) {
  const size_t used = size();
  size_t cap = static_cast<size_t>(end_ - data_.get());
  while (cap - used < n) cap *= 2;
  std::unique_ptr<char[]> bigger(new char[cap]);
  std::memcpy(bigger.get(), data_.get(), used);
  data_ = std::move(bigger);
  pos_ = data_.get() + used;
  end_ = data_.get() + cap;
}

namespace {

// "0000" .. "9999", for writing four digits with one copy.
struct Digits4Table {
  char text[10000][4];
  constexpr Digits4Table() : text() {
    for (int i = 0; i < 10000; ++i) {
      text[i][0] = static_cast<char>('0' + i / 1000);
      text[i][1] = static_cast<char>('0' + i / 100 % 10);
      text[i][2] = static_cast<char>('0' + i / 10 % 10);
      text[i][3] = static_cast<char>('0' + i % 10);
    }
  }
};
constexpr Digits4Table kDigits4;

// Writes exactly 8 digits of `v` (< 10^8) ending just before `end`.
inline void Write8Digits(char* end, uint32_t v) {
  std::memcpy(end - 8, kDigits4.text[v / 10000], 4);
  std::memcpy(end - 4, kDigits4.text[v % 10000], 4);
}

inline int Digits32(uint32_t v) {
  if (v < 10) return 1;
  if (v < 100) return 2;
  if (v < 1000) return 3;
  if (v < 10000) return 4;
  if (v < 100000) return 5;
  if (v < 1000000) return 6;
  if (v < 10000000) return 7;
  if (v < 100000000) return 8;
  if (v < 1000000000) return 9;
  return 10;
}

// Writes `v` with its natural number of digits at `p`; returns the end.
inline char* WriteUint32(char* p, uint32_t v) {
  const int len = Digits32(v);
  char* end = p + len;
  char* q = end;
  while (v >= 100) {
    const uint32_t r = (v % 100) * 2;
    v /= 100;
    *--q = kDigitPairs[r + 1];
    *--q = kDigitPairs[r];
  }
  if (v >= 10) {
    *--q = kDigitPairs[v * 2 + 1];
    *--q = kDigitPairs[v * 2];
  } else {
    *--q = static_cast<char>('0' + v);
  }
  return end;
}

}  // namespace

void OutBuffer::PutUintSlow(uint64_t v) {
  // 64-bit values are cut into 8-digit chunks so that the digit loops run
  // on 32-bit arithmetic.
  Ensure(20);
  if (v < 100000000ULL) {
    pos_ = WriteUint32(pos_, static_cast<uint32_t>(v));
    return;
  }
  const uint64_t hi = v / 100000000ULL;
  const uint32_t lo = static_cast<uint32_t>(v % 100000000ULL);
  if (hi < 100000000ULL) {
    pos_ = WriteUint32(pos_, static_cast<uint32_t>(hi));
  } else {
    pos_ = WriteUint32(pos_, static_cast<uint32_t>(hi / 100000000ULL));
    Write8Digits(pos_ + 8, static_cast<uint32_t>(hi % 100000000ULL));
    pos_ += 8;
  }
  Write8Digits(pos_ + 8, lo);
  pos_ += 8;
}

void OutBuffer::PutPadded(uint64_t v, int width) {
  char tmp[20];
  int n = 0;
  do {
    tmp[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0 && n < 20);
  for (int i = n; i < width; ++i) Put('0');
  while (n > 0) Put(tmp[--n]);
}

void OutBuffer::PutFixed(double v, int decimals) {
  if (!std::isfinite(v)) v = 0;
  if (v < 0) {
    Put('-');
    v = -v;
  }
  uint64_t scale = 1;
  for (int i = 0; i < decimals; ++i) scale *= 10;
  const uint64_t scaled = static_cast<uint64_t>(std::llround(v * static_cast<double>(scale)));
  PutUint(scaled / scale);
  if (decimals > 0) {
    Put('.');
    PutPadded(scaled % scale, decimals);
  }
}

size_t CleanJsonPrefix(const char* p, size_t n, bool html) {
  size_t i = 0;
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), amp = _mm_set1_epi8('&');
  const __m128i lt = _mm_set1_epi8('<'), gt = _mm_set1_epi8('>'), space = _mm_set1_epi8(0x20);
  for (; i + 16 <= n; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    // Control bytes are [0, 0x20) as signed bytes; UTF-8 lead and
    // continuation bytes are negative and must not count.
    __m128i bad = _mm_and_si128(_mm_cmplt_epi8(v, space), _mm_cmpgt_epi8(v, _mm_set1_epi8(-1)));
    bad = _mm_or_si128(bad, _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)));
    if (html) {
      bad = _mm_or_si128(bad, _mm_or_si128(_mm_cmpeq_epi8(v, amp), _mm_or_si128(_mm_cmpeq_epi8(v, lt), _mm_cmpeq_epi8(v, gt))));
    }
    const int mask = _mm_movemask_epi8(bad);
    if (mask != 0) return i + static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
  }
#endif
  for (; i < n; ++i) {
    const unsigned char c = static_cast<unsigned char>(p[i]);
    if (kJson.cls[c] != 0 || (html && (c == '&' || c == '<' || c == '>'))) return i;
  }
  return n;
}

void OutBuffer::PutJsonEscaped(std::string_view s) {
  Ensure(s.size());
  const char* p = s.data();
  const char* end = p + s.size();
  while (p < end) {
    const char* run = p;
    p += CleanJsonPrefix(p, static_cast<size_t>(end - p), false);
    Put(std::string_view(run, static_cast<size_t>(p - run)));
    if (p == end) break;
    const unsigned char c = static_cast<unsigned char>(*p++);
    if (c == '"' || c == '\\') {
      Put('\\');
      Put(static_cast<char>(c));
    } else if (c == '\n') {
      Lit("\\n");
    } else if (c == '\t') {
      Lit("\\t");
    } else if (c == '\r') {
      Lit("\\r");
    } else {
      static constexpr char kHex[] = "0123456789abcdef";
      Lit("\\u00");
      Put(kHex[c >> 4]);
      Put(kHex[c & 15]);
    }
  }
}

void OutBuffer::PutXmlEscaped(std::string_view s) {
  for (char c : s) {
    switch (c) {
      case '&': Lit("&amp;"); break;
      case '<': Lit("&lt;"); break;
      case '>': Lit("&gt;"); break;
      case '"': Lit("&quot;"); break;
      case '\'': Lit("&apos;"); break;
      default:
        // XML 1.0 forbids C0 controls other than tab, newline and return.
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n' || c == '\r') Put(c);
    }
  }
}

void OutBuffer::PutHtmlEscaped(std::string_view s) {
  for (char c : s) {
    switch (c) {
      case '&': Lit("&amp;"); break;
      case '<': Lit("&lt;"); break;
      case '>': Lit("&gt;"); break;
      case '"': Lit("&quot;"); break;
      case '\'': Lit("&#x27;"); break;
      default: Put(c);
    }
  }
}

void OutBuffer::PutCsvField(std::string_view s) {
  bool quote = !s.empty() && (s.front() == ' ' || s.back() == ' ');
  for (char c : s) {
    if (c == ',' || c == '"' || c == '\n' || c == '\r') {
      quote = true;
      break;
    }
  }
  if (!quote) {
    Put(s);
    return;
  }
  Put('"');
  for (char c : s) {
    if (c == '"') Put('"');
    Put(c);
  }
  Put('"');
}

void OutBuffer::PutDate(int64_t days) {
  if (days != cached_day_) {
    int64_t y;
    unsigned m, d;
    CivilFromDays(days, y, m, d);
    const int64_t yy = y < 0 ? 0 : (y > 9999 ? 9999 : y);
    cached_date_[0] = static_cast<char>('0' + yy / 1000);
    cached_date_[1] = static_cast<char>('0' + yy / 100 % 10);
    cached_date_[2] = static_cast<char>('0' + yy / 10 % 10);
    cached_date_[3] = static_cast<char>('0' + yy % 10);
    cached_date_[4] = '-';
    cached_date_[5] = static_cast<char>('0' + m / 10);
    cached_date_[6] = static_cast<char>('0' + m % 10);
    cached_date_[7] = '-';
    cached_date_[8] = static_cast<char>('0' + d / 10);
    cached_date_[9] = static_cast<char>('0' + d % 10);
    cached_day_ = days;
  }
  Put(std::string_view(cached_date_, 10));
}

void OutBuffer::PutMinute(int64_t minute) {
  // "2026-01-05T14:03:" is the same for every post of a minute: cache it.
  if (minute != cached_minute_) {
    const int64_t days = FloorDiv(minute, 1440);
    const unsigned m = static_cast<unsigned>(minute - days * 1440);
    const size_t at = size();
    PutDate(days);
    std::memcpy(cached_minute_text_, pos_ - 10, 10);
    Truncate(at);
    cached_minute_text_[10] = 'T';
    cached_minute_text_[11] = static_cast<char>('0' + m / 600);
    cached_minute_text_[12] = static_cast<char>('0' + m / 60 % 10);
    cached_minute_text_[13] = ':';
    cached_minute_text_[14] = static_cast<char>('0' + m % 60 / 10);
    cached_minute_text_[15] = static_cast<char>('0' + m % 10);
    cached_minute_text_[16] = ':';
    cached_minute_ = minute;
  }
  Put(std::string_view(cached_minute_text_, 17));
}

void OutBuffer::PutRfc3339Seconds(int64_t ms) {
  const int64_t sec = FloorDiv(ms, 1000);
  PutMinute(FloorDiv(sec, 60));
  const unsigned s = static_cast<unsigned>(sec - FloorDiv(sec, 60) * 60);
  const char t[3] = {static_cast<char>('0' + s / 10), static_cast<char>('0' + s % 10), 'Z'};
  Put(std::string_view(t, 3));
}

void OutBuffer::PutRfc3339(int64_t ms) {
  const int64_t sec = FloorDiv(ms, 1000);
  PutMinute(FloorDiv(sec, 60));
  const unsigned s = static_cast<unsigned>(sec - FloorDiv(sec, 60) * 60);
  const unsigned milli = static_cast<unsigned>(ms - sec * 1000);
  const char t[7] = {static_cast<char>('0' + s / 10),          static_cast<char>('0' + s % 10),
                     '.',
                     static_cast<char>('0' + milli / 100),     static_cast<char>('0' + milli / 10 % 10),
                     static_cast<char>('0' + milli % 10),      'Z'};
  Put(std::string_view(t, 7));
}

void OutBuffer::PutRfc822(int64_t ms) {
  const int64_t days = FloorDiv(ms, 86400000);
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, y, m, d);
  Put(kWeekdays[((days % 7) + 7) % 7]);
  Lit(", ");
  PutPadded(d, 2);
  Put(' ');
  Put(kMonths[m - 1]);
  Put(' ');
  PutInt(y);
  Put(' ');
  const int64_t sec = (ms - days * 86400000) / 1000;
  PutPadded(static_cast<uint64_t>(sec / 3600), 2);
  Put(':');
  PutPadded(static_cast<uint64_t>(sec % 3600 / 60), 2);
  Put(':');
  PutPadded(static_cast<uint64_t>(sec % 60), 2);
  Lit(" +0000");
}

Result<std::unique_ptr<FileSink>> FileSink::Open(const std::string& path, FileMode mode) {
  const int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (mode == FileMode::kAppend ? O_APPEND : O_TRUNC);
  const int fd = ::open(path.c_str(), flags, 0644);
  if (fd < 0) return Status::IOError(path + ": cannot open for writing: " + std::strerror(errno));
  return std::unique_ptr<FileSink>(new FileSink(fd, path));
}

FileSink::~FileSink() { (void)Close(); }

Status FileSink::Write(std::string_view bytes) {
  if (fd_ < 0) return Status::FailedPrecondition(path_ + ": write after close");
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::IOError(path_ + ": write failed: " + std::strerror(errno));
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

Status FileSink::Close() {
  if (fd_ < 0) return Status::Ok();
  const int rc = ::close(fd_);
  fd_ = -1;
  if (rc != 0) return Status::IOError(path_ + ": close failed: " + std::strerror(errno));
  return Status::Ok();
}

void BufferedWriter::Flush() {
  if (buf_.empty()) return;
  if (status_.ok()) {
    status_ = sink_.Write(buf_.view());
    if (status_.ok()) bytes_ += static_cast<int64_t>(buf_.size());
  }
  buf_.clear();
}

}  // namespace earshot::sim
