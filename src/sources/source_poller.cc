// SourcePoller: the list of sources in <data>/sources.db and the thread that
// polls each one when due.
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <filesystem>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "core/strings.h"
#include "sources/fetch_internal.h"
#include "sources/poller_internal.h"
#include "sources/sources.h"
#include "store/sqlite/sqlite_handle.h"

namespace earshot::sources {
namespace {

using store::sqlite::DbHandle;
using store::sqlite::Exec;
using store::sqlite::SqliteError;
using store::sqlite::Stmt;
using store::sqlite::StmtResetter;

// The connector names of ingest::FormatNames() (src/ingest/connector.h).
// Kept here because sources sits below ingest in the dependency graph; the
// ingest function still decides, and records its error, if they drift.
constexpr std::array<std::string_view, 7> kFormats = {"x", "feed", "mastodon", "bluesky", "hn", "reddit", "csv"};

// How long the polling thread sleeps between looks at the list.
constexpr std::chrono::seconds kWakeInterval{1};

// SQLite waits this long for a lock held by another process (a second
// `earshot` on the same data directory) before failing.
constexpr int kBusyTimeoutMs = 5000;

// Schema steps: step i brings PRAGMA user_version from i to i + 1.
constexpr std::array<std::string_view, 2> kSchemaSteps = {
    // 1: the list. Validators and the last poll's outcome live in the row so
    // that a restart neither refetches unchanged feeds nor forgets errors.
    R"sql(
CREATE TABLE sources (
  id INTEGER PRIMARY KEY,
  url TEXT NOT NULL UNIQUE,
  format TEXT NOT NULL,
  channel TEXT,                 -- NULL: the connector decides
  interval_s INTEGER NOT NULL,
  created_at_ms INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  last_polled_ms INTEGER NOT NULL DEFAULT 0,  -- 0: never polled
  last_http_status INTEGER NOT NULL DEFAULT 0,
  last_result TEXT NOT NULL DEFAULT '',
  last_stored INTEGER NOT NULL DEFAULT 0,
  last_rejected INTEGER NOT NULL DEFAULT 0,
  total_stored INTEGER NOT NULL DEFAULT 0,
  polls INTEGER NOT NULL DEFAULT 0,
  etag TEXT NOT NULL DEFAULT '',
  last_modified TEXT NOT NULL DEFAULT ''
);
)sql",
    // 2: how many of the mentions a poll stored were exact copies of a
    // stored text, as ingest reports them.
    R"sql(
ALTER TABLE sources ADD COLUMN last_text_copies INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sources ADD COLUMN total_text_copies INTEGER NOT NULL DEFAULT 0;
)sql",
};

constexpr std::string_view kColumns =
    "id, url, format, channel, interval_s, created_at_ms, created_by, last_polled_ms, last_http_status, "
    "last_result, last_stored, last_rejected, total_stored, polls, etag, last_modified, last_text_copies, "
    "total_text_copies";

Result<int> SchemaVersion(sqlite3* db) {
  EARSHOT_ASSIGN_OR_RETURN(Stmt q, Stmt::Prepare(db, "PRAGMA user_version"));
  EARSHOT_ASSIGN_OR_RETURN(bool row, q.Step());
  return row ? static_cast<int>(q.Int(0)) : 0;
}

Status Migrate(sqlite3* db, const std::string& path) {
  EARSHOT_ASSIGN_OR_RETURN(int version, SchemaVersion(db));
  const int current = static_cast<int>(kSchemaSteps.size());
  if (version > current) {
    return Status::FailedPrecondition(path + " has schema version " + std::to_string(version) +
                                      ", newer than this build's " + std::to_string(current));
  }
  for (int v = version; v < current; ++v) {
    EARSHOT_RETURN_IF_ERROR(Exec(db, "BEGIN IMMEDIATE"));
    Status st = Exec(db, kSchemaSteps[static_cast<size_t>(v)]);
    if (st.ok()) st = Exec(db, "PRAGMA user_version = " + std::to_string(v + 1));
    if (!st.ok()) {
      (void)Exec(db, "ROLLBACK");
      return st.WithContext(path + ": migration to schema version " + std::to_string(v + 1));
    }
    EARSHOT_RETURN_IF_ERROR(Exec(db, "COMMIT"));
  }
  return Status::Ok();
}

