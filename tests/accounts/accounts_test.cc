#include "accounts/accounts.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "accounts/rate_limiter.h"
#include "testutil.h"

namespace earshot::accounts {
namespace {

using earshot::testing::ReadFileOrDie;
using earshot::testing::TempDir;

constexpr char kAdminPassword[] = "admin-password-1";
constexpr char kLoginFailed[] = "invalid user name or password";

AccountsOptions TestOptions(const TempDir& dir) {
  AccountsOptions o;
  o.data_dir = dir.str();
  o.fast_hash_for_tests = true;
  return o;
}

std::unique_ptr<Accounts> OpenOrDie(const AccountsOptions& options) {
  Result<std::unique_ptr<Accounts>> a = Accounts::Open(options);
  EXPECT_TRUE(a.ok()) << a.status().ToString();
  return a.ok() ? std::move(*a) : nullptr;
}

// Opens accounts with an admin whose password is kAdminPassword.
std::unique_ptr<Accounts> OpenWithAdmin(const AccountsOptions& options) {
  std::unique_ptr<Accounts> a = OpenOrDie(options);
  if (a) {
    EXPECT_TRUE(a->EnsureAdmin(kAdminPassword).ok());
  }
  return a;
}

// Returns every byte SQLite keeps for accounts.db (the WAL holds recent writes).
std::string DbBytes(const TempDir& dir) {
  std::string all;
  for (const char* name : {"accounts.db", "accounts.db-wal", "accounts.db-shm"}) {
    std::filesystem::path p = dir.path() / name;
    if (std::filesystem::exists(p)) all += ReadFileOrDie(p.string());
  }
  return all;
}

// A second connection to accounts.db, to look at and age what the module stored.
class RawDb {
 public:
  explicit RawDb(const TempDir& dir) {
    std::string path = (dir.path() / "accounts.db").string();
    EXPECT_EQ(sqlite3_open(path.c_str(), &db_), SQLITE_OK);
    sqlite3_busy_timeout(db_, 5000);
  }
  ~RawDb() { sqlite3_close(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  // Returns the first column of the first row of `sql` as text ("" if none).
  std::string Query(const std::string& sql) {
    sqlite3_stmt* s = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr), SQLITE_OK) << sqlite3_errmsg(db_);
    std::string out;
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0)) {
      out = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    }
    sqlite3_finalize(s);
    return out;
  }
  int64_t QueryInt(const std::string& sql) {
    std::string v = Query(sql);
    return v.empty() ? -1 : std::stoll(v);
  }
  void Exec(const std::string& sql) {
    EXPECT_EQ(sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db_);
  }

 private:
  sqlite3* db_ = nullptr;
};

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void SleepMs(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

bool IsBase64Url(const std::string& s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; });
}

// ---- Roles and permissions ----

TEST(RoleTest, NamesRoundTrip) {
  for (Role r : {Role::kViewer, Role::kSales, Role::kExpert, Role::kManager, Role::kAdmin}) {
    Result<Role> parsed = ParseRole(RoleName(r));
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    EXPECT_EQ(*parsed, r);
  }
  EXPECT_EQ(RoleName(Role::kManager), "manager");
}

TEST(RoleTest, UnknownRoleListsKnownOnes) {
  Result<Role> r = ParseRole("root");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("root"), std::string::npos);
  EXPECT_NE(r.status().message().find("viewer, sales, expert, manager, admin"), std::string::npos);
  EXPECT_FALSE(ParseRole("Admin").ok());
}

TEST(PermissionTest, EveryRoleAndPermission) {
  using P = Permission;
  const std::set<P> reader = {P::kRead, P::kManageOwnCredentials};
  const std::set<P> manager = {P::kRead, P::kManageOwnCredentials, P::kManageWatches, P::kManageSources, P::kIngest};
  const std::set<P> admin = {P::kRead,   P::kManageOwnCredentials, P::kManageWatches, P::kManageSources,
                             P::kIngest, P::kManageUsers,          P::kReadAudit};
  const std::pair<Role, std::set<P>> table[] = {
      {Role::kViewer, reader},   {Role::kSales, reader}, {Role::kExpert, reader},
      {Role::kManager, manager}, {Role::kAdmin, admin},
  };
  for (const auto& [role, allowed] : table) {
    for (P p : {P::kRead, P::kManageOwnCredentials, P::kManageWatches, P::kManageSources, P::kIngest, P::kManageUsers,
                P::kReadAudit}) {
      EXPECT_EQ(Allows(role, p), allowed.count(p) == 1) << RoleName(role) << " permission " << static_cast<int>(p);
    }
  }
}

// ---- Opening ----

TEST(AccountsOpenTest, CreatesMissingDirWithPrivateWalDatabase) {
  TempDir dir;
  AccountsOptions o = TestOptions(dir);
  o.data_dir = (dir.path() / "nested" / "data").string();
  ASSERT_NE(OpenOrDie(o), nullptr);
  std::filesystem::path db = std::filesystem::path(o.data_dir) / "accounts.db";
  struct stat st {};
  ASSERT_EQ(::stat(db.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);

  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &raw), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(raw, "PRAGMA journal_mode", -1, &s, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)), "wal");
  sqlite3_finalize(s);
  ASSERT_EQ(sqlite3_prepare_v2(raw, "PRAGMA user_version", -1, &s, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(s, 0), 1);
  sqlite3_finalize(s);
  sqlite3_close(raw);
}

