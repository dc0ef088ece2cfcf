// Invariant checks shared by the connector fuzz targets. A fuzz target must
// catch wrong output, not just crashes: every check that fails prints what
// broke and calls abort(), which libFuzzer reports as a crash with the input.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "core/mention.h"
#include "core/status.h"
#include "core/utf8.h"
#include "ingest/connector.h"

namespace earshot::fuzz {

// Prints `what` and aborts.
[[noreturn]] inline void Fail(std::string_view what) {
  std::fprintf(stderr, "invariant violated: %.*s\n", static_cast<int>(what.size()), what.data());
  std::fflush(stderr);
  std::abort();
}

// Aborts with `what` unless `ok`.
inline void Check(bool ok, std::string_view what) {
  if (!ok) Fail(what);
}

// Returns true when `s` holds a C0 control character other than tab, LF, CR.
inline bool HasForbiddenControl(std::string_view s) {
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\t' && c != '\n' && c != '\r') return true;
  }
  return false;
}

// Returns the first 200 bytes of `s` with bytes outside printable ASCII
// escaped, for failure messages.
inline std::string Escaped(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (char c : s.substr(0, 200)) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f && c != '\\' && c != '"') {
      out += c;
    } else {
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out + (s.size() > 200 ? "\"..." : "\"");
}

// Aborts unless `s` is valid UTF-8 without C0 control characters other than
// tab, LF and CR: what every string in a Mention must be (core/utf8.h;
// json::CleanText and SanitizeUtf8 make it so).
inline void CheckText(std::string_view s, std::string_view field) {
  if (!IsValidUtf8(s)) Fail(std::string(field) + ": ill-formed UTF-8 in " + Escaped(s));
  if (HasForbiddenControl(s)) Fail(std::string(field) + ": C0 control character in " + Escaped(s));
}

// Aborts unless `list` holds only non-empty valid strings.
inline void CheckList(const std::vector<std::string>& list, std::string_view field) {
  for (const std::string& s : list) {
    Check(!s.empty(), std::string(field) + ": empty entry");
    CheckText(s, field);
  }
}

// Aborts unless `id` is empty or a mention id of `source` ("<source>:<x>").
inline void CheckRelation(std::string_view id, std::string_view source, std::string_view field) {
  CheckText(id, field);
  if (id.empty()) return;
  Check(id.size() > source.size() + 1 && id.starts_with(source) && id[source.size()] == ':',
        std::string(field) + " is not a " + std::string(source) + " mention id: " + std::string(id));
}

// Aborts unless `m` is a well-formed Mention produced by connector `source`.
inline void CheckMention(const Mention& m, std::string_view source) {
  Check(m.source == source, "source is '" + m.source + "', expected '" + std::string(source) + "'");
  Check(!m.external_id.empty(), "empty external_id");
  Check(m.id == MakeMentionId(source, m.external_id), "id '" + m.id + "' is not '<source>:<external_id>'");
  CheckText(m.id, "id");
  CheckText(m.external_id, "external_id");
  bool known_channel = false;
  for (Channel c : kAllChannels) known_channel |= c == m.channel;
  Check(known_channel, "channel out of range");
  CheckText(m.url, "url");
  CheckText(m.site, "site");
  CheckText(m.author.handle, "author.handle");
  CheckText(m.author.display_name, "author.display_name");
  CheckText(m.author.profile_location, "author.profile_location");
  CheckText(m.author.profile_url, "author.profile_url");
  Check(m.author.followers >= -1, "author.followers < -1");
  CheckText(m.title, "title");
  CheckText(m.text, "text");
  CheckText(m.language, "language");
  Check(m.geo.lat.has_value() == m.geo.lon.has_value(), "geo: lat and lon not both set");
  if (m.geo.lat) {
    Check(std::isfinite(*m.geo.lat) && std::fabs(*m.geo.lat) <= 90, "geo.lat out of range");
    Check(std::isfinite(*m.geo.lon) && std::fabs(*m.geo.lon) <= 180, "geo.lon out of range");
  }
  CheckText(m.geo.country, "geo.country");
  CheckText(m.geo.place, "geo.place");
  CheckRelation(m.in_reply_to, source, "in_reply_to");
  CheckRelation(m.reshare_of, source, "reshare_of");
  CheckRelation(m.quote_of, source, "quote_of");
  CheckList(m.links, "links");
  CheckList(m.hashtags, "hashtags");
  CheckList(m.mentioned, "mentioned");
  const Engagement& e = m.engagement;
  Check(e.likes >= -1 && e.reshares >= -1 && e.replies >= -1 && e.quotes >= -1 && e.views >= -1,
        "engagement count < -1");
}

