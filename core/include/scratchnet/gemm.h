#pragma once
// Single-precision matrix multiply, row-major, the kernel under Dense and Conv2D.
//   C[M,N] = op(A)[M,K] * op(B)[K,N] + beta * C[M,N]
// op(A) = A (lda >= K) or A^T when trans_a (A stored K x M, lda >= M); same for B.
// beta is 0 (overwrite, C may hold garbage/NaN) or 1 (accumulate).
// Determinism: K is split only at fixed 256-row blocks whose partial sums are added in block
// order, the same order one thread uses, so the result is identical for any thread count
// (pool may be null = 1 thread).
#include "scratchnet/parallel.h"

namespace sn {

void gemm(bool trans_a, bool trans_b, int M, int N, int K, const float* A, int lda, const float* B,
          int ldb, float beta, float* C, int ldc, ThreadPool* pool = nullptr);

// Plain triple loop: the test oracle and the reference for the optimised kernel.
void gemm_naive(bool trans_a, bool trans_b, int M, int N, int K, const float* A, int lda,
                const float* B, int ldb, float beta, float* C, int ldc);

}  // namespace sn