Source ReadSource(const Stmt& q) {
  Source s;
  s.id = q.Int(0);
  s.url = std::string(q.Text(1));
  s.format = std::string(q.Text(2));
  if (!q.IsNull(3)) s.channel = ParseChannel(q.Text(3));
  s.interval_s = static_cast<int>(q.Int(4));
  s.created_at_ms = q.Int(5);
  s.created_by = std::string(q.Text(6));
  s.last_polled_ms = q.Int(7);
  s.last_http_status = static_cast<int>(q.Int(8));
  s.last_result = std::string(q.Text(9));
  s.last_stored = q.Int(10);
  s.last_rejected = q.Int(11);
  s.total_stored = q.Int(12);
  s.polls = q.Int(13);
  s.etag = std::string(q.Text(14));
  s.last_modified = std::string(q.Text(15));
  s.last_text_copies = q.Int(16);
  s.total_text_copies = q.Int(17);
  return s;
}

// Returns the canonical format name, or InvalidArgument listing the known ones.
Result<std::string> CheckFormat(std::string_view format) {
  std::string f = AsciiLower(TrimAscii(format));
  if (f.empty() || f == "auto") return std::string("auto");
  // The feed connector also answers to these (ingest::MakeConnector).
  if (f == "rss" || f == "atom") return std::string("feed");
  if (std::find(kFormats.begin(), kFormats.end(), f) != kFormats.end()) return f;
  std::string known = "auto";
  for (std::string_view n : kFormats) known += ", " + std::string(n);
  return Status::InvalidArgument("unknown source format '" + std::string(format) + "' (known: " + known + ")");
}

Status CheckInterval(int interval_s) {
  if (interval_s < internal::kMinIntervalS || interval_s > internal::kMaxIntervalS) {
    return Status::InvalidArgument("interval_s " + std::to_string(interval_s) + " is out of range (" +
                                   std::to_string(internal::kMinIntervalS) + ".." +
                                   std::to_string(internal::kMaxIntervalS) + " seconds)");
  }
  return Status::Ok();
}

// The row update a finished poll makes.
struct PollRecord {
  int64_t polled_ms = 0;
  int http_status = 0;
  std::string result;
  int64_t stored = 0;
  int64_t text_copies = 0;
  int64_t rejected = 0;
  bool new_validators = false;  // only a 200 replaces them
  std::string etag;
  std::string last_modified;
};

// Whether a poll happens whatever the time, or only if still due when its
// turn comes (the polling thread, racing PollNow()).
enum class PollWhen : uint8_t { kNow, kIfDue };

struct Statements {
  Stmt insert;
  Stmt select_one;
  Stmt select_all;
  Stmt remove;
  Stmt record_poll;
};

