// `earshot serve`: one process that ingests (uploads, polled feeds, a live
// simulated stream), serves the JSON API under /api/v1 (docs/API) and the
// web UI at /, on the embedded store.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/mention.h"
#include "core/status.h"

namespace earshot::server {

struct ServerOptions {
  std::string data_dir = "./earshot-data";
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port
  // Serve the UI from this directory instead of the embedded files.
  std::string web_dir;
  size_t max_body_bytes = 32u << 20;
  // Mark the session cookie Secure (behind an HTTPS proxy).
  bool secure_cookies = false;
  // Worker threads (each live stream client holds one while connected).
  int threads = 48;
  // The first run's admin password ("" = generate one-time and report it).
  std::string admin_password;
  // Poll feed sources in the background.
  bool poll_sources = true;
  // Publish spike alerts on the live stream (checked once a minute).
  bool spike_alerts = true;
  // Argon2id at libsodium's minimum cost: tests only.
  bool fast_password_hash = false;
};

// A route as the OpenAPI document names it ("/api/v1/watches/{name}").
struct RouteInfo {
  std::string method;  // "GET", "POST", ...
  std::string path;
};

class Server {
 public:
  // Opens the store, accounts and sources in options.data_dir and binds the
  // port. The first run creates the admin (see one_time_password()).
  static Result<std::unique_ptr<Server>> Start(const ServerOptions& options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  int port() const;
  // The generated first-run admin password, shown once ("" when the first
  // run took EARSHOT_ADMIN_PASSWORD; nullopt when users existed already).
  const std::optional<std::string>& one_time_password() const;
  // Serves until Stop() (from another thread or a signal handler's thread).
  void Run();
  void Stop();
  // Hands mentions to the live ingest, as an upload would (the demo's
  // trickle of simulated mentions uses this); waits for their commit.
  Status Submit(std::vector<Mention> mentions);
  const std::vector<RouteInfo>& routes() const;

  class Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace earshot::server
