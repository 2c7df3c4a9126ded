#include "optim/adam.h"

#include <cmath>

namespace sn {

void Adam::update(float* w, const float* g, size_t size, bool decay, float* state, float lr) {
  // The powers advance once per step(), not per tensor; a restore() may move steps_ back.
  if (powers_at_ + 1 == steps_) {
    b1t_ *= kBeta1;
    b2t_ *= kBeta2;
    powers_at_ = steps_;
  } else if (powers_at_ != steps_) {
    b1t_ = 1.0;
    b2t_ = 1.0;
    for (int64_t t = 0; t < steps_; ++t) {
      b1t_ *= kBeta1;
      b2t_ *= kBeta2;
    }
    powers_at_ = steps_;
  }
  const float b1 = static_cast<float>(kBeta1), b2 = static_cast<float>(kBeta2);
  const float c1 = static_cast<float>(1.0 / (1.0 - b1t_));  // bias corrections
  const float c2 = static_cast<float>(1.0 / (1.0 - b2t_));
  const float eps = static_cast<float>(kEpsilon);
  const float wd = decay ? weight_decay_ : 0.0f;
  float* m = state;
  float* v = state + size;
  for (size_t i = 0; i < size; ++i) {
    const float gi = g[i] + wd * w[i];
    m[i] = b1 * m[i] + (1.0f - b1) * gi;
    v[i] = b2 * v[i] + (1.0f - b2) * gi * gi;
    w[i] -= lr * (m[i] * c1) / (std::sqrt(v[i] * c2) + eps);
  }
}

}  // namespace sn
