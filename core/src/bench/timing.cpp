// The bench's timed loops: best-of-rounds timing, GEMM throughput and training throughput
// (bench.h). The peak loop is in peak.cpp.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <vector>

#include "scratchnet/bench.h"
#include "scratchnet/gemm.h"
#include "scratchnet/network.h"
#include "scratchnet/trainer.h"

namespace sn {

namespace {

using Clock = std::chrono::steady_clock;

// Values in [-1, 1) from a linear congruential generator: the same on every platform, and
// cheaper in a wasm module than <random>'s distributions.
struct Lcg {
  uint32_t state;
  float next() {
    state = state * 1664525u + 1013904223u;
    return static_cast<float>(state >> 8) * (2.0f / 16777216.0f) - 1.0f;
  }
};

}  // namespace

double best_seconds_per_call(const std::function<void()>& fn, double budget_seconds) {
  constexpr double kRoundSeconds = 0.004;
  // Warm up: packing buffers, caches, worker threads, and (wasm) the optimising compiler, which
  // takes over a function only on a later call.
  fn();
  double best = 1e30;
  const auto end =
      Clock::now() + std::chrono::duration<double>(std::clamp(budget_seconds, 0.0, 60.0));
  for (int round = 0; round < 3 || Clock::now() < end; ++round) {
    long calls = 0;
    const auto t0 = Clock::now();
    double dt = 0;
    do {
      fn();
      ++calls;
      dt = std::chrono::duration<double>(Clock::now() - t0).count();
    } while (dt < kRoundSeconds);
    best = std::min(best, dt / calls);
  }
  return best;
}

double measure_gemm_gflops(int m, int n, int k, bool trans_a, bool trans_b, double seconds,
                           ThreadPool* pool) {
  const double floats =
      static_cast<double>(m) * k + static_cast<double>(k) * n + static_cast<double>(m) * n;
  if (m < 1 || n < 1 || k < 1 || floats > (1 << 24)) return 0;
  std::vector<float> a(static_cast<size_t>(m) * k), b(static_cast<size_t>(k) * n),
      c(static_cast<size_t>(m) * n, 0.0f);
  Lcg rng{1};
  for (float& x : a) x = rng.next();
  for (float& x : b) x = rng.next();
  const int lda = trans_a ? m : k, ldb = trans_b ? k : n;
  // beta = 1 like the layers' dW; the values stay bounded over the calls a bench makes.
  const float beta = trans_a ? 1.0f : 0.0f;
  auto call = [&] {
    gemm(trans_a, trans_b, m, n, k, a.data(), lda, b.data(), ldb, beta, c.data(), n, pool);
  };
  return 2.0 * m * n * k / best_seconds_per_call(call, std::clamp(seconds, 0.01, 10.0)) * 1e-9;
}

TrainingRate measure_training_rate(const std::string& model, int threads, int batch,
                                   double seconds) {
  Dataset data;
  data.rows = data.cols = 28;
  constexpr int kCount = 4096;
  Lcg rng{3};
  data.images.resize(static_cast<size_t>(kCount) * 28 * 28);
  data.labels.resize(kCount);
  for (auto& p : data.images) p = static_cast<uint8_t>(rng.next() * 127.5f + 127.5f);
  for (auto& l : data.labels)
    l = static_cast<uint8_t>(static_cast<int>((rng.next() + 1.0f) * 5.0f) % 10);
  Network net(model, 28, 28, 1, 1);
  net.set_threads(threads);
  TrainOptions options;
  options.batch_size = batch;
  Trainer trainer(net, data, options);
  constexpr int kSteps = 2;
  const double t = best_seconds_per_call([&] { trainer.train_steps(kSteps); }, seconds);
  const double samples_per_second = kSteps * batch / t;
  return {samples_per_second, samples_per_second * 3.0 * net.flops_per_sample() * 1e-9};
}

}  // namespace sn
