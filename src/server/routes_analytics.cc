// Analytics: the report document of `earshot report --json`, and totals.
#include <cctype>

#include "analytics/report.h"
#include "core/time.h"
#include "server/routes.h"

namespace earshot::server {
namespace {

using accounts::Permission;

Result<Reply> Report(Call& c) {
  analytics::ReportOptions o;
  o.watch = c.Query("watch");
  o.group = c.Query("group");
  if (!o.watch.empty() && !o.group.empty()) return Status::InvalidArgument("give 'watch' or 'group', not both");
  EARSHOT_ASSIGN_OR_RETURN(o.from_ms, TimeParam(c, "from"));
  EARSHOT_ASSIGN_OR_RETURN(o.to_ms, TimeParam(c, "to"));
  if (o.from_ms && o.to_ms && *o.from_ms >= *o.to_ms) return Status::InvalidArgument("'from' must be before 'to'");
  EARSHOT_ASSIGN_OR_RETURN(int64_t top, IntParam(c, "top", 10, 1, 100));
  o.top = static_cast<int>(top);
  // A dashboard answers in well under a second: the mention-reading
  // sections look at the newest 200k mentions of the range.
  EARSHOT_ASSIGN_OR_RETURN(o.scan_limit, IntParam(c, "scan_limit", 200'000, 1, 10'000'000));
  std::string parts = c.Query("parts");
  if (parts == "rollups") {
    o.parts = analytics::ReportOptions::Parts::kRollups;
  } else if (parts == "mentions") {
    o.parts = analytics::ReportOptions::Parts::kMentions;
  } else if (!parts.empty() && parts != "all") {
    return Status::InvalidArgument("'parts' is all, rollups or mentions");
  }
  std::string channel = c.Query("channel");
  if (!channel.empty()) {
    std::optional<Channel> ch = ParseChannel(channel);
    if (!ch) return Status::InvalidArgument("unknown channel '" + channel + "'");
    o.filter.channel = std::string(ChannelName(*ch));
  }
  o.filter.lang = c.Query("lang");
  for (char& ch : o.filter.lang) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  o.filter.country = c.Query("country");
  for (char& ch : o.filter.country) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  EARSHOT_ASSIGN_OR_RETURN(StorePool::Lease store, c.ctx.stores.Get());
  EARSHOT_ASSIGN_OR_RETURN(nlohmann::json report, analytics::BuildReport(*store, o));
  return Reply::Json(std::move(report));
}

Result<Reply> Stats(Call& c) {
  EARSHOT_ASSIGN_OR_RETURN(StorePool::Lease store, c.ctx.stores.Get());
  EARSHOT_ASSIGN_OR_RETURN(store::StoreStats s, store->Stats());
  auto when = [](int64_t ms) { return ms ? nlohmann::json(FormatRfc3339(ms)) : nlohmann::json(nullptr); };
  return Reply::Json({{"mentions", s.mentions},
                      {"by_channel", s.by_channel},
                      {"by_language", s.by_language},
                      {"by_source", s.by_source},
                      {"text_copies", s.text_copies},
                      {"first", when(s.first_ms)},
                      {"last", when(s.last_ms)}});
}

}  // namespace

void AddAnalyticsRoutes(std::vector<Route>& routes) {
  routes.push_back({"GET", "/api/v1/report", Access::kAuthenticated, Permission::kRead, Report});
  routes.push_back({"GET", "/api/v1/stats", Access::kAuthenticated, Permission::kRead, Stats});
}

}  // namespace earshot::server
