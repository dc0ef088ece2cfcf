// How a store's row keys encode time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace earshot::store::sqlite {

// Row keys order mentions by time, so that "newest first" is a backwards
// walk of the FTS5 doclists and of the table's B-tree, with no sort, and a
// time window is a key range. A mention created at c (ms) gets the first
// free key from Floor(c) = c << shift: 2^shift keys per millisecond, taken
// in arrival order. A millisecond with more mentions than that spills into
// the next one's keys; `spill` (meta 'key_spill') records the furthest any
// key went past its Floor, and is 0 while no key has left its millisecond.
//
// The shift is fixed when a store is created (meta 'key_shift'): 4 since
// schema 9, 20 before (keys then took their low bits from the id's hash).
// FTS5 stores each posting's rowid as a delta from the one before, so the
// denser keys make the word index smaller and faster to write: on a month
// of a million posts, consecutive keys are about 2^15 apart instead of 2^31.
struct KeyLayout {
  static constexpr int kShift = 4;        // for new stores
  static constexpr int kLegacyShift = 20;  // stores from before schema 9

  int shift = kShift;
  int64_t spill = 0;

  int64_t Slots() const { return int64_t{1} << shift; }
  // The lowest key of millisecond `ms` (clamped to the keys' range).
  int64_t Floor(int64_t ms) const;
  // The millisecond a key was made for, exact while spill is 0.
  int64_t MsOf(int64_t key) const { return key >> shift; }
  // The spill to record for a row of created_at `ms` stored under `key`
  // (0 unless the key left its millisecond).
  int64_t SpillOf(int64_t key, int64_t ms) const;

  // SQL conditions, each preceded by " AND ", that keep exactly the rows
  // with from <= created_at < to (either bound optional). `key` and
  // `created` name the columns. Key bounds come first so that SQLite seeks
  // by them; created_at is read only for rows within spill of an edge.
  std::string Bounds(std::string_view key, std::string_view created, std::optional<int64_t> from_ms,
                     std::optional<int64_t> to_ms) const;
  // Key ranges that together hold exactly the window's rows: every row of
  // a band with check_created = false lies in the window; a band with
  // check_created = true holds rows near an edge, of which only those with
  // created_at in the window count. Reading only the word index, a count
  // joins rows for the second kind alone (none while spill is 0). In key
  // order, adjacent.
  struct Band {
    std::optional<int64_t> lo, hi;  // [lo, hi); nullopt: unbounded
    bool check_created = false;
  };
  std::vector<Band> Bands(std::optional<int64_t> from_ms, std::optional<int64_t> to_ms) const;
};

}  // namespace earshot::store::sqlite
