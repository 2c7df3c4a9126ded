// Peak measurement: a loop of independent fused multiply-adds that never touches memory.
// 12 accumulators cover FMA latency x throughput on current cores (4 cycles x 2 pipes = 8),
// and leave registers for the two operands.
#include "kernels/peak.h"

#include <algorithm>
#include <chrono>

#include "kernels/simd.h"

namespace sn {
namespace {

constexpr int kAccumulators = 12;

// Runs `iterations` rounds of kAccumulators FMAs; returns a value depending on all of them so
// the compiler cannot drop any.
float fma_loop(long iterations, float seed) {
  using namespace simd;
  vf acc[kAccumulators];
  for (int i = 0; i < kAccumulators; ++i) acc[i] = broadcast(seed + 0.001f * i);
  // x slightly below 1 and a small y keep the values finite and normal for any iteration count.
  const vf x = broadcast(0.999999f + seed * 1e-9f), y = broadcast(1e-7f);
  for (long n = 0; n < iterations; ++n) {
    for (int i = 0; i < kAccumulators; ++i) acc[i] = fmadd(acc[i], x, y);
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
  long iterations = 1 << 16;
  for (;;) {
    const auto t0 = clock::now();
    sink = sink + fma_loop(iterations, seed);
    const double dt = std::chrono::duration<double>(clock::now() - t0).count();
    if (dt > 0.002 || iterations > (1L << 40)) break;
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
