#include "losses/mse.h"

#include "losses/labels.h"

namespace sn {

float mse_loss(const float* y, const uint8_t* labels, int n, int k, float* dy) {
  check_labels(labels, n, k == 1 ? 2 : k);
  const float inv = 1.0f / static_cast<float>(int64_t(n) * k);
  double sum = 0.0;  // double: a batch of squared errors summed in a fixed order
  for (int s = 0; s < n; ++s) {
    for (int j = 0; j < k; ++j) {
      const float t = k == 1 ? static_cast<float>(labels[s]) : (labels[s] == j ? 1.0f : 0.0f);
      const float e = y[int64_t(s) * k + j] - t;
      sum += double(e) * e;
      if (dy) dy[int64_t(s) * k + j] = 2.0f * e * inv;
    }
  }
  return static_cast<float>(sum / (double(n) * k));
}

}  // namespace sn
