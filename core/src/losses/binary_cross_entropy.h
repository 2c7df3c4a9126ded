#pragma once
// Binary cross-entropy of a 1-unit sigmoid output, computed from the LOGIT z (the sigmoid's
// input) so that it stays finite for any z, fused with the sigmoid's derivative:
//   p = sigmoid(z), t = label in {0, 1}
//   loss = -1/n sum [t log p + (1 - t) log(1 - p)] = 1/n sum [max(z, 0) - z t + log(1 + e^-|z|)]
//   dz   = (p - t) / n                              (written when dz is not null)
#include <cstdint>

namespace sn {

float bce_with_logits(const float* z, const uint8_t* labels, int n, float* dz);

}  // namespace sn
