// Peak measurement: a loop of independent multiply-adds that never touches memory.
// 12 accumulators cover FMA latency x throughput on current cores (4 cycles x 2 pipes = 8),
// and leave registers for the operands.
#include "kernels/peak.h"

#include <algorithm>
#include <chrono>
#include <cstdint>

#include "kernels/simd.h"

namespace sn {
namespace {

// Without FMA the loop also needs a multiplier per accumulator: 6 + 6 + 2 fit 16 registers
// (V8 maps wasm's vectors onto the 16 x86 ones), and 6 covers add latency x throughput.
constexpr int kAccumulators = simd::kFused ? 12 : 6;

// Runs `iterations` rounds of kAccumulators multiply-adds; returns a value depending on all of
// them so the compiler cannot drop any.
float fma_loop(int64_t iterations, float seed) {
  using namespace simd;
  vf acc[kAccumulators], v[kAccumulators];
  for (int i = 0; i < kAccumulators; ++i) {
    acc[i] = broadcast(seed + 0.001f * i);
    v[i] = broadcast(1e-7f * (i + 1));
  }
  if constexpr (kFused) {
    // acc = acc * x + y: one fused instruction per step, chained through acc. x slightly below
    // 1 and a small y keep the values finite and normal for any iteration count.
    const vf x = broadcast(0.999999f + seed * 1e-9f), y = broadcast(1e-7f);
    for (int64_t n = 0; n < iterations; ++n) {
      for (int i = 0; i < kAccumulators; ++i) acc[i] = fmadd(acc[i], x, y);
    }
  } else {
    // Without FMA a chained multiply-then-add would measure latency, not throughput. As in a
    // GEMM, the products do not depend on the accumulators: acc += v * w, with w moving so
    // that nothing is loop-invariant.
    vf w = broadcast(seed);
    const vf step = broadcast(1e-9f);
    for (int64_t n = 0; n < iterations; ++n) {
      for (int i = 0; i < kAccumulators; ++i) acc[i] = fmadd(v[i], w, acc[i]);
      w = add(w, step);
    }
  }
  vf sum = acc[0];
  for (int i = 1; i < kAccumulators; ++i) sum = add(sum, acc[i]);
  alignas(64) float lanes[kLanes];
  store(lanes, sum);
  float total = 0;
  for (int i = 0; i < kLanes; ++i) total += lanes[i];
  return total;
}

}  // namespace

double measure_simd_peak_gflops(double seconds) {
  using clock = std::chrono::steady_clock;
  volatile float sink = 0;
  volatile float seed = 0.5f;  // unknown to the compiler: nothing can be precomputed
  // Rounds of about 2 ms: short enough that on a shared machine many of them run undisturbed.
  int64_t iterations = int64_t{1} << 16;
  for (;;) {
    const auto t0 = clock::now();
    sink = sink + fma_loop(iterations, seed);
    const double dt = std::chrono::duration<double>(clock::now() - t0).count();
    if (dt > 0.002 || iterations > (int64_t{1} << 40)) break;
    iterations *= 2;
  }
  double best = 0;
  const auto end = clock::now() + std::chrono::duration<double>(seconds);
  int rounds = 0;
  while (rounds < 3 || clock::now() < end) {
    const auto t0 = clock::now();
    sink = sink + fma_loop(iterations, seed);
    const double dt = std::chrono::duration<double>(clock::now() - t0).count();
    const double flops = 2.0 * simd::kLanes * kAccumulators * static_cast<double>(iterations);
    best = std::max(best, flops / dt * 1e-9);
    ++rounds;
  }
  return best;
}

const char* simd_description() { return simd::kName; }

}  // namespace sn
