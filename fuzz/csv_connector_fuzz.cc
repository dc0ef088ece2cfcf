// Fuzzes the CSV reader and the CSV connector. The reader must number rows
// in order, point each row's raw text into the input, name the line of a
// malformed row, and read back what it reads when the fields are written out
// again quoted; the connector must keep the RecordSink contract (see
// fuzz_checks.h), also with a source label and a column mapping.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_checks.h"
#include "ingest/csv_connector.h"
#include "ingest/csv_reader.h"

namespace {

using earshot::fuzz::Check;
using earshot::ingest::CsvOptions;
using earshot::ingest::CsvReader;
using earshot::ingest::CsvRow;

// Returns `fields` as one CSV row with every field quoted.
std::string QuotedRow(const std::vector<std::string>& fields, char delimiter) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += delimiter;
    out += '"';
    for (char c : fields[i]) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
  }
  return out + "\n";
}

// Checks that a well-formed row reads back unchanged once written quoted.
void CheckRoundTrip(const CsvRow& row, char delimiter) {
  std::string text = QuotedRow(row.fields, delimiter);
  CsvReader again(text, CsvOptions{.delimiter = delimiter});
  CsvRow copy;
  Check(again.Next(copy), "quoted row read back as no row");
  Check(copy.status.ok(), "quoted row read back malformed: " + copy.status.message());
  Check(copy.fields == row.fields, "quoted row read back with different fields");
  Check(!again.Next(copy), "quoted row read back as several rows");
}

void FuzzReader(std::string_view input, char delimiter) {
  CsvReader reader(input, CsvOptions{.delimiter = delimiter});
  CsvRow row;
  int64_t last_line = 0;
  while (reader.Next(row)) {
    Check(row.line > last_line, "row lines not increasing");
    last_line = row.line;
    Check(row.raw.data() >= input.data() && row.raw.data() + row.raw.size() <= input.data() + input.size(),
          "row raw text outside the input");
    Check(!row.fields.empty() || !row.status.ok(), "well-formed row without fields");
    if (!row.status.ok()) {
      Check(row.status.message().find("line " + std::to_string(row.line)) != std::string::npos,
            "malformed row message does not name its line: " + row.status.message());
      continue;
    }
    if (row.raw.find('"') == std::string_view::npos && row.raw.find('\n') == std::string_view::npos) {
      // Without quotes a row is its raw text split at the delimiter.
      std::vector<std::string> split;
      std::string_view rest = row.raw;
      for (size_t at; (at = rest.find(delimiter)) != std::string_view::npos; rest.remove_prefix(at + 1)) {
        split.emplace_back(rest.substr(0, at));
      }
      split.emplace_back(rest);
      Check(split == row.fields, "unquoted row not split at its delimiters");
    }
    CheckRoundTrip(row, delimiter);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::unique_ptr<earshot::ingest::Connector> connector = earshot::ingest::NewCsvConnector();
  std::string_view input(reinterpret_cast<const char*>(data), size);
  FuzzReader(input, ',');
  FuzzReader(input, '\t');
  earshot::ingest::ParseContext ctx = earshot::fuzz::FuzzContext();
  earshot::fuzz::FuzzConnector(*connector, input, ctx);
  ctx.source_name = "sanders";
  ctx.csv_mapping = {{"text", "Message Body"}, {"author", "From"}};
  earshot::fuzz::FuzzConnector(*connector, input, ctx);
  return 0;
}
