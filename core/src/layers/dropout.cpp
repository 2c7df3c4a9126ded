#include "layers/dropout.h"

#include <cstring>

namespace sn {

Dropout::Dropout(const LayerSpec& spec, Dims in, uint64_t seed)
    : Layer(spec, in), rate_(spec.rate), rng_(seed) {
  if (!(rate_ >= 0.0f && rate_ < 1.0f)) fail("rate must be in [0, 1)");
}

void Dropout::reserve(int batch) { mask_.resize(Shape{batch, in_.h, in_.w, in_.c}); }

void Dropout::forward(const float* in, float* out, int n, const RunContext& ctx) {
  const int64_t count = n * in_.size();
  mask_active_ = ctx.training && rate_ > 0.0f;
  if (!mask_active_) {
    std::memcpy(out, in, count * sizeof(float));
    return;
  }
  reserve(n);
  float* m = mask_.data();
  const float scale = 1.0f / (1.0f - rate_);
  // Compare 24 random bits with rate * 2^24: exact integer arithmetic, identical everywhere.
  const uint64_t threshold = static_cast<uint64_t>(static_cast<double>(rate_) * 16777216.0);
  for (int64_t i = 0; i < count; ++i) {
    m[i] = (rng_() >> 40) >= threshold ? scale : 0.0f;
    out[i] = in[i] * m[i];
  }
}

void Dropout::backward(const float* /*in*/, const float* /*out*/, const float* dout, float* din,
                       int n, const RunContext& /*ctx*/) {
  if (!din) return;
  const int64_t count = n * in_.size();
  if (!mask_active_) {
    std::memcpy(din, dout, count * sizeof(float));
    return;
  }
  const float* m = mask_.data();
  for (int64_t i = 0; i < count; ++i) din[i] = dout[i] * m[i];
}

}  // namespace sn
