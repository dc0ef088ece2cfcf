#include "server/server.h"

#include <sodium.h>

#include <chrono>
#include <iostream>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <regex>

#include "core/time.h"
#include "server/alerts.h"
#include "server/mention_json.h"
#include "server/openapi_data.h"
#include "server/routes.h"
#include "server/web_assets.h"

namespace earshot::server {
namespace {

// The UI may load only its own scripts and styles: untrusted text that slips
// past escaping still cannot run.
constexpr char kContentSecurityPolicy[] =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'";

void SecurityHeaders(httplib::Response& res) {
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Content-Security-Policy", kContentSecurityPolicy);
}

bool ChangesState(const std::string& method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

// "/api/v1/watches/{name}" → "/api/v1/watches/(.+)". A parameter may hold
// '/': mention ids of feeds and Mastodon are URLs, watch names are free text.
std::string PathRegex(const std::string& path) {
  std::string out;
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '{') {
      size_t close = path.find('}', i);
      out += "(.+)";
      i = close;
      continue;
    }
    if (std::string_view(".+*?^$()[]|\\").find(path[i]) != std::string_view::npos) out += '\\';
    out += path[i];
  }
  return out;
}

// Runs the handler. A JSON field of the wrong type (nlohmann throws on a
// typed read) is the caller's error, not ours.
Result<Reply> Handle(const Route& route, Call& call) {
  try {
    return route.handler(call);
  } catch (const nlohmann::json::exception& e) {
    std::string what = e.what();
    size_t close = what.find("] ");
    return Status::InvalidArgument("a field of the JSON body has the wrong type: " +
                                   (close == std::string::npos ? what : what.substr(close + 2)));
  }
}

}  // namespace

class Server::Impl {
 public:
  explicit Impl(const ServerOptions& options) : ctx_(options) {}
  // Also when Init failed halfway: no thread may outlive what it uses.
  ~Impl() { Shutdown(); }
  void Shutdown();

  Status Init();
  void Dispatch(const Route& route, const httplib::Request& req, httplib::Response& res);
  void ServeAsset(const httplib::Request& req, httplib::Response& res);
  // Called by the writer after each commit: notes the latency and hands the
  // mentions to the publisher thread (JSON for the live stream is built
  // there, off the writer's path).
  void OnStored(std::vector<Mention> stored, std::vector<int64_t> arrived_ms);
  void PublishLoop();
  void StopPublisher();
  void CheckpointLoop();

  Context ctx_;
  httplib::Server http_;
  std::vector<Route> routes_;
  std::vector<RouteInfo> route_info_;
  std::unique_ptr<WebAssets> assets_;
  std::optional<std::string> one_time_password_;
  std::unique_ptr<AlertMonitor> alerts_;
  int port_ = 0;

  std::mutex publish_mu_;
  std::condition_variable publish_cv_;
  std::deque<std::vector<Mention>> to_publish_;  // batches waiting for the publisher
  bool publish_stop_ = false;  // also stops the checkpointer
  std::thread publisher_;
  std::thread checkpointer_;
  std::condition_variable checkpoint_cv_;  // wakes the checkpointer to stop
};

