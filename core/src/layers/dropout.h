#pragma once
// Inverted dropout (Srivastava et al., 2014, with the scaling moved to training time): in
// training each value is kept with probability 1 - rate and scaled by 1 / (1 - rate), so the
// expected output equals the input and inference is the identity.
//   in (n, h, w, c) -> out (n, h, w, c);  y = x * m,  dx = dy * m,  m in {0, 1/(1-rate)}
// The mask comes from the layer's own seeded generator, drawn sequentially: the same seed gives
// the same masks whatever the thread count.
#include "layers/layer.h"

namespace sn {

class Dropout : public Layer {
 public:
  Dropout(const LayerSpec& spec, Dims in, uint64_t seed);
  const char* kind() const override { return "dropout"; }
  void reserve(int batch) override;
  void forward(const float* in, float* out, int n, const RunContext& ctx) override;
  void backward(const float* in, const float* out, const float* dout, float* din, int n,
                const RunContext& ctx) override;
  int64_t scratch_floats() const override { return in_.size(); }

 private:
  float rate_;
  std::mt19937_64 rng_;
  Tensor mask_;
  bool mask_active_ = false;  // the last forward was in training mode
};

}  // namespace sn
