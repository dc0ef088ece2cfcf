// Session (log in / out), users, API tokens and the audit log.
#include <charconv>

#include "core/strings.h"
#include "core/time.h"
#include "server/routes.h"

namespace earshot::server {
namespace {

using accounts::Permission;

nlohmann::json UserJson(const accounts::User& u) {
  return {{"name", u.name},
          {"role", accounts::RoleName(u.role)},
          {"disabled", u.disabled},
          {"created_at", FormatRfc3339(u.created_at_ms)},
          {"last_login", u.last_login_ms ? nlohmann::json(FormatRfc3339(u.last_login_ms)) : nlohmann::json(nullptr)}};
}

nlohmann::json TokenJson(const accounts::ApiToken& t) {
  return {{"id", t.id},
          {"name", t.name},
          {"user", t.user_name},
          {"prefix", t.prefix},
          {"created_at", FormatRfc3339(t.created_at_ms)},
          {"last_used", t.last_used_ms ? nlohmann::json(FormatRfc3339(t.last_used_ms)) : nlohmann::json(nullptr)},
          {"revoked", t.revoked}};
}

nlohmann::json SessionJson(const accounts::User& u, const std::string& csrf) {
  return {{"user", {{"name", u.name}, {"role", accounts::RoleName(u.role)}}}, {"csrf_token", csrf}};
}

std::string CookieHeader(const Call& call, const std::string& value, int64_t max_age_s) {
  std::string c = "earshot_session=" + value + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                  std::to_string(max_age_s);
  if (call.ctx.options.secure_cookies) c += "; Secure";
  return c;
}

// A string member of `j`, or "" (InvalidArgument when present but not a string).
Result<std::optional<std::string>> StringField(const nlohmann::json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return std::optional<std::string>();
  if (!j[key].is_string()) return Status::InvalidArgument(std::string("'") + key + "' must be a string");
  return std::optional<std::string>(j[key].get<std::string>());
}

Result<Reply> Login(Call& c) {
  EARSHOT_ASSIGN_OR_RETURN(nlohmann::json body, JsonBody(c));
  EARSHOT_ASSIGN_OR_RETURN(std::optional<std::string> name, StringField(body, "username"));
  EARSHOT_ASSIGN_OR_RETURN(std::optional<std::string> password, StringField(body, "password"));
  if (!name || !password) return Status::InvalidArgument("give 'username' and 'password'");
  accounts::LoginRefusal refusal;
  Result<accounts::Session> s = c.ctx.accounts->Login(*name, *password, c.ip, &refusal);
  if (!s.ok()) {
    if (refusal.rate_limited) {
      int64_t secs = std::max<int64_t>(1, (refusal.retry_after_ms + 999) / 1000);
      c.res.set_header("Retry-After", std::to_string(secs));
      return Status::ResourceExhausted("too many failed logins: try again in " + std::to_string(secs) + " s");
    }
    return Status::Unauthenticated(s.status().message());
  }
  int64_t ttl_s = (s->expires_at_ms - std::chrono::duration_cast<std::chrono::milliseconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count()) /
                  1000;
  c.res.set_header("Set-Cookie", CookieHeader(c, s->session_id, std::max<int64_t>(ttl_s, 60)));
  return Reply::Json(SessionJson(s->user, s->csrf_token));
}

Result<Reply> Logout(Call& c) {
  std::string cookie = SessionCookie(c.req);
  if (!cookie.empty()) EARSHOT_RETURN_IF_ERROR(c.ctx.accounts->Logout(cookie));
  c.Audit("session.logout", c.actor());
  c.res.set_header("Set-Cookie", CookieHeader(c, "", 0));
  return Reply::NoContent();
}

Result<accounts::Role> RoleField(const nlohmann::json& body) {
  EARSHOT_ASSIGN_OR_RETURN(std::optional<std::string> role, StringField(body, "role"));
  return accounts::ParseRole(role.value_or("viewer"));
}

Result<Reply> CreateUser(Call& c) {
  EARSHOT_ASSIGN_OR_RETURN(nlohmann::json body, JsonBody(c));
  EARSHOT_ASSIGN_OR_RETURN(std::optional<std::string> name, StringField(body, "name"));
  EARSHOT_ASSIGN_OR_RETURN(std::optional<std::string> password, StringField(body, "password"));
  EARSHOT_ASSIGN_OR_RETURN(accounts::Role role, RoleField(body));
  if (!name || !password) return Status::InvalidArgument("give 'name', 'role' and 'password'");
  EARSHOT_ASSIGN_OR_RETURN(accounts::User u, c.ctx.accounts->CreateUser(*name, role, *password));
  c.Audit("user.create", u.name, {{"role", accounts::RoleName(role)}});
  return Reply::Json(UserJson(u), 201);
}

Result<Reply> UpdateUser(Call& c) {
  std::string name = c.Param(1);
  EARSHOT_ASSIGN_OR_RETURN(nlohmann::json body, JsonBody(c));
  bool admin = accounts::Allows(c.who->user.role, Permission::kManageUsers);
  std::optional<accounts::Role> role;
  if (body.contains("role") && !body["role"].is_null()) {
    EARSHOT_ASSIGN_OR_RETURN(role, RoleField(body));
  }
  EARSHOT_ASSIGN_OR_RETURN(std::optional<std::string> password, StringField(body, "password"));
  std::optional<bool> disabled;
  if (body.contains("disabled") && !body["disabled"].is_null()) {
    if (!body["disabled"].is_boolean()) return Status::InvalidArgument("'disabled' must be true or false");
    disabled = body["disabled"].get<bool>();
  }
  bool self = AsciiLower(name) == AsciiLower(c.who->user.name);  // user names ignore case
  if (!admin) {
    if (!self || role || disabled) return Status::PermissionDenied("only an admin changes other users, roles or access");
    if (!password) return Status::InvalidArgument("give 'password' and 'current_password'");
  }
  if (self && password) {
    // A new password of one's own needs the current one (admins too): a
    // borrowed session must not be able to take the account over.
    EARSHOT_ASSIGN_OR_RETURN(std::optional<std::string> current, StringField(body, "current_password"));
    if (!current || !c.ctx.accounts->VerifyPassword(name, *current).ok()) {
      return Status::PermissionDenied("the current password is wrong");
    }
  }
  EARSHOT_ASSIGN_OR_RETURN(accounts::User u, c.ctx.accounts->UpdateUser(name, role, password, disabled));
  nlohmann::json detail = nlohmann::json::object();
  if (role) detail["role"] = accounts::RoleName(*role);
  if (disabled) detail["disabled"] = *disabled;
  if (password) detail["password"] = "changed";
  c.Audit("user.update", name, detail);
  return Reply::Json(UserJson(u));
}

Result<Reply> DeleteUser(Call& c) {
  std::string name = c.Param(1);
  EARSHOT_RETURN_IF_ERROR(c.ctx.accounts->DeleteUser(name));
  c.Audit("user.delete", name);
  return Reply::NoContent();
}

Result<Reply> ListTokens(Call& c) {
  bool admin = accounts::Allows(c.who->user.role, Permission::kManageUsers);
  EARSHOT_ASSIGN_OR_RETURN(std::vector<accounts::ApiToken> tokens,
                           c.ctx.accounts->ListTokens(admin ? "" : c.who->user.name));
  nlohmann::json out = nlohmann::json::array();
  for (const auto& t : tokens) out.push_back(TokenJson(t));
  return Reply::Json(out);
}

Result<Reply> CreateToken(Call& c) {
  EARSHOT_ASSIGN_OR_RETURN(nlohmann::json body, JsonBody(c));
  EARSHOT_ASSIGN_OR_RETURN(std::optional<std::string> name, StringField(body, "name"));
  if (!name) return Status::InvalidArgument("give the token a 'name' (what it is for)");
  EARSHOT_ASSIGN_OR_RETURN(auto created, c.ctx.accounts->CreateToken(c.who->user.name, *name));
  c.Audit("token.create", std::to_string(created.first.id), {{"name", *name}});
  nlohmann::json j = TokenJson(created.first);
  j["token"] = created.second;
  return Reply::Json(j, 201);
}

Result<Reply> RevokeToken(Call& c) {
  int64_t id = 0;
  std::string p = c.Param(1);
  auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), id);
  if (ec != std::errc() || ptr != p.data() + p.size()) return Status::NotFound("no token '" + p + "'");
  EARSHOT_ASSIGN_OR_RETURN(accounts::ApiToken t, c.ctx.accounts->GetToken(id));
  if (t.user_name != c.who->user.name && !accounts::Allows(c.who->user.role, Permission::kManageUsers)) {
    return Status::NotFound("no token '" + p + "'");
  }
  EARSHOT_RETURN_IF_ERROR(c.ctx.accounts->RevokeToken(id));
  c.Audit("token.revoke", p, {{"user", t.user_name}});
  return Reply::NoContent();
}

