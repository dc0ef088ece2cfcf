#include "ingest/input_reader.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/strings.h"

namespace earshot::ingest {
namespace {

constexpr size_t kChunk = 1 << 20;
constexpr size_t kHeadBytes = 64 << 10;

// Where input bytes come from: a file descriptor or a buffer in memory.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Appends up to `max` more bytes to `buf`; returns how many (0 at the end).
  virtual Result<size_t> More(std::string& buf, size_t max) = 0;
};

Status PosixError(const std::string& path, std::string_view what) {
  return Status::IOError(std::string(what) + " '" + path + "': " + std::strerror(errno));
}

// An open file descriptor, closed on scope exit when owned.
class FdSource : public ByteSource {
 public:
  FdSource(int fd, bool owned, const std::string& path) : fd_(fd), owned_(owned), path_(path) {}
  ~FdSource() override {
    if (owned_ && fd_ >= 0) ::close(fd_);
  }
  FdSource(const FdSource&) = delete;
  FdSource& operator=(const FdSource&) = delete;

  Result<size_t> More(std::string& buf, size_t max) override {
    size_t old = buf.size();
    buf.resize(old + max);
    while (true) {
      ssize_t n = ::read(fd_, buf.data() + old, max);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        buf.resize(old);
        return PosixError(path_, "read");
      }
      buf.resize(old + static_cast<size_t>(n));
      return static_cast<size_t>(n);
    }
  }

 private:
  int fd_;
  bool owned_;
  const std::string& path_;
};

class BufferSource : public ByteSource {
 public:
  explicit BufferSource(std::string_view data) : rest_(data) {}
  Result<size_t> More(std::string& buf, size_t max) override {
    size_t n = std::min(max, rest_.size());
    buf.append(rest_.data(), n);
    rest_.remove_prefix(n);
    return n;
  }

 private:
  std::string_view rest_;
};

bool IsBlank(std::string_view line) { return TrimAscii(line).empty(); }

// Wraps the caller's sink to count records, so each call's first index is known.
class CountingSink : public RecordSink {
 public:
  explicit CountingSink(RecordSink& inner) : inner_(inner) {}
  void OnMention(Mention m, const RecordRef& ref) override {
    ++count_;
    inner_.OnMention(std::move(m), ref);
  }
  void OnRecycledMention(Mention& m, const RecordRef& ref) override {
    ++count_;
    inner_.OnRecycledMention(m, ref);
  }
  void OnReject(const RecordRef& ref, std::string reason, std::string_view raw) override {
    ++count_;
    inner_.OnReject(ref, std::move(reason), raw);
  }
  void OnSkip(const RecordRef& ref, std::string reason) override {
    ++count_;
    inner_.OnSkip(ref, std::move(reason));
  }
  int64_t count() const { return count_; }

 private:
  RecordSink& inner_;
  int64_t count_ = 0;
};

