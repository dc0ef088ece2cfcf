// Helpers every route file uses: the store pool, errors, parameters, JSON
// forms of the model, the audit trail and ingesting a request body.
#include <algorithm>
#include <charconv>
#include <iostream>

#include "core/time.h"
#include "ingest/input_reader.h"
#include "server/routes.h"

namespace earshot::server {

Result<StorePool::Lease> StorePool::Get() {
  {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      std::unique_ptr<store::Store> s = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(s));
    }
  }
  store::StoreOptions so;
  so.data_dir = data_dir_;
  so.cache_mib = 16;
  EARSHOT_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> s, store::OpenStore(so));
  return Lease(*this, std::move(s));
}

void StorePool::Return(std::unique_ptr<store::Store> s) {
  std::lock_guard lock(mu_);
  if (idle_.size() < 16) idle_.push_back(std::move(s));
}

int HttpStatusOf(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk: return 200;
    case StatusCode::kInvalidArgument: return 400;
    case StatusCode::kUnauthenticated: return 401;
    case StatusCode::kPermissionDenied: return 403;
    case StatusCode::kNotFound: return 404;
    case StatusCode::kAlreadyExists: return 409;
    case StatusCode::kFailedPrecondition: return 409;
    case StatusCode::kResourceExhausted: return 429;
    case StatusCode::kUnavailable: return 503;
    default: return 500;
  }
}

nlohmann::json ErrorJson(const Status& status) {
  return {{"error", {{"code", StatusCodeName(status.code())}, {"message", status.message()}}}};
}

Reply QueryErrorReply(const std::string& message, size_t column) {
  nlohmann::json body = ErrorJson(Status::InvalidArgument(message));
  body["error"]["code"] = "bad_query";
  body["error"]["position"] = column;
  return Reply::Json(std::move(body), 400);
}

std::optional<match::Query> ParseQueryOrReply(const std::string& text, Reply* error) {
  std::variant<match::Query, match::ParseError> q = match::ParseQueryDetailed(text);
  if (auto* e = std::get_if<match::ParseError>(&q)) {
    *error = QueryErrorReply(e->message, e->column);
    return std::nullopt;
  }
  return std::get<match::Query>(std::move(q));
}

std::string SessionCookie(const httplib::Request& req) {
  constexpr std::string_view kName = "earshot_session";
  for (size_t i = 0, n = req.get_header_value_count("Cookie"); i < n; ++i) {
    std::string header = req.get_header_value("Cookie", i);
    std::string_view all = header;
    while (!all.empty()) {
      size_t semi = all.find(';');
      std::string_view part = all.substr(0, semi);
      while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
      if (part.size() > kName.size() && part.substr(0, kName.size()) == kName && part[kName.size()] == '=') {
        return std::string(part.substr(kName.size() + 1));
      }
      if (semi == std::string_view::npos) break;
      all.remove_prefix(semi + 1);
    }
  }
  return "";
}

Result<nlohmann::json> JsonBody(const Call& call) {
  nlohmann::json j = nlohmann::json::parse(call.req.body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Status::InvalidArgument("the request body must be a JSON object");
  return j;
}

Result<std::optional<int64_t>> TimeParam(const Call& call, const std::string& name) {
  std::string v = call.Query(name);
  if (v.empty()) return std::optional<int64_t>();
  Result<int64_t> t = (v.size() == 10 && v[4] == '-' && v[7] == '-') ? ParseRfc3339(v + "T00:00:00Z")
                                                                      : ParseRfc3339(v);
  if (!t.ok()) return Status::InvalidArgument("parameter '" + name + "': not a date or RFC 3339 time: '" + v + "'");
  return std::optional<int64_t>(*t);
}

Result<int64_t> IntParam(const Call& call, const std::string& name, int64_t fallback, int64_t lo, int64_t hi) {
  std::string v = call.Query(name);
  if (v.empty()) return fallback;
  int64_t n = 0;
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || ptr != v.data() + v.size() || n < lo || n > hi) {
    return Status::InvalidArgument("parameter '" + name + "' must be an integer from " + std::to_string(lo) +
                                   " to " + std::to_string(hi));
  }
  return n;
}

