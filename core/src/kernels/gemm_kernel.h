#pragma once
// The register-tiled GEMM micro-kernel and the packing routines that feed it, written once
// against simd.h. Internal to gemm.cpp.
//
// A tile shape is (MR rows) x (NR = NV * kLanes columns). Packed operands:
//   A sliver: MR rows x kc, stored k-major: a[k * MR + r]    (rows past M are zero)
//   B sliver: kc x NR,      stored k-major: b[k * NR + c]    (columns past N are zero)
// so the kernel reads both strictly sequentially. Padding only produces values that are never
// stored, and every C element is computed by the same fused chain over k, whatever tile or
// thread it falls in: that is what makes results independent of the thread count.
#include <algorithm>

#include "kernels/simd.h"

namespace sn::gemm_detail {

using simd::vf;
constexpr int kLanes = simd::kLanes;

// Two tile shapes per target: "wide" for general N, "narrow" for N <= one vector, which is
// what Conv2D produces (N = output channels = 8 or 16). Accumulators + operands must fit the
// register file (16 vector registers on AVX2/SSE, and V8 maps wasm's to the same 16).
// TileShape<MR, NV>: MR x NV accumulators, plus NV B vectors and one A broadcast.
template <int R, int V>
struct TileShape {
  static constexpr int MR = R, NV = V;
};
#if defined(SN_SIMD_AVX2)
using Wide = TileShape<6, 2>;     // 6 x 16: 12 acc + 2 B + 1 A = 15 registers
using Narrow = TileShape<12, 1>;  // 12 x 8: 12 acc + 1 B + 1 A = 14 registers
#elif defined(SN_SIMD_SCALAR)
using Wide = TileShape<4, 4>;
using Narrow = TileShape<4, 2>;
#else  // 4-lane targets: wasm SIMD128, SSE2
// 8 accumulators are enough without FMA: the multiply does not depend on the accumulator, so
// each chain is one add (3-cycle latency on x86), and 8 chains cover 2 adds/cycle. Measured
// in wasm (Node 20, 2026-11-25): this tile runs GEMM at 82-94% of the wasm SIMD peak. Larger
// tiles were slower, because V8 (15 usable xmm registers, and the kernel inlined into
// gemm_tiled's loops) then keeps accumulators on the stack: 5x8 and 6x8 ran at 30-40% of 4x8's
// GFLOP/s, 3x12 at ~40%, 3x16 at ~55%; 2x16 only ties on N = 16 and loses 2.5x on N = 8. With
// the kernel out of line, 5x8 matched 4x8 on 256^3 and was slower on the conv shapes.
using Wide = TileShape<4, 2>;    // 4 x 8: 8 acc + 2 B + 1 A
using Narrow = TileShape<8, 1>;  // 8 x 4: 8 acc + 1 B + 1 A
#endif

// C[0:mr, 0:nr] (+)= A_tile * B_sliver over kc steps, with
//   A_tile(r, k) = a[r * a_rs + k * a_ks]   (kUnitRowStride: a_rs == 1, as in a packed sliver
//                                            or a transposed A read in place)
//   B_sliver(k, c) = b[k * b_ks + c]        (packed: b_ks == NR; or B read in place)
//   c (mr, nr) with row stride ldc
// Reading A and B in place skips the packing pass where it does not pay: narrow GEMMs touch
// each A element once. Full tiles store straight from the registers; edge tiles go through a
// small buffer so nothing outside C is touched.
template <int MR, int NV, bool kUnitRowStride>
inline void micro_kernel(int kc, const float* a, long a_rs, long a_ks, const float* b, long b_ks,
                         float* c, int ldc, int mr, int nr, bool accumulate) {
  constexpr int NR = NV * kLanes;
  vf acc[MR][NV];
  for (int i = 0; i < MR; ++i)
    for (int j = 0; j < NV; ++j) acc[i][j] = simd::zero();
  for (int k = 0; k < kc; ++k) {
    vf bv[NV];
    for (int j = 0; j < NV; ++j) bv[j] = simd::load(b + j * kLanes);
    for (int i = 0; i < MR; ++i) {
      const vf av = simd::broadcast(kUnitRowStride ? a[i] : a[i * a_rs]);
      for (int j = 0; j < NV; ++j) acc[i][j] = simd::fmadd(av, bv[j], acc[i][j]);
    }
    a += a_ks;
    b += b_ks;
  }
  if (mr == MR && nr == NR) {
    for (int i = 0; i < MR; ++i) {
      float* ci = c + static_cast<long>(i) * ldc;
      for (int j = 0; j < NV; ++j) {
        vf v = acc[i][j];
        if (accumulate) v = simd::add(v, simd::load(ci + j * kLanes));
        simd::store(ci + j * kLanes, v);
      }
    }
    return;
  }
  alignas(64) float tile[MR * NR];
  for (int i = 0; i < MR; ++i)
    for (int j = 0; j < NV; ++j) simd::store(tile + i * NR + j * kLanes, acc[i][j]);
  for (int i = 0; i < mr; ++i) {
    float* ci = c + static_cast<long>(i) * ldc;
    for (int j = 0; j < nr; ++j) ci[j] = accumulate ? tile[i * NR + j] + ci[j] : tile[i * NR + j];
  }
}

// A ragged last row tile read in place: a kernel with exactly mr (< MR) rows, so nothing is
// read past A's last row and no multiply is spent on padding (for dW = col^T dY with M = 25
// and MR = 12, padding the tail would waste a third of the work). Same fused chain per element
// as the full tile, so the results do not depend on which kernel a row lands in.
template <int R, int NV, bool kUnitRowStride>
inline void tail_kernel(int mr, int kc, const float* a, long a_rs, long a_ks, const float* b,
                        long b_ks, float* c, int ldc, int nr, bool accumulate) {
  if constexpr (R > 0) {
    if (mr == R) {
      micro_kernel<R, NV, kUnitRowStride>(kc, a, a_rs, a_ks, b, b_ks, c, ldc, R, nr, accumulate);
    } else {
      tail_kernel<R - 1, NV, kUnitRowStride>(mr, kc, a, a_rs, a_ks, b, b_ks, c, ldc, nr,
                                             accumulate);
    }
  }
}

// Packs op(B)[k0:k0+kc, j0:j0+nc] into ceil(nc / NR) slivers.
// op(B)(k, j) = B[k * ldb + j], or B[j * ldb + k] when trans.
template <int NR>
inline void pack_b(bool trans, const float* B, int ldb, int k0, int kc, int j0, int nc,
                   float* dst) {
  for (int s = 0; s < nc; s += NR) {
    const int cols = std::min(NR, nc - s);
    if (NR % kLanes == 0 && !trans && cols == NR) {
      // Whole slivers with vector moves: a memcpy call per 64-byte row cost more than the copy.
      for (int k = 0; k < kc; ++k) {
        const float* src = B + static_cast<long>(k0 + k) * ldb + j0 + s;
        float* d = dst + k * NR;
        for (int j = 0; j < NR; j += kLanes) simd::store(d + j, simd::load(src + j));
      }
    } else if (!trans) {
      for (int k = 0; k < kc; ++k) {
        const float* src = B + static_cast<long>(k0 + k) * ldb + j0 + s;
        float* d = dst + k * NR;
        int c = 0;
        for (; c < cols; ++c) d[c] = src[c];
        for (; c < NR; ++c) d[c] = 0.0f;
      }
    } else {
      // Column j of op(B) is row j of the stored matrix: read along k, write strided.
      for (int c = 0; c < cols; ++c) {
        const float* src = B + static_cast<long>(j0 + s + c) * ldb + k0;
        for (int k = 0; k < kc; ++k) dst[k * NR + c] = src[k];
      }
      for (int c = cols; c < NR; ++c)
        for (int k = 0; k < kc; ++k) dst[k * NR + c] = 0.0f;
    }
    dst += static_cast<long>(kc) * NR;
  }
}

// Packs op(A)[i0:i0+mc, k0:k0+kc] into ceil(mc / MR) slivers (see the layout above).
// op(A)(i, k) = A[i * lda + k], or A[k * lda + i] when trans. An A sliver, a[k * MR + r], is a
// B sliver of op(A)'s transpose, so A packs as B read with the transpose flag flipped.
template <int MR>
inline void pack_a(bool trans, const float* A, int lda, int i0, int mc, int k0, int kc,
                   float* dst) {
  pack_b<MR>(!trans, A, lda, k0, kc, i0, mc, dst);
}

}  // namespace sn::gemm_detail
