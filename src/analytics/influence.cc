#include "analytics/influence.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <utility>

#include "analytics/cascade.h"
#include "analytics/igraph_util.h"
#include "core/hash.h"
#include "core/strings.h"

namespace earshot::analytics {
namespace {

// Interaction kinds as stored in the compact edge records.
enum Kind : uint8_t {
  kReshare = 0,
  kQuote = 1,
  kReply = 2,
  kMention = 3,
  kLink = 4,             // a link from an original post
  kLinkFromReshare = 5,  // a link carried by a reshare or quote: the page passed on
  kSharedPage = 6,       // author -> author: a link to the page of the target's mention
};

double WeightOf(const InteractionWeights& w, uint8_t kind) {
  switch (kind) {
    case kReshare: return w.reshare;
    case kQuote: return w.quote;
    case kReply: return w.reply;
    case kMention: return w.mention;
    case kSharedPage: return w.shared_page;
    default: return w.link;
  }
}

Status Validate(const InfluenceOptions& o) {
  const InteractionWeights& w = o.weights;
  for (double x : {w.reshare, w.quote, w.reply, w.mention, w.shared_page, w.link}) {
    if (!(x >= 0) || !std::isfinite(x)) return Status::InvalidArgument("InfluenceOptions.weights: must be finite and >= 0");
  }
  if (!(o.damping > 0 && o.damping < 1)) return Status::InvalidArgument("InfluenceOptions.damping: must be in (0, 1)");
  for (double x : {o.pagerank_weight, o.reach_weight, o.engagement_weight}) {
    if (!(x >= 0) || !std::isfinite(x)) return Status::InvalidArgument("InfluenceOptions: part weights must be >= 0");
  }
  if (o.pagerank_weight + o.reach_weight + o.engagement_weight <= 0) {
    return Status::InvalidArgument("InfluenceOptions: pagerank_weight, reach_weight and engagement_weight are all 0");
  }
  if (!(o.focus_weight >= 0 && o.focus_weight <= 1)) {
    return Status::InvalidArgument("InfluenceOptions.focus_weight: must be in [0, 1]");
  }
  if (o.top_n < 0) return Status::InvalidArgument("InfluenceOptions.top_n: must be >= 0");
  return Status::Ok();
}

uint64_t IdHash(std::string_view id) { return Hash64(id); }

// Sums the weights of parallel edges (key = from << 32 | to) and returns the
// graph PageRank consumes; `inbound` receives each vertex's weighted in-degree.
WeightedEdges Collapse(std::vector<std::pair<uint64_t, double>>& edges, int64_t nodes, std::vector<double>* inbound) {
  std::sort(edges.begin(), edges.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  WeightedEdges g;
  g.nodes = nodes;
  inbound->assign(static_cast<size_t>(nodes), 0.0);
  for (size_t i = 0; i < edges.size();) {
    double w = 0;
    size_t j = i;
    for (; j < edges.size() && edges[j].first == edges[i].first; ++j) w += edges[j].second;
    const auto from = static_cast<int32_t>(edges[i].first >> 32);
    const auto to = static_cast<int32_t>(edges[i].first & 0xffffffffu);
    if (w > 0) {
      g.from.push_back(from);
      g.to.push_back(to);
      g.weight.push_back(w);
      (*inbound)[static_cast<size_t>(to)] += w;
    }
    i = j;
  }
  std::vector<std::pair<uint64_t, double>>().swap(edges);
  return g;
}

uint64_t EdgeKey(int32_t from, int32_t to) {
  return (static_cast<uint64_t>(static_cast<uint32_t>(from)) << 32) | static_cast<uint32_t>(to);
}

// Returns log(x / lo) / log(hi / lo) clamped to [0, 1]: where x sits between
// lo and hi on a log scale (0 when hi == lo).
double LogPosition(double x, double lo, double hi) {
  if (!(hi > lo) || !(x > 0) || !(lo > 0)) return 0;
  return std::clamp(std::log(x / lo) / std::log(hi / lo), 0.0, 1.0);
}

std::vector<double> AverageRanks(const std::vector<double>& v) {
  std::vector<size_t> idx(v.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return v[a] < v[b]; });
  std::vector<double> rank(v.size());
  for (size_t i = 0; i < idx.size();) {
    size_t j = i;
    while (j + 1 < idx.size() && v[idx[j + 1]] == v[idx[i]]) ++j;
    const double r = (static_cast<double>(i) + static_cast<double>(j)) / 2.0 + 1.0;
    for (size_t k = i; k <= j; ++k) rank[idx[k]] = r;
    i = j + 1;
  }
  return rank;
}

}  // namespace

double SpearmanCorrelation(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size() || a.size() < 2) return 0;
  const std::vector<double> ra = AverageRanks(a), rb = AverageRanks(b);
  const double n = static_cast<double>(a.size());
  const double mean = (n + 1) / 2;
  double sab = 0, saa = 0, sbb = 0;
  for (size_t i = 0; i < ra.size(); ++i) {
    sab += (ra[i] - mean) * (rb[i] - mean);
    saa += (ra[i] - mean) * (ra[i] - mean);
    sbb += (rb[i] - mean) * (rb[i] - mean);
  }
  if (saa == 0 || sbb == 0) return 0;
  return sab / std::sqrt(saa * sbb);
}

