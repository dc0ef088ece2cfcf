#include "store/sqlite/key_layout.h"

#include <algorithm>
#include <limits>

namespace earshot::store::sqlite {
namespace {

int64_t SaturatingAdd(int64_t a, int64_t b) {
  return a > std::numeric_limits<int64_t>::max() - b ? std::numeric_limits<int64_t>::max() : a + b;
}

}  // namespace

int64_t KeyLayout::Floor(int64_t ms) const {
  const int64_t max_ms = std::numeric_limits<int64_t>::max() >> shift;  // the year 2248 at shift 20
  return std::clamp<int64_t>(ms, 0, max_ms) << shift;
}

int64_t KeyLayout::SpillOf(int64_t key, int64_t ms) const {
  const int64_t past = key - Floor(ms);
  return past >= Slots() ? past : 0;
}

KeyLayout::Split KeyLayout::SureRange(std::optional<int64_t> from_ms, std::optional<int64_t> to_ms) const {
  Split s;
  // A row's key lies in [Floor(created_at), Floor(created_at) + spill]. So
  // key >= Floor(from) + spill implies created_at >= from, and key <
  // Floor(to) implies created_at < to; with no spill, key >> shift is the
  // millisecond itself and the plain key range is exact.
  if (from_ms) s.lo = SaturatingAdd(Floor(*from_ms), spill);
  if (to_ms) s.hi = Floor(*to_ms);
  s.edges = spill > 0 && (from_ms || to_ms);
  return s;
}

std::string KeyLayout::Bounds(std::string_view key, std::string_view created, std::optional<int64_t> from_ms,
                              std::optional<int64_t> to_ms) const {
  const std::string k(key);
  std::string sql;
  if (from_ms) sql += " AND " + k + " >= " + std::to_string(Floor(*from_ms));
  if (spill == 0) {
    if (to_ms) sql += " AND " + k + " < " + std::to_string(Floor(*to_ms));
    return sql;
  }
  if (!from_ms && !to_ms) return sql;
  if (to_ms) sql += " AND " + k + " < " + std::to_string(SaturatingAdd(Floor(*to_ms), spill));
  const Split s = SureRange(from_ms, to_ms);
  std::string sure, exact;
  auto both = [](std::string& out, const std::string& cond) { out += (out.empty() ? "" : " AND ") + cond; };
  if (s.lo) both(sure, k + " >= " + std::to_string(*s.lo));
  if (s.hi) both(sure, k + " < " + std::to_string(*s.hi));
  if (from_ms) both(exact, std::string(created) + " >= " + std::to_string(*from_ms));
  if (to_ms) both(exact, std::string(created) + " < " + std::to_string(*to_ms));
  return sql + " AND ((" + sure + ") OR (" + exact + "))";
}

}  // namespace earshot::store::sqlite
