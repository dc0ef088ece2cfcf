#include "sources/sources.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "sources/fetch_internal.h"
#include "sources/poller_internal.h"
#include "testutil.h"

namespace earshot::sources {
namespace {

using earshot::testing::ReadFileOrDie;
using earshot::testing::SharedData;
using earshot::testing::TempDir;
using namespace std::chrono_literals;

constexpr char kEtag[] = "\"reuters-2017-01\"";
constexpr char kLastModified[] = "Sat, 07 Jan 2017 17:00:00 GMT";
constexpr int64_t kReutersItems = 10;  // <item>s in feeds/Rss20Reuters.xml (see its README)

// Returns true once `done()` holds, checking for up to `limit`.
bool WaitFor(const std::function<bool()>& done, std::chrono::milliseconds limit = 5000ms) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

int64_t CountItems(std::string_view body) {
  int64_t n = 0;
  for (size_t at = body.find("<item>"); at != std::string_view::npos; at = body.find("<item>", at + 1)) ++n;
  return n;
}

// A web server on 127.0.0.1 serving a real RSS 2.0 feed with validators,
// and paths that fail in each way a feed host can.
class FeedServer {
 public:
  FeedServer() : feed_(ReadFileOrDie(SharedData("feeds/Rss20Reuters.xml"))) {
    server_.Get("/feed.xml", [this](const httplib::Request& req, httplib::Response& res) {
      ++feed_requests_;
      if (req.get_header_value("If-None-Match") == kEtag ||
          req.get_header_value("If-Modified-Since") == kLastModified) {
        res.status = 304;
        return;
      }
      res.set_header("ETag", kEtag);
      res.set_header("Last-Modified", kLastModified);
      res.set_content(feed_, "application/rss+xml");
    });
    server_.Get("/lower-case-headers.xml", [this](const httplib::Request&, httplib::Response& res) {
      res.set_header("etag", kEtag);
      res.set_header("last-modified", kLastModified);
      res.set_content(feed_, "application/rss+xml");
    });
    server_.Get("/missing", [](const httplib::Request&, httplib::Response& res) {
      res.status = 404;
      res.set_content("no such feed", "text/plain");
    });
    server_.Get("/moved", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/feed.xml", 302); });
    server_.Get("/loop", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/loop", 302); });
    server_.Get("/to-ftp", [](const httplib::Request&, httplib::Response& res) {
      res.set_redirect("ftp://127.0.0.1/feed.xml", 302);
    });
    // text/* is gzipped for clients that accept it (httplib with zlib).
    server_.Get("/gzip.xml", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mu_);
      accept_encoding_ = req.get_header_value("Accept-Encoding");
      res.set_content(feed_, "text/xml");
    });
    // With Content-Length: refused before the body is read.
    server_.Get("/big", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(std::string(64 * 1024, 'x'), "application/octet-stream");
    });
    // Small on the wire, large once decoded.
    server_.Get("/big-gzip", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(std::string(64 * 1024, 'x'), "text/plain");
    });
    // No Content-Length: only the running byte count can refuse it.
    server_.Get("/big-chunked", [](const httplib::Request&, httplib::Response& res) {
      res.set_chunked_content_provider("text/plain", [](size_t offset, httplib::DataSink& sink) {
        if (offset >= 64 * 1024) {
          sink.done();
          return true;
        }
        std::string chunk(4096, 'x');
        return sink.write(chunk.data(), chunk.size());
      });
    });
    // Answers after 10 s, or when the server stops.
    server_.Get("/slow", [this](const httplib::Request&, httplib::Response& res) {
      ++slow_requests_;
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait_for(lock, 10s, [&] { return stopping_; });
      res.set_content(feed_, "application/rss+xml");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    EXPECT_GT(port_, 0);
    EXPECT_TRUE(WaitFor([this] { return server_.is_running(); })) << "test server did not start";
  }

  ~FeedServer() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    server_.stop();
    thread_.join();
  }

