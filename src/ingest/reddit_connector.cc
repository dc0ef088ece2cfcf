#include "ingest/reddit_connector.h"

#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "core/strings.h"
#include "ingest/html_text.h"
#include "ingest/json_fields.h"
#include "ingest/json_util.h"
#include "ingest/text_entities.h"

namespace earshot::ingest {
namespace {

using simdjson::dom::element;

constexpr std::string_view kSiteUrl = "https://www.reddit.com";
// created_utc beyond this (year ~2286) would not be seconds.
constexpr double kMaxSeconds = 1e10;

bool IsDeletedText(std::string_view s) { return s == "[deleted]" || s == "[removed]"; }

// Returns the permalink of a thing, building one when the API gave none
// (the subreddit-wide comment stream omits it).
std::string ThingUrl(std::string_view kind, json::StrictFields& d) {
  std::string_view permalink = TrimAscii(d.String("permalink"));
  if (StartsWithIgnoreAsciiCase(permalink, "http")) return DecodeEntities(permalink);
  if (!permalink.empty()) return std::string(kSiteUrl) + DecodeEntities(permalink);
  std::string_view subreddit = d.String("subreddit");
  std::string_view id = d.String("id");
  std::string base = std::string(kSiteUrl) + (subreddit.empty() ? "" : "/r/" + std::string(subreddit));
  if (kind == "t3") return id.empty() ? "" : base + "/comments/" + std::string(id) + "/";
  std::string_view link = d.String("link_id");
  if (link.starts_with("t3_")) link.remove_prefix(3);
  if (link.empty() || id.empty()) return "";
  // "_" stands in for the title slug, which Reddit ignores when routing.
  return base + "/comments/" + std::string(link) + "/_/" + std::string(id) + "/";
}

void AddLink(std::string url, std::vector<std::string>& links) {
  if (!url.empty() && std::find(links.begin(), links.end(), url) == links.end()) links.push_back(std::move(url));
}

// Sets links: a link post's target, then the URLs written in the text.
void SetLinks(std::string_view kind, element data, json::StrictFields& d, Mention& m) {
  if (kind == "t3") {
    std::string target = DecodeEntities(TrimAscii(d.String("url")));
    bool is_self = json::HasField(data, "is_self") ? d.Bool("is_self") : target == m.url;
    if (!is_self) AddLink(std::move(target), m.links);
  }
  for (std::string& url : ExtractUrls(m.text)) AddLink(std::move(url), m.links);
}

Status SetCreated(json::StrictFields& d, Mention& m) {
  std::optional<double> created = d.Double("created_utc");
  if (!created) return d.status().ok() ? Status::InvalidArgument("missing field \"created_utc\"") : d.status();
  if (!std::isfinite(*created) || *created < 0 || *created > kMaxSeconds) {
    return Status::InvalidArgument("field \"created_utc\": " + std::to_string(*created) +
                                   " is not a Unix time in seconds");
  }
  m.created_at_ms = std::llround(*created * 1000.0);
  return Status::Ok();
}

void SetAuthor(json::StrictFields& d, Mention& m) {
  std::string_view author = d.String("author");
  if (author.empty() || author == "[deleted]") return;
  m.author.handle = json::CleanText(author);
  m.author.profile_url = std::string(kSiteUrl) + "/user/" + m.author.handle;
}

// Builds the Mention of a t1 or t3 thing whose data is `data`.
Result<Mention> ThingToMention(std::string_view kind, element data, const std::string& fullname) {
  json::StrictFields d(data);
  Mention m;
  m.source = "reddit";
  m.external_id = fullname;
  m.id = MakeMentionId(m.source, fullname);
  m.channel = Channel::kForum;
  m.site = "reddit.com";
  m.url = ThingUrl(kind, d);
  SetAuthor(d, m);
  EARSHOT_RETURN_IF_ERROR(SetCreated(d, m));
  // DecodeEntities also repairs UTF-8 and drops control characters.
  if (kind == "t3") {
    m.title = DecodeEntities(d.String("title"));
    std::string_view selftext = d.String("selftext");
    if (!IsDeletedText(selftext)) m.text = DecodeEntities(selftext);
    m.engagement.replies = json::AsCount(d.Int64("num_comments"));
  } else {
    m.text = DecodeEntities(d.String("body"));
    std::string_view parent = d.String("parent_id");
    if (!parent.empty()) m.in_reply_to = MakeMentionId("reddit", parent);
  }
  m.engagement.likes = json::AsCount(d.Int64("score"));
  SetLinks(kind, data, d, m);
  EARSHOT_RETURN_IF_ERROR(d.status());
  return m;
}

// Returns the fullname of a thing ("t3_48f6io"): `name`, else kind + "_" + `id`.
std::string Fullname(std::string_view kind, json::StrictFields& d) {
  std::string_view name = d.String("name");
  if (!name.empty()) return std::string(name);
  std::string_view id = d.String("id");
  return id.empty() ? "" : std::string(kind) + "_" + std::string(id);
}

// Turns the JSON values of one Parse() call into records.
class ListingHandler final : public json::JsonInputHandler {
 public:
  ListingHandler(const ParseContext& ctx, RecordSink& sink, size_t body_size)
      : ctx_(ctx), emitter_(ctx, sink), body_size_(body_size) {}

