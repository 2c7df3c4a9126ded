#pragma once
// Plain stochastic gradient descent (Robbins & Monro, 1951): w <- w - lr * g.
#include "optim/optimizer.h"

namespace sn {

class Sgd : public Optimizer {
 public:
  Sgd(const std::vector<ParamSlot>& params, float weight_decay)
      : Optimizer(params, 0, weight_decay) {}

 protected:
  void update(const ParamSlot& p, float* state, size_t begin, size_t end, float lr) const override;
};

}  // namespace sn