  std::string Url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }
  const std::string& feed() const { return feed_; }
  int feed_requests() const { return feed_requests_.load(); }
  int slow_requests() const { return slow_requests_.load(); }
  std::string accept_encoding() {
    std::lock_guard<std::mutex> lock(mu_);
    return accept_encoding_;
  }

 private:
  const std::string feed_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::atomic<int> feed_requests_{0};
  std::atomic<int> slow_requests_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::string accept_encoding_;
};

// Stands in for the real ingest: counts calls and "stores" one mention per <item>.
struct FakeIngest {
  std::atomic<int> calls{0};
  std::mutex mu;
  std::string last_body;
  std::string last_name;
  int64_t last_source_id = 0;
  std::string error;  // returned as IngestCounts::error when set

  IngestFn Fn() {
    return [this](const Source& source, const std::string& name, std::string_view body) {
      ++calls;
      std::lock_guard<std::mutex> lock(mu);
      last_body = std::string(body);
      last_name = name;
      last_source_id = source.id;
      IngestCounts counts;
      if (!error.empty()) {
        counts.error = error;
        return counts;
      }
      counts.read = CountItems(body) + 1;
      counts.stored = CountItems(body);
      counts.text_copies = 2;
      counts.rejected = 1;
      return counts;
    };
  }
};

std::unique_ptr<SourcePoller> OpenOrDie(const std::string& dir, FakeIngest& ingest, const FetchOptions& fetch = {}) {
  Result<std::unique_ptr<SourcePoller>> p = SourcePoller::Open(dir, ingest.Fn(), fetch);
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return p.ok() ? std::move(*p) : nullptr;
}

// --- Fetch -----------------------------------------------------------------