Result<Statements> PrepareStatements(sqlite3* db) {
  Statements s;
  EARSHOT_ASSIGN_OR_RETURN(
      s.insert, Stmt::Prepare(db,
                              "INSERT INTO sources (url, format, channel, interval_s, created_at_ms, created_by) "
                              "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  EARSHOT_ASSIGN_OR_RETURN(s.select_one,
                           Stmt::Prepare(db, "SELECT " + std::string(kColumns) + " FROM sources WHERE id = ?1"));
  EARSHOT_ASSIGN_OR_RETURN(s.select_all,
                           Stmt::Prepare(db, "SELECT " + std::string(kColumns) + " FROM sources ORDER BY id"));
  EARSHOT_ASSIGN_OR_RETURN(s.remove, Stmt::Prepare(db, "DELETE FROM sources WHERE id = ?1"));
  // Counters grow in SQL so that the row is the only place that adds up.
  EARSHOT_ASSIGN_OR_RETURN(
      s.record_poll,
      Stmt::Prepare(db,
                    "UPDATE sources SET last_polled_ms = ?1, last_http_status = ?2, last_result = ?3, "
                    "last_stored = ?4, last_rejected = ?5, total_stored = total_stored + ?4, polls = polls + 1, "
                    "etag = CASE WHEN ?6 THEN ?7 ELSE etag END, "
                    "last_modified = CASE WHEN ?6 THEN ?8 ELSE last_modified END, "
                    "last_text_copies = ?10, total_text_copies = total_text_copies + ?10 "
                    "WHERE id = ?9"));
  return s;
}

class SqliteSourcePoller final : public SourcePoller {
 public:
  SqliteSourcePoller(DbHandle db, Statements statements, IngestFn ingest, FetchOptions fetch, internal::NowFn now)
      : ingest_(std::move(ingest)),
        fetch_(std::move(fetch)),
        now_(std::move(now)),
        db_(std::move(db)),
        stmts_(std::move(statements)) {}
  ~SqliteSourcePoller() override { Stop(); }
  SqliteSourcePoller(const SqliteSourcePoller&) = delete;
  SqliteSourcePoller& operator=(const SqliteSourcePoller&) = delete;

  Result<Source> Add(const std::string& url, const std::string& format, std::optional<Channel> channel, int interval_s,
                     const std::string& created_by) override;
  Result<std::vector<Source>> List() override;
  Result<Source> Get(int64_t id) override;
  Status Remove(int64_t id) override;
  Result<Source> PollNow(int64_t id) override { return Poll(id, PollWhen::kNow, nullptr); }
  void Start() override;
  void Stop() override;

 private:
  // REQUIRES: mu_ held.
  Result<Source> GetLocked(int64_t id);
  Result<std::vector<Source>> ListLocked();
  // Fetches and ingests `id` (the lock is not held meanwhile) and records
  // the outcome. `cancel` (may be null) abandons the fetch.
  Result<Source> Poll(int64_t id, PollWhen when, const std::atomic<bool>* cancel);
  // Fetches `source` and hands a 200's body to ingest_. Never fails: what
  // went wrong is the record's result. Sets *cancelled instead when the
  // fetch was abandoned.
  PollRecord FetchAndIngest(const Source& source, const std::atomic<bool>* cancel, bool* cancelled);
  Status Record(int64_t id, const PollRecord& record);
  // Returns the ids due now that no poll is working on.
  std::vector<int64_t> DueIds();
  // The polling thread's loop.
  void Run();

  const IngestFn ingest_;
  const FetchOptions fetch_;
  const internal::NowFn now_;

  std::mutex mu_;  // guards db_, stmts_ and polling_
  DbHandle db_;
  Statements stmts_;                   // declared after db_, so finalized before it closes
  std::set<int64_t> polling_;          // ids with a poll in progress
  std::condition_variable poll_done_;  // signalled when one leaves polling_

  std::mutex thread_mu_;  // serializes Start() and Stop()
  std::thread thread_;
  std::mutex wake_mu_;  // pairs with wake_; stop_ is set under it so no wakeup is lost
  std::condition_variable wake_;
  std::atomic<bool> stop_{false};
};

Result<Source> SqliteSourcePoller::Add(const std::string& url, const std::string& format,
                                       std::optional<Channel> channel, int interval_s, const std::string& created_by) {
  EARSHOT_ASSIGN_OR_RETURN(std::string canonical_url, internal::NormalizeUrl(url));
  EARSHOT_ASSIGN_OR_RETURN(std::string canonical_format, CheckFormat(format));
  EARSHOT_RETURN_IF_ERROR(CheckInterval(interval_s));
  Source s;
  s.url = std::move(canonical_url);
  s.format = std::move(canonical_format);
  s.channel = channel;
  s.interval_s = interval_s;
  s.created_at_ms = now_();
  s.created_by = created_by;
  {
    std::lock_guard<std::mutex> lock(mu_);
    Stmt& q = stmts_.insert;
    q.BindText(1, s.url);
    q.BindText(2, s.format);
    if (channel) {
      q.BindText(3, ChannelName(*channel));
    } else {
      q.BindNull(3);
    }
    q.BindInt(4, interval_s);
    q.BindInt(5, s.created_at_ms);
    q.BindText(6, s.created_by);
    int rc = q.RunRc();
    if ((rc & 0xFF) == SQLITE_CONSTRAINT) return Status::AlreadyExists("a source with URL " + s.url + " is listed");
    if (rc != SQLITE_DONE) return SqliteError(db_.get(), rc, "add source " + s.url);
    s.id = sqlite3_last_insert_rowid(db_.get());
  }
  // Due at once: wake the polling thread rather than wait for its next look.
  wake_.notify_all();
  return s;
}

Result<std::vector<Source>> SqliteSourcePoller::List() {
  std::lock_guard<std::mutex> lock(mu_);
  return ListLocked();
}

Result<std::vector<Source>> SqliteSourcePoller::ListLocked() {
  Stmt& q = stmts_.select_all;
  StmtResetter reset(q);
  std::vector<Source> out;
  while (true) {
    EARSHOT_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    out.push_back(ReadSource(q));
  }
  return out;
}

Result<Source> SqliteSourcePoller::Get(int64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  return GetLocked(id);
}

Result<Source> SqliteSourcePoller::GetLocked(int64_t id) {
  Stmt& q = stmts_.select_one;
  StmtResetter reset(q);
  q.BindInt(1, id);
  EARSHOT_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return Status::NotFound("no source with id " + std::to_string(id));
  return ReadSource(q);
}

Status SqliteSourcePoller::Remove(int64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  stmts_.remove.BindInt(1, id);
  EARSHOT_RETURN_IF_ERROR(stmts_.remove.Run());
  if (sqlite3_changes(db_.get()) == 0) return Status::NotFound("no source with id " + std::to_string(id));
  return Status::Ok();
}

Result<Source> SqliteSourcePoller::Poll(int64_t id, PollWhen when, const std::atomic<bool>* cancel) {
  Source source;
  {
    std::unique_lock<std::mutex> lock(mu_);
    // One poll per source at a time: a second would send the same
    // validators and add the same counts twice.
    poll_done_.wait(lock, [&] { return polling_.count(id) == 0; });
    EARSHOT_ASSIGN_OR_RETURN(source, GetLocked(id));
    if (when == PollWhen::kIfDue && !internal::IsDue(source, now_())) return source;
    polling_.insert(id);
  }
  struct Release {
    SqliteSourcePoller* self;
    int64_t id;
    ~Release() {
      {
        std::lock_guard<std::mutex> lock(self->mu_);
        self->polling_.erase(id);
      }
      self->poll_done_.notify_all();
    }
  } release{this, id};

  bool cancelled = false;
  PollRecord record = FetchAndIngest(source, cancel, &cancelled);
  // An abandoned fetch says nothing about the source: it stays due.
  if (cancelled) return Status::Unavailable("poll of source " + std::to_string(id) + " cancelled");
  std::lock_guard<std::mutex> lock(mu_);
  EARSHOT_RETURN_IF_ERROR(Record(id, record));
  return GetLocked(id);
}

PollRecord SqliteSourcePoller::FetchAndIngest(const Source& source, const std::atomic<bool>* cancel, bool* cancelled) {
  PollRecord r;
  internal::FetchOutcome fetched =
      internal::FetchWithOutcome(source.url, source.etag, source.last_modified, fetch_, cancel);
  r.polled_ms = now_();
  r.http_status = fetched.result.http_status;
  *cancelled = fetched.cancelled;
  if (!fetched.status.ok()) {
    r.result = fetched.status.message();
    return r;
  }
  if (fetched.result.not_modified) {
    r.result = "not_modified";
    return r;
  }
  r.new_validators = true;
  r.etag = std::move(fetched.result.etag);
  r.last_modified = std::move(fetched.result.last_modified);
  IngestCounts counts;
  // The ingest function is the caller's code running on the polling thread;
  // an exception escaping it would end the process.
  try {
    counts = ingest_(source, source.url, fetched.result.body);
  } catch (const std::exception& e) {
    counts.error = std::string("ingest failed: ") + e.what();
  }
  r.result = counts.error.empty() ? "ok" : counts.error;
  r.stored = counts.stored + counts.updated;
  r.text_copies = counts.text_copies;
  r.rejected = counts.rejected;
  return r;
}

Status SqliteSourcePoller::Record(int64_t id, const PollRecord& record) {
  Stmt& q = stmts_.record_poll;
  q.BindInt(1, record.polled_ms);
  q.BindInt(2, record.http_status);
  q.BindText(3, record.result);
  q.BindInt(4, record.stored);
  q.BindInt(5, record.rejected);
  q.BindInt(6, record.new_validators ? 1 : 0);
  q.BindText(7, record.etag);
  q.BindText(8, record.last_modified);
  q.BindInt(9, id);
  q.BindInt(10, record.text_copies);
  EARSHOT_RETURN_IF_ERROR(q.Run().WithContext("record poll of source " + std::to_string(id)));
  if (sqlite3_changes(db_.get()) == 0) {
    return Status::NotFound("source " + std::to_string(id) + " was removed during its poll");
  }
  return Status::Ok();
}

std::vector<int64_t> SqliteSourcePoller::DueIds() {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<int64_t> due;
  Result<std::vector<Source>> all = ListLocked();
  // A failed read is retried on the next wake; there is no one to tell.
  if (!all.ok()) return due;
  const int64_t now = now_();
  for (const Source& s : *all) {
    if (internal::IsDue(s, now) && polling_.count(s.id) == 0) due.push_back(s.id);
  }
  return due;
}

void SqliteSourcePoller::Run() {
  while (!stop_.load()) {
    for (int64_t id : DueIds()) {
      if (stop_.load()) return;
      // The outcome is in the source's row; errors here (the source was
      // removed meanwhile, the poll was cancelled) need no handling.
      (void)Poll(id, PollWhen::kIfDue, &stop_);
    }
    std::unique_lock<std::mutex> lock(wake_mu_);
    wake_.wait_for(lock, kWakeInterval, [&] { return stop_.load(); });
  }
}

void SqliteSourcePoller::Start() {
  std::lock_guard<std::mutex> lock(thread_mu_);
  if (thread_.joinable()) return;
  stop_.store(false);
  thread_ = std::thread([this] { Run(); });
}

void SqliteSourcePoller::Stop() {
  std::lock_guard<std::mutex> lock(thread_mu_);
  if (!thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> wake_lock(wake_mu_);
    stop_.store(true);
  }
  wake_.notify_all();
  thread_.join();
}

}  // namespace

