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

std::vector<KeyLayout::Band> KeyLayout::Bands(std::optional<int64_t> from_ms, std::optional<int64_t> to_ms) const {
  std::optional<int64_t> first, last;  // every row of the window has a key in [first, last)
  if (from_ms) first = Floor(*from_ms);
  if (to_ms) last = SaturatingAdd(Floor(*to_ms), spill);
  if (spill == 0 || (!from_ms && !to_ms)) return {Band{first, last, false}};
  // A row's key lies in [Floor(created_at), Floor(created_at) + spill], so
  // key >= Floor(from) + spill implies created_at >= from, and key <
  // Floor(to) implies created_at < to. (With no spill, key >> shift is the
  // millisecond itself and [first, last) is exact.)
  std::optional<int64_t> lo = first, hi;
  if (from_ms) lo = SaturatingAdd(*first, spill);
  if (to_ms) hi = Floor(*to_ms);
  if (lo && hi && *lo >= *hi) return {Band{first, last, true}};  // a window narrower than the spill
  std::vector<Band> bands;  // in key order
  if (from_ms) bands.push_back(Band{first, lo, true});
  bands.push_back(Band{lo, hi, false});
  if (to_ms) bands.push_back(Band{hi, last, true});
  return bands;
}

std::string KeyLayout::Bounds(std::string_view key, std::string_view created, std::optional<int64_t> from_ms,
                              std::optional<int64_t> to_ms) const {
  if (!from_ms && !to_ms) return "";
  const std::string k(key);
  auto range = [&](std::optional<int64_t> lo, std::optional<int64_t> hi) {
    std::string r;
    if (lo) r += k + " >= " + std::to_string(*lo);
    if (hi) r += (r.empty() ? "" : " AND ") + k + " < " + std::to_string(*hi);
    return r;
  };
  const std::vector<Band> bands = Bands(from_ms, to_ms);
  if (bands.size() == 1 && !bands[0].check_created) return " AND " + range(bands[0].lo, bands[0].hi);
  // The bands are adjacent: one key range for SQLite to seek by, then
  // created_at read only in the bands that ask for it.
  std::string any;
  for (const Band& b : bands) {
    std::string cond = range(b.lo, b.hi);
    if (b.check_created) {
      if (from_ms) cond += (cond.empty() ? "" : " AND ") + std::string(created) + " >= " + std::to_string(*from_ms);
      if (to_ms) cond += (cond.empty() ? "" : " AND ") + std::string(created) + " < " + std::to_string(*to_ms);
    }
    any += (any.empty() ? "(" : " OR (") + cond + ")";
  }
  return " AND " + range(bands.front().lo, bands.back().hi) + " AND (" + any + ")";
}

}  // namespace earshot::store::sqlite
