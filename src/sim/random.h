// Deterministic random numbers for the simulator: a xoshiro256** generator
// seeded through splitmix64, the few distributions the model needs, and
// Vose alias tables for O(1) weighted choice. Everything here is a pure
// function of its seed, so the same seed gives the same world on every run.
#pragma once

#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

#include "core/hash.h"

namespace earshot::sim {

// 128-bit product for unbiased range reduction (Lemire); GCC and Clang both
// provide it, __extension__ keeps -Wpedantic quiet.
__extension__ using Uint128 = unsigned __int128;

// Returns e^-x for x >= 0 (fast, deterministic; relative error < 1e-5).
double ExpNegative(double x);
// Returns e^x for |x| < 700 (the same method; relative error < 1e-5).
inline double Exp(double x) { return x <= 0 ? ExpNegative(-x) : 1.0 / ExpNegative(x); }

// xoshiro256** (Blackman & Vigna): fast, 256 bits of state, passes BigCrush.
class Rng {
 public:
  // Creates a generator whose stream is a function of `seed` and `stream`
  // only; different `stream` values give independent-looking sequences.
  explicit Rng(uint64_t seed, uint64_t stream = 0) {
    uint64_t x = seed ^ (stream * 0xD1B54A32D192ED03ULL);
    for (uint64_t& s : s_) {
      x += 0x9E3779B97F4A7C15ULL;
      s = Mix64(x);
    }
  }

  // Returns 64 uniformly random bits.
  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // Returns a uniform double in [0, 1).
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  // Returns a uniform double in (0, 1], safe for log().
  double UniformPositive() { return static_cast<double>((Next() >> 11) + 1) * 0x1.0p-53; }
  // Returns a uniform integer in [0, n). REQUIRES: n > 0.
  uint64_t Below(uint64_t n) { return static_cast<uint64_t>((static_cast<Uint128>(Next()) * n) >> 64); }
  // Returns a uniform integer in [lo, hi]. REQUIRES: lo <= hi.
  int64_t Between(int64_t lo, int64_t hi) { return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo) + 1)); }
  // Returns true with probability p.
  bool Chance(double p) { return Uniform() < p; }

  // Returns a standard normal variate (Marsaglia's polar method).
  double Normal();
  // Returns exp(N(mu, sigma^2)).
  double LogNormal(double mu, double sigma) { return Exp(mu + sigma * Normal()); }
  // Returns an exponential variate with the given mean.
  double Exponential(double mean) { return -mean * std::log(UniformPositive()); }
  // Returns a Pareto variate with minimum `xm` and tail index `alpha`.
  double Pareto(double xm, double alpha) { return xm * std::pow(UniformPositive(), -1.0 / alpha); }
  // Returns a Poisson variate with mean `mean` (inversion for small means,
  // a rounded normal approximation above 40, where the error is negligible).
  int64_t Poisson(double mean);

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
  double spare_ = 0;
  bool has_spare_ = false;
};

// Draws values in proportion to fixed non-negative weights in O(1) (Vose's
// alias method). Each slot holds its threshold and both candidate values, so
// a draw reads one 16-byte slot: one cache miss at most. Built once;
// Sample() is const and allocation-free.
class AliasTable {
 public:
  AliasTable() = default;
  // Builds the table over indices: Sample() returns i with probability
  // weights[i] / sum. All-zero or empty weights give an empty table.
  explicit AliasTable(std::span<const double> weights);
  // Builds the table over `values` (parallel to `weights`): Sample()
  // returns values[i] with probability weights[i] / sum.
  AliasTable(std::span<const double> weights, std::span<const int32_t> values);

  bool empty() const { return slots_.empty(); }
  size_t size() const { return slots_.size(); }
  // Returns a value drawn in proportion to the weights. REQUIRES: !empty().
  int32_t Sample(Rng& rng) const { return SampleBits(rng.Next()); }
  // Returns the value that the 64 random bits `r` select: Sample() split in
  // two, so that a caller can draw `r`, Prefetch() its slot, and read it later.
  // REQUIRES: !empty().
  int32_t SampleBits(uint64_t r) const {
    const Slot& s = slots_[SlotOf(r)];
    // The low 32 bits are independent enough of the high ones used for the slot.
    return (r & 0xFFFFFFFFULL) < s.threshold ? s.value : s.alias_value;
  }
  // Starts loading the slot that `r` selects. REQUIRES: !empty().
  void Prefetch(uint64_t r) const { __builtin_prefetch(&slots_[SlotOf(r)]); }

 private:
  size_t SlotOf(uint64_t r) const { return static_cast<size_t>((static_cast<Uint128>(r) * slots_.size()) >> 64); }

  struct Slot {
    uint64_t threshold;  // acceptance probability scaled to 2^32
    int32_t value;
    int32_t alias_value;
  };
  std::vector<Slot> slots_;
};

}  // namespace earshot::sim
