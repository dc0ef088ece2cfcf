#include "cli/demo_stream.h"

#include <chrono>
#include <iostream>

#include "ingest/connector.h"
#include "sim/sim.h"

namespace earshot::cli {
namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class Collect : public ingest::RecordSink {
 public:
  void OnMention(Mention m, const ingest::RecordRef&) override { out.push_back(std::move(m)); }
  void OnReject(const ingest::RecordRef&, std::string, std::string_view) override {}
  void OnSkip(const ingest::RecordRef&, std::string) override {}
  std::vector<Mention> out;
};

// Receives the simulator's X stream, parses each line and releases the
// mentions to the server once their time has come (the simulator writes in
// time order, so waiting here paces the whole world).
class PacingSink : public sim::ByteSink {
 public:
  PacingSink(server::Server& server, std::atomic<bool>& stop, std::unique_ptr<ingest::Connector> x)
      : server_(server), stop_(stop), x_(std::move(x)) {}

  Status Write(std::string_view bytes) override {
    buf_.append(bytes);
    size_t start = 0;
    for (size_t nl; (nl = buf_.find('\n', start)) != std::string::npos; start = nl + 1) {
      EARSHOT_RETURN_IF_ERROR(Line(std::string_view(buf_).substr(start, nl - start)));
    }
    buf_.erase(0, start);
    return Status::Ok();
  }

 private:
  Status Line(std::string_view line) {
    ingest::ParseContext ctx;
    ctx.file = "demo-stream";
    Collect c;
    (void)x_->Parse(line, ctx, c);
    for (Mention& m : c.out) {
      while (m.created_at_ms > NowMs()) {
        if (stop_.load()) return Status::Unavailable("stopped");
        Flush();
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      pending_.push_back(std::move(m));
    }
    if (pending_.size() >= 500) Flush();
    return stop_.load() ? Status::Unavailable("stopped") : Status::Ok();
  }

  void Flush() {
    if (pending_.empty()) return;
    Status st = server_.Submit(std::move(pending_));
    pending_.clear();
    if (!st.ok()) std::cerr << "earshot serve: demo stream: " << st.message() << "\n";
  }

  server::Server& server_;
  std::atomic<bool>& stop_;
  std::unique_ptr<ingest::Connector> x_;
  std::string buf_;
  std::vector<Mention> pending_;
};

}  // namespace

DemoStream::DemoStream(server::Server& server, double per_second, uint64_t seed) : server_(server) {
  thread_ = std::thread([this, per_second, seed] { Run(per_second, seed); });
}

DemoStream::~DemoStream() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
}

void DemoStream::Run(double per_second, uint64_t seed) {
  // A week at a time: the world restarts (new ids: the start moves) after it.
  while (!stop_.load()) {
    sim::SimOptions opts;
    opts.seed = seed;
    opts.days = 7;
    opts.start_ms = NowMs();
    opts.mentions = std::max<int64_t>(1, static_cast<int64_t>(per_second * 86400 * opts.days));
    Result<std::unique_ptr<ingest::Connector>> x = ingest::MakeConnector("x");
    if (!x.ok()) return;
    PacingSink sink(server_, stop_, std::move(*x));
    Result<sim::SimSummary> r = sim::WriteXStream(opts, sink);
    if (!r.ok() && !stop_.load()) {
      std::cerr << "earshot serve: demo stream stopped: " << r.status().message() << "\n";
      return;
    }
  }
}

}  // namespace earshot::cli