Result<Reply> ListAudit(Call& c) {
  EARSHOT_ASSIGN_OR_RETURN(int64_t limit, IntParam(c, "limit", 100, 1, 1000));
  EARSHOT_ASSIGN_OR_RETURN(int64_t before, IntParam(c, "before", 0, 0, INT64_MAX));
  EARSHOT_ASSIGN_OR_RETURN(std::vector<accounts::AuditEntry> entries,
                           c.ctx.accounts->ListAudit(static_cast<int>(limit), before));
  nlohmann::json out = nlohmann::json::array();
  for (const auto& e : entries) {
    nlohmann::json detail = nlohmann::json::parse(e.detail, nullptr, false);
    out.push_back({{"id", e.id},
                   {"at", FormatRfc3339(e.at_ms)},
                   {"actor", e.actor},
                   {"action", e.action},
                   {"target", e.target},
                   {"detail", detail.is_discarded() ? nlohmann::json::object() : detail},
                   {"ip", e.ip}});
  }
  return Reply::Json(out);
}

}  // namespace

void AddSessionRoutes(std::vector<Route>& routes) {
  routes.push_back({"POST", "/api/v1/session", Access::kPublic, std::nullopt, Login});
  routes.push_back({"GET", "/api/v1/session", Access::kAuthenticated, std::nullopt, [](Call& c) -> Result<Reply> {
                      return Reply::Json(SessionJson(c.who->user, c.who->via_token ? "" : c.who->csrf_token));
                    }});
  routes.push_back({"DELETE", "/api/v1/session", Access::kAuthenticated, std::nullopt, Logout});
}