// Appends `s` to `out` with its length, so that field boundaries stay
// unambiguous in a digest.
inline void AppendField(std::string& out, std::string_view s) {
  out += std::to_string(s.size());
  out += ':';
  out += s;
  out += '|';
}

// Returns every field of `m` as one string, for comparing two runs.
inline std::string MentionDigest(const Mention& m) {
  std::string d;
  for (std::string_view s : {std::string_view(m.id), std::string_view(m.url), std::string_view(m.site),
                             std::string_view(m.author.handle), std::string_view(m.author.display_name),
                             std::string_view(m.author.profile_location), std::string_view(m.author.profile_url),
                             std::string_view(m.title), std::string_view(m.text), std::string_view(m.language),
                             std::string_view(m.geo.country), std::string_view(m.geo.place),
                             std::string_view(m.in_reply_to), std::string_view(m.reshare_of),
                             std::string_view(m.quote_of)}) {
    AppendField(d, s);
  }
  for (const auto* list : {&m.links, &m.hashtags, &m.mentioned}) {
    for (const std::string& s : *list) AppendField(d, s);
    d += ';';
  }
  const Engagement& e = m.engagement;
  for (int64_t n : {static_cast<int64_t>(m.channel), m.created_at_ms, m.author.followers, e.likes, e.reshares,
                    e.replies, e.quotes, e.views}) {
    AppendField(d, std::to_string(n));
  }
  if (m.geo.lat) AppendField(d, std::to_string(*m.geo.lat) + "," + std::to_string(*m.geo.lon));
  return d;
}

// A RecordSink that checks every report as it arrives: mentions are
// well-formed for `source`, records are numbered consecutively from
// `first_index` and on the lines of their input, rejects and skips say
// why. Keeps a digest of all reports.
class CheckingSink : public ingest::RecordSink {
 public:
  CheckingSink(std::string_view source, int64_t first_index) : source_(source), next_index_(first_index) {}

  void OnMention(Mention mention, const ingest::RecordRef& ref) override {
    CheckRef(ref);
    CheckMention(mention, source_);
    digest_ += "m" + RefText(ref) + MentionDigest(mention) + "\n";
  }
  void OnReject(const ingest::RecordRef& ref, std::string reason, std::string_view raw) override {
    CheckRef(ref);
    Check(!reason.empty(), "reject without a reason");
    digest_ += "r" + RefText(ref) + reason + "\n";
  }
  void OnSkip(const ingest::RecordRef& ref, std::string reason) override {
    CheckRef(ref);
    Check(!reason.empty(), "skip without a reason");
    digest_ += "s" + RefText(ref) + reason + "\n";
  }

  // Records the status the parse returned, for the digest.
  void OnStatus(const Status& status) {
    if (!status.ok()) Check(!status.message().empty(), "error status without a message");
    digest_ += "status " + status.ToString() + "\n";
  }

  // Requires the line of each record from now on to be 0 (unknown) or in
  // [first, last].
  void ExpectLines(int64_t first, int64_t last) {
    first_line_ = first;
    last_line_ = last;
  }
  // Returns the index the next record must carry.
  int64_t next_index() const { return next_index_; }
  // Returns everything reported so far, one line per report.
  const std::string& digest() const { return digest_; }