TEST(FetchTest, GetsBodyAndValidators) {
  FeedServer server;
  Result<FetchResult> r = Fetch(server.Url("/feed.xml"), "", "", {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->http_status, 200);
  EXPECT_FALSE(r->not_modified);
  EXPECT_EQ(r->body, server.feed());
  EXPECT_EQ(r->etag, kEtag);
  EXPECT_EQ(r->last_modified, kLastModified);
}

TEST(FetchTest, OffersCompressionAndDecodes) {
  FeedServer server;
  Result<FetchResult> r = Fetch(server.Url("/gzip.xml"), "", "", {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_NE(server.accept_encoding().find("gzip"), std::string::npos) << server.accept_encoding();
  EXPECT_EQ(r->body, server.feed());
}

TEST(FetchTest, MatchingEtagGivesNotModified) {
  FeedServer server;
  Result<FetchResult> first = Fetch(server.Url("/feed.xml"), "", "", {});
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  Result<FetchResult> second = Fetch(server.Url("/feed.xml"), first->etag, "", {});
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_TRUE(second->not_modified);
  EXPECT_EQ(second->http_status, 304);
  EXPECT_TRUE(second->body.empty());
}

TEST(FetchTest, MatchingLastModifiedGivesNotModified) {
  FeedServer server;
  Result<FetchResult> r = Fetch(server.Url("/feed.xml"), "", kLastModified, {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->not_modified);
}

TEST(FetchTest, StaleEtagGetsTheFeed) {
  FeedServer server;
  Result<FetchResult> r = Fetch(server.Url("/feed.xml"), "\"older\"", "", {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(r->not_modified);
  EXPECT_EQ(r->body, server.feed());
}

TEST(FetchTest, ReadsValidatorHeadersInAnyCase) {
  FeedServer server;
  Result<FetchResult> r = Fetch(server.Url("/lower-case-headers.xml"), "", "", {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->etag, kEtag);
  EXPECT_EQ(r->last_modified, kLastModified);
}

TEST(FetchTest, FollowsRedirects) {
  FeedServer server;
  Result<FetchResult> r = Fetch(server.Url("/moved"), "", "", {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->http_status, 200);
  EXPECT_EQ(r->body, server.feed());
  EXPECT_EQ(r->etag, kEtag);  // from the final response
  EXPECT_EQ(server.feed_requests(), 1);
}

TEST(FetchTest, GivesUpAfterMaxRedirects) {
  FeedServer server;
  FetchOptions options;
  options.max_redirects = 3;
  Result<FetchResult> r = Fetch(server.Url("/loop"), "", "", options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable) << r.status().ToString();
}

TEST(FetchTest, RefusesRedirectToAnotherProtocol) {
  FeedServer server;
  Result<FetchResult> r = Fetch(server.Url("/to-ftp"), "", "", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable) << r.status().ToString();
  // Refused for its protocol, not after failing to reach an FTP server.
  EXPECT_NE(r.status().message().find("ftp"), std::string::npos) << r.status().ToString();
}

TEST(FetchTest, HttpErrorIsUnavailableNamingTheStatus) {
  FeedServer server;
  const std::string url = server.Url("/missing");
  Result<FetchResult> r = Fetch(url, "", "", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(r.status().message(), "HTTP 404 from " + url);
}

TEST(FetchTest, KeepsHttpStatusOfAFailedFetch) {
  FeedServer server;
  internal::FetchOutcome out = internal::FetchWithOutcome(server.Url("/missing"), "", "", {}, nullptr);
  EXPECT_FALSE(out.status.ok());
  EXPECT_EQ(out.result.http_status, 404);
  EXPECT_FALSE(out.cancelled);
}

TEST(FetchTest, RefusesBodiesOverMaxBytes) {
  FeedServer server;
  FetchOptions options;
  options.max_bytes = 4096;
  for (const char* path : {"/big", "/big-gzip", "/big-chunked"}) {
    Result<FetchResult> r = Fetch(server.Url(path), "", "", options);
    ASSERT_FALSE(r.ok()) << path;
    EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted) << path << ": " << r.status().ToString();
  }
  options.max_bytes = 64 * 1024;  // exactly the body: accepted
  Result<FetchResult> r = Fetch(server.Url("/big-chunked"), "", "", options);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->body.size(), 64u * 1024);
}

TEST(FetchTest, TimeoutIsUnavailable) {
  FeedServer server;
  FetchOptions options;
  options.timeout_ms = 300;
  Result<FetchResult> r = Fetch(server.Url("/slow"), "", "", options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable) << r.status().ToString();
}

TEST(FetchTest, RejectsUrlsThatAreNotHttp) {
  for (const char* url :
       {"file:///etc/passwd", "ftp://x", "gopher://example.com/", "example.com/feed", "", "http://", "https:///feed",
        "http://user@/feed", "http://exa mple.com/", "http://example.com/\nHost: evil"}) {
    Result<FetchResult> r = Fetch(url, "", "", {});
    ASSERT_FALSE(r.ok()) << url;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << url << ": " << r.status().ToString();
  }
}

TEST(FetchTest, RejectsValidatorsWithLineBreaks) {
  Result<FetchResult> r = Fetch("http://127.0.0.1:1/feed", "\"a\"\r\nX-Evil: 1", "", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
}

TEST(NormalizeUrlTest, LowerCasesSchemeAndHostOnly) {
  Result<std::string> u = internal::NormalizeUrl("HTTPS://News.Example.COM:8443/Feeds/RSS?Topic=Cloud");
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_EQ(*u, "https://news.example.com:8443/Feeds/RSS?Topic=Cloud");
  Result<std::string> v6 = internal::NormalizeUrl("http://[::1]:8080/feed");
  ASSERT_TRUE(v6.ok()) << v6.status().ToString();
  EXPECT_EQ(*v6, "http://[::1]:8080/feed");
}

TEST(NormalizeUrlTest, RejectsOverlongUrls) {
  std::string url = "https://example.com/";
  EXPECT_TRUE(internal::NormalizeUrl(url + std::string(internal::kMaxUrlBytes - url.size(), 'a')).ok());
  EXPECT_EQ(internal::NormalizeUrl(url + std::string(internal::kMaxUrlBytes - url.size() + 1, 'a')).status().code(),
            StatusCode::kInvalidArgument);
}

// --- Due times ---------------------------------------------------------------

TEST(IsDueTest, NeverPolledIsDueAndThenAfterTheInterval) {
  Source s;
  s.interval_s = 900;
  EXPECT_TRUE(internal::IsDue(s, 0));
  s.polls = 1;
  s.last_polled_ms = 1'000'000;
  EXPECT_FALSE(internal::IsDue(s, 1'000'000));
  EXPECT_FALSE(internal::IsDue(s, 1'000'000 + 899'999));
  EXPECT_TRUE(internal::IsDue(s, 1'000'000 + 900'000));
}

// --- SourcePoller ------------------------------------------------------------

TEST(SourcePollerTest, PollNowIngestsTheFeedThenGetsNotModified) {
  FeedServer server;
  TempDir dir;
  FakeIngest ingest;
  auto poller = OpenOrDie(dir.str(), ingest);
  ASSERT_NE(poller, nullptr);
  Result<Source> added = poller->Add(server.Url("/feed.xml"), "feed", Channel::kNews, 900, "alice");
  ASSERT_TRUE(added.ok()) << added.status().ToString();

  Result<Source> first = poller->PollNow(added->id);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(ingest.calls.load(), 1);
  EXPECT_EQ(ingest.last_body, server.feed());
  EXPECT_EQ(ingest.last_name, added->url);
  EXPECT_EQ(ingest.last_source_id, added->id);
  EXPECT_EQ(first->last_result, "ok");
  EXPECT_EQ(first->last_http_status, 200);
  EXPECT_EQ(first->last_stored, kReutersItems);
  EXPECT_EQ(first->last_rejected, 1);
  EXPECT_EQ(first->total_stored, kReutersItems);
  EXPECT_EQ(first->last_text_copies, 2);
  EXPECT_EQ(first->total_text_copies, 2);
  EXPECT_EQ(first->polls, 1);
  EXPECT_GT(first->last_polled_ms, 0);
  EXPECT_EQ(first->etag, kEtag);
  EXPECT_EQ(first->last_modified, kLastModified);

  Result<Source> second = poller->PollNow(added->id);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(ingest.calls.load(), 1);
  EXPECT_EQ(second->last_result, "not_modified");
  EXPECT_EQ(second->last_http_status, 304);
  EXPECT_EQ(second->last_stored, 0);
  EXPECT_EQ(second->last_rejected, 0);
  EXPECT_EQ(second->total_stored, kReutersItems);
  EXPECT_EQ(second->last_text_copies, 0);
  EXPECT_EQ(second->total_text_copies, 2);
  EXPECT_EQ(second->polls, 2);
  EXPECT_EQ(second->etag, kEtag);  // a 304 keeps the validators
  EXPECT_EQ(second->last_modified, kLastModified);
  EXPECT_EQ(server.feed_requests(), 2);
}

TEST(SourcePollerTest, UpgradesAListWrittenBeforeTextCopiesWereCounted) {
  FeedServer server;
  TempDir dir;
  {
    // sources.db as schema version 1 wrote it, with one polled source.
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open((dir.path() / "sources.db").string().c_str(), &raw), SQLITE_OK);
    const std::string sql =
        "CREATE TABLE sources (id INTEGER PRIMARY KEY, url TEXT NOT NULL UNIQUE, format TEXT NOT NULL, channel TEXT, "
        "interval_s INTEGER NOT NULL, created_at_ms INTEGER NOT NULL, created_by TEXT NOT NULL, "
        "last_polled_ms INTEGER NOT NULL DEFAULT 0, last_http_status INTEGER NOT NULL DEFAULT 0, "
        "last_result TEXT NOT NULL DEFAULT '', last_stored INTEGER NOT NULL DEFAULT 0, "
        "last_rejected INTEGER NOT NULL DEFAULT 0, total_stored INTEGER NOT NULL DEFAULT 0, "
        "polls INTEGER NOT NULL DEFAULT 0, etag TEXT NOT NULL DEFAULT '', last_modified TEXT NOT NULL DEFAULT '');"
        "INSERT INTO sources (url, format, interval_s, created_at_ms, created_by, total_stored, polls) VALUES ('" +
        server.Url("/feed.xml") + "', 'feed', 900, 1, 'alice', 7, 3);"
        "PRAGMA user_version = 1;";
    EXPECT_EQ(sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(raw);
    sqlite3_close(raw);
  }
  FakeIngest ingest;
  auto poller = OpenOrDie(dir.str(), ingest);
  ASSERT_NE(poller, nullptr);
  Result<std::vector<Source>> listed = poller->List();
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  ASSERT_EQ(listed->size(), 1u);
  const Source& old = listed->front();
  EXPECT_EQ(old.total_stored, 7);
  EXPECT_EQ(old.polls, 3);
  EXPECT_EQ(old.last_text_copies, 0);
  EXPECT_EQ(old.total_text_copies, 0);
  Result<Source> polled = poller->PollNow(old.id);
  ASSERT_TRUE(polled.ok()) << polled.status().ToString();
  EXPECT_EQ(polled->total_stored, 7 + kReutersItems);
  EXPECT_EQ(polled->last_text_copies, 2);
  EXPECT_EQ(polled->total_text_copies, 2);
}

TEST(SourcePollerTest, PollNowRecordsAFailedFetch) {
  FeedServer server;
  TempDir dir;
  FakeIngest ingest;
  auto poller = OpenOrDie(dir.str(), ingest);
  ASSERT_NE(poller, nullptr);
  Result<Source> added = poller->Add(server.Url("/missing"), "auto", std::nullopt, 900, "alice");
  ASSERT_TRUE(added.ok()) << added.status().ToString();

  Result<Source> polled = poller->PollNow(added->id);
  ASSERT_TRUE(polled.ok()) << polled.status().ToString();
  EXPECT_EQ(ingest.calls.load(), 0);
  EXPECT_EQ(polled->polls, 1);
  EXPECT_EQ(polled->last_http_status, 404);
  EXPECT_EQ(polled->last_result, "HTTP 404 from " + added->url);
  EXPECT_EQ(polled->last_stored, 0);
  EXPECT_GT(polled->last_polled_ms, 0);
}

TEST(SourcePollerTest, PollNowRecordsAnIngestError) {
  FeedServer server;
  TempDir dir;
  FakeIngest ingest;
  ingest.error = "line 1: not a feed";
  auto poller = OpenOrDie(dir.str(), ingest);
  ASSERT_NE(poller, nullptr);
  Result<Source> added = poller->Add(server.Url("/feed.xml"), "csv", std::nullopt, 900, "alice");
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  Result<Source> polled = poller->PollNow(added->id);
  ASSERT_TRUE(polled.ok()) << polled.status().ToString();
  EXPECT_EQ(ingest.calls.load(), 1);
  EXPECT_EQ(polled->last_result, "line 1: not a feed");
  EXPECT_EQ(polled->last_http_status, 200);
  EXPECT_EQ(polled->polls, 1);
}

TEST(SourcePollerTest, PollNowOfUnknownIdIsNotFound) {
  TempDir dir;
  FakeIngest ingest;
  auto poller = OpenOrDie(dir.str(), ingest);
  ASSERT_NE(poller, nullptr);
  EXPECT_EQ(poller->PollNow(42).status().code(), StatusCode::kNotFound);
}

TEST(SourcePollerTest, AddValidatesUrlFormatAndInterval) {
  TempDir dir;
  FakeIngest ingest;
  auto poller = OpenOrDie(dir.str(), ingest);
  ASSERT_NE(poller, nullptr);
  const std::string url = "https://news.example.com/rss";
  auto add = [&](const std::string& u, const std::string& format, int interval_s) {
    return poller->Add(u, format, std::nullopt, interval_s, "alice").status().code();
  };
  EXPECT_EQ(add("file:///etc/passwd", "auto", 900), StatusCode::kInvalidArgument);
  EXPECT_EQ(add("ftp://x", "auto", 900), StatusCode::kInvalidArgument);
  EXPECT_EQ(add("https://", "auto", 900), StatusCode::kInvalidArgument);
  EXPECT_EQ(add("https://news.example.com/a b", "auto", 900), StatusCode::kInvalidArgument);
  EXPECT_EQ(add(url, "rss2", 900), StatusCode::kInvalidArgument);
  EXPECT_EQ(add(url, "auto", 59), StatusCode::kInvalidArgument);
  EXPECT_EQ(add(url, "auto", 7 * 24 * 3600 + 1), StatusCode::kInvalidArgument);
  Result<std::vector<Source>> none = poller->List();
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());

  EXPECT_EQ(add(url, "auto", 60), StatusCode::kOk);
  EXPECT_EQ(add(url, "feed", 900), StatusCode::kAlreadyExists);
  EXPECT_EQ(add("HTTPS://News.Example.com/rss", "feed", 900), StatusCode::kAlreadyExists);
  EXPECT_EQ(add("http://news.example.com/rss", "auto", 7 * 24 * 3600), StatusCode::kOk);  // other scheme, other URL
  for (const char* format : {"x", "feed", "mastodon", "bluesky", "hn", "reddit", "csv"}) {
    EXPECT_EQ(add(std::string("https://example.com/") + format, format, 900), StatusCode::kOk) << format;
  }
}

TEST(SourcePollerTest, ListGetAndRemove) {
  TempDir dir;
  FakeIngest ingest;
  auto poller = OpenOrDie(dir.str(), ingest);
  ASSERT_NE(poller, nullptr);
  Result<Source> a = poller->Add("https://a.example.com/feed", "feed", Channel::kNews, 600, "alice");
  Result<Source> b = poller->Add("https://b.example.com/feed", "auto", std::nullopt, 3600, "bob");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->id, b->id);

  Result<std::vector<Source>> all = poller->List();
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].url, "https://a.example.com/feed");
  EXPECT_EQ((*all)[1].url, "https://b.example.com/feed");

  Result<Source> got = poller->Get(a->id);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->format, "feed");
  EXPECT_EQ(got->channel, Channel::kNews);
  EXPECT_EQ(got->interval_s, 600);
  EXPECT_EQ(got->created_by, "alice");
  EXPECT_GT(got->created_at_ms, 0);
  EXPECT_EQ(got->polls, 0);
  EXPECT_EQ(got->last_result, "");

  ASSERT_OK(poller->Remove(a->id));
  EXPECT_EQ(poller->Get(a->id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(poller->Remove(a->id).code(), StatusCode::kNotFound);
  all = poller->List();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].id, b->id);
  EXPECT_FALSE((*all)[0].channel.has_value());
}

TEST(SourcePollerTest, ReopenKeepsSourcesAndValidators) {
  FeedServer server;
  TempDir dir;
  const std::string data_dir = (dir.path() / "not" / "yet").string();  // created by Open
  FakeIngest ingest;
  int64_t id = 0;
  {
    auto poller = OpenOrDie(data_dir, ingest);
    ASSERT_NE(poller, nullptr);
    Result<Source> added = poller->Add(server.Url("/feed.xml"), "feed", Channel::kBlog, 1800, "alice");
    ASSERT_TRUE(added.ok()) << added.status().ToString();
    id = added->id;
    ASSERT_TRUE(poller->PollNow(id).ok());
  }
  auto poller = OpenOrDie(data_dir, ingest);
  ASSERT_NE(poller, nullptr);
  Result<Source> got = poller->Get(id);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->url, server.Url("/feed.xml"));
  EXPECT_EQ(got->channel, Channel::kBlog);
  EXPECT_EQ(got->interval_s, 1800);
  EXPECT_EQ(got->etag, kEtag);
  EXPECT_EQ(got->last_modified, kLastModified);
  EXPECT_EQ(got->last_result, "ok");
  EXPECT_EQ(got->total_stored, kReutersItems);
  EXPECT_EQ(got->polls, 1);

  // The kept validators make the next poll a conditional one.
  Result<Source> polled = poller->PollNow(id);
  ASSERT_TRUE(polled.ok()) << polled.status().ToString();
  EXPECT_EQ(polled->last_result, "not_modified");
  EXPECT_EQ(ingest.calls.load(), 1);
}

TEST(SourcePollerTest, OpenRejectsBadFetchOptions) {
  TempDir dir;
  FakeIngest ingest;
  FetchOptions options;
  options.max_bytes = 0;
  EXPECT_EQ(SourcePoller::Open(dir.str(), ingest.Fn(), options).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(SourcePoller::Open(dir.str(), nullptr).status().code(), StatusCode::kInvalidArgument);
}

TEST(SourcePollerTest, BackgroundThreadPollsWhenDue) {
  FeedServer server;
  TempDir dir;
  FakeIngest ingest;
  std::atomic<int64_t> now_ms{1'700'000'000'000};
  Result<std::unique_ptr<SourcePoller>> opened =
      internal::OpenWithClock(dir.str(), ingest.Fn(), {}, [&] { return now_ms.load(); });
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  SourcePoller& poller = **opened;
  Result<Source> added = poller.Add(server.Url("/feed.xml"), "feed", std::nullopt, 600, "alice");
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  auto polls = [&] {
    Result<Source> s = poller.Get(added->id);
    return s.ok() ? s->polls : -1;
  };

  poller.Start();
  poller.Start();  // idempotent
  ASSERT_TRUE(WaitFor([&] { return polls() >= 1; })) << "a new source was not polled";
  EXPECT_EQ(ingest.calls.load(), 1);
  Result<Source> first = poller.Get(added->id);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->last_result, "ok");
  EXPECT_EQ(first->last_polled_ms, now_ms.load());

  // Once its interval has passed, the source is due again.
  now_ms += 600'000;
  ASSERT_TRUE(WaitFor([&] { return polls() >= 2; })) << "a due source was not polled again";
  Result<Source> second = poller.Get(added->id);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->last_result, "not_modified");
  EXPECT_EQ(second->last_polled_ms, now_ms.load());

  poller.Stop();
  poller.Stop();   // idempotent
  poller.Start();  // restartable
  poller.Stop();
}

TEST(SourcePollerTest, StopAbandonsAFetchInProgress) {
  FeedServer server;
  TempDir dir;
  FakeIngest ingest;
  auto poller = OpenOrDie(dir.str(), ingest);  // default 20 s timeout; /slow answers after 10 s
  ASSERT_NE(poller, nullptr);
  Result<Source> added = poller->Add(server.Url("/slow"), "feed", std::nullopt, 600, "alice");
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  poller->Start();
  ASSERT_TRUE(WaitFor([&] { return server.slow_requests() >= 1; })) << "the source was not fetched";
  poller->Stop();
  // Cancelled, not recorded: the source stays due for the next start.
  Result<Source> after = poller->Get(added->id);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->polls, 0);
  EXPECT_EQ(ingest.calls.load(), 0);
}

TEST(SourcePollerTest, ConcurrentCallsWhileThePollerRuns) {
  FeedServer server;
  TempDir dir;
  FakeIngest ingest;
  auto poller = OpenOrDie(dir.str(), ingest);
  ASSERT_NE(poller, nullptr);
  Result<Source> feed = poller->Add(server.Url("/feed.xml"), "feed", std::nullopt, 600, "alice");
  ASSERT_TRUE(feed.ok()) << feed.status().ToString();
  poller->Start();
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        // Local, so that the polling thread fetching them stays off the network.
        std::string url = server.Url("/missing?t=" + std::to_string(t) + "&i=" + std::to_string(i));
        Result<Source> s = poller->Add(url, "auto", std::nullopt, 600, "alice");
        if (!s.ok() || !poller->List().ok() || !poller->PollNow(feed->id).ok()) ++failures;
        if (s.ok() && !poller->Remove(s->id).ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  poller->Stop();
  EXPECT_EQ(failures.load(), 0);
  Result<Source> after = poller->Get(feed->id);
  ASSERT_TRUE(after.ok());
  EXPECT_GE(after->polls, 20);  // every PollNow recorded
  EXPECT_EQ(after->total_stored, kReutersItems * ingest.calls.load());
}

}  // namespace
}  // namespace earshot::sources
