#pragma once
// Sums down the columns of a row-major matrix: the bias gradient of a layer whose output rows
// share one bias vector (Conv2D: db = sum over pixels of dY).
//   x (rows, cols) with row stride ldx  ->  out[j] = sum_r x[r, j]   (out is overwritten)
// Each column is summed by four accumulators taking rows r = 0, 1, 2, 3 (mod 4), combined as
// (s0 + s1) + (s2 + s3), the rows left over (rows % 4) added after in order. The vector and
// scalar columns follow that same order, so the bits do not depend on the SIMD width or on which
// columns a build handles in vectors: native SSE2, AVX2 and wasm give the same sums.
namespace sn {

void column_sums(const float* x, int rows, int cols, int ldx, float* out);

// Plain sequential sums: the test oracle (equal up to rounding, not bit for bit).
void column_sums_naive(const float* x, int rows, int cols, int ldx, float* out);

}  // namespace sn
