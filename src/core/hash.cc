#include "core/hash.h"

#include <cstring>

namespace earshot {

uint64_t Hash64(std::string_view data, uint64_t seed) {
  // Eight bytes at a time through a multiply-xorshift mix; stable and fast
  // enough for content fingerprints (not for adversarial hash tables).
  constexpr uint64_t kMul = 0x9FB21C651E98DF25ULL;
  uint64_t h = seed ^ (data.size() * kMul);
  size_t i = 0;
  for (; i + 8 <= data.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, data.data() + i, 8);
    h = (h ^ Mix64(w)) * kMul;
    h ^= h >> 29;
  }
  uint64_t tail = 0;
  std::memcpy(&tail, data.data() + i, data.size() - i);
  h = (h ^ Mix64(tail ^ (data.size() - i))) * kMul;
  return Mix64(h);
}

}  // namespace earshot
