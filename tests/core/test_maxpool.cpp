// MaxPool2D forward and backward against a naive reference, at channel counts on both sides of
// the vectorised path (channels >= 8 take it, fewer go one channel at a time), with overlapping
// windows, odd sizes, ties, and on one and two threads; plus a known answer worked out by hand
// at 8 and 17 channels.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "layers/layer.h"
#include "scratchnet/parallel.h"

namespace sn {
namespace {

struct Pooled {
  std::vector<float> out, din;
};

// The definition, one output at a time: y = the window's maximum; its gradient goes to the
// first maximum in (ky, kx) order; overlapping windows add their gradients.
Pooled reference_pool(const std::vector<float>& x, const std::vector<float>& dout, int n, Dims in,
                      int size, int stride) {
  const int oh = (in.h - size) / stride + 1, ow = (in.w - size) / stride + 1;
  Pooled r{std::vector<float>(size_t(n) * oh * ow * in.c), std::vector<float>(x.size(), 0.0f)};
  auto at = [&](int s, int y, int xx, int c) {
    return ((size_t(s) * in.h + y) * in.w + xx) * in.c + c;
  };
  for (int s = 0; s < n; ++s) {
    for (int oy = 0; oy < oh; ++oy) {
      for (int ox = 0; ox < ow; ++ox) {
        for (int c = 0; c < in.c; ++c) {
          size_t best = at(s, oy * stride, ox * stride, c);
          for (int ky = 0; ky < size; ++ky) {
            for (int kx = 0; kx < size; ++kx) {
              const size_t i = at(s, oy * stride + ky, ox * stride + kx, c);
              if (x[i] > x[best]) best = i;
            }
          }
          const size_t o = ((size_t(s) * oh + oy) * ow + ox) * in.c + c;
          r.out[o] = x[best];
          r.din[best] += dout[o];
        }
      }
    }
  }
  return r;
}

Pooled engine_pool(const std::vector<float>& x, const std::vector<float>& dout, int n, Dims in,
                   int size, int stride, int threads) {
  LayerSpec spec;
  spec.kind = LayerKind::MaxPool;
  spec.segment = 1;
  spec.text = "maxpool";
  spec.pool = size;
  spec.stride = stride;
  auto layer = make_layer(spec, in, 1);
  layer->allocate();
  layer->reserve(n);
  ThreadPool pool(threads);
  RunContext ctx{threads > 1 ? &pool : nullptr, true};
  Pooled r{std::vector<float>(n * layer->output_dims().size()),
           std::vector<float>(x.size(), -7.0f)};
  layer->forward(x.data(), r.out.data(), n, ctx);
  layer->backward(x.data(), r.out.data(), dout.data(), r.din.data(), n, ctx);
  return r;
}

TEST(MaxPool, MatchesTheDefinitionOnBothPathsWithOverlappingWindows) {
  struct Case {
    int size, stride;
    Dims in;
  };
  const Case cases[] = {{2, 2, {6, 6, 0}},
                        {3, 2, {7, 9, 0}},
                        {2, 1, {5, 4, 0}},
                        {3, 1, {6, 5, 0}},
                        {2, 2, {5, 7, 0}}};
  std::mt19937_64 rng(17);
  for (int channels : {1, 3, 7, 8, 9, 16, 17}) {
    for (Case c : cases) {
      c.in.c = channels;
      for (bool ties : {false, true}) {
        const int n = 3;
        std::vector<float> x(size_t(n) * c.in.size()), dout;
        // Ties: few distinct values, so windows often hold their maximum twice (the first wins).
        std::uniform_int_distribution<int> level(0, ties ? 2 : 1 << 20);
        for (float& v : x) v = float(level(rng)) - (ties ? 1.0f : float(1 << 19));
        const Dims out{(c.in.h - c.size) / c.stride + 1, (c.in.w - c.size) / c.stride + 1,
                       channels};
        std::uniform_real_distribution<float> grad(-1.0f, 1.0f);
        dout.resize(size_t(n) * out.size());
        for (float& v : dout) v = grad(rng);
        const Pooled want = reference_pool(x, dout, n, c.in, c.size, c.stride);
        for (int threads : {1, 2}) {
          SCOPED_TRACE(testing::Message()
                       << "channels " << channels << ", window " << c.size << " stride " << c.stride
                       << ", input " << c.in.h << "x" << c.in.w << (ties ? ", ties" : "") << ", "
                       << threads << " threads");
          const Pooled got = engine_pool(x, dout, n, c.in, c.size, c.stride, threads);
          ASSERT_EQ(got.out, want.out);
          // Where at most one window routes to an input the sums are exact; overlapping windows
          // add the same few values in the same (output) order as the reference.
          ASSERT_EQ(got.din.size(), want.din.size());
          for (size_t i = 0; i < want.din.size(); ++i) {
            ASSERT_FLOAT_EQ(got.din[i], want.din[i]) << "input " << i;
          }
        }
      }
    }
  }
}

// 3x3 input, 2x2 windows moved by 1: four overlapping windows that all hold the centre pixel.
// Channel c has its peak 100 + c at pixel c % 9 (row-major); every other pixel p holds -p, so a
// window without the peak has its top-left pixel as maximum.
//   window (oy, ox) covers pixels {3oy + ox, 3oy + ox + 1, 3oy + ox + 3, 3oy + ox + 4}
// With dout = 1 + output index (distinct), din[p] of a channel is the sum of dout over the
// windows whose maximum is pixel p.
TEST(MaxPool, KnownAnswerAtEightAndSeventeenChannels) {
  for (int channels : {8, 17}) {
    const Dims in{3, 3, channels};
    std::vector<float> x(in.size());
    for (int p = 0; p < 9; ++p) {
      for (int c = 0; c < channels; ++c) x[p * channels + c] = p == c % 9 ? 100.0f + c : -float(p);
    }
    std::vector<float> dout(4 * channels);
    for (size_t i = 0; i < dout.size(); ++i) dout[i] = 1.0f + float(i);
    for (int threads : {1, 2}) {
      const Pooled got = engine_pool(x, dout, 1, in, 2, 1, threads);
      for (int c = 0; c < channels; ++c) {
        const int peak = c % 9;
        std::vector<float> din(9, 0.0f);
        for (int oy = 0; oy < 2; ++oy) {
          for (int ox = 0; ox < 2; ++ox) {
            const int top_left = 3 * oy + ox;
            const bool holds_peak = peak == top_left || peak == top_left + 1 ||
                                    peak == top_left + 3 || peak == top_left + 4;
            const int o = (oy * 2 + ox) * channels + c;
            EXPECT_EQ(got.out[o], holds_peak ? 100.0f + c : -float(top_left))
                << channels << " channels, channel " << c << ", window " << oy << "," << ox;
            din[holds_peak ? peak : top_left] += dout[o];
          }
        }
        for (int p = 0; p < 9; ++p) {
          EXPECT_EQ(got.din[p * channels + c], din[p])
              << channels << " channels, channel " << c << ", pixel " << p << ", " << threads
              << " threads";
        }
      }
    }
  }
  // Spelled out for channel 4 at 8 channels: its peak is the centre, in every window, so the
  // centre gets the dout of outputs 4, 12, 20 and 28, i.e. 5 + 13 + 21 + 29 = 68, the rest 0.
  const Dims in{3, 3, 8};
  std::vector<float> x(in.size());
  for (int p = 0; p < 9; ++p) {
    for (int c = 0; c < 8; ++c) x[p * 8 + c] = p == c % 9 ? 100.0f + c : -float(p);
  }
  std::vector<float> dout(32);
  for (size_t i = 0; i < dout.size(); ++i) dout[i] = 1.0f + float(i);
  const Pooled got = engine_pool(x, dout, 1, in, 2, 1, 1);
  for (int p = 0; p < 9; ++p) EXPECT_EQ(got.din[p * 8 + 4], p == 4 ? 68.0f : 0.0f) << p;
}

}  // namespace
}  // namespace sn
