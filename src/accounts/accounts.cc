#include "accounts/accounts.h"

#include <fcntl.h>
#include <sodium.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <semaphore>
#include <thread>
#include <unordered_map>
#include <utility>

#include "accounts/password.h"
#include "accounts/rate_limiter.h"
#include "core/strings.h"
#include "core/utf8.h"
#include "store/sqlite/sqlite_handle.h"

namespace earshot::accounts {

using store::sqlite::DbHandle;
using store::sqlite::Exec;
using store::sqlite::SqliteError;
using store::sqlite::Stmt;
using store::sqlite::StmtResetter;

namespace {

constexpr size_t kMaxUserNameChars = 64;
constexpr size_t kMinPasswordBytes = 8;
constexpr size_t kMaxPasswordBytes = 1024;
constexpr size_t kMaxTokenNameChars = 100;
constexpr size_t kSecretBytes = 32;  // session ids, CSRF and API tokens
constexpr size_t kSecretChars = 43;  // kSecretBytes in unpadded base64url
static_assert(kSecretChars + 1 == sodium_base64_ENCODED_LEN(kSecretBytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING));
constexpr size_t kGeneratedPasswordBytes = 15;    // 20 characters of base64url
constexpr std::string_view kTokenPrefix = "es_";  // marks Earshot API tokens in logs and secret scanners
constexpr size_t kTokenListedChars = 8;
// Session extensions and token use times are written at most this often, so
// that authenticating a request is a read, not a write.
constexpr int64_t kTouchIntervalMs = 60 * 1000;
constexpr int kBusyTimeoutMs = 5000;
constexpr int kMaxAuditPage = 1000;
// Same message whatever went wrong, so that a login never tells whether a
// user exists.
constexpr std::string_view kLoginFailed = "invalid user name or password";
constexpr std::string_view kSessionNotFound = "unknown or expired session";
constexpr std::string_view kTokenNotFound = "unknown or revoked API token";

// Each entry takes the schema from version i to i + 1. Never edit a shipped
// step: append a new one.
constexpr std::string_view kMigrations[] = {
    // 1: users, sessions, API tokens and the audit log.
    R"sql(
CREATE TABLE users (
  id             INTEGER PRIMARY KEY,
  name           TEXT NOT NULL UNIQUE COLLATE NOCASE,  -- "Bob" and "bob" are one user
  role           TEXT NOT NULL,                        -- RoleName()
  password_hash  TEXT NOT NULL,                        -- Argon2id string (crypto_pwhash_str)
  disabled       INTEGER NOT NULL DEFAULT 0,
  created_at_ms  INTEGER NOT NULL,
  last_login_ms  INTEGER NOT NULL DEFAULT 0            -- 0: never
);
CREATE TABLE sessions (
  id_hash        TEXT PRIMARY KEY,                     -- hex BLAKE2b-256 of the session id
  user_id        INTEGER NOT NULL,
  csrf_token     TEXT NOT NULL,
  created_at_ms  INTEGER NOT NULL,
  expires_at_ms  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at_ms);
CREATE TABLE api_tokens (
  id             INTEGER PRIMARY KEY,
  user_id        INTEGER NOT NULL,
  name           TEXT NOT NULL,
  prefix         TEXT NOT NULL,                        -- first characters of the secret
  token_hash     TEXT NOT NULL UNIQUE,                 -- hex BLAKE2b-256 of the secret
  created_at_ms  INTEGER NOT NULL,
  last_used_ms   INTEGER NOT NULL DEFAULT 0,           -- 0: never
  revoked        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX api_tokens_by_user ON api_tokens (user_id);
CREATE TABLE audit (
  id      INTEGER PRIMARY KEY AUTOINCREMENT,           -- never reused, so paging by id is stable
  at_ms   INTEGER NOT NULL,
  actor   TEXT NOT NULL,
  action  TEXT NOT NULL,
  target  TEXT NOT NULL,
  detail  TEXT NOT NULL,                               -- JSON object
  ip      TEXT NOT NULL
);
)sql",
};

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Returns `s` fit to quote in a message or the audit log: printable ASCII
// (anything else becomes '?'), at most 80 characters. Names that reach this
// are untrusted, and messages end up in JSON and terminals.
std::string Printable(std::string_view s) {
  constexpr size_t kMax = 80;
  std::string out;
  for (char c : s.substr(0, kMax)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  if (s.size() > kMax) out += "...";
  return out;
}

std::string Quoted(std::string_view name) {
  std::string out(1, '\'');
  out += Printable(name);
  out += '\'';
  return out;
}

bool IsNameChar(char c) { return IsAsciiAlpha(c) || IsAsciiDigit(c) || c == '.' || c == '_' || c == '@' || c == '-'; }

Status ValidateUserName(std::string_view name) {
  if (name.empty()) return Status::InvalidArgument("user name must not be empty");
  if (name.size() > kMaxUserNameChars) {
    return Status::InvalidArgument("user name " + Quoted(name) + " is longer than " +
                                   std::to_string(kMaxUserNameChars) + " characters");
  }
  if (!std::all_of(name.begin(), name.end(), IsNameChar)) {
    return Status::InvalidArgument("user name " + Quoted(name) +
                                   " may only contain letters, digits, '.', '_', '@' and '-'");
  }
  return Status::Ok();
}

Status ValidatePassword(std::string_view password) {
  if (password.size() < kMinPasswordBytes) {
    return Status::InvalidArgument("password must be at least " + std::to_string(kMinPasswordBytes) + " characters");
  }
  if (password.size() > kMaxPasswordBytes) {
    return Status::InvalidArgument("password must be at most " + std::to_string(kMaxPasswordBytes) + " bytes");
  }
  return Status::Ok();
}

Status ValidateTokenName(std::string_view name) {
  if (!IsValidUtf8(name)) return Status::InvalidArgument("token name is not valid UTF-8");
  size_t chars = 0;
  for (size_t pos = 0; pos < name.size();) {
    char32_t cp = DecodeUtf8(name, pos);
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) {
      return Status::InvalidArgument("token name must not contain control characters");
    }
    ++chars;
  }
  if (chars == 0 || chars > kMaxTokenNameChars) {
    return Status::InvalidArgument("token name must be 1 to " + std::to_string(kMaxTokenNameChars) + " characters");
  }
  return Status::Ok();
}

Status ValidateRole(Role role) {
  if (static_cast<uint8_t>(role) > static_cast<uint8_t>(Role::kAdmin)) {
    return Status::InvalidArgument("unknown role " + std::to_string(static_cast<int>(role)));
  }
  return Status::Ok();
}

Status ValidateOptions(const AccountsOptions& o) {
  if (o.data_dir.empty()) return Status::InvalidArgument("accounts: data_dir must not be empty");
  if (o.session_ttl_ms <= 0) return Status::InvalidArgument("accounts: session_ttl_ms must be positive");
  if (o.max_failures < 1) return Status::InvalidArgument("accounts: max_failures must be at least 1");
  if (o.failure_window_ms <= 0) return Status::InvalidArgument("accounts: failure_window_ms must be positive");
  if (o.lockout_ms <= 0) return Status::InvalidArgument("accounts: lockout_ms must be positive");
  return Status::Ok();
}

// Returns `detail` ("" = "{}") as compact JSON object text, or
// InvalidArgument when it is anything but a JSON object.
Result<std::string> NormalizeDetail(const std::string& detail) {
  if (detail.empty()) return std::string("{}");
  nlohmann::json j = nlohmann::json::parse(detail, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::InvalidArgument("audit detail must be a JSON object, got " + Quoted(detail));
  }
  try {
    return j.dump();
  } catch (const nlohmann::json::exception& e) {
    return Status::InvalidArgument(std::string("audit detail: ") + e.what());
  }
}

// Creates `path` readable by its owner only, or narrows an existing file to
// that: it holds password hashes. Errors other than a failed create are
// ignored (the file may belong to someone else on a shared mount).
Status MakePrivateFile(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Status::IOError("cannot create " + path.string() + ": " + std::strerror(errno));
  (void)::fchmod(fd, 0600);
  ::close(fd);
  for (const char* suffix : {"-wal", "-shm"}) (void)::chmod((path.string() + suffix).c_str(), 0600);
  return Status::Ok();
}

Result<int> SchemaVersion(sqlite3* db) {
  EARSHOT_ASSIGN_OR_RETURN(Stmt q, Stmt::Prepare(db, "PRAGMA user_version"));
  EARSHOT_ASSIGN_OR_RETURN(bool row, q.Step());
  return row ? static_cast<int>(q.Int(0)) : 0;
}

// Brings accounts.db to the newest schema, one transaction per step.
Status Migrate(sqlite3* db) {
  const int latest = static_cast<int>(std::size(kMigrations));
  EARSHOT_ASSIGN_OR_RETURN(int version, SchemaVersion(db));
  if (version > latest) {
    return Status::FailedPrecondition("accounts.db has schema version " + std::to_string(version) +
                                      ", newer than this build's " + std::to_string(latest));
  }
  for (int v = version; v < latest; ++v) {
    EARSHOT_RETURN_IF_ERROR(Exec(db, "BEGIN IMMEDIATE"));
    Status st = Exec(db, kMigrations[v]);
    if (st.ok()) st = Exec(db, "PRAGMA user_version = " + std::to_string(v + 1));
    if (!st.ok()) {
      (void)Exec(db, "ROLLBACK");
      return st.WithContext("accounts.db migration to schema version " + std::to_string(v + 1));
    }
    EARSHOT_RETURN_IF_ERROR(Exec(db, "COMMIT"));
  }
  return Status::Ok();
}

// A write transaction rolled back unless committed.
class Transaction {
 public:
  explicit Transaction(sqlite3* db) : db_(db) {}
  ~Transaction() {
    if (open_) (void)Exec(db_, "ROLLBACK");
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  // IMMEDIATE takes the write lock up front, so another process (the CLI)
  // makes this wait for busy_timeout instead of failing halfway.
  Status Begin() {
    EARSHOT_RETURN_IF_ERROR(Exec(db_, "BEGIN IMMEDIATE"));
    open_ = true;
    return Status::Ok();
  }
  Status Commit() {
    EARSHOT_RETURN_IF_ERROR(Exec(db_, "COMMIT"));
    open_ = false;
    return Status::Ok();
  }

 private:
  sqlite3* db_;
  bool open_ = false;
};

// Holds one of a few slots for an Argon2id computation: each takes 64 MiB,
// so a burst of logins must not run them all at once.
class HashSlot {
 public:
  explicit HashSlot(std::counting_semaphore<>& slots) : slots_(slots) { slots_.acquire(); }
  ~HashSlot() { slots_.release(); }
  HashSlot(const HashSlot&) = delete;
  HashSlot& operator=(const HashSlot&) = delete;

