#include "analytics/cascade.h"

#include <algorithm>
#include <array>
#include <numeric>
#include <utility>

#include "core/hash.h"
#include "core/strings.h"

namespace earshot::analytics {
namespace {

constexpr int kChannels = static_cast<int>(std::size(kAllChannels));
constexpr int kLinks = 6;

// Union-find over node indices, path halving, union by size.
class DisjointSets {
 public:
  explicit DisjointSets(size_t n) : parent_(n), size_(n, 1) { std::iota(parent_.begin(), parent_.end(), 0); }
  int32_t Find(int32_t x) {
    while (parent_[static_cast<size_t>(x)] != x) {
      auto& p = parent_[static_cast<size_t>(x)];
      p = parent_[static_cast<size_t>(p)];
      x = p;
    }
    return x;
  }
  // Unites the sets of a and b; returns the representative of the union.
  int32_t Unite(int32_t a, int32_t b) {
    a = Find(a);
    b = Find(b);
    if (a == b) return a;
    if (size_[static_cast<size_t>(a)] < size_[static_cast<size_t>(b)]) std::swap(a, b);
    parent_[static_cast<size_t>(b)] = a;
    size_[static_cast<size_t>(a)] += size_[static_cast<size_t>(b)];
    return a;
  }

 private:
  std::vector<int32_t> parent_;
  std::vector<int32_t> size_;
};

uint64_t GroupKey(char kind, std::string_view value) {
  // The kind byte keeps a story id and a URL with the same text apart.
  const uint64_t h = Hash64(value, static_cast<uint64_t>(kind));
  return h == 0 ? 1 : h;
}

uint64_t IdHash(std::string_view id) {
  // 0 marks "no parent", so no id may hash to it.
  const uint64_t h = Hash64(id);
  return h == 0 ? 1 : h;
}

}  // namespace

std::string_view CascadeLinkName(CascadeLink link) {
  switch (link) {
    case CascadeLink::kRoot: return "root";
    case CascadeLink::kReply: return "reply";
    case CascadeLink::kReshare: return "reshare";
    case CascadeLink::kQuote: return "quote";
    case CascadeLink::kStory: return "story";
    case CascadeLink::kSharedLink: return "shared_link";
  }
  return "root";
}

std::string NormalizeLinkForCascade(std::string_view url) {
  url = TrimAscii(url);
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return "";
  url.remove_prefix(scheme + 3);
  if (const size_t hash = url.find('#'); hash != std::string_view::npos) url = url.substr(0, hash);
  const size_t host_end = url.find_first_of("/?");
  std::string_view host = url.substr(0, host_end);
  std::string_view rest = host_end == std::string_view::npos ? std::string_view() : url.substr(host_end);
  if (const size_t at = host.rfind('@'); at != std::string_view::npos) host.remove_prefix(at + 1);
  if (const size_t colon = host.find(':'); colon != std::string_view::npos) host = host.substr(0, colon);
  std::string out = AsciiLower(host);
  if (out.rfind("www.", 0) == 0) out.erase(0, 4);
  if (out.empty()) return "";
  const size_t q = rest.find('?');
  std::string_view path = rest.substr(0, q);
  const std::string_view query = q == std::string_view::npos ? std::string_view() : rest.substr(q + 1);
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  if (path.empty() && query.empty()) return "";
  out.append(path);
  if (!query.empty()) out.append("?").append(query);
  return out;
}

int32_t CascadeBuilder::Intern(std::string_view s, std::vector<std::string>& names,
                               std::unordered_map<std::string, int32_t>& index) {
  auto [it, inserted] = index.try_emplace(std::string(s), static_cast<int32_t>(names.size()));
  if (inserted) names.emplace_back(s);
  return it->second;
}

void CascadeBuilder::Add(const Mention& m) {
  const int32_t node = static_cast<int32_t>(nodes_.size());
  Node n;
  n.id_hash = IdHash(m.id);
  n.created_ms = m.created_at_ms;
  n.id_offset = ids_.size();
  n.id_size = static_cast<uint32_t>(m.id.size());
  ids_.append(m.id);
  n.author = Intern(m.author.handle, authors_, author_index_);
  n.site = Intern(m.site, sites_, site_index_);
  n.channel = m.channel;
  if (!m.reshare_of.empty()) {
    n.parent_hash = IdHash(m.reshare_of);
    n.relation = CascadeLink::kReshare;
  } else if (!m.in_reply_to.empty()) {
    n.parent_hash = IdHash(m.in_reply_to);
    n.relation = CascadeLink::kReply;
  } else if (!m.quote_of.empty()) {
    n.parent_hash = IdHash(m.quote_of);
    n.relation = CascadeLink::kQuote;
  }
  nodes_.push_back(n);
  if (!m.story_id.empty()) stories_.push_back({GroupKey('s', m.story_id), node});
  // A mention's own url joins the group of the links that point at it: the
  // blog post and the microblog posts sharing it.
  if (std::string key = NormalizeLinkForCascade(m.url); !key.empty()) links_.push_back({GroupKey('l', key), node});
  for (const std::string& link : m.links) {
    if (std::string key = NormalizeLinkForCascade(link); !key.empty()) links_.push_back({GroupKey('l', key), node});
  }
}

bool CascadeBuilder::Earlier(int32_t a, int32_t b) const {
  const Node& x = nodes_[static_cast<size_t>(a)];
  const Node& y = nodes_[static_cast<size_t>(b)];
  if (x.created_ms != y.created_ms) return x.created_ms < y.created_ms;
  return IdOf(a) < IdOf(b);
}

std::vector<Cascade> CascadeBuilder::Build(const CascadeOptions& options) const {
  const size_t n = nodes_.size();
  const auto at = [](auto& v, int32_t i) -> auto& { return v[static_cast<size_t>(i)]; };

  // 1. Distinct ids: of repeated ids the first added survives. `by_hash`
  // then resolves parent ids by binary search, so Add needs no hash table.
  std::vector<std::pair<uint64_t, int32_t>> by_hash(n);
  for (size_t i = 0; i < n; ++i) by_hash[i] = {nodes_[i].id_hash, static_cast<int32_t>(i)};
  std::sort(by_hash.begin(), by_hash.end());
  std::vector<uint8_t> alive(n, 0);
  {
    size_t w = 0;
    for (size_t i = 0; i < n; ++i) {
      if (w > 0 && by_hash[w - 1].first == by_hash[i].first) continue;
      by_hash[w++] = by_hash[i];
      alive[static_cast<size_t>(by_hash[i].second)] = 1;
    }
    by_hash.resize(w);
  }
  const auto lookup = [&](uint64_t h) -> int32_t {
    auto it = std::lower_bound(by_hash.begin(), by_hash.end(), std::make_pair(h, int32_t{-1}));
    return it != by_hash.end() && it->first == h ? it->second : -1;
  };

  // 2. Explicit relations. A parent that was never added leaves a root.
  std::vector<int32_t> parent(n, -1);
  std::vector<CascadeLink> link(n, CascadeLink::kRoot);
  std::vector<uint8_t> missing_parent(n, 0);
  for (size_t i = 0; i < n; ++i) {
    if (!alive[i] || nodes_[i].parent_hash == 0) continue;
    const int32_t p = lookup(nodes_[i].parent_hash);
    if (p < 0) {
      missing_parent[i] = 1;
    } else if (p != static_cast<int32_t>(i)) {
      parent[i] = p;
      link[i] = nodes_[i].relation;
    }
  }

  // 3. Break cycles (bad data) at their earliest member, so the result does
  // not depend on where the walk entered the cycle.
  {
    std::vector<uint8_t> state(n, 0);  // 0 new, 1 on the current walk, 2 done
    std::vector<int32_t> walk;
    for (size_t start = 0; start < n; ++start) {
      if (!alive[start] || state[start] != 0) continue;
      walk.clear();
      int32_t cur = static_cast<int32_t>(start);
      while (cur >= 0 && at(state, cur) == 0) {
        at(state, cur) = 1;
        walk.push_back(cur);
        cur = at(parent, cur);
      }
      if (cur >= 0 && at(state, cur) == 1) {
        const auto first = std::find(walk.begin(), walk.end(), cur);
        int32_t cut = cur;
        for (auto it = first; it != walk.end(); ++it) {
          if (Earlier(*it, cut)) cut = *it;
        }
        at(parent, cut) = -1;
        at(link, cut) = CascadeLink::kRoot;
      }
      for (int32_t v : walk) at(state, v) = 2;
    }
  }

  // 4. Trees of explicit relations as disjoint sets; `top` is each set's root.
  DisjointSets sets(n);
  for (size_t i = 0; i < n; ++i) {
    if (alive[i] && parent[i] >= 0) sets.Unite(static_cast<int32_t>(i), parent[i]);
  }
  std::vector<int32_t> top(n, -1);
  for (size_t i = 0; i < n; ++i) {
    if (alive[i] && parent[i] < 0) top[static_cast<size_t>(sets.Find(static_cast<int32_t>(i)))] = static_cast<int32_t>(i);
  }

  // 5. Join trees through shared stories and links. Groups are taken in
  // order of their earliest member; within a group, every tree other than
  // the one with the earliest root hangs its root under the group's
  // earliest member in that tree. So a cascade's root is never moved under
  // a later post, and explicit trees are kept as they are.
  if (options.join != CascadeOptions::Join::kRelations) {
    struct Group {
      size_t begin, end;
      CascadeLink kind;
    };
    std::vector<GroupRef> refs;
    std::vector<Group> groups;
    const auto collect = [&](const std::vector<GroupRef>& source, CascadeLink kind) {
      const size_t base = refs.size();
      for (const GroupRef& r : source) {
        if (alive[static_cast<size_t>(r.node)]) refs.push_back(r);
      }
      std::sort(refs.begin() + static_cast<ptrdiff_t>(base), refs.end(), [&](const GroupRef& a, const GroupRef& b) {
        if (a.key != b.key) return a.key < b.key;
        return a.node != b.node && Earlier(a.node, b.node);
      });
      for (size_t i = base; i < refs.size();) {
        size_t j = i + 1;
        while (j < refs.size() && refs[j].key == refs[i].key) ++j;
        // Only mentions close in time to the group's first one join it: a
        // product page linked all year long is not one story.
        const int64_t last_ms = nodes_[static_cast<size_t>(refs[i].node)].created_ms + options.join_window_ms;
        size_t k = i + 1;
        while (k < j && nodes_[static_cast<size_t>(refs[k].node)].created_ms <= last_ms) ++k;
        if (k - i > 1) groups.push_back({i, k, kind});
        i = j;
      }
    };
    collect(stories_, CascadeLink::kStory);
    if (options.join == CascadeOptions::Join::kStoriesAndLinks) collect(links_, CascadeLink::kSharedLink);
    std::sort(groups.begin(), groups.end(), [&](const Group& a, const Group& b) {
      const int32_t x = refs[a.begin].node, y = refs[b.begin].node;
      if (x != y) return Earlier(x, y);
      if (a.kind != b.kind) return a.kind < b.kind;
      return refs[a.begin].key < refs[b.begin].key;
    });
    std::vector<int32_t> comps;
    std::vector<int32_t> stamp(n, -1);
    for (size_t g = 0; g < groups.size(); ++g) {
      comps.clear();
      for (size_t i = groups[g].begin; i < groups[g].end; ++i) {
        const int32_t c = sets.Find(refs[i].node);
        if (at(stamp, c) != static_cast<int32_t>(g)) {
          at(stamp, c) = static_cast<int32_t>(g);
          comps.push_back(c);
        }
      }
      if (comps.size() < 2) continue;
      int32_t winner = comps[0];
      for (int32_t c : comps) {
        if (Earlier(at(top, c), at(top, winner))) winner = c;
      }
      int32_t anchor = -1;
      for (size_t i = groups[g].begin; i < groups[g].end && anchor < 0; ++i) {
        if (sets.Find(refs[i].node) == winner) anchor = refs[i].node;
      }
      const int32_t root = at(top, winner);
      const int64_t root_ms = nodes_[static_cast<size_t>(root)].created_ms;
      for (int32_t c : comps) {
        if (c == winner) continue;
        const int32_t r = at(top, c);
        // Implicit joins never stretch a cascade past the window after its
        // root, so chains of look-alike posts do not merge weeks of talk.
        if (nodes_[static_cast<size_t>(r)].created_ms > root_ms + options.join_window_ms) continue;
        at(parent, r) = anchor;
        at(link, r) = groups[g].kind;
        winner = sets.Unite(winner, c);
      }
      at(top, winner) = root;
    }
  }

  // 6. Depth and cascade of every node, breadth-first from each root over a
  // CSR child list.
  std::vector<int32_t> child_start(n + 1, 0);
  for (size_t i = 0; i < n; ++i) {
    if (alive[i] && parent[i] >= 0) ++child_start[static_cast<size_t>(parent[i]) + 1];
  }
  std::partial_sum(child_start.begin(), child_start.end(), child_start.begin());
  std::vector<int32_t> children(static_cast<size_t>(child_start[n]));
  {
    std::vector<int32_t> fill(child_start.begin(), child_start.end() - 1);
    for (size_t i = 0; i < n; ++i) {
      if (alive[i] && parent[i] >= 0) children[static_cast<size_t>(at(fill, parent[i])++)] = static_cast<int32_t>(i);
    }
  }
  std::vector<int32_t> depth(n, 0);
  std::vector<int32_t> root_of(n, -1);
  struct Summary {
    int32_t root;
    int64_t size;
    int64_t start_ms;
  };
  std::vector<Summary> summaries;
  {
    std::vector<int32_t> queue;
    for (size_t r = 0; r < n; ++r) {
      if (!alive[r] || parent[r] >= 0) continue;
      queue.assign(1, static_cast<int32_t>(r));
      int64_t start_ms = nodes_[r].created_ms;
      for (size_t head = 0; head < queue.size(); ++head) {
        const int32_t v = queue[head];
        at(root_of, v) = static_cast<int32_t>(r);
        start_ms = std::min(start_ms, at(nodes_, v).created_ms);
        for (int32_t k = at(child_start, v); k < child_start[static_cast<size_t>(v) + 1]; ++k) {
          const int32_t c = children[static_cast<size_t>(k)];
          at(depth, c) = at(depth, v) + 1;
          queue.push_back(c);
        }
      }
      if (static_cast<int64_t>(queue.size()) >= options.min_size) {
        summaries.push_back({static_cast<int32_t>(r), static_cast<int64_t>(queue.size()), start_ms});
      }
    }
  }

  // 7. Rank, cut to top_n, then fill in the reported cascades only.
  std::sort(summaries.begin(), summaries.end(), [&](const Summary& a, const Summary& b) {
    if (a.size != b.size) return a.size > b.size;
    if (a.start_ms != b.start_ms) return a.start_ms < b.start_ms;
    return IdOf(a.root) < IdOf(b.root);
  });
  if (options.top_n > 0 && static_cast<int64_t>(summaries.size()) > options.top_n) {
    summaries.resize(static_cast<size_t>(options.top_n));
  }
  std::vector<int32_t> slot(n, -1);  // root -> index in `out`
  std::vector<Cascade> out(summaries.size());
  std::vector<std::vector<int32_t>> members(summaries.size());
  struct ChannelFirst {
    int64_t ms = 0;
    int32_t node = -1;
  };
  std::vector<std::array<ChannelFirst, kChannels>> firsts(summaries.size());
  for (size_t k = 0; k < summaries.size(); ++k) {
    const int32_t r = summaries[k].root;
    at(slot, r) = static_cast<int32_t>(k);
    Cascade& c = out[k];
    const Node& rn = at(nodes_, r);
    c.root_id = std::string(IdOf(r));
    c.origin_author = authors_[static_cast<size_t>(rn.author)];
    c.origin_site = sites_[static_cast<size_t>(rn.site)];
    c.origin_channel = rn.channel;
    c.root_parent_missing = at(missing_parent, r) != 0;
    c.start_ms = rn.created_ms;
    c.end_ms = rn.created_ms;
  }
  for (size_t i = 0; i < n; ++i) {
    if (!alive[i]) continue;
    const int32_t k = at(slot, root_of[i]);
    if (k < 0) continue;
    Cascade& c = out[static_cast<size_t>(k)];
    const Node& nd = nodes_[i];
    const int32_t v = static_cast<int32_t>(i);
    ++c.size;
    c.depth = std::max(c.depth, depth[i]);
    c.start_ms = std::min(c.start_ms, nd.created_ms);
    c.end_ms = std::max(c.end_ms, nd.created_ms);
    ++c.by_link[static_cast<int>(link[i])];
    ChannelFirst& f = firsts[static_cast<size_t>(k)][static_cast<size_t>(nd.channel) % kChannels];
    if (f.node < 0 || Earlier(v, f.node)) f = {nd.created_ms, v};
    members[static_cast<size_t>(k)].push_back(v);
  }
  for (size_t k = 0; k < out.size(); ++k) {
    Cascade& c = out[k];
    std::vector<int32_t>& list = members[k];
    std::vector<int32_t> authors;
    authors.reserve(list.size());
    for (int32_t v : list) authors.push_back(at(nodes_, v).author);
    std::sort(authors.begin(), authors.end());
    c.authors = std::unique(authors.begin(), authors.end()) - authors.begin();
    for (const ChannelFirst& f : firsts[k]) {
      if (f.node >= 0) c.path.push_back({at(nodes_, f.node).channel, f.ms, std::string(IdOf(f.node))});
    }
    std::sort(c.path.begin(), c.path.end(), [](const ChannelStep& a, const ChannelStep& b) {
      return a.first_ms != b.first_ms ? a.first_ms < b.first_ms : a.channel < b.channel;
    });
    for (const ChannelStep& s : c.path) {
      if (s.channel == Channel::kBlog) c.first_blog_ms = s.first_ms;
      if (s.channel == Channel::kNews) c.first_news_ms = s.first_ms;
    }
    if (c.first_blog_ms && c.first_news_ms) c.blog_to_news_ms = *c.first_news_ms - *c.first_blog_ms;
    std::sort(list.begin(), list.end(), [&](int32_t a, int32_t b) { return Earlier(a, b); });
    if (options.max_members >= 0 && static_cast<int64_t>(list.size()) > options.max_members) {
      list.resize(static_cast<size_t>(options.max_members));
    }
    c.members.reserve(list.size());
    for (int32_t v : list) {
      CascadeMember m;
      m.id = std::string(IdOf(v));
      if (at(parent, v) >= 0) m.parent_id = std::string(IdOf(at(parent, v)));
      m.link = at(link, v);
      m.depth = at(depth, v);
      m.created_at_ms = at(nodes_, v).created_ms;
      m.channel = at(nodes_, v).channel;
      c.members.push_back(std::move(m));
    }
  }
  return out;
}

}  // namespace earshot::analytics
