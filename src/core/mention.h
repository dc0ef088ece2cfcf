// The Mention: one public post, article, comment or review, whatever its
// source. Every connector produces Mentions; every later stage (enrich,
// match, store, analytics, engagement, CRM) reads only Mentions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace earshot {

// The kind of place a mention was published. Stable names are used in the
// store, the CLI, the query language (`channel:blog`) and the API.
enum class Channel : uint8_t {
  kMicroblog,  // X/Twitter, Mastodon, Bluesky
  kBlog,
  kNews,
  kForum,      // forums and Q&A: Hacker News, Reddit, Stack Overflow
  kCommunity,  // vendor-run or member communities
  kVideo,
  kReview,
  kOther,
};

inline constexpr Channel kAllChannels[] = {Channel::kMicroblog, Channel::kBlog,      Channel::kNews,
                                           Channel::kForum,     Channel::kCommunity, Channel::kVideo,
                                           Channel::kReview,    Channel::kOther};

// Returns "microblog", "blog", ... for `c`.
std::string_view ChannelName(Channel c);
// Returns the channel named `name` (case-insensitive), or nullopt.
std::optional<Channel> ParseChannel(std::string_view name);

struct Author {
  std::string handle;            // platform handle without '@' ("jdoe", "jdoe@mastodon.social")
  std::string display_name;
  int64_t followers = -1;        // -1 when the source does not say
  std::string profile_location;  // free text as the author wrote it ("Austin, TX")
  std::string profile_url;
};

struct Geo {
  std::optional<double> lat;     // WGS84 degrees, both set or neither
  std::optional<double> lon;
  std::string country;           // ISO 3166-1 alpha-2, upper case, when known
  std::string place;             // place name when the source gives one
  // Set by geo resolution (from lat/lon, place or the author's profile
  // location): the city's GeoNames name when one is resolved.
  std::string city;
};

// Counts as the source reported them at fetch time; -1 when unknown.
struct Engagement {
  int64_t likes = -1;      // likes, favourites, upvotes, score
  int64_t reshares = -1;   // retweets, reblogs, reposts
  int64_t replies = -1;    // replies, comments
  int64_t quotes = -1;
  int64_t views = -1;      // impressions, views
};

// A watch that matched a mention, found by live matching or backfill.
struct WatchMatch {
  int64_t watch_id = 0;
  std::vector<std::string> terms;  // the query atoms that hit, in canonical form
  std::optional<double> sentiment;  // target-level: the clause around the first hit
};

// A label of the questions-and-intent classifier with its confidence in [0, 1].
struct IntentScore {
  std::string label;  // question, recommendation_request, comparison, complaint, praise, job_post, spam
  double confidence = 0;
};

struct Mention {
  // Stable id: "<source>:<external id>", e.g. "x:1377649934414049282",
  // "hn:8863", "reddit:t3_48f6io". Writes are idempotent on this id.
  std::string id;
  std::string source;       // connector name: x, rss, atom, mastodon, bluesky, hn, reddit, csv
  std::string external_id;  // the source's own id
  Channel channel = Channel::kOther;
  std::string url;          // permalink
  std::string site;         // host of the url, lower case, without "www."
  Author author;
  std::string title;        // articles and forum posts; empty for microblog posts
  std::string text;         // plain text, valid UTF-8, HTML already stripped
  std::string language;     // BCP 47 primary tag ("en"), empty when unknown
  int64_t created_at_ms = 0;  // UTC, milliseconds since the Unix epoch
  Geo geo;
  // Thread relations, as mention ids in the same "<source>:<external id>" form.
  std::string in_reply_to;
  std::string reshare_of;
  std::string quote_of;
  std::vector<std::string> links;      // outbound URLs (expanded when the source expands them)
  std::vector<std::string> hashtags;   // without '#', as written
  std::vector<std::string> mentioned;  // handles without '@'
  Engagement engagement;

  // Enrichment, filled by the pipeline before the mention is stored.
  bool language_detected = false;   // `language` came from detection, not the source
  std::optional<double> sentiment;  // compound score in [-1, 1]
  std::vector<IntentScore> intents;
  std::string story_id;             // near-duplicate cluster: the id of its first mention
  std::vector<WatchMatch> watches;  // live matching: the watches this mention matched

  // Resets every field to its default, keeping the buffers of the strings
  // that every post fills, so that a reader refilling one Mention per record
  // does not allocate for each.
  void Recycle();
};

// Exchanges every field of `a` and `b` (and so their buffers). The pipeline
// swaps each parsed post into its batch; std::swap's three moves of some
// forty members cost a tenth of the reader's time per post.
void swap(Mention& a, Mention& b) noexcept;

// Returns the lower-case host of `url` without a leading "www." and port,
// or "" when `url` has no host.
std::string SiteOfUrl(std::string_view url);

// Returns "<source>:<external_id>".
std::string MakeMentionId(std::string_view source, std::string_view external_id);

}  // namespace earshot
