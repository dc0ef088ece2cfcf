// Watches and groups: list, add (with an optional backfill), remove,
// backfill, and trying a query on stored mentions.
#include <algorithm>
#include <map>
#include <set>

#include "core/utf8.h"
#include "pipeline/backfill.h"
#include "search/search.h"
#include "server/mention_json.h"
#include "server/routes.h"

namespace earshot::server {
namespace {

using accounts::Permission;

Status CheckLabel(const std::string& v, const char* what, bool required) {
  if (v.empty()) {
    return required ? Status::InvalidArgument(std::string("give the watch a ") + what) : Status::Ok();
  }
  if (v.size() > 100) return Status::InvalidArgument(std::string(what) + " is longer than 100 bytes");
  if (!IsValidUtf8(v)) return Status::InvalidArgument(std::string(what) + " is not valid UTF-8");
  for (unsigned char c : v) {
    if (c < 0x20 || c == 0x7f) return Status::InvalidArgument(std::string(what) + " contains a control character");
  }
  return Status::Ok();
}

Result<store::Watch> FindWatch(store::Store& store, const std::string& name) {
  EARSHOT_ASSIGN_OR_RETURN(std::vector<store::Watch> all, store.ListWatches());
  auto it = std::find_if(all.begin(), all.end(), [&](const store::Watch& w) { return w.name == name; });
  if (it == all.end()) return Status::NotFound("no watch '" + name + "'");
  return *it;
}

Result<Reply> ListWatches(Call& c) {
  EARSHOT_ASSIGN_OR_RETURN(StorePool::Lease store, c.ctx.stores.Get());
  EARSHOT_ASSIGN_OR_RETURN(std::vector<store::Watch> all, store->ListWatches());
  nlohmann::json out = nlohmann::json::array();
  for (const store::Watch& w : all) out.push_back(WatchJson(w));
  return Reply::Json(out);
}

Result<Reply> AddWatch(Call& c) {
  EARSHOT_ASSIGN_OR_RETURN(nlohmann::json body, JsonBody(c));
  std::string name = body.value("name", std::string());
  std::string query = body.value("query", std::string());
  std::string group = body.value("group", std::string());
  bool backfill = body.value("backfill", true);
  EARSHOT_RETURN_IF_ERROR(CheckLabel(name, "name", true));
  EARSHOT_RETURN_IF_ERROR(CheckLabel(group, "group", false));
  Reply error;
  if (!ParseQueryOrReply(query, &error)) return error;
  EARSHOT_ASSIGN_OR_RETURN(StorePool::Lease store, c.ctx.stores.Get());
  EARSHOT_ASSIGN_OR_RETURN(store::Watch w, store->AddWatch(name, query, group));
  c.ctx.ingest->WatchesChanged(*store);
  c.Audit("watch.add", name, {{"query", query}, {"group", group}, {"backfill", backfill}});
  if (backfill) {
    EARSHOT_ASSIGN_OR_RETURN(w.matches, pipeline::BackfillWatch(*store, w));
  }
  return Reply::Json(WatchJson(w), 201);
}

Result<Reply> RemoveWatch(Call& c) {
  std::string name = c.Param(1);
  EARSHOT_ASSIGN_OR_RETURN(StorePool::Lease store, c.ctx.stores.Get());
  EARSHOT_RETURN_IF_ERROR(store->RemoveWatch(name));
  c.ctx.ingest->WatchesChanged(*store);
  c.Audit("watch.remove", name);
  return Reply::NoContent();
}

Result<Reply> Backfill(Call& c) {
  std::string name = c.Param(1);
  EARSHOT_ASSIGN_OR_RETURN(StorePool::Lease store, c.ctx.stores.Get());
  EARSHOT_ASSIGN_OR_RETURN(store::Watch w, FindWatch(*store, name));
  EARSHOT_ASSIGN_OR_RETURN(w.matches, pipeline::BackfillWatch(*store, w));
  c.Audit("watch.backfill", name, {{"matches", w.matches}});
  return Reply::Json(WatchJson(w));
}

Result<Reply> TestQuery(Call& c) {
  EARSHOT_ASSIGN_OR_RETURN(nlohmann::json body, JsonBody(c));
  std::string text = body.value("query", std::string());
  int64_t limit = std::clamp<int64_t>(body.value("limit", int64_t{10}), 0, 100);
  Reply error;
  std::optional<match::Query> q = ParseQueryOrReply(text, &error);
  if (!q) return error;
  EARSHOT_ASSIGN_OR_RETURN(StorePool::Lease store, c.ctx.stores.Get());
  search::SearchOptions opts;
  opts.limit = limit;
  EARSHOT_ASSIGN_OR_RETURN(search::SearchResult r, search::Search(*store, *q, opts));
  EARSHOT_ASSIGN_OR_RETURN(std::vector<store::Watch> watches, CurrentWatches(c.ctx, *store));
  std::string out = "{\"total\":" + std::to_string(r.total) + ",\"results\":[";
  for (size_t i = 0; i < r.results.size(); ++i) {
    if (i) out.push_back(',');
    AppendMentionJson(r.results[i], watches, out);
  }
  out += "]}";
  return Reply::JsonText(std::move(out));
}

Result<Reply> ListGroups(Call& c) {
  EARSHOT_ASSIGN_OR_RETURN(StorePool::Lease store, c.ctx.stores.Get());
  EARSHOT_ASSIGN_OR_RETURN(std::vector<store::Watch> all, store->ListWatches());
  std::map<std::string, std::vector<std::string>> groups;
  for (const store::Watch& w : all) {
    if (!w.group.empty()) groups[w.group].push_back(w.name);
  }
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [name, members] : groups) out.push_back({{"name", name}, {"watches", members}});
  return Reply::Json(out);
}

}  // namespace

void AddWatchRoutes(std::vector<Route>& routes) {
  routes.push_back({"GET", "/api/v1/watches", Access::kAuthenticated, Permission::kRead, ListWatches});
  routes.push_back({"POST", "/api/v1/watches", Access::kAuthenticated, Permission::kManageWatches, AddWatch});
  routes.push_back({"POST", "/api/v1/watches/test", Access::kAuthenticated, Permission::kRead, TestQuery});
  routes.push_back({"DELETE", "/api/v1/watches/{name}", Access::kAuthenticated, Permission::kManageWatches,
                    RemoveWatch});
  routes.push_back({"POST", "/api/v1/watches/{name}/backfill", Access::kAuthenticated, Permission::kManageWatches,
                    Backfill});
  routes.push_back({"GET", "/api/v1/groups", Access::kAuthenticated, Permission::kRead, ListGroups});
}

}  // namespace earshot::server
