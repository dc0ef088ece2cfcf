#include "ingest/x_connector.h"

#include <simdjson.h>

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/strings.h"
#include "core/time.h"
#include "ingest/html_text.h"
#include "ingest/json_util.h"

namespace earshot::ingest {
namespace {

using simdjson::dom::element;

constexpr std::string_view kSource = "x";

// The objects of one response's "includes", by id. Views point into the
// parser's DOM, so the tables are refilled for every response; sorted
// vectors keep their capacity, where a hash map allocates a node per entry
// (a stream line has one user, a search page up to a hundred).
class Includes {
 public:
  void Load(element response) {
    users_.clear();
    tweets_.clear();
    places_.clear();
    std::optional<element> includes = json::Field(response, "includes");
    if (!includes) return;
    Index(*includes, "users", users_);
    Index(*includes, "tweets", tweets_);
    Index(*includes, "places", places_);
  }
  std::optional<element> User(std::string_view id) const { return Find(users_, id); }
  std::optional<element> Tweet(std::string_view id) const { return Find(tweets_, id); }
  std::optional<element> Place(std::string_view id) const { return Find(places_, id); }

 private:
  struct Entry {
    std::string_view id;
    size_t order;  // position in the array: of two objects with one id, the first wins
    element value;
  };
  using Table = std::vector<Entry>;

  static void Index(element includes, std::string_view key, Table& table) {
    std::optional<simdjson::dom::array> items = json::GetArray(includes, key);
    if (!items) return;
    for (element item : *items) {
      std::string_view id = json::GetString(item, "id");
      if (!id.empty()) table.push_back({id, table.size(), item});
    }
    // std::sort works in place (std::stable_sort takes a buffer); the order
    // field makes it stable where it matters.
    std::sort(table.begin(), table.end(),
              [](const Entry& a, const Entry& b) { return a.id != b.id ? a.id < b.id : a.order < b.order; });
  }
  static std::optional<element> Find(const Table& table, std::string_view id) {
    if (id.empty()) return std::nullopt;
    auto it = std::lower_bound(table.begin(), table.end(), id,
                               [](const Entry& entry, std::string_view key) { return entry.id < key; });
    if (it == table.end() || it->id != id) return std::nullopt;
    return it->value;
  }

