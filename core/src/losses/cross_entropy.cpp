#include "losses/cross_entropy.h"

#include <cmath>

#include "losses/labels.h"

namespace sn {

float softmax_cross_entropy(const float* z, const uint8_t* labels, int n, int k, float* dz,
                            float smoothing) {
  check_labels(labels, n, k);
  const float inv_n = 1.0f / static_cast<float>(n);
  // Target of the labelled class and of every other class (exactly 1 and 0 without smoothing).
  const float off = smoothing / static_cast<float>(k), on = 1.0f - smoothing + off;
  double sum = 0.0;
  for (int s = 0; s < n; ++s) {
    const float* row = z + int64_t(s) * k;
    float m = row[0];
    for (int j = 1; j < k; ++j) m = row[j] > m ? row[j] : m;
    double total = 0.0;
    for (int j = 0; j < k; ++j) total += std::exp(double(row[j]) - m);
    if (smoothing > 0.0f) {
      double row_sum = 0.0;
      for (int j = 0; j < k; ++j) row_sum += row[j];
      sum +=
          std::log(total) + m - (double(1.0f - smoothing) * row[labels[s]] + double(off) * row_sum);
    } else {
      sum += std::log(total) + m - row[labels[s]];
    }
    if (dz) {
      float* d = dz + int64_t(s) * k;
      const double inv_total = 1.0 / total;
      for (int j = 0; j < k; ++j) {
        const float p = static_cast<float>(std::exp(double(row[j]) - m) * inv_total);
        d[j] = (p - (labels[s] == j ? on : off)) * inv_n;
      }
    }
  }
  return static_cast<float>(sum / n);
}

}  // namespace sn
