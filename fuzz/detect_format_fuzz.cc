// Fuzzes format detection (DetectFormat in ingest/connector.h): any head of
// a file, cut anywhere, must yield a format that MakeConnector knows, or an
// error that says what the content looked like; a UTF-8 BOM must not change
// the answer.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_checks.h"
#include "ingest/connector.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using earshot::fuzz::Check;
  using namespace earshot::ingest;
  std::string_view head(reinterpret_cast<const char*>(data), size);

  earshot::Result<std::string> format = DetectFormat(head);
  if (format.ok()) {
    std::vector<std::string_view> names = FormatNames();
    Check(std::find(names.begin(), names.end(), *format) != names.end(), "unknown format name " + *format);
    auto connector = MakeConnector(*format);
    Check(connector.ok() && (*connector)->Name() == *format, "MakeConnector refuses detected format " + *format);
  } else {
    Check(!format.status().message().empty(), "detection error without a message");
    earshot::fuzz::CheckText(format.status().message(), "detection error message");
  }

  if (!head.starts_with("\xEF\xBB\xBF")) {
    earshot::Result<std::string> with_bom = DetectFormat("\xEF\xBB\xBF" + std::string(head));
    Check(with_bom.ok() == format.ok() && (!format.ok() || *with_bom == *format), "a BOM changes the format");
  }
  return 0;
}
