// The optimised GEMM (contract in scratchnet/gemm.h):
//   C[M,N] = op(A)[M,K] * op(B)[K,N] + beta * C[M,N]
// Goto/BLIS structure: op(B) is packed whole into k-blocks of KC rows cut into NR-wide slivers
// (once per thread, see below); each task owns a range of rows (and, when M is short, of
// column slivers), packs its MC x KC blocks of op(A) into a per-thread buffer and
// runs the register-tiled micro-kernel (gemm_kernel.h) over them. B slivers (KC x NR) stay in
// L1, the A block (MC x KC) in L2.
// The layers' GEMMs are mostly narrow (N = 8..16 output channels), where each A element meets
// one or two B slivers: there packing would cost as much as the multiply, so A is read in
// place, and so is B when its rows are already sliver-shaped (ldb = N = NR).
//
// Determinism: every C element is summed by the same chain whatever the thread count: KC is a
// constant; within a k-block the micro-kernel sums k in order from zero; the block sums are
// then added onto C in block order, C = P_last + (... + (P_1 + (P_0 [+ C]))). Tasks split rows
// and columns; only when those are too few (dW's small C, huge K) do they split K, and then
// strictly at k-block boundaries, keeping each block's sum P_p apart and adding them in the
// same order afterwards. So the result is bit-identical for 1, 2 or N threads.
#include "scratchnet/gemm.h"

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <new>
#include <vector>

#include "kernels/gemm_kernel.h"

namespace sn {
namespace {

using namespace gemm_detail;

constexpr int KC = 256;                  // k-block: one B sliver (KC x 16 floats) = 16 KiB of L1
constexpr int kMcTarget = 144;           // rows per A block: 144 x 256 floats = 144 KiB of L2
constexpr double kMinTaskFlops = 2.0e5;  // below this a task costs more to hand out than to run
constexpr int kTasksPerThread = 4;       // spare tasks even out a busy or shared machine
constexpr long kMaxPartialFloats = 1L << 21;  // 8 MiB cap on k-split partial products
constexpr long kInPlaceAFloats = 1L << 16;    // 256 KiB: an A every task can read from L2
constexpr long kStripedCFloats = 1L << 14;    // 64 KiB: a C that can be written in column stripes

// A 64-byte aligned float buffer that only ever grows: after the first calls of a training
// run, gemm allocates nothing.
class PackBuffer {
 public:
  float* get(size_t floats) {
    if (floats > capacity_) {
      data_.reset(
          static_cast<float*>(::operator new[](floats * sizeof(float), std::align_val_t{64})));
      capacity_ = floats;
    }
    return data_.get();
  }