TEST(AccountsOpenTest, RejectsBadOptions) {
  TempDir dir;
  AccountsOptions o = TestOptions(dir);
  o.data_dir = "";
  Result<std::unique_ptr<Accounts>> a = Accounts::Open(o);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().code(), StatusCode::kInvalidArgument);
  o = TestOptions(dir);
  o.max_failures = 0;
  a = Accounts::Open(o);
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find("max_failures"), std::string::npos);
}

TEST(AccountsOpenTest, RefusesNewerSchema) {
  TempDir dir;
  ASSERT_NE(OpenOrDie(TestOptions(dir)), nullptr);
  RawDb(dir).Exec("PRAGMA user_version = 99");
  Result<std::unique_ptr<Accounts>> a = Accounts::Open(TestOptions(dir));
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().code(), StatusCode::kFailedPrecondition);
}

TEST(AccountsOpenTest, ReopenKeepsEverything) {
  TempDir dir;
  std::string session_id, token;
  {
    auto a = OpenWithAdmin(TestOptions(dir));
    ASSERT_TRUE(a->CreateUser("bob", Role::kExpert, "bob-password").ok());
    auto t = a->CreateToken("bob", "ci");
    ASSERT_TRUE(t.ok());
    token = t->second;
    auto s = a->Login("bob", "bob-password", "10.0.0.1", nullptr);
    ASSERT_TRUE(s.ok());
    session_id = s->session_id;
  }
  auto a = OpenOrDie(TestOptions(dir));
  Result<std::optional<std::string>> again = a->EnsureAdmin("");
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->has_value());
  Result<User> bob = a->GetUser("bob");
  ASSERT_TRUE(bob.ok());
  EXPECT_EQ(bob->role, Role::kExpert);
  EXPECT_GT(bob->last_login_ms, 0);
  Result<Principal> by_session = a->ResolveSession(session_id);
  ASSERT_TRUE(by_session.ok()) << by_session.status().ToString();
  EXPECT_EQ(by_session->user.name, "bob");
  Result<Principal> by_token = a->ResolveToken(token);
  ASSERT_TRUE(by_token.ok()) << by_token.status().ToString();
  EXPECT_EQ(by_token->user.name, "bob");
  EXPECT_TRUE(a->Login("admin", kAdminPassword, "", nullptr).ok());
  auto audit = a->ListAudit(10, 0);
  ASSERT_TRUE(audit.ok());
  EXPECT_EQ(audit->size(), 3u);  // user.create, two logins
}

// ---- First run ----

TEST(EnsureAdminTest, CreatesAdminWithGivenPassword) {
  TempDir dir;
  auto a = OpenOrDie(TestOptions(dir));
  Result<std::optional<std::string>> first = a->EnsureAdmin(kAdminPassword);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_TRUE(first->has_value());
  EXPECT_EQ(**first, "");  // the caller knows it; not echoed
  Result<User> admin = a->GetUser("admin");
  ASSERT_TRUE(admin.ok());
  EXPECT_EQ(admin->role, Role::kAdmin);
  EXPECT_FALSE(admin->disabled);
  EXPECT_EQ(admin->last_login_ms, 0);
  EXPECT_TRUE(a->Login("admin", kAdminPassword, "127.0.0.1", nullptr).ok());

  Result<std::optional<std::string>> second = a->EnsureAdmin("another-password");
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(second->has_value());
  EXPECT_TRUE(a->VerifyPassword("admin", kAdminPassword).ok());

  auto audit = a->ListAudit(10, 0);
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 2u);
  const AuditEntry& create = audit->back();
  EXPECT_EQ(create.actor, "system");
  EXPECT_EQ(create.action, "user.create");
  EXPECT_EQ(create.target, "admin");
  EXPECT_EQ(create.ip, "");
  EXPECT_EQ(nlohmann::json::parse(create.detail)["role"], "admin");
}

TEST(EnsureAdminTest, GeneratesOneTimePassword) {
  TempDir dir;
  auto a = OpenOrDie(TestOptions(dir));
  Result<std::optional<std::string>> first = a->EnsureAdmin("");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_TRUE(first->has_value());
  const std::string& generated = **first;
  EXPECT_EQ(generated.size(), 20u);
  EXPECT_TRUE(IsBase64Url(generated)) << generated;
  EXPECT_TRUE(a->Login("admin", generated, "", nullptr).ok());
  Result<std::optional<std::string>> second = a->EnsureAdmin("");
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(second->has_value());
}

TEST(EnsureAdminTest, RejectsShortPasswordAndCreatesNothing) {
  TempDir dir;
  auto a = OpenOrDie(TestOptions(dir));
  Result<std::optional<std::string>> r = a->EnsureAdmin("short");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("at least 8 characters"), std::string::npos);
  auto users = a->ListUsers();
  ASSERT_TRUE(users.ok());
  EXPECT_TRUE(users->empty());
}

// ---- Stored secrets ----

TEST(StoredSecretsTest, PasswordIsArgon2idAndNeverStoredInClear) {
  TempDir dir;
  const std::string password = "Tr0ub4dor-unique-7f3a";
  {
    auto a = OpenWithAdmin(TestOptions(dir));
    ASSERT_TRUE(a->CreateUser("carol", Role::kViewer, password).ok());
    ASSERT_TRUE(a->Login("carol", password, "", nullptr).ok());
    ASSERT_TRUE(a->Login("carol", password + "x", "", nullptr).status().code() == StatusCode::kUnauthenticated);
    RawDb raw(dir);
    EXPECT_EQ(raw.Query("SELECT password_hash FROM users WHERE name = 'carol'").rfind("$argon2id$", 0), 0u);
    EXPECT_EQ(DbBytes(dir).find(password), std::string::npos);
  }
  EXPECT_EQ(DbBytes(dir).find(password), std::string::npos);
}

