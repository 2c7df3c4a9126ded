#include "optim/momentum.h"

namespace sn {

void Momentum::update(const ParamSlot& p, float* state, size_t begin, size_t end, float lr) const {
  const float wd = p.decay ? weight_decay_ : 0.0f;
  float* __restrict w = p.value;
  const float* __restrict g = p.grad;
  float* __restrict v = state;
  for (size_t i = begin; i < end; ++i) {
    v[i] = mu_ * v[i] + (g[i] + wd * w[i]);
    w[i] -= lr * v[i];
  }
}

}  // namespace sn
