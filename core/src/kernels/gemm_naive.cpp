// The reference GEMM: one dot product per output element, summed in k order. It is the test
// oracle for gemm() and documents the contract in the plainest possible code.
//   C[M,N] = op(A)[M,K] * op(B)[K,N] + beta * C[M,N]
#include "scratchnet/gemm.h"

namespace sn {

void gemm_naive(bool trans_a, bool trans_b, int M, int N, int K, const float* A, int lda,
                const float* B, int ldb, float beta, float* C, int ldc) {
  for (int i = 0; i < M; ++i) {
    for (int j = 0; j < N; ++j) {
      float sum = 0.0f;
      for (int k = 0; k < K; ++k) {
        const float a =
            trans_a ? A[static_cast<long>(k) * lda + i] : A[static_cast<long>(i) * lda + k];
        const float b =
            trans_b ? B[static_cast<long>(j) * ldb + k] : B[static_cast<long>(k) * ldb + j];
        sum += a * b;
      }
      float& c = C[static_cast<long>(i) * ldc + j];
      // beta == 0 must not read C: it may hold NaN.
      c = beta == 0.0f ? sum : sum + beta * c;
    }
  }
}

}  // namespace sn