 private:
  std::counting_semaphore<>& slots_;
};

ptrdiff_t HashSlotCount() { return static_cast<ptrdiff_t>(std::clamp(std::thread::hardware_concurrency(), 2u, 4u)); }

// Columns read by ReadUser, for a table aliased `u`.
constexpr std::string_view kUserColumns = "u.id, u.name, u.role, u.disabled, u.created_at_ms, u.last_login_ms";

// Reads the kUserColumns starting at column `first`.
Result<User> ReadUser(const Stmt& q, int first) {
  User u;
  u.id = q.Int(first);
  u.name = std::string(q.Text(first + 1));
  Result<Role> role = ParseRole(q.Text(first + 2));
  if (!role.ok()) return Status::Corruption("accounts.db: user " + Quoted(u.name) + ": " + role.status().message());
  u.role = *role;
  u.disabled = q.Int(first + 3) != 0;
  u.created_at_ms = q.Int(first + 4);
  u.last_login_ms = q.Int(first + 5);
  return u;
}

constexpr std::string_view kTokenSelect =
    "SELECT t.id, t.user_id, u.name, t.name, t.prefix, t.created_at_ms, t.last_used_ms, t.revoked "
    "FROM api_tokens t JOIN users u ON u.id = t.user_id";

ApiToken ReadToken(const Stmt& q) {
  ApiToken t;
  t.id = q.Int(0);
  t.user_id = q.Int(1);
  t.user_name = std::string(q.Text(2));
  t.name = std::string(q.Text(3));
  t.prefix = std::string(q.Text(4));
  t.created_at_ms = q.Int(5);
  t.last_used_ms = q.Int(6);
  t.revoked = q.Int(7) != 0;
  return t;
}

// A user row with the columns only this file sees.
struct StoredUser {
  User user;
  std::string password_hash;
};

class SqliteAccounts final : public Accounts {
 public:
  SqliteAccounts(const AccountsOptions& options, DbHandle db, std::string dummy_hash)
      : options_(options),
        cost_(options.fast_hash_for_tests ? HashCost::kMinimal : HashCost::kInteractive),
        dummy_hash_(std::move(dummy_hash)),
        limiter_(RateLimiterOptions{.max_failures = options.max_failures,
                                    .failure_window_ms = options.failure_window_ms,
                                    .lockout_ms = options.lockout_ms}),
        hash_slots_(HashSlotCount()),
        db_(std::move(db)) {}