TEST(StoredSecretsTest, SessionIdAndTokenAreStoredHashed) {
  TempDir dir;
  auto a = OpenWithAdmin(TestOptions(dir));
  auto s = a->Login("admin", kAdminPassword, "", nullptr);
  ASSERT_TRUE(s.ok());
  auto t = a->CreateToken("admin", "backup script");
  ASSERT_TRUE(t.ok());
  const std::string bytes = DbBytes(dir);
  EXPECT_EQ(bytes.find(s->session_id), std::string::npos);
  EXPECT_EQ(bytes.find(t->second), std::string::npos);
  // Only the short listed prefix is kept.
  EXPECT_EQ(bytes.find(t->second.substr(0, 12)), std::string::npos);
  EXPECT_EQ(RawDb(dir).Query("SELECT id_hash FROM sessions").size(), 64u);
}

// ---- Login ----

TEST(LoginTest, ReturnsSessionAndRecordsLoginTime) {
  TempDir dir;
  auto a = OpenWithAdmin(TestOptions(dir));
  const int64_t before = NowMs();
  LoginRefusal refusal{.rate_limited = true, .retry_after_ms = 7};
  Result<Session> s = a->Login("admin", kAdminPassword, "192.0.2.1", &refusal);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_FALSE(refusal.rate_limited);
  EXPECT_EQ(refusal.retry_after_ms, 0);
  EXPECT_EQ(s->session_id.size(), 43u);
  EXPECT_EQ(s->csrf_token.size(), 43u);
  EXPECT_TRUE(IsBase64Url(s->session_id));
  EXPECT_TRUE(IsBase64Url(s->csrf_token));
  EXPECT_NE(s->session_id, s->csrf_token);
  EXPECT_GE(s->expires_at_ms, before + AccountsOptions{}.session_ttl_ms);
  EXPECT_EQ(s->user.name, "admin");
  EXPECT_GE(s->user.last_login_ms, before);
  Result<User> admin = a->GetUser("admin");
  ASSERT_TRUE(admin.ok());
  EXPECT_EQ(admin->last_login_ms, s->user.last_login_ms);

  Result<Session> other = a->Login("admin", kAdminPassword, "192.0.2.1", nullptr);
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->session_id, s->session_id);
}

TEST(LoginTest, NamesAreCaseInsensitive) {
  TempDir dir;
  auto a = OpenWithAdmin(TestOptions(dir));
  Result<Session> s = a->Login("ADMIN", kAdminPassword, "", nullptr);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->user.name, "admin");
}

TEST(LoginTest, EveryFailureLooksTheSame) {
  TempDir dir;
  auto a = OpenWithAdmin(TestOptions(dir));
  ASSERT_TRUE(a->CreateUser("dave", Role::kViewer, "dave-password").ok());
  ASSERT_TRUE(a->UpdateUser("dave", std::nullopt, std::nullopt, true).ok());
  const std::pair<std::string, std::string> attempts[] = {
      {"admin", "wrong-password"},    // wrong password
      {"nobody", kAdminPassword},     // unknown user
      {"dave", "dave-password"},      // disabled user, right password
      {"bad name!", kAdminPassword},  // not even a valid name
      {"admin", ""},                  // empty password
  };
  for (const auto& [name, password] : attempts) {
    Result<Session> s = a->Login(name, password, "198.51.100.7", nullptr);
    ASSERT_FALSE(s.ok()) << name;
    EXPECT_EQ(s.status().code(), StatusCode::kUnauthenticated) << name;
    EXPECT_EQ(s.status().message(), kLoginFailed) << name;
  }
}

// ---- Rate limiting ----

AccountsOptions LimitedOptions(const TempDir& dir, int max_failures, int64_t lockout_ms) {
  AccountsOptions o = TestOptions(dir);
  o.max_failures = max_failures;
  o.lockout_ms = lockout_ms;
  return o;
}

