#include "ingest/bluesky_connector.h"

#include <simdjson.h>

#include <string>
#include <string_view>
#include <utility>

#include "core/time.h"
#include "ingest/json_util.h"

namespace earshot::ingest {
namespace {

using simdjson::dom::element;

constexpr std::string_view kSource = "bluesky";
constexpr std::string_view kPostType = "app.bsky.feed.post";

// The parts of "at://<authority>/<collection>/<rkey>".
struct AtUri {
  std::string_view authority;  // a did, or a handle
  std::string_view collection;
  std::string_view rkey;
};

std::optional<AtUri> ParseAtUri(std::string_view uri) {
  constexpr std::string_view kScheme = "at://";
  if (!uri.starts_with(kScheme)) return std::nullopt;
  std::string_view rest = uri.substr(kScheme.size());
  size_t slash1 = rest.find('/');
  if (slash1 == std::string_view::npos) return std::nullopt;
  size_t slash2 = rest.find('/', slash1 + 1);
  if (slash2 == std::string_view::npos) return std::nullopt;
  AtUri out{rest.substr(0, slash1), rest.substr(slash1 + 1, slash2 - slash1 - 1), rest.substr(slash2 + 1)};
  if (out.authority.empty() || out.collection.empty() || out.rkey.empty() ||
      out.rkey.find_first_of("/?#") != std::string_view::npos) {
    return std::nullopt;
  }
  return out;
}

// What is known about one post, from whichever wrapper carried it.
struct PostSource {
  std::string_view uri{};
  element record{};                 // the app.bsky.feed.post record
  std::optional<element> author{};  // a profile view {did, handle, displayName}
  std::optional<element> view{};    // the post view, for counts and indexedAt
  int64_t time_us = 0;              // Jetstream event time, 0 when unknown
};

void SetAuthor(const PostSource& post, std::string_view did, Mention& m) {
  std::string_view handle;
  if (post.author) {
    handle = json::GetString(*post.author, "handle");
    json::CleanTextInto(json::GetString(*post.author, "displayName"), m.author.display_name);
    m.author.followers = json::GetCount(*post.author, "followersCount");
  }
  // The AppView shows "handle.invalid" when a handle fails verification.
  if (handle.empty() || handle == "handle.invalid") handle = did;
  m.author.handle.assign(handle);
  m.author.profile_url.assign("https://bsky.app/profile/").append(handle);
}

// Returns the created time in ms, or the reason there is none.
Result<int64_t> CreatedAt(const PostSource& post) {
  std::string_view created = json::GetString(post.record, "createdAt");
  Result<int64_t> ms = ParseRfc3339(created);
  if (ms.ok()) return ms;
  if (post.view) {
    if (Result<int64_t> indexed = ParseRfc3339(json::GetString(*post.view, "indexedAt")); indexed.ok()) {
      return indexed;
    }
  }
  if (post.time_us > 0) return post.time_us / 1000;
  if (created.empty()) return int64_t{0};
  return Status::InvalidArgument("field \"createdAt\": " + ms.status().message());
}

void SetEmbed(element record, Mention& m) {
  std::optional<element> embed = json::Field(record, "embed");
  if (!embed) return;
  std::string_view type = json::GetString(*embed, "$type");
  std::optional<element> quoted;
  std::optional<element> media = embed;
  if (type == "app.bsky.embed.record") {
    quoted = json::Field(*embed, "record");
  } else if (type == "app.bsky.embed.recordWithMedia") {
    if (std::optional<element> wrapper = json::Field(*embed, "record")) quoted = json::Field(*wrapper, "record");
    media = json::Field(*embed, "media");
  }
  if (quoted) {
    std::string_view uri = json::GetString(*quoted, "uri");
    // A record embed may also show a feed generator or a list: not a quote.
    if (std::optional<AtUri> at = ParseAtUri(uri); at && at->collection == kPostType) {
      m.quote_of = MakeMentionId(kSource, uri);
    }
  }
  if (media && json::GetString(*media, "$type") == "app.bsky.embed.external") {
    if (std::optional<element> external = json::Field(*media, "external")) {
      json::AddUnique(m.links, json::GetString(*external, "uri"));
    }
  }
}

void SetFacets(element record, Mention& m) {
  std::optional<simdjson::dom::array> facets = json::GetArray(record, "facets");
  if (!facets) return;
  for (element facet : *facets) {
    std::optional<simdjson::dom::array> features = json::GetArray(facet, "features");
    if (!features) continue;
    for (element feature : *features) {
      std::string_view type = json::GetString(feature, "$type");
      if (type == "app.bsky.richtext.facet#link") {
        json::AddUnique(m.links, json::GetString(feature, "uri"));
      } else if (type == "app.bsky.richtext.facet#tag") {
        json::AddUnique(m.hashtags, json::GetString(feature, "tag"));
      } else if (type == "app.bsky.richtext.facet#mention") {
        json::AddUnique(m.mentioned, json::GetString(feature, "did"));
      }
    }
  }
}

void SetEngagement(const PostSource& post, Mention& m) {
  if (!post.view) return;
  m.engagement.likes = json::GetCount(*post.view, "likeCount");
  m.engagement.reshares = json::GetCount(*post.view, "repostCount");
  m.engagement.replies = json::GetCount(*post.view, "replyCount");
  m.engagement.quotes = json::GetCount(*post.view, "quoteCount");
}

// Fills `m`, a fresh or recycled Mention, from `post`, or returns the
// reason it cannot be one. Strings are assigned, not replaced, so that a
// recycled Mention's buffers are reused.
Status BuildPost(const PostSource& post, Mention& m) {
  std::optional<AtUri> at = ParseAtUri(post.uri);
  if (!at || at->collection != kPostType) {
    return Status::InvalidArgument("field \"uri\": not a post AT-URI: \"" + std::string(post.uri) + "\"");
  }
  std::optional<element> text = json::Field(post.record, "text");
  std::string_view text_view;
  if (!text || text->get_string().get(text_view) != simdjson::SUCCESS) {
    return Status::InvalidArgument("post " + std::string(post.uri) + ": missing field \"text\"");
  }
  Result<int64_t> created = CreatedAt(post);
  if (!created.ok())
    return Status::InvalidArgument("post " + std::string(post.uri) + ": " + created.status().message());

  m.source.assign(kSource);
  std::string_view did = at->authority;
  if (!did.starts_with("did:") && post.author) did = json::GetString(*post.author, "did", did);
  m.external_id.assign("at://").append(did).append("/").append(kPostType).append("/").append(at->rkey);
  m.id.assign(kSource).append(1, ':').append(m.external_id);
  m.channel = Channel::kMicroblog;
  SetAuthor(post, did, m);
  m.url.assign("https://bsky.app/profile/").append(m.author.handle).append("/post/").append(at->rkey);
  m.site.assign("bsky.app");
  json::CleanTextInto(text_view, m.text);
  if (std::optional<simdjson::dom::array> langs = json::GetArray(post.record, "langs"); langs && langs->size() > 0) {
    std::string_view lang;
    if (langs->at(0).get_string().get(lang) == simdjson::SUCCESS) m.language = json::PrimaryLanguage(lang);
  }
  m.created_at_ms = *created;
  if (std::optional<element> reply = json::Field(post.record, "reply")) {
    if (std::optional<element> parent = json::Field(*reply, "parent")) {
      std::string_view parent_uri = json::GetString(*parent, "uri");
      if (!parent_uri.empty()) m.in_reply_to = MakeMentionId(kSource, parent_uri);
    }
  }
  SetEmbed(post.record, m);
  SetFacets(post.record, m);
  SetEngagement(post, m);
  return Status::Ok();
}

// Reads the JSON values of one Parse() call. `path` arguments say where a
// value sits in its line's document ("thread.replies[0]"), for messages.
class BlueskyReader final : public json::JsonInputHandler {
 public:
  BlueskyReader(json::RecordEmitter& emitter, Mention& scratch) : emitter_(emitter), scratch_(scratch) {}

