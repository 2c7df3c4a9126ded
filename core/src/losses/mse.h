#pragma once
// Mean squared error against one-hot targets (or the label itself for a 1-unit output).
//   y (n, k) network outputs, labels (n) class indices
//   loss = 1/(n k) sum_s sum_j (y_sj - t_sj)^2
//   dy   = 2 (y - t) / (n k)                      (written when dy is not null)
#include <cstdint>

namespace sn {

float mse_loss(const float* y, const uint8_t* labels, int n, int k, float* dy);

}  // namespace sn
