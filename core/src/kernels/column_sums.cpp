#include "kernels/column_sums.h"

#include <cstdint>

#include "kernels/simd.h"

namespace sn {

// out[j] = ((s0 + s1) + (s2 + s3)) + x[rows4, j] + ... ,  s_k = sum_{r = k mod 4, r < rows4} x[r,
// j] Four independent accumulators per column: the adds of consecutive rows do not wait on each
// other (one accumulator chained through memory was latency-bound).
void column_sums(const float* x, int rows, int cols, int ldx, float* out) {
  using namespace simd;
  const int rows4 = rows - rows % 4;
  const int64_t ld = ldx;
  int j = 0;
  for (; j + kLanes <= cols; j += kLanes) {
    vf s0 = zero(), s1 = zero(), s2 = zero(), s3 = zero();
    const float* p = x + j;
    for (int r = 0; r < rows4; r += 4, p += 4 * ld) {
      s0 = add(s0, load(p));
      s1 = add(s1, load(p + ld));
      s2 = add(s2, load(p + 2 * ld));
      s3 = add(s3, load(p + 3 * ld));
    }
    vf s = add(add(s0, s1), add(s2, s3));
    for (int r = rows4; r < rows; ++r, p += ld) s = add(s, load(p));
    store(out + j, s);
  }
  for (; j < cols; ++j) {
    float s0 = 0.0f, s1 = 0.0f, s2 = 0.0f, s3 = 0.0f;
    const float* p = x + j;
    for (int r = 0; r < rows4; r += 4, p += 4 * ld) {
      s0 += p[0];
      s1 += p[ld];
      s2 += p[2 * ld];
      s3 += p[3 * ld];
    }
    float s = (s0 + s1) + (s2 + s3);
    for (int r = rows4; r < rows; ++r, p += ld) s += p[0];
    out[j] = s;
  }
}

void column_sums_naive(const float* x, int rows, int cols, int ldx, float* out) {
  for (int j = 0; j < cols; ++j) {
    float s = 0.0f;
    for (int r = 0; r < rows; ++r) s += x[int64_t(r) * ldx + j];
    out[j] = s;
  }
}

}  // namespace sn
