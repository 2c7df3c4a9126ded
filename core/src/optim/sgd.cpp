#include "optim/sgd.h"

namespace sn {

void Sgd::update(float* w, const float* g, size_t size, bool decay, float* /*state*/, float lr) {
  const float wd = decay ? weight_decay_ : 0.0f;
  for (size_t i = 0; i < size; ++i) w[i] -= lr * (g[i] + wd * w[i]);
}

}  // namespace sn
