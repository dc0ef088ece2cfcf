// What route handlers see: the request with its caller, the services of the
// running server, and how they answer. One file per resource
// (routes_*.cc) registers its routes.
#pragma once

#include <httplib.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "accounts/accounts.h"
#include "core/status.h"
#include "pipeline/ingest_pipeline.h"
#include "pipeline/live_ingest.h"
#include "server/event_hub.h"
#include "server/metrics.h"
#include "server/server.h"
#include "sources/sources.h"
#include "match/query.h"
#include "store/store.h"

namespace earshot::server {

// A store connection lent to one request (SQLite connections are not
// shared between threads); returned to the pool when destroyed.
class StorePool {
 public:
  explicit StorePool(std::string data_dir) : data_dir_(std::move(data_dir)) {}
  class Lease {
   public:
    Lease(StorePool& pool, std::unique_ptr<store::Store> s) : pool_(&pool), s_(std::move(s)) {}
    Lease(Lease&&) = default;
    ~Lease() {
      if (s_) pool_->Return(std::move(s_));
    }
    store::Store& operator*() { return *s_; }
    store::Store* operator->() { return s_.get(); }

   private:
    StorePool* pool_;
    std::unique_ptr<store::Store> s_;
  };
  Result<Lease> Get();

 private:
  void Return(std::unique_ptr<store::Store> s);
  std::string data_dir_;
  std::mutex mu_;
  std::vector<std::unique_ptr<store::Store>> idle_;
};

// The running server's services, shared by every handler.
struct Context {
  ServerOptions options;
  StorePool stores;
  std::unique_ptr<accounts::Accounts> accounts;
  std::unique_ptr<pipeline::LiveIngest> ingest;
  std::unique_ptr<sources::SourcePoller> sources;
  EventHub hub;
  Metrics metrics;
  int64_t started_ms = 0;
  // Watch id → name, refreshed when watches change (for mention JSON).
  std::mutex watch_names_mu;
  std::vector<store::Watch> watch_cache;
  int64_t watch_cache_version = -1;

  explicit Context(const ServerOptions& o) : options(o), stores(o.data_dir) {}
};

// One request.
struct Call {
  const httplib::Request& req;
  httplib::Response& res;
  Context& ctx;
  std::optional<accounts::Principal> who;  // set unless the route is public
  std::string ip;

  // The n-th path parameter ({name} in the route), 1-based.
  std::string Param(size_t n) const { return n < req.matches.size() ? req.matches[n].str() : ""; }
  // A query-string parameter ("" when absent).
  std::string Query(const std::string& name) const {
    return req.has_param(name.c_str()) ? req.get_param_value(name.c_str()) : "";
  }
  const std::string& actor() const {
    static const std::string kNone = "anonymous";
    return who ? who->user.name : kNone;
  }
  // Appends to the audit log as the caller (failures are logged, not fatal).
  void Audit(const std::string& action, const std::string& target, const nlohmann::json& detail = nlohmann::json::object());
};

// What a handler answers: a status with a JSON body (or none), or `streamed`
// when it set up res itself (the live stream).
struct Reply {
  int status = 200;
  nlohmann::json body;
  bool no_body = false;
  bool streamed = false;
  std::string text;  // JSON already written (mention lists): sent instead of `body`
  static Reply Json(nlohmann::json body, int status = 200) { return {status, std::move(body), false, false, {}}; }
  static Reply JsonText(std::string text) { return {200, nullptr, false, false, std::move(text)}; }
  static Reply NoContent() { return {204, nullptr, true, false, {}}; }
};

// Who may call a route.
enum class Access { kPublic, kAuthenticated };

struct Route {
  std::string method;
  std::string path;  // OpenAPI form: "/api/v1/watches/{name}"
  Access access = Access::kAuthenticated;
  std::optional<accounts::Permission> permission;  // checked after authentication
  std::function<Result<Reply>(Call&)> handler;
};

// The error body for `status` ({"error":{"code","message"}}) and its HTTP code.
int HttpStatusOf(const Status& status);
nlohmann::json ErrorJson(const Status& status);
// 400 for a query that does not parse, with the 1-based column of the problem.
Reply QueryErrorReply(const std::string& message, size_t column);

// Parses `text` as a query; on failure *error is the 400 reply.
std::optional<match::Query> ParseQueryOrReply(const std::string& text, Reply* error);
// The session id in the request's earshot_session cookie, or "".
std::string SessionCookie(const httplib::Request& req);
// Parses the request body as a JSON object; InvalidArgument says why not.
Result<nlohmann::json> JsonBody(const Call& call);
// Parses an RFC 3339 time or a date ("2026-01-05"); InvalidArgument names `what`.
Result<std::optional<int64_t>> TimeParam(const Call& call, const std::string& name);
// Parses an integer parameter in [lo, hi], `fallback` when absent.
Result<int64_t> IntParam(const Call& call, const std::string& name, int64_t fallback, int64_t lo, int64_t hi);

// JSON forms of the model, as docs/API/README.md specifies them (mentions:
// server/mention_json.h).
nlohmann::json WatchJson(const store::Watch& w);
// The watch ids behind the `watch` or `group` parameter (empty when neither
// is given); NotFound names an unknown one.
Result<std::vector<int64_t>> WatchScope(Call& c, store::Store& store);
// The current watches (cached; refreshed when the store's watch set changed).
Result<std::vector<store::Watch>> CurrentWatches(Context& ctx, store::Store& store);

// What ingesting one request body (or fetched feed) gave, per record.
struct BodyIngest {
  int64_t read = 0, stored = 0, updated = 0, duplicates = 0, text_copies = 0, rejected = 0, skipped = 0;
  std::vector<pipeline::RecordError> errors;
  std::string error;  // the body as a whole could not be read
  // {"read","stored","updated","duplicates","text_copies","rejected","skipped","errors":[{"file","record","line","reason"}]}
  nlohmann::json ToJson() const;
};
// Parses `body` with its connector (`format` or detected) and stores the
// mentions through the live ingest, waiting for their commit.
BodyIngest IngestBody(Context& ctx, const std::string& name, std::string_view body, const std::string& format,
                      std::optional<Channel> channel);

void AddSessionRoutes(std::vector<Route>& routes);
void AddAccountRoutes(std::vector<Route>& routes);
void AddMentionRoutes(std::vector<Route>& routes);
void AddWatchRoutes(std::vector<Route>& routes);
void AddAnalyticsRoutes(std::vector<Route>& routes);
void AddIngestRoutes(std::vector<Route>& routes);
void AddStreamRoutes(std::vector<Route>& routes);

}  // namespace earshot::server