  Table users_;
  Table tweets_;
  Table places_;
};

// Returns `lang` as a language tag, or "" for X's pseudo-codes: "und"
// (undetermined), "zxx" (no linguistic content), "art", and the q* codes
// (qme media only, qht hashtags only, qam mentions only, qct cashtags only,
// qst very short text).
std::string XLanguage(std::string_view lang) {
  if (lang == "und" || lang == "zxx" || lang == "art" || (lang.size() == 3 && lang[0] == 'q')) return "";
  // X still uses the withdrawn ISO 639 codes for Indonesian and Hebrew.
  if (lang == "in") return "id";
  if (lang == "iw") return "he";
  return json::PrimaryLanguage(lang);
}

// The members of a tweet that BuildTweet reads, found in one pass.
enum TweetKey : size_t {
  kId,
  kText,
  kNoteTweet,
  kAuthorId,
  kReferencedTweets,
  kLang,
  kCreatedAt,
  kGeo,
  kEntities,
  kPublicMetrics,
  kTweetKeyCount
};
constexpr std::array<std::string_view, kTweetKeyCount> kTweetKeys = {
    "id", "text", "note_tweet", "author_id", "referenced_tweets", "lang", "created_at", "geo", "entities",
    "public_metrics"};
using TweetFields = json::FieldSet<kTweetKeyCount>;

// Returns a long post's full text (note_tweet) when present, else "text".
std::optional<std::string_view> FullText(const TweetFields& tweet) {
  if (std::optional<element> note = tweet.Get(kNoteTweet)) {
    std::string_view text = json::GetString(*note, "text");
    if (!text.empty()) return text;
  }
  std::optional<element> text = tweet.Get(kText);
  std::string_view s;
  if (!text || text->get_string().get(s) != simdjson::SUCCESS) return std::nullopt;
  return s;
}

// Returns true for a url entity that points back at tweet `owner_id`
// itself rather than out of X: an attached photo or video
// (pic.twitter.com), or the "…" link of a truncated long post
// (twitter.com/i/web/status/<id>). Newer responses mark media with a
// media_key; older ones only show .../status/<id>/photo/1.
bool IsSelfLink(element url, std::string_view expanded, std::string_view owner_id) {
  if (json::HasField(url, "media_key")) return true;
  size_t status = expanded.find("/status/");
  if (status == std::string_view::npos) return false;
  std::string site = SiteOfUrl(expanded);
  if (site != "twitter.com" && site != "x.com") return false;
  std::string_view rest = expanded.substr(status + 8);
  std::string_view id = rest.substr(0, rest.find_first_of("/?#"));
  std::string_view tail = rest.substr(id.size());
  return (id == owner_id && (tail.empty() || tail[0] != '/')) || tail.starts_with("/photo/") ||
         tail.starts_with("/video/");
}

// Adds the urls, hashtags and mentions of the "entities" object of tweet
// `owner_id`.
void AddEntities(std::optional<element> entities, std::string_view owner_id, Mention& m) {
  if (!entities) return;
  if (auto urls = json::GetArray(*entities, "urls")) {
    for (element url : *urls) {
      std::string_view target = json::GetString(url, "expanded_url");
      if (target.empty()) target = json::GetString(url, "url");
      if (!IsSelfLink(url, target, owner_id)) json::AddUnique(m.links, target);
    }
  }
  if (auto tags = json::GetArray(*entities, "hashtags")) {
    for (element tag : *tags) json::AddUnique(m.hashtags, json::GetString(tag, "tag"));
  }
  if (auto mentions = json::GetArray(*entities, "mentions")) {
    for (element mention : *mentions) json::AddUnique(m.mentioned, json::GetString(mention, "username"));
  }
}

void AddTweetEntities(const TweetFields& tweet, Mention& m) {
  std::string_view id = json::StringValue(tweet.Get(kId));
  AddEntities(tweet.Get(kEntities), id, m);
  if (std::optional<element> note = tweet.Get(kNoteTweet)) {
    AddEntities(json::Field(*note, "entities"), id, m);
  }
}

void SetAuthor(const TweetFields& tweet, const Includes& includes, Mention& m) {
  std::optional<element> found = includes.User(json::StringValue(tweet.Get(kAuthorId)));
  if (!found) return;
  const json::FieldSet<4> user(*found, {"username", "name", "location", "public_metrics"});
  std::string_view username = json::StringValue(user.Get(0));
  m.author.handle.assign(username);
  json::CleanTextInto(json::StringValue(user.Get(1)), m.author.display_name);
  json::CleanTextInto(json::StringValue(user.Get(2)), m.author.profile_location);
  if (!username.empty()) m.author.profile_url.assign("https://twitter.com/").append(username);
  if (std::optional<element> metrics = user.Get(3)) {
    m.author.followers = json::GetCount(*metrics, "followers_count");
  }
}

// Sets in_reply_to / reshare_of / quote_of; returns the retweeted id.
std::string_view SetReferences(const TweetFields& tweet, Mention& m) {
  std::string_view retweeted;
  std::optional<simdjson::dom::array> refs = json::ArrayValue(tweet.Get(kReferencedTweets));
  if (!refs) return retweeted;
  for (element ref : *refs) {
    std::string id = json::GetId(ref, "id");
    if (id.empty()) continue;
    std::string_view type = json::GetString(ref, "type");
    if (type == "replied_to") {
      m.in_reply_to = MakeMentionId(kSource, id);
    } else if (type == "retweeted") {
      m.reshare_of = MakeMentionId(kSource, id);
      retweeted = json::GetString(ref, "id");
    } else if (type == "quoted") {
      m.quote_of = MakeMentionId(kSource, id);
    }
  }
  return retweeted;
}

// The text of a retweet is "RT @user: " plus the original cut to fit 140
// characters; the retweeted tweet in includes has it whole.
std::string RetweetText(std::string_view text, const TweetFields& original) {
  std::optional<std::string_view> full = FullText(original);
  size_t colon = text.find(": ");
  if (!full || !text.starts_with("RT @") || colon == std::string_view::npos) return std::string(text);
  std::string out(text.substr(0, colon + 2));
  out.append(*full);
  return out;
}

void SetGeo(const TweetFields& tweet, const Includes& includes, Mention& m) {
  std::optional<element> geo = tweet.Get(kGeo);
  if (!geo) return;
  if (std::optional<element> point = json::Field(*geo, "coordinates")) {
    std::optional<simdjson::dom::array> lon_lat = json::GetArray(*point, "coordinates");
    double lon = 0, lat = 0;
    // GeoJSON order: [longitude, latitude].
    if (lon_lat && lon_lat->size() == 2 && lon_lat->at(0).get_double().get(lon) == simdjson::SUCCESS &&
        lon_lat->at(1).get_double().get(lat) == simdjson::SUCCESS && lat >= -90 && lat <= 90 && lon >= -180 &&
        lon <= 180) {
      m.geo.lat = lat;
      m.geo.lon = lon;
    }
  }
  if (std::optional<element> place = includes.Place(json::GetString(*geo, "place_id"))) {
    std::string_view country = json::GetString(*place, "country_code");
    if (country.size() == 2) {
      m.geo.country = {static_cast<char>(country[0] & ~0x20), static_cast<char>(country[1] & ~0x20)};
    }
    m.geo.place = json::CleanText(json::GetString(*place, "full_name"));
  }
}

void SetEngagement(const TweetFields& tweet, Mention& m) {
  std::optional<element> found = tweet.Get(kPublicMetrics);
  if (!found) return;
  const json::FieldSet<5> metrics(*found,
                                  {"like_count", "retweet_count", "reply_count", "quote_count", "impression_count"});
  m.engagement.likes = json::CountValue(metrics.Get(0));
  m.engagement.reshares = json::CountValue(metrics.Get(1));
  m.engagement.replies = json::CountValue(metrics.Get(2));
  m.engagement.quotes = json::CountValue(metrics.Get(3));
  m.engagement.views = json::CountValue(metrics.Get(4));
}

// Fills `m`, a fresh or recycled Mention, from `tweet`, or returns the
// reason it cannot be one. Strings are assigned, not replaced, so that a
// recycled Mention's buffers are reused.
Status BuildTweet(element tweet_object, const Includes& includes, Mention& m) {
  const TweetFields tweet(tweet_object, kTweetKeys);
  json::IdValueInto(tweet.Get(kId), m.external_id);
  if (m.external_id.empty()) return Status::InvalidArgument("missing field \"id\"");
  std::optional<std::string_view> text = FullText(tweet);
  if (!text) return Status::InvalidArgument("tweet " + m.external_id + ": missing field \"text\"");
  m.source.assign(kSource);
  m.id.assign(kSource).append(1, ':').append(m.external_id);
  m.channel = Channel::kMicroblog;
  m.site.assign("twitter.com");
  SetAuthor(tweet, includes, m);
  if (m.author.handle.empty()) {
    m.url.assign("https://twitter.com/i/web/status/").append(m.external_id);
  } else {
    m.url.assign("https://twitter.com/").append(m.author.handle).append("/status/").append(m.external_id);
  }
  std::string_view retweeted = SetReferences(tweet, m);
  std::optional<TweetFields> original;
  if (std::optional<element> found = includes.Tweet(retweeted)) original.emplace(*found, kTweetKeys);
  std::string retweet_text = original ? RetweetText(*text, *original) : std::string();
  // DecodeEntities also repairs UTF-8 and drops C0 controls.
  DecodeEntitiesInto(original ? std::string_view(retweet_text) : *text, m.text);
  m.language = XLanguage(json::StringValue(tweet.Get(kLang)));
  if (std::string_view created = json::StringValue(tweet.Get(kCreatedAt)); !created.empty()) {
    Result<int64_t> ms = ParseRfc3339(created);
    if (!ms.ok()) {
      return Status::InvalidArgument("tweet " + m.external_id + ": field \"created_at\": " + ms.status().message());
    }
    m.created_at_ms = *ms;
  }
  SetGeo(tweet, includes, m);
  AddTweetEntities(tweet, m);
  if (original) AddTweetEntities(*original, m);
  SetEngagement(tweet, m);
  return Status::Ok();
}

// Reads the JSON values of one Parse() call.
class XReader final : public json::JsonInputHandler {
 public:
  XReader(json::RecordEmitter& emitter, Includes& includes, Mention& scratch)
      : emitter_(emitter), includes_(includes), scratch_(scratch) {}

