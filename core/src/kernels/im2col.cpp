// NHWC im2col and its adjoint (contract in kernels/im2col.h).
//   in (H, W, C) -> col (out_h * out_w, KH * KW * C)
//   col(oy * out_w + ox, (kh * KW + kw) * C + c) = in(oy * stride - pad_top + kh,
//                                                     ox * stride - pad_left + kw, c)
// In NHWC the C channels of one pixel are contiguous in both in and col, so each (kh, kw)
// moves one run of C floats (or zeros for padding).
#include "kernels/im2col.h"

#include <algorithm>
#include <cstring>

namespace sn {

void im2col(const float* in, int H, int W, int C, int KH, int KW, int stride, int pad_top,
            int pad_left, int out_h, int out_w, float* col) {
  const size_t run = sizeof(float) * C;
  for (int oy = 0; oy < out_h; ++oy) {
    for (int ox = 0; ox < out_w; ++ox) {
      for (int kh = 0; kh < KH; ++kh) {
        const int iy = oy * stride - pad_top + kh;
        const bool row_inside = iy >= 0 && iy < H;
        for (int kw = 0; kw < KW; ++kw) {
          const int ix = ox * stride - pad_left + kw;
          if (row_inside && ix >= 0 && ix < W) {
            std::memcpy(col, in + (static_cast<long>(iy) * W + ix) * C, run);
          } else {
            std::fill_n(col, C, 0.0f);
          }
          col += C;
        }
      }
    }
  }
}

void col2im_add(const float* col, int H, int W, int C, int KH, int KW, int stride, int pad_top,
                int pad_left, int out_h, int out_w, float* din) {
  for (int oy = 0; oy < out_h; ++oy) {
    for (int ox = 0; ox < out_w; ++ox) {
      for (int kh = 0; kh < KH; ++kh) {
        const int iy = oy * stride - pad_top + kh;
        const bool row_inside = iy >= 0 && iy < H;
        for (int kw = 0; kw < KW; ++kw) {
          const int ix = ox * stride - pad_left + kw;
          if (row_inside && ix >= 0 && ix < W) {
            float* d = din + (static_cast<long>(iy) * W + ix) * C;
            for (int c = 0; c < C; ++c) d[c] += col[c];
          }
          col += C;  // padding positions have no input to flow back to
        }
      }
    }
  }
}

}  // namespace sn
