#include "store/sqlite/rollups.h"

#include <algorithm>

namespace earshot::store::sqlite {
namespace {

constexpr int64_t kHourMs = 3'600'000;
constexpr int64_t kDayMs = 24 * kHourMs;

int64_t NonNegative(int64_t v) { return v < 0 ? 0 : v; }

}  // namespace

int64_t RollupBucket(int64_t t_ms, RollupGrain grain) {
  const int64_t width = grain == RollupGrain::kHour ? kHourMs : kDayMs;
  int64_t q = t_ms / width;
  if (t_ms % width < 0) --q;
  return q * width;
}

RollupFact FactOf(const Mention& m) {
  RollupFact f;
  f.created_at_ms = m.created_at_ms;
  f.channel = std::string(ChannelName(m.channel));
  f.lang = m.language.empty() ? "und" : m.language;
  f.country = m.geo.country;
  f.site = m.site;
  f.sentiment = m.sentiment;
  f.reach = NonNegative(m.author.followers);
  const Engagement& e = m.engagement;
  f.engagement = NonNegative(e.likes) + NonNegative(e.reshares) + NonNegative(e.replies) + NonNegative(e.quotes);
  return f;
}

void RollupDeltas::Figures::Add(const Figures& o) {
  count += o.count;
  positive += o.positive;
  negative += o.negative;
  neutral += o.neutral;
  reach += o.reach;
  engagement += o.engagement;
}

bool RollupDeltas::Figures::Zero() const {
  return count == 0 && positive == 0 && negative == 0 && neutral == 0 && reach == 0 && engagement == 0;
}

Status RollupDeltas::Prepare(sqlite3* db) {
  EARSHOT_ASSIGN_OR_RETURN(
      upsert_, Stmt::Prepare(db, "INSERT INTO rollups (watch_id, grain, dim, t, value, n, pos, neg, neu, reach, "
                                 "engagement) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
                                 "ON CONFLICT (grain, dim, t, watch_id, value) DO UPDATE SET n = n + excluded.n, "
                                 "pos = pos + excluded.pos, neg = neg + excluded.neg, neu = neu + excluded.neu, "
                                 "reach = reach + excluded.reach, engagement = engagement + excluded.engagement"));
  return Status::Ok();
}

void RollupDeltas::Add(int64_t watch_id, const RollupFact& fact, std::optional<double> sentiment, int sign) {
  Figures f;
  f.count = sign;
  if (sentiment && *sentiment >= 0.05) {
    f.positive = sign;
  } else if (sentiment && *sentiment <= -0.05) {
    f.negative = sign;
  } else {
    f.neutral = sign;
  }
  f.reach = sign * fact.reach;
  f.engagement = sign * fact.engagement;
  const int64_t hour = RollupBucket(fact.created_at_ms, RollupGrain::kHour);
  auto add = [&](RollupDim dim, const std::string& value) {
    hours_[Key{static_cast<uint8_t>(dim), hour, watch_id, value}].Add(f);
  };
  static const std::string kEmpty;
  add(RollupDim::kTotal, kEmpty);
  add(RollupDim::kChannel, fact.channel);
  add(RollupDim::kLanguage, fact.lang);
  add(RollupDim::kCountry, fact.country);
  add(RollupDim::kSite, fact.site);
  std::string facets;
  facets.reserve(fact.channel.size() + fact.lang.size() + fact.country.size() + 2);
  facets.append(fact.channel).append(1, kFacetSeparator).append(fact.lang).append(1, kFacetSeparator);
  facets.append(fact.country);
  add(RollupDim::kFacets, facets);
}

Status RollupDeltas::Upsert(RollupGrain grain, const Key& key, const Figures& f) {
  const auto& [dim, t, watch, value] = key;
  upsert_.BindInt(1, watch);
  upsert_.BindInt(2, static_cast<int64_t>(grain));
  upsert_.BindInt(3, dim);
  upsert_.BindInt(4, t);
  upsert_.BindText(5, value);
  upsert_.BindInt(6, f.count);
  upsert_.BindInt(7, f.positive);
  upsert_.BindInt(8, f.negative);
  upsert_.BindInt(9, f.neutral);
  upsert_.BindInt(10, f.reach);
  upsert_.BindInt(11, f.engagement);
  return upsert_.Run().WithContext("update rollups");
}

Status RollupDeltas::Apply() {
  std::map<Key, Figures> days;
  for (const auto& [key, f] : hours_) {
    if (f.Zero()) continue;
    const auto& [dim, t, watch, value] = key;
    if (watch == 0 || WatchesKeep(static_cast<RollupDim>(dim), RollupGrain::kHour)) {
      EARSHOT_RETURN_IF_ERROR(Upsert(RollupGrain::kHour, key, f));
    }
    days[Key{dim, RollupBucket(t, RollupGrain::kDay), watch, value}].Add(f);
  }
  hours_.clear();
  for (const auto& [key, f] : days) {
    if (!f.Zero()) EARSHOT_RETURN_IF_ERROR(Upsert(RollupGrain::kDay, key, f));
  }
  return Status::Ok();
}

bool WatchesKeep(RollupDim dim, RollupGrain grain) {
  return grain == RollupGrain::kDay || dim == RollupDim::kTotal || dim == RollupDim::kSite ||
         dim == RollupDim::kFacets;
}

std::string_view FacetPart(std::string_view facets, RollupDim dim) {
  const size_t a = facets.find(kFacetSeparator);
  const size_t b = a == std::string_view::npos ? a : facets.find(kFacetSeparator, a + 1);
  if (b == std::string_view::npos) return {};
  switch (dim) {
    case RollupDim::kChannel: return facets.substr(0, a);
    case RollupDim::kLanguage: return facets.substr(a + 1, b - a - 1);
    case RollupDim::kCountry: return facets.substr(b + 1);
    default: return facets;
  }
}

Status ForEachStoredBucket(StmtCache& stmts, RollupGrain grain, int64_t from_ms, int64_t to_ms,
                           const std::function<Status(int64_t)>& fn) {
  // Two subqueries: SQLite answers a lone min() or max() with one seek.
  // Every mention has a total row, so dimension 0 spans them all.
  EARSHOT_ASSIGN_OR_RETURN(auto lease, stmts.Get("SELECT (SELECT min(t) FROM rollups WHERE grain = ?1 AND "
                                                 "dim = 0), (SELECT max(t) FROM rollups WHERE grain = ?1 AND "
                                                 "dim = 0)"));
  Stmt& span = *lease;
  span.BindInt(1, static_cast<int64_t>(grain));
  EARSHOT_ASSIGN_OR_RETURN(bool row, span.Step());
  if (!row || span.IsNull(0)) return Status::Ok();
  const int64_t width = grain == RollupGrain::kHour ? kHourMs : kDayMs;
  const int64_t lo = std::max(from_ms, span.Int(0));
  const int64_t hi = std::min(to_ms, span.Int(1) + 1);  // exclusive
  int64_t t = RollupBucket(lo, grain);
  if (t < lo) t += width;
  for (; t < hi; t += width) EARSHOT_RETURN_IF_ERROR(fn(t));
  return Status::Ok();
}

std::string RebuildRollupsSql(int only_dim) {
  // One source of facts per (watch, mention): every mention under watch 0,
  // and each recorded watch match with its target-level sentiment.
  const std::string facts =
      "SELECT 0 AS w, m.created_at AS ts, m.channel AS channel, coalesce(m.lang, 'und') AS lang, "
      "coalesce(m.country, '') AS country, coalesce(m.site, '') AS site, m.sentiment AS s, "
      "coalesce(m.author_followers, 0) AS reach, coalesce(m.likes, 0) + coalesce(m.reshares, 0) + "
      "coalesce(m.replies, 0) + coalesce(m.quotes, 0) AS eng FROM mentions m "
      "UNION ALL SELECT mw.watch_id, m.created_at, m.channel, coalesce(m.lang, 'und'), coalesce(m.country, ''), "
      "coalesce(m.site, ''), coalesce(mw.sentiment, m.sentiment), coalesce(m.author_followers, 0), "
      "coalesce(m.likes, 0) + coalesce(m.reshares, 0) + coalesce(m.replies, 0) + coalesce(m.quotes, 0) "
      "FROM mention_watches mw JOIN mentions m ON m.key = mw.key";
  const std::pair<int, const char*> dims[] = {{0, "''"},        {1, "channel"}, {2, "lang"},
                                              {3, "country"},   {4, "site"},
                                              {5, "channel || char(31) || lang || char(31) || country"}};
  const std::pair<int, int64_t> grains[] = {{0, kHourMs}, {1, kDayMs}};
  std::string sql = only_dim < 0 ? "DELETE FROM rollups;" : "DELETE FROM rollups WHERE dim = " +
                                                                std::to_string(only_dim) + ";";
  for (const auto& [grain, width] : grains) {
    const std::string w = std::to_string(width);
    const std::string bucket = "((ts / " + w + ") - (ts % " + w + " < 0)) * " + w;
    for (const auto& [dim, value] : dims) {
      if (only_dim >= 0 && dim != only_dim) continue;
      sql += "INSERT INTO rollups (watch_id, grain, dim, t, value, n, pos, neg, neu, reach, engagement) SELECT w, " +
             std::to_string(grain) + ", " + std::to_string(dim) + ", " + bucket + ", " + value +
             ", count(*), coalesce(sum(s >= 0.05), 0), coalesce(sum(s <= -0.05), 0), "
             "coalesce(sum(s IS NULL OR (s > -0.05 AND s < 0.05)), 0), sum(reach), sum(eng) FROM (" + facts + ")" +
             (WatchesKeep(static_cast<RollupDim>(dim), static_cast<RollupGrain>(grain)) ? "" : " WHERE w = 0") +
             " GROUP BY 1, 4, 5;";
    }
  }
  return sql;
}

}  // namespace earshot::store::sqlite