TEST(RateLimitTest, LocksUserNameEvenForTheRightPassword) {
  TempDir dir;
  auto a = OpenWithAdmin(LimitedOptions(dir, 3, 600'000));
  // A different address each time: only the name's count can lock.
  for (int i = 0; i < 3; ++i) {
    Result<Session> s = a->Login("admin", "wrong-password", "203.0.113." + std::to_string(i), nullptr);
    EXPECT_EQ(s.status().code(), StatusCode::kUnauthenticated);
  }
  LoginRefusal refusal;
  Result<Session> s = a->Login("admin", kAdminPassword, "203.0.113.99", &refusal);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kResourceExhausted);
  EXPECT_TRUE(refusal.rate_limited);
  EXPECT_GT(refusal.retry_after_ms, 0);
  EXPECT_LE(refusal.retry_after_ms, 600'000);
  // The name counts however it is spelled; other users are unaffected.
  EXPECT_EQ(a->Login("Admin", kAdminPassword, "203.0.113.98", nullptr).status().code(), StatusCode::kResourceExhausted);
  ASSERT_TRUE(a->CreateUser("erin", Role::kViewer, "erin-password").ok());
  EXPECT_TRUE(a->Login("erin", "erin-password", "203.0.113.97", nullptr).ok());
}

TEST(RateLimitTest, LocksAddressAcrossNames) {
  TempDir dir;
  auto a = OpenWithAdmin(LimitedOptions(dir, 3, 600'000));
  for (const char* name : {"alice", "bob", "carol"}) {
    EXPECT_EQ(a->Login(name, "guess-password", "198.51.100.1", nullptr).status().code(), StatusCode::kUnauthenticated);
  }
  LoginRefusal refusal;
  Result<Session> s = a->Login("admin", kAdminPassword, "198.51.100.1", &refusal);
  EXPECT_EQ(s.status().code(), StatusCode::kResourceExhausted);
  EXPECT_TRUE(refusal.rate_limited);
  EXPECT_TRUE(a->Login("admin", kAdminPassword, "198.51.100.2", nullptr).ok());
}

TEST(RateLimitTest, SuccessfulLoginClearsFailures) {
  TempDir dir;
  auto a = OpenWithAdmin(LimitedOptions(dir, 3, 600'000));
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 2; ++i) {
      EXPECT_EQ(a->Login("admin", "wrong-password", "192.0.2.5", nullptr).status().code(),
                StatusCode::kUnauthenticated);
    }
    Result<Session> s = a->Login("admin", kAdminPassword, "192.0.2.5", nullptr);
    EXPECT_TRUE(s.ok()) << "round " << round << ": " << s.status().ToString();
  }
}

TEST(RateLimitTest, LockoutEnds) {
  TempDir dir;
  auto a = OpenWithAdmin(LimitedOptions(dir, 2, 1));
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(a->Login("admin", "wrong-password", "192.0.2.9", nullptr).status().code(), StatusCode::kUnauthenticated);
  }
  SleepMs(5);
  EXPECT_TRUE(a->Login("admin", kAdminPassword, "192.0.2.9", nullptr).ok());
  // The failure that started the lockout says so in the audit log.
  auto audit = a->ListAudit(2, 0);
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 2u);
  EXPECT_EQ((*audit)[1].action, "session.login_failed");
  EXPECT_EQ(nlohmann::json::parse((*audit)[1].detail)["lockout_ms"], 1);
}

TEST(RateLimitTest, VerifyPasswordCountsFailures) {
  TempDir dir;
  auto a = OpenWithAdmin(LimitedOptions(dir, 2, 600'000));
  EXPECT_EQ(a->VerifyPassword("admin", "wrong-password").code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(a->VerifyPassword("admin", "wrong-password").code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(a->VerifyPassword("admin", kAdminPassword).code(), StatusCode::kResourceExhausted);
}

// The limiter on its own, with explicit times.
TEST(LoginRateLimiterTest, WindowLockoutAndExpiry) {
  LoginRateLimiter limiter(RateLimiterOptions{.max_failures = 3, .failure_window_ms = 100, .lockout_ms = 50});
  EXPECT_FALSE(limiter.RecordFailure("k", 1000));
  EXPECT_FALSE(limiter.RecordFailure("k", 1050));
  // The window (from the first failure) is over: counting starts again.
  EXPECT_FALSE(limiter.RecordFailure("k", 1100));
  EXPECT_FALSE(limiter.RecordFailure("k", 1110));
  EXPECT_EQ(limiter.RetryAfterMs("k", 1110), 0);
  EXPECT_TRUE(limiter.RecordFailure("k", 1120));
  EXPECT_EQ(limiter.RetryAfterMs("k", 1120), 50);
  EXPECT_EQ(limiter.RetryAfterMs("k", 1160), 10);
  // Failures during the lockout do not extend it.
  EXPECT_FALSE(limiter.RecordFailure("k", 1165));
  EXPECT_EQ(limiter.RetryAfterMs("k", 1169), 1);
  EXPECT_EQ(limiter.RetryAfterMs("k", 1170), 0);
  // After a lockout the key starts afresh.
  EXPECT_FALSE(limiter.RecordFailure("k", 1171));
  EXPECT_EQ(limiter.RetryAfterMs("k", 1171), 0);
  EXPECT_EQ(limiter.RetryAfterMs("other", 1171), 0);
}

TEST(LoginRateLimiterTest, ClearForgetsFailures) {
  LoginRateLimiter limiter(RateLimiterOptions{.max_failures = 2, .failure_window_ms = 100, .lockout_ms = 50});
  EXPECT_FALSE(limiter.RecordFailure("k", 0));
  limiter.Clear("k");
  EXPECT_FALSE(limiter.RecordFailure("k", 1));
  EXPECT_TRUE(limiter.RecordFailure("k", 2));
  limiter.Clear("k");
  EXPECT_EQ(limiter.RetryAfterMs("k", 3), 0);
  EXPECT_EQ(limiter.size(), 0u);
}

TEST(LoginRateLimiterTest, StaysBoundedAndKeepsLockouts) {
  LoginRateLimiter limiter(
      RateLimiterOptions{.max_failures = 2, .failure_window_ms = 1000, .lockout_ms = 1000, .max_keys = 10});
  limiter.RecordFailure("victim", 0);
  ASSERT_TRUE(limiter.RecordFailure("victim", 0));
  for (int i = 0; i < 100; ++i) limiter.RecordFailure("flood" + std::to_string(i), 10 + i);
  EXPECT_LE(limiter.size(), 10u);
  EXPECT_GT(limiter.RetryAfterMs("victim", 200), 0);
  // Once their windows are over, old keys make room for new ones.
  limiter.RecordFailure("late", 5000);
  EXPECT_EQ(limiter.size(), 1u);
}

// ---- Sessions ----

TEST(SessionTest, ResolveAndLogout) {
  TempDir dir;
  auto a = OpenWithAdmin(TestOptions(dir));
  Result<Session> s = a->Login("admin", kAdminPassword, "", nullptr);
  ASSERT_TRUE(s.ok());
  Result<Principal> p = a->ResolveSession(s->session_id);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->user.name, "admin");
  EXPECT_EQ(p->user.role, Role::kAdmin);
  EXPECT_FALSE(p->via_token);
  EXPECT_EQ(p->csrf_token, s->csrf_token);

  EXPECT_EQ(a->ResolveSession("not-a-session").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(a->ResolveSession("").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(a->ResolveSession(s->csrf_token).status().code(), StatusCode::kNotFound);

  EXPECT_TRUE(a->Logout(s->session_id).ok());
  EXPECT_EQ(a->ResolveSession(s->session_id).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(a->Logout(s->session_id).ok());
  EXPECT_TRUE(a->Logout("never-existed").ok());
}

TEST(SessionTest, ExpiredSessionIsRefusedAndDeleted) {
  TempDir dir;
  AccountsOptions o = TestOptions(dir);
  o.session_ttl_ms = 1;
  auto a = OpenWithAdmin(o);
  Result<Session> s = a->Login("admin", kAdminPassword, "", nullptr);
  ASSERT_TRUE(s.ok());
  SleepMs(5);
  Result<Principal> p = a->ResolveSession(s->session_id);
  EXPECT_EQ(p.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(RawDb(dir).QueryInt("SELECT count(*) FROM sessions"), 0);
}

TEST(SessionTest, UseSlidesExpiryAtMostOncePerMinute) {
  TempDir dir;
  auto a = OpenWithAdmin(TestOptions(dir));
  Result<Session> s = a->Login("admin", kAdminPassword, "", nullptr);
  ASSERT_TRUE(s.ok());
  RawDb raw(dir);
  const std::string expires_sql = "SELECT expires_at_ms FROM sessions";
  const int64_t at_login = raw.QueryInt(expires_sql);
  EXPECT_EQ(at_login, s->expires_at_ms);
  // Used right away: not worth a write.
  ASSERT_TRUE(a->ResolveSession(s->session_id).ok());
  EXPECT_EQ(raw.QueryInt(expires_sql), at_login);
  // Used when close to expiring: extended by a full TTL.
  const int64_t soon = NowMs() + 1000;
  raw.Exec("UPDATE sessions SET expires_at_ms = " + std::to_string(soon));
  const int64_t before = NowMs();
  ASSERT_TRUE(a->ResolveSession(s->session_id).ok());
  EXPECT_GE(raw.QueryInt(expires_sql), before + AccountsOptions{}.session_ttl_ms);
}

TEST(SessionTest, LoginSweepsExpiredSessions) {
  TempDir dir;
  auto a = OpenWithAdmin(TestOptions(dir));
  ASSERT_TRUE(a->Login("admin", kAdminPassword, "", nullptr).ok());
  RawDb raw(dir);
  raw.Exec("UPDATE sessions SET expires_at_ms = 1");
  ASSERT_TRUE(a->Login("admin", kAdminPassword, "", nullptr).ok());
  EXPECT_EQ(raw.QueryInt("SELECT count(*) FROM sessions"), 1);
}

TEST(SessionTest, DisablingEndsSessionsAndTokens) {
  TempDir dir;
  auto a = OpenWithAdmin(TestOptions(dir));
  ASSERT_TRUE(a->CreateUser("frank", Role::kManager, "frank-password").ok());
  Result<Session> s = a->Login("frank", "frank-password", "", nullptr);
  ASSERT_TRUE(s.ok());
  auto t = a->CreateToken("frank", "ingest bot");
  ASSERT_TRUE(t.ok());
  ASSERT_TRUE(a->ResolveToken(t->second).ok());

  Result<User> disabled = a->UpdateUser("frank", std::nullopt, std::nullopt, true);
  ASSERT_TRUE(disabled.ok()) << disabled.status().ToString();
  EXPECT_TRUE(disabled->disabled);
  EXPECT_EQ(a->ResolveSession(s->session_id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(a->ResolveToken(t->second).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(a->CreateToken("frank", "another").status().code(), StatusCode::kFailedPrecondition);

  // Enabled again, the token works again; the session is gone for good.
  ASSERT_TRUE(a->UpdateUser("frank", std::nullopt, std::nullopt, false).ok());
  EXPECT_TRUE(a->ResolveToken(t->second).ok());
  EXPECT_EQ(a->ResolveSession(s->session_id).status().code(), StatusCode::kNotFound);
}

TEST(SessionTest, NewPasswordEndsSessionsButRoleChangeDoesNot) {
  TempDir dir;
  auto a = OpenWithAdmin(TestOptions(dir));
  ASSERT_TRUE(a->CreateUser("gina", Role::kViewer, "gina-password").ok());
  Result<Session> s = a->Login("gina", "gina-password", "", nullptr);
  ASSERT_TRUE(s.ok());

  Result<User> promoted = a->UpdateUser("gina", Role::kManager, std::nullopt, std::nullopt);
  ASSERT_TRUE(promoted.ok());
  EXPECT_EQ(promoted->role, Role::kManager);
  Result<Principal> p = a->ResolveSession(s->session_id);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->user.role, Role::kManager);

  ASSERT_TRUE(a->UpdateUser("gina", std::nullopt, std::string("gina-new-password"), std::nullopt).ok());
  EXPECT_EQ(a->ResolveSession(s->session_id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(a->Login("gina", "gina-password", "", nullptr).status().code(), StatusCode::kUnauthenticated);
  EXPECT_TRUE(a->Login("gina", "gina-new-password", "", nullptr).ok());
  EXPECT_TRUE(a->VerifyPassword("gina", "gina-new-password").ok());
  EXPECT_EQ(a->VerifyPassword("gina", "gina-password").code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(a->VerifyPassword("nobody", "gina-password").code(), StatusCode::kNotFound);
}

// ---- API tokens ----

TEST(TokenTest, CreateResolveListRevoke) {
  TempDir dir;
  auto a = OpenWithAdmin(TestOptions(dir));
  ASSERT_TRUE(a->CreateUser("hank", Role::kSales, "hank-password").ok());
  auto first = a->CreateToken("hank", "crm sync");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  const auto& [token, secret] = *first;
  EXPECT_EQ(secret.size(), 46u);
  EXPECT_EQ(secret.rfind("es_", 0), 0u);
  EXPECT_TRUE(IsBase64Url(secret.substr(3)));
  EXPECT_EQ(token.prefix, secret.substr(0, 8));
  EXPECT_EQ(token.name, "crm sync");
  EXPECT_EQ(token.user_name, "hank");
  EXPECT_GT(token.id, 0);
  EXPECT_FALSE(token.revoked);
  EXPECT_EQ(token.last_used_ms, 0);

  Result<Principal> p = a->ResolveToken(secret);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_TRUE(p->via_token);
  EXPECT_EQ(p->token_id, token.id);
  EXPECT_EQ(p->user.name, "hank");
  EXPECT_EQ(p->user.role, Role::kSales);
  EXPECT_TRUE(p->csrf_token.empty());
  Result<ApiToken> used = a->GetToken(token.id);
  ASSERT_TRUE(used.ok());
  EXPECT_GT(used->last_used_ms, 0);

  auto second = a->CreateToken("hank", "reports");
  ASSERT_TRUE(second.ok());
  auto admins = a->CreateToken("admin", "ops");
  ASSERT_TRUE(admins.ok());
  auto hanks = a->ListTokens("hank");
  ASSERT_TRUE(hanks.ok());
  ASSERT_EQ(hanks->size(), 2u);
  EXPECT_EQ((*hanks)[0].name, "reports");  // newest first
  EXPECT_EQ((*hanks)[1].name, "crm sync");
  auto everyone = a->ListTokens("");
  ASSERT_TRUE(everyone.ok());
  ASSERT_EQ(everyone->size(), 3u);
  EXPECT_EQ((*everyone)[0].user_name, "admin");
  EXPECT_EQ(a->ListTokens("nobody").status().code(), StatusCode::kNotFound);

  ASSERT_TRUE(a->RevokeToken(token.id).ok());
  EXPECT_EQ(a->ResolveToken(secret).status().code(), StatusCode::kNotFound);
  Result<ApiToken> revoked = a->GetToken(token.id);
  ASSERT_TRUE(revoked.ok());
  EXPECT_TRUE(revoked->revoked);
  EXPECT_TRUE(a->ResolveToken(second->second).ok());
  EXPECT_EQ(a->RevokeToken(9999).code(), StatusCode::kNotFound);
  EXPECT_EQ(a->GetToken(9999).status().code(), StatusCode::kNotFound);
}

TEST(TokenTest, RejectsMalformedAndUnknownTokens) {
  TempDir dir;
  auto a = OpenWithAdmin(TestOptions(dir));
  auto t = a->CreateToken("admin", "x");
  ASSERT_TRUE(t.ok());
  std::string tampered = t->second;
  tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
  for (const std::string& bad : {std::string(), std::string("es_"), t->second.substr(3), t->second + "A", tampered}) {
    EXPECT_EQ(a->ResolveToken(bad).status().code(), StatusCode::kNotFound) << bad;
  }
}

TEST(TokenTest, ValidatesNames) {
  TempDir dir;
  auto a = OpenWithAdmin(TestOptions(dir));
  std::string hundred_accented;
  for (int i = 0; i < 100; ++i) hundred_accented += "\xc3\xa9";  // é
  EXPECT_TRUE(a->CreateToken("admin", hundred_accented).ok());
  EXPECT_TRUE(a->CreateToken("admin", "Grafana (read only)").ok());
  for (const std::string& bad : {std::string(), std::string(101, 'x'), std::string("line\nbreak"),
                                 std::string("tab\there"), std::string("bell\x07"), std::string("bad utf8 \xff")}) {
    Result<std::pair<ApiToken, std::string>> r = a->CreateToken("admin", bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_EQ(a->CreateToken("nobody", "x").status().code(), StatusCode::kNotFound);
}

// ---- Users ----

TEST(UserTest, ValidatesNamesAndPasswords) {
  TempDir dir;
  auto a = OpenWithAdmin(TestOptions(dir));
  for (const std::string& good : {std::string("a"), std::string("bob.smith@example-corp_1"), std::string(64, 'z')}) {
    Result<User> u = a->CreateUser(good, Role::kViewer, "good-password");
    EXPECT_TRUE(u.ok()) << good << ": " << u.status().ToString();
  }
  for (const std::string& bad : {std::string(), std::string(65, 'z'), std::string("with space"),
                                 std::string("slash/name"), std::string("caf\xc3\xa9"), std::string("nul\0x", 5)}) {
    Result<User> u = a->CreateUser(bad, Role::kViewer, "good-password");
    ASSERT_FALSE(u.ok()) << bad;
    EXPECT_EQ(u.status().code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(u.status().message().find("user name"), std::string::npos) << u.status().message();
  }
  Result<User> short_pw = a->CreateUser("ivan", Role::kViewer, "1234567");
  ASSERT_FALSE(short_pw.ok());
  EXPECT_EQ(short_pw.status().message(), "password must be at least 8 characters");
  EXPECT_FALSE(a->CreateUser("ivan", Role::kViewer, std::string(1025, 'p')).ok());
  EXPECT_TRUE(a->CreateUser("ivan", Role::kViewer, "12345678").ok());
  EXPECT_TRUE(a->CreateUser("judy", Role::kViewer, std::string(1024, 'p')).ok());
  EXPECT_EQ(a->CreateUser("kim", static_cast<Role>(9), "good-password").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(a->UpdateUser("ivan", std::nullopt, std::string("short"), std::nullopt).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(UserTest, NamesAreUniqueIgnoringCase) {
  TempDir dir;
  auto a = OpenWithAdmin(TestOptions(dir));
  ASSERT_TRUE(a->CreateUser("bob", Role::kViewer, "bob-password").ok());
  for (const char* dup : {"bob", "Bob"}) {
    Result<User> u = a->CreateUser(dup, Role::kViewer, "bob-password");
    ASSERT_FALSE(u.ok());
    EXPECT_EQ(u.status().code(), StatusCode::kAlreadyExists);
    EXPECT_EQ(u.status().message(), "user 'bob' already exists");
  }
}

TEST(UserTest, ListGetUpdateDelete) {
  TempDir dir;
  auto a = OpenWithAdmin(TestOptions(dir));
  Result<User> created = a->CreateUser("zed", Role::kExpert, "zed-password");
  ASSERT_TRUE(created.ok());
  EXPECT_GT(created->id, 0);
  EXPECT_GT(created->created_at_ms, 0);
  ASSERT_TRUE(a->CreateUser("mia", Role::kViewer, "mia-password").ok());
  auto users = a->ListUsers();
  ASSERT_TRUE(users.ok());
  ASSERT_EQ(users->size(), 3u);
  EXPECT_EQ((*users)[0].name, "admin");
  EXPECT_EQ((*users)[1].name, "mia");
  EXPECT_EQ((*users)[2].name, "zed");
  Result<User> got = a->GetUser("zed");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->id, created->id);
  EXPECT_EQ(got->role, Role::kExpert);
  Result<User> missing = a->GetUser("nobody");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("'nobody'"), std::string::npos);
  EXPECT_EQ(a->UpdateUser("nobody", Role::kViewer, std::nullopt, std::nullopt).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(a->DeleteUser("nobody").code(), StatusCode::kNotFound);

  Result<Session> s = a->Login("zed", "zed-password", "", nullptr);
  ASSERT_TRUE(s.ok());
  auto t = a->CreateToken("zed", "script");
  ASSERT_TRUE(t.ok());
  ASSERT_TRUE(a->DeleteUser("zed").ok());
  EXPECT_EQ(a->GetUser("zed").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(a->ResolveSession(s->session_id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(a->ResolveToken(t->second).status().code(), StatusCode::kNotFound);
  RawDb raw(dir);
  EXPECT_EQ(raw.QueryInt("SELECT count(*) FROM sessions"), 0);
  EXPECT_EQ(raw.QueryInt("SELECT count(*) FROM api_tokens"), 0);
  // The name is free again, and the new user inherits nothing.
  ASSERT_TRUE(a->CreateUser("zed", Role::kViewer, "zed-password").ok());
  auto tokens = a->ListTokens("zed");
  ASSERT_TRUE(tokens.ok());
  EXPECT_TRUE(tokens->empty());
}

TEST(UserTest, LastEnabledAdminIsProtected) {
  TempDir dir;
  auto a = OpenWithAdmin(TestOptions(dir));
  auto expect_refused = [](const Status& st, const char* what) {
    EXPECT_EQ(st.code(), StatusCode::kFailedPrecondition) << what << ": " << st.ToString();
    EXPECT_NE(st.message().find("last enabled admin"), std::string::npos) << st.message();
  };
  expect_refused(a->UpdateUser("admin", Role::kManager, std::nullopt, std::nullopt).status(), "demote");
  expect_refused(a->UpdateUser("admin", std::nullopt, std::nullopt, true).status(), "disable");
  expect_refused(a->DeleteUser("admin"), "delete");
  // Nothing changed.
  Result<User> admin = a->GetUser("admin");
  ASSERT_TRUE(admin.ok());
  EXPECT_EQ(admin->role, Role::kAdmin);
  EXPECT_FALSE(admin->disabled);

  // A disabled admin does not count as a spare.
  ASSERT_TRUE(a->CreateUser("root2", Role::kAdmin, "root2-password").ok());
  ASSERT_TRUE(a->UpdateUser("root2", std::nullopt, std::nullopt, true).ok());
  expect_refused(a->DeleteUser("admin"), "delete with only a disabled spare");

  // With an enabled spare the first admin can go; then the spare is the last.
  ASSERT_TRUE(a->UpdateUser("root2", std::nullopt, std::nullopt, false).ok());
  ASSERT_TRUE(a->UpdateUser("admin", Role::kViewer, std::nullopt, std::nullopt).ok());
  expect_refused(a->UpdateUser("root2", std::nullopt, std::nullopt, true).status(), "disable the spare");
  // Changes that keep the admin an enabled admin stay allowed.
  EXPECT_TRUE(a->UpdateUser("root2", Role::kAdmin, std::string("root2-new-password"), false).ok());
}

// ---- Audit ----

TEST(AuditTest, LoginsAreRecordedNewestFirst) {
  TempDir dir;
  auto a = OpenWithAdmin(TestOptions(dir));
  ASSERT_TRUE(a->Login("admin", kAdminPassword, "192.0.2.10", nullptr).ok());
  EXPECT_FALSE(a->Login("admin", "secret-guess-123", "192.0.2.11", nullptr).ok());
  EXPECT_FALSE(a->Login("mallory", "secret-guess-456", "192.0.2.12", nullptr).ok());

  auto audit = a->ListAudit(100, 0);
  ASSERT_TRUE(audit.ok()) << audit.status().ToString();
  ASSERT_EQ(audit->size(), 4u);
  const AuditEntry& unknown = (*audit)[0];
  EXPECT_EQ(unknown.action, "session.login_failed");
  EXPECT_EQ(unknown.target, "mallory");
  EXPECT_EQ(unknown.ip, "192.0.2.12");
  EXPECT_EQ(nlohmann::json::parse(unknown.detail)["reason"], "unknown_user");
  const AuditEntry& wrong = (*audit)[1];
  EXPECT_EQ(wrong.action, "session.login_failed");
  EXPECT_EQ(wrong.target, "admin");
  EXPECT_EQ(nlohmann::json::parse(wrong.detail)["reason"], "wrong_password");
  const AuditEntry& ok = (*audit)[2];
  EXPECT_EQ(ok.action, "session.login");
  EXPECT_EQ(ok.actor, "admin");
  EXPECT_EQ(ok.target, "admin");
  EXPECT_EQ(ok.ip, "192.0.2.10");
  EXPECT_EQ((*audit)[3].action, "user.create");
  for (size_t i = 1; i < audit->size(); ++i) EXPECT_GT((*audit)[i - 1].id, (*audit)[i].id);
  for (const AuditEntry& e : *audit) {
    EXPECT_EQ(e.detail.find("secret-guess"), std::string::npos);
    EXPECT_GT(e.at_ms, 0);
  }
  EXPECT_EQ(DbBytes(dir).find("secret-guess"), std::string::npos);
}

TEST(AuditTest, PagesWithBeforeId) {
  TempDir dir;
  auto a = OpenOrDie(TestOptions(dir));
  for (int i = 0; i < 7; ++i) {
    const std::string target = std::string("w").append(std::to_string(i));
    ASSERT_TRUE(a->Audit("admin", "watch.add", target, "", "10.0.0.1").ok());
  }
  std::vector<std::string> targets;
  int64_t before = 0;
  while (true) {
    auto page = a->ListAudit(3, before);
    ASSERT_TRUE(page.ok());
    if (page->empty()) break;
    EXPECT_LE(page->size(), 3u);
    for (const AuditEntry& e : *page) targets.push_back(e.target);
    before = page->back().id;
  }
  EXPECT_EQ(targets, (std::vector<std::string>{"w6", "w5", "w4", "w3", "w2", "w1", "w0"}));
  auto one = a->ListAudit(0, 0);  // clamped up to 1
  ASSERT_TRUE(one.ok());
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ((*one)[0].target, "w6");
  EXPECT_EQ((*one)[0].detail, "{}");
  EXPECT_EQ((*one)[0].actor, "admin");
  EXPECT_EQ((*one)[0].ip, "10.0.0.1");
  auto all = a->ListAudit(1'000'000, 0);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 7u);
}

TEST(AuditTest, DetailMustBeAJsonObject) {
  TempDir dir;
  auto a = OpenOrDie(TestOptions(dir));
  EXPECT_TRUE(a->Audit("admin", "watch.add", "w", R"({"query": "dell OR oracle"})", "").ok());
  for (const char* bad : {"[1, 2]", "\"text\"", "42", "{not json", "{} {}"}) {
    Status st = a->Audit("admin", "watch.add", "w", bad, "");
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_EQ(a->Audit("admin", "", "w", "", "").code(), StatusCode::kInvalidArgument);
  auto audit = a->ListAudit(10, 0);
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 1u);
  EXPECT_EQ(nlohmann::json::parse((*audit)[0].detail)["query"], "dell OR oracle");
}

// ---- Threads ----

TEST(ConcurrencyTest, ParallelLoginsAndResolvesSucceed) {
  TempDir dir;
  auto a = OpenWithAdmin(TestOptions(dir));
  constexpr int kThreads = 4;
  constexpr int kRounds = 15;
  std::vector<std::string> tokens;
  for (int t = 0; t < kThreads; ++t) {
    std::string name = "user" + std::to_string(t);
    ASSERT_TRUE(a->CreateUser(name, Role::kViewer, name + "-password").ok());
    auto token = a->CreateToken(name, "load");
    ASSERT_TRUE(token.ok());
    tokens.push_back(token->second);
  }
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::string name = "user" + std::to_string(t);
      for (int i = 0; i < kRounds; ++i) {
        Result<Session> s = a->Login(name, name + "-password", "10.1.0." + std::to_string(t), nullptr);
        if (!s.ok()) {
          ++failures;
          continue;
        }
        Result<Principal> by_session = a->ResolveSession(s->session_id);
        Result<Principal> by_token = a->ResolveToken(tokens[t]);
        if (!by_session.ok() || by_session->user.name != name || !by_token.ok() || by_token->user.name != name) {
          ++failures;
        }
        if (!a->Logout(s->session_id).ok()) ++failures;
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  auto audit = a->ListAudit(1000, 0);
  ASSERT_TRUE(audit.ok());
  EXPECT_EQ(audit->size(), 1u + kThreads * kRounds);
}

}  // namespace
}  // namespace earshot::accounts
