#pragma once
// Random draws for weight initialisation, written out by hand so that the native build
// (libstdc++) and the wasm build (libc++) produce bit-identical weights from the same seed:
// std::mt19937_64 is fully specified by the standard, but std::uniform_real_distribution and
// std::normal_distribution are not.
#include <cstdint>
#include <random>

namespace sn {

// Uniform in [0, 1): the top 53 bits of one 64-bit draw, scaled exactly.
double uniform01(std::mt19937_64& rng);
// Standard normal via Box-Muller (Box & Muller, 1958). Uses log/cos, whose last bit may differ
// between C libraries, so initialisation uses the uniform variants below instead.
double standard_normal(std::mt19937_64& rng);

// Fills w[0..count) uniformly in [-limit, limit]. Only multiplications and additions: exact on
// every platform.
void fill_uniform(float* w, int64_t count, double limit, std::mt19937_64& rng);

// He (He et al., 2015, "Delving Deep into Rectifiers"): Var = 2 / fan_in, for layers followed by
// ReLU. Glorot (Glorot & Bengio, 2010): Var = 2 / (fan_in + fan_out), otherwise. Both drawn
// uniformly with that variance: U(-a, a) has variance a^2 / 3.
void init_he(float* w, int64_t count, int64_t fan_in, std::mt19937_64& rng);
void init_glorot(float* w, int64_t count, int64_t fan_in, int64_t fan_out, std::mt19937_64& rng);

}  // namespace sn
