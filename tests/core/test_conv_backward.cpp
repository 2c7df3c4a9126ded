// Conv2D's weight and bias gradients against the definition summed directly over the batch, for
// batches cut into several chunks (the layer sums per-chunk partials), with a short last chunk,
// on one and two threads.
//   dW[ky, kx, ci, co] = sum over s, oy, ox of dout[s, oy, ox, co] * in[s, oy*st + ky - pt, ox*st +
//   kx - pl, ci] db[co]             = sum over s, oy, ox of dout[s, oy, ox, co]
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "layers/layer.h"
#include "scratchnet/parallel.h"

namespace sn {
namespace {

struct Case {
  Dims in;
  int filters, kernel, stride;
  bool same;
  int n;
};

void check_weight_gradient(const Case& c, int threads) {
  LayerSpec spec;
  spec.kind = LayerKind::Conv;
  spec.segment = 1;
  spec.text = "conv";
  spec.filters = c.filters;
  spec.kernel_h = spec.kernel_w = c.kernel;
  spec.stride = c.stride;
  spec.same_padding = c.same;
  auto layer = make_layer(spec, c.in, 1);
  layer->allocate();
  std::mt19937_64 rng(31);
  layer->init(rng, true);
  layer->reserve(c.n);
  const Dims out = layer->output_dims();
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  std::vector<float> x(size_t(c.n) * c.in.size()), dout(size_t(c.n) * out.size());
  for (float& v : x) v = uniform(rng);
  for (float& v : dout) v = uniform(rng);
  // The last sample's output gradient is large, so losing it (or any chunk) is plain to see.
  for (int64_t i = 0; i < out.size(); ++i) dout[size_t(c.n - 1) * out.size() + i] *= 8.0f;

  const int pad_top = c.same ? std::max((out.h - 1) * c.stride + c.kernel - c.in.h, 0) / 2 : 0;
  const int pad_left = c.same ? std::max((out.w - 1) * c.stride + c.kernel - c.in.w, 0) / 2 : 0;
  std::vector<double> dw(size_t(c.kernel) * c.kernel * c.in.c * c.filters, 0.0), db(c.filters, 0.0);
  for (int s = 0; s < c.n; ++s) {
    for (int oy = 0; oy < out.h; ++oy) {
      for (int ox = 0; ox < out.w; ++ox) {
        for (int co = 0; co < c.filters; ++co) {
          const double g = dout[((size_t(s) * out.h + oy) * out.w + ox) * c.filters + co];
          db[co] += g;
          for (int ky = 0; ky < c.kernel; ++ky) {
            for (int kx = 0; kx < c.kernel; ++kx) {
              const int y = oy * c.stride + ky - pad_top, xx = ox * c.stride + kx - pad_left;
              if (y < 0 || y >= c.in.h || xx < 0 || xx >= c.in.w) continue;
              for (int ci = 0; ci < c.in.c; ++ci) {
                dw[((size_t(ky) * c.kernel + kx) * c.in.c + ci) * c.filters + co] +=
                    g * x[((size_t(s) * c.in.h + y) * c.in.w + xx) * c.in.c + ci];
              }
            }
          }
        }
      }
    }
  }

  ThreadPool pool(threads);
  const RunContext ctx{threads > 1 ? &pool : nullptr, true};
  std::vector<float> y(dout.size()), din(x.size());
  layer->forward(x.data(), y.data(), c.n, ctx);
  for (const Param& p : layer->params()) p.grad->zero();
  layer->backward(x.data(), y.data(), dout.data(), din.data(), c.n, ctx);
  const auto params = layer->params();
  const Tensor& got_w = *params[0].grad;
  const Tensor& got_b = *params[1].grad;
  ASSERT_EQ(size_t(got_w.size()), dw.size());
  // Float sums of up to a few thousand products of size ~1: relative error well under 1e-4.
  auto tolerance = [](double want) { return 1e-4 * std::fabs(want) + 1e-3; };
  for (size_t i = 0; i < dw.size(); ++i)
    ASSERT_NEAR(got_w[i], dw[i], tolerance(dw[i])) << "dW " << i;
  for (int co = 0; co < c.filters; ++co)
    ASSERT_NEAR(got_b[co], db[co], tolerance(db[co])) << "db " << co;
}

TEST(ConvBackward, WeightGradientSumsEveryChunkIncludingTheLast) {
  // 20x20x3 with 3x3 valid: 18 * 18 * 27 = 8748 column floats per sample, chunks of 7 samples:
  // batches of 10 (7 + 3) and 15 (7 + 7 + 1). 12x12x2 with 5x5 same stride 2: 6 * 6 * 50 = 1800
  // per sample, chunks of 16: a batch of 37 is 16 + 16 + 5. A 1x1 conv reads the input in place.
  const Case cases[] = {{{20, 20, 3}, 2, 3, 1, false, 10},
                        {{20, 20, 3}, 4, 3, 1, false, 15},
                        {{12, 12, 2}, 3, 5, 2, true, 37},
                        {{30, 30, 9}, 5, 1, 1, false, 18}};
  for (const Case& c : cases) {
    for (int threads : {1, 2}) {
      SCOPED_TRACE(testing::Message()
                   << c.in.h << "x" << c.in.w << "x" << c.in.c << ", " << c.kernel << "x"
                   << c.kernel << ", batch " << c.n << ", " << threads << " threads");
      check_weight_gradient(c, threads);
    }
  }
}

}  // namespace
}  // namespace sn