  Result<std::optional<std::string>> EnsureAdmin(const std::string& password) override;
  Result<Session> Login(const std::string& name, const std::string& password, const std::string& ip,
                        LoginRefusal* refusal) override;
  Status Logout(const std::string& session_id) override;
  Result<Principal> ResolveSession(const std::string& session_id) override;
  Result<Principal> ResolveToken(const std::string& token) override;
  Result<std::vector<User>> ListUsers() override;
  Result<User> GetUser(const std::string& name) override;
  Result<User> CreateUser(const std::string& name, Role role, const std::string& password) override;
  Result<User> UpdateUser(const std::string& name, std::optional<Role> role, std::optional<std::string> password,
                          std::optional<bool> disabled) override;
  Status VerifyPassword(const std::string& name, const std::string& password) override;
  Status DeleteUser(const std::string& name) override;
  Result<std::pair<ApiToken, std::string>> CreateToken(const std::string& user_name, const std::string& name) override;
  Result<std::vector<ApiToken>> ListTokens(const std::string& user_name) override;
  Result<ApiToken> GetToken(int64_t id) override;
  Status RevokeToken(int64_t id) override;
  Status Audit(const std::string& actor, const std::string& action, const std::string& target,
               const std::string& detail, const std::string& ip) override;
  Result<std::vector<AuditEntry>> ListAudit(int limit, int64_t before_id) override;

 private:
  // Hashing and checking passwords: slow, so never under mu_.
  Result<std::string> Hash(std::string_view password) {
    HashSlot slot(hash_slots_);
    return HashPassword(password, cost_);
  }
  bool Matches(const std::string& hash, std::string_view password) {
    HashSlot slot(hash_slots_);
    return PasswordMatches(hash, password);
  }

  // The rate limiter's keys: names compare like the users table does.
  // Over-long input is cut: such names cannot exist anyway.
  static std::string NameKey(std::string_view name) {
    return "user:" + AsciiLower(name.substr(0, 2 * kMaxUserNameChars));
  }
  // "" for a login not made over HTTP: those share no address to limit.
  static std::string IpKey(std::string_view ip) {
    return ip.empty() ? std::string() : "ip:" + std::string(ip.substr(0, 64));
  }
  int64_t LockedOutForMs(const std::string& name_key, const std::string& ip_key, int64_t now);

  // Everything below REQUIRES: mu_ held.
  // Returns the prepared statement for `sql`, kept for the connection's life.
  Result<Stmt*> Statement(std::string_view sql);
  Result<int64_t> UserCount();
  Result<std::optional<StoredUser>> FindUser(std::string_view name);
  Result<StoredUser> FindUserOrNotFound(std::string_view name);
  // FailedPrecondition when `user` is the last enabled admin and is about to
  // stop being one (`what`: "demoted", "disabled", "deleted").
  Status CheckNotLastAdmin(const User& user, std::string_view what);
  Status DeleteSessionsOf(int64_t user_id);
  Result<User> InsertUser(std::string_view name, Role role, std::string_view password_hash, int64_t now);
  // Writes one audit row; `detail` must already be JSON object text.
  Status AppendAudit(std::string_view actor, std::string_view action, std::string_view target, std::string_view detail,
                     std::string_view ip);

  const AccountsOptions options_;
  const HashCost cost_;
  // Checked when the user is unknown, so that costs as long as a wrong
  // password and user names cannot be probed by timing.
  const std::string dummy_hash_;
  LoginRateLimiter limiter_;
  std::counting_semaphore<> hash_slots_;

