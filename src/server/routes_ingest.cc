// Ingest over HTTP (a batch in any supported format, with the CLI's
// per-record report) and feed sources polled on an interval.
#include <charconv>

#include "core/time.h"
#include "server/routes.h"

namespace earshot::server {
namespace {

using accounts::Permission;

Result<std::optional<Channel>> ChannelParam(const std::string& v) {
  if (v.empty()) return std::optional<Channel>();
  std::optional<Channel> ch = ParseChannel(v);
  if (!ch) return Status::InvalidArgument("unknown channel '" + v + "'");
  return ch;
}

Result<Reply> Ingest(Call& c) {
  std::string name = c.Query("name");
  if (name.empty()) name = "upload";
  if (name.size() > 200) return Status::InvalidArgument("'name' is longer than 200 bytes");
  EARSHOT_ASSIGN_OR_RETURN(std::optional<Channel> channel, ChannelParam(c.Query("channel")));
  BodyIngest r = IngestBody(c.ctx, name, c.req.body, c.Query("format"), channel);
  c.Audit("ingest.upload", name,
          {{"bytes", c.req.body.size()}, {"read", r.read}, {"stored", r.stored}, {"rejected", r.rejected}});
  // Nothing readable at all is the caller's error; anything else is a report.
  return Reply::Json(r.ToJson(), r.read == 0 && !r.error.empty() ? 400 : 200);
}

nlohmann::json SourceJson(const sources::Source& s) {
  auto when = [](int64_t ms) { return ms ? nlohmann::json(FormatRfc3339(ms)) : nlohmann::json(nullptr); };
  return {{"id", s.id},
          {"url", s.url},
          {"format", s.format},
          {"channel", s.channel ? nlohmann::json(ChannelName(*s.channel)) : nlohmann::json(nullptr)},
          {"interval_s", s.interval_s},
          {"created_at", when(s.created_at_ms)},
          {"created_by", s.created_by},
          {"last_polled", when(s.last_polled_ms)},
          {"last_http_status", s.last_http_status},
          {"last_result", s.last_result},
          {"last_stored", s.last_stored},
          {"last_rejected", s.last_rejected},
          {"total_stored", s.total_stored},
          {"last_text_copies", s.last_text_copies},
          {"total_text_copies", s.total_text_copies},
          {"polls", s.polls}};
}

Result<int64_t> IdParam(const Call& c) {
  std::string p = c.Param(1);
  int64_t id = 0;
  auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), id);
  if (ec != std::errc() || ptr != p.data() + p.size()) return Status::NotFound("no source '" + p + "'");
  return id;
}

Result<Reply> ListSources(Call& c) {
  EARSHOT_ASSIGN_OR_RETURN(std::vector<sources::Source> all, c.ctx.sources->List());
  nlohmann::json out = nlohmann::json::array();
  for (const auto& s : all) out.push_back(SourceJson(s));
  return Reply::Json(out);
}

Result<Reply> AddSource(Call& c) {
  EARSHOT_ASSIGN_OR_RETURN(nlohmann::json body, JsonBody(c));
  if (!body.contains("url") || !body["url"].is_string()) return Status::InvalidArgument("give the feed's 'url'");
  std::string url = body["url"].get<std::string>();
  std::string format = body.value("format", std::string("auto"));
  EARSHOT_ASSIGN_OR_RETURN(std::optional<Channel> channel,
                           ChannelParam(body.contains("channel") && body["channel"].is_string()
                                            ? body["channel"].get<std::string>()
                                            : std::string()));
  int interval = body.value("interval_s", 900);
  EARSHOT_ASSIGN_OR_RETURN(sources::Source s, c.ctx.sources->Add(url, format, channel, interval, c.actor()));
  c.Audit("source.add", url, {{"id", s.id}, {"interval_s", interval}});
  return Reply::Json(SourceJson(s), 201);
}

Result<Reply> RemoveSource(Call& c) {
  EARSHOT_ASSIGN_OR_RETURN(int64_t id, IdParam(c));
  EARSHOT_ASSIGN_OR_RETURN(sources::Source s, c.ctx.sources->Get(id));
  EARSHOT_RETURN_IF_ERROR(c.ctx.sources->Remove(id));
  c.Audit("source.remove", s.url, {{"id", id}});
  return Reply::NoContent();
}

Result<Reply> PollSource(Call& c) {
  EARSHOT_ASSIGN_OR_RETURN(int64_t id, IdParam(c));
  EARSHOT_ASSIGN_OR_RETURN(sources::Source s, c.ctx.sources->PollNow(id));
  c.Audit("source.poll", s.url, {{"id", id}, {"result", s.last_result}});
  return Reply::Json(SourceJson(s));
}

}  // namespace

void AddIngestRoutes(std::vector<Route>& routes) {
  routes.push_back({"POST", "/api/v1/ingest", Access::kAuthenticated, Permission::kIngest, Ingest});
  routes.push_back({"GET", "/api/v1/sources", Access::kAuthenticated, Permission::kRead, ListSources});
  routes.push_back({"POST", "/api/v1/sources", Access::kAuthenticated, Permission::kManageSources, AddSource});
  routes.push_back({"DELETE", "/api/v1/sources/{id}", Access::kAuthenticated, Permission::kManageSources,
                    RemoveSource});
  routes.push_back({"POST", "/api/v1/sources/{id}/poll", Access::kAuthenticated, Permission::kManageSources,
                    PollSource});
}

}  // namespace earshot::server
