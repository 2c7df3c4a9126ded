#pragma once
// Measuring the engine: this core's floating-point peak, GEMM and training throughput. `nn bench`
// and the wasm bench (web/scripts/bench) both report these, so native and wasm figures come from
// the same loops. Every rate is the best of many short timed rounds: on a shared machine that is
// what the code does when it has the core.
#include <functional>
#include <string>

namespace sn {

class ThreadPool;

// GFLOP/s of one thread running only register-resident vector multiply-adds, with enough
// independent accumulators to hide their latency. Best round over about `seconds` (clamped to
// 0.01..10, as in measure_gemm_gflops: a typo cannot ask for an hour).
double measure_simd_peak_gflops(double seconds = 0.25);

// The same loop's average rate over one window of about `seconds` (not the best round). Run on
// several threads at once, the sum says how much of the machine this process really gets.
double measure_simd_sustained_gflops(double seconds);

// The instruction set the kernels were compiled for, e.g. "AVX2+FMA (8 lanes)".
const char* simd_description();

// Seconds per call of fn: one warm-up call, then the best of rounds of at least 4 ms each (long
// enough for a coarse browser clock) over about budget_seconds (at least three rounds).
double best_seconds_per_call(const std::function<void()>& fn, double budget_seconds);

// GFLOP/s of gemm C = op(A) op(B) (+ C when trans_a, as the layers' weight gradients do) on
// operands in [-1, 1), best over about `seconds` (clamped to 0.01..10); pool null = one thread. 0
// when a size is below 1 or the three matrices would hold more than 2^24 floats (a typo cannot ask
// for gigabytes).
double measure_gemm_gflops(int m, int n, int k, bool trans_a, bool trans_b, double seconds,
                           ThreadPool* pool = nullptr);

struct TrainingRate {
  double samples_per_second;
  double gflops;  // forward + backward taken as 3x the forward FLOPs
};

// Training steps (gather, forward, backward, Adam) of a preset or description on 4,096
// synthetic 28x28 images, `threads` threads, batch `batch`.
TrainingRate measure_training_rate(const std::string& model, int threads, int batch,
                                   double seconds);

}  // namespace sn
