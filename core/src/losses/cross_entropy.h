#pragma once
// Softmax cross-entropy, fused and computed from the LOGITS z (the softmax's input):
//   loss = 1/n sum_s [log sum_j e^(z_sj - m_s) + m_s - z_s,label]     (m_s = max_j z_sj)
//   dz   = (softmax(z) - onehot(label)) / n           (written when dz is not null)
// With label smoothing s (Szegedy et al., 2016, "Rethinking the Inception Architecture", 7) the
// target is t = (1 - s) onehot(label) + s / k, and
//   loss = 1/n sum_s [log sum_j e^(z_sj - m_s) + m_s - sum_j t_sj z_sj],  dz = (softmax(z) - t) / n
// The log-sum-exp form never takes the log of 0, unlike -log(softmax(z)[label]).
//   z (n, k), labels (n)
#include <cstdint>

namespace sn {

float softmax_cross_entropy(const float* z, const uint8_t* labels, int n, int k, float* dz,
                            float smoothing = 0.0f);

}  // namespace sn
