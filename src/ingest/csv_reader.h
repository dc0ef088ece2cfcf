// An RFC 4180 CSV reader: quoted fields, doubled quotes, line breaks inside
// quoted fields, CRLF or LF row ends, a leading UTF-8 BOM. It reports each
// row with the line it starts on, and a malformed row as an error for that
// row only, so one stray quote never hides the rows around it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace earshot::ingest {

struct CsvOptions {
  char delimiter = ',';  // ';' and '\t' are common in European and TSV exports
  // A quoted field still open this many bytes after its row began is taken
  // for a stray quote. Bounds the rescan that recovery from it costs; rows
  // longer than this cannot be read.
  size_t max_row_bytes = size_t{16} << 20;
};

// One row as read.
struct CsvRow {
  int64_t line = 0;      // 1-based line where the row starts
  std::string_view raw;  // the row's bytes without its line ending; points into the input
  std::vector<std::string> fields;  // unquoted values; for a malformed row, what could be read
  Status status;         // non-OK when the row is malformed; the message names the line
};

// Reads rows from a CSV text. Rules beyond RFC 4180, for real exports:
//  - empty lines are skipped (they are no rows);
//  - a quote inside an unquoted field is kept as a literal character
//    (`5" screen`);
//  - a quoted field left open at the end of the input makes its row
//    malformed, and reading resumes at the line after the row's first line;
//  - text between a closing quote and the next delimiter makes the row
//    malformed; when the quoted field spanned lines (a stray quote swallowed
//    the rows after it) reading resumes at the line after the row's first
//    line, otherwise the row is read to its end with the text kept.
// Not thread-safe; the input must outlive the reader.
class CsvReader {
 public:
  explicit CsvReader(std::string_view input, CsvOptions options = {});

  // Reads the next row into `row`, reusing its storage. Returns false when
  // the input is exhausted (then `row` is left unchanged).
  bool Next(CsvRow& row);

 private:
  enum class FieldEnd { kDelimiter, kRowEnd, kMalformed };

  // Reads field number `field` (1-based) of `row`, at pos_, into `out`.
  FieldEnd ReadField(std::string& out, size_t field, size_t row_start, CsvRow& row);
  FieldEnd ReadQuotedField(std::string& out, size_t field, size_t row_start, CsvRow& row);
  // Appends unquoted text from pos_ up to the next delimiter or line ending.
  void ReadUnquoted(std::string& out);
  // Consumes what ends a field at pos_: a delimiter, a line ending or EOF.
  FieldEnd ConsumeFieldEnd();
  // Marks `row` malformed and restarts reading at the line after its first line.
  void FailAndResync(CsvRow& row, size_t row_start, std::string message);
  // Returns true when a line ending ("\n", "\r\n", or "\r" at EOF) starts at `pos`.
  bool AtLineEnd(size_t pos) const;

  std::string_view input_;
  CsvOptions options_;
  size_t pos_ = 0;
  int64_t line_ = 1;    // line of pos_
  size_t row_end_ = 0;  // where the last row read ended, before its line ending
};

}  // namespace earshot::ingest
