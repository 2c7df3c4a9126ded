#include "optim/adam.h"

#include <cmath>

namespace sn {

void Adam::begin_step() {
  // The powers advance once per step(); a restore() may move steps_ back.
  if (powers_at_ + 1 == steps_) {
    b1t_ *= beta1_;
    b2t_ *= beta2_;
    powers_at_ = steps_;
  } else if (powers_at_ != steps_) {
    b1t_ = 1.0;
    b2t_ = 1.0;
    for (int64_t t = 0; t < steps_; ++t) {
      b1t_ *= beta1_;
      b2t_ *= beta2_;
    }
    powers_at_ = steps_;
  }
  c1_ = static_cast<float>(1.0 / (1.0 - b1t_));
  c2_ = static_cast<float>(1.0 / (1.0 - b2t_));
}

void Adam::update(const ParamSlot& p, float* state, size_t begin, size_t end, float lr) const {
  const float b1 = static_cast<float>(beta1_), b2 = static_cast<float>(beta2_);
  const float c1 = c1_, c2 = c2_;
  const float eps = static_cast<float>(kEpsilon);
  const float wd = p.decay ? weight_decay_ : 0.0f;
  float* __restrict w = p.value;
  const float* __restrict g = p.grad;
  float* __restrict m = state;
  float* __restrict v = state + p.size;
  if (decoupled_) {
    const float shrink = 1.0f - lr * wd;  // w - lr * decay * w
    for (size_t i = begin; i < end; ++i) {
      const float gi = g[i];
      m[i] = b1 * m[i] + (1.0f - b1) * gi;
      v[i] = b2 * v[i] + (1.0f - b2) * gi * gi;
      w[i] = w[i] * shrink - lr * (m[i] * c1) / (std::sqrt(v[i] * c2) + eps);
    }
    return;
  }
  for (size_t i = begin; i < end; ++i) {
    const float gi = g[i] + wd * w[i];
    m[i] = b1 * m[i] + (1.0f - b1) * gi;
    v[i] = b2 * v[i] + (1.0f - b2) * gi * gi;
    w[i] -= lr * (m[i] * c1) / (std::sqrt(v[i] * c2) + eps);
  }
}

}  // namespace sn
