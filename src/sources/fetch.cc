// Fetch(): one conditional GET with libcurl, bounded in time, size,
// redirects and protocols.
#include <curl/curl.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "core/strings.h"
#include "sources/fetch_internal.h"
#include "sources/sources.h"

namespace earshot::sources {
namespace {

struct CurlEasyCleanup {
  void operator()(CURL* h) const { curl_easy_cleanup(h); }
};
struct CurlSlistFree {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using CurlEasy = std::unique_ptr<CURL, CurlEasyCleanup>;
using CurlSlist = std::unique_ptr<curl_slist, CurlSlistFree>;

// Validators longer than this are not kept: no server needs them, and they
// are sent back on every poll.
constexpr size_t kMaxValidatorBytes = 1024;

// curl_global_init is not thread-safe and must run once per process before
// any handle is made; Fetch() is called from several threads.
Status InitCurlOnce() {
  static std::once_flag once;
  static CURLcode rc = CURLE_OK;
  std::call_once(once, [] { rc = curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (rc != CURLE_OK) return Status::Internal(std::string("curl_global_init: ") + curl_easy_strerror(rc));
  return Status::Ok();
}

template <typename T>
Status SetOpt(CURL* h, CURLoption option, T value, std::string_view name) {
  CURLcode rc = curl_easy_setopt(h, option, value);
  if (rc != CURLE_OK) return Status::Internal("curl option " + std::string(name) + ": " + curl_easy_strerror(rc));
  return Status::Ok();
}

// Collects the body, refusing (not truncating) one over max_bytes.
struct BodySink {
  std::string* body;
  size_t max_bytes;
  bool too_large = false;
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<BodySink*>(user);
  const size_t len = size * count;
  if (sink->body->size() + len > sink->max_bytes) {
    sink->too_large = true;
    return 0;  // anything but `len` makes curl stop with CURLE_WRITE_ERROR
  }
  sink->body->append(data, len);
  return len;
}

struct Validators {
  std::string etag;
  std::string last_modified;
};

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* seen = static_cast<Validators*>(user);
  const size_t len = size * count;
  std::string_view line(data, len);
  // Each response (every redirect hop, a 100 Continue) starts with its
  // status line; only the final response's validators count.
  if (StartsWithIgnoreAsciiCase(line, "HTTP/")) {
    *seen = {};
    return len;
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) return len;
  std::string_view name = TrimAscii(line.substr(0, colon));
  std::string_view value = TrimAscii(line.substr(colon + 1));
  if (value.size() > kMaxValidatorBytes) return len;
  if (EqualsIgnoreAsciiCase(name, "ETag")) {
    seen->etag = std::string(value);
  } else if (EqualsIgnoreAsciiCase(name, "Last-Modified")) {
    seen->last_modified = std::string(value);
  }
  return len;
}

// Called by curl about once a second and on progress; a non-zero return
// aborts the transfer with CURLE_ABORTED_BY_CALLBACK.
int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto* cancel = static_cast<const std::atomic<bool>*>(user);
  return cancel->load() ? 1 : 0;
}

bool HasLineBreak(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }

// Appends "`name`: `value`" to `headers` unless `value` is empty.
Status AppendHeader(CurlSlist& headers, std::string_view name, const std::string& value) {
  if (value.empty()) return Status::Ok();
  // A line break would let the value add headers of its own.
  if (HasLineBreak(value)) return Status::InvalidArgument(std::string(name) + " value contains a line break");
  std::string line = std::string(name) + ": " + value;
  curl_slist* head = curl_slist_append(headers.get(), line.c_str());
  if (head == nullptr) return Status::ResourceExhausted("curl_slist_append failed");
  // curl_slist_append returns the same head once the list is non-empty.
  (void)headers.release();
  headers.reset(head);
  return Status::Ok();
}

Status Configure(CURL* h, const std::string& url, const FetchOptions& o, curl_slist* headers, char* errbuf,
                 BodySink* sink, Validators* seen, const std::atomic<bool>* cancel) {
  EARSHOT_RETURN_IF_ERROR(SetOpt(h, CURLOPT_URL, url.c_str(), "URL"));
  EARSHOT_RETURN_IF_ERROR(SetOpt(h, CURLOPT_ERRORBUFFER, errbuf, "ERRORBUFFER"));
  // Signals cannot be used for timeouts in a multi-threaded server.
  EARSHOT_RETURN_IF_ERROR(SetOpt(h, CURLOPT_NOSIGNAL, 1L, "NOSIGNAL"));
  // Only the web: no file://, ftp://, gopher:// ... neither asked for nor
  // reached through a redirect.
#if LIBCURL_VERSION_NUM >= 0x075500
  EARSHOT_RETURN_IF_ERROR(SetOpt(h, CURLOPT_PROTOCOLS_STR, "http,https", "PROTOCOLS_STR"));
  EARSHOT_RETURN_IF_ERROR(SetOpt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https", "REDIR_PROTOCOLS_STR"));
#else
  EARSHOT_RETURN_IF_ERROR(SetOpt(h, CURLOPT_PROTOCOLS, long{CURLPROTO_HTTP | CURLPROTO_HTTPS}, "PROTOCOLS"));
  EARSHOT_RETURN_IF_ERROR(
      SetOpt(h, CURLOPT_REDIR_PROTOCOLS, long{CURLPROTO_HTTP | CURLPROTO_HTTPS}, "REDIR_PROTOCOLS"));
#endif
  EARSHOT_RETURN_IF_ERROR(SetOpt(h, CURLOPT_FOLLOWLOCATION, 1L, "FOLLOWLOCATION"));
  EARSHOT_RETURN_IF_ERROR(SetOpt(h, CURLOPT_MAXREDIRS, static_cast<long>(o.max_redirects), "MAXREDIRS"));
  EARSHOT_RETURN_IF_ERROR(SetOpt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(o.timeout_ms), "TIMEOUT_MS"));
  // "" offers every encoding this curl decodes (gzip, deflate, ...) and
  // hands the body over decoded.
  EARSHOT_RETURN_IF_ERROR(SetOpt(h, CURLOPT_ACCEPT_ENCODING, "", "ACCEPT_ENCODING"));
  EARSHOT_RETURN_IF_ERROR(SetOpt(h, CURLOPT_USERAGENT, o.user_agent.c_str(), "USERAGENT"));
  // >= 400 ends the transfer before the error page is read.
  EARSHOT_RETURN_IF_ERROR(SetOpt(h, CURLOPT_FAILONERROR, 1L, "FAILONERROR"));
  // Refuses early when Content-Length says too much; OnBody covers bodies
  // of unknown length and what decompression adds.
  EARSHOT_RETURN_IF_ERROR(
      SetOpt(h, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(o.max_bytes), "MAXFILESIZE_LARGE"));
  if (headers != nullptr) EARSHOT_RETURN_IF_ERROR(SetOpt(h, CURLOPT_HTTPHEADER, headers, "HTTPHEADER"));
  EARSHOT_RETURN_IF_ERROR(SetOpt(h, CURLOPT_WRITEFUNCTION, &OnBody, "WRITEFUNCTION"));
  EARSHOT_RETURN_IF_ERROR(SetOpt(h, CURLOPT_WRITEDATA, static_cast<void*>(sink), "WRITEDATA"));
  EARSHOT_RETURN_IF_ERROR(SetOpt(h, CURLOPT_HEADERFUNCTION, &OnHeader, "HEADERFUNCTION"));
  EARSHOT_RETURN_IF_ERROR(SetOpt(h, CURLOPT_HEADERDATA, static_cast<void*>(seen), "HEADERDATA"));
  if (cancel != nullptr) {
    EARSHOT_RETURN_IF_ERROR(SetOpt(h, CURLOPT_XFERINFOFUNCTION, &OnProgress, "XFERINFOFUNCTION"));
    EARSHOT_RETURN_IF_ERROR(
        SetOpt(h, CURLOPT_XFERINFODATA, const_cast<void*>(static_cast<const void*>(cancel)), "XFERINFODATA"));
    EARSHOT_RETURN_IF_ERROR(SetOpt(h, CURLOPT_NOPROGRESS, 0L, "NOPROGRESS"));
  }
  return Status::Ok();
}

// Returns the Status for a transfer that ended with `rc`.
Status TransferError(CURLcode rc, const std::string& url, const FetchOptions& o, const BodySink& sink, long http_status,
                     const char* errbuf) {
  if ((rc == CURLE_WRITE_ERROR && sink.too_large) || rc == CURLE_FILESIZE_EXCEEDED) {
    return Status::ResourceExhausted("the body of " + url + " is larger than max_bytes (" +
                                     std::to_string(o.max_bytes) + " bytes)");
  }
  if (rc == CURLE_HTTP_RETURNED_ERROR && http_status >= 400) {
    return Status::Unavailable("HTTP " + std::to_string(http_status) + " from " + url);
  }
  std::string detail = errbuf[0] != '\0' ? std::string(errbuf) : std::string(curl_easy_strerror(rc));
  return Status::Unavailable("fetch " + url + ": " + detail);
}

}  // namespace

namespace internal {

Status ValidateFetchOptions(const FetchOptions& o) {
  if (o.timeout_ms <= 0) return Status::InvalidArgument("fetch option timeout_ms must be > 0");
  if (o.max_bytes <= 0) return Status::InvalidArgument("fetch option max_bytes must be > 0");
  if (o.max_redirects < 0) return Status::InvalidArgument("fetch option max_redirects must be >= 0");
  return Status::Ok();
}

FetchOutcome FetchWithOutcome(const std::string& url, const std::string& etag, const std::string& last_modified,
                              const FetchOptions& options, const std::atomic<bool>* cancel) {
  FetchOutcome out;
  Result<std::string> checked = NormalizeUrl(url);
  if (!checked.ok()) {
    out.status = checked.status();
    return out;
  }
  out.status = ValidateFetchOptions(options);
  if (out.status.ok()) out.status = InitCurlOnce();
  if (!out.status.ok()) return out;

  // Everything the handle points at is declared before it, so outlives it.
  CurlSlist headers;
  out.status = AppendHeader(headers, "If-None-Match", etag);
  if (out.status.ok()) out.status = AppendHeader(headers, "If-Modified-Since", last_modified);
  if (!out.status.ok()) return out;
  char errbuf[CURL_ERROR_SIZE] = {};
  BodySink sink{&out.result.body, static_cast<size_t>(options.max_bytes)};
  Validators seen;

  CurlEasy handle(curl_easy_init());
  if (!handle) {
    out.status = Status::Internal("curl_easy_init failed");
    return out;
  }
  out.status = Configure(handle.get(), *checked, options, headers.get(), errbuf, &sink, &seen, cancel);
  if (!out.status.ok()) return out;

  CURLcode rc = curl_easy_perform(handle.get());
  long http_status = 0;
  if (curl_easy_getinfo(handle.get(), CURLINFO_RESPONSE_CODE, &http_status) != CURLE_OK) http_status = 0;
  out.result.http_status = static_cast<int>(http_status);

  if (rc == CURLE_ABORTED_BY_CALLBACK && cancel != nullptr && cancel->load()) {
    out.cancelled = true;
    out.status = Status::Unavailable("fetch " + url + ": cancelled");
    out.result.body.clear();
    return out;
  }
  if (rc != CURLE_OK) {
    out.status = TransferError(rc, url, options, sink, http_status, errbuf);
    out.result.body.clear();
    return out;
  }
  out.result.etag = std::move(seen.etag);
  out.result.last_modified = std::move(seen.last_modified);
  if (http_status == 304) {
    out.result.not_modified = true;
    out.result.body.clear();
  } else if (http_status < 200 || http_status >= 300) {
    // FAILONERROR lets some >= 400 through (401/407), and a 3xx without a
    // usable Location ends here too.
    out.status = Status::Unavailable("HTTP " + std::to_string(http_status) + " from " + url);
    out.result.body.clear();
  }
  return out;
}

Result<std::string> NormalizeUrl(std::string_view url) {
  if (url.empty()) return Status::InvalidArgument("the source URL is empty");
  if (url.size() > kMaxUrlBytes) {
    return Status::InvalidArgument("the source URL is longer than " + std::to_string(kMaxUrlBytes) + " bytes");
  }
  for (char c : url) {
    auto u = static_cast<unsigned char>(c);
    // Not echoed: the URL could carry anything.
    if (u <= 0x20 || u == 0x7F) {
      return Status::InvalidArgument("the source URL contains whitespace or a control character");
    }
  }
  size_t scheme_len = 0;
  if (StartsWithIgnoreAsciiCase(url, "http://")) {
    scheme_len = 4;
  } else if (StartsWithIgnoreAsciiCase(url, "https://")) {
    scheme_len = 5;
  } else {
    return Status::InvalidArgument("only http:// and https:// URLs can be polled: " + std::string(url));
  }
  const size_t authority_begin = scheme_len + 3;
  size_t authority_end = url.find_first_of("/?#", authority_begin);
  if (authority_end == std::string_view::npos) authority_end = url.size();
  std::string_view authority = url.substr(authority_begin, authority_end - authority_begin);
  size_t at = authority.rfind('@');
  const size_t host_begin = at == std::string_view::npos ? 0 : at + 1;
  std::string_view host_port = authority.substr(host_begin);
  size_t host_len = host_port.starts_with('[') ? host_port.find(']') + 1 : host_port.find(':');
  if (host_port.starts_with('[') && host_len == 0) {
    return Status::InvalidArgument("the source URL has an unclosed IPv6 address: " + std::string(url));
  }
  std::string_view host = host_port.substr(0, host_len);
  if (host.empty() || host == "[]") return Status::InvalidArgument("the source URL has no host: " + std::string(url));

  // Scheme and host are case-insensitive; lower-casing them makes
  // "HTTP://Example.com/feed" and "http://example.com/feed" one source.
  std::string out(url);
  const size_t host_at = authority_begin + host_begin;
  for (size_t i = 0; i < scheme_len; ++i) out[i] = AsciiToLower(out[i]);
  for (size_t i = host_at; i < host_at + host.size(); ++i) out[i] = AsciiToLower(out[i]);
  return out;
}

}  // namespace internal

Result<FetchResult> Fetch(const std::string& url, const std::string& etag, const std::string& last_modified,
                          const FetchOptions& options) {
  internal::FetchOutcome out = internal::FetchWithOutcome(url, etag, last_modified, options, nullptr);
  if (!out.status.ok()) return out.status;
  return std::move(out.result);
}

}  // namespace earshot::sources
