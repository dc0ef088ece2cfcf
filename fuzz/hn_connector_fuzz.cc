// Fuzzes the Hacker News connector through its public factory: any input must be
// parsed or refused cleanly, and every record reported must keep the
// RecordSink contract (see fuzz_checks.h).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "fuzz_checks.h"
#include "ingest/hn_connector.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // One instance for the whole run, as the driver reuses one: FuzzConnector
  // parses each input twice and fails when the first parse changed the second.
  static const std::unique_ptr<earshot::ingest::Connector> connector = earshot::ingest::NewHnConnector();
  std::string_view input(reinterpret_cast<const char*>(data), size);
  earshot::fuzz::FuzzConnector(*connector, input, earshot::fuzz::FuzzContext());
  return 0;
}
