// Losses: hand-computed values, stability at extreme logits, label checks.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "losses/binary_cross_entropy.h"
#include "losses/cross_entropy.h"
#include "losses/mse.h"
#include "scratchnet/error.h"

namespace sn {
namespace {

TEST(Losses, MseKnownAnswer) {
  const std::vector<float> y = {0.5f, 0.0f, 0.0f, 2.0f};
  const std::vector<uint8_t> labels = {0, 0};
  std::vector<float> dy(4);
  // ((0.5-1)^2 + 0 + (0-1)^2 + 2^2) / 4 = (0.25 + 1 + 4) / 4
  EXPECT_FLOAT_EQ(mse_loss(y.data(), labels.data(), 2, 2, dy.data()), 5.25f / 4);
  EXPECT_EQ(dy, (std::vector<float>{-0.25f, 0.0f, -0.5f, 1.0f}));  // 2 (y - t) / 4
  // One output: the label itself is the target.
  const std::vector<float> p = {0.25f};
  const std::vector<uint8_t> one = {1};
  EXPECT_FLOAT_EQ(mse_loss(p.data(), one.data(), 1, 1, nullptr), 0.5625f);
}

TEST(Losses, SoftmaxCrossEntropyKnownAnswer) {
  const std::vector<float> z = {0, 0, 1000, 0};
  const std::vector<uint8_t> labels = {0, 1};
  std::vector<float> dz(4);
  // Sample 0: ln 2. Sample 1: logsumexp = 1000, minus z_1 = 0 -> 1000 (finite, not inf).
  EXPECT_NEAR(softmax_cross_entropy(z.data(), labels.data(), 2, 2, dz.data()),
              (std::log(2.0) + 1000.0) / 2, 1e-3);
  EXPECT_FLOAT_EQ(dz[0], (0.5f - 1) / 2);
  EXPECT_FLOAT_EQ(dz[1], 0.5f / 2);
  EXPECT_FLOAT_EQ(dz[2], 1.0f / 2);
  EXPECT_FLOAT_EQ(dz[3], -1.0f / 2);
}

TEST(Losses, BinaryCrossEntropyFromLogits) {
  const std::vector<float> z = {0, 200, -200};
  const std::vector<uint8_t> labels = {1, 1, 1};
  std::vector<float> dz(3);
  // ln 2, ~0, and 200 (log(1 + e^200) evaluated without overflow)
  EXPECT_NEAR(bce_with_logits(z.data(), labels.data(), 3, dz.data()), (std::log(2.0) + 200) / 3,
              1e-4);
  EXPECT_FLOAT_EQ(dz[0], -0.5f / 3);
  EXPECT_FLOAT_EQ(dz[1], 0.0f);
  EXPECT_FLOAT_EQ(dz[2], -1.0f / 3);
}

TEST(Losses, RejectLabelsOutOfRange) {
  const std::vector<float> z = {0, 0};
  const std::vector<uint8_t> bad = {2};
  EXPECT_THROW(softmax_cross_entropy(z.data(), bad.data(), 1, 2, nullptr), Error);
  EXPECT_THROW(bce_with_logits(z.data(), bad.data(), 1, nullptr), Error);
  try {
    mse_loss(z.data(), bad.data(), 1, 2, nullptr);
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "label 2 of sample 0 is out of range for 2 classes");
  }
}

}  // namespace
}  // namespace sn
