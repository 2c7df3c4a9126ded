// `nn bench`. Every figure is the best of a few timed rounds (the machine may be shared), and
// GEMM / training rates are also given as a percentage of the single-core SIMD peak measured at
// the start of the same run (times the thread count for multi-threaded figures).
#include <chrono>
#include <cstdio>
#include <exception>
#include <string>
#include <thread>
#include <vector>

#include "commands.h"
#include "scratchnet/bench.h"
#include "scratchnet/parallel.h"

namespace sn::cli {
namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  int threads = ThreadPool::hardware_threads();
  bool quick = false;
};

constexpr int kBatch = 64;  // the batch the shapes below and the README's tables use

// The training workloads, fixed here rather than taken from the presets (which change with
// their goals), so that figures stay comparable across runs and with the wasm and TF.js benches
// (web/scripts/bench/measure.mjs and tfjs-worker.js build the same two networks).
struct Workload {
  const char* name;
  const char* description;
};
constexpr Workload kWorkloads[] = {
    {"mlp", "dense 128 relu | dense 64 relu | dense 10 softmax"},
    {"lenet",
     "conv 8 5x5 relu | maxpool 2 | conv 16 5x5 relu | maxpool 2 | flatten | dense 10 softmax"},
};

struct GemmShape {
  const char* name;
  bool ta, tb;
  int M, N, K;
};

// The GEMMs Dense and Conv2D issue at batch 64 (see layers/dense.cpp, layers/conv2d.cpp):
// conv forward col (pixels, patch) x W (patch, F); dW = col^T dY; dcol = dY W^T.
const GemmShape kShapes[] = {
    {"square 256^3", false, false, 256, 256, 256},
    {"lenet conv1 forward", false, false, 64 * 24 * 24, 8, 25},
    {"lenet conv1 dW", true, false, 25, 8, 64 * 24 * 24},
    {"lenet conv2 forward", false, false, 64 * 8 * 8, 16, 200},
    {"lenet conv2 dW", true, false, 200, 16, 64 * 8 * 8},
    {"lenet conv2 dcol", false, true, 64 * 8 * 8, 200, 16},
    {"lenet dense forward", false, false, 64, 10, 256},
    {"lenet dense dW", true, false, 256, 10, 64},
    {"mlp dense1 forward", false, false, 64, 128, 784},
    {"mlp dense1 dW", true, false, 784, 128, 64},
    {"mlp dense2 dX", false, true, 64, 128, 64},
};

// `threads` threads running the peak loop at the same time for one window: what the cores
// give this process together right now. On a shared machine this is the ceiling for the
// multi-threaded figures below.
double concurrent_throughput(int threads, double seconds) {
  std::vector<double> each(threads);
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&each, t, seconds] { each[t] = measure_simd_sustained_gflops(seconds); });
  }
  double total = 0;
  for (int t = 0; t < threads; ++t) {
    workers[t].join();
    total += each[t];
  }
  return total;
}

bool parse(const std::vector<std::string>& args, Options& o) {
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--quick") {
      o.quick = true;
    } else if (args[i] == "--threads" && i + 1 < args.size()) {
      try {
        o.threads = std::stoi(args[++i]);
      } catch (const std::exception&) {
        o.threads = 0;
      }
      if (o.threads < 1 || o.threads > 256) {
        std::fprintf(stderr, "nn bench: --threads takes a number from 1 to 256\n");
        return false;
      }
    } else {
      std::fprintf(stderr, "nn bench: unknown argument '%s' (flags: --threads N, --quick)\n",
                   args[i].c_str());
      return false;
    }
  }
  return true;
}

}  // namespace

int bench_main(const Words& args) {
  Options o;
  if (!parse(args, o)) return 2;
  const double gemm_budget = o.quick ? 0.05 : 0.4;
  const double train_budget = o.quick ? 0.3 : 2.0;
  const int T = o.threads;

  std::printf("ScratchNet bench: kernels %s, %d hardware threads, comparing 1 and %d thread%s\n\n",
              simd_description(), ThreadPool::hardware_threads(), T, T == 1 ? "" : "s");
  const double peak = measure_simd_peak_gflops(o.quick ? 0.2 : 0.5);
  std::printf("Single-core SIMD peak (register-only FMA loop): %.1f GFLOP/s\n", peak);
  if (T > 1) {
    const double one = measure_simd_sustained_gflops(o.quick ? 0.1 : 0.25);
    const double together = concurrent_throughput(T, o.quick ? 0.1 : 0.25);
    std::printf("Sustained over %.2f s: 1 thread %.1f, %d threads at once %.1f GFLOP/s (%.2fx)\n",
                o.quick ? 0.1 : 0.25, one, T, together, together / one);
  }
  std::printf("(every figure is the best of many short rounds; %% of peak is per thread used)\n\n");

  ThreadPool pool(T);
  if (T > 1) {
    // What a layer pays per parallel step: T tasks of 10 us each take 10 us plus the hand-off
    // (waking the workers, collecting them) when every thread gets one.
    static constexpr double kTask = 10e-6;
    auto busy_task = [](int) {
      const auto end = Clock::now() + std::chrono::duration<double>(kTask);
      while (Clock::now() < end) {
      }
    };
    const double job = best_seconds_per_call([&] { pool.run(T, busy_task); }, o.quick ? 0.05 : 0.2);
    std::printf("Thread pool hand-off: %.1f us (a job of %d x 10 us tasks took %.1f us)\n\n",
                (job - kTask) * 1e6, T, job * 1e6);
  }
  std::printf("%-22s %6s %5s %6s | %9s %6s | %9s %6s | %7s\n", "GEMM (GFLOP/s)", "M", "N", "K",
              "1 thread", "%peak", (std::to_string(T) + " thr").c_str(), "%peak", "scaling");
  for (const GemmShape& s : kShapes) {
    const double one = measure_gemm_gflops(s.M, s.N, s.K, s.ta, s.tb, gemm_budget);
    const double many =
        T > 1 ? measure_gemm_gflops(s.M, s.N, s.K, s.ta, s.tb, gemm_budget, &pool) : one;
    std::printf("%-22s %6d %5d %6d | %9.1f %5.0f%% | %9.1f %5.0f%% | %6.2fx\n", s.name, s.M, s.N,
                s.K, one, 100 * one / peak, many, 100 * many / (peak * T), many / one);
  }

  std::printf("\n%-8s %8s | %12s %8s %6s | %12s %8s %6s | %7s\n", "Training", "batch",
              "1 thr samp/s", "GFLOP/s", "%peak", (std::to_string(T) + " thr samp/s").c_str(),
              "GFLOP/s", "%peak", "scaling");
  for (const Workload& w : kWorkloads) {
    try {
      const TrainingRate one = measure_training_rate(w.description, 1, kBatch, train_budget);
      const TrainingRate many =
          T > 1 ? measure_training_rate(w.description, T, kBatch, train_budget) : one;
      std::printf("%-8s %8d | %12.0f %8.2f %5.1f%% | %12.0f %8.2f %5.1f%% | %6.2fx\n", w.name,
                  kBatch, one.samples_per_second, one.gflops, 100 * one.gflops / peak,
                  many.samples_per_second, many.gflops, 100 * many.gflops / (peak * T),
                  many.samples_per_second / one.samples_per_second);
    } catch (const std::exception& e) {
      std::printf("%-8s training bench failed: %s\n", w.name, e.what());
      return 1;
    }
  }
  return 0;
}

}  // namespace sn::cli