  std::mutex mu_;
  DbHandle db_;                                  // guarded by mu_
  std::unordered_map<std::string, Stmt> stmts_;  // guarded by mu_; destroyed before db_
};

Result<Stmt*> SqliteAccounts::Statement(std::string_view sql) {
  std::string key(sql);
  auto it = stmts_.find(key);
  if (it == stmts_.end()) {
    EARSHOT_ASSIGN_OR_RETURN(Stmt s, Stmt::Prepare(db_.get(), sql));
    it = stmts_.emplace(std::move(key), std::move(s)).first;
  }
  return &it->second;
}

Result<int64_t> SqliteAccounts::UserCount() {
  EARSHOT_ASSIGN_OR_RETURN(Stmt* q, Statement("SELECT count(*) FROM users"));
  StmtResetter reset(*q);
  EARSHOT_ASSIGN_OR_RETURN(bool row, q->Step());
  return row ? q->Int(0) : 0;
}

Result<std::optional<StoredUser>> SqliteAccounts::FindUser(std::string_view name) {
  static const std::string kSql =
      "SELECT " + std::string(kUserColumns) + ", u.password_hash FROM users u WHERE u.name = ?";
  EARSHOT_ASSIGN_OR_RETURN(Stmt* q, Statement(kSql));
  StmtResetter reset(*q);
  q->BindText(1, name);
  EARSHOT_ASSIGN_OR_RETURN(bool row, q->Step());
  if (!row) return std::optional<StoredUser>();
  EARSHOT_ASSIGN_OR_RETURN(User user, ReadUser(*q, 0));
  return std::optional<StoredUser>(StoredUser{std::move(user), std::string(q->Text(6))});
}

Result<StoredUser> SqliteAccounts::FindUserOrNotFound(std::string_view name) {
  EARSHOT_ASSIGN_OR_RETURN(std::optional<StoredUser> found, FindUser(name));
  if (!found) return Status::NotFound("user " + Quoted(name) + " not found");
  return std::move(*found);
}

Status SqliteAccounts::CheckNotLastAdmin(const User& user, std::string_view what) {
  if (user.role != Role::kAdmin || user.disabled) return Status::Ok();
  EARSHOT_ASSIGN_OR_RETURN(Stmt* q, Statement("SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0"));
  StmtResetter reset(*q);
  EARSHOT_ASSIGN_OR_RETURN(bool row, q->Step());
  if (row && q->Int(0) > 1) return Status::Ok();
  return Status::FailedPrecondition("user " + Quoted(user.name) + " is the last enabled admin and cannot be " +
                                    std::string(what) + "; make another user admin first");
}

Status SqliteAccounts::DeleteSessionsOf(int64_t user_id) {
  EARSHOT_ASSIGN_OR_RETURN(Stmt* q, Statement("DELETE FROM sessions WHERE user_id = ?"));
  q->BindInt(1, user_id);
  return q->Run();
}

Result<User> SqliteAccounts::InsertUser(std::string_view name, Role role, std::string_view password_hash, int64_t now) {
  EARSHOT_ASSIGN_OR_RETURN(
      Stmt* q, Statement("INSERT INTO users (name, role, password_hash, created_at_ms) VALUES (?, ?, ?, ?)"));
  q->BindText(1, name);
  q->BindText(2, RoleName(role));
  q->BindText(3, password_hash);
  q->BindInt(4, now);
  int rc = q->RunRc();
  if (rc == SQLITE_CONSTRAINT_UNIQUE) return Status::AlreadyExists("user " + Quoted(name) + " already exists");
  if (rc != SQLITE_DONE) return SqliteError(db_.get(), rc, "create user " + Quoted(name));
  User u;
  u.id = sqlite3_last_insert_rowid(db_.get());
  u.name = std::string(name);
  u.role = role;
  u.created_at_ms = now;
  return u;
}

Status SqliteAccounts::AppendAudit(std::string_view actor, std::string_view action, std::string_view target,
                                   std::string_view detail, std::string_view ip) {
  EARSHOT_ASSIGN_OR_RETURN(
      Stmt* q, Statement("INSERT INTO audit (at_ms, actor, action, target, detail, ip) VALUES (?, ?, ?, ?, ?, ?)"));
  q->BindInt(1, NowMs());
  q->BindText(2, actor);
  q->BindText(3, action);
  q->BindText(4, target);
  q->BindText(5, detail);
  q->BindText(6, ip);
  return q->Run().WithContext("audit " + Printable(action));
}

int64_t SqliteAccounts::LockedOutForMs(const std::string& name_key, const std::string& ip_key, int64_t now) {
  int64_t wait = limiter_.RetryAfterMs(name_key, now);
  if (!ip_key.empty()) wait = std::max(wait, limiter_.RetryAfterMs(ip_key, now));
  return wait;
}

Result<std::optional<std::string>> SqliteAccounts::EnsureAdmin(const std::string& password) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    EARSHOT_ASSIGN_OR_RETURN(int64_t users, UserCount());
    if (users > 0) return std::optional<std::string>();
  }
  const bool generated = password.empty();
  const std::string chosen = generated ? RandomBase64Url(kGeneratedPasswordBytes) : password;
  EARSHOT_RETURN_IF_ERROR(ValidatePassword(chosen).WithContext("admin password"));
  EARSHOT_ASSIGN_OR_RETURN(std::string hash, Hash(chosen));