void AddAccountRoutes(std::vector<Route>& routes) {
  routes.push_back({"GET", "/api/v1/users", Access::kAuthenticated, Permission::kManageUsers,
                    [](Call& c) -> Result<Reply> {
                      EARSHOT_ASSIGN_OR_RETURN(std::vector<accounts::User> users, c.ctx.accounts->ListUsers());
                      nlohmann::json out = nlohmann::json::array();
                      for (const auto& u : users) out.push_back(UserJson(u));
                      return Reply::Json(out);
                    }});
  routes.push_back({"POST", "/api/v1/users", Access::kAuthenticated, Permission::kManageUsers, CreateUser});
  routes.push_back({"PATCH", "/api/v1/users/{name}", Access::kAuthenticated, Permission::kManageOwnCredentials,
                    UpdateUser});
  routes.push_back({"DELETE", "/api/v1/users/{name}", Access::kAuthenticated, Permission::kManageUsers, DeleteUser});
  routes.push_back({"GET", "/api/v1/tokens", Access::kAuthenticated, Permission::kManageOwnCredentials, ListTokens});
  routes.push_back({"POST", "/api/v1/tokens", Access::kAuthenticated, Permission::kManageOwnCredentials, CreateToken});
  routes.push_back({"DELETE", "/api/v1/tokens/{id}", Access::kAuthenticated, Permission::kManageOwnCredentials,
                    RevokeToken});
  routes.push_back({"GET", "/api/v1/audit", Access::kAuthenticated, Permission::kReadAudit, ListAudit});
}

}  // namespace earshot::server
