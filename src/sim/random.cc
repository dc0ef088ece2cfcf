#include "sim/random.h"

#include <cmath>
#include <cstring>

namespace earshot::sim {

double ExpNegative(double x) {
  // e^-x = 2^(-x log2 e), split into an integer power (exponent bits) and a
  // fraction (degree-6 polynomial, relative error < 1e-5): cheaper than
  // libm's exp on the hot path and identical on every machine.
  const double y = -x * 1.4426950408889634;
  if (y < -1020) return 0;
  // floor(y) for y <= 0 without a libm call (no SSE4.1 in the baseline ISA).
  double fl = static_cast<double>(static_cast<int64_t>(y));
  if (fl > y) fl -= 1.0;
  const double f = y - fl;
  const double p =
      1.0 + f * (0.6931471805599453 +
                 f * (0.2402265069591007 +
                      f * (0.05550410866482158 + f * (0.009618129107628477 + f * (0.0013333558146428443 + f * 0.00015403530393381606)))));
  // Scale by 2^fl through the exponent bits (fl is in [-1020, 0]).
  const uint64_t bits = static_cast<uint64_t>(static_cast<int64_t>(fl) + 1023) << 52;
  double scale;
  std::memcpy(&scale, &bits, sizeof scale);
  return p * scale;
}

int64_t Rng::Poisson(double mean) {
  if (!(mean > 0)) return 0;
  if (mean > 40) {
    const double x = std::floor(mean + std::sqrt(mean) * Normal() + 0.5);
    return x < 0 ? 0 : static_cast<int64_t>(x);
  }
  // Knuth: multiply uniforms until the product falls below e^-mean.
  const double limit = ExpNegative(mean);
  double product = UniformPositive();
  int64_t k = 0;
  while (product > limit) {
    ++k;
    product *= UniformPositive();
  }
  return k;
}

double Rng::Normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  // Marsaglia's polar method: no trigonometry, and the second variate is kept.
  double u, v, s;
  do {
    u = 2.0 * Uniform() - 1.0;
    v = 2.0 * Uniform() - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  const double f = std::sqrt(-2.0 * std::log(s) / s);
  spare_ = v * f;
  has_spare_ = true;
  return u * f;
}

AliasTable::AliasTable(std::span<const double> weights) {
  std::vector<int32_t> values(weights.size());
  for (size_t i = 0; i < values.size(); ++i) values[i] = static_cast<int32_t>(i);
  *this = AliasTable(weights, values);
}

AliasTable::AliasTable(std::span<const double> weights, std::span<const int32_t> values) {
  const size_t n = weights.size();
  double total = 0;
  for (double w : weights) total += w > 0 ? w : 0;
  if (n == 0 || !(total > 0)) return;
  std::vector<uint64_t> threshold(n, 0);
  std::vector<uint32_t> alias(n, 0);
  std::vector<double> scaled(n);
  std::vector<uint32_t> small, large;
  small.reserve(n);
  large.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    scaled[i] = (weights[i] > 0 ? weights[i] : 0) * static_cast<double>(n) / total;
    (scaled[i] < 1.0 ? small : large).push_back(static_cast<uint32_t>(i));
  }
  constexpr double kScale = 4294967296.0;  // 2^32
  while (!small.empty() && !large.empty()) {
    const uint32_t s = small.back();
    small.pop_back();
    const uint32_t l = large.back();
    threshold[s] = static_cast<uint64_t>(scaled[s] * kScale);
    alias[s] = l;
    scaled[l] -= 1.0 - scaled[s];
    if (scaled[l] < 1.0) {
      large.pop_back();
      small.push_back(l);
    }
  }
  // Leftovers are 1 up to rounding error: always accept.
  for (uint32_t i : large) threshold[i] = static_cast<uint64_t>(kScale), alias[i] = i;
  for (uint32_t i : small) threshold[i] = static_cast<uint64_t>(kScale), alias[i] = i;
  slots_.resize(n);
  for (size_t i = 0; i < n; ++i) slots_[i] = {threshold[i], values[i], values[alias[i]]};
}

}  // namespace earshot::sim
