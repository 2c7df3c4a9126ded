#include "layers/softmax.h"

#include <cmath>

namespace sn {

void softmax_row(const float* x, int k, float* y) {
  float max = x[0];
  for (int i = 1; i < k; ++i) max = x[i] > max ? x[i] : max;
  float sum = 0.0f;
  for (int i = 0; i < k; ++i) {
    y[i] = std::exp(x[i] - max);
    sum += y[i];
  }
  const float inv = 1.0f / sum;
  for (int i = 0; i < k; ++i) y[i] *= inv;
}

void Softmax::forward(const float* in, float* out, int n, const RunContext& /*ctx*/) {
  const int k = static_cast<int>(in_.size());
  for (int s = 0; s < n; ++s) softmax_row(in + int64_t(s) * k, k, out + int64_t(s) * k);
}

void Softmax::backward(const float* /*in*/, const float* out, const float* dout, float* din, int n,
                       const RunContext& /*ctx*/) {
  if (!din) return;
  const int k = static_cast<int>(in_.size());
  for (int s = 0; s < n; ++s) {
    const float* y = out + int64_t(s) * k;
    const float* dy = dout + int64_t(s) * k;
    float* dx = din + int64_t(s) * k;
    float dot = 0.0f;
    for (int i = 0; i < k; ++i) dot += dy[i] * y[i];
    for (int i = 0; i < k; ++i) dx[i] = y[i] * (dy[i] - dot);
  }
}

}  // namespace sn