  void OnValue(element value, int64_t line, std::string_view raw) override {
    line_ = line;
    if (!value.is_object()) {
      Reject("", "expected a JSON object, got " + std::string(json::TypeName(value)), raw);
    } else if (json::HasField(value, "kind") && json::HasField(value, "did")) {
      ReadJetstream(value);
    } else if (std::optional<element> thread = json::Field(value, "thread")) {
      ReadThread(*thread, "thread", Direction::kBoth);
    } else if (std::optional<simdjson::dom::array> posts = json::GetArray(value, "posts")) {
      ReadList(*posts, "posts", &BlueskyReader::ReadPostView);
    } else if (std::optional<simdjson::dom::array> feed = json::GetArray(value, "feed")) {
      ReadList(*feed, "feed", &BlueskyReader::ReadFeedItem);
    } else if (std::optional<simdjson::dom::array> records = json::GetArray(value, "records")) {
      ReadList(*records, "records", &BlueskyReader::ReadRecordResponse);
    } else if (json::HasField(value, "value") && json::HasField(value, "uri")) {
      ReadRecordResponse(value, "");
    } else if (json::HasField(value, "record") && json::HasField(value, "author")) {
      ReadPostView(value, "");
    } else {
      std::string_view type = json::GetString(value, "$type");
      Skip("", type.empty() ? "no posts in an object with keys " + json::KeyList(value)
                            : "no posts in a " + std::string(type) + " object");
    }
  }

  void OnBadLine(int64_t line, std::string error, std::string_view raw) override {
    line_ = line;
    Reject("", std::move(error), raw);
  }

 private:
  enum class Direction { kBoth, kUp, kDown };
  using ItemReader = void (BlueskyReader::*)(element, const std::string&);

  void ReadList(simdjson::dom::array items, std::string_view name, ItemReader read) {
    size_t i = 0;
    for (element item : items) (this->*read)(item, std::string(name) + "[" + std::to_string(i++) + "]");
  }

