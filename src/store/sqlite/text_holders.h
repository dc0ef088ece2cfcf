// Which stored mention holds each recently written text, so that an exact
// copy (a reshare, a copy-paste) is stored as a reference to it.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace earshot::store::sqlite {

// A direct-mapped table from a text's fingerprint to the row key of its
// holder: a newer text takes an older one's slot, so it costs a fixed
// amount of memory and no allocation or database read per mention.
//
// The fingerprint is SipHash-2-4 with a 128-bit output under a key drawn
// at random for each table: two different texts share one with odds of
// 2^-128 per lookup, and nobody who does not know the key can make them
// collide on purpose (every mention is untrusted text). The owner keeps
// the table true to the database: it Forgets a holder it deletes and
// Clears the table when a transaction rolls back or another connection
// has written.
class TextHolders {
 public:
  using Fingerprint = std::array<uint64_t, 2>;

  // `slots_log2` sets the size: 2^slots_log2 slots of 24 bytes.
  explicit TextHolders(int slots_log2 = 18);

  Fingerprint Of(std::string_view title, std::string_view text) const;
  std::optional<int64_t> Find(const Fingerprint& f) const;
  void Remember(const Fingerprint& f, int64_t key);
  // Drops f's entry if it names `key` (a row being deleted).
  void Forget(const Fingerprint& f, int64_t key);
  void Clear();

 private:
  struct Slot {
    Fingerprint fingerprint{};
    int64_t key = -1;  // -1: empty (row keys are >= 0)
  };
  Slot& SlotOf(const Fingerprint& f) { return slots_[f[0] & mask_]; }
  const Slot& SlotOf(const Fingerprint& f) const { return slots_[f[0] & mask_]; }

  std::vector<Slot> slots_;
  uint64_t mask_;
  std::array<unsigned char, 16> key_{};
  mutable std::string scratch_;  // the message Of() hashes
};

}  // namespace earshot::store::sqlite
