// The live stream: new mentions and alerts as Server-Sent Events.
#include "server/routes.h"

namespace earshot::server {
namespace {

using accounts::Permission;

constexpr int64_t kKeepAliveMs = 15'000;

Result<Reply> Stream(Call& c) {
  std::vector<int64_t> ids;
  if (!c.Query("watch").empty() || !c.Query("group").empty()) {
    EARSHOT_ASSIGN_OR_RETURN(StorePool::Lease store, c.ctx.stores.Get());
    EARSHOT_ASSIGN_OR_RETURN(ids, WatchScope(c, *store));
  }
  std::shared_ptr<Subscription> sub = c.ctx.hub.Subscribe(std::move(ids));
  c.res.set_header("X-Accel-Buffering", "no");
  auto first = std::make_shared<bool>(true);
  c.res.set_chunked_content_provider("text/event-stream", [sub, first](size_t, httplib::DataSink& sink) {
    std::string out;
    if (*first) {
      *first = false;
      out = "retry: 3000\n: connected\n\n";
      return sink.write(out.data(), out.size());
    }
    int64_t dropped = 0;
    std::vector<std::shared_ptr<const Event>> events = sub->Wait(kKeepAliveMs, &dropped);
    if (sub->closed()) {
      sink.done();
      return true;
    }
    if (dropped > 0) out += "event: dropped\ndata: {\"dropped\":" + std::to_string(dropped) + "}\n\n";
    for (const auto& e : events) out += "event: " + e->type + "\ndata: " + e->data + "\n\n";
    if (out.empty()) out = ": keep-alive\n\n";
    return sink.write(out.data(), out.size());
  });
  Reply r;
  r.streamed = true;
  return r;
}

}  // namespace

void AddStreamRoutes(std::vector<Route>& routes) {
  routes.push_back({"GET", "/api/v1/stream", Access::kAuthenticated, Permission::kRead, Stream});
}

}  // namespace earshot::server
