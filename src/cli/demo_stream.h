// The live part of the demo: the simulated market keeps talking while the
// server runs. Mentions of the same world as `earshot demo` (same seed, so
// the demo's watches match them) are written with today's times and handed
// to the server as each one's time comes, through the same connector and
// live ingest as an upload.
#pragma once

#include <atomic>
#include <cstdint>
#include <thread>

#include "server/server.h"

namespace earshot::cli {

class DemoStream {
 public:
  // Starts a thread feeding about `per_second` mentions a second into `server`.
  DemoStream(server::Server& server, double per_second, uint64_t seed);
  ~DemoStream();
  DemoStream(const DemoStream&) = delete;
  DemoStream& operator=(const DemoStream&) = delete;

 private:
  void Run(double per_second, uint64_t seed);
  server::Server& server_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace earshot::cli
