#include "ingest/hn_connector.h"

#include <simdjson.h>

#include <algorithm>
#include <string>

#include "core/strings.h"
#include "ingest/html_text.h"
#include "ingest/json_fields.h"
#include "ingest/json_util.h"

namespace earshot::ingest {
namespace {

using simdjson::dom::element;

constexpr std::string_view kItemUrl = "https://news.ycombinator.com/item?id=";
constexpr std::string_view kUserUrl = "https://news.ycombinator.com/user?id=";
// Unix seconds beyond this would overflow milliseconds; no real item is near.
constexpr int64_t kMaxSeconds = int64_t{1} << 42;

// Returns why the item read by `f` carries no post, or "" when it does.
std::string SkipReason(json::StrictFields& f) {
  if (f.Bool("deleted")) return "deleted";
  if (f.Bool("dead")) return "dead (flagged or killed)";
  if (f.String("title").empty() && f.String("text").empty()) return "no title or text";
  return "";
}

void SetTextAndLinks(std::string_view html, std::string_view story_url, Mention& m) {
  HtmlContent content = ParseHtmlContent(html);
  m.text = std::move(content.text);
  m.links = std::move(content.links);
  if (!story_url.empty() && std::find(m.links.begin(), m.links.end(), story_url) == m.links.end()) {
    m.links.emplace_back(story_url);
  }
}

void SetEngagement(json::StrictFields& f, Mention& m) {
  m.engagement.likes = json::AsCount(f.Int64("score"));
  if (std::optional<int64_t> descendants = f.Int64("descendants")) {
    m.engagement.replies = json::AsCount(descendants);
  } else {
    std::optional<simdjson::dom::array> kids = f.Array("kids");
    m.engagement.replies = kids ? static_cast<int64_t>(kids->size()) : 0;
  }
}

Status SetTime(json::StrictFields& f, Mention& m) {
  std::optional<int64_t> time = f.Int64("time");
  if (!time) return f.status().ok() ? Status::InvalidArgument("missing field \"time\"") : f.status();
  if (*time < 0 || *time > kMaxSeconds) {
    return Status::InvalidArgument("field \"time\": " + std::to_string(*time) + " is not a Unix time in seconds");
  }
  m.created_at_ms = *time * 1000;
  return Status::Ok();
}

// Builds the Mention of item `id`, read through `f`.
Result<Mention> ItemToMention(json::StrictFields& f, const std::string& id) {
  Mention m;
  m.source = "hn";
  m.external_id = id;
  m.id = MakeMentionId(m.source, id);
  m.channel = Channel::kForum;
  std::string story_url = json::CleanText(TrimAscii(f.String("url")));
  m.url = story_url.empty() ? std::string(kItemUrl) + id : story_url;
  m.site = SiteOfUrl(m.url);
  m.author.handle = json::CleanText(f.String("by"));
  if (!m.author.handle.empty()) m.author.profile_url = std::string(kUserUrl) + m.author.handle;
  m.title = json::CleanText(f.String("title"));
  SetTextAndLinks(f.String("text"), story_url, m);
  EARSHOT_RETURN_IF_ERROR(SetTime(f, m));
  // Comments answer `parent`; poll options belong to `poll`.
  std::string parent = f.Id("parent");
  if (parent.empty()) parent = f.Id("poll");
  if (!parent.empty()) m.in_reply_to = MakeMentionId("hn", parent);
  SetEngagement(f, m);
  EARSHOT_RETURN_IF_ERROR(f.status());
  return m;
}

// Turns the JSON values of one Parse() call into records.
class ItemHandler final : public json::JsonInputHandler {
 public:
  ItemHandler(const ParseContext& ctx, RecordSink& sink) : ctx_(ctx), emitter_(ctx, sink) {}

  void OnValue(element value, int64_t line, std::string_view raw) override {
    simdjson::dom::array items;
    if (value.get_array().get(items) != simdjson::SUCCESS) {
      HandleItem(value, line, "line " + std::to_string(line), raw);
      return;
    }
    // Elements of a pretty-printed array start on lines we do not track.
    const bool one_line = raw.find('\n') == std::string_view::npos;
    size_t ordinal = 0;
    for (element item : items) {
      std::string where = "array element " + std::to_string(++ordinal);
      if (one_line) where = "line " + std::to_string(line) + ", " + where;
      HandleItem(item, one_line ? line : 0, std::move(where), {});
    }
  }

  void OnBadLine(int64_t line, std::string error, std::string_view raw) override {
    emitter_.Reject(line, "line " + std::to_string(line) + ": " + error, raw);
  }

 private:
  // Reports one item. `raw` is its source text, or empty to rebuild it.
  void HandleItem(element item, int64_t line, std::string where, std::string_view raw) {
    auto reject = [&](const std::string& reason) {
      emitter_.Reject(line, where + ": " + reason, raw.empty() ? json::ToJson(item) : std::string(raw));
    };
    if (!item.is_object()) return reject("expected an item object, got " + std::string(json::TypeName(item)));
    json::StrictFields f(item);
    std::string id = f.Id("id");
    if (id.empty()) return reject(f.status().ok() ? "item has no \"id\"" : f.status().message());
    where += ", item " + id;
    std::string skip = SkipReason(f);
    if (!f.status().ok()) return reject(f.status().message());
    if (!skip.empty()) return emitter_.Skip(line, where + ": " + skip);
    if (f.String("text").size() > ctx_.max_record_bytes) {
      return reject("text exceeds the record limit of " + std::to_string(ctx_.max_record_bytes) + " bytes");
    }
    Result<Mention> mention = ItemToMention(f, id);
    if (!mention.ok()) return reject(mention.status().message());
    emitter_.Emit(std::move(mention).value(), line);
  }

  const ParseContext& ctx_;
  json::RecordEmitter emitter_;
};

class HnConnector final : public Connector {
 public:
  std::string_view Name() const override { return "hn"; }
  Framing framing() const override { return Framing::kLines; }

  Status Parse(std::string_view input, const ParseContext& ctx, RecordSink& sink) override {
    ItemHandler handler(ctx, sink);
    const json::JsonInputOptions options{.first_line = ctx.line, .max_line_bytes = ctx.max_record_bytes};
    Status s = json::ParseJsonInput(parser_, input, options, handler);
    return s.WithContext(ctx.file.empty() ? std::string_view("hn input") : ctx.file);
  }

 private:
  simdjson::dom::parser parser_;  // reused: keeps its buffers between calls
};

}  // namespace

std::unique_ptr<Connector> NewHnConnector() { return std::make_unique<HnConnector>(); }

}  // namespace earshot::ingest