Status Server::Impl::Init() {
  const ServerOptions& o = ctx_.options;
  ctx_.started_ms = NowMs();
  EARSHOT_ASSIGN_OR_RETURN(assets_, WebAssets::Open(o.web_dir));

  // Open (and migrate) the store before anything else reads it.
  store::StoreOptions so;
  so.data_dir = o.data_dir;
  // The checkpointer thread copies the log into the database; a commit that
  // did it would stall every upload behind it for seconds.
  so.auto_checkpoint = false;
  EARSHOT_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> writer, store::OpenStore(so));

  accounts::AccountsOptions ao;
  ao.data_dir = o.data_dir;
  ao.fast_hash_for_tests = o.fast_password_hash;
  EARSHOT_ASSIGN_OR_RETURN(ctx_.accounts, accounts::Accounts::Open(ao));
  EARSHOT_ASSIGN_OR_RETURN(one_time_password_, ctx_.accounts->EnsureAdmin(o.admin_password));

  pipeline::LiveIngestOptions lo;
  publisher_ = std::thread([this] { PublishLoop(); });
  checkpointer_ = std::thread([this] { CheckpointLoop(); });
  EARSHOT_ASSIGN_OR_RETURN(ctx_.ingest, pipeline::LiveIngest::Start(std::move(writer), lo,
                                                                     [this](auto stored, auto arrived) {
                                                                       OnStored(std::move(stored), std::move(arrived));
                                                                     }));

  sources::IngestFn ingest_fn = [this](const sources::Source& src, const std::string& name, std::string_view body) {
    BodyIngest b = IngestBody(ctx_, name, body, src.format, src.channel);
    sources::IngestCounts c;
    c.read = b.read;
    c.stored = b.stored;
    c.updated = b.updated;
    c.duplicates = b.duplicates;
    c.text_copies = b.text_copies;
    c.rejected = b.rejected;
    c.error = b.error;
    return c;
  };
  EARSHOT_ASSIGN_OR_RETURN(ctx_.sources, sources::SourcePoller::Open(o.data_dir, ingest_fn));
  if (o.poll_sources) ctx_.sources->Start();
  if (o.spike_alerts) {
    alerts_ = std::make_unique<AlertMonitor>(o.data_dir, AlertOptions{}, [this](int64_t watch_id, nlohmann::json a) {
      ctx_.hub.Publish({"alert", a.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), {watch_id}});
    });
  }

  Metrics& m = ctx_.metrics;
  pipeline::LiveIngest* ingest = ctx_.ingest.get();
  m.AddGauge("earshot_ingest_mentions_total", "Mentions committed by the server's ingest (any outcome).", "counter",
             [ingest] { return static_cast<double>(ingest->Stats().processed); });
  m.AddGauge("earshot_ingest_stored_total", "Mentions stored new or changed by the server's ingest.", "counter",
             [ingest] { return static_cast<double>(ingest->Stats().stored); });
  m.AddGauge("earshot_ingest_queue_depth", "Mentions waiting for the writer.", "gauge",
             [ingest] { return static_cast<double>(ingest->Stats().queued); });
  m.AddGauge("earshot_sse_clients", "Connected live-stream clients.", "gauge",
             [this] { return static_cast<double>(ctx_.hub.subscribers()); });

  AddSessionRoutes(routes_);
  AddAccountRoutes(routes_);
  AddMentionRoutes(routes_);
  AddWatchRoutes(routes_);
  AddAnalyticsRoutes(routes_);
  AddIngestRoutes(routes_);
  AddStreamRoutes(routes_);
  routes_.push_back({"GET", "/api/v1/openapi.json", Access::kAuthenticated, std::nullopt, [this](Call&) -> Result<Reply> {
                       return Reply::Json(nlohmann::json::parse(OpenApiDocument()));
                     }});

  int threads = std::max(o.threads, 4);
  http_.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  http_.set_payload_max_length(o.max_body_bytes);
  http_.set_keep_alive_max_count(1000);
  // The response goes out in two writes (headers, body): with Nagle's
  // algorithm on, the second waits for the client's delayed ACK, 40 ms on
  // every request of a kept-alive connection.
  http_.set_tcp_nodelay(true);
  for (const Route& r : routes_) {
    route_info_.push_back({r.method, r.path});
    std::string pattern = PathRegex(r.path);
    auto handler = [this, &r](const httplib::Request& req, httplib::Response& res) { Dispatch(r, req, res); };
    if (r.method == "GET") http_.Get(pattern, handler);
    if (r.method == "POST") http_.Post(pattern, handler);
    if (r.method == "PATCH") http_.Patch(pattern, handler);
    if (r.method == "PUT") http_.Put(pattern, handler);
    if (r.method == "DELETE") http_.Delete(pattern, handler);
  }
  http_.Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
    nlohmann::json j = {{"status", "ok"}, {"uptime_s", (NowMs() - ctx_.started_ms) / 1000},
                        {"ingested", ctx_.ingest->Stats().processed}};
    res.set_content(j.dump(), "application/json");
  });
  http_.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(ctx_.metrics.Render(), "text/plain; version=0.0.4; charset=utf-8");
  });
  // Everything else under /api is unknown; the rest is the UI (an unknown
  // path gets index.html, so the UI's own routes survive a reload).
  // Anything a handler throws is our bug: say so without leaking details.
  http_.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    res.status = 500;
    SecurityHeaders(res);
    res.set_content(ErrorJson(Status::Internal("internal error")).dump(), "application/json");
  });
  http_.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    SecurityHeaders(res);
    if (req.path.rfind("/api/", 0) == 0 && res.body.empty()) {
      Status s = res.status == 413 ? Status::ResourceExhausted("request body too large")
                 : res.status == 404 ? Status::NotFound("no route " + req.method + " " + req.path)
                                     : Status::InvalidArgument("bad request: " + req.method + " " + req.path);
      res.set_content(nlohmann::json(ErrorJson(s)).dump(), "application/json");
    }
  });
  http_.Get(".*", [this](const httplib::Request& req, httplib::Response& res) { ServeAsset(req, res); });

  port_ = o.port == 0 ? http_.bind_to_any_port(o.host) : (http_.bind_to_port(o.host, o.port) ? o.port : -1);
  if (port_ <= 0) {
    return Status::Unavailable("cannot listen on " + o.host + ":" + std::to_string(o.port) +
                               " (in use? try --port)");
  }
  return Status::Ok();
}

