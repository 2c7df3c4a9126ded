#include "optim/momentum.h"

namespace sn {

void Momentum::update(float* w, const float* g, size_t size, bool decay, float* v, float lr) {
  const float wd = decay ? weight_decay_ : 0.0f;
  for (size_t i = 0; i < size; ++i) {
    v[i] = mu_ * v[i] + (g[i] + wd * w[i]);
    w[i] -= lr * v[i];
  }
}

}  // namespace sn