  void OnValue(element value, int64_t line, std::string_view raw) override {
    simdjson::dom::array items;
    if (value.get_array().get(items) != simdjson::SUCCESS) {
      ReadObject(value, line, raw);
      return;
    }
    for (element item : items) ReadObject(item, line, {});
  }

  void OnBadLine(int64_t line, std::string error, std::string_view raw) override {
    emitter_.Reject(line, Where(line) + ": " + error, raw);
  }

 private:
  // Where a tweet sits: its line and, in a response, its index in "data".
  static constexpr int64_t kDataObject = -1;  // stream message: "data" is the tweet
  static constexpr int64_t kBareTweet = -2;   // the line is the tweet itself

  static std::string Where(int64_t line) { return "line " + std::to_string(line); }

  // `raw` is the value's source text, or empty to serialize it on demand.
  void ReadObject(element obj, int64_t line, std::string_view raw) {
    if (!obj.is_object()) {
      Reject(line, "expected an X API object, got " + std::string(json::TypeName(obj)), obj, raw);
    } else if (std::optional<element> data = json::Field(obj, "data")) {
      ReadResponse(obj, *data, line);
    } else if (json::HasField(obj, "errors")) {
      emitter_.Skip(line, Where(line) + ": " + ErrorSummary(obj));
    } else if (json::HasField(obj, "action")) {
      emitter_.Skip(line, Where(line) + ": compliance event \"" + std::string(json::GetString(obj, "action")) +
                              "\" for tweet " + json::GetId(obj, "id") + " (" +
                              std::string(json::GetString(obj, "reason")) + "), no post");
    } else if (json::HasField(obj, "text")) {
      includes_.Load(obj);
      ReadTweet(obj, line, kBareTweet);
    } else if (std::optional<element> meta = json::Field(obj, "meta")) {
      emitter_.Skip(line, Where(line) + ": response without data (result_count " +
                              std::to_string(json::GetInt64(*meta, "result_count", 0)) + ")");
    } else {
      Reject(line, "not an X API v2 object (keys: " + json::KeyList(obj) + ")", obj, raw);
    }
  }