void Server::Impl::Dispatch(const Route& route, const httplib::Request& req, httplib::Response& res) {
  auto start = std::chrono::steady_clock::now();
  Call call{req, res, ctx_, std::nullopt, req.remote_addr};
  res.set_header("Cache-Control", "no-store");
  SecurityHeaders(res);
  auto finish = [&](const Result<Reply>& r) {
    if (r.ok() && r->streamed) return;
    if (!r.ok()) {
      res.status = HttpStatusOf(r.status());
      res.set_content(ErrorJson(r.status()).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                      "application/json");
      return;
    }
    res.status = r->status;
    if (!r->text.empty()) {
      res.set_content(r->text, "application/json");
    } else if (!r->no_body) {
      res.set_content(r->body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), "application/json");
    }
  };
  Result<Reply> reply = [&]() -> Result<Reply> {
    if (route.access == Access::kPublic) return Handle(route, call);
    std::string auth = req.get_header_value("Authorization");
    if (auth.rfind("Bearer ", 0) == 0) {
      Result<accounts::Principal> p = ctx_.accounts->ResolveToken(auth.substr(7));
      if (!p.ok()) return Status::Unauthenticated("invalid or revoked API token");
      call.who = std::move(*p);
    } else {
      std::string sid = SessionCookie(req);
      if (sid.empty()) return Status::Unauthenticated("log in first (no session cookie or bearer token)");
      Result<accounts::Principal> p = ctx_.accounts->ResolveSession(sid);
      if (!p.ok()) return Status::Unauthenticated("session expired or unknown: log in again");
      call.who = std::move(*p);
      // A browser sends the cookie on its own; the CSRF token it cannot.
      if (ChangesState(req.method)) {
        std::string sent = req.get_header_value("X-CSRF-Token");
        const std::string& want = call.who->csrf_token;
        if (sent.size() != want.size() || sodium_memcmp(sent.data(), want.data(), want.size()) != 0) {
          return Status::PermissionDenied("missing or wrong X-CSRF-Token header");
        }
      }
    }
    if (route.permission && !accounts::Allows(call.who->user.role, *route.permission)) {
      return Status::PermissionDenied("role '" + std::string(accounts::RoleName(call.who->user.role)) +
                                      "' may not do this");
    }
    return Handle(route, call);
  }();
  finish(reply);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ctx_.metrics.ObserveRequest(route.method + " " + route.path, res.status, seconds);
}

void Server::Impl::ServeAsset(const httplib::Request& req, httplib::Response& res) {
  SecurityHeaders(res);
  if (req.path.rfind("/api/", 0) == 0) {
    res.status = 404;
    res.set_content(ErrorJson(Status::NotFound("no route GET " + req.path)).dump(), "application/json");
    return;
  }
  const WebAsset* a = assets_->Find(req.path);
  bool fallback = false;
  if (!a && req.path.find('.') == std::string::npos) {
    a = assets_->Find("/index.html");
    fallback = true;
  }
  if (!a) {
    if (assets_->empty()) {
      res.set_content("Earshot's web UI is not built into this binary: run scripts/setup-deps and rebuild.",
                      "text/plain; charset=utf-8");
      return;
    }
    res.status = 404;
    res.set_content("not found", "text/plain; charset=utf-8");
    return;
  }
  res.set_header("ETag", std::string(a->etag));
  // Pages revalidate (a new build shows at once); other assets may be cached briefly.
  bool page = fallback || a->content_type.rfind("text/html", 0) == 0;
  res.set_header("Cache-Control", page ? "no-cache" : "public, max-age=300");
  if (req.get_header_value("If-None-Match") == a->etag) {
    res.status = 304;
    return;
  }
  res.set_content(a->bytes.data(), a->bytes.size(), std::string(a->content_type).c_str());
}

