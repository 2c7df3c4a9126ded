#pragma once
// Flatten and Reshape only relabel the shape of each sample: NHWC data is already one
// contiguous run of h*w*c floats per sample, so forward and backward are copies.
//   flatten:          in (n, h, w, c) -> out (n, 1, 1, h*w*c)
//   reshape HxWxC:    in (n, h, w, c) -> out (n, H, W, C), with H*W*C = h*w*c
#include "layers/layer.h"

namespace sn {

class Reshape : public Layer {
 public:
  // Flatten when spec.kind is LayerKind::Flatten, else the spec's shape_h/w/c.
  Reshape(const LayerSpec& spec, Dims in);
  const char* kind() const override { return flatten_ ? "flatten" : "reshape"; }
  void forward(const float* in, float* out, int n, const RunContext& ctx) override;
  void backward(const float* in, const float* out, const float* dout, float* din, int n,
                const RunContext& ctx) override;

 private:
  bool flatten_;
};

}  // namespace sn
