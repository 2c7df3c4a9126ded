#pragma once
// SGD with (heavy-ball) momentum, Polyak 1964, in the form of Sutskever et al. 2013 / PyTorch:
//   v <- mu * v + g
//   w <- w - lr * v
#include "optim/optimizer.h"

namespace sn {

class Momentum : public Optimizer {
 public:
  Momentum(const std::vector<ParamSlot>& params, float momentum, float weight_decay)
      : Optimizer(params, 1, weight_decay), mu_(momentum) {}

 protected:
  void update(const ParamSlot& p, float* state, size_t begin, size_t end, float lr) const override;

 private:
  float mu_;
};

}  // namespace sn