  std::lock_guard<std::mutex> lock(mu_);
  Transaction tx(db_.get());
  EARSHOT_RETURN_IF_ERROR(tx.Begin());
  // Checked again: another thread or process may have won the race.
  EARSHOT_ASSIGN_OR_RETURN(int64_t users, UserCount());
  if (users > 0) return std::optional<std::string>();
  EARSHOT_ASSIGN_OR_RETURN(User admin, InsertUser("admin", Role::kAdmin, hash, NowMs()));
  EARSHOT_RETURN_IF_ERROR(AppendAudit("system", "user.create", admin.name, R"({"role":"admin"})", ""));
  EARSHOT_RETURN_IF_ERROR(tx.Commit());
  // A password the caller chose is not echoed back: it should not end up in
  // whatever the caller prints.
  return std::optional<std::string>(generated ? chosen : std::string());
}

Result<Session> SqliteAccounts::Login(const std::string& name, const std::string& password, const std::string& ip,
                                      LoginRefusal* refusal) {
  if (refusal) *refusal = LoginRefusal{};
  const int64_t now = NowMs();
  const std::string name_key = NameKey(name);
  const std::string ip_key = IpKey(ip);
  // Refused before any hashing: a locked-out key costs the server nothing.
  // Nor is each refusal audited, else anyone could grow the log at will; the
  // failure that starts a lockout says so.
  if (int64_t wait = LockedOutForMs(name_key, ip_key, now); wait > 0) {
    if (refusal) *refusal = LoginRefusal{.rate_limited = true, .retry_after_ms = wait};
    return Status::ResourceExhausted("too many failed logins; try again in " + std::to_string((wait + 999) / 1000) +
                                     " s");
  }

  std::optional<StoredUser> found;
  if (ValidateUserName(name).ok()) {
    std::lock_guard<std::mutex> lock(mu_);
    EARSHOT_ASSIGN_OR_RETURN(found, FindUser(name));
  }
  const bool password_ok = Matches(found ? found->password_hash : dummy_hash_, password);

  if (!found || !password_ok || found->user.disabled) {
    const char* reason = !found ? "unknown_user" : !password_ok ? "wrong_password" : "user_disabled";
    bool locked = limiter_.RecordFailure(name_key, now);
    if (!ip_key.empty()) locked = limiter_.RecordFailure(ip_key, now) || locked;
    nlohmann::json detail = {{"reason", reason}};
    if (locked) detail["lockout_ms"] = options_.lockout_ms;
    std::lock_guard<std::mutex> lock(mu_);
    // The caller gets the login failure even when the audit write fails: it
    // must not learn anything else from this answer.
    (void)AppendAudit("", "session.login_failed", Printable(name), detail.dump(), ip);
    return Status::Unauthenticated(std::string(kLoginFailed));
  }
  limiter_.Clear(name_key);
  if (!ip_key.empty()) limiter_.Clear(ip_key);

  // A hash made with older or test limits is replaced now that the password
  // is known.
  std::string new_hash;
  if (PasswordNeedsRehash(found->password_hash, cost_)) {
    EARSHOT_ASSIGN_OR_RETURN(new_hash, Hash(password));
  }
  Session session;
  session.session_id = RandomBase64Url(kSecretBytes);
  session.csrf_token = RandomBase64Url(kSecretBytes);
  session.expires_at_ms = now + options_.session_ttl_ms;
  session.user = found->user;
  session.user.last_login_ms = now;
  const std::string id_hash = SecretDigestHex(session.session_id);

  std::lock_guard<std::mutex> lock(mu_);
  Transaction tx(db_.get());
  EARSHOT_RETURN_IF_ERROR(tx.Begin());
  {
    // Only while still enabled: it may have been disabled or deleted since
    // the password was checked.
    EARSHOT_ASSIGN_OR_RETURN(
        Stmt* q, Statement("UPDATE users SET last_login_ms = ?1, password_hash = coalesce(?2, password_hash) "
                            "WHERE id = ?3 AND disabled = 0"));
    q->BindInt(1, now);
    q->BindTextOrNull(2, new_hash);
    q->BindInt(3, found->user.id);
    EARSHOT_RETURN_IF_ERROR(q->Run());
    if (sqlite3_changes(db_.get()) == 0) return Status::Unauthenticated(std::string(kLoginFailed));
  }
  {
    // Expired sessions are otherwise deleted only when presented; logins are
    // rare enough to sweep the rest here.
    EARSHOT_ASSIGN_OR_RETURN(Stmt* q, Statement("DELETE FROM sessions WHERE expires_at_ms <= ?"));
    q->BindInt(1, now);
    EARSHOT_RETURN_IF_ERROR(q->Run());
  }
  {
    EARSHOT_ASSIGN_OR_RETURN(Stmt* q, Statement("INSERT INTO sessions (id_hash, user_id, csrf_token, created_at_ms, "
                                                 "expires_at_ms) VALUES (?, ?, ?, ?, ?)"));
    q->BindText(1, id_hash);
    q->BindInt(2, found->user.id);
    q->BindText(3, session.csrf_token);
    q->BindInt(4, now);
    q->BindInt(5, session.expires_at_ms);
    EARSHOT_RETURN_IF_ERROR(q->Run());
  }
  EARSHOT_RETURN_IF_ERROR(AppendAudit(found->user.name, "session.login", found->user.name, "{}", ip));
  EARSHOT_RETURN_IF_ERROR(tx.Commit());
  return session;
}

Status SqliteAccounts::Logout(const std::string& session_id) {
  if (session_id.empty()) return Status::Ok();
  const std::string id_hash = SecretDigestHex(session_id);
  std::lock_guard<std::mutex> lock(mu_);
  EARSHOT_ASSIGN_OR_RETURN(Stmt* q, Statement("DELETE FROM sessions WHERE id_hash = ?"));
  q->BindText(1, id_hash);
  return q->Run().WithContext("logout");
}

Result<Principal> SqliteAccounts::ResolveSession(const std::string& session_id) {
  if (session_id.empty()) return Status::NotFound(std::string(kSessionNotFound));
  const std::string id_hash = SecretDigestHex(session_id);
  const int64_t now = NowMs();
  std::lock_guard<std::mutex> lock(mu_);
  static const std::string kSql = "SELECT " + std::string(kUserColumns) +
                                  ", s.csrf_token, s.expires_at_ms FROM sessions s JOIN users u ON u.id = s.user_id "
                                  "WHERE s.id_hash = ?";
  EARSHOT_ASSIGN_OR_RETURN(Stmt* q, Statement(kSql));
  Principal p;
  int64_t expires_at = 0;
  {
    StmtResetter reset(*q);
    q->BindText(1, id_hash);
    EARSHOT_ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) return Status::NotFound(std::string(kSessionNotFound));
    EARSHOT_ASSIGN_OR_RETURN(p.user, ReadUser(*q, 0));
    p.csrf_token = std::string(q->Text(6));
    expires_at = q->Int(7);
  }
  if (expires_at <= now) {
    EARSHOT_ASSIGN_OR_RETURN(Stmt* del, Statement("DELETE FROM sessions WHERE id_hash = ?"));
    del->BindText(1, id_hash);
    // Expired either way; a row left behind by a busy database goes with the
    // next login's sweep.
    (void)del->Run();
    return Status::NotFound(std::string(kSessionNotFound));
  }
  if (p.user.disabled) return Status::NotFound(std::string(kSessionNotFound));
  // Slide the expiry, but write only when it would move by a minute (or by
  // half the TTL when that is shorter, so short sessions still slide).
  const int64_t new_expiry = now + options_.session_ttl_ms;
  if (new_expiry - expires_at >= std::min(kTouchIntervalMs, options_.session_ttl_ms / 2)) {
    EARSHOT_ASSIGN_OR_RETURN(Stmt* touch, Statement("UPDATE sessions SET expires_at_ms = ? WHERE id_hash = ?"));
    touch->BindInt(1, new_expiry);
    touch->BindText(2, id_hash);
    // A failed extension (the database busy with another process) leaves a
    // valid session valid a little shorter; not worth failing the request.
    (void)touch->Run();
  }
  return p;
}

