#include "layers/init.h"

#include <cmath>

namespace sn {

double uniform01(std::mt19937_64& rng) {
  return static_cast<double>(rng() >> 11) * (1.0 / 9007199254740992.0);  // 2^-53
}

double standard_normal(std::mt19937_64& rng) {
  // 1 - u keeps the logarithm's argument in (0, 1].
  const double u1 = 1.0 - uniform01(rng);
  const double u2 = uniform01(rng);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

void fill_uniform(float* w, int64_t count, double limit, std::mt19937_64& rng) {
  for (int64_t i = 0; i < count; ++i) {
    w[i] = static_cast<float>((2.0 * uniform01(rng) - 1.0) * limit);
  }
}

void init_he(float* w, int64_t count, int64_t fan_in, std::mt19937_64& rng) {
  // sqrt is correctly rounded in IEEE 754, so the limit is the same everywhere.
  fill_uniform(w, count, std::sqrt(6.0 / static_cast<double>(fan_in)), rng);
}

void init_glorot(float* w, int64_t count, int64_t fan_in, int64_t fan_out, std::mt19937_64& rng) {
  fill_uniform(w, count, std::sqrt(6.0 / static_cast<double>(fan_in + fan_out)), rng);
}

}  // namespace sn
