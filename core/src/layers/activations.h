#pragma once
// Element-wise activations. Shapes pass through unchanged: in (n, h, w, c) -> out (n, h, w, c).
// Each backward uses the forward OUTPUT y (cheaper than recomputing from x):
//   relu     y = max(0, x)             dx = dy * [y > 0]
//   sigmoid  y = 1 / (1 + e^-x)        dx = dy * y * (1 - y)
//   tanh     y = tanh x                dx = dy * (1 - y^2)
// One layer class serves all three: they differ only in their two element loops.
#include "layers/layer.h"

namespace sn {

// An activation's element loops over [begin, end) of a whole batch.
struct ElementLoops {
  const char* kind;  // "relu" | "sigmoid" | "tanh"
  void (*forward)(const float* x, float* y, int64_t begin, int64_t end);
  void (*backward)(const float* y, const float* dy, float* dx, int64_t begin, int64_t end);
};

class Activation : public Layer {
 public:
  // spec.kind is LayerKind::ReLU, Sigmoid or Tanh.
  Activation(const LayerSpec& spec, Dims in);
  const char* kind() const override { return loops_->kind; }
  void forward(const float* in, float* out, int n, const RunContext& ctx) override;
  void backward(const float* in, const float* out, const float* dout, float* din, int n,
                const RunContext& ctx) override;

 private:
  const ElementLoops* loops_;
};

// 1 / (1 + e^-x) without overflow for large |x|.
float stable_sigmoid(float x);

}  // namespace sn
