// `nn bench-learn`: trains each preset with its recommended settings (preset_settings.h) on full
// MNIST and Fashion-MNIST and prints one table: test accuracy after the last epoch (mean and
// spread over seeds), native training seconds, and the training seconds until the test accuracy
// first reached the preset's goal (checked after every epoch). Accuracies are deterministic for
// a seed; seconds depend on the machine and its load (CPU seconds, summed over threads, less so).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "args.h"
#include "commands.h"
#include "common.h"
#include "scratchnet/network.h"
#include "scratchnet/parallel.h"
#include "scratchnet/preset_settings.h"
#include "scratchnet/session.h"
#include "scratchnet/trainer.h"

namespace sn::cli {

namespace {

const std::vector<FlagSpec> kFlags = {
    {"mnist", true},   {"fashion", true}, {"models", true}, {"seeds", true},
    {"threads", true}, {"epochs", true},  {"sets", true},
};

// The goals of issue 9 (test accuracy, %): the time column counts training up to this.
double goal(const std::string& set, const std::string& model) {
  if (set == "mnist") {
    if (model == "mlp") return 98.2;
    if (model == "cnn-deep") return 99.6;
    return 99.0;  // fast, lenet
  }
  if (model == "mlp") return 89.5;
  if (model == "lenet") return 90.5;
  if (model == "cnn-deep") return 93.5;
  return 90.0;
}

struct Run {
  double accuracy;  // %, after the last epoch
  double best;      // %, best epoch
  double seconds;   // training only (no evaluation, no data loading), wall clock
  double cpu;       // the same span in CPU seconds of this process (all threads)
  double to_goal;   // training seconds until the goal was first reached; < 0: never
};

Run train_once(const std::string& model, const std::string& set, const Dataset& train,
               const Dataset& test, int epochs, uint64_t seed, int threads, double target) {
  const PresetSettings* s = preset_settings(model);
  TrainOptions o = options_for_epochs(s->options, epochs);
  o.augment = augmentation_for(set, o.augment.enabled);  // flips for clothes, warps for digits
  o.seed = seed;
  Network net(model, train.rows, train.cols, 1, seed);
  net.set_threads(threads);
  Trainer trainer(net, train, o);
  Run r{0, 0, 0, 0, -1};
  for (int e = 0; e < epochs; ++e) {
    const auto t0 = std::chrono::steady_clock::now();
    const std::clock_t c0 = std::clock();
    trainer.train_epoch();
    r.cpu += double(std::clock() - c0) / CLOCKS_PER_SEC;
    r.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    r.accuracy = evaluate(net, test).accuracy * 100.0;
    r.best = std::max(r.best, r.accuracy);
    if (r.to_goal < 0 && r.accuracy >= target) r.to_goal = r.seconds;
  }
  return r;
}

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> out;
  size_t at = 0;
  while (at <= text.size()) {
    const size_t comma = std::min(text.find(',', at), text.size());
    if (comma > at) out.push_back(text.substr(at, comma - at));
    at = comma + 1;
  }
  return out;
}

}  // namespace

int bench_learn_main(const Words& words) {
  Args a("bench-learn", words, kFlags);
  const std::string small = data_dir_or_default("");
  const std::string data_root = std::filesystem::path(small).parent_path().string();
  const std::string mnist = a.str("mnist", data_root + "/mnist-full");
  const std::string fashion = a.str("fashion", data_root + "/fashion");
  const std::vector<std::string> models = split(a.str("models", "fast,mlp,lenet,cnn-deep"));
  const std::vector<std::string> sets = split(a.str("sets", "mnist,fashion"));
  const int seeds = static_cast<int>(a.integer("seeds", 0, 1, 100));  // 0: 5 for fast, else 3
  const int epochs_flag = static_cast<int>(a.integer("epochs", 0, 1, 1000));
  const int threads =
      static_cast<int>(a.integer("threads", ThreadPool::hardware_threads(), 1, 256));
  for (const std::string& m : models) {
    if (!preset_settings(m)) throw UsageError("--models: '" + m + "' is not a preset");
  }

  std::printf(
      "| data | model | epochs | test accuracy (mean, min-max) | best epoch (mean) | "
      "training s (mean) | CPU s (mean) | goal | s to goal (mean; reached) |\n");
  std::printf("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
  std::fflush(stdout);
  for (const std::string& set : sets) {
    const std::string dir = set == "mnist" ? mnist : set == "fashion" ? fashion : "";
    if (dir.empty()) throw UsageError("--sets: expected mnist and/or fashion, got '" + set + "'");
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) {
      std::fprintf(stderr, "bench-learn: %s not found; %s skipped (run `npm run data`)\n",
                   dir.c_str(), set.c_str());
      continue;
    }
    Session data;
    load_data(data, dir, {}, true);
    for (const std::string& model : models) {
      if (set == "fashion" && model == "fast") continue;  // built for digits in one epoch
      const PresetSettings* s = preset_settings(model);
      const int epochs = epochs_flag ? epochs_flag : s->epochs;
      const int n = seeds ? seeds : (model == "fast" ? 5 : 3);
      const double target = goal(set, model);
      std::vector<Run> runs;
      for (int seed = 1; seed <= n; ++seed) {
        runs.push_back(train_once(model, set, data.train_split(), data.test_split(), epochs,
                                  uint64_t(seed), threads, target));
        std::fprintf(stderr, "bench-learn: %s %s seed %d: %.2f%% (best %.2f%%) in %.1fs\n",
                     set.c_str(), model.c_str(), seed, runs.back().accuracy, runs.back().best,
                     runs.back().seconds);
      }
      double acc = 0, lo = 100, hi = 0, best = 0, secs = 0, cpu = 0, to_goal = 0;
      int reached = 0;
      for (const Run& r : runs) {
        acc += r.accuracy / n;
        best += r.best / n;
        secs += r.seconds / n;
        cpu += r.cpu / n;
        lo = std::min(lo, r.accuracy);
        hi = std::max(hi, r.accuracy);
        if (r.to_goal >= 0) to_goal += r.to_goal, ++reached;
      }
      char goal_time[48] = "-";
      if (reached)
        std::snprintf(goal_time, sizeof goal_time, "%.1f; %d of %d", to_goal / reached, reached, n);
      std::printf("| %s | %s | %d | %.2f%% (%.2f-%.2f) | %.2f%% | %.1f | %.1f | %.1f%% | %s |\n",
                  set == "mnist" ? "MNIST" : "Fashion-MNIST", model.c_str(), epochs, acc, lo, hi,
                  best, secs, cpu, target, goal_time);
      std::fflush(stdout);
    }
  }
  return 0;
}

}  // namespace sn::cli