InteractionGraphBuilder::InteractionGraphBuilder(const InteractionGraphOptions& options) : options_(options) {}

int32_t InteractionGraphBuilder::InternAuthor(std::string_view source, std::string_view handle) {
  if (handle.empty()) return -1;
  std::string key(source);
  key.push_back('\n');
  key += AsciiLower(handle);
  auto [it, inserted] = author_index_.try_emplace(std::move(key), static_cast<int32_t>(authors_.size()));
  if (inserted) {
    author_source_.emplace_back(source);
    author_handle_.emplace_back(handle);
    authors_.emplace_back();
  }
  return it->second;
}

int32_t InteractionGraphBuilder::InternSite(std::string_view site) {
  if (site.empty()) return -1;
  auto [it, inserted] = site_index_.try_emplace(std::string(site), static_cast<int32_t>(sites_.size()));
  if (inserted) {
    site_names_.emplace_back(site);
    sites_.emplace_back();
  }
  return it->second;
}

void InteractionGraphBuilder::Add(const Mention& m) {
  const int32_t author = InternAuthor(m.source, m.author.handle);
  const int32_t site = InternSite(m.site);
  posts_.push_back({IdHash(m.id), author, site});
  if (author >= 0) {
    AuthorStats& a = authors_[static_cast<size_t>(author)];
    ++a.mentions;
    a.followers = std::max(a.followers, m.author.followers);
    bool known = false;
    for (int64_t x : {m.engagement.likes, m.engagement.reshares, m.engagement.replies, m.engagement.quotes}) {
      if (x >= 0) {
        a.engagement += x;
        known = true;
      }
    }
    if (known) ++a.engagement_known;
    if (options_.watch_id) {
      for (const WatchMatch& w : m.watches) {
        if (w.watch_id == *options_.watch_id) {
          ++a.matched;
          break;
        }
      }
    }
  }
  if (site >= 0) ++sites_[static_cast<size_t>(site)].mentions;

  const std::pair<const std::string*, uint8_t> parents[] = {
      {&m.reshare_of, kReshare}, {&m.quote_of, kQuote}, {&m.in_reply_to, kReply}};
  for (const auto& [id, kind] : parents) {
    if (!id->empty() && *id != m.id) pending_.push_back({IdHash(*id), author, site, kind});
  }
  if (author >= 0) {
    for (const std::string& h : m.mentioned) {
      const int32_t to = InternAuthor(m.source, h);
      if (to >= 0 && to != author) direct_.push_back({author, to, kMention});
    }
  }
  if (author >= 0) {
    if (std::string page = NormalizeLinkForCascade(m.url); !page.empty()) pages_.push_back({IdHash(page), author});
    for (const std::string& link : m.links) {
      if (std::string page = NormalizeLinkForCascade(link); !page.empty()) {
        shared_pages_.push_back({IdHash(page), author, site, kSharedPage});
      }
    }
  }
  if (site >= 0 && !m.links.empty()) {
    const uint8_t kind = m.reshare_of.empty() && m.quote_of.empty() ? kLink : kLinkFromReshare;
    for (const std::string& link : m.links) {
      const std::string target = SiteOfUrl(link);
      if (target.empty() || target == m.site) continue;
      site_links_.push_back({site, InternSite(target), kind});
    }
  }
}