Result<Principal> SqliteAccounts::ResolveToken(const std::string& token) {
  if (token.size() != kTokenPrefix.size() + kSecretChars || !token.starts_with(kTokenPrefix)) {
    return Status::NotFound(std::string(kTokenNotFound));
  }
  const std::string token_hash = SecretDigestHex(token);
  const int64_t now = NowMs();
  std::lock_guard<std::mutex> lock(mu_);
  static const std::string kSql = "SELECT " + std::string(kUserColumns) +
                                  ", t.id, t.revoked, t.last_used_ms FROM api_tokens t JOIN users u "
                                  "ON u.id = t.user_id WHERE t.token_hash = ?";
  EARSHOT_ASSIGN_OR_RETURN(Stmt* q, Statement(kSql));
  Principal p;
  p.via_token = true;
  int64_t last_used = 0;
  {
    StmtResetter reset(*q);
    q->BindText(1, token_hash);
    EARSHOT_ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row || q->Int(7) != 0) return Status::NotFound(std::string(kTokenNotFound));
    EARSHOT_ASSIGN_OR_RETURN(p.user, ReadUser(*q, 0));
    p.token_id = q->Int(6);
    last_used = q->Int(8);
  }
  if (p.user.disabled) return Status::NotFound(std::string(kTokenNotFound));
  if (now - last_used >= kTouchIntervalMs) {
    EARSHOT_ASSIGN_OR_RETURN(Stmt* touch, Statement("UPDATE api_tokens SET last_used_ms = ? WHERE id = ?"));
    touch->BindInt(1, now);
    touch->BindInt(2, p.token_id);
    // Only bookkeeping: a busy database must not refuse a valid token.
    (void)touch->Run();
  }
  return p;
}

Result<std::vector<User>> SqliteAccounts::ListUsers() {
  std::lock_guard<std::mutex> lock(mu_);
  static const std::string kSql = "SELECT " + std::string(kUserColumns) + " FROM users u ORDER BY u.name";
  EARSHOT_ASSIGN_OR_RETURN(Stmt* q, Statement(kSql));
  StmtResetter reset(*q);
  std::vector<User> users;
  while (true) {
    EARSHOT_ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) break;
    EARSHOT_ASSIGN_OR_RETURN(User u, ReadUser(*q, 0));
    users.push_back(std::move(u));
  }
  return users;
}

Result<User> SqliteAccounts::GetUser(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  EARSHOT_ASSIGN_OR_RETURN(StoredUser found, FindUserOrNotFound(name));
  return std::move(found.user);
}

Result<User> SqliteAccounts::CreateUser(const std::string& name, Role role, const std::string& password) {
  EARSHOT_RETURN_IF_ERROR(ValidateUserName(name));
  EARSHOT_RETURN_IF_ERROR(ValidateRole(role));
  EARSHOT_RETURN_IF_ERROR(ValidatePassword(password));
  {
    // Fails fast before the slow hash; the insert checks again.
    std::lock_guard<std::mutex> lock(mu_);
    EARSHOT_ASSIGN_OR_RETURN(std::optional<StoredUser> existing, FindUser(name));
    if (existing) return Status::AlreadyExists("user " + Quoted(existing->user.name) + " already exists");
  }
  EARSHOT_ASSIGN_OR_RETURN(std::string hash, Hash(password));
  std::lock_guard<std::mutex> lock(mu_);
  return InsertUser(name, role, hash, NowMs());
}

