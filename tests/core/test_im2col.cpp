// im2col / col2im_add against a direct convolution and its direct adjoint.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <random>
#include <vector>

#include "kernels/im2col.h"

namespace {

struct Geometry {
  int H, W, C, KH, KW, stride, pad_top, pad_left, out_h, out_w;
};

std::vector<float> random_vector(size_t n, std::mt19937& rng) {
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> v(n);
  for (float& x : v) x = dist(rng);
  return v;
}

// Geometries with "same" and "valid" padding, strides 1..3, non-square kernels and images.
std::vector<Geometry> geometries() {
  std::vector<Geometry> out;
  for (int stride : {1, 2, 3})
    for (int pad : {0, 1, 2})
      for (auto [H, W, C, KH, KW] : std::vector<std::array<int, 5>>{
               {5, 5, 1, 3, 3}, {7, 6, 3, 3, 2}, {8, 8, 2, 5, 5}, {4, 9, 4, 1, 3}}) {
        const int out_h = (H + 2 * pad - KH) / stride + 1;
        const int out_w = (W + 2 * pad - KW) / stride + 1;
        if (out_h <= 0 || out_w <= 0) continue;
        out.push_back({H, W, C, KH, KW, stride, pad, pad, out_h, out_w});
      }
  out.push_back({6, 6, 2, 3, 3, 2, 0, 1, 3, 3});  // asymmetric padding (TF "same", stride 2)
  return out;
}

TEST(Im2col, MatchesDirectConvolution) {
  std::mt19937 rng(7);
  for (const Geometry& g : geometries()) {
    const int F = 3, K = g.KH * g.KW * g.C, P = g.out_h * g.out_w;
    const auto in = random_vector(static_cast<size_t>(g.H) * g.W * g.C, rng);
    const auto weight = random_vector(static_cast<size_t>(K) * F, rng);  // (KH, KW, C, F)
    std::vector<float> col(static_cast<size_t>(P) * K, 123.0f);  // garbage must be overwritten
    sn::im2col(in.data(), g.H, g.W, g.C, g.KH, g.KW, g.stride, g.pad_top, g.pad_left, g.out_h,
               g.out_w, col.data());
    for (int oy = 0; oy < g.out_h; ++oy)
      for (int ox = 0; ox < g.out_w; ++ox)
        for (int f = 0; f < F; ++f) {
          double direct = 0, via_col = 0;
          for (int kh = 0; kh < g.KH; ++kh)
            for (int kw = 0; kw < g.KW; ++kw)
              for (int c = 0; c < g.C; ++c) {
                const int iy = oy * g.stride - g.pad_top + kh, ix = ox * g.stride - g.pad_left + kw;
                const int k = (kh * g.KW + kw) * g.C + c;
                if (iy >= 0 && iy < g.H && ix >= 0 && ix < g.W)
                  direct += in[(iy * g.W + ix) * g.C + c] * weight[k * F + f];
                via_col += col[(oy * g.out_w + ox) * K + k] * weight[k * F + f];
              }
          EXPECT_NEAR(direct, via_col, 1e-5) << "H" << g.H << " K" << g.KH << " s" << g.stride;
        }
  }
}

// col2im_add is the adjoint of im2col: <im2col(x), y> == <x, col2im(y)> for all x, y.
TEST(Im2col, Col2imIsTheAdjoint) {
  std::mt19937 rng(11);
  for (const Geometry& g : geometries()) {
    const size_t n_in = static_cast<size_t>(g.H) * g.W * g.C;
    const size_t n_col = static_cast<size_t>(g.out_h) * g.out_w * g.KH * g.KW * g.C;
    const auto x = random_vector(n_in, rng);
    const auto y = random_vector(n_col, rng);
    std::vector<float> col(n_col);
    sn::im2col(x.data(), g.H, g.W, g.C, g.KH, g.KW, g.stride, g.pad_top, g.pad_left, g.out_h,
               g.out_w, col.data());
    const auto base = random_vector(n_in, rng);  // col2im_add accumulates onto what is there
    std::vector<float> back = base;
    sn::col2im_add(y.data(), g.H, g.W, g.C, g.KH, g.KW, g.stride, g.pad_top, g.pad_left, g.out_h,
                   g.out_w, back.data());
    double lhs = 0, rhs = 0;
    for (size_t i = 0; i < n_col; ++i) lhs += static_cast<double>(col[i]) * y[i];
    for (size_t i = 0; i < n_in; ++i) rhs += static_cast<double>(x[i]) * (back[i] - base[i]);
    EXPECT_NEAR(lhs, rhs, 1e-4 * (1 + std::abs(lhs)));
  }
}

TEST(Im2col, HandComputedPaddedPatch) {
  // 2x2 single-channel image, 3x3 kernel, pad 1: the patch at (0,0) is the image in the
  // bottom-right corner of a zero frame.
  const float in[4] = {1, 2, 3, 4};
  std::vector<float> col(4 * 9, -1.0f);
  sn::im2col(in, 2, 2, 1, 3, 3, 1, 1, 1, 2, 2, col.data());
  const std::vector<float> first(col.begin(), col.begin() + 9);
  EXPECT_EQ(first, (std::vector<float>{0, 0, 0, 0, 1, 2, 0, 3, 4}));
  const std::vector<float> last(col.end() - 9, col.end());
  EXPECT_EQ(last, (std::vector<float>{1, 2, 0, 3, 4, 0, 0, 0, 0}));
}

}  // namespace
