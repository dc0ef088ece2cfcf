// Influencers and influential sources. An interaction graph is built from a
// stream of mentions: author -> author for replies, reshares, quotes and
// @mentions (each pointing at the author reacted to), site -> site for links
// between sites. Authors are ranked by weighted PageRank on it combined with
// reach (followers), engagement and topical focus on a watch; sites by
// PageRank on the site graph. docs/INFLUENCE.md gives the formula and why,
// and its agreement with the simulator's true influence.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/mention.h"
#include "core/status.h"

namespace earshot::analytics {

// Edge weights per kind of interaction: how much one such interaction says
// that its target is worth listening to.
struct InteractionWeights {
  double reshare = 1.0;  // passing the post on unchanged: the strongest endorsement
  double quote = 0.8;    // passing it on with a comment
  double reply = 0.5;    // attention, not necessarily agreement
  double mention = 0.3;  // naming someone: weakest, often just addressing them
  // author -> author: a link to a page another mention was published at
  // (sharing someone's article is resharing it)
  double shared_page = 1.0;
  double link = 1.0;     // site -> site: a link to another site's page
};

// How RankInfluencers and RankSources weigh and select.
struct InfluenceOptions {
  InteractionWeights weights;
  // PageRank damping factor, in (0, 1).
  double damping = 0.85;
  // Weights of the score's parts, each part scaled to [0, 1] first
  // (docs/INFLUENCE.md). Must not all be 0.
  double pagerank_weight = 0.4;
  double reach_weight = 0.3;
  double engagement_weight = 0.3;
  // With a watch (InteractionGraphOptions::watch_id), the score is
  // multiplied by (1 - focus_weight + focus_weight * focus), focus being the
  // share of the author's mentions that matched the watch. In [0, 1].
  double focus_weight = 0.5;
  // Rank only authors (sites) with at least this many mentions of their own.
  int64_t min_mentions = 1;
  // Return only the best this many (0: all).
  int64_t top_n = 0;
};

// One ranked author, with the parts of its score.
struct InfluencerScore {
  std::string source;  // platform, Mention::source ("x", "mastodon", "feed", ...)
  std::string author;  // handle as first seen
  double score = 0;    // the combined score, in [0, 1]
  double pagerank = 0; // raw PageRank in the author graph (all authors sum to 1)
  int64_t reach = -1;  // followers, the largest value seen; -1 when never reported
  // Mean likes + reshares + replies + quotes per mention, over the mentions
  // whose source reported any of them; -1 when none did.
  double engagement = -1;
  double focus = 1;       // share of mentions matching the watch; 1 without a watch
  int64_t mentions = 0;   // mentions by this author
  double inbound = 0;     // weighted interactions received from other authors
};

// One ranked site.
struct SourceScore {
  std::string site;
  double score = 0;  // PageRank in the site graph (all sites sum to 1)
  int64_t inbound_links = 0;     // links to this site from mentions on other sites
  int64_t inbound_reshares = 0;  // of those, from reshares and quotes; plus cross-site reshares
  int64_t mentions = 0;          // mentions published on this site
};

// What InteractionGraphBuilder records besides the graph.
struct InteractionGraphOptions {
  // Topical focus is measured against this watch (WatchMatch::watch_id).
  std::optional<int64_t> watch_id;
};

// Collects the interaction graph from a stream of mentions in any order
// (a store scan, a connector) without keeping the mentions: per mention a
// 16-byte record (id hash, author, site), per interaction one 24-byte
// record, per author and site a small aggregate. Reply, reshare and quote
// targets are resolved by mention id when ranking, so a parent may arrive
// after its children; ids match by 64-bit hash. Not thread-safe; the Rank
// calls are const and may run while nothing is added.
class InteractionGraphBuilder {
 public:
  explicit InteractionGraphBuilder(const InteractionGraphOptions& options = {});

  // Records `m`: its author (source + handle, case-folded) with followers,
  // engagement and whether it matched the watch; an interaction towards the
  // author of reshare_of, in_reply_to or quote_of and towards the author of
  // any mention whose url one of its links names (both resolved later),
  // towards each @mentioned handle on the same source, and site -> linked
  // site for each link to another site. Self-interactions are dropped.
  void Add(const Mention& m);

  // Returns how many mentions were added.
  int64_t mentions() const { return static_cast<int64_t>(posts_.size()); }
  // Returns how many interactions were recorded so far (before resolution).
  int64_t interactions() const {
    return static_cast<int64_t>(pending_.size() + shared_pages_.size() + direct_.size() + site_links_.size());
  }

  // Returns the authors with at least options.min_mentions mentions, best
  // first (score, then pagerank, then source and handle). Errors:
  // InvalidArgument naming a bad option, ResourceExhausted or Internal from
  // igraph.
  Result<std::vector<InfluencerScore>> RankInfluencers(const InfluenceOptions& options) const;

  // Returns the sites with at least options.min_mentions mentions or one
  // inbound link, by PageRank in the site graph (links between sites and
  // reshares or quotes across sites). Errors as RankInfluencers.
  Result<std::vector<SourceScore>> RankSources(const InfluenceOptions& options) const;

 private:
  struct Post {
    uint64_t id_hash;
    int32_t author;
    int32_t site;
  };
  struct Pending {  // a reply, reshare, quote (target: a mention id) or shared page (target: a url)
    uint64_t parent_hash;
    int32_t author;
    int32_t site;
    uint8_t kind;
  };
  struct Direct {  // author -> author known at Add time (@mention) or site -> site (link)
    int32_t from;
    int32_t to;
    uint8_t kind;
  };
  struct AuthorStats {
    int64_t mentions = 0;
    int64_t matched = 0;
    int64_t followers = -1;
    int64_t engagement = 0;
    int64_t engagement_known = 0;  // mentions whose source reported any engagement count
  };
  struct SiteStats {
    int64_t mentions = 0;
  };

  int32_t InternAuthor(std::string_view source, std::string_view handle);
  int32_t InternSite(std::string_view site);

  InteractionGraphOptions options_;
  std::vector<Post> posts_;
  std::vector<Pending> pending_;
  std::vector<Pending> shared_pages_;                  // parent_hash: hash of the normalised link
  std::vector<std::pair<uint64_t, int32_t>> pages_;    // hash of a mention's normalised url -> author
  std::vector<Direct> direct_;      // author graph
  std::vector<Direct> site_links_;  // site graph
  std::vector<std::string> author_source_;
  std::vector<std::string> author_handle_;
  std::vector<AuthorStats> authors_;
  std::unordered_map<std::string, int32_t> author_index_;
  std::vector<std::string> site_names_;
  std::vector<SiteStats> sites_;
  std::unordered_map<std::string, int32_t> site_index_;
};

// Returns Spearman's rank correlation of `a` and `b` (average ranks for
// ties), or 0 when fewer than two pairs or a side is constant.
// REQUIRES: a.size() == b.size().
double SpearmanCorrelation(const std::vector<double>& a, const std::vector<double>& b);

}  // namespace earshot::analytics