Result<User> SqliteAccounts::UpdateUser(const std::string& name, std::optional<Role> role,
                                        std::optional<std::string> password, std::optional<bool> disabled) {
  if (role) EARSHOT_RETURN_IF_ERROR(ValidateRole(*role));
  std::string new_hash;
  if (password) {
    EARSHOT_RETURN_IF_ERROR(ValidatePassword(*password));
    EARSHOT_ASSIGN_OR_RETURN(new_hash, Hash(*password));
  }

  std::lock_guard<std::mutex> lock(mu_);
  Transaction tx(db_.get());
  EARSHOT_RETURN_IF_ERROR(tx.Begin());
  EARSHOT_ASSIGN_OR_RETURN(StoredUser found, FindUserOrNotFound(name));
  User updated = found.user;
  if (role) updated.role = *role;
  if (disabled) updated.disabled = *disabled;
  if (updated.role != Role::kAdmin) EARSHOT_RETURN_IF_ERROR(CheckNotLastAdmin(found.user, "demoted"));
  if (updated.disabled) EARSHOT_RETURN_IF_ERROR(CheckNotLastAdmin(found.user, "disabled"));
  {
    EARSHOT_ASSIGN_OR_RETURN(Stmt* q, Statement("UPDATE users SET role = ?1, disabled = ?2, "
                                                 "password_hash = coalesce(?3, password_hash) WHERE id = ?4"));
    q->BindText(1, RoleName(updated.role));
    q->BindInt(2, updated.disabled ? 1 : 0);
    q->BindTextOrNull(3, new_hash);
    q->BindInt(4, updated.id);
    EARSHOT_RETURN_IF_ERROR(q->Run());
  }
  // Whoever knew the old password, or a disabled user, must not stay in.
  if (password || updated.disabled) EARSHOT_RETURN_IF_ERROR(DeleteSessionsOf(updated.id));
  EARSHOT_RETURN_IF_ERROR(tx.Commit());
  return updated;
}

Status SqliteAccounts::VerifyPassword(const std::string& name, const std::string& password) {
  // Counted like logins: a stolen session must not become a way to guess the
  // password.
  const int64_t now = NowMs();
  const std::string name_key = NameKey(name);
  if (int64_t wait = limiter_.RetryAfterMs(name_key, now); wait > 0) {
    return Status::ResourceExhausted("too many wrong passwords; try again in " + std::to_string((wait + 999) / 1000) +
                                     " s");
  }
  std::string hash;
  {
    std::lock_guard<std::mutex> lock(mu_);
    EARSHOT_ASSIGN_OR_RETURN(StoredUser found, FindUserOrNotFound(name));
    hash = std::move(found.password_hash);
  }
  if (Matches(hash, password)) return Status::Ok();
  (void)limiter_.RecordFailure(name_key, now);
  return Status::Unauthenticated("the current password of " + Quoted(name) + " is wrong");
}

Status SqliteAccounts::DeleteUser(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  Transaction tx(db_.get());
  EARSHOT_RETURN_IF_ERROR(tx.Begin());
  EARSHOT_ASSIGN_OR_RETURN(StoredUser found, FindUserOrNotFound(name));
  EARSHOT_RETURN_IF_ERROR(CheckNotLastAdmin(found.user, "deleted"));
  EARSHOT_RETURN_IF_ERROR(DeleteSessionsOf(found.user.id));
  for (std::string_view sql : {"DELETE FROM api_tokens WHERE user_id = ?", "DELETE FROM users WHERE id = ?"}) {
    EARSHOT_ASSIGN_OR_RETURN(Stmt* q, Statement(sql));
    q->BindInt(1, found.user.id);
    EARSHOT_RETURN_IF_ERROR(q->Run());
  }
  return tx.Commit();
}

Result<std::pair<ApiToken, std::string>> SqliteAccounts::CreateToken(const std::string& user_name,
                                                                     const std::string& name) {
  EARSHOT_RETURN_IF_ERROR(ValidateTokenName(name));
  std::string secret = std::string(kTokenPrefix) + RandomBase64Url(kSecretBytes);
  const std::string token_hash = SecretDigestHex(secret);
  const int64_t now = NowMs();

  std::lock_guard<std::mutex> lock(mu_);
  EARSHOT_ASSIGN_OR_RETURN(StoredUser owner, FindUserOrNotFound(user_name));
  if (owner.user.disabled) {
    return Status::FailedPrecondition("user " + Quoted(owner.user.name) + " is disabled; enable it to create tokens");
  }
  ApiToken token;
  token.user_id = owner.user.id;
  token.user_name = owner.user.name;
  token.name = name;
  token.prefix = secret.substr(0, kTokenListedChars);
  token.created_at_ms = now;
  EARSHOT_ASSIGN_OR_RETURN(Stmt* q, Statement("INSERT INTO api_tokens (user_id, name, prefix, token_hash, "
                                               "created_at_ms) VALUES (?, ?, ?, ?, ?)"));
  q->BindInt(1, token.user_id);
  q->BindText(2, token.name);
  q->BindText(3, token.prefix);
  q->BindText(4, token_hash);
  q->BindInt(5, now);
  EARSHOT_RETURN_IF_ERROR(q->Run().WithContext("create token for " + Quoted(owner.user.name)));
  token.id = sqlite3_last_insert_rowid(db_.get());
  return std::pair(std::move(token), std::move(secret));
}

Result<std::vector<ApiToken>> SqliteAccounts::ListTokens(const std::string& user_name) {
  std::lock_guard<std::mutex> lock(mu_);
  int64_t user_id = 0;  // 0: everyone's (ids start at 1)
  if (!user_name.empty()) {
    EARSHOT_ASSIGN_OR_RETURN(StoredUser owner, FindUserOrNotFound(user_name));
    user_id = owner.user.id;
  }
  static const std::string kSql =
      std::string(kTokenSelect) + " WHERE ?1 = 0 OR t.user_id = ?1 ORDER BY t.created_at_ms DESC, t.id DESC";
  EARSHOT_ASSIGN_OR_RETURN(Stmt* q, Statement(kSql));
  StmtResetter reset(*q);
  q->BindInt(1, user_id);
  std::vector<ApiToken> tokens;
  while (true) {
    EARSHOT_ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) break;
    tokens.push_back(ReadToken(*q));
  }
  return tokens;
}