 private:
  struct Free {
    void operator()(float* p) const { ::operator delete[](p, std::align_val_t{64}); }
  };
  std::unique_ptr<float, Free> data_;
  size_t capacity_ = 0;
};

// Per thread: packed B (and the gemm call it holds), A blocks.
thread_local PackBuffer t_pack_b;
thread_local std::vector<uint64_t> t_packed_call;  // per (k-block, sliver): the call packed for
// Numbers every gemm call, narrow and wide tiles alike: t_packed_call is one per thread for both
// gemm_tiled instantiations, so a counter per instantiation (a function-local static) let a wide
// call take a narrow call's packed B as its own whenever the two counts met.
std::atomic<uint64_t> g_calls{0};
thread_local PackBuffer t_pack_a;
thread_local PackBuffer t_partials;  // the caller's per-k-block partial products

inline int ceil_div(int a, int b) { return (a + b - 1) / b; }

template <class Tile>
void gemm_tiled(bool trans_a, bool trans_b, int M, int N, int K, const float* A, int lda,
                const float* B, int ldb, bool accumulate_c, float* C, int ldc, ThreadPool* pool) {
  constexpr int MR = Tile::MR, NV = Tile::NV, NR = NV * kLanes;
  constexpr int MC = std::max(MR, kMcTarget / MR * MR);
  const int slivers = ceil_div(N, NR);
  const long n_round = static_cast<long>(slivers) * NR;

  // op(B) is read in place when its rows are already sliver-shaped: not transposed, a whole
  // number of slivers, and rows close enough that a sliver's kc rows do not fight over the
  // same L1 sets (the layers' weights and dY are exactly this: ldb = N = 8 or 16).
  const bool direct_b = !trans_b && N % NR == 0 && ldb <= 4 * NR;
  // Otherwise each thread packs op(B) into its own buffer, one (k-block, sliver) at a time, the
  // first time it runs a task that needs it in this call: k-block at row pc starts at
  // pc * n_round, sliver s at + s * kc * NR. One copy shared by all threads would be packed
  // once, but every call's packing would then have to take the cache lines back from the cores
  // that read the previous call's copy, which costs more than packing (784 x 128: 11 us to
  // pack, 30-40 us on two threads when shared). Packing only the slivers its tasks use keeps a
  // thread that computes some of the columns from packing all of op(B).
  const uint64_t call = g_calls.fetch_add(1, std::memory_order_relaxed) + 1;
  const int k_blocks = ceil_div(K, KC);
  // This thread's buffer, sized for this call once per task.
  auto packed_b_buffer = [&]() -> float* {
    const size_t flags = static_cast<size_t>(k_blocks) * slivers;
    if (t_packed_call.size() < flags) t_packed_call.resize(flags);
    return t_pack_b.get(static_cast<size_t>(n_round) * K);
  };
  auto packed_b_sliver = [&](float* packed, int p, int s) -> const float* {
    const size_t flag = static_cast<size_t>(p) * slivers + s;
    const int pc = p * KC, kc = std::min(KC, K - pc);
    float* sliver = packed + pc * n_round + static_cast<long>(s) * kc * NR;
    if (t_packed_call[flag] != call) {
      pack_b<NR>(trans_b, B, ldb, pc, kc, s * NR, std::min(NR, N - s * NR), sliver);
      t_packed_call[flag] = call;
    }
    return sliver;
  };

  // Tasks: split rows first (no packing is repeated), then column slivers if rows run out.
  const int threads = pool ? pool->size() : 1;
  const int m_tiles = ceil_div(M, MR);
  int max_tasks = 1;
  if (threads > 1) {
    const double flops = 2.0 * M * N * K;
    max_tasks =
        static_cast<int>(std::min<double>(threads * kTasksPerThread, flops / kMinTaskFlops));
    max_tasks = std::max(max_tasks, 1);
  }
  // A task should give each B sliver it loads into L1 a few row tiles; with fewer rows per
  // task (a Dense forward: M = 64, N = 128) the columns are split instead, and narrow column
  // ranges then read A in place.
  const int min_tiles = slivers > 2 ? 4 : 1;
  int tm = std::min(std::max(1, m_tiles / min_tiles), max_tasks);
  int tn = std::min(slivers, std::max(1, max_tasks / tm));
  // Few rows, many columns, small A and C (a small Dense layer's forward and dW at batch 64):
  // split the columns only, a whole number of column ranges per thread and at most two slivers
  // each, so every task reads A in place and packs just its own B slivers (split by rows as
  // well, each A block would be packed once per column range and each thread would pack all of
  // B). Only for a small C: a large C written in column stripes by both threads makes the
  // GEMM faster alone but training slower, as the next layer reads C from both caches
  // (figures: web/scripts/bench/README.md).
  if (threads > 1 && static_cast<long>(M) * K <= kInPlaceAFloats &&
      static_cast<long>(M) * N <= kStripedCFloats) {
    const int column_tasks = std::min(slivers, max_tasks) / threads * threads;
    if (column_tasks >= threads && slivers <= 2 * column_tasks) {
      tm = 1;
      tn = column_tasks;
    }
  }
  // Weight gradients (dW = X^T dY) have a small C and a huge K: too few row or column tiles to
  // go round (an edge tile costs as much as a full one). There, tasks take ranges of
  // k-blocks instead; each block's partial product goes to its own buffer and the caller adds
  // them onto C in block order, which is exactly the serial chain (see the file comment).
  int tk = 1;
  float* partials = nullptr;
  const long c_size = static_cast<long>(M) * N;  // k-split only when c_size * k_blocks is small
  if (tm * tn < max_tasks && k_blocks > 1 &&
      static_cast<int64_t>(c_size) * k_blocks <= kMaxPartialFloats) {
    tm = tn = 1;  // the partial products cost ~4 bytes per 2 * KC flops: next to nothing
    tk = std::min(k_blocks, max_tasks);
    partials = t_partials.get(static_cast<size_t>(c_size * k_blocks));
  }

  // Computes rows [r0, r1) x slivers [s0, s1) over k-blocks [p0, p1): onto C, or with
  // partials into block p's own (M, N) buffer.
  auto compute = [&](int r0, int r1, int s0, int s1, int p0, int p1) {
    // Packing A pays for itself only when each A tile meets several B slivers.
    const bool direct_a = s1 - s0 <= 2;
    float* packed_a = t_pack_a.get(static_cast<size_t>(MC) * KC);
    float* packed_b = direct_b ? nullptr : packed_b_buffer();
    for (int ic = r0; ic < r1; ic += MC) {
      const int mc = std::min(MC, r1 - ic);
      for (int p = p0; p < p1; ++p) {
        const int pc = p * KC, kc = std::min(KC, K - pc);
        if (!direct_a) pack_a<MR>(trans_a, A, lda, ic, mc, pc, kc, packed_a);
        const bool accumulate = !partials && (accumulate_c || p > 0);
        float* out = partials ? partials + p * c_size : C;
        const int ldo = partials ? N : ldc;
        for (int s = s0; s < s1; ++s) {
          const int j = s * NR, nr = std::min(NR, N - j);
          const float* b =
              direct_b ? B + static_cast<long>(pc) * ldb + j : packed_b_sliver(packed_b, p, s);
          const long b_ks = direct_b ? ldb : NR;
          for (int ir = 0; ir < mc; ir += MR) {
            float* c = out + static_cast<long>(ic + ir) * ldo + j;
            const int mr = std::min(MR, mc - ir);
            if (!direct_a) {  // packed, the last tile zero-padded to MR rows
              micro_kernel<MR, NV, true>(kc, packed_a + static_cast<long>(ir) * kc, 1, MR, b, b_ks,
                                         c, ldo, mr, nr, accumulate);
            } else if (trans_a) {  // op(A)(i, k) = A[k * lda + i]: rows are contiguous
              const float* a = A + static_cast<long>(pc) * lda + ic + ir;
              if (mr == MR) {
                micro_kernel<MR, NV, true>(kc, a, 1, lda, b, b_ks, c, ldo, mr, nr, accumulate);
              } else {
                tail_kernel<MR - 1, NV, true>(mr, kc, a, 1, lda, b, b_ks, c, ldo, nr, accumulate);
              }
            } else {  // op(A)(i, k) = A[i * lda + k]
              const float* a = A + static_cast<long>(ic + ir) * lda + pc;
              if (mr == MR) {
                micro_kernel<MR, NV, false>(kc, a, lda, 1, b, b_ks, c, ldo, mr, nr, accumulate);
              } else {
                tail_kernel<MR - 1, NV, false>(mr, kc, a, lda, 1, b, b_ks, c, ldo, nr, accumulate);
              }
            }
          }
        }
      }
    }
  };
  auto task = [&](int t) {
    const int ik = t % tk, in = t / tk % tn, im = t / (tk * tn);
    const int r0 = static_cast<int>(static_cast<long>(m_tiles) * im / tm) * MR;
    const int r1 = std::min(M, static_cast<int>(static_cast<long>(m_tiles) * (im + 1) / tm) * MR);
    compute(r0, r1, slivers * in / tn, slivers * (in + 1) / tn, k_blocks * ik / tk,
            k_blocks * (ik + 1) / tk);
  };

  const int tasks = tm * tn * tk;
  if (tasks == 1) {
    task(0);
  } else {
    pool->run(tasks, std::ref(task));  // std::ref: std::function never allocates
  }
  if (partials) {
    for (int i = 0; i < M; ++i) {
      float* c = C + static_cast<long>(i) * ldc;
      const float* p0 = partials + static_cast<long>(i) * N;
      for (int j = 0; j < N; ++j) {
        float v = accumulate_c ? p0[j] + c[j] : p0[j];
        for (int p = 1; p < k_blocks; ++p) v = p0[p * c_size + j] + v;
        c[j] = v;
      }
    }
  }
}

}  // namespace

void gemm(bool trans_a, bool trans_b, int M, int N, int K, const float* A, int lda, const float* B,
          int ldb, float beta, float* C, int ldc, ThreadPool* pool) {
  if (M <= 0 || N <= 0) return;
  if (beta != 0.0f && beta != 1.0f) {
    // Outside the layers' contract (0 or 1) but cheap to honour: scale, then accumulate.
    for (int i = 0; i < M; ++i)
      for (int j = 0; j < N; ++j) C[static_cast<long>(i) * ldc + j] *= beta;
    beta = 1.0f;
  }
  if (K <= 0) {
    if (beta == 0.0f) {
      for (int i = 0; i < M; ++i) std::fill_n(C + static_cast<long>(i) * ldc, N, 0.0f);
    }
    return;
  }
  const bool accumulate_c = beta != 0.0f;
  if (N <= Narrow::NV * kLanes) {
    gemm_tiled<Narrow>(trans_a, trans_b, M, N, K, A, lda, B, ldb, accumulate_c, C, ldc, pool);
  } else {
    gemm_tiled<Wide>(trans_a, trans_b, M, N, K, A, lda, B, ldb, accumulate_c, C, ldc, pool);
  }
}

}  // namespace sn
