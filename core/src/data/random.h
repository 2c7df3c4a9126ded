#pragma once
// Our own draws from std::mt19937_64. The engine's raw output is specified exactly by the C++
// standard, but std::uniform_*_distribution and std::shuffle are not: libc++ (wasm) and
// libstdc++ (native) give different numbers. Drawing through these keeps native and browser
// runs with the same seed identical.
#include <cstdint>
#include <random>

namespace sn {

// Uniform integer in [0, bound), bound >= 1, without modulo bias (rejection sampling).
inline uint64_t draw_below(std::mt19937_64& rng, uint64_t bound) {
  // The largest multiple of bound that fits: values at or above it are redrawn.
  const uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
  uint64_t x;
  do {
    x = rng();
  } while (x >= limit);
  return x % bound;
}

// Uniform double in [0, 1) from the top 53 bits.
inline double draw_unit(std::mt19937_64& rng) {
  return static_cast<double>(rng() >> 11) * (1.0 / 9007199254740992.0);
}

// Uniform double in [-1, 1).
inline double draw_signed(std::mt19937_64& rng) { return 2.0 * draw_unit(rng) - 1.0; }

// splitmix64 finaliser: turns (seed, epoch) into well-spread engine seeds.
inline uint64_t mix_seed(uint64_t a, uint64_t b) {
  uint64_t z = a + 0x9E3779B97F4A7C15ull * (b + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace sn
