#include "losses/binary_cross_entropy.h"

#include <algorithm>
#include <cmath>

#include "layers/activations.h"
#include "losses/labels.h"

namespace sn {

float bce_with_logits(const float* z, const uint8_t* labels, int n, float* dz) {
  check_labels(labels, n, 2);
  double sum = 0.0;
  const float inv_n = 1.0f / static_cast<float>(n);
  for (int s = 0; s < n; ++s) {
    const float t = static_cast<float>(labels[s]);
    const float x = z[s];
    sum += double(std::max(x, 0.0f) - x * t) + std::log1p(std::exp(-double(std::fabs(x))));
    if (dz) dz[s] = (stable_sigmoid(x) - t) * inv_n;
  }
  return static_cast<float>(sum / n);
}

}  // namespace sn
