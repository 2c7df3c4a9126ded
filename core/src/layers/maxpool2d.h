#pragma once
// Max pooling over SIZE x SIZE windows moved by STRIDE, per channel, no padding.
//   in (n, H, W, C) -> out (n, OH, OW, C), OH = (H - SIZE) / stride + 1 (rows that do not fill a
//   window are dropped, e.g. 5 -> 2 for size 2)
// A training forward records each output's winner (the first maximum in ky, kx order) so that
// backward is a plain scatter; inference skips that bookkeeping.
#include "layers/layer.h"

namespace sn {

class MaxPool2D : public Layer {
 public:
  MaxPool2D(const LayerSpec& spec, Dims in);
  const char* kind() const override { return "maxpool"; }
  void reserve(int batch) override;
  void forward(const float* in, float* out, int n, const RunContext& ctx) override;
  void backward(const float* in, const float* out, const float* dout, float* din, int n,
                const RunContext& ctx) override;
  int64_t scratch_floats() const override { return out_.size(); }

 private:
  int size_, stride_;
  std::vector<int32_t> argmax_;  // (n, OH, OW, C): the winner's index within its sample
};

}  // namespace sn