Result<std::vector<InfluencerScore>> InteractionGraphBuilder::RankInfluencers(const InfluenceOptions& options) const {
  EARSHOT_RETURN_IF_ERROR(Validate(options));
  const auto n = static_cast<int64_t>(authors_.size());

  // Resolve reply, reshare and quote targets to their authors by merging the
  // interactions with the posts, both sorted by id hash.
  std::vector<std::pair<uint64_t, int32_t>> by_id(posts_.size());
  for (size_t i = 0; i < posts_.size(); ++i) by_id[i] = {posts_[i].id_hash, posts_[i].author};
  std::sort(by_id.begin(), by_id.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::pair<uint64_t, double>> edges;
  edges.reserve(pending_.size() + shared_pages_.size() + direct_.size());
  const auto resolve = [&](const std::vector<Pending>& from, const std::vector<std::pair<uint64_t, int32_t>>& targets) {
    for (const Pending& p : from) {
      if (p.author < 0) continue;
      auto it = std::lower_bound(targets.begin(), targets.end(), p.parent_hash,
                                 [](const auto& e, uint64_t h) { return e.first < h; });
      // Several mentions may share a url (an article and its feed copy):
      // each distinct author among them is a target.
      for (; it != targets.end() && it->first == p.parent_hash; ++it) {
        if (it->second < 0 || it->second == p.author) continue;
        edges.push_back({EdgeKey(p.author, it->second), WeightOf(options.weights, p.kind)});
        if (p.kind != kSharedPage) break;  // ids are unique: the first is the mention
      }
    }
  };
  resolve(pending_, by_id);
  std::vector<std::pair<uint64_t, int32_t>>().swap(by_id);
  {
    std::vector<std::pair<uint64_t, int32_t>> pages = pages_;
    std::sort(pages.begin(), pages.end());
    pages.erase(std::unique(pages.begin(), pages.end()), pages.end());
    resolve(shared_pages_, pages);
  }
  for (const Direct& d : direct_) edges.push_back({EdgeKey(d.from, d.to), WeightOf(options.weights, d.kind)});

  std::vector<double> inbound;
  WeightedEdges graph = Collapse(edges, n, &inbound);
  std::vector<double> pagerank;
  if (graph.from.empty()) {
    // No interactions: PageRank is uniform and says nothing.
    pagerank.assign(static_cast<size_t>(n), n > 0 ? 1.0 / static_cast<double>(n) : 0.0);
  } else {
    EARSHOT_ASSIGN_OR_RETURN(pagerank, WeightedPageRank(std::move(graph), options.damping));
  }

  // Scale each part to [0, 1] on a log scale over the ranked authors: all
  // three are heavy-tailed, and a log keeps one star from flattening the rest.
  std::vector<int32_t> ranked;
  double pr_lo = 0, pr_hi = 0, reach_hi = 0, eng_hi = 0;
  for (int32_t a = 0; a < n; ++a) {
    const AuthorStats& s = authors_[static_cast<size_t>(a)];
    if (s.mentions < std::max<int64_t>(options.min_mentions, 1)) continue;
    ranked.push_back(a);
    const double pr = pagerank[static_cast<size_t>(a)];
    pr_lo = ranked.size() == 1 ? pr : std::min(pr_lo, pr);
    pr_hi = std::max(pr_hi, pr);
    reach_hi = std::max(reach_hi, std::log1p(static_cast<double>(std::max<int64_t>(s.followers, 0))));
    if (s.engagement_known > 0) {
      eng_hi = std::max(eng_hi, std::log1p(static_cast<double>(s.engagement) / static_cast<double>(s.engagement_known)));
    }
  }
  std::vector<InfluencerScore> out;
  out.reserve(ranked.size());
  for (int32_t a : ranked) {
    const AuthorStats& s = authors_[static_cast<size_t>(a)];
    InfluencerScore r;
    r.source = author_source_[static_cast<size_t>(a)];
    r.author = author_handle_[static_cast<size_t>(a)];
    r.pagerank = pagerank[static_cast<size_t>(a)];
    r.reach = s.followers;
    r.engagement =
        s.engagement_known > 0 ? static_cast<double>(s.engagement) / static_cast<double>(s.engagement_known) : -1;
    r.mentions = s.mentions;
    r.inbound = inbound[static_cast<size_t>(a)];
    // A part the sources never reported (followers on Hacker News, likes in
    // a feed) is left out and the others reweighted, rather than counted as
    // zero: unknown is not small.
    double num = options.pagerank_weight * LogPosition(r.pagerank, pr_lo, pr_hi);
    double den = options.pagerank_weight;
    if (s.followers >= 0 && reach_hi > 0) {
      num += options.reach_weight * std::log1p(static_cast<double>(s.followers)) / reach_hi;
      den += options.reach_weight;
    }
    if (s.engagement_known > 0 && eng_hi > 0) {
      num += options.engagement_weight * std::log1p(r.engagement) / eng_hi;
      den += options.engagement_weight;
    }
    r.score = den > 0 ? num / den : 0;
    if (options_.watch_id) {
      r.focus = static_cast<double>(s.matched) / static_cast<double>(s.mentions);
      r.score *= 1 - options.focus_weight + options.focus_weight * r.focus;
    }
    out.push_back(std::move(r));
  }
  std::sort(out.begin(), out.end(), [](const InfluencerScore& x, const InfluencerScore& y) {
    if (x.score != y.score) return x.score > y.score;
    if (x.pagerank != y.pagerank) return x.pagerank > y.pagerank;
    if (x.source != y.source) return x.source < y.source;
    return x.author < y.author;
  });
  if (options.top_n > 0 && static_cast<int64_t>(out.size()) > options.top_n) out.resize(static_cast<size_t>(options.top_n));
  return out;
}

Result<std::vector<SourceScore>> InteractionGraphBuilder::RankSources(const InfluenceOptions& options) const {
  EARSHOT_RETURN_IF_ERROR(Validate(options));
  const auto n = static_cast<int64_t>(sites_.size());
  std::vector<int64_t> links_in(static_cast<size_t>(n), 0), reshares_in(static_cast<size_t>(n), 0);
  std::vector<std::pair<uint64_t, double>> edges;
  edges.reserve(site_links_.size());
  for (const Direct& d : site_links_) {
    edges.push_back({EdgeKey(d.from, d.to), options.weights.link});
    ++links_in[static_cast<size_t>(d.to)];
    if (d.kind == kLinkFromReshare) ++reshares_in[static_cast<size_t>(d.to)];
  }
  // Reshares, quotes and replies that cross sites (a toot quoting a post on
  // another instance, a forum reply to a blog comment) also point at a site.
  std::vector<std::pair<uint64_t, int32_t>> by_id;
  for (const Post& p : posts_) {
    if (p.site >= 0) by_id.push_back({p.id_hash, p.site});
  }
  std::sort(by_id.begin(), by_id.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const Pending& p : pending_) {
    if (p.site < 0) continue;
    auto it = std::lower_bound(by_id.begin(), by_id.end(), p.parent_hash,
                               [](const auto& e, uint64_t h) { return e.first < h; });
    if (it == by_id.end() || it->first != p.parent_hash || it->second == p.site) continue;
    edges.push_back({EdgeKey(p.site, it->second), WeightOf(options.weights, p.kind)});
    if (p.kind != kReply) ++reshares_in[static_cast<size_t>(it->second)];
  }
  std::vector<std::pair<uint64_t, int32_t>>().swap(by_id);

  std::vector<double> inbound;
  WeightedEdges graph = Collapse(edges, n, &inbound);
  std::vector<double> pagerank;
  if (graph.from.empty()) {
    pagerank.assign(static_cast<size_t>(n), n > 0 ? 1.0 / static_cast<double>(n) : 0.0);
  } else {
    EARSHOT_ASSIGN_OR_RETURN(pagerank, WeightedPageRank(std::move(graph), options.damping));
  }
  std::vector<SourceScore> out;
  for (int32_t s = 0; s < n; ++s) {
    const auto i = static_cast<size_t>(s);
    if (sites_[i].mentions < options.min_mentions && links_in[i] == 0) continue;
    out.push_back({site_names_[i], pagerank[i], links_in[i], reshares_in[i], sites_[i].mentions});
  }
  std::sort(out.begin(), out.end(), [](const SourceScore& x, const SourceScore& y) {
    if (x.score != y.score) return x.score > y.score;
    return x.site < y.site;
  });
  if (options.top_n > 0 && static_cast<int64_t>(out.size()) > options.top_n) out.resize(static_cast<size_t>(options.top_n));
  return out;
}

}  // namespace earshot::analytics
