#include "layers/activations.h"

#include <cmath>

namespace sn {

void ReLU::forward(const float* in, float* out, int n, const RunContext& ctx) {
  parallel_ranges(ctx.pool, n * in_.size(), [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) out[i] = in[i] > 0.0f ? in[i] : 0.0f;
  });
}

void ReLU::backward(const float* /*in*/, const float* out, const float* dout, float* din, int n,
                    const RunContext& ctx) {
  if (!din) return;
  parallel_ranges(ctx.pool, n * in_.size(), [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) din[i] = out[i] > 0.0f ? dout[i] : 0.0f;
  });
}

float stable_sigmoid(float x) {
  // e^-|x| never overflows; the two branches are the same function rearranged.
  if (x >= 0.0f) return 1.0f / (1.0f + std::exp(-x));
  const float e = std::exp(x);
  return e / (1.0f + e);
}

void Sigmoid::forward(const float* in, float* out, int n, const RunContext& ctx) {
  parallel_ranges(ctx.pool, n * in_.size(), [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) out[i] = stable_sigmoid(in[i]);
  });
}

void Sigmoid::backward(const float* /*in*/, const float* out, const float* dout, float* din, int n,
                       const RunContext& ctx) {
  if (!din) return;
  parallel_ranges(ctx.pool, n * in_.size(), [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) din[i] = dout[i] * out[i] * (1.0f - out[i]);
  });
}

void Tanh::forward(const float* in, float* out, int n, const RunContext& ctx) {
  parallel_ranges(ctx.pool, n * in_.size(), [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) out[i] = std::tanh(in[i]);
  });
}

void Tanh::backward(const float* /*in*/, const float* out, const float* dout, float* din, int n,
                    const RunContext& ctx) {
  if (!din) return;
  parallel_ranges(ctx.pool, n * in_.size(), [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) din[i] = dout[i] * (1.0f - out[i] * out[i]);
  });
}

}  // namespace sn
