// NHWC im2col and its adjoint (contract in kernels/im2col.h).
//   in (H, W, C) -> col (out_h * out_w, KH * KW * C)
//   col(oy * out_w + ox, (kh * KW + kw) * C + c) = in(oy * stride - pad_top + kh,
//                                                     ox * stride - pad_left + kw, c)
// In NHWC the KW pixels of one kernel row are adjacent in the input, so each (output pixel,
// kh) is a single run of KW * C floats, clipped against the image edge where padding starts.
// Runs are short (5 floats for lenet's first layer), so they are copied with vector loads and
// stores here rather than a memcpy call per run, which cost more than the copying itself.
#include "kernels/im2col.h"

#include "kernels/simd.h"

namespace sn {
namespace {

using simd::kLanes;

inline void copy_run(float* dst, const float* src, int n) {
  int i = 0;
  for (; i + kLanes <= n; i += kLanes) simd::store(dst + i, simd::load(src + i));
  for (; i < n; ++i) dst[i] = src[i];
}

inline void zero_run(float* dst, int n) {
  int i = 0;
  for (; i + kLanes <= n; i += kLanes) simd::store(dst + i, simd::zero());
  for (; i < n; ++i) dst[i] = 0.0f;
}

inline void add_run(float* dst, const float* src, int n) {
  int i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    simd::store(dst + i, simd::add(simd::load(dst + i), simd::load(src + i)));
  }
  for (; i < n; ++i) dst[i] += src[i];
}

// The part of a kernel row [ix0, ix0 + KW) that lies inside [0, W): kw in [kw_begin, kw_end).
struct Clip {
  int kw_begin, kw_end;
};
inline Clip clip(int ix0, int KW, int W) {
  const int begin = ix0 < 0 ? -ix0 : 0;
  const int end = ix0 + KW > W ? W - ix0 : KW;
  return {begin, end > begin ? end : begin};
}

}  // namespace

void im2col(const float* in, int H, int W, int C, int KH, int KW, int stride, int pad_top,
            int pad_left, int out_h, int out_w, float* col) {
  const int run = KW * C;
  const long row = static_cast<long>(W) * C;
  // Runs rounded up to whole vectors (5 floats -> 8 for lenet's first layer) may be copied
  // whole: col is written strictly in increasing order, so the spill past a run is overwritten
  // by the runs after it. Only the very end of col and of the image need the exact copy.
  const int vector_run = (run + kLanes - 1) / kLanes * kLanes;
  const float* const in_end = in + static_cast<long>(H) * row;
  const float* const col_end = col + static_cast<long>(out_h) * out_w * KH * run;
  for (int oy = 0; oy < out_h; ++oy) {
    const int iy0 = oy * stride - pad_top;
    const bool rows_inside = iy0 >= 0 && iy0 + KH <= H;
    for (int ox = 0; ox < out_w; ++ox) {
      const int ix0 = ox * stride - pad_left;
      if (rows_inside && ix0 >= 0 && ix0 + KW <= W) {
        // The whole patch is inside the image (every patch of a "valid" convolution).
        const float* src = in + (static_cast<long>(iy0) * W + ix0) * C;
        for (int kh = 0; kh < KH; ++kh, src += row, col += run) {
          if (src + vector_run <= in_end && col + vector_run <= col_end) {
            for (int i = 0; i < vector_run; i += kLanes) {
              simd::store(col + i, simd::load(src + i));
            }
          } else {
            copy_run(col, src, run);
          }
        }
        continue;
      }
      const Clip x = clip(ix0, KW, W);
      for (int kh = 0; kh < KH; ++kh) {
        const int iy = iy0 + kh;
        if (iy < 0 || iy >= H || x.kw_begin == x.kw_end) {
          zero_run(col, run);
        } else {
          const float* src = in + (static_cast<long>(iy) * W + ix0) * C;
          zero_run(col, x.kw_begin * C);
          copy_run(col + x.kw_begin * C, src + x.kw_begin * C, (x.kw_end - x.kw_begin) * C);
          zero_run(col + x.kw_end * C, (KW - x.kw_end) * C);
        }
        col += run;
      }
    }
  }
}

void col2im_add(const float* col, int H, int W, int C, int KH, int KW, int stride, int pad_top,
                int pad_left, int out_h, int out_w, float* din) {
  const int run = KW * C;
  for (int oy = 0; oy < out_h; ++oy) {
    for (int ox = 0; ox < out_w; ++ox) {
      const int ix0 = ox * stride - pad_left;
      const Clip x = clip(ix0, KW, W);
      for (int kh = 0; kh < KH; ++kh) {
        const int iy = oy * stride - pad_top + kh;
        // Padding positions have no input to flow back to.
        if (iy >= 0 && iy < H && x.kw_begin < x.kw_end) {
          float* dst = din + (static_cast<long>(iy) * W + ix0) * C;
          add_run(dst + x.kw_begin * C, col + x.kw_begin * C, (x.kw_end - x.kw_begin) * C);
        }
        col += run;
      }
    }
  }
}

}  // namespace sn
