// Mentions: search with the query language and filters, newest first, with
// cursor paging; one mention; checking a query as it is typed.
#include <cctype>
#include <charconv>

#include "search/search.h"
#include "server/mention_json.h"
#include "server/routes.h"

namespace earshot::server {
namespace {

using accounts::Permission;

// Where the next page starts: results are newest first, so the next page
// ends just after `ms` and skips the `skip` results at exactly `ms` already
// shown. `total` is carried so later pages need not count again.
struct Cursor {
  int64_t ms = 0;
  int64_t skip = 0;
  int64_t total = 0;
};

std::string EncodeCursor(const Cursor& c) {
  return std::to_string(c.ms) + "_" + std::to_string(c.skip) + "_" + std::to_string(c.total);
}

Result<std::optional<Cursor>> DecodeCursor(const std::string& s) {
  if (s.empty()) return std::optional<Cursor>();
  Cursor c;
  int64_t* parts[] = {&c.ms, &c.skip, &c.total};
  const char* p = s.data();
  const char* end = s.data() + s.size();
  for (size_t i = 0; i < 3; ++i) {
    auto [next, ec] = std::from_chars(p, end, *parts[i]);
    bool sep_ok = i < 2 ? (next < end && *next == '_') : next == end;
    if (ec != std::errc() || !sep_ok || *parts[i] < 0) return Status::InvalidArgument("bad cursor '" + s + "'");
    p = next + 1;
  }
  return std::optional<Cursor>(c);
}

// Validates one facet filter and returns it as a query-language field.
Result<std::string> FacetTerm(const Call& c, const std::string& name) {
  std::string v = c.Query(name);
  if (v.empty()) return std::string();
  if (name == "channel") {
    std::optional<Channel> ch = ParseChannel(v);
    if (!ch) return Status::InvalidArgument("unknown channel '" + v + "'");
    return "channel:" + std::string(ChannelName(*ch));
  }
  bool ok = v.size() >= 2 && v.size() <= 8;
  for (char ch : v) ok = ok && std::isalpha(static_cast<unsigned char>(ch));
  if (!ok) return Status::InvalidArgument("parameter '" + name + "' must be a code like " +
                                          (name == "lang" ? "'en'" : "'US'"));
  return name + ":" + v;
}

Result<Reply> ListMentions(Call& c) {
  std::string q = c.Query("q");
  Reply error;
  if (!q.empty() && !ParseQueryOrReply(q, &error)) return error;
  std::string text = q.empty() ? "" : "(" + q + ")";
  for (const char* f : {"channel", "lang", "country"}) {
    EARSHOT_ASSIGN_OR_RETURN(std::string term, FacetTerm(c, f));
    if (!term.empty()) text += (text.empty() ? "" : " AND ") + term;
  }
  EARSHOT_ASSIGN_OR_RETURN(int64_t limit, IntParam(c, "limit", 50, 1, 200));
  EARSHOT_ASSIGN_OR_RETURN(std::optional<Cursor> cursor, DecodeCursor(c.Query("cursor")));
  search::SearchOptions opts;
  EARSHOT_ASSIGN_OR_RETURN(opts.from_ms, TimeParam(c, "from"));
  EARSHOT_ASSIGN_OR_RETURN(opts.to_ms, TimeParam(c, "to"));
  EARSHOT_ASSIGN_OR_RETURN(StorePool::Lease store, c.ctx.stores.Get());
  EARSHOT_ASSIGN_OR_RETURN(opts.watch_ids, WatchScope(c, *store));
  if (cursor) {
    opts.to_ms = opts.to_ms ? std::min(*opts.to_ms, cursor->ms + 1) : cursor->ms + 1;
    opts.skip = cursor->skip;
  }
  opts.limit = limit + 1;  // one more tells whether another page exists
  std::optional<match::Query> query;
  if (!text.empty()) {
    query = ParseQueryOrReply(text, &error);
    if (!query) return error;
  }
  EARSHOT_ASSIGN_OR_RETURN(search::SearchResult r,
                           query ? search::Search(*store, *query, opts) : search::SearchAll(*store, opts));
  bool more = static_cast<int64_t>(r.results.size()) > limit;
  if (more) r.results.pop_back();
  EARSHOT_ASSIGN_OR_RETURN(std::vector<store::Watch> watches, CurrentWatches(c.ctx, *store));
  int64_t total = cursor ? cursor->total : r.total;
  std::string next = "null";
  if (more && !r.results.empty()) {
    Cursor nc;
    nc.ms = r.results.back().created_at_ms;
    nc.total = total;
    for (const Mention& m : r.results) nc.skip += m.created_at_ms == nc.ms ? 1 : 0;
    if (cursor && cursor->ms == nc.ms) nc.skip += cursor->skip;
    next = "\"" + EncodeCursor(nc) + "\"";
  }
  std::string out = "{\"total\":" + std::to_string(total) + ",\"next_cursor\":" + next + ",\"results\":[";
  for (size_t i = 0; i < r.results.size(); ++i) {
    if (i) out.push_back(',');
    // Index scans carry no watch matches; the full record does.
    Result<Mention> full = store->Get(r.results[i].id);
    AppendMentionJson(full.ok() ? *full : r.results[i], watches, out);
  }
  out += "]}";
  return Reply::JsonText(std::move(out));
}

Result<Reply> GetMention(Call& c) {
  EARSHOT_ASSIGN_OR_RETURN(StorePool::Lease store, c.ctx.stores.Get());
  EARSHOT_ASSIGN_OR_RETURN(Mention m, store->Get(c.Param(1)));
  EARSHOT_ASSIGN_OR_RETURN(std::vector<store::Watch> watches, CurrentWatches(c.ctx, *store));
  std::string out;
  AppendMentionJson(m, watches, out);
  return Reply::JsonText(std::move(out));
}

Result<Reply> CheckQuery(Call& c) {
  EARSHOT_ASSIGN_OR_RETURN(nlohmann::json body, JsonBody(c));
  if (!body.contains("query") || !body["query"].is_string()) return Status::InvalidArgument("give 'query'");
  std::variant<match::Query, match::ParseError> q = match::ParseQueryDetailed(body["query"].get<std::string>());
  if (auto* e = std::get_if<match::ParseError>(&q)) {
    return Reply::Json({{"ok", false}, {"error", {{"message", e->message}, {"position", e->column}}}});
  }
  return Reply::Json({{"ok", true}});
}

}  // namespace

void AddMentionRoutes(std::vector<Route>& routes) {
  routes.push_back({"GET", "/api/v1/mentions", Access::kAuthenticated, Permission::kRead, ListMentions});
  routes.push_back({"GET", "/api/v1/mentions/{id}", Access::kAuthenticated, Permission::kRead, GetMention});
  routes.push_back({"POST", "/api/v1/query/check", Access::kAuthenticated, Permission::kRead, CheckQuery});
}

}  // namespace earshot::server