  void OnValue(element value, int64_t line, std::string_view raw) override {
    // Records inside a pretty-printed value start on lines we do not track.
    line_ = raw.find('\n') == std::string_view::npos ? line : 0;
    Status s = HandleTop(value, "line " + std::to_string(line));
    if (s.ok()) return;
    if (raw.size() == body_size_) {
      error_ = s;  // the whole input is this one value: it is not Reddit JSON
    } else {
      emitter_.Reject(line, s.message(), raw);
    }
  }

  void OnBadLine(int64_t line, std::string error, std::string_view raw) override {
    emitter_.Reject(line, "line " + std::to_string(line) + ": " + error, raw);
  }

  // Returns the error that makes the whole input unreadable, or OK.
  const Status& status() const { return error_; }

 private:
  Status HandleTop(element value, const std::string& where) {
    simdjson::dom::array things;
    if (value.get_array().get(things) == simdjson::SUCCESS) {
      size_t ordinal = 0;
      for (element node : things) HandleThing(node, where + ", element " + std::to_string(++ordinal));
      return Status::Ok();
    }
    if (!value.is_object()) {
      return Status::InvalidArgument(where + ": expected a Reddit Listing, got " + std::string(json::TypeName(value)));
    }
    if (json::GetString(value, "kind").empty()) {
      return Status::InvalidArgument(where + ": not a Reddit Listing or thing: the object has no \"kind\"");
    }
    HandleThing(value, where);
    return Status::Ok();
  }

  void WalkListing(element listing, const std::string& where) {
    std::optional<simdjson::dom::array> children;
    if (std::optional<element> data = json::Field(listing, "data")) children = json::GetArray(*data, "children");
    if (!children) return Reject(where + ": Listing without \"data.children\" array", listing);
    size_t ordinal = 0;
    for (element child : *children) HandleThing(child, where + ", child " + std::to_string(++ordinal));
  }

  // Reports one thing (a Listing is walked), then the replies of a comment.
  void HandleThing(element thing, std::string where) {
    if (!thing.is_object()) {
      return Reject(where + ": expected a Reddit thing object, got " + std::string(json::TypeName(thing)), thing);
    }
    json::StrictFields t(thing);
    std::string kind(t.String("kind"));
    const bool has_data = t.Object("data").has_value();
    if (!t.status().ok()) return Reject(where + ": " + t.status().message(), thing);
    if (kind == "Listing") return WalkListing(thing, where);
    if (kind != "t1" && kind != "t3") {
      return emitter_.Skip(line_, where + ": a \"" + kind + "\" thing is not a post or comment");
    }
    if (!has_data) return Reject(where + ": " + kind + " thing without \"data\"", thing);
    element data = *json::Field(thing, "data");
    json::StrictFields d(data);
    std::string fullname = Fullname(kind, d);
    if (fullname.empty()) return Reject(where + ": " + kind + " thing without \"name\" or \"id\"", thing);
    where += ", " + fullname;
    ReportPost(kind, fullname, data, thing, where);
    if (std::optional<element> replies = json::Field(data, "replies"); replies && replies->is_object()) {
      WalkListing(*replies, where + " replies");
    }
  }

  void ReportPost(const std::string& kind, const std::string& fullname, element data, element thing,
                  const std::string& where) {
    std::string_view text = json::GetString(data, kind == "t1" ? "body" : "selftext");
    if (kind == "t1" && IsDeletedText(text)) return emitter_.Skip(line_, where + ": comment " + std::string(text));
    if (text.size() > ctx_.max_record_bytes) {
      return Reject(where + ": text exceeds the record limit of " + std::to_string(ctx_.max_record_bytes) + " bytes",
                    thing);
    }
    Result<Mention> mention = ThingToMention(kind, data, fullname);
    if (!mention.ok()) return Reject(where + ": " + mention.status().message(), thing);
    emitter_.Emit(std::move(mention).value(), line_);
  }

  void Reject(std::string reason, element record) { emitter_.Reject(line_, std::move(reason), json::ToJson(record)); }

  const ParseContext& ctx_;
  json::RecordEmitter emitter_;
  const size_t body_size_;  // size of the trimmed input, to tell one document from JSON lines
  int64_t line_ = 0;        // line of the records of the current value; 0 when unknown
  Status error_;
};

class RedditConnector final : public Connector {
 public:
  std::string_view Name() const override { return "reddit"; }
  Framing framing() const override { return Framing::kDocument; }

  Status Parse(std::string_view input, const ParseContext& ctx, RecordSink& sink) override {
    std::string_view file = ctx.file.empty() ? std::string_view("reddit input") : ctx.file;
    ListingHandler handler(ctx, sink, TrimAscii(input).size());
    // A JSON line here is a whole Listing, not one record: no line limit
    // (the driver bounds documents; ReportPost bounds each record's text).
    const json::JsonInputOptions options{
        .first_line = ctx.line, .max_line_bytes = input.size(), .single_line = json::SingleLine::kDocument};
    EARSHOT_RETURN_IF_ERROR(json::ParseJsonInput(parser_, input, options, handler).WithContext(file));
    return handler.status().WithContext(file);
  }

 private:
  simdjson::dom::parser parser_;  // reused: keeps its buffers between calls
};

}  // namespace

std::unique_ptr<Connector> NewRedditConnector() { return std::make_unique<RedditConnector>(); }

}  // namespace earshot::ingest
