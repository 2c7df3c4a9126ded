// Optimizers: one or two steps worked out by hand.
#include <gtest/gtest.h>

#include <limits>
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
  ASSERT_TRUE(opt->step(0.1f));
  EXPECT_FLOAT_EQ(f.w[0], 1.0f - 0.1f * (0.5f + 0.1f * 1.0f));  // 0.94
  EXPECT_FLOAT_EQ(f.b[0], 1.0f - 0.1f * 0.5f);                  // no decay on biases
}

TEST(Optimizers, MomentumTwoSteps) {
  Fixture f;
  auto opt = make(OptimizerKind::Momentum, f);
  ASSERT_TRUE(opt->step(0.1f));  // v = 0.5, w = 1 - 0.05
  EXPECT_FLOAT_EQ(f.w[0], 0.95f);
  ASSERT_TRUE(opt->step(0.1f));  // v = 0.9 * 0.5 + 0.5 = 0.95, w = 0.95 - 0.095
  EXPECT_FLOAT_EQ(f.w[0], 0.855f);
}

TEST(Optimizers, AdamStepsByHand) {
  Fixture f;
  auto opt = make(OptimizerKind::Adam, f);
  // Step 1: m = 0.1 * 0.5 = 0.05, v = 0.001 * 0.25 = 0.00025,
  //         m^ = 0.05 / 0.1 = 0.5, v^ = 0.00025 / 0.001 = 0.25, w = 1 - 0.1 * 0.5 / 0.5 = 0.9
  ASSERT_TRUE(opt->step(0.1f));
  EXPECT_NEAR(f.w[0], 0.9f, 1e-6);
  // Step 2 with g = -0.5: m = 0.045 - 0.05 = -0.005, v = 0.00024975 + 0.00025 = 0.00049975,
  //   m^ = -0.005 / 0.19 = -0.0263158, v^ = 0.00049975 / 0.001999 = 0.2500000,
  //   w = 0.9 + 0.1 * 0.0263158 / 0.5 = 0.9052632
  f.gw[0] = -0.5f;
  ASSERT_TRUE(opt->step(0.1f));
  EXPECT_NEAR(f.w[0], 0.9052632f, 1e-6);
}

TEST(Optimizers, AdamWeightDecayIsAddedToTheGradient) {
  Fixture f;
  f.gw[0] = 0.0f;
  f.gb[0] = 0.0f;
  auto opt = make(OptimizerKind::Adam, f, 0.1f);
  ASSERT_TRUE(opt->step(0.1f));
  // g = 0 + 0.1 * w = 0.1: m^ = 0.1, v^ = 0.01, w = 1 - 0.1 * 0.1 / 0.1 = 0.9; bias untouched
  EXPECT_NEAR(f.w[0], 0.9f, 1e-6);
  EXPECT_EQ(f.b[0], 1.0f);
}

// A step that leaves a NaN or infinity anywhere (weights or state) is refused and undone: the
// weights are bit-identical to before, and the next good step gives exactly what it would have
// given had the bad step never been tried (state, step count and Adam's bias powers included).
// Gradients spread over several pieces and threads, with the bad value in the last piece only,
// so the pieces that updated cleanly must be rolled back too.
TEST(Optimizers, NonFiniteStepIsUndoneExactly) {
  const float kBadGradients[] = {std::numeric_limits<float>::infinity(),
                                 std::numeric_limits<float>::quiet_NaN(),
                                 1e30f};  // Adam: g * g overflows v while w stays finite
  for (OptimizerKind kind : {OptimizerKind::SGD, OptimizerKind::Momentum, OptimizerKind::Adam}) {
    for (float bad : kBadGradients) {
      if (bad == 1e30f && kind != OptimizerKind::Adam) continue;  // finite for SGD and momentum
      const size_t n = 100003;
      std::vector<float> w_tried(n), w_clean(n), g(n);
      std::mt19937 rng(3);
      std::normal_distribution<float> normal(0.0f, 1.0f);
      for (size_t i = 0; i < n; ++i) w_tried[i] = w_clean[i] = normal(rng);
      TrainOptions o;
      o.optimizer = kind;
      o.momentum = 0.9f;
      auto tried = make_optimizer(o, {ParamSlot{w_tried.data(), g.data(), n, true}});
      auto clean = make_optimizer(o, {ParamSlot{w_clean.data(), g.data(), n, true}});
      ThreadPool pool(2);
      for (size_t i = 0; i < n; ++i) g[i] = normal(rng);
      ASSERT_TRUE(tried->step(0.01f, &pool));
      ASSERT_TRUE(clean->step(0.01f, &pool));

      const std::vector<float> before = w_tried;
      const float kept = g[n - 1];
      g[n - 1] = bad;
      EXPECT_FALSE(tried->step(0.01f, &pool)) << "kind " << int(kind) << " gradient " << bad;
      EXPECT_EQ(w_tried, before);
      EXPECT_EQ(tried->steps(), 1);
      g[n - 1] = kept;

      for (size_t i = 0; i < n; ++i) g[i] = normal(rng);
      ASSERT_TRUE(tried->step(0.01f, &pool));
      ASSERT_TRUE(clean->step(0.01f, &pool));
      EXPECT_EQ(w_tried, w_clean) << "kind " << int(kind) << " gradient " << bad;
      EXPECT_EQ(tried->steps(), 2);
    }
  }
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
      for (int step = 0; step < 3; ++step) ASSERT_TRUE(opt->step(0.01f, &pool));
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