Result<ApiToken> SqliteAccounts::GetToken(int64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  static const std::string kSql = std::string(kTokenSelect) + " WHERE t.id = ?";
  EARSHOT_ASSIGN_OR_RETURN(Stmt* q, Statement(kSql));
  StmtResetter reset(*q);
  q->BindInt(1, id);
  EARSHOT_ASSIGN_OR_RETURN(bool row, q->Step());
  if (!row) return Status::NotFound("API token " + std::to_string(id) + " not found");
  return ReadToken(*q);
}

Status SqliteAccounts::RevokeToken(int64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  EARSHOT_ASSIGN_OR_RETURN(Stmt* q, Statement("UPDATE api_tokens SET revoked = 1 WHERE id = ?"));
  q->BindInt(1, id);
  EARSHOT_RETURN_IF_ERROR(q->Run());
  if (sqlite3_changes(db_.get()) == 0) return Status::NotFound("API token " + std::to_string(id) + " not found");
  return Status::Ok();
}

Status SqliteAccounts::Audit(const std::string& actor, const std::string& action, const std::string& target,
                             const std::string& detail, const std::string& ip) {
  if (action.empty()) return Status::InvalidArgument("audit action must not be empty");
  EARSHOT_ASSIGN_OR_RETURN(std::string normalized, NormalizeDetail(detail));
  std::lock_guard<std::mutex> lock(mu_);
  return AppendAudit(actor, action, target, normalized, ip);
}

Result<std::vector<AuditEntry>> SqliteAccounts::ListAudit(int limit, int64_t before_id) {
  limit = std::clamp(limit, 1, kMaxAuditPage);
  std::lock_guard<std::mutex> lock(mu_);
  EARSHOT_ASSIGN_OR_RETURN(Stmt* q, Statement("SELECT id, at_ms, actor, action, target, detail, ip FROM audit "
                                               "WHERE ?1 <= 0 OR id < ?1 ORDER BY id DESC LIMIT ?2"));
  StmtResetter reset(*q);
  q->BindInt(1, before_id);
  q->BindInt(2, limit);
  std::vector<AuditEntry> entries;
  while (true) {
    EARSHOT_ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) break;
    entries.push_back(AuditEntry{.id = q->Int(0),
                                 .at_ms = q->Int(1),
                                 .actor = std::string(q->Text(2)),
                                 .action = std::string(q->Text(3)),
                                 .target = std::string(q->Text(4)),
                                 .detail = std::string(q->Text(5)),
                                 .ip = std::string(q->Text(6))});
  }
  return entries;
}

}  // namespace

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kViewer:
      return "viewer";
    case Role::kSales:
      return "sales";
    case Role::kExpert:
      return "expert";
    case Role::kManager:
      return "manager";
    case Role::kAdmin:
      return "admin";
  }
  return "unknown";
}

Result<Role> ParseRole(std::string_view name) {
  for (Role r : {Role::kViewer, Role::kSales, Role::kExpert, Role::kManager, Role::kAdmin}) {
    if (name == RoleName(r)) return r;
  }
  return Status::InvalidArgument("unknown role " + Quoted(name) +
                                 "; known roles: viewer, sales, expert, manager, admin");
}

bool Allows(Role role, Permission permission) {
  switch (permission) {
    case Permission::kRead:
    case Permission::kManageOwnCredentials:
      return true;
    case Permission::kManageWatches:
    case Permission::kManageSources:
    case Permission::kIngest:
      return role == Role::kManager || role == Role::kAdmin;
    case Permission::kManageUsers:
    case Permission::kReadAudit:
      return role == Role::kAdmin;
  }
  return false;
}

Result<std::unique_ptr<Accounts>> Accounts::Open(const AccountsOptions& options) {
  EARSHOT_RETURN_IF_ERROR(ValidateOptions(options));
  EARSHOT_RETURN_IF_ERROR(InitSodium());
  std::error_code ec;
  std::filesystem::create_directories(options.data_dir, ec);
  if (ec) return Status::IOError("cannot create data directory " + options.data_dir + ": " + ec.message());
  const std::filesystem::path path = std::filesystem::path(options.data_dir) / "accounts.db";
  EARSHOT_RETURN_IF_ERROR(MakePrivateFile(path));

  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  DbHandle db(raw);  // owns the handle even when the open failed
  if (rc != SQLITE_OK) return SqliteError(db.get(), rc, "open " + path.string());
  sqlite3_extended_result_codes(db.get(), 1);
  sqlite3_busy_timeout(db.get(), kBusyTimeoutMs);
  EARSHOT_RETURN_IF_ERROR(Exec(db.get(), "PRAGMA journal_mode = WAL").WithContext(path.string()));
  EARSHOT_RETURN_IF_ERROR(Migrate(db.get()).WithContext(path.string()));

  const HashCost cost = options.fast_hash_for_tests ? HashCost::kMinimal : HashCost::kInteractive;
  EARSHOT_ASSIGN_OR_RETURN(std::string dummy_hash, HashPassword(RandomBase64Url(kSecretBytes), cost));
  return std::unique_ptr<Accounts>(std::make_unique<SqliteAccounts>(options, std::move(db), std::move(dummy_hash)));
}

}  // namespace earshot::accounts
