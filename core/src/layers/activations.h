#pragma once
// Element-wise activations. Shapes pass through unchanged: in (n, h, w, c) -> out (n, h, w, c).
// Each backward uses the forward OUTPUT y (cheaper than recomputing from x):
//   relu     y = max(0, x)             dx = dy * [y > 0]
//   sigmoid  y = 1 / (1 + e^-x)        dx = dy * y * (1 - y)
//   tanh     y = tanh x                dx = dy * (1 - y^2)
#include "layers/layer.h"

namespace sn {

class ReLU : public Layer {
 public:
  using Layer::Layer;
  const char* kind() const override { return "relu"; }
  void forward(const float* in, float* out, int n, const RunContext& ctx) override;
  void backward(const float* in, const float* out, const float* dout, float* din, int n,
                const RunContext& ctx) override;
};

class Sigmoid : public Layer {
 public:
  using Layer::Layer;
  const char* kind() const override { return "sigmoid"; }
  void forward(const float* in, float* out, int n, const RunContext& ctx) override;
  void backward(const float* in, const float* out, const float* dout, float* din, int n,
                const RunContext& ctx) override;
};

class Tanh : public Layer {
 public:
  using Layer::Layer;
  const char* kind() const override { return "tanh"; }
  void forward(const float* in, float* out, int n, const RunContext& ctx) override;
  void backward(const float* in, const float* out, const float* dout, float* din, int n,
                const RunContext& ctx) override;
};

// 1 / (1 + e^-x) without overflow for large |x|.
float stable_sigmoid(float x);

}  // namespace sn
