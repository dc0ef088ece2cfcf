// earshot serve [--port N] [--host H] [--web-dir DIR] [--max-body-mib N]
//               [--secure-cookies] [--no-poll]
// One process that ingests, serves the JSON API under /api/v1 and the web
// UI at /, until SIGINT or SIGTERM.
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "cli/cli.h"
#include "cli/demo_stream.h"
#include "cli/output.h"
#include "server/server.h"

namespace earshot::cli {

void RegisterServeCommand(CLI::App& app, GlobalOptions& g) {
  struct Args {
    server::ServerOptions o;
    int max_body_mib = 32;
    bool no_poll = false;
    double demo_rate = 0;
    uint64_t demo_seed = 1;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("serve", "Serve the JSON API and the web UI (and ingest) on localhost");
  cmd->add_option("--port", a->o.port, "TCP port (default 8080; 0 picks a free one)")->check(CLI::Range(0, 65535));
  cmd->add_option("--host", a->o.host, "Address to listen on (default 127.0.0.1)");
  cmd->add_option("--web-dir", a->o.web_dir, "Serve the UI from this directory instead of the built-in files");
  cmd->add_option("--max-body-mib", a->max_body_mib, "Largest request body, MiB (default 32)")
      ->check(CLI::Range(1, 1024));
  cmd->add_option("--threads", a->o.threads, "Worker threads (each live-stream client holds one)")
      ->check(CLI::Range(4, 1024));
  cmd->add_flag("--secure-cookies", a->o.secure_cookies, "Mark the session cookie Secure (behind HTTPS)");
  cmd->add_flag("--no-poll", a->no_poll, "Do not poll feed sources");
  cmd->add_option("--demo-rate", a->demo_rate,
                  "Keep the demo's simulated market talking: about this many new mentions a second (0: off)")
      ->check(CLI::Range(0.0, 10000.0));
  cmd->add_option("--demo-seed", a->demo_seed, "Seed of the demo's market (as given to `earshot demo`)");
  cmd->callback([&g, a] {
    server::ServerOptions o = a->o;
    o.data_dir = g.data_dir;
    o.max_body_bytes = static_cast<size_t>(a->max_body_mib) << 20;
    o.poll_sources = !a->no_poll;
    if (const char* pw = std::getenv("EARSHOT_ADMIN_PASSWORD"); pw && *pw) o.admin_password = pw;
    // Block the stop signals in every thread; one thread waits for them.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
    Result<std::unique_ptr<server::Server>> srv = server::Server::Start(o);
    if (!srv.ok()) {
      PrintError("serve", srv.status());
      g.exit_code = 1;
      return;
    }
    server::Server& s = **srv;
    std::string host = o.host == "0.0.0.0" ? "127.0.0.1" : o.host;
    std::cout << "Earshot is listening on http://" << host << ":" << s.port() << "\n";
    if (s.one_time_password() && !s.one_time_password()->empty()) {
      std::cout << "First run: log in as 'admin' with the one-time password " << *s.one_time_password()
                << "\n(shown once; change it under Account, or set EARSHOT_ADMIN_PASSWORD before the first run)\n";
    }
    std::cout << std::flush;
    std::unique_ptr<DemoStream> demo;
    if (a->demo_rate > 0) demo = std::make_unique<DemoStream>(s, a->demo_rate, a->demo_seed);
    std::thread waiter([&s, stop_signals] {
      int sig = 0;
      sigwait(&stop_signals, &sig);
      s.Stop();
    });
    s.Run();
    demo.reset();
    // Run returned (Stop from the waiter); wake the waiter if it still waits.
    pthread_kill(waiter.native_handle(), SIGTERM);
    waiter.join();
    std::cout << "Earshot stopped\n";
  });
}

}  // namespace earshot::cli