// Feeds a line-framed input to `conn`, one line per call.
Status ReadLines(ByteSource& in, std::string buf, Connector& conn, ParseContext ctx,
                 const InputOptions& options, CountingSink& sink, const ProgressFn& progress) {
  int64_t line_no = 1;
  int64_t consumed = 0;
  size_t start = 0;
  bool eof = false;
  bool skipping = false;  // inside an over-long line already rejected
  while (true) {
    size_t nl = buf.find('\n', start);
    if (nl == std::string::npos && !eof) {
      // Keep the partial line, read more.
      buf.erase(0, start);
      consumed += static_cast<int64_t>(start);
      start = 0;
      if (!skipping && buf.size() > options.max_record_bytes) {
        RecordRef ref{line_no, ctx.first_index + sink.count()};
        sink.OnReject(ref, "record larger than " + std::to_string(options.max_record_bytes) + " bytes",
                      std::string_view(buf).substr(0, 256));
        skipping = true;
      }
      if (skipping) {
        consumed += static_cast<int64_t>(buf.size());
        buf.clear();
      }
      EARSHOT_ASSIGN_OR_RETURN(size_t n, in.More(buf, kChunk));
      eof = n == 0;
      if (progress) progress(consumed);
      continue;
    }
    size_t end = nl == std::string::npos ? buf.size() : nl;
    std::string_view line(buf.data() + start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (skipping) {
      skipping = false;  // the tail of the over-long line
    } else if (line.size() > options.max_record_bytes) {
      sink.OnReject({line_no, ctx.first_index + sink.count()},
                    "record larger than " + std::to_string(options.max_record_bytes) + " bytes", line.substr(0, 256));
    } else if (!IsBlank(line)) {
      ctx.line = line_no;
      ctx.first_index = 1 + sink.count();
      Status st = conn.Parse(line, ctx, sink);
      if (!st.ok()) sink.OnReject({line_no, 1 + sink.count()}, st.message(), line.substr(0, 4096));
    }
    ++line_no;
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  if (progress) progress(consumed + static_cast<int64_t>(buf.size()));
  return Status::Ok();
}

}  // namespace

Result<std::vector<std::string>> ExpandPaths(const std::vector<std::string>& paths) {
  std::vector<std::string> out;
  for (const std::string& p : paths) {
    if (p == "-") {
      out.push_back(p);
      continue;
    }
    std::error_code ec;
    auto st = std::filesystem::status(p, ec);
    if (ec || !std::filesystem::exists(st)) return Status::NotFound("no such file or directory: '" + p + "'");
    if (!std::filesystem::is_directory(st)) {
      out.push_back(p);
      continue;
    }
    std::vector<std::string> files;
    for (auto it = std::filesystem::recursive_directory_iterator(p, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      std::string name = it->path().filename().string();
      if (!name.empty() && name[0] == '.') {
        if (it->is_directory()) it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file()) files.push_back(it->path().string());
    }
    if (ec) return Status::IOError("cannot list '" + p + "': " + ec.message());
    std::sort(files.begin(), files.end());
    out.insert(out.end(), files.begin(), files.end());
  }
  return out;
}

int64_t InputSize(const std::string& path) {
  if (path == "-") return -1;
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  return ec ? -1 : static_cast<int64_t>(size);
}

namespace {

// Detects the format of `in` (unless given), frames it and feeds its connector.
Status ReadFrom(ByteSource& in, const std::string& path, const std::string& source_name,
                const InputOptions& options, RecordSink& sink, const ProgressFn& progress) {
  std::string buf;
  // Read the head for detection (and keep it: it is the start of the input).
  while (buf.size() < kHeadBytes) {
    EARSHOT_ASSIGN_OR_RETURN(size_t n, in.More(buf, kHeadBytes - buf.size()));
    if (n == 0) break;
  }
  if (TrimAscii(buf).empty()) return Status::InvalidArgument("empty input");

  std::string format = options.format;
  if (format.empty() || format == "auto") {
    Result<std::string> detected = DetectFormat(buf);
    if (!detected.ok()) return detected.status();
    format = *detected;
  }
  EARSHOT_ASSIGN_OR_RETURN(std::unique_ptr<Connector> conn, MakeConnector(format));

  ParseContext ctx;
  ctx.file = path;
  ctx.max_record_bytes = options.max_record_bytes;
  ctx.channel = options.channel;
  ctx.csv_mapping = options.csv_mapping;
  ctx.source_name = source_name;
  CountingSink counting(sink);

  if (conn->framing() == Framing::kLines) {
    // A pretty-printed single document (one X response spread over lines)
    // is not line-framed: try it whole first when the first line is not
    // complete JSON by itself.
    size_t first_nl = buf.find('\n');
    std::string_view first = TrimAscii(std::string_view(buf).substr(0, first_nl));
    bool whole_document = (first == "{" || first == "[");
    if (!whole_document) {
      return ReadLines(in, std::move(buf), *conn, ctx, options, counting, progress);
    }
  }
  // Document framing: read it all (bounded).
  while (true) {
    if (buf.size() > options.max_document_bytes) {
      return Status::ResourceExhausted("'" + path + "' is larger than " +
                                       std::to_string(options.max_document_bytes) + " bytes");
    }
    EARSHOT_ASSIGN_OR_RETURN(size_t n, in.More(buf, kChunk));
    if (n == 0) break;
  }
  if (progress) progress(static_cast<int64_t>(buf.size()));
  ctx.line = 1;
  ctx.first_index = 1;
  return conn->Parse(buf, ctx, counting);
}

}  // namespace

Status ReadInput(const std::string& path, const InputOptions& options, RecordSink& sink, const ProgressFn& progress) {
  int raw_fd = path == "-" ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (raw_fd < 0) return PosixError(path, "open");
  FdSource in(raw_fd, path != "-", path);
  std::string source_name = path == "-" ? "stdin" : std::filesystem::path(path).stem().string();
  return ReadFrom(in, path, source_name, options, sink, progress);
}

Status ReadBuffer(const std::string& name, std::string_view content, const InputOptions& options,
                  RecordSink& sink) {
  BufferSource in(content);
  std::string source_name = std::filesystem::path(name).stem().string();
  if (source_name.empty()) source_name = name;
  return ReadFrom(in, name, source_name, options, sink, nullptr);
}

}  // namespace earshot::ingest
