#pragma once
// Fully connected layer: out = in · W + b, with the input flattened per sample.
//   in (n, F_in) (any h, w, c with h*w*c = F_in), weight (F_in, F_out), bias (F_out),
//   out (n, 1, 1, F_out)
#include "layers/layer.h"

namespace sn {

class Dense : public Layer {
 public:
  Dense(const LayerSpec& spec, Dims in);
  const char* kind() const override { return "dense"; }
  void forward(const float* in, float* out, int n, const RunContext& ctx) override;
  void backward(const float* in, const float* out, const float* dout, float* din, int n,
                const RunContext& ctx) override;
  int64_t param_count() const override { return int64_t(in_features_ + 1) * out_features_; }
  void allocate() override;
  std::vector<Param> params() override;
  void init(std::mt19937_64& rng, bool relu_follows) override;
  int64_t flops() const override { return 2 * in_features_ * out_features_; }

 private:
  int in_features_, out_features_;
  Tensor weight_, bias_, dweight_, dbias_;
};

}  // namespace sn