  void ReadResponse(element response, element data, int64_t line) {
    includes_.Load(response);
    simdjson::dom::array tweets;
    if (data.get_array().get(tweets) != simdjson::SUCCESS) {
      ReadTweet(data, line, kDataObject);
      return;
    }
    if (tweets.size() == 0) {
      emitter_.Skip(line, Where(line) + ": response with no tweets");
      return;
    }
    // Other v2 endpoints answer in the same envelope without posts.
    element first = tweets.at(0).value_unsafe();
    if (!json::HasField(first, "text") && json::HasField(first, "tweet_count")) {
      emitter_.Skip(line,
                    Where(line) + ": tweet counts response (" + std::to_string(tweets.size()) + " buckets), no posts");
      return;
    }
    if (!json::HasField(first, "text") && json::HasField(first, "username")) {
      emitter_.Skip(line, Where(line) + ": users response (" + std::to_string(tweets.size()) + " users), no posts");
      return;
    }
    int64_t i = 0;
    for (element tweet : tweets) ReadTweet(tweet, line, i++);
  }

  void ReadTweet(element tweet, int64_t line, int64_t data_index) {
    Status st = BuildTweet(tweet, includes_, scratch_);
    if (st.ok()) {
      emitter_.EmitRecycled(scratch_, line);
      return;
    }
    scratch_.Recycle();
    std::string where = Where(line);
    if (data_index == kDataObject) {
      where += ": data";
    } else if (data_index >= 0) {
      where += ": data[" + std::to_string(data_index) + "]";
    }
    emitter_.Reject(line, where + ": " + st.message(), json::ToJson(tweet));
  }

  void Reject(int64_t line, const std::string& reason, element value, std::string_view raw) {
    emitter_.Reject(line, Where(line) + ": " + reason, raw.empty() ? json::ToJson(value) : std::string(raw));
  }

  static std::string ErrorSummary(element obj) {
    std::optional<simdjson::dom::array> errors = json::GetArray(obj, "errors");
    if (!errors || errors->size() == 0) return "error response without details, no post";
    element first = errors->at(0).value_unsafe();
    std::string out = "error response: ";
    out += json::GetString(first, "title", "untitled");
    if (std::string_view type = json::GetString(first, "type"); !type.empty()) out += " (" + std::string(type) + ")";
    if (std::string_view detail = json::GetString(first, "detail"); !detail.empty()) {
      out += ": " + std::string(detail);
    }
    if (errors->size() > 1) out += " (+" + std::to_string(errors->size() - 1) + " more)";
    return out;
  }

  json::RecordEmitter& emitter_;
  Includes& includes_;
  Mention& scratch_;  // refilled for every tweet
};

class XConnector final : public Connector {
 public:
  std::string_view Name() const override { return kSource; }
  Framing framing() const override { return Framing::kLines; }

  Status Parse(std::string_view input, const ParseContext& ctx, RecordSink& sink) override {
    json::RecordEmitter emitter(ctx, sink);
    XReader reader(emitter, includes_, scratch_);
    Status status =
        json::ParseJsonInput(parser_, input, {.first_line = ctx.line, .max_line_bytes = ctx.max_record_bytes}, reader);
    return status.WithContext(ctx.file);
  }

 private:
  simdjson::dom::parser parser_;
  Includes includes_;  // kept to reuse the tables' capacity across calls
  Mention scratch_;    // the Mention each tweet is built in (its buffers reused)
};

}  // namespace

std::unique_ptr<Connector> NewXConnector() { return std::make_unique<XConnector>(); }

}  // namespace earshot::ingest
