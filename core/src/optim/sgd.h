#pragma once
// Plain stochastic gradient descent (Robbins & Monro, 1951): w <- w - lr * g.
#include "optim/optimizer.h"

namespace sn {

class Sgd : public Optimizer {
 public:
  Sgd(const std::vector<ParamSlot>& params, float weight_decay)
      : Optimizer(params, 0, weight_decay) {}

 protected:
  void update(float* w, const float* g, size_t size, bool decay, float* state, float lr) override;
};

}  // namespace sn
