#include "ingest/csv_reader.h"

#include <algorithm>
#include <cstring>

namespace earshot::ingest {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// Returns the slot for field `index` of `row`, emptied but keeping its capacity.
std::string& FieldSlot(CsvRow& row, size_t index) {
  if (index == row.fields.size()) row.fields.emplace_back();
  std::string& slot = row.fields[index];
  slot.clear();
  return slot;
}

}  // namespace

CsvReader::CsvReader(std::string_view input, CsvOptions options) : input_(input), options_(options) {
  if (input_.starts_with(kUtf8Bom)) pos_ = kUtf8Bom.size();
}

bool CsvReader::AtLineEnd(size_t pos) const {
  if (pos >= input_.size()) return false;
  if (input_[pos] == '\n') return true;
  return input_[pos] == '\r' && (pos + 1 == input_.size() || input_[pos + 1] == '\n');
}

bool CsvReader::Next(CsvRow& row) {
  while (AtLineEnd(pos_)) {
    pos_ += input_[pos_] == '\r' && pos_ + 1 < input_.size() ? 2 : 1;
    ++line_;
  }
  if (pos_ >= input_.size()) return false;
  const size_t row_start = pos_;
  row.line = line_;
  row.status = Status::Ok();
  size_t count = 0;
  FieldEnd end = FieldEnd::kDelimiter;
  while (end == FieldEnd::kDelimiter) {
    std::string& field = FieldSlot(row, count);
    ++count;
    end = ReadField(field, count, row_start, row);
  }
  row.fields.resize(count);
  if (end == FieldEnd::kRowEnd) row.raw = input_.substr(row_start, row_end_ - row_start);
  return true;
}

CsvReader::FieldEnd CsvReader::ReadField(std::string& out, size_t field, size_t row_start, CsvRow& row) {
  if (pos_ < input_.size() && input_[pos_] == '"') return ReadQuotedField(out, field, row_start, row);
  ReadUnquoted(out);
  return ConsumeFieldEnd();
}

void CsvReader::ReadUnquoted(std::string& out) {
  const size_t start = pos_;
  while (pos_ < input_.size() && input_[pos_] != options_.delimiter && !AtLineEnd(pos_)) ++pos_;
  out.append(input_.substr(start, pos_ - start));
}

CsvReader::FieldEnd CsvReader::ReadQuotedField(std::string& out, size_t field, size_t row_start, CsvRow& row) {
  const int64_t open_line = line_;
  const size_t limit = std::min(input_.size(), row_start + options_.max_row_bytes);
  bool spanned_lines = false;
  ++pos_;  // the opening quote
  while (true) {
    const void* found = pos_ < limit ? std::memchr(input_.data() + pos_, '"', limit - pos_) : nullptr;
    if (found == nullptr) {
      std::string where = "line " + std::to_string(row.line) + ", field " + std::to_string(field);
      FailAndResync(row, row_start,
                    limit < input_.size()
                        ? where + ": quoted field still open " + std::to_string(options_.max_row_bytes) +
                              " bytes after the row began (a stray quote?)"
                        : where + ": quoted field opened on line " + std::to_string(open_line) +
                              " is never closed");
      return FieldEnd::kMalformed;
    }
    const size_t quote = static_cast<size_t>(static_cast<const char*>(found) - input_.data());
    std::string_view chunk = input_.substr(pos_, quote - pos_);
    const auto breaks = std::count(chunk.begin(), chunk.end(), '\n');
    line_ += breaks;
    spanned_lines |= breaks > 0;
    out.append(chunk);
    if (quote + 1 < input_.size() && input_[quote + 1] == '"') {  // "" is one literal quote
      out.push_back('"');
      pos_ = quote + 2;
      continue;
    }
    pos_ = quote + 1;
    break;
  }
  if (pos_ >= input_.size() || input_[pos_] == options_.delimiter || AtLineEnd(pos_)) return ConsumeFieldEnd();
  std::string message = "line " + std::to_string(row.line) + ", field " + std::to_string(field) +
                        ": unexpected text after the closing quote on line " + std::to_string(line_);
  if (spanned_lines) {
    // The quote most likely opened by mistake and swallowed whole rows.
    FailAndResync(row, row_start, std::move(message));
    return FieldEnd::kMalformed;
  }
  if (row.status.ok()) row.status = Status::InvalidArgument(std::move(message));
  ReadUnquoted(out);
  return ConsumeFieldEnd();
}

CsvReader::FieldEnd CsvReader::ConsumeFieldEnd() {
  if (pos_ >= input_.size()) {
    row_end_ = input_.size();
    return FieldEnd::kRowEnd;
  }
  if (input_[pos_] == options_.delimiter) {
    ++pos_;
    return FieldEnd::kDelimiter;
  }
  // REQUIRES: AtLineEnd(pos_), as every caller stops only there.
  row_end_ = pos_;
  pos_ += input_[pos_] == '\r' && pos_ + 1 < input_.size() ? 2 : 1;
  ++line_;
  return FieldEnd::kRowEnd;
}

void CsvReader::FailAndResync(CsvRow& row, size_t row_start, std::string message) {
  row.status = Status::InvalidArgument(std::move(message));
  size_t newline = input_.find('\n', row_start);
  size_t line_end = newline == std::string_view::npos ? input_.size() : newline;
  row.raw = input_.substr(row_start, line_end - row_start);
  if (row.raw.ends_with('\r')) row.raw.remove_suffix(1);
  pos_ = newline == std::string_view::npos ? input_.size() : newline + 1;
  line_ = row.line + 1;
}

}  // namespace earshot::ingest