namespace internal {

bool IsDue(const Source& source, int64_t now_ms) {
  if (source.polls == 0) return true;
  return source.last_polled_ms + static_cast<int64_t>(source.interval_s) * 1000 <= now_ms;
}

Result<std::unique_ptr<SourcePoller>> OpenWithClock(const std::string& data_dir, IngestFn ingest,
                                                    const FetchOptions& fetch, NowFn now) {
  if (!ingest) return Status::InvalidArgument("SourcePoller needs an ingest function");
  if (!now) return Status::InvalidArgument("SourcePoller needs a clock");
  EARSHOT_RETURN_IF_ERROR(ValidateFetchOptions(fetch));
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) return Status::IOError("create data directory " + data_dir + ": " + ec.message());

  const std::string path = (std::filesystem::path(data_dir) / "sources.db").string();
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  DbHandle db(raw);  // owns the handle even when the open failed
  if (rc != SQLITE_OK) return SqliteError(db.get(), rc, "open " + path);
  rc = sqlite3_busy_timeout(db.get(), kBusyTimeoutMs);
  if (rc != SQLITE_OK) return SqliteError(db.get(), rc, "busy_timeout on " + path);
  EARSHOT_RETURN_IF_ERROR(Exec(db.get(), "PRAGMA journal_mode = WAL").WithContext(path));
  // WAL with NORMAL loses at most the last commits on power loss, never
  // consistency; a source list can afford that.
  EARSHOT_RETURN_IF_ERROR(Exec(db.get(), "PRAGMA synchronous = NORMAL").WithContext(path));
  EARSHOT_RETURN_IF_ERROR(Migrate(db.get(), path));
  EARSHOT_ASSIGN_OR_RETURN(Statements statements, PrepareStatements(db.get()));
  return std::unique_ptr<SourcePoller>(std::make_unique<SqliteSourcePoller>(std::move(db), std::move(statements),
                                                                            std::move(ingest), fetch, std::move(now)));
}

}  // namespace internal

Result<std::unique_ptr<SourcePoller>> SourcePoller::Open(const std::string& data_dir, IngestFn ingest,
                                                         const FetchOptions& fetch) {
  return internal::OpenWithClock(data_dir, std::move(ingest), fetch, [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  });
}

}  // namespace earshot::sources
