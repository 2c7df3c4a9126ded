#include "optim/sgd.h"

namespace sn {

void Sgd::update(const ParamSlot& p, float* /*state*/, size_t begin, size_t end, float lr) const {
  const float wd = p.decay ? weight_decay_ : 0.0f;
  float* __restrict w = p.value;
  const float* __restrict g = p.grad;
  for (size_t i = begin; i < end; ++i) w[i] -= lr * (g[i] + wd * w[i]);
}

}  // namespace sn
