#include "ingest/mastodon_connector.h"

#include <simdjson.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/strings.h"
#include "core/time.h"
#include "ingest/html_text.h"
#include "ingest/json_util.h"

namespace earshot::ingest {
namespace {

using simdjson::dom::element;

constexpr std::string_view kSource = "mastodon";

// Returns "host[:port]" of `url`, lower case, without user info.
std::string Authority(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return "";
  std::string_view rest = url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (size_t at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
  return AsciiLower(rest);
}

// Returns "scheme://host[:port]" of `url`, or "".
std::string Origin(std::string_view url) {
  std::string authority = Authority(url);
  if (authority.empty()) return "";
  return AsciiLower(url.substr(0, url.find("://"))) + "://" + authority;
}

// Returns the path of `url` ("/tags/x"), without query or fragment.
std::string_view UrlPath(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return "";
  std::string_view rest = url.substr(scheme + 3);
  size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return "";
  rest = rest.substr(slash);
  return rest.substr(0, rest.find_first_of("?#"));
}

// Returns `acct` made globally unique: a local "user" becomes
// "user@<instance>", the instance taken from the account's `url`.
std::string QualifiedAcct(std::string_view acct, std::string_view url) {
  std::string out(acct);
  std::string authority = Authority(url);
  if (!acct.empty() && acct.find('@') == std::string_view::npos && !authority.empty()) {
    out.append("@").append(authority);
  }
  return out;
}

// Returns a status's external id: its "uri", else "url", else "id".
std::string ExternalId(element status) {
  std::string_view uri = json::GetString(status, "uri");
  if (!uri.empty()) return std::string(uri);
  std::string_view url = json::GetString(status, "url");
  if (!url.empty()) return std::string(url);
  return json::GetId(status, "id");
}

// One status of a JSON value and where it sits, for messages.
struct StatusRef {
  element status;
  std::string_view group;  // "ancestors", "descendants", "statuses" or "" (top level)
  int64_t index = -1;      // position in its array; -1 for a lone status
};

// Lists the statuses of `value` in document order; returns false when
// `value` holds no statuses at all.
bool ListStatuses(element value, std::vector<StatusRef>& out) {
  out.clear();
  auto add_array = [&out](simdjson::dom::array items, std::string_view group) {
    int64_t i = 0;
    for (element item : items) out.push_back(StatusRef{item, group, i++});
  };
  simdjson::dom::array items;
  if (value.get_array().get(items) == simdjson::SUCCESS) {
    add_array(items, "");
    return true;
  }
  if (!value.is_object()) return false;
  std::optional<simdjson::dom::array> ancestors = json::GetArray(value, "ancestors");
  std::optional<simdjson::dom::array> descendants = json::GetArray(value, "descendants");
  if (ancestors || descendants) {
    if (ancestors) add_array(*ancestors, "ancestors");
    if (descendants) add_array(*descendants, "descendants");
    return true;
  }
  if (std::optional<simdjson::dom::array> statuses = json::GetArray(value, "statuses")) {
    add_array(*statuses, "statuses");
    return true;
  }
  if (json::HasField(value, "content") || json::HasField(value, "uri") || json::HasField(value, "account")) {
    out.push_back(StatusRef{value, "", -1});
    return true;
  }
  return false;
}

// What one JSON value tells about the statuses it holds: each status's
// external id by local id (for in_reply_to), and the serving instance.
class StatusIndex {
 public:
  void Build(const std::vector<StatusRef>& statuses) {
    external_by_local_.clear();
    origin_.clear();
    for (const StatusRef& ref : statuses) {
      Add(ref.status);
      if (std::optional<element> reblog = json::Field(ref.status, "reblog")) Add(*reblog);
    }
  }

  // Returns the in_reply_to mention id for local parent id `parent`.
  std::string ReplyTarget(const std::string& parent) const {
    auto it = external_by_local_.find(parent);
    if (it != external_by_local_.end()) return MakeMentionId(kSource, it->second);
    return MakeMentionId(kSource, origin_ + "/api/v1/statuses/" + parent);
  }

 private:
  void Add(element status) {
    std::string local = json::GetId(status, "id");
    if (!local.empty()) external_by_local_.emplace(std::move(local), ExternalId(status));
    if (!origin_.empty()) return;
    std::optional<element> account = json::Field(status, "account");
    std::string_view acct = account ? json::GetString(*account, "acct") : std::string_view();
    if (!acct.empty() && acct.find('@') == std::string_view::npos) origin_ = Origin(json::GetString(*account, "url"));
  }

  std::unordered_map<std::string, std::string> external_by_local_;
  std::string origin_;
};

// Returns true when `url` is on the same instance (host[:port]) as the
// status `post`, its author, or one of its mentions or tags.
bool IsOnPostInstances(std::string_view url, element post) {
  std::string authority = Authority(url);
  if (authority.empty()) return false;
  for (std::string_view key : {"url", "uri"}) {
    if (Authority(json::GetString(post, key)) == authority) return true;
  }
  if (std::optional<element> account = json::Field(post, "account")) {
    if (Authority(json::GetString(*account, "url")) == authority) return true;
  }
  for (std::string_view list : {"mentions", "tags"}) {
    std::optional<simdjson::dom::array> items = json::GetArray(post, list);
    if (!items) continue;
    for (element item : *items) {
      if (Authority(json::GetString(item, "url")) == authority) return true;
    }
  }
  return false;
}

// Returns true for a link Mastodon renders itself, as opposed to one the
// author wrote: a mention or hashtag (listed in the status, or a /tags/ page)
// or a profile page (/@user, /users/user) on an instance the status involves.
bool IsInstanceLink(std::string_view href, element post) {
  for (std::string_view list : {"mentions", "tags"}) {
    std::optional<simdjson::dom::array> items = json::GetArray(post, list);
    if (!items) continue;
    for (element item : *items) {
      if (json::GetString(item, "url") == href) return true;
    }
  }
  std::string_view path = UrlPath(href);
  bool tag_or_profile = path.starts_with("/tags/") ||
                        (path.starts_with("/@") && path.find('/', 2) == std::string_view::npos) ||
                        (path.starts_with("/users/") && path.find('/', 7) == std::string_view::npos);
  return tag_or_profile && IsOnPostInstances(href, post);
}

void SetAuthor(element status, Mention& m) {
  std::optional<element> account = json::Field(status, "account");
  if (!account) return;
  std::string_view url = json::GetString(*account, "url");
  m.author.handle = QualifiedAcct(json::GetString(*account, "acct"), url);
  m.author.display_name = json::CleanText(json::GetString(*account, "display_name"));
  m.author.followers = json::GetCount(*account, "followers_count");
  m.author.profile_url = std::string(url);
}

// Sets text, language, hashtags, mentioned and links from `post` (the
// status itself, or the status it reblogs).
void SetContent(element post, std::string_view content, Mention& m) {
  HtmlContent html = ParseHtmlContent(content);
  std::string_view spoiler = TrimAscii(json::GetString(post, "spoiler_text"));
  m.text = spoiler.empty() ? std::move(html.text) : json::CleanText(spoiler) + "\n" + html.text;
  m.language = json::PrimaryLanguage(json::GetString(post, "language"));
  if (std::optional<simdjson::dom::array> tags = json::GetArray(post, "tags")) {
    for (element tag : *tags) json::AddUnique(m.hashtags, json::GetString(tag, "name"));
  }
  if (std::optional<simdjson::dom::array> mentions = json::GetArray(post, "mentions")) {
    for (element mention : *mentions) {
      json::AddUnique(m.mentioned, QualifiedAcct(json::GetString(mention, "acct"), json::GetString(mention, "url")));
    }
  }
  for (std::string& href : html.links) {
    if (!IsInstanceLink(href, post) && std::find(m.links.begin(), m.links.end(), href) == m.links.end()) {
      m.links.push_back(std::move(href));
    }
  }
  if (std::optional<element> card = json::Field(post, "card")) json::AddUnique(m.links, json::GetString(*card, "url"));
}

void SetEngagement(element status, Mention& m) {
  m.engagement.likes = json::GetCount(status, "favourites_count");
  m.engagement.reshares = json::GetCount(status, "reblogs_count");
  m.engagement.replies = json::GetCount(status, "replies_count");
  m.engagement.quotes = json::GetCount(status, "quotes_count");
}

// Builds the Mention of `status`, or returns the reason it cannot be one.
Result<Mention> BuildStatus(element status, const StatusIndex& index) {
  Mention m;
  m.external_id = ExternalId(status);
  if (m.external_id.empty()) return Status::InvalidArgument("missing fields \"uri\", \"url\" and \"id\"");
  std::optional<element> reblog = json::Field(status, "reblog");
  if (reblog && !reblog->is_object()) reblog.reset();
  element post = reblog ? *reblog : status;
  std::string_view content;
  if (std::optional<element> c = json::Field(post, "content");
      !c || c->get_string().get(content) != simdjson::SUCCESS) {
    return Status::InvalidArgument("status " + m.external_id + ": missing field \"" +
                                   (reblog ? "reblog.content" : "content") + "\"");
  }
  if (std::string_view created = json::GetString(status, "created_at"); !created.empty()) {
    Result<int64_t> ms = ParseRfc3339(created);
    if (!ms.ok()) {
      return Status::InvalidArgument("status " + m.external_id + ": field \"created_at\": " + ms.status().message());
    }
    m.created_at_ms = *ms;
  }
  m.source = std::string(kSource);
  m.id = MakeMentionId(kSource, m.external_id);
  m.channel = Channel::kMicroblog;
  std::string_view url = json::GetString(status, "url");
  m.url = std::string(url.empty() ? json::GetString(status, "uri") : url);
  m.site = SiteOfUrl(m.url);
  SetAuthor(status, m);
  SetContent(post, content, m);
  if (reblog) m.reshare_of = MakeMentionId(kSource, ExternalId(*reblog));
  if (std::string parent = json::GetId(status, "in_reply_to_id"); !parent.empty()) {
    m.in_reply_to = index.ReplyTarget(parent);
  }
  if (std::optional<element> quote = json::Field(post, "quote")) {
    if (std::optional<element> quoted = json::Field(*quote, "quoted_status")) {
      if (std::string id = ExternalId(*quoted); !id.empty()) m.quote_of = MakeMentionId(kSource, id);
    }
  }
  SetEngagement(status, m);
  return m;
}

// Reads the JSON values of one Parse() call.
class MastodonReader final : public json::JsonInputHandler {
 public:
  MastodonReader(json::RecordEmitter& emitter, std::vector<StatusRef>& statuses, StatusIndex& index)
      : emitter_(emitter), statuses_(statuses), index_(index) {}

  void OnValue(element value, int64_t line, std::string_view raw) override {
    if (!ListStatuses(value, statuses_)) {
      std::string what =
          value.is_object() ? "an object with keys " + json::KeyList(value) : "a " + std::string(json::TypeName(value));
      emitter_.Skip(line, Where(line, StatusRef{value, "", -1}) + ": no statuses in " + what);
      return;
    }
    index_.Build(statuses_);
    for (const StatusRef& ref : statuses_) ReadStatus(ref, line, ref.index < 0 ? raw : "");
  }

  void OnBadLine(int64_t line, std::string error, std::string_view raw) override {
    emitter_.Reject(line, "line " + std::to_string(line) + ": " + error, raw);
  }

 private:
  static std::string Where(int64_t line, const StatusRef& ref) {
    std::string where = "line " + std::to_string(line);
    if (ref.index >= 0) {
      where.append(": ").append(ref.group.empty() ? "status" : ref.group);
      where.append("[").append(std::to_string(ref.index)).append("]");
    }
    return where;
  }

  // `raw` is the status's source text, or empty to serialize it on demand.
  void ReadStatus(const StatusRef& ref, int64_t line, std::string_view raw) {
    if (!ref.status.is_object()) {
      Reject(ref, line, "expected a status object, got " + std::string(json::TypeName(ref.status)), raw);
      return;
    }
    Result<Mention> m = BuildStatus(ref.status, index_);
    if (m.ok()) {
      emitter_.Emit(std::move(m).value(), line);
    } else {
      Reject(ref, line, m.status().message(), raw);
    }
  }

  void Reject(const StatusRef& ref, int64_t line, const std::string& reason, std::string_view raw) {
    emitter_.Reject(line, Where(line, ref) + ": " + reason, raw.empty() ? json::ToJson(ref.status) : std::string(raw));
  }

  json::RecordEmitter& emitter_;
  std::vector<StatusRef>& statuses_;
  StatusIndex& index_;
};

class MastodonConnector final : public Connector {
 public:
  std::string_view Name() const override { return kSource; }
  Framing framing() const override { return Framing::kDocument; }

  Status Parse(std::string_view input, const ParseContext& ctx, RecordSink& sink) override {
    json::RecordEmitter emitter(ctx, sink);
    MastodonReader reader(emitter, statuses_, index_);
    json::JsonInputOptions options{
        .first_line = ctx.line, .max_line_bytes = ctx.max_record_bytes, .single_line = json::SingleLine::kDocument};
    return json::ParseJsonInput(parser_, input, options, reader).WithContext(ctx.file);
  }

 private:
  simdjson::dom::parser parser_;
  // Scratch space reused across calls.
  std::vector<StatusRef> statuses_;
  StatusIndex index_;
};

}  // namespace

std::unique_ptr<Connector> NewMastodonConnector() { return std::make_unique<MastodonConnector>(); }

}  // namespace earshot::ingest
