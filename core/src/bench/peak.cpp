// Peak measurement: a loop of independent multiply-adds that never touches memory.
// 12 accumulator chains cover latency x throughput on current x86 cores: with FMA 4 cycles x
// 2 pipes = 8 in flight; without (wasm SIMD128: a multiply, then an add) 6 cycles x 2 = 12,
// keeping both the multiply and the add pipes busy. They leave registers for the operands.
// In wasm (V8's --print-wasm-code) the loop body is 12 in-place multiply/add pairs on 12
// registers plus 2 for x and y, with no stack traffic; a 13th accumulator adds nothing and a
// 14th spills.
#include "scratchnet/bench.h"

#include <algorithm>
#include <chrono>
#include <cstdint>

#include "kernels/simd.h"

namespace sn {
namespace {

constexpr int kAccumulators = 12;

// Runs `iterations` rounds of kAccumulators multiply-adds; returns a value depending on all of
// them so the compiler cannot drop any. Kept out of line: a WebAssembly engine swaps in its
// optimised code only when a function is called again (there is no on-stack replacement), so
// inlined into a caller that runs once, the loop would be timed in the baseline compiler.
[[gnu::noinline]] float fma_loop(int64_t iterations, float seed) {
  using namespace simd;
  vf acc[kAccumulators];
  for (int i = 0; i < kAccumulators; ++i) acc[i] = broadcast(seed + 0.001f * i);
  // acc = acc * x + y, chained through acc. x slightly below 1 and a small y keep the values
  // finite and normal for any iteration count.
  const vf x = broadcast(0.999999f + seed * 1e-9f), y = broadcast(1e-7f);
  for (int64_t n = 0; n < iterations; ++n) {
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
  int64_t iterations = int64_t{1} << 16;
  for (;;) {
    const auto t0 = clock::now();
    sink = sink + fma_loop(iterations, seed);
    const double dt = std::chrono::duration<double>(clock::now() - t0).count();
    if (dt > 0.002 || iterations > (int64_t{1} << 40)) break;
    iterations *= 2;
  }
  double best = 0;
  const auto end = clock::now() + std::chrono::duration<double>(std::clamp(seconds, 0.01, 10.0));
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

double measure_simd_sustained_gflops(double seconds) {
  using clock = std::chrono::steady_clock;
  volatile float sink = 0;
  volatile float seed = 0.5f;
  constexpr int64_t kIterations = int64_t{1} << 14;  // ~0.1 ms per call at 100 GFLOP/s
  const auto start = clock::now();
  const auto end = start + std::chrono::duration<double>(seconds);
  int64_t calls = 0;
  do {
    sink = sink + fma_loop(kIterations, seed);
    ++calls;
  } while (clock::now() < end);
  const double dt = std::chrono::duration<double>(clock::now() - start).count();
  return 2.0 * simd::kLanes * kAccumulators * static_cast<double>(kIterations * calls) / dt * 1e-9;
}

const char* simd_description() { return simd::kName; }

}  // namespace sn
