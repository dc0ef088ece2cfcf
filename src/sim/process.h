// The conversation as a self-exciting point process. Root posts arrive at a
// rate shaped by the daily and weekly cycle of each region, the long-term
// trend and the injected events; every post draws reactions (replies,
// reshares, quotes, comments, follow-up articles) whose number grows with
// its author's reach and whose delays are heavy-tailed, and each reaction
// can draw its own: a Hawkes-like branching process. Posts are emitted in
// time order from a schedule of pending reactions, so memory is bounded by the
// open cascades, never by the number of mentions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/model.h"
#include "sim/text.h"
#include "sim/world.h"

namespace earshot::sim {

enum class Kind : uint8_t {
  kPost,     // an original post, article, thread, review or video
  kReply,    // a reply or comment
  kReshare,  // a retweet
  kQuote,    // a quote post
};

// The article a post shares (blog or news item), enough to rebuild its link.
struct ShareRef {
  int site = -1;
  uint64_t serial = 0;  // the item's number on its site
  int64_t t_ms = 0;
  ContentSpec spec;
};

// A post waiting to be emitted. Reactions fix their parent, kind and author
// when they are scheduled (so that the emission loop can prefetch the
// author); the text is settled when the post is emitted.
struct Node {
  int64_t t_ms = 0;
  uint64_t order = 0;  // creation order: the tie-break that keeps emission deterministic
  Platform platform = Platform::kX;
  Kind kind = Kind::kPost;
  uint8_t depth = 0;
  bool childless = false;          // top-up posts at the very end draw no reactions
  bool parent_is_comment = false;  // Reddit: t1 parent (else t3)
  bool has_share = false;
  int author = -1;          // -1: chosen when the post is scheduled
  int site = -1;            // blog/news: preset site
  int event = -1;           // the injected event that caused it
  int parent_author = -1;
  int orig_author = -1;     // reshares: the original's author
  int64_t story = -1;
  uint64_t parent_ext = 0;  // the parent as the source format references it
  uint64_t conv_ext = 0;    // replies: the thread's root (X conversation, Reddit link, HN story)
  uint64_t orig_ext = 0;    // reshares and quotes: the original post they reference
  int64_t orig_t_ms = 0;
  ContentSpec spec;
  ContentSpec orig_spec;    // reshares: the original's content, re-rendered
  ShareRef share;
};

// One emitted mention, as the writers and the truth file see it.
struct Emission {
  const Node* node = nullptr;
  int author = -1;
  uint64_t ext = 0;            // the platform's id (number; Reddit renders it in base 36)
  const Rendered* text = nullptr;  // for a reshare: the original's text
  int site = -1;
  std::string_view link;       // blog/news: the item URL
  std::string_view share_title;
  int64_t replies = 0, reshares = 0, quotes = 0, likes = 0;
  std::string_view id;         // mention id as the connectors make it ("x:123")
  std::string_view parent_id;  // "" when none
};

// Receives emissions in time order.
class EmissionSink {
 public:
  virtual ~EmissionSink() = default;
  virtual void OnEmission(const Emission& e) = 0;
  // Returns false to stop the process early (a write error).
  virtual bool ok() const = 0;
};

struct ProcessOptions {
  int64_t mentions = 0;
  int64_t start_ms = 0;
  int64_t end_ms = 0;
  double yearly_growth = 0.25;
  bool x_only = false;
  bool make_ids = true;  // build mention id strings (truth, mastodon, feeds)
};

struct ProcessStats {
  int64_t emitted = 0;
  int64_t roots = 0;
  int64_t topped_up = 0;  // childless posts added in the last minutes to hit the count exactly
  int64_t cut = 0;        // pending reactions dropped when the count was reached
  int64_t stories = 0;
  int64_t per_platform[kPlatformCount] = {};
};

// Runs the process over the world and hands every mention to `sink`.
// Emits exactly opts.mentions mentions unless the sink stops it.
ProcessStats RunProcess(const World& world, const TextGenerator& text, uint64_t seed, const ProcessOptions& opts,
                        EmissionSink& sink);

// Returns the URL of item `serial` of `site` published at `t_ms` with `title`.
std::string ArticleUrl(const World& w, int site, uint64_t serial, int64_t t_ms, std::string_view title);

// Returns the Mastodon status URI (the connector's id) of status `ext` by `author`.
std::string MastodonUri(const Person& author, uint64_t ext);

// Returns `n` in base 36 (Reddit ids).
std::string Base36(uint64_t n);

// Returns the relative volume at `t_ms` for a region with the given UTC
// offset: the daily and weekly cycle (1.0 = an average weekday hour).
double Seasonality(int64_t t_ms, int utc_offset_min);

}  // namespace earshot::sim
