// Optimizers: one or two steps worked out by hand.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "optim/optimizer.h"
#include "scratchnet/parallel.h"

namespace sn {
namespace {

struct Fixture {
  std::vector<float> w{1.0f}, b{1.0f};
  std::vector<float> gw{0.5f}, gb{0.5f};
  std::vector<ParamSlot> slots() {
    return {ParamSlot{w.data(), gw.data(), 1, true}, ParamSlot{b.data(), gb.data(), 1, false}};
  }
};

std::unique_ptr<Optimizer> make(OptimizerKind kind, Fixture& f, float decay = 0.0f) {
  TrainOptions o;
  o.optimizer = kind;
  o.momentum = 0.9f;
  o.weight_decay = decay;
  return make_optimizer(o, f.slots());
}

TEST(Optimizers, SgdWithWeightDecayOnWeightsOnly) {
  Fixture f;
  auto opt = make(OptimizerKind::SGD, f, 0.1f);
  opt->step(0.1f);
  EXPECT_FLOAT_EQ(f.w[0], 1.0f - 0.1f * (0.5f + 0.1f * 1.0f));  // 0.94
  EXPECT_FLOAT_EQ(f.b[0], 1.0f - 0.1f * 0.5f);                 // no decay on biases
}

TEST(Optimizers, MomentumTwoSteps) {
  Fixture f;
  auto opt = make(OptimizerKind::Momentum, f);
  opt->step(0.1f);  // v = 0.5, w = 1 - 0.05
  EXPECT_FLOAT_EQ(f.w[0], 0.95f);
  opt->step(0.1f);  // v = 0.9 * 0.5 + 0.5 = 0.95, w = 0.95 - 0.095
  EXPECT_FLOAT_EQ(f.w[0], 0.855f);
}

TEST(Optimizers, AdamStepsByHand) {
  Fixture f;
  auto opt = make(OptimizerKind::Adam, f);
  // Step 1: m = 0.1 * 0.5 = 0.05, v = 0.001 * 0.25 = 0.00025,
  //         m^ = 0.05 / 0.1 = 0.5, v^ = 0.00025 / 0.001 = 0.25, w = 1 - 0.1 * 0.5 / 0.5 = 0.9
  opt->step(0.1f);
  EXPECT_NEAR(f.w[0], 0.9f, 1e-6);
  // Step 2 with g = -0.5: m = 0.045 - 0.05 = -0.005, v = 0.00024975 + 0.00025 = 0.00049975,
  //   m^ = -0.005 / 0.19 = -0.0263158, v^ = 0.00049975 / 0.001999 = 0.2500000,
  //   w = 0.9 + 0.1 * 0.0263158 / 0.5 = 0.9052632
  f.gw[0] = -0.5f;
  opt->step(0.1f);
  EXPECT_NEAR(f.w[0], 0.9052632f, 1e-6);
}

TEST(Optimizers, AdamWeightDecayIsAddedToTheGradient) {
  Fixture f;
  f.gw[0] = 0.0f;
  f.gb[0] = 0.0f;
  auto opt = make(OptimizerKind::Adam, f, 0.1f);
  opt->step(0.1f);
  // g = 0 + 0.1 * w = 0.1: m^ = 0.1, v^ = 0.01, w = 1 - 0.1 * 0.1 / 0.1 = 0.9; bias untouched
  EXPECT_NEAR(f.w[0], 0.9f, 1e-6);
  EXPECT_EQ(f.b[0], 1.0f);
}

TEST(Optimizers, SnapshotRestoreRewindsState) {
  Fixture f;
  auto opt = make(OptimizerKind::Adam, f);
  opt->step(0.1f);
  OptimizerSnapshot snap;
  opt->snapshot(snap);
  const float w1 = f.w[0];
  opt->step(0.1f);
  const float w2 = f.w[0];
  opt->restore(snap);
  f.w[0] = w1;
  opt->step(0.1f);
  EXPECT_EQ(f.w[0], w2);  // the same second step, bit for bit
  EXPECT_EQ(opt->steps(), 2);
}

// step() spreads tensors larger than one piece over the pool; every update is element-wise, so
// the weights must be bit-identical for any thread count (odd sizes put tails mid-piece).
TEST(Optimizers, SameBitsForAnyThreadCount) {
  for (OptimizerKind kind : {OptimizerKind::SGD, OptimizerKind::Momentum, OptimizerKind::Adam}) {
    std::vector<std::vector<float>> reference;
    for (int threads : {1, 2, 3}) {
      const std::vector<size_t> sizes = {70001, 13, 40003, 1};
      std::vector<std::vector<float>> w(sizes.size()), g(sizes.size());
      std::mt19937 rng(5);
      std::normal_distribution<float> normal(0.0f, 1.0f);
      std::vector<ParamSlot> slots;
      for (size_t i = 0; i < sizes.size(); ++i) {
        for (size_t j = 0; j < sizes[i]; ++j) {
          w[i].push_back(normal(rng));
          g[i].push_back(normal(rng));
        }
        slots.push_back(ParamSlot{w[i].data(), g[i].data(), sizes[i], i % 2 == 0});
      }
      TrainOptions o;
      o.optimizer = kind;
      o.momentum = 0.9f;
      o.weight_decay = 0.01f;
      auto opt = make_optimizer(o, slots);
      ThreadPool pool(threads);
      for (int step = 0; step < 3; ++step) opt->step(0.01f, &pool);
      if (reference.empty()) {
        reference = w;
      } else {
        EXPECT_EQ(w, reference) << threads << " threads, optimizer " << static_cast<int>(kind);
      }
    }
  }
}

}  // namespace
}  // namespace sn