  // A threadViewPost: its parent chain goes up, its replies go down.
  void ReadThread(element node, const std::string& path, Direction direction) {
    std::optional<element> post = json::Field(node, "post");
    if (!post) {
      std::string_view type = json::GetString(node, "$type", "untyped thread item");
      Skip(path, "thread item " + std::string(type) + " (" + std::string(json::GetString(node, "uri")) + "), no post");
      return;
    }
    if (direction != Direction::kDown) {
      if (std::optional<element> parent = json::Field(node, "parent")) {
        ReadThread(*parent, path + ".parent", Direction::kUp);
      }
    }
    ReadPostView(*post, path + ".post");
    if (direction == Direction::kUp) return;
    if (std::optional<simdjson::dom::array> replies = json::GetArray(node, "replies")) {
      size_t i = 0;
      for (element reply : *replies) {
        ReadThread(reply, path + ".replies[" + std::to_string(i++) + "]", Direction::kDown);
      }
    }
  }

  void ReadFeedItem(element item, const std::string& path) {
    std::optional<element> post = json::Field(item, "post");
    if (!post) {
      Reject(path, "feed item: missing field \"post\"", json::ToJson(item));
      return;
    }
    ReadPostView(*post, path + ".post");
  }

  void ReadPostView(element view, const std::string& path) {
    std::optional<element> record = json::Field(view, "record");
    if (!record || !record->is_object()) {
      Reject(path, "post view: missing field \"record\"", json::ToJson(view));
      return;
    }
    std::string_view type = json::GetString(*record, "$type", kPostType);
    if (type != kPostType) {
      Skip(path, "record of type " + std::string(type) + ", no post");
      return;
    }
    Build(PostSource{.uri = json::GetString(view, "uri"),
                     .record = *record,
                     .author = json::Field(view, "author"),
                     .view = view},
          path, view);
  }

  // A getRecord response, or one item of listRecords: {uri, cid, value}.
  void ReadRecordResponse(element response, const std::string& path) {
    std::optional<element> value = json::Field(response, "value");
    std::string_view type = value ? json::GetString(*value, "$type") : std::string_view();
    if (type != kPostType) {
      Skip(path, "record of type " + std::string(type.empty() ? "(none)" : type) + ", no post");
      return;
    }
    Build(PostSource{.uri = json::GetString(response, "uri"), .record = *value}, path, response);
  }

  void ReadJetstream(element event) {
    std::string_view kind = json::GetString(event, "kind");
    std::optional<element> commit = json::Field(event, "commit");
    if (kind != "commit" || !commit) {
      Skip("", "Jetstream " + std::string(kind) + " event, no post");
      return;
    }
    std::string_view operation = json::GetString(*commit, "operation");
    std::string_view collection = json::GetString(*commit, "collection");
    std::optional<element> record = json::Field(*commit, "record");
    if (collection != kPostType || (operation != "create" && operation != "update") || !record) {
      Skip("", "Jetstream commit " + std::string(operation) + " of " + std::string(collection) + " record " +
                   std::string(json::GetString(*commit, "rkey")) + ", no post");
      return;
    }
    std::string uri = "at://" + std::string(json::GetString(event, "did")) + "/" + std::string(collection) + "/" +
                      std::string(json::GetString(*commit, "rkey"));
    Build(PostSource{.uri = uri, .record = *record, .time_us = json::GetInt64(event, "time_us", 0)}, "commit", event);
  }

  void Build(const PostSource& post, const std::string& path, element raw) {
    Status st = BuildPost(post, scratch_);
    if (st.ok()) {
      emitter_.EmitRecycled(scratch_, line_);
    } else {
      scratch_.Recycle();
      Reject(path, st.message(), json::ToJson(raw));
    }
  }

  std::string Where(std::string_view path) const {
    std::string where = "line " + std::to_string(line_);
    if (!path.empty()) where.append(": ").append(path);
    return where;
  }
  void Reject(std::string_view path, const std::string& reason, std::string_view raw) {
    emitter_.Reject(line_, Where(path) + ": " + reason, raw);
  }
  void Skip(std::string_view path, const std::string& reason) { emitter_.Skip(line_, Where(path) + ": " + reason); }

  json::RecordEmitter& emitter_;
  Mention& scratch_;  // refilled for every post
  int64_t line_ = 0;
};

class BlueskyConnector final : public Connector {
 public:
  std::string_view Name() const override { return kSource; }
  Framing framing() const override { return Framing::kLines; }

  Status Parse(std::string_view input, const ParseContext& ctx, RecordSink& sink) override {
    json::RecordEmitter emitter(ctx, sink);
    BlueskyReader reader(emitter, scratch_);
    return json::ParseJsonInput(parser_, input, {.first_line = ctx.line, .max_line_bytes = ctx.max_record_bytes},
                                reader)
        .WithContext(ctx.file);
  }

 private:
  simdjson::dom::parser parser_;
  Mention scratch_;  // the Mention each post is built in (its buffers reused)
};

}  // namespace

std::unique_ptr<Connector> NewBlueskyConnector() { return std::make_unique<BlueskyConnector>(); }

}  // namespace earshot::ingest
