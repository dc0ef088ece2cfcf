// Fast non-cryptographic 64-bit hashing for ids, content fingerprints and
// the simulator's deterministic streams.
#pragma once

#include <cstdint>
#include <string_view>

namespace earshot {

// Returns a 64-bit hash of `data` (stable across runs and machines).
uint64_t Hash64(std::string_view data, uint64_t seed = 0);

// Mixes a 64-bit value (splitmix64 finalizer).
inline uint64_t Mix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

}  // namespace earshot
