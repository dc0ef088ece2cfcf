// Accounts: users with roles, password login with sessions, API tokens for
// integrations, login rate limiting and the audit log of every change.
// Kept in <data>/accounts.db (SQLite, WAL), apart from the mention store so
// that a PostgreSQL deployment can keep them anywhere; secrets are never
// stored in the clear: passwords as Argon2id (libsodium crypto_pwhash_str),
// session ids and API tokens as BLAKE2b hashes (crypto_generichash).
//
// Thread-safe: every method may be called from any HTTP worker thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace earshot::accounts {

enum class Role : uint8_t { kViewer = 0, kSales = 1, kExpert = 2, kManager = 3, kAdmin = 4 };

// "viewer", "sales", "expert", "manager", "admin".
std::string_view RoleName(Role role);
// Parses a role name; InvalidArgument lists the known roles.
Result<Role> ParseRole(std::string_view name);

// What a caller may do. Every role reads (mentions, reports, watches,
// sources, the live stream) and manages its own password and tokens;
// managers also change watches, sources, retention and ingest; admins also
// manage users, everyone's tokens and read the audit log.
enum class Permission : uint8_t {
  kRead,
  kManageOwnCredentials,
  kManageWatches,
  kManageSources,
  kIngest,
  kManageUsers,
  kReadAudit,
};
bool Allows(Role role, Permission permission);

struct User {
  int64_t id = 0;
  std::string name;  // login name: 1–64 chars of [A-Za-z0-9._@-]
  Role role = Role::kViewer;
  bool disabled = false;
  int64_t created_at_ms = 0;
  int64_t last_login_ms = 0;  // 0: never
};

// Who is calling: resolved from a session cookie or a bearer token.
struct Principal {
  User user;
  bool via_token = false;    // API token: no cookie, so no CSRF check
  int64_t token_id = 0;      // when via_token
  std::string csrf_token;    // session only: must come back in X-CSRF-Token
};

// A session created by a successful login. `session_id` goes into the
// cookie (HttpOnly, SameSite=Strict) and is only stored hashed.
struct Session {
  std::string session_id;  // 43 chars of base64url (32 random bytes)
  std::string csrf_token;  // 43 chars of base64url
  int64_t expires_at_ms = 0;
  User user;
};

struct ApiToken {
  int64_t id = 0;
  int64_t user_id = 0;
  std::string user_name;
  std::string name;  // what the token is for, 1–100 chars
  std::string prefix;  // first 8 chars of the secret, to recognise it in lists
  int64_t created_at_ms = 0;
  int64_t last_used_ms = 0;  // 0: never
  bool revoked = false;
};

struct AuditEntry {
  int64_t id = 0;
  int64_t at_ms = 0;
  std::string actor;   // user name, "system" for the first-run admin
  std::string action;  // "user.create", "watch.add", "session.login", ...
  std::string target;  // what it acted on ("" when nothing)
  std::string detail;  // JSON object text ("{}" when nothing)
  std::string ip;      // remote address ("" when not over HTTP)
};

struct AccountsOptions {
  std::string data_dir;  // accounts.db lives here
  int64_t session_ttl_ms = 12LL * 3600 * 1000;  // sliding: each use extends it
  // Login rate limiting: after `max_failures` failed logins for one user
  // name or one remote address within `failure_window_ms`, further logins
  // for it are refused for `lockout_ms` (even with the right password).
  int max_failures = 5;
  int64_t failure_window_ms = 15LL * 60 * 1000;
  int64_t lockout_ms = 15LL * 60 * 1000;
  // Argon2id cost: libsodium's INTERACTIVE limits by default; tests lower
  // them (min limits) to stay fast.
  bool fast_hash_for_tests = false;
};

// Returned by Login when refused for too many failures; retry_after_ms says
// when to try again (the HTTP layer answers 429 with Retry-After).
struct LoginRefusal {
  bool rate_limited = false;
  int64_t retry_after_ms = 0;
};

class Accounts {
 public:
  // Opens (creating and migrating) <data_dir>/accounts.db.
  static Result<std::unique_ptr<Accounts>> Open(const AccountsOptions& options);
  virtual ~Accounts() = default;

  // First run: when no user exists, creates user "admin" with role admin and
  // password `password` when given (non-empty), else a random one-time
  // password (20 chars base64url) which is returned so the caller can print
  // it. Returns std::nullopt when users already exist (nothing changes).
  virtual Result<std::optional<std::string>> EnsureAdmin(const std::string& password) = 0;

  // Checks `name`/`password` from remote address `ip`. Unauthenticated (same
  // message for an unknown user, a wrong password or a disabled user) or
  // ResourceExhausted when rate limited (then *refusal says for how long).
  // Records session.login / session.login_failed in the audit log.
  virtual Result<Session> Login(const std::string& name, const std::string& password, const std::string& ip,
                                LoginRefusal* refusal) = 0;
  // Ends the session (no error when unknown).
  virtual Status Logout(const std::string& session_id) = 0;
  // Returns who holds the session, extending it; NotFound when unknown,
  // expired or the user is disabled.
  virtual Result<Principal> ResolveSession(const std::string& session_id) = 0;
  // Returns who holds the bearer token, noting its use; NotFound when
  // unknown, revoked or the user is disabled.
  virtual Result<Principal> ResolveToken(const std::string& token) = 0;

  virtual Result<std::vector<User>> ListUsers() = 0;
  virtual Result<User> GetUser(const std::string& name) = 0;
  // InvalidArgument for a bad name or a password under 8 characters,
  // AlreadyExists when the name is taken.
  virtual Result<User> CreateUser(const std::string& name, Role role, const std::string& password) = 0;
  // Changes what is given. Refuses (FailedPrecondition) to demote or
  // disable the last enabled admin. Disabling or a new password ends the
  // user's sessions.
  virtual Result<User> UpdateUser(const std::string& name, std::optional<Role> role,
                                  std::optional<std::string> password, std::optional<bool> disabled) = 0;
  // Checks a user's current password (for a self-service change).
  virtual Status VerifyPassword(const std::string& name, const std::string& password) = 0;
  // Deletes a user with their sessions and tokens; refuses the last admin.
  virtual Status DeleteUser(const std::string& name) = 0;

  // Creates a token for `user_name`; returns it with the secret, which is
  // shown once ("es_" + 43 chars base64url) and only stored hashed.
  virtual Result<std::pair<ApiToken, std::string>> CreateToken(const std::string& user_name,
                                                               const std::string& name) = 0;
  // Lists tokens of one user ("" = everyone's), newest first.
  virtual Result<std::vector<ApiToken>> ListTokens(const std::string& user_name) = 0;
  virtual Result<ApiToken> GetToken(int64_t id) = 0;
  // Revokes a token: it stops working at once. NotFound when unknown.
  virtual Status RevokeToken(int64_t id) = 0;

  // Appends to the audit log. `detail` is a JSON object text ("" = "{}").
  virtual Status Audit(const std::string& actor, const std::string& action, const std::string& target,
                       const std::string& detail, const std::string& ip) = 0;
  // Returns audit entries with id < before_id (0: the newest), newest first.
  virtual Result<std::vector<AuditEntry>> ListAudit(int limit, int64_t before_id) = 0;
};

}  // namespace earshot::accounts
