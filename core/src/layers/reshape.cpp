#include "layers/reshape.h"

#include <cstring>

namespace sn {

Reshape::Reshape(const LayerSpec& spec, Dims in)
    : Layer(spec, in), flatten_(spec.kind == LayerKind::Flatten) {
  if (flatten_) {
    out_ = Dims{1, 1, static_cast<int>(in.size())};
    return;
  }
  const Dims to{spec.shape_h, spec.shape_w, spec.shape_c};
  if (to.h < 1 || to.w < 1 || to.c < 1 || to.size() != in.size()) {
    fail("cannot reshape " + std::to_string(in.h) + "x" + std::to_string(in.w) + "x" +
         std::to_string(in.c) + " (" + std::to_string(in.size()) + " values) to " +
         std::to_string(to.h) + "x" + std::to_string(to.w) + "x" + std::to_string(to.c) + " (" +
         std::to_string(to.size()) + " values)");
  }
  out_ = to;
}

void Reshape::forward(const float* in, float* out, int n, const RunContext& /*ctx*/) {
  std::memcpy(out, in, n * in_.size() * sizeof(float));
}

void Reshape::backward(const float* /*in*/, const float* /*out*/, const float* dout, float* din,
                       int n, const RunContext& /*ctx*/) {
  if (din) std::memcpy(din, dout, n * in_.size() * sizeof(float));
}

}  // namespace sn