void Server::Impl::OnStored(std::vector<Mention> stored, std::vector<int64_t> arrived_ms) {
  int64_t now = NowMs();
  for (int64_t t : arrived_ms) ctx_.metrics.match_latency().Observe(static_cast<double>(now - t) / 1000.0);
  if (ctx_.hub.subscribers() == 0) return;
  {
    std::lock_guard lock(publish_mu_);
    // A publisher this far behind means the stream's clients cannot keep up
    // either; they lose the oldest events rather than slowing the writer.
    if (to_publish_.size() >= 64) to_publish_.pop_front();
    to_publish_.push_back(std::move(stored));
  }
  publish_cv_.notify_one();
}

void Server::Impl::PublishLoop() {
  while (true) {
    std::vector<Mention> batch;
    {
      std::unique_lock lock(publish_mu_);
      publish_cv_.wait(lock, [&] { return publish_stop_ || !to_publish_.empty(); });
      if (to_publish_.empty()) return;
      batch = std::move(to_publish_.front());
      to_publish_.pop_front();
    }
    std::vector<store::Watch> watches;
    if (Result<StorePool::Lease> store = ctx_.stores.Get(); store.ok()) {
      if (Result<std::vector<store::Watch>> w = CurrentWatches(ctx_, **store); w.ok()) watches = std::move(*w);
    }
    for (const Mention& m : batch) {
      Event e;
      e.type = "mention";
      AppendMentionJson(m, watches, e.data);
      for (const WatchMatch& w : m.watches) e.watch_ids.push_back(w.watch_id);
      ctx_.hub.Publish(std::move(e));
    }
  }
}

void Server::Impl::StopPublisher() {
  {
    std::lock_guard lock(publish_mu_);
    publish_stop_ = true;
    to_publish_.clear();
  }
  publish_cv_.notify_all();
  checkpoint_cv_.notify_all();
  if (publisher_.joinable()) publisher_.join();
  if (checkpointer_.joinable()) checkpointer_.join();
}

void Server::Impl::CheckpointLoop() {
  std::unique_lock lock(publish_mu_);
  while (!publish_stop_) {
    checkpoint_cv_.wait_for(lock, std::chrono::seconds(1), [&] { return publish_stop_; });
    if (publish_stop_) return;
    lock.unlock();
    if (Result<StorePool::Lease> store = ctx_.stores.Get(); store.ok()) {
      Status st = (*store)->Checkpoint();
      if (!st.ok()) std::cerr << "earshot serve: " << st.message() << "\n";
    }
    lock.lock();
  }
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() { Stop(); }

Result<std::unique_ptr<Server>> Server::Start(const ServerOptions& options) {
  if (sodium_init() < 0) return Status::Internal("libsodium failed to initialise");
  auto impl = std::make_unique<Impl>(options);
  EARSHOT_RETURN_IF_ERROR(impl->Init());
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

int Server::port() const { return impl_->port_; }
const std::optional<std::string>& Server::one_time_password() const { return impl_->one_time_password_; }
const std::vector<RouteInfo>& Server::routes() const { return impl_->route_info_; }

void Server::Run() { impl_->http_.listen_after_bind(); }

void Server::Stop() {
  if (impl_) impl_->Shutdown();
}

void Server::Impl::Shutdown() {
  ctx_.hub.Close();
  http_.stop();
  if (alerts_) alerts_->Stop();
  if (ctx_.sources) ctx_.sources->Stop();
  if (ctx_.ingest) ctx_.ingest->Stop();
  StopPublisher();
}

Status Server::Submit(std::vector<Mention> mentions) {
  pipeline::SubmitResult r = impl_->ctx_.ingest->Submit(std::move(mentions)).get();
  if (r.rejected > 0 && !r.errors.empty()) return Status::IOError(r.errors.front().second);
  return Status::Ok();
}

}  // namespace earshot::server
