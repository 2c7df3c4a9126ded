// Optimizers against a scalar reference: the textbook update rules written out in double, one
// value at a time, run side by side with the engine's optimizers for several steps. Gradients
// change sign and magnitude from step to step (so beta1 and beta2 show in every step after the
// first), one value has gradients near Adam's epsilon (so epsilon shows), the learning rate
// changes between steps, and the weight tensor decays while the bias tensor, nonzero, must not.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "optim/optimizer.h"
#include "scratchnet/parallel.h"

namespace sn {
namespace {

// Kingma & Ba 2015, Algorithm 1, with L2 decay added to the gradient (weights only).
struct ReferenceAdam {
  double b1 = 0.9, b2 = 0.999, eps = 1e-8;
  std::vector<double> m, v;
  int t = 0;
  void step(std::vector<double>& w, const std::vector<double>& g, double lr, double decay) {
    m.resize(w.size());
    v.resize(w.size());
    ++t;
    for (size_t i = 0; i < w.size(); ++i) {
      const double gi = g[i] + decay * w[i];
      m[i] = b1 * m[i] + (1 - b1) * gi;
      v[i] = b2 * v[i] + (1 - b2) * gi * gi;
      const double m_hat = m[i] / (1 - std::pow(b1, t));
      const double v_hat = v[i] / (1 - std::pow(b2, t));
      w[i] -= lr * m_hat / (std::sqrt(v_hat) + eps);
    }
  }
};

// Heavy ball (Sutskever et al. 2013 / PyTorch form): v <- mu v + g, w <- w - lr v.
struct ReferenceMomentum {
  double mu;
  std::vector<double> v;
  void step(std::vector<double>& w, const std::vector<double>& g, double lr, double decay) {
    v.resize(w.size());
    for (size_t i = 0; i < w.size(); ++i) {
      v[i] = mu * v[i] + (g[i] + decay * w[i]);
      w[i] -= lr * v[i];
    }
  }
};

struct ReferenceSgd {
  void step(std::vector<double>& w, const std::vector<double>& g, double lr, double decay) {
    for (size_t i = 0; i < w.size(); ++i) w[i] -= lr * (g[i] + decay * w[i]);
  }
};

// Per step: the gradient of each of the 4 weight values and 3 bias values. Value 3 of the
// weights and value 2 of the biases have gradients of a few times Adam's epsilon (1e-8): there
// sqrt(v^) and epsilon are of the same size, so a wrong epsilon moves the step by tens of percent.
constexpr int kSteps = 7;
const double kWeightGrads[kSteps][4] = {{0.5, -0.02, 3.0, 3e-8}, {-2.0, 0.04, -0.5, -2e-8},
                                        {0.1, 0.3, 0.25, 5e-8},  {1.5, -0.01, -4.0, 1e-8},
                                        {-0.3, 0.2, 1.0, -4e-8}, {4.0, -0.5, 0.1, 2e-8},
                                        {-0.05, 0.02, 2.0, 3e-8}};
const double kBiasGrads[kSteps][3] = {{-1.0, 0.7, 2e-8}, {0.25, -0.1, -3e-8}, {2.0, 0.05, 1e-8},
                                      {-0.5, 1.2, 4e-8}, {0.1, -2.0, -1e-8},  {-3.0, 0.4, 2e-8},
                                      {0.6, -0.03, 5e-8}};
const double kLearningRates[kSteps] = {0.01, 0.01, 0.02, 0.005, 0.01, 0.03, 0.01};

template <class Reference>
void check_against_reference(OptimizerKind kind, Reference reference, float momentum, float decay,
                             int threads) {
  std::vector<double> ref_w = {1.0, -0.5, 0.25, 2.0}, ref_b = {0.5, -1.5, 0.75};
  std::vector<float> w(ref_w.begin(), ref_w.end()), b(ref_b.begin(), ref_b.end());
  std::vector<float> gw(w.size()), gb(b.size());
  TrainOptions options;
  options.optimizer = kind;
  options.momentum = momentum;
  options.weight_decay = decay;
  auto opt = make_optimizer(options, {ParamSlot{w.data(), gw.data(), w.size(), true},
                                      ParamSlot{b.data(), gb.data(), b.size(), false}});
  ThreadPool pool(threads);
  for (int t = 0; t < kSteps; ++t) {
    std::vector<double> ref_gw(kWeightGrads[t], kWeightGrads[t] + 4);
    std::vector<double> ref_gb(kBiasGrads[t], kBiasGrads[t] + 3);
    for (size_t i = 0; i < gw.size(); ++i) gw[i] = static_cast<float>(ref_gw[i]);
    for (size_t i = 0; i < gb.size(); ++i) gb[i] = static_cast<float>(ref_gb[i]);
    const double lr = kLearningRates[t];
    ASSERT_TRUE(opt->step(static_cast<float>(lr), threads > 1 ? &pool : nullptr));
    // The reference sees the float gradients the engine sees.
    for (size_t i = 0; i < gw.size(); ++i) ref_gw[i] = gw[i];
    for (size_t i = 0; i < gb.size(); ++i) ref_gb[i] = gb[i];
    reference.step(ref_w, ref_gw, lr, decay);
    reference.step_bias(ref_b, ref_gb, lr);
    // Float rounding of values near 1 adds up to ~1e-7 per step; every planted change to a
    // constant, the bias correction or the decay mask moves a value by more than 1e-5 within
    // these steps (beta2 0.999 -> 0.99: ~2e-5 by step 2, epsilon x10: ~2e-3 at once).
    const double tolerance = 2e-6;
    for (size_t i = 0; i < w.size(); ++i) {
      EXPECT_NEAR(w[i], ref_w[i], tolerance) << "weight " << i << " after step " << t + 1;
    }
    for (size_t i = 0; i < b.size(); ++i) {
      EXPECT_NEAR(b[i], ref_b[i], tolerance) << "bias " << i << " after step " << t + 1;
    }
  }
  EXPECT_EQ(opt->steps(), kSteps);
}

// Wraps a reference so its bias tensor is updated with no decay (and its own state).
template <class Rule>
struct WeightsAndBiases {
  Rule weights, biases;
  void step(std::vector<double>& w, const std::vector<double>& g, double lr, double decay) {
    weights.step(w, g, lr, decay);
  }
  void step_bias(std::vector<double>& b, const std::vector<double>& g, double lr) {
    biases.step(b, g, lr, 0.0);
  }
};

TEST(OptimizerReference, AdamMatchesAlgorithm1) {
  for (float decay : {0.0f, 0.1f}) {
    SCOPED_TRACE(decay);
    check_against_reference(OptimizerKind::Adam, WeightsAndBiases<ReferenceAdam>{}, 0.9f, decay, 1);
  }
}

TEST(OptimizerReference, MomentumMatchesHeavyBall) {
  for (float mu : {0.9f, 0.5f}) {
    for (float decay : {0.0f, 0.1f}) {
      SCOPED_TRACE(testing::Message() << "momentum " << mu << " decay " << decay);
      check_against_reference(
          OptimizerKind::Momentum,
          WeightsAndBiases<ReferenceMomentum>{{double(mu), {}}, {double(mu), {}}}, mu, decay, 1);
    }
  }
}

TEST(OptimizerReference, SgdMatchesTheDefinition) {
  check_against_reference(OptimizerKind::SGD, WeightsAndBiases<ReferenceSgd>{}, 0.9f, 0.1f, 1);
}

// The same rules when the update is spread over a pool (one piece each here, but through the
// threaded path's bookkeeping).
TEST(OptimizerReference, SameRulesOnAPool) {
  check_against_reference(OptimizerKind::Adam, WeightsAndBiases<ReferenceAdam>{}, 0.9f, 0.1f, 2);
  check_against_reference(OptimizerKind::Momentum,
                          WeightsAndBiases<ReferenceMomentum>{{0.9, {}}, {0.9, {}}}, 0.9f, 0.1f, 2);
}

}  // namespace
}  // namespace sn
