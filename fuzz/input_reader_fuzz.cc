// Fuzzes the ingest driver (ReadInput in ingest/input_reader.h) end to end:
// the input becomes an in-memory file read with format detection, so
// detection, framing and the chosen connector run together. Records must
// keep the RecordSink contract (see fuzz_checks.h), numbered from 1, with
// mentions from the connector detection chose.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_checks.h"
#include "ingest/connector.h"
#include "ingest/input_reader.h"

namespace {

// An in-memory file holding a copy of the input; closed on scope exit.
class MemFile {
 public:
  explicit MemFile(std::string_view contents) : fd_(::memfd_create("earshot-fuzz", MFD_CLOEXEC)) {
    earshot::fuzz::Check(fd_ >= 0, "memfd_create failed");
    size_t done = 0;
    while (done < contents.size()) {
      ssize_t n = ::write(fd_, contents.data() + done, contents.size() - done);
      earshot::fuzz::Check(n > 0, "write to memfd failed");
      done += static_cast<size_t>(n);
    }
  }
  ~MemFile() { ::close(fd_); }
  MemFile(const MemFile&) = delete;
  MemFile& operator=(const MemFile&) = delete;

  // Returns a path that opens the file afresh, at offset 0.
  std::string path() const { return "/proc/self/fd/" + std::to_string(fd_); }

 private:
  int fd_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace earshot::ingest;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  // ReadInput detects from the first 64 KiB; so does this.
  earshot::Result<std::string> format = DetectFormat(input.substr(0, 64 << 10));
  MemFile file(input);
  // Mentions are only possible when detection succeeds; the checking sink
  // then expects that connector's source name.
  earshot::fuzz::CheckingSink sink(format.ok() ? *format : "(none)", 1);
  sink.ExpectLines(1, 1 + earshot::fuzz::LineBreaks(input));
  InputOptions options;
  options.max_record_bytes = 16 << 10;  // small, so the size limits are reached too
  earshot::Status status = ReadInput(file.path(), options, sink);
  sink.OnStatus(status);
  if (!format.ok()) earshot::fuzz::Check(!status.ok(), "undetectable input read without an error");
  return 0;
}