 private:
  void CheckRef(const ingest::RecordRef& ref) {
    if (ref.index != next_index_) {
      Fail("record index " + std::to_string(ref.index) + ", expected " + std::to_string(next_index_));
    }
    ++next_index_;
    if (ref.line != 0 && (ref.line < first_line_ || ref.line > last_line_)) {
      Fail("record line " + std::to_string(ref.line) + " outside the input's lines " + std::to_string(first_line_) +
           "-" + std::to_string(last_line_));
    }
  }
  static std::string RefText(const ingest::RecordRef& ref) {
    return " " + std::to_string(ref.line) + " " + std::to_string(ref.index) + " ";
  }

  std::string source_;
  int64_t next_index_;
  int64_t first_line_ = 0;
  int64_t last_line_ = std::numeric_limits<int64_t>::max();
  std::string digest_;
};

// Returns the number of line breaks in `s`, counting a lone CR as one as
// XML does (and the feed connector with it): an upper bound on the lines
// any connector can number.
inline int64_t LineBreaks(std::string_view s) {
  int64_t n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    n += s[i] == '\n' || (s[i] == '\r' && (i + 1 == s.size() || s[i + 1] != '\n'));
  }
  return n;
}

// Runs `conn` over `input` in one Parse() call, as the ingest driver does
// for a document-framed file (and a single line), and returns the digest.
inline std::string ParseWhole(ingest::Connector& conn, std::string_view input, const ingest::ParseContext& ctx) {
  CheckingSink sink(conn.Name(), ctx.first_index);
  // ParseContext::line numbers the lines of a line-framed input only; a
  // document's lines may count from 1.
  sink.ExpectLines(conn.framing() == ingest::Framing::kLines ? ctx.line : 1, ctx.line + LineBreaks(input));
  sink.OnStatus(conn.Parse(input, ctx, sink));
  return sink.digest();
}

// Runs `conn` over `input` one non-blank line at a time, numbering lines and
// records as the ingest driver does for a line-framed file, and returns the
// digest.
inline std::string ParseLines(ingest::Connector& conn, std::string_view input, ingest::ParseContext ctx) {
  CheckingSink sink(conn.Name(), ctx.first_index);
  int64_t line_no = 1;
  while (true) {
    size_t nl = input.find('\n');
    std::string_view line = input.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t\r\f\v") != std::string_view::npos) {
      ctx.line = line_no;
      ctx.first_index = sink.next_index();
      sink.ExpectLines(line_no, line_no);
      sink.OnStatus(conn.Parse(line, ctx, sink));
    }
    if (nl == std::string_view::npos) break;
    input.remove_prefix(nl + 1);
    ++line_no;
  }
  return sink.digest();
}

// Returns the context the fuzz targets parse with: a record index and line
// that do not start at 1, so that ignoring them shows.
inline ingest::ParseContext FuzzContext() {
  ingest::ParseContext ctx;
  ctx.file = "fuzz-input";
  ctx.line = 3;
  ctx.first_index = 7;
  return ctx;
}

// Fuzzes one connector with `input`: parses it whole (and, for a line-framed
// connector, line by line too), each twice with the same instance, and
// aborts when a report breaks an invariant or the second run differs from
// the first (state left over from an earlier input).
inline void FuzzConnector(ingest::Connector& conn, std::string_view input, const ingest::ParseContext& ctx) {
  std::string first = ParseWhole(conn, input, ctx);
  Check(ParseWhole(conn, input, ctx) == first, "second parse of the same input reported differently");
  if (conn.framing() == ingest::Framing::kLines) {
    std::string lines = ParseLines(conn, input, ctx);
    Check(ParseLines(conn, input, ctx) == lines, "second line-by-line parse reported differently");
  }
}

}  // namespace earshot::fuzz