nlohmann::json WatchJson(const store::Watch& w) {
  return {{"id", w.id},
          {"name", w.name},
          {"query", w.query},
          {"group", w.group},
          {"matches", w.matches},
          {"created_at", FormatRfc3339(w.created_at_ms)}};
}

Result<std::vector<store::Watch>> CurrentWatches(Context& ctx, store::Store& store) {
  EARSHOT_ASSIGN_OR_RETURN(int64_t version, store.WatchSetVersion());
  std::lock_guard lock(ctx.watch_names_mu);
  if (version != ctx.watch_cache_version) {
    EARSHOT_ASSIGN_OR_RETURN(ctx.watch_cache, store.ListWatches());
    ctx.watch_cache_version = version;
  }
  return ctx.watch_cache;
}

Result<std::vector<int64_t>> WatchScope(Call& c, store::Store& store) {
  std::string watch = c.Query("watch");
  std::string group = c.Query("group");
  if (watch.empty() && group.empty()) return std::vector<int64_t>();
  EARSHOT_ASSIGN_OR_RETURN(std::vector<store::Watch> all, CurrentWatches(c.ctx, store));
  std::vector<int64_t> ids;
  for (const store::Watch& w : all) {
    if ((!watch.empty() && w.name == watch) || (!group.empty() && w.group == group)) ids.push_back(w.id);
  }
  if (ids.empty()) {
    return Status::NotFound(watch.empty() ? "no watch group '" + group + "'" : "no watch '" + watch + "'");
  }
  return ids;
}

void Call::Audit(const std::string& action, const std::string& target, const nlohmann::json& detail) {
  Status st = ctx.accounts->Audit(actor(), action, target,
                                  detail.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), ip);
  if (!st.ok()) std::cerr << "earshot serve: audit log: " << st.message() << "\n";
}

namespace {

// Collects what a connector makes of a request body.
class CollectSink : public ingest::RecordSink {
 public:
  CollectSink(const std::string& name, BodyIngest& out) : name_(name), out_(out) {}
  void OnMention(Mention m, const ingest::RecordRef& ref) override {
    ++out_.read;
    mentions.push_back(std::move(m));
    refs.push_back(ref);
  }
  void OnReject(const ingest::RecordRef& ref, std::string reason, std::string_view) override {
    ++out_.read;
    ++out_.rejected;
    out_.errors.push_back({name_, ref.index, ref.line, std::move(reason)});
  }
  void OnSkip(const ingest::RecordRef&, std::string) override {
    ++out_.read;
    ++out_.skipped;
  }
  std::vector<Mention> mentions;
  std::vector<ingest::RecordRef> refs;

 private:
  const std::string& name_;
  BodyIngest& out_;
};

}  // namespace

nlohmann::json BodyIngest::ToJson() const {
  nlohmann::json errs = nlohmann::json::array();
  for (const pipeline::RecordError& e : errors) {
    errs.push_back({{"file", e.file}, {"record", e.record}, {"line", e.line}, {"reason", e.reason}});
  }
  return {{"read", read},         {"stored", stored},   {"updated", updated},         {"duplicates", duplicates},
          {"text_copies", text_copies}, {"rejected", rejected}, {"skipped", skipped}, {"errors", errs}};
}

BodyIngest IngestBody(Context& ctx, const std::string& name, std::string_view body, const std::string& format,
                      std::optional<Channel> channel) {
  BodyIngest out;
  ingest::InputOptions in;
  in.format = format.empty() ? "auto" : format;
  in.channel = channel;
  CollectSink sink(name, out);
  Status st = ingest::ReadBuffer(name, body, in, sink);
  if (!st.ok()) {
    out.error = st.message();
    out.errors.push_back({name, 0, 0, st.message()});
  }
  if (sink.mentions.empty()) return out;
  std::vector<ingest::RecordRef> refs = std::move(sink.refs);
  pipeline::SubmitResult r = ctx.ingest->Submit(std::move(sink.mentions)).get();
  out.stored = r.stored;
  out.updated = r.updated;
  out.duplicates = r.duplicates;
  out.text_copies = r.text_copies;
  out.rejected += r.rejected;
  for (const auto& [i, reason] : r.errors) out.errors.push_back({name, refs[i].index, refs[i].line, reason});
  return out;
}

}  // namespace earshot::server
