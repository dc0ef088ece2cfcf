// Propagation: how a story travels across channels. A cascade is a tree of
// mentions grown from the explicit thread relations (reply, reshare, quote)
// and joined across channels by near-duplicate stories and shared links: a
// blog post, the microblog posts that link to it and reshare them, and the
// news article that picks it up. docs/CASCADES.md describes the method and
// its validation on the real Twitter15/16 propagation trees.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/mention.h"

namespace earshot::analytics {

// How a mention hangs under its parent in a cascade.
enum class CascadeLink : uint8_t {
  kRoot,        // no parent: the origin (also when the parent was never ingested)
  kReply,       // in_reply_to
  kReshare,     // reshare_of
  kQuote,       // quote_of
  kStory,       // same near-duplicate story (story_id) as its parent
  kSharedLink,  // links to the same URL as its parent (or is the page the parent links to)
};

// Returns "root", "reply", "reshare", "quote", "story" or "shared_link".
std::string_view CascadeLinkName(CascadeLink link);

// One mention of a cascade.
struct CascadeMember {
  std::string id;
  std::string parent_id;  // empty for the root
  CascadeLink link = CascadeLink::kRoot;
  int32_t depth = 0;      // edges from the root
  int64_t created_at_ms = 0;
  Channel channel = Channel::kOther;
};

// The first mention of a cascade in one channel: one step of its path.
struct ChannelStep {
  Channel channel = Channel::kOther;
  int64_t first_ms = 0;
  std::string mention_id;
};

// One reconstructed cascade: its origin, its shape, its path across
// channels and (optionally) its members.
struct Cascade {
  std::string root_id;        // the origin mention
  std::string origin_author;  // its author handle
  std::string origin_site;
  Channel origin_channel = Channel::kOther;
  // The root had a parent id that is not in the data (e.g. a reply to a
  // mention never ingested).
  bool root_parent_missing = false;
  int64_t size = 0;   // mentions
  int32_t depth = 0;  // edges on the longest root-to-leaf path; a lone root has 0
  int64_t authors = 0;  // distinct author handles
  int64_t start_ms = 0;  // earliest created_at of any member
  int64_t end_ms = 0;    // latest
  // The channels crossed, in time order of each channel's first mention.
  std::vector<ChannelStep> path;
  std::optional<int64_t> first_blog_ms;
  std::optional<int64_t> first_news_ms;
  // first_news_ms - first_blog_ms when both exist; negative when the news
  // came first.
  std::optional<int64_t> blog_to_news_ms;
  // Counts of members by how they joined (index: CascadeLink).
  int64_t by_link[6] = {0, 0, 0, 0, 0, 0};
  // Members ordered by (created_at, id), at most CascadeOptions::max_members.
  std::vector<CascadeMember> members;

  // Returns true when some member joined by `link`.
  bool Has(CascadeLink link) const { return by_link[static_cast<int>(link)] > 0; }
};

// What CascadeBuilder::Build joins and reports.
struct CascadeOptions {
  // Report only cascades with at least this many mentions.
  int64_t min_size = 2;
  // Report only the largest this many (0: all). Ties: earlier start, then root id.
  int64_t top_n = 0;
  // Which implicit relations join trees into one cascade. The explicit
  // relations (reply, reshare, quote) always do.
  enum class Join : uint8_t {
    kRelations,        // explicit relations only
    kStories,          // plus the same story_id
    kStoriesAndLinks,  // plus the same outbound link
  };
  Join join = Join::kStoriesAndLinks;
  // A story or link group joins only the mentions within this long after
  // its earliest member, and only trees whose root is within this long
  // after the cascade's root (a link shared for months is not one story).
  int64_t join_window_ms = 72 * 3'600'000LL;
  // List at most this many members per reported cascade (-1: all). Members
  // cost memory; the figures above them do not.
  int64_t max_members = -1;
};

// Collects compact per-mention records from a stream of mentions (a store
// scan, a connector) and reconstructs the cascades among them. Keeps per
// mention about 56 bytes plus its id: the hashes of its id and its parent's
// id, its time, channel, interned author and site, and one 16-byte record per
// story, link and url; never the Mention. Ids are matched by 64-bit hash
// (Hash64), so two distinct ids colliding would be taken as one: about one
// chance in 10^7 at ten million mentions. Not thread-safe.
class CascadeBuilder {
 public:
  // Records `m`. Uses id, reshare_of / in_reply_to / quote_of (the first
  // set, in that order, is the parent), story_id, url, links, created_at_ms,
  // channel, site and author.handle. Of several mentions with the same id
  // only the first added counts. Mentions may arrive in any order.
  void Add(const Mention& m);

  // Returns how many mentions were added (repeated ids included).
  int64_t added() const { return static_cast<int64_t>(nodes_.size()); }

  // Returns the cascades among the added mentions, largest first (size,
  // then earlier start, then root id). Deterministic: independent of the
  // order of Add calls. Cycles in the relations (bad data) are broken at
  // their earliest member, which becomes a root.
  std::vector<Cascade> Build(const CascadeOptions& options) const;

 private:
  struct Node {
    uint64_t id_hash = 0;
    uint64_t parent_hash = 0;  // 0: no parent
    int64_t created_ms = 0;
    uint64_t id_offset = 0;    // into ids_
    uint32_t id_size = 0;
    int32_t author = -1;       // index into authors_
    int32_t site = -1;         // index into sites_
    Channel channel = Channel::kOther;
    CascadeLink relation = CascadeLink::kRoot;
  };
  // A story or link key shared by mentions: joins their trees.
  struct GroupRef {
    uint64_t key = 0;  // hash of "s\n<story_id>" or "l\n<normalised url>"
    int32_t node = 0;
  };

  int32_t Intern(std::string_view s, std::vector<std::string>& names,
                 std::unordered_map<std::string, int32_t>& index);
  std::string_view IdOf(int32_t node) const {
    return std::string_view(ids_).substr(nodes_[static_cast<size_t>(node)].id_offset,
                                         nodes_[static_cast<size_t>(node)].id_size);
  }
  // Returns true when node a comes before node b: earlier created_at, then id.
  bool Earlier(int32_t a, int32_t b) const;

  std::vector<Node> nodes_;
  std::string ids_;                  // every mention id, back to back
  std::vector<GroupRef> stories_;
  std::vector<GroupRef> links_;
  std::vector<std::string> authors_;
  std::unordered_map<std::string, int32_t> author_index_;
  std::vector<std::string> sites_;
  std::unordered_map<std::string, int32_t> site_index_;
};

// Returns the key under which `url` joins a shared-link group: lower-case
// scheme-less host without "www.", the path and query, no fragment and no
// trailing '/'. Returns "" for a site's front page (no path), which says
// nothing about a story, and for anything without a host.
std::string NormalizeLinkForCascade(std::string_view url);

}  // namespace earshot::analytics
