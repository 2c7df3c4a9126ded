#pragma once
// Softmax over each sample's h*w*c values:
//   y_i = e^(x_i - max x) / sum_j e^(x_j - max x)        (shifting by the max avoids overflow)
//   dx_i = y_i * (dy_i - sum_j dy_j y_j)
// in (n, h, w, c) -> out (n, h, w, c). With the cross-entropy loss the network skips this
// backward and uses the fused gradient y - onehot instead (losses/cross_entropy.h).
#include "layers/layer.h"

namespace sn {

class Softmax : public Layer {
 public:
  using Layer::Layer;
  const char* kind() const override { return "softmax"; }
  void forward(const float* in, float* out, int n, const RunContext& ctx) override;
  void backward(const float* in, const float* out, const float* dout, float* din, int n,
                const RunContext& ctx) override;
};

// One row of k logits -> probabilities.
void softmax_row(const float* x, int k, float* y);

}  // namespace sn
