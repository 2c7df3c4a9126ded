// Training options beside the optimizer's basics: label smoothing (loss and gradient against a
// hand computation), decoupled weight decay (AdamW) against coupled L2, and Adam's betas.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "losses/cross_entropy.h"
#include "optim/optimizer.h"
#include "scratchnet/error.h"
#include "scratchnet/trainer.h"

namespace sn {
namespace {

TEST(LabelSmoothing, LossAndGradientByHand) {
  // Two samples, 3 classes, s = 0.3: targets 0.8 for the label, 0.1 for the others.
  const float z[6] = {1, 2, 3, 0, 0, 0};
  const uint8_t labels[2] = {0, 2};
  float dz[6];
  const float loss = softmax_cross_entropy(z, labels, 2, 3, dz, 0.3f);
  // sample 1: log(e + e^2 + e^3) - (0.8 * 1 + 0.1 * 2 + 0.1 * 3) = 3.4076059644 - 1.3
  // sample 2: log 3 - 0 = 1.0986122887
  EXPECT_NEAR(loss, (2.1076059644 + 1.0986122887) / 2, 1e-6);
  // softmax(1, 2, 3) = 0.0900305732, 0.2447284711, 0.6652409558; dz = (p - t) / 2
  const double expected[6] = {(0.0900305732 - 0.8) / 2, (0.2447284711 - 0.1) / 2,
                              (0.6652409558 - 0.1) / 2, (1.0 / 3 - 0.1) / 2,
                              (1.0 / 3 - 0.1) / 2,      (1.0 / 3 - 0.8) / 2};
  for (int i = 0; i < 6; ++i) EXPECT_NEAR(dz[i], expected[i], 1e-6) << i;
}

TEST(LabelSmoothing, ZeroIsThePlainLossBitForBit) {
  const float z[6] = {0.3f, -1.2f, 2.5f, 0.01f, 0.7f, -0.4f};
  const uint8_t labels[2] = {2, 1};
  float d0[6], d1[6];
  EXPECT_EQ(softmax_cross_entropy(z, labels, 2, 3, d0),
            softmax_cross_entropy(z, labels, 2, 3, d1, 0.0f));
  for (int i = 0; i < 6; ++i) EXPECT_EQ(d0[i], d1[i]);
}

TEST(LabelSmoothing, TrainerChecksIt) {
  Dataset data;
  data.rows = data.cols = 2;
  data.images.assign(8, 100);
  data.labels = {0, 1};
  Network mse("dense 2 | loss mse", 2, 2, 1, 1);
  TrainOptions o;
  o.label_smoothing = 0.1f;
  EXPECT_THROW(Trainer(mse, data, o), Error);  // only for xent
  Network xent("dense 2 softmax", 2, 2, 1, 1);
  o.label_smoothing = 1.0f;
  EXPECT_THROW(Trainer(xent, data, o), Error);
  o.label_smoothing = 0.1f;
  Trainer ok(xent, data, o);
  EXPECT_TRUE(std::isfinite(ok.train_steps(1)[0]));
}

// One weight and one bias, stepped by the optimizer make_optimizer builds from `o`.
struct Pair {
  float w = 1.0f, b = 1.0f, gw = 0.0f, gb = 0.0f;
};

std::unique_ptr<Optimizer> optimizer_for(Pair& p, const TrainOptions& o) {
  return make_optimizer(o, {ParamSlot{&p.w, &p.gw, 1, true}, ParamSlot{&p.b, &p.gb, 1, false}});
}

TEST(AdamW, DecayIsDecoupledFromTheAdaptiveStep) {
  TrainOptions o;
  o.optimizer = OptimizerKind::AdamW;
  o.weight_decay = 0.1f;
  Pair p;
  p.gw = 0.2f;
  p.gb = 0.2f;
  auto opt = optimizer_for(p, o);
  ASSERT_TRUE(opt->step(0.5f));
  // First Adam step: m^ = g, v^ = g^2, so the step is lr * g / (|g| + eps) ~ 0.5; the decay
  // shrinks w by lr * 0.1 on top: w = 1 * (1 - 0.05) - 0.5 = 0.45. The bias is not decayed.
  // (1e-5: the bias correction 1 / (1 - 0.999) is rounded to float, so the step is 0.4999967.)
  EXPECT_NEAR(p.w, 0.45f, 1e-5);
  EXPECT_NEAR(p.b, 0.5f, 1e-5);
  // With no gradient at all, AdamW still shrinks the weight; Adam + L2 takes a full step.
  Pair q, r;
  auto decoupled = optimizer_for(q, o);
  ASSERT_TRUE(decoupled->step(0.5f));
  EXPECT_NEAR(q.w, 0.95f, 1e-7);
  o.optimizer = OptimizerKind::Adam;
  auto coupled = optimizer_for(r, o);
  ASSERT_TRUE(coupled->step(0.5f));
  EXPECT_NEAR(r.w, 0.5f, 1e-5);  // g = 0 + 0.1 * 1: a whole normalised step of 0.5
  EXPECT_EQ(parse_optimizer("adamw"), OptimizerKind::AdamW);
  EXPECT_STREQ(optimizer_name(OptimizerKind::AdamW), "adamw");
}

TEST(Adam, BetasAreUsed) {
  // Gradients +1 then -1 with lr 0.1. Step 1 is lr * 1 for any betas (w = 0.9). Step 2 with
  // b1 0.7, b2 0.9: m = 0.7 * 0.3 - 0.3 = -0.09, m^ = -0.09 / 0.51; v = 0.09 + 0.1 = 0.19,
  // v^ = 0.19 / 0.19 = 1: w = 0.9 + 0.1 * 0.09 / 0.51 = 0.91764706.
  TrainOptions o;
  o.beta1 = 0.7;
  o.beta2 = 0.9;
  Pair p;
  auto opt = optimizer_for(p, o);
  p.gw = 1.0f;
  ASSERT_TRUE(opt->step(0.1f));
  EXPECT_NEAR(p.w, 0.9f, 1e-6);
  p.gw = -1.0f;
  ASSERT_TRUE(opt->step(0.1f));
  EXPECT_NEAR(p.w, 0.91764706f, 1e-6);
  // The defaults (0.9, 0.999): m^ = -0.01 / 0.19, v^ = 1: w = 0.9 + 0.1 / 19 = 0.90526316.
  Pair q;
  auto def = optimizer_for(q, TrainOptions{});
  q.gw = 1.0f;
  ASSERT_TRUE(def->step(0.1f));
  q.gw = -1.0f;
  ASSERT_TRUE(def->step(0.1f));
  EXPECT_NEAR(q.w, 0.90526316f, 1e-6);
}

}  // namespace
}  // namespace sn
