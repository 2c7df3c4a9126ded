#pragma once
// Adam (Kingma & Ba, 2015, "Adam: A Method for Stochastic Optimization", Algorithm 1):
//   m <- b1 m + (1 - b1) g            v <- b2 v + (1 - b2) g^2
//   m^ = m / (1 - b1^t)               v^ = v / (1 - b2^t)
//   w <- w - lr * m^ / (sqrt(v^) + eps)
// with b1 = 0.9, b2 = 0.999, eps = 1e-8 by default as in the paper. b1^t and b2^t are kept as
// running products (not pow) so every platform computes the same bits.
// Weight decay: added to g (Adam + L2), or decoupled (AdamW, Loshchilov & Hutter, 2019,
// "Decoupled Weight Decay Regularization"): w <- w - lr * decay * w beside the Adam step, so the
// decay is not divided by sqrt(v^) (lr times decay, as PyTorch's AdamW).
#include "optim/optimizer.h"

namespace sn {

class Adam : public Optimizer {
 public:
  static constexpr double kEpsilon = 1e-8;
  // beta1 and beta2 come from TrainOptions (scratchnet/trainer.h), their one definition.
  Adam(const std::vector<ParamSlot>& params, float weight_decay, double beta1, double beta2,
       bool decoupled)
      : Optimizer(params, 2, weight_decay), beta1_(beta1), beta2_(beta2), decoupled_(decoupled) {}

 protected:
  void begin_step() override;
  void update(const ParamSlot& p, float* state, size_t begin, size_t end, float lr) const override;

 private:
  double beta1_, beta2_;
  bool decoupled_;
  int64_t powers_at_ = 0;  // the step b1t_/b2t_ belong to
  double b1t_ = 1.0, b2t_ = 1.0;
  float c1_ = 1.0f, c2_ = 1.0f;  // this step's bias corrections 1 / (1 - b^t)
};

}  // namespace sn
