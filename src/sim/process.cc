#include "sim/process.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <queue>

#include "core/hash.h"
#include "core/strings.h"
#include "sim/huge_pages.h"
#include "sim/lexicon.h"
#include "sim/random.h"

namespace earshot::sim {
namespace {

constexpr int64_t kMinuteMs = 60'000;
constexpr int64_t kHourMs = 3'600'000;
constexpr int64_t kDayMs = 86'400'000;
constexpr int64_t kTickMs = 5 * kMinuteMs;
constexpr int64_t kTwitterEpochMs = 1'288'834'974'657;

// ---- Model parameters (documented in docs/SIMULATOR.md) ---------------------

// Relative volume by local hour (0..23), an average weekday = 1.
constexpr double kHourly[24] = {0.30, 0.18, 0.12, 0.09, 0.09, 0.14, 0.30, 0.58, 0.90, 1.10, 1.20, 1.22,
                                1.15, 1.18, 1.20, 1.15, 1.05, 0.92, 0.80, 0.72, 0.66, 0.60, 0.50, 0.40};
// Relative volume by local weekday, Monday first.
constexpr double kWeekly[7] = {1.00, 1.05, 1.05, 1.00, 0.88, 0.45, 0.50};

// Reactions per post scale with this factor of what the post does.
constexpr double kActReach[kActCount] = {
    /*praise*/ 0.9, /*complaint*/ 1.1, /*question*/ 0.9, /*rec*/ 1.2, /*compare*/ 1.1, /*announce*/ 1.3,
    /*opinion*/ 1.0, /*share*/ 1.0, /*job*/ 0.3, /*spam*/ 0.05, /*outage*/ 1.4, /*support*/ 0.4,
    /*answer*/ 0.5, /*agree*/ 0.25, /*thanks*/ 0.1, /*quote*/ 0.8};
constexpr double kViralitySigma = 1.3;  // log-normal spread of one post's appeal around its author's reach

// Platform a root post goes to, by role: X, Mastodon, blog, news, HN, Reddit, review, community, video.
constexpr double kRootPlatform[kRoleCount][kPlatformCount] = {
    /*official*/ {0.70, 0.05, 0.08, 0, 0, 0, 0, 0.10, 0.07},
    /*support*/ {0.90, 0, 0, 0, 0, 0, 0, 0.10, 0},
    /*sme*/ {0.55, 0.06, 0.08, 0, 0.08, 0.08, 0, 0.10, 0.05},
    /*analyst*/ {0.65, 0.05, 0.25, 0, 0, 0, 0, 0, 0.05},
    /*blogger*/ {0.45, 0.05, 0.40, 0, 0, 0.05, 0, 0, 0.05},
    /*journalist*/ {0.50, 0, 0, 0.50, 0, 0, 0, 0, 0},
    /*customer*/ {0.50, 0.03, 0, 0, 0.05, 0.12, 0.15, 0.15, 0},
    /*prospect*/ {0.50, 0.05, 0, 0, 0.10, 0.20, 0.05, 0.10, 0},
    /*advocate*/ {0.60, 0, 0, 0, 0, 0, 0.15, 0.20, 0.05},
    /*developer*/ {0.55, 0.10, 0, 0, 0.15, 0.15, 0, 0, 0.05},
    /*recruiter*/ {0.80, 0, 0, 0, 0.10, 0.10, 0, 0, 0},
    /*spammer*/ {0.80, 0, 0, 0, 0, 0.10, 0.05, 0.05, 0},
};

struct ActWeight {
  Act act;
  double weight;
};
// What a root post does, by role.
const std::vector<ActWeight>& RootActs(Role role) {
  static const std::vector<ActWeight> kTable[kRoleCount] = {
      /*official*/ {{Act::kAnnounce, 0.6}, {Act::kShare, 0.2}, {Act::kOpinion, 0.2}},
      /*support*/ {{Act::kSupportReply, 1.0}},
      /*sme*/ {{Act::kAnnounce, 0.25}, {Act::kPraise, 0.15}, {Act::kOpinion, 0.35}, {Act::kCompare, 0.1}, {Act::kShare, 0.15}},
      /*analyst*/ {{Act::kOpinion, 0.4}, {Act::kCompare, 0.35}, {Act::kShare, 0.15}, {Act::kAnnounce, 0.1}},
      /*blogger*/ {{Act::kShare, 0.3}, {Act::kOpinion, 0.35}, {Act::kCompare, 0.15}, {Act::kPraise, 0.1}, {Act::kComplaint, 0.1}},
      /*journalist*/ {{Act::kShare, 0.5}, {Act::kOpinion, 0.3}, {Act::kAnnounce, 0.2}},
      /*customer*/ {{Act::kPraise, 0.25}, {Act::kComplaint, 0.25}, {Act::kQuestion, 0.25}, {Act::kCompare, 0.1},
                    {Act::kOpinion, 0.1}, {Act::kRecRequest, 0.05}},
      /*prospect*/ {{Act::kRecRequest, 0.4}, {Act::kQuestion, 0.3}, {Act::kCompare, 0.25}, {Act::kOpinion, 0.05}},
      /*advocate*/ {{Act::kPraise, 0.7}, {Act::kShare, 0.2}, {Act::kCompare, 0.1}},
      /*developer*/ {{Act::kOpinion, 0.4}, {Act::kQuestion, 0.25}, {Act::kComplaint, 0.1}, {Act::kPraise, 0.1},
                     {Act::kCompare, 0.1}, {Act::kRecRequest, 0.05}},
      /*recruiter*/ {{Act::kJobPost, 1.0}},
      /*spammer*/ {{Act::kSpam, 1.0}},
  };
  return kTable[static_cast<int>(role)];
}

Act PickAct(const std::vector<ActWeight>& table, Rng& rng) {
  double total = 0;
  for (const ActWeight& a : table) total += a.weight;
  double u = rng.Uniform() * total;
  for (const ActWeight& a : table) {
    u -= a.weight;
    if (u < 0) return a.act;
  }
  return table.back().act;
}

int64_t Minutes(double m) { return static_cast<int64_t>(m * 60'000.0); }

// A pending post in the schedule: due time, tie-break, its slot in the slab,
// and the two people its emission reads (its author, and the author of the
// post it replies to or reshares), so that the emission loop can prefetch
// the next post's node and people while it formats the current one.
struct HeapKey {
  int64_t t_ms;
  uint64_t order;
  uint32_t slot;
  int32_t author;
  int32_t other;  // parent_author (replies, quotes) or orig_author (reshares); -1 for none
  bool operator>(const HeapKey& o) const { return t_ms != o.t_ms ? t_ms > o.t_ms : order > o.order; }
};

// Pending posts ordered by (time, creation order). Posts due in the tick
// being emitted sit in a small heap; later ones wait in one bucket per
// 5-minute tick (a ring over the next kRingTicks ticks, a heap beyond), so a
// push is O(1) and only the current tick's few hundred posts are ever
// heap-ordered.
class Schedule {
 public:
  Schedule(int64_t start_ms, int64_t tick_ms) : start_ms_(start_ms), tick_ms_(tick_ms), ring_(kRingTicks) {}

  void Push(const HeapKey& k) {
    ++size_;
    const int64_t tick = (k.t_ms - start_ms_) / tick_ms_;
    if (tick <= current_) {
      current_heap_.push_back(k);
      std::push_heap(current_heap_.begin(), current_heap_.end(), std::greater<HeapKey>());
    } else if (tick < current_ + kRingTicks) {
      ring_[static_cast<size_t>(tick % kRingTicks)].push_back(k);
    } else {
      far_.push(k);
    }
  }

  // Makes tick `tick` the current one: its bucket becomes the heap.
  void BeginTick(int64_t tick) {
    current_ = tick;
    std::vector<HeapKey>& bucket = ring_[static_cast<size_t>(tick % kRingTicks)];
    current_heap_.insert(current_heap_.end(), bucket.begin(), bucket.end());
    bucket.clear();
    while (!far_.empty() && (far_.top().t_ms - start_ms_) / tick_ms_ < tick + kRingTicks) {
      const HeapKey k = far_.top();
      far_.pop();
      --size_;
      Push(k);
    }
    std::make_heap(current_heap_.begin(), current_heap_.end(), std::greater<HeapKey>());
  }

  // Returns true while the current tick has posts due before `t1_ms`.
  bool HasDue(int64_t t1_ms) const { return !current_heap_.empty() && current_heap_.front().t_ms < t1_ms; }
  // Returns the post due next in the current tick, or nullptr.
  const HeapKey* Peek() const { return current_heap_.empty() ? nullptr : &current_heap_.front(); }
  HeapKey Pop() {
    std::pop_heap(current_heap_.begin(), current_heap_.end(), std::greater<HeapKey>());
    const HeapKey k = current_heap_.back();
    current_heap_.pop_back();
    --size_;
    return k;
  }
  int64_t size() const { return size_; }

 private:
  static constexpr int64_t kRingTicks = 4096;  // 14 days of 5-minute ticks
  int64_t start_ms_, tick_ms_;
  int64_t current_ = -1;
  int64_t size_ = 0;
  std::vector<HeapKey> current_heap_;
  std::vector<std::vector<HeapKey>> ring_;
  std::priority_queue<HeapKey, std::vector<HeapKey>, std::greater<HeapKey>> far_;
};

// Nodes live in fixed blocks so that a reference stays valid while new
// nodes are added; freed slots are reused.
class NodeSlab {
 public:
  uint32_t Alloc() {
    uint32_t slot;
    if (!free_.empty()) {
      slot = free_.back();
      free_.pop_back();
    } else {
      slot = next_++;
      if ((slot >> kBlockBits) >= blocks_.size()) blocks_.emplace_back(kBlockSize);
    }
    At(slot) = Node();
    return slot;
  }
  void Free(uint32_t slot) { free_.push_back(slot); }
  Node& At(uint32_t slot) { return blocks_[slot >> kBlockBits][slot & (kBlockSize - 1)]; }

 private:
  // 8,192 nodes, 1.5 MB: big enough for huge pages; a block never resizes.
  static constexpr int kBlockBits = 13;
  static constexpr uint32_t kBlockSize = 1u << kBlockBits;
  std::vector<std::vector<Node, HugePageAllocator<Node>>> blocks_;
  std::vector<uint32_t> free_;
  uint32_t next_ = 0;
};

class Process {
 public:
  Process(const World& w, const TextGenerator& text, uint64_t seed, const ProcessOptions& opts, EmissionSink& sink)
      : w_(w), text_(text), opts_(opts), sink_(sink), rng_(seed, 201), seed_(seed) {}

  ProcessStats Run();

 private:
  // ---- Volume profile and the controller ----
  void BuildProfile();
  double BaseRate(int64_t t) const;
  double BaseRateAt(int64_t t) const;  // BaseRate of t's tick, from the table
  double EventRate(int e, int64_t t) const;
  void ScheduleTick(int64_t k);
  void RegionWeights(int64_t t);
  size_t PickRegion();
  // Returns the pool root authors of region `ri` are drawn from: X-only
  // runs draw among the region's X accounts.
  const AliasTable& RootPool(size_t ri) const { return opts_.x_only ? w_.by_region_x[ri] : w_.by_region[ri]; }

  // ---- Creating posts ----
  uint32_t NewNode(int64_t t, Platform platform, Kind kind);
  void Push(uint32_t slot);
  // `draw`: random bits for the first author draw from the region's pool
  // (drawn and prefetched ahead by ScheduleTick), or 0 to draw here.
  uint32_t MakeRoot(int64_t t, size_t region_index, int event, uint64_t draw = 0);
  void ScheduleEventSpecials();
  Platform RootPlatform(const PersonHot& p);
  Act AdaptAct(Act act, Platform platform, const PersonHot& p);
  Subject RootSubject(const PersonHot& p, Act act);
  Lang PostLang(const PersonHot& p, Platform platform, int site);

  // ---- Emitting ----
  void Emit(uint32_t slot);
  int ChooseAuthor(const Node& n);
  uint64_t AssignId(const Node& n);
  RenderContext ContextFor(const Node& n, int author, const ShareRef* share);
  void RenderShare(const ShareRef& ref, std::string& url, std::string& title);
  void ScheduleReactions(const Node& n, int author, uint64_t ext, const Rendered& text, double mu, Emission& e);
  void ScheduleArticleFollowUps(const Node& n, int author, uint64_t ext, const Rendered& text, double mu);
  uint32_t Reaction(const Node& parent, int parent_author, uint64_t parent_ext, const Rendered& text, Kind kind,
                    int64_t delay);
  void MakeIds(const Node& n, int author, uint64_t ext, std::string_view link, Emission& e);
  void TopUp();

  const World& w_;
  const TextGenerator& text_;
  const ProcessOptions& opts_;
  EmissionSink& sink_;
  Rng rng_;
  uint64_t seed_;
  ProcessStats stats_;

  NodeSlab slab_;
  Schedule schedule_{opts_.start_ms, kTickMs};
  uint64_t order_ = 0;

  // Profile: cumulative target volume at each tick boundary.
  int64_t ticks_ = 0;
  std::vector<double> cum_;
  std::vector<double> base_;  // BaseRate at each tick's middle
  double mean_base_ = 1;
  double region_weights_[16] = {};
  double region_weight_sum_ = 0;
  // Controller state.
  int64_t roots_made_ = 0;
  int64_t reactions_from_nonroots_ = 0;
  int64_t nonroot_emitted_ = 0;
  bool done_ = false;
  int64_t last_t_ = 0;
  // A root of the current tick, before its node is made.
  struct PendingRoot {
    int64_t t = 0;
    int event = -1;
    uint32_t region = 0;
    uint64_t draw = 0;  // random bits of its author draw
  };
  std::vector<PendingRoot> roots_;

  // Id state.
  int64_t x_last_ms_ = -1;
  uint64_t x_seq_ = 0;
  int64_t m_last_ms_ = -1;
  uint64_t m_seq_ = 0;
  uint64_t hn_next_ = 41'000'000;
  uint64_t t3_next_ = 36ULL * 36 * 36 * 36 * 36 * 23;
  uint64_t t1_next_ = 36ULL * 36 * 36 * 36 * 36 * 36 * 21;
  std::vector<uint64_t> site_serial_;
  uint64_t csv_serial_[3] = {10'000, 50'000, 70'000};
  int64_t story_next_ = 1;

  // Renderings of X posts that drew reshares, by id, so that their retweets
  // copy the text instead of rendering it again. Direct-mapped.
  struct CachedRender {
    uint64_t key = 0;
    Rendered r;
  };
  static constexpr size_t kRtCacheSize = 1 << 14;
  std::vector<CachedRender> rt_cache_ = std::vector<CachedRender>(kRtCacheSize);

  // Scratch reused across emissions.
  Rendered rendered_, original_;
  std::string id_, parent_id_, link_, share_url_, share_title_, reply_acct_;
  uint64_t share_topics_ = 0;
};

// ---- Profile ------------------------------------------------------------------------

double Process::BaseRateAt(int64_t t) const {
  const int64_t k = (t - opts_.start_ms) / kTickMs;
  if (k >= 0 && k < static_cast<int64_t>(base_.size())) return base_[static_cast<size_t>(k)];
  return BaseRate(t);
}

double Process::BaseRate(int64_t t) const {
  double sum = 0;
  for (size_t i = 0; i < w_.regions.size(); ++i) {
    sum += w_.region_share[i] * Seasonality(t, Regions()[static_cast<size_t>(w_.regions[i])].utc_offset_min);
  }
  const double years = static_cast<double>(t - opts_.start_ms) / (365.0 * kDayMs);
  return sum * std::exp(std::log1p(opts_.yearly_growth) * years);
}

double Process::EventRate(int e, int64_t t) const {
  const MarketEvent& ev = w_.events[static_cast<size_t>(e)];
  if (t < ev.start_ms || t >= ev.end_ms) return 0;
  const double dt = static_cast<double>(t - ev.start_ms);
  double shape;
  if (ev.kind == "launch") {
    shape = std::exp(-dt / static_cast<double>(ev.decay_ms));
  } else {
    const double after = dt - static_cast<double>(ev.decay_ms);
    shape = after <= 0 ? 1.0 : std::exp(-after / (2.0 * kHourMs));
  }
  // Event chatter follows the daily cycle too, only less strongly.
  return ev.amplitude * mean_base_ * shape * (0.4 + 0.6 * BaseRateAt(t) / mean_base_);
}

void Process::BuildProfile() {
  ticks_ = (opts_.end_ms - opts_.start_ms + kTickMs - 1) / kTickMs;
  double base_sum = 0;
  base_.resize(static_cast<size_t>(ticks_));
  for (int64_t k = 0; k < ticks_; ++k) {
    base_[static_cast<size_t>(k)] = BaseRate(opts_.start_ms + k * kTickMs + kTickMs / 2);
    base_sum += base_[static_cast<size_t>(k)];
  }
  mean_base_ = base_sum / static_cast<double>(ticks_);
  cum_.assign(static_cast<size_t>(ticks_) + 1, 0.0);
  for (int64_t k = 0; k < ticks_; ++k) {
    const int64_t mid = opts_.start_ms + k * kTickMs + kTickMs / 2;
    double rate = base_[static_cast<size_t>(k)];
    for (int e = 0; e < static_cast<int>(w_.events.size()); ++e) rate += EventRate(e, mid);
    cum_[static_cast<size_t>(k) + 1] = cum_[static_cast<size_t>(k)] + rate;
  }
  // Normalize to mentions: cum_[k] is the volume due by the start of tick k.
  const double total = cum_.back();
  for (double& c : cum_) c = c / total * static_cast<double>(opts_.mentions);
}

void Process::RegionWeights(int64_t t) {
  region_weight_sum_ = 0;
  const size_t n = std::min<size_t>(w_.regions.size(), 16);
  for (size_t i = 0; i < n; ++i) {
    region_weights_[i] =
        w_.region_share[i] * Seasonality(t, Regions()[static_cast<size_t>(w_.regions[i])].utc_offset_min);
    region_weight_sum_ += region_weights_[i];
  }
}

// Picks a region in proportion to its weight at the current tick.
size_t Process::PickRegion() {
  const size_t n = std::min<size_t>(w_.regions.size(), 16);
  double u = rng_.Uniform() * region_weight_sum_;
  for (size_t i = 0; i < n; ++i) {
    u -= region_weights_[i];
    if (u < 0) return i;
  }
  return n - 1;
}

void Process::ScheduleTick(int64_t k) {
  const int64_t t0 = opts_.start_ms + k * kTickMs;
  const int64_t t1 = std::min(t0 + kTickMs, opts_.end_ms);
  const int64_t mid = t0 + kTickMs / 2;
  // Steer the root count so that emitted plus pending (with the reactions
  // they will still draw) tracks the target volume curve.
  const double n_hat = (0.42 * 500 + static_cast<double>(reactions_from_nonroots_)) /
                       (500 + static_cast<double>(nonroot_emitted_));
  const double pending = static_cast<double>(schedule_.size()) / std::max(0.05, 1.0 - std::min(n_hat, 0.95));
  const double committed = static_cast<double>(stats_.emitted) + pending;
  const double m_hat = (2.0 * 200 + committed) / (200 + static_cast<double>(roots_made_));
  const double target = cum_[static_cast<size_t>(k) + 1];
  const double planned = (cum_[static_cast<size_t>(k) + 1] - cum_[static_cast<size_t>(k)]) / m_hat;
  const double wanted = (target - committed) / m_hat;
  const double mean = std::clamp(planned + 0.25 * (wanted - planned), 0.3 * planned, 4.0 * planned + 2.0);
  const int64_t count = rng_.Poisson(mean);

  // Split the roots between ordinary voices and the events running now.
  RegionWeights(mid);
  const double base = base_[static_cast<size_t>(k)];
  double event_rates[64];
  double rate_sum = base;
  const int n_events = std::min<int>(static_cast<int>(w_.events.size()), 64);
  for (int e = 0; e < n_events; ++e) {
    event_rates[e] = EventRate(e, mid);
    rate_sum += event_rates[e];
  }
  // Three passes, so that the cache misses of the author draws (alias
  // slots, then the authors' records, spread over megabytes) overlap
  // instead of stalling one root at a time.
  roots_.clear();
  for (int64_t i = 0; i < count; ++i) {
    PendingRoot r;
    r.t = t0 + static_cast<int64_t>(rng_.Below(static_cast<uint64_t>(t1 - t0)));
    if (rate_sum > base) {
      double u = rng_.Uniform() * rate_sum - base;
      for (int e = 0; e < n_events && u >= 0; ++e) {
        if (u < event_rates[e]) r.event = e;
        u -= event_rates[e];
      }
    }
    r.region = static_cast<uint32_t>(PickRegion());
    r.draw = rng_.Next() | 1;  // never 0, which means "draw in MakeRoot"
    const AliasTable& pool = RootPool(r.region);
    if (!pool.empty()) pool.Prefetch(r.draw);
    roots_.push_back(r);
  }
  for (const PendingRoot& r : roots_) {
    const AliasTable& pool = RootPool(r.region);
    if (!pool.empty()) __builtin_prefetch(&w_.hot[static_cast<size_t>(pool.SampleBits(r.draw))]);
  }
  for (const PendingRoot& r : roots_) {
    Push(MakeRoot(r.t, r.region, r.event, r.draw));
    ++roots_made_;
  }
}

// ---- Creating posts ----------------------------------------------------------

uint32_t Process::NewNode(int64_t t, Platform platform, Kind kind) {
  const uint32_t slot = slab_.Alloc();
  Node& n = slab_.At(slot);
  n.t_ms = t;
  n.platform = platform;
  n.kind = kind;
  n.spec.seed = rng_.Next();
  return slot;
}

void Process::Push(uint32_t slot) {
  Node& n = slab_.At(slot);
  if (n.t_ms >= opts_.end_ms) {
    ++stats_.cut;
    slab_.Free(slot);
    return;
  }
  // The author is settled when the post is scheduled, not when it is
  // emitted, so that the emission loop can prefetch it.
  if (n.author < 0) n.author = ChooseAuthor(n);
  n.order = order_++;
  schedule_.Push({n.t_ms, n.order, slot, n.author, n.kind == Kind::kReshare ? n.orig_author : n.parent_author});
}

Platform Process::RootPlatform(const PersonHot& p) {
  if (opts_.x_only) return p.On(Platform::kX) ? Platform::kX : Platform::kCount;
  const double* row = kRootPlatform[static_cast<int>(p.role)];
  double u = rng_.Uniform();
  Platform chosen = Platform::kX;
  for (int i = 0; i < kPlatformCount; ++i) {
    u -= row[i];
    if (u < 0) {
      chosen = static_cast<Platform>(i);
      break;
    }
  }
  if (p.On(chosen)) return chosen;
  if (p.On(Platform::kX)) return Platform::kX;
  for (Platform pl : {Platform::kReddit, Platform::kCommunity, Platform::kReview, Platform::kHn, Platform::kMastodon}) {
    if (p.On(pl)) return pl;
  }
  return Platform::kCount;  // nowhere to post
}

// Fits what a post does to where it appears.
Act Process::AdaptAct(Act act, Platform platform, const PersonHot& p) {
  switch (platform) {
    case Platform::kReview:
      if (act == Act::kPraise || act == Act::kComplaint || act == Act::kCompare || act == Act::kSpam) return act;
      return rng_.Chance(0.6) ? Act::kPraise : Act::kComplaint;
    case Platform::kVideo:
      if (act == Act::kComplaint || act == Act::kShare || act == Act::kQuestion || act == Act::kRecRequest ||
          act == Act::kSpam || act == Act::kJobPost) {
        return Act::kOpinion;
      }
      return act;
    case Platform::kBlog:
    case Platform::kNews:
      if (act == Act::kShare || act == Act::kQuestion || act == Act::kRecRequest || act == Act::kSpam ||
          act == Act::kSupportReply) {
        return p.role == Role::kOfficial || p.role == Role::kSme ? Act::kAnnounce : Act::kOpinion;
      }
      return act;
    case Platform::kHn:
    case Platform::kReddit:
    case Platform::kCommunity:
      if (act == Act::kShare || act == Act::kSupportReply) return Act::kOpinion;
      if (act == Act::kJobPost && platform != Platform::kHn) return Act::kOpinion;
      return act;
    default: return act;
  }
}

// A customer speaks mostly about the company whose product their account runs.
Subject Process::RootSubject(const PersonHot& p, Act act) {
  Subject s;
  if (p.company >= 0) {
    s.company = p.company;
  } else if (p.account >= 0 && (p.role == Role::kCustomer || p.role == Role::kAdvocate) && rng_.Chance(0.8)) {
    const uint64_t h = Mix64(static_cast<uint64_t>(p.account) ^ seed_);
    // The vendor supplies about 40% of the customer accounts in this market.
    s.company = static_cast<int16_t>((h % 100) < 40 ? 0 : 1 + (h >> 8) % (w_.companies.size() - 1));
  } else if (p.role == Role::kAdvocate) {
    s.company = 0;
  }
  if (act == Act::kOpinion && p.company < 0) s.company = -1;  // market talk, brands optional
  return s;
}

Lang Process::PostLang(const PersonHot& p, Platform platform, int site) {
  if ((platform == Platform::kBlog || platform == Platform::kNews) && site >= 0) {
    return w_.sites[static_cast<size_t>(site)].lang;
  }
  if (p.lang != Lang::kEn && rng_.Chance(0.15)) return Lang::kEn;
  return p.lang;
}

uint32_t Process::MakeRoot(int64_t t, size_t ri, int event, uint64_t draw) {
  const AliasTable& pool = RootPool(ri);
  int author = -1;
  Platform platform = Platform::kCount;
  for (int tries = 0; tries < 8 && platform == Platform::kCount && !pool.empty(); ++tries) {
    author = (tries == 0 && draw != 0) ? pool.SampleBits(draw) : pool.Sample(rng_);
    platform = RootPlatform(w_.hot[static_cast<size_t>(author)]);
  }
  if (platform == Platform::kCount) {
    author = w_.companies[0].official;
    platform = Platform::kX;
  }
  const PersonHot& p = w_.hot[static_cast<size_t>(author)];
  const uint32_t slot = NewNode(t, platform, Kind::kPost);
  Node& n = slab_.At(slot);
  n.author = author;
  n.event = event;
  Act act = PickAct(RootActs(p.role), rng_);
  n.spec.subject = RootSubject(p, act);
  if (event >= 0) {
    const MarketEvent& ev = w_.events[static_cast<size_t>(event)];
    static const std::vector<ActWeight> kLaunchActs = {{Act::kPraise, 0.3},  {Act::kQuestion, 0.2},
                                                      {Act::kOpinion, 0.15}, {Act::kCompare, 0.15},
                                                      {Act::kRecRequest, 0.1}, {Act::kShare, 0.1}};
    static const std::vector<ActWeight> kIncidentActs = {
        {Act::kOutage, 0.7}, {Act::kComplaint, 0.2}, {Act::kCompare, 0.1}};
    act = PickAct(ev.sentiment == Sentiment::kPositive ? kLaunchActs : kIncidentActs, rng_);
    n.spec.subject = {};
    n.spec.subject.product = static_cast<int16_t>(ev.product);
    n.spec.subject.company = static_cast<int16_t>(ev.company);
    n.spec.need_product = true;
    if (p.role == Role::kSpammer || p.role == Role::kRecruiter) act = Act::kOpinion;
    // Event chatter happens where people talk, not in long-form pieces.
    if ((n.platform == Platform::kBlog || n.platform == Platform::kNews || n.platform == Platform::kVideo ||
         n.platform == Platform::kReview) &&
        p.On(Platform::kX)) {
      n.platform = Platform::kX;
    }
  }
  n.spec.act = AdaptAct(act, n.platform, p);
  if (n.platform == Platform::kBlog) {
    n.site = p.blog_site >= 0 ? p.blog_site : w_.blog_sites[static_cast<size_t>(std::max<int>(0, p.company))];
  } else if (n.platform == Platform::kNews) {
    n.site = p.news_site;
  }
  n.spec.lang = PostLang(p, n.platform, n.site);
  return slot;
}

void Process::ScheduleEventSpecials() {
  for (int e = 0; e < static_cast<int>(w_.events.size()); ++e) {
    const MarketEvent& ev = w_.events[static_cast<size_t>(e)];
    const Company& company = w_.companies[static_cast<size_t>(ev.company)];
    Subject subject;
    subject.company = static_cast<int16_t>(ev.company);
    subject.product = static_cast<int16_t>(ev.product);
    if (ev.kind == "launch") {
      // The company announces on X and on its blog; news picks the story up.
      const uint32_t x = NewNode(ev.start_ms, Platform::kX, Kind::kPost);
      Node& xn = slab_.At(x);
      xn.author = company.official;
      xn.event = e;
      xn.spec.act = Act::kAnnounce;
      xn.spec.subject = subject;
      xn.spec.need_product = true;
      if (!opts_.x_only) {
        const uint32_t blog = NewNode(ev.start_ms + 1000, Platform::kBlog, Kind::kPost);
        Node& bn = slab_.At(blog);
        const uint64_t seed = bn.spec.seed;
        bn = slab_.At(x);
        bn.spec.seed = seed;
        bn.platform = Platform::kBlog;
        bn.t_ms = ev.start_ms + 1000;
        bn.site = w_.blog_sites[static_cast<size_t>(ev.company)];
        Push(blog);
      }
      Push(x);
    } else {
      const int responder = company.support >= 0 ? company.support : company.official;
      const uint32_t status = NewNode(ev.start_ms + 20 * kMinuteMs, Platform::kX, Kind::kPost);
      Node& sn = slab_.At(status);
      sn.author = responder;
      sn.event = e;
      sn.spec.act = Act::kSupportReply;
      sn.spec.subject = subject;
      Push(status);
      if (!opts_.x_only && !w_.news_sites.empty()) {
        const int articles = 1 + static_cast<int>(rng_.Below(3));
        for (int a = 0; a < articles; ++a) {
          const int site = w_.news_sites[rng_.Below(w_.news_sites.size())];
          const uint32_t news = NewNode(ev.start_ms + Minutes(90 + rng_.Uniform() * 240), Platform::kNews, Kind::kPost);
          Node& nn = slab_.At(news);
          nn.site = site;
          nn.event = e;
          nn.spec.act = Act::kOutage;
          nn.spec.subject = subject;
          nn.spec.need_product = true;
          nn.spec.lang = w_.sites[static_cast<size_t>(site)].lang;
          Push(news);
        }
      }
    }
  }
}

// ---- Emitting ----------------------------------------------------------------

int Process::ChooseAuthor(const Node& n) {
  if (n.author >= 0) return n.author;
  if (n.platform == Platform::kNews && n.site >= 0) {
    const auto& writers = w_.sites[static_cast<size_t>(n.site)].writers;
    if (!writers.empty()) return writers[rng_.Below(writers.size())];
  }
  int lang = static_cast<int>(n.spec.lang);
  const AliasTable* on = &w_.by_lang_on[lang][static_cast<int>(n.platform)];
  if (on->empty()) on = &w_.by_lang_on[0][static_cast<int>(n.platform)];
  if (!on->empty()) {
    for (int tries = 0; tries < 24; ++tries) {
      const int a = on->Sample(rng_);
      if (a != n.parent_author) return a;
    }
  }
  if (w_.by_lang[lang].empty()) lang = 0;
  for (int tries = 0; tries < 24; ++tries) {
    const int a = w_.by_lang[lang].Sample(rng_);
    if (a != n.parent_author && w_.hot[static_cast<size_t>(a)].On(n.platform)) return a;
  }
  // Few people of this language use the platform: take anyone who does.
  for (int tries = 0; tries < 256; ++tries) {
    const int a = static_cast<int>(rng_.Below(w_.people.size()));
    const PersonHot& p = w_.hot[static_cast<size_t>(a)];
    if (a != n.parent_author && p.On(n.platform) && p.role != Role::kSupport) return a;
  }
  return w_.companies[0].official;
}

uint64_t Process::AssignId(const Node& n) {
  switch (n.platform) {
    case Platform::kX: {
      // Snowflake: milliseconds since the Twitter epoch, worker 17, a sequence per millisecond.
      if (n.t_ms != x_last_ms_) {
        x_last_ms_ = n.t_ms;
        x_seq_ = 0;
      }
      return (static_cast<uint64_t>(n.t_ms - kTwitterEpochMs) << 22) | (17ULL << 12) | (x_seq_++ & 0xFFF);
    }
    case Platform::kMastodon:
      if (n.t_ms != m_last_ms_) {
        m_last_ms_ = n.t_ms;
        m_seq_ = 0;
      }
      return (static_cast<uint64_t>(n.t_ms) << 16) | (m_seq_++ & 0xFFFF);
    case Platform::kHn: return hn_next_ += 1 + rng_.Below(40);
    case Platform::kReddit:
      return n.kind == Kind::kPost ? (t3_next_ += 1 + rng_.Below(60)) : (t1_next_ += 1 + rng_.Below(400));
    case Platform::kBlog:
    case Platform::kNews: return ++site_serial_[static_cast<size_t>(n.site)];
    case Platform::kReview: return ++csv_serial_[0];
    case Platform::kCommunity: return ++csv_serial_[1];
    case Platform::kVideo: return ++csv_serial_[2];
    default: return 0;
  }
}

double HashtagRate(Role role) {
  switch (role) {
    case Role::kOfficial: return 0.85;
    case Role::kSme: return 0.6;
    case Role::kSpammer: return 0.95;
    case Role::kRecruiter: return 0.8;
    case Role::kAdvocate: return 0.6;
    default: return 0.35;
  }
}

RenderContext Process::ContextFor(const Node& n, int author, const ShareRef* share) {
  RenderContext ctx;
  ctx.t_ms = n.t_ms;
  switch (n.platform) {
    case Platform::kX:
    case Platform::kMastodon:
      ctx.style = TextStyle::kShort;
      ctx.short_links = n.platform == Platform::kX;
      ctx.hashtag_rate = HashtagRate(w_.hot[static_cast<size_t>(author)].role);
      break;
    case Platform::kBlog: ctx.style = TextStyle::kLong; ctx.body_sentences = 4 + static_cast<int>(rng_.Below(6)); break;
    case Platform::kNews: ctx.style = TextStyle::kLong; ctx.body_sentences = 3 + static_cast<int>(rng_.Below(5)); break;
    case Platform::kHn:
    case Platform::kReddit:
      ctx.style = n.kind == Kind::kPost ? TextStyle::kLong : TextStyle::kComment;
      ctx.body_sentences = static_cast<int>(rng_.Below(3));
      break;
    case Platform::kReview: ctx.style = TextStyle::kLong; ctx.body_sentences = 1 + static_cast<int>(rng_.Below(3)); break;
    case Platform::kCommunity: ctx.style = TextStyle::kLong; ctx.body_sentences = static_cast<int>(rng_.Below(3)); break;
    case Platform::kVideo: ctx.style = TextStyle::kLong; ctx.body_sentences = static_cast<int>(rng_.Below(2)); break;
    default: break;
  }
  if (share != nullptr) {
    RenderShare(*share, share_url_, share_title_);
    ctx.share_url = share_url_;
    ctx.share_title = share_title_;
    ctx.share_topics = share_topics_;
  }
  return ctx;
}

// Rebuilds the link and title of a shared article from its spec.
void Process::RenderShare(const ShareRef& ref, std::string& url, std::string& title) {
  RenderContext ctx;
  ctx.style = TextStyle::kLong;
  ctx.t_ms = ref.t_ms;
  text_.Render(ref.spec, ctx, original_);
  title = original_.title;
  share_topics_ = original_.title_topics;  // a share shows the headline, not the body
  url = ArticleUrl(w_, ref.site, ref.serial, ref.t_ms, title);
}

uint32_t Process::Reaction(const Node& parent, int parent_author, uint64_t parent_ext, const Rendered& text,
                           Kind kind, int64_t delay) {
  const uint32_t slot = NewNode(parent.t_ms + std::max<int64_t>(delay, 30'000), parent.platform, kind);
  Node& c = slab_.At(slot);
  c.depth = static_cast<uint8_t>(std::min(parent.depth + 1, 250));
  c.parent_ext = parent_ext;
  c.parent_author = parent_author;
  c.parent_is_comment = parent.kind != Kind::kPost;
  c.conv_ext = parent.kind == Kind::kReply ? parent.conv_ext : parent_ext;
  c.orig_ext = parent.kind == Kind::kReshare ? parent.orig_ext : parent_ext;
  c.story = parent.story;
  c.event = parent.event;
  c.spec.lang = (text.lang != Lang::kEn && rng_.Chance(0.1)) ? Lang::kEn : text.lang;
  c.spec.subject = text.subject;
  c.spec.subject.other_company = c.spec.subject.other_product = -1;
  return slot;
}

// Picks what a reply does, given what it answers.
Act ReplyAct(Act parent, Sentiment parent_sentiment, Rng& rng, Sentiment& want) {
  want = parent_sentiment;
  const double u = rng.Uniform();
  switch (parent) {
    case Act::kPraise: return u < 0.6 ? Act::kAgree : (u < 0.8 ? Act::kQuestion : Act::kCompare);
    case Act::kComplaint:
    case Act::kOutage: return u < 0.6 ? Act::kAgree : (u < 0.8 ? Act::kAnswer : Act::kQuestion);
    case Act::kQuestion:
    case Act::kRecRequest: want = Sentiment::kNeutral; return u < 0.7 ? Act::kAnswer : Act::kAgree;
    case Act::kCompare: return u < 0.5 ? Act::kAgree : (u < 0.8 ? Act::kCompare : Act::kQuestion);
    case Act::kSupportReply: want = Sentiment::kPositive; return u < 0.7 ? Act::kThanks : Act::kComplaint;
    case Act::kAnswer: return u < 0.5 ? Act::kThanks : Act::kQuestion;
    case Act::kAgree:
    case Act::kThanks:
    case Act::kQuote: return Act::kAgree;
    default:
      want = parent_sentiment == Sentiment::kNegative ? Sentiment::kNegative : Sentiment::kPositive;
      return u < 0.4 ? Act::kAgree : (u < 0.8 ? Act::kQuestion : Act::kComplaint);
  }
}

int64_t ReplyDelay(Platform platform, Rng& rng) {
  // A mixture: most reactions come within the hour, a tail over days
  // (Twitter15/16 delays have a median near 80 minutes and a long tail).
  const bool slow = rng.Chance(0.25);
  // Log-medians as constants: 35, 90, 50 and 45 minutes, and 40 times that.
  constexpr double kLog40 = 3.6888794541139363;
  double log_median = 3.5553480614894135, sigma = 1.3;
  switch (platform) {
    case Platform::kReddit: log_median = 4.499809670330265; break;
    case Platform::kHn: log_median = 3.912023005428146; sigma = 1.1; break;
    case Platform::kMastodon: log_median = 3.8066624897703196; break;
    default: break;
  }
  if (slow) {
    log_median += kLog40;
    sigma = 1.5;
  }
  return Minutes(std::min(rng.LogNormal(log_median, sigma), 5.0 * 24 * 60));
}

void Process::ScheduleReactions(const Node& n, int author, uint64_t ext, const Rendered& text, double mu, Emission& e) {
  double replies = 0, reshares = 0, quotes = 0;
  switch (n.platform) {
    case Platform::kX:
      if (n.kind == Kind::kReshare) {
        reshares = mu * 0.55;
        quotes = mu * 0.05;
      } else if (n.kind == Kind::kReply) {
        replies = mu * 0.5;
        quotes = mu * 0.05;
      } else {
        replies = mu * 0.3;
        reshares = mu * 0.58;
        quotes = mu * 0.12;
      }
      break;
    case Platform::kMastodon: replies = mu * (n.kind == Kind::kPost ? 0.4 : 0.3); break;
    case Platform::kReddit:
    case Platform::kHn:
      replies = n.kind == Kind::kPost ? (n.spec.act == Act::kJobPost ? 0 : 0.5 + mu * 1.0) : mu * 0.45;
      break;
    default: return;
  }
  // One Poisson draw for all reactions, split by kind: the same law as three
  // independent draws, for one exponential instead of three.
  const double total = replies + reshares + quotes;
  const int64_t count = rng_.Poisson(total);
  e.replies = e.reshares = e.quotes = 0;
  for (int64_t i = 0; i < count; ++i) {
    const double u = rng_.Uniform() * total;
    ++(u < replies ? e.replies : (u < replies + reshares ? e.reshares : e.quotes));
  }
  // The vendor's support answers complaints about the vendor on X.
  const bool support = n.platform == Platform::kX && n.kind != Kind::kReshare && text.subject.company == 0 &&
                       (n.spec.act == Act::kComplaint || n.spec.act == Act::kOutage) &&
                       w_.hot[static_cast<size_t>(author)].role != Role::kSupport &&
                       rng_.Chance(n.spec.act == Act::kOutage ? 0.25 : 0.5);
  if (support) {
    const uint32_t c = Reaction(n, author, ext, text, Kind::kReply, Minutes(rng_.LogNormal(std::log(20.0), 0.7)));
    Node& cn = slab_.At(c);
    cn.author = w_.companies[0].support;
    cn.spec.act = Act::kSupportReply;
    cn.spec.lang = text.lang;
    ++e.replies;
    Push(c);
  }
  for (int64_t i = 0; i < e.replies - (support ? 1 : 0); ++i) {
    const uint32_t c = Reaction(n, author, ext, text, Kind::kReply, ReplyDelay(n.platform, rng_));
    Node& cn = slab_.At(c);
    cn.spec.act = ReplyAct(n.spec.act, text.sentiment, rng_, cn.spec.want);
    if (cn.spec.act == Act::kAnswer && (n.spec.act == Act::kRecRequest || n.spec.act == Act::kQuestion)) {
      // Recommendations name any company's product in the asker's topic.
      cn.spec.subject.company = cn.spec.subject.product = -1;
    }
    if (cn.spec.act == Act::kThanks || (n.spec.act == Act::kSupportReply && n.parent_author >= 0)) {
      cn.author = n.parent_author;  // the person who was answered
    }
    if (cn.author == author) cn.author = -1;
    Push(c);
  }
  // Reshares point at the original post, whoever they saw it from.
  const bool is_reshare = n.kind == Kind::kReshare;
  for (int64_t i = 0; i < e.reshares; ++i) {
    const bool slow = rng_.Chance(0.2);
    const int64_t delay = Minutes(rng_.LogNormal(std::log(slow ? 1200.0 : 22.0), slow ? 1.5 : 1.4));
    const uint32_t c = Reaction(n, author, ext, text, Kind::kReshare, std::min(delay, 5 * kDayMs));
    Node& cn = slab_.At(c);
    cn.spec = is_reshare ? n.orig_spec : n.spec;
    cn.orig_spec = cn.spec;
    cn.orig_author = is_reshare ? n.orig_author : author;
    cn.orig_t_ms = is_reshare ? n.orig_t_ms : n.t_ms;
    cn.has_share = n.has_share;
    cn.share = n.share;
    Push(c);
  }
  for (int64_t i = 0; i < e.quotes; ++i) {
    const uint32_t c = Reaction(n, author, ext, text, Kind::kQuote, ReplyDelay(n.platform, rng_) * 2);
    Node& cn = slab_.At(c);
    cn.spec.act = Act::kQuote;
    cn.spec.want = rng_.Chance(0.6) ? text.sentiment : static_cast<Sentiment>(rng_.Below(3));
    Push(c);
  }
}

void Process::ScheduleArticleFollowUps(const Node& n, int author, uint64_t ext, const Rendered& text, double mu) {
  const PersonHot& p = w_.hot[static_cast<size_t>(author)];
  const ShareRef ref{.site = n.site, .serial = ext, .t_ms = n.t_ms, .spec = n.spec};
  auto share_post = [&](int who, int64_t delay) {
    const uint32_t slot = NewNode(n.t_ms + delay, Platform::kX, Kind::kPost);
    Node& s = slab_.At(slot);
    s.author = who;
    s.story = n.story;
    s.event = n.event;
    s.spec.act = Act::kShare;
    s.spec.lang = text.lang;
    s.spec.subject = text.subject;
    s.has_share = true;
    s.share = ref;
    Push(slot);
  };
  // The author shares their own piece; others share it over the next hours.
  if (p.On(Platform::kX)) share_post(author, Minutes(5 + rng_.Uniform() * 35));
  const int64_t shares = rng_.Poisson(mu * 0.8);
  for (int64_t i = 0; i < shares; ++i) share_post(-1, Minutes(rng_.LogNormal(std::log(180.0), 1.0)));
  // Some blog stories reach the news hours later.
  if (n.platform == Platform::kBlog && !w_.news_sites.empty()) {
    const bool launch = n.event >= 0;
    const double pickup = launch ? 1.0 : (p.role == Role::kAnalyst || p.role == Role::kOfficial ? 0.5 : 0.2);
    if (rng_.Chance(pickup)) {
      const int articles = launch ? 2 + static_cast<int>(rng_.Below(3)) : 1 + static_cast<int>(rng_.Below(2));
      for (int a = 0; a < articles; ++a) {
        const int site = w_.news_sites[rng_.Below(w_.news_sites.size())];
        const uint32_t slot = NewNode(n.t_ms + Minutes(120 + rng_.Uniform() * 600), Platform::kNews, Kind::kPost);
        Node& news = slab_.At(slot);
        news.site = site;
        news.story = n.story;
        news.event = n.event;
        news.spec.act = n.spec.act == Act::kComplaint ? Act::kComplaint : (launch ? Act::kAnnounce : n.spec.act);
        news.spec.subject = text.subject;
        news.spec.need_product = n.spec.need_product;
        news.spec.lang = w_.sites[static_cast<size_t>(site)].lang;
        Push(slot);
      }
    }
  }
}

void Process::MakeIds(const Node& n, int author, uint64_t ext, std::string_view link, Emission& e) {
  id_.clear();
  parent_id_.clear();
  switch (n.platform) {
    case Platform::kX:
      id_ = "x:" + std::to_string(ext);
      if (n.parent_ext) parent_id_ = "x:" + std::to_string(n.parent_ext);
      break;
    case Platform::kMastodon:
      id_ = "mastodon:" + MastodonUri(w_.people[static_cast<size_t>(author)], ext);
      if (n.parent_ext) {
        parent_id_ = "mastodon:" + MastodonUri(w_.people[static_cast<size_t>(n.parent_author)], n.parent_ext);
      }
      break;
    case Platform::kBlog:
    case Platform::kNews: id_ = "feed:" + std::string(link); break;
    case Platform::kHn:
      id_ = "hn:" + std::to_string(ext);
      if (n.parent_ext) parent_id_ = "hn:" + std::to_string(n.parent_ext);
      break;
    case Platform::kReddit:
      id_ = std::string(n.kind == Kind::kPost ? "reddit:t3_" : "reddit:t1_") + Base36(ext);
      if (n.parent_ext) {
        parent_id_ = std::string(n.parent_is_comment ? "reddit:t1_" : "reddit:t3_") + Base36(n.parent_ext);
      }
      break;
    case Platform::kReview: id_ = "csv:reviews:rv" + std::to_string(ext); break;
    case Platform::kCommunity: id_ = "csv:community:cm" + std::to_string(ext); break;
    case Platform::kVideo: id_ = "csv:video:vd" + std::to_string(ext); break;
    default: break;
  }
  e.id = id_;
  e.parent_id = parent_id_;
}

void Process::Emit(uint32_t slot) {
  // The node stays in its slot until the end: reactions are added to the
  // slab meanwhile, and blocks never move.
  Node& node = slab_.At(slot);
  const int author = ChooseAuthor(node);
  if (node.platform == Platform::kX) {
    // The X writer copies the author's user object and id last; fetch them
    // now so that the misses overlap rendering.
    const PersonHot& h = w_.hot[static_cast<size_t>(author)];
    const char* user = w_.x_users.data() + h.x_user_off;
    for (uint32_t off = 0; off < h.x_user_len; off += 64) __builtin_prefetch(user + off);
    __builtin_prefetch(w_.x_handles.data() + h.x_handle_off);
    const int other = node.kind == Kind::kReshare ? node.orig_author : node.parent_author;
    if (other >= 0) __builtin_prefetch(w_.x_handles.data() + w_.hot[static_cast<size_t>(other)].x_handle_off);
    if (node.kind == Kind::kReshare) __builtin_prefetch(&rt_cache_[Mix64(node.orig_ext) & (kRtCacheSize - 1)]);
  }
  const uint64_t ext = AssignId(node);
  if ((node.platform == Platform::kBlog || node.platform == Platform::kNews) && node.story < 0) {
    node.story = story_next_++;
    ++stats_.stories;
  }
  Emission e;
  e.node = &node;
  e.author = author;
  e.ext = ext;
  e.site = node.site;

  RenderContext ctx = ContextFor(node, author, node.has_share ? &node.share : nullptr);
  const Rendered* text = &rendered_;
  if (node.kind == Kind::kReshare) {
    // A retweet carries its original's text: the cached rendering when the
    // original is still in the cache, else the original rendered again
    // (rendering is a pure function of spec and context, so both agree).
    const PersonHot& orig = w_.hot[static_cast<size_t>(node.orig_author)];
    const CachedRender& hit = rt_cache_[Mix64(node.orig_ext) & (kRtCacheSize - 1)];
    const bool brand = orig.role == Role::kOfficial || orig.role == Role::kSupport;
    if (hit.key == node.orig_ext && !brand) {
      text = &hit.r;  // read in place: nothing writes the cache until this emission is done
    } else if (hit.key == node.orig_ext) {
      rendered_ = hit.r;
    } else {
      RenderContext octx = ctx;
      octx.hashtag_rate = HashtagRate(orig.role);
      octx.t_ms = node.orig_t_ms;
      text_.Render(node.orig_spec, octx, rendered_);
    }
    if (brand) {
      rendered_.topics |= uint64_t{1} << w_.companies[static_cast<size_t>(orig.company)].watch;  // "RT @Brand:"
    }
  } else {
    if (node.kind == Kind::kReply && node.parent_author >= 0) {
      if (node.platform == Platform::kX) {
        ctx.reply_to = w_.XHandle(w_.hot[static_cast<size_t>(node.parent_author)]);
        ctx.reply_person = node.parent_author;
      } else if (node.platform == Platform::kMastodon) {
        const Person& parent = w_.people[static_cast<size_t>(node.parent_author)];
        reply_acct_ = parent.mastodon_user + "@" + parent.mastodon_instance;
        ctx.reply_to = reply_acct_;
        ctx.reply_person = node.parent_author;
      }
    }
    text_.Render(node.spec, ctx, rendered_);
  }
  e.text = text;
  if (node.platform == Platform::kBlog || node.platform == Platform::kNews) {
    link_ = ArticleUrl(w_, node.site, ext, node.t_ms, text->title);
    e.link = link_;
  }
  if (node.has_share) e.share_title = share_title_;

  const double virality = rng_.LogNormal(-kViralitySigma * kViralitySigma / 2, kViralitySigma);
  const Act act = node.kind == Kind::kReshare ? node.orig_spec.act : node.spec.act;
  const double mu =
      node.childless ? 0.0 : w_.hot[static_cast<size_t>(author)].reach * virality * kActReach[static_cast<int>(act)];
  if (!node.childless) {
    ScheduleReactions(node, author, ext, *text, mu, e);
    if ((node.platform == Platform::kBlog || node.platform == Platform::kNews) && !opts_.x_only) {
      ScheduleArticleFollowUps(node, author, ext, *text, mu);
    }
  }
  e.likes = rng_.Poisson(mu * 2.5 + static_cast<double>(e.reshares) * 2);
  if (node.depth > 0) {
    ++nonroot_emitted_;
    reactions_from_nonroots_ += e.replies + e.reshares + e.quotes;
  }
  if (opts_.make_ids) MakeIds(node, author, ext, e.link, e);
  sink_.OnEmission(e);
  if (e.reshares > 0 && node.platform == Platform::kX && node.kind != Kind::kReshare && !node.childless) {
    // Keep the rendering for the retweets to come. A swap, not a copy: the
    // scratch gets the evicted entry's buffers, which the next Render clears.
    CachedRender& slot_entry = rt_cache_[Mix64(ext) & (kRtCacheSize - 1)];
    slot_entry.key = ext;
    std::swap(slot_entry.r, rendered_);
  }
  ++stats_.emitted;
  ++stats_.per_platform[static_cast<int>(node.platform)];
  last_t_ = node.t_ms;
  slab_.Free(slot);
}

void Process::TopUp() {
  // The steering leaves the count a little short at most: add childless
  // posts in the last minutes, after everything already emitted.
  const int64_t missing = opts_.mentions - stats_.emitted;
  if (missing <= 0) return;
  const int64_t lo = std::max(last_t_ + 1, opts_.end_ms - 10 * kMinuteMs);
  std::vector<int64_t> times;
  for (int64_t i = 0; i < missing; ++i) {
    times.push_back(lo >= opts_.end_ms
                        ? opts_.end_ms - 1
                        : lo + static_cast<int64_t>(rng_.Below(static_cast<uint64_t>(opts_.end_ms - lo))));
  }
  std::sort(times.begin(), times.end());
  RegionWeights(opts_.end_ms - 1);
  for (int64_t t : times) {
    const uint32_t slot = MakeRoot(t, PickRegion(), -1);
    slab_.At(slot).childless = true;
    Emit(slot);
    ++stats_.topped_up;
    if (!sink_.ok()) return;
  }
}

ProcessStats Process::Run() {
  site_serial_.assign(w_.sites.size(), 0);
  for (size_t s = 0; s < w_.sites.size(); ++s) site_serial_[s] = 1000 + Mix64(seed_ + s) % 9000;
  BuildProfile();
  ScheduleEventSpecials();
  for (int64_t k = 0; k < ticks_ && !done_; ++k) {
    schedule_.BeginTick(k);
    ScheduleTick(k);
    const int64_t t1 = std::min(opts_.start_ms + (k + 1) * kTickMs, opts_.end_ms);
    while (schedule_.HasDue(t1)) {
      if (stats_.emitted >= opts_.mentions || !sink_.ok()) {
        done_ = true;
        break;
      }
      const HeapKey key = schedule_.Pop();
      if (const HeapKey* next = schedule_.Peek()) {
        // Software pipelining: the next post's node and people are cold
        // (scheduled minutes or days ago); start loading them now.
        const char* node = reinterpret_cast<const char*>(&slab_.At(next->slot));
        for (size_t off = 0; off < sizeof(Node); off += 64) __builtin_prefetch(node + off);
        __builtin_prefetch(&w_.hot[static_cast<size_t>(next->author)]);
        if (next->other >= 0) __builtin_prefetch(&w_.hot[static_cast<size_t>(next->other)]);
      }
      Emit(key.slot);
    }
  }
  stats_.cut += schedule_.size();
  if (sink_.ok()) TopUp();
  stats_.roots = roots_made_;
  return stats_;
}

}  // namespace

double Seasonality(int64_t t_ms, int utc_offset_min) {
  const int64_t local = t_ms + static_cast<int64_t>(utc_offset_min) * kMinuteMs;
  const int64_t day = local >= 0 ? local / kDayMs : (local - kDayMs + 1) / kDayMs;
  const double hour = static_cast<double>(local - day * kDayMs) / static_cast<double>(kHourMs);
  const int h0 = static_cast<int>(hour) % 24;
  const double frac = hour - std::floor(hour);
  const double hourly = kHourly[h0] * (1 - frac) + kHourly[(h0 + 1) % 24] * frac;
  // 1970-01-01 was a Thursday: weekday index 3 with Monday = 0.
  const int weekday = static_cast<int>(((day % 7) + 7 + 3) % 7);
  return hourly * kWeekly[weekday] / 0.93;  // 0.93: the weekly mean, so a typical hour is ~1
}

std::string Base36(uint64_t n) {
  static constexpr char kDigits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  char buf[16];
  int i = 16;
  do {
    buf[--i] = kDigits[n % 36];
    n /= 36;
  } while (n != 0 && i > 0);
  return std::string(buf + i, static_cast<size_t>(16 - i));
}

std::string MastodonUri(const Person& author, uint64_t ext) {
  return "https://" + author.mastodon_instance + "/users/" + author.mastodon_user + "/statuses/" + std::to_string(ext);
}

std::string ArticleUrl(const World& w, int site, uint64_t serial, int64_t t_ms, std::string_view title) {
  const Site& s = w.sites[static_cast<size_t>(site)];
  int64_t y;
  unsigned m, d;
  CivilFromDays(t_ms / kDayMs, y, m, d);
  std::string slug;
  for (char c : title) {
    if (IsAsciiAlpha(c) || IsAsciiDigit(c)) {
      slug.push_back(AsciiToLower(c));
    } else if (!slug.empty() && slug.back() != '-' && static_cast<unsigned char>(c) < 0x80) {
      slug.push_back('-');
    }
    if (slug.size() >= 60) break;
  }
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  if (slug.empty()) slug = "post";
  std::string url = "https://" + s.host + "/" + std::to_string(y) + "/" + (m < 10 ? "0" : "") + std::to_string(m) + "/" +
                    slug + "-" + Base36(serial) + "/";
  return url;
}

ProcessStats RunProcess(const World& world, const TextGenerator& text, uint64_t seed, const ProcessOptions& opts,
                        EmissionSink& sink) {
  Process p(world, text, seed, opts, sink);
  return p.Run();
}

}  // namespace earshot::sim
