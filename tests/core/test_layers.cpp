// Forward passes with hand-computed answers, one or more per layer.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "layer_check.h"
#include "layers/layer.h"
#include "scratchnet/error.h"

namespace sn {
namespace {

LayerSpec spec_of(LayerKind kind) { return testing::layer_spec(kind, 2, "layer under test"); }

std::unique_ptr<Layer> build(const LayerSpec& s, Dims in, int n) {
  auto layer = make_layer(s, in, 1);
  layer->allocate();
  layer->reserve(n);
  return layer;
}

void set_param(Layer& layer, int index, const std::vector<float>& values) {
  Tensor* t = layer.params().at(index).value;
  ASSERT_EQ(t->size(), int64_t(values.size()));
  std::copy(values.begin(), values.end(), t->data());
}

std::vector<float> run(Layer& layer, const std::vector<float>& in, int n, bool training = false) {
  std::vector<float> out(n * layer.output_dims().size());
  RunContext ctx;
  ctx.training = training;
  layer.forward(in.data(), out.data(), n, ctx);
  return out;
}

TEST(Layers, DenseKnownAnswer) {
  LayerSpec s = spec_of(LayerKind::Dense);
  s.units = 3;
  auto d = build(s, Dims{1, 1, 2}, 2);
  set_param(*d, 0, {1, 2, 3, 4, 5, 6});  // W (in=2, out=3), row-major
  set_param(*d, 1, {0.5f, -1, 0});
  EXPECT_EQ(d->output_dims(), (Dims{1, 1, 3}));
  // [1 2] W + b = [1+8+0.5, 2+10-1, 3+12] ; [0 -1] W + b = [-4+0.5, -5-1, -6]
  EXPECT_EQ(run(*d, {1, 2, 0, -1}, 2), (std::vector<float>{9.5f, 11, 15, -3.5f, -6, -6}));
  EXPECT_EQ(d->flops(), 2 * 2 * 3);
  EXPECT_EQ(d->params()[0].shape, (std::vector<int>{2, 3}));
}

TEST(Layers, ConvValidKnownAnswer) {
  LayerSpec s = spec_of(LayerKind::Conv);
  s.filters = 1;
  s.kernel_h = s.kernel_w = 2;
  auto c = build(s, Dims{3, 3, 1}, 1);
  set_param(*c, 0, {1, 0, 0, -1});  // (KH, KW, 1, 1): top-left 1, bottom-right -1
  set_param(*c, 1, {1});
  EXPECT_EQ(c->output_dims(), (Dims{2, 2, 1}));
  // x = 1..9 row-major; out(y, x) = x[y][x] - x[y+1][x+1] + 1 = -4 + 1
  EXPECT_EQ(run(*c, {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1), (std::vector<float>{-3, -3, -3, -3}));
}

TEST(Layers, ConvSameStride2PadsBottomRight) {
  LayerSpec s = spec_of(LayerKind::Conv);
  s.filters = 1;
  s.kernel_h = s.kernel_w = 2;
  s.stride = 2;
  s.same_padding = true;
  auto c = build(s, Dims{3, 3, 1}, 1);
  set_param(*c, 0, {1, 0, 0, -1});
  set_param(*c, 1, {0});
  // OH = ceil(3/2) = 2, total padding (2-1)*2 + 2 - 3 = 1, all of it at the bottom/right:
  // out = [x00 - x11, x02 - 0, x20 - 0, x22 - 0]
  EXPECT_EQ(c->output_dims(), (Dims{2, 2, 1}));
  EXPECT_EQ(run(*c, {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1), (std::vector<float>{-4, 3, 7, 9}));
}

TEST(Layers, ConvWeightLayoutIsKhKwCinCout) {
  LayerSpec s = spec_of(LayerKind::Conv);
  s.filters = 2;
  s.kernel_h = 1;
  s.kernel_w = 2;
  auto c = build(s, Dims{1, 2, 2}, 1);
  EXPECT_EQ(c->params()[0].shape, (std::vector<int>{1, 2, 2, 2}));
  // W[kw][ci][co]: kw=0: [[1, 2], [3, 4]], kw=1: [[5, 6], [7, 8]]
  set_param(*c, 0, {1, 2, 3, 4, 5, 6, 7, 8});
  set_param(*c, 1, {0, 100});
  // pixels p0 = (1, 10), p1 = (100, 1000):
  // co=0: 1*1 + 10*3 + 100*5 + 1000*7 = 7531 ; co=1: 1*2 + 10*4 + 100*6 + 1000*8 + 100 = 8742
  EXPECT_EQ(run(*c, {1, 10, 100, 1000}, 1), (std::vector<float>{7531, 8742}));
}

TEST(Layers, ConvOneByOneMixesChannels) {
  LayerSpec s = spec_of(LayerKind::Conv);
  s.filters = 2;
  s.kernel_h = s.kernel_w = 1;
  auto c = build(s, Dims{1, 2, 2}, 2);
  set_param(*c, 0, {1, 2, 3, 4});
  set_param(*c, 1, {0, 0});
  EXPECT_EQ(run(*c, {1, 2, 0, 1, 1, 0, 2, 2}, 2), (std::vector<float>{7, 10, 3, 4, 1, 2, 8, 12}));
}

// The plain six-loop convolution: the oracle for im2col + GEMM, over random shapes, strides and
// paddings, batches of several chunks, with and without threads.
TEST(Layers, ConvMatchesDirectConvolution) {
  std::mt19937_64 rng(17);
  ThreadPool pool(3);
  for (int trial = 0; trial < 12; ++trial) {
    LayerSpec s = spec_of(LayerKind::Conv);
    s.filters = 1 + int(rng() % 5);
    s.kernel_h = 1 + int(rng() % 5);
    s.kernel_w = 1 + int(rng() % 5);
    s.stride = 1 + int(rng() % 3);
    s.same_padding = rng() % 2;
    const Dims in{s.kernel_h + int(rng() % 12), s.kernel_w + int(rng() % 12), 1 + int(rng() % 4)};
    const int n = 1 + int(rng() % 40);
    auto c = build(s, in, n);
    std::mt19937_64 init(trial);
    c->init(init, false);
    std::uniform_real_distribution<float> dist(-1, 1);
    std::vector<float> bias(s.filters), x(n * in.size());
    for (float& b : bias) b = dist(rng);
    for (float& v : x) v = dist(rng);
    set_param(*c, 1, bias);
    const float* w = c->params()[0].value->data();
    const Dims out = c->output_dims();
    const int pad_top =
        s.same_padding ? std::max((out.h - 1) * s.stride + s.kernel_h - in.h, 0) / 2 : 0;
    const int pad_left =
        s.same_padding ? std::max((out.w - 1) * s.stride + s.kernel_w - in.w, 0) / 2 : 0;
    std::vector<float> expected(n * out.size());
    for (int b = 0; b < n; ++b)
      for (int oy = 0; oy < out.h; ++oy)
        for (int ox = 0; ox < out.w; ++ox)
          for (int co = 0; co < out.c; ++co) {
            double sum = bias[co];
            for (int ky = 0; ky < s.kernel_h; ++ky)
              for (int kx = 0; kx < s.kernel_w; ++kx)
                for (int ci = 0; ci < in.c; ++ci) {
                  const int y = oy * s.stride + ky - pad_top, xx = ox * s.stride + kx - pad_left;
                  if (y < 0 || y >= in.h || xx < 0 || xx >= in.w) continue;
                  sum += double(x[((b * in.h + y) * in.w + xx) * in.c + ci]) *
                         w[((ky * s.kernel_w + kx) * in.c + ci) * out.c + co];
                }
            expected[((b * out.h + oy) * out.w + ox) * out.c + co] = float(sum);
          }
    std::vector<float> first;
    for (ThreadPool* p : {static_cast<ThreadPool*>(nullptr), &pool}) {
      for (bool training : {false, true}) {  // two code paths (scratch per chunk / per batch)
        std::vector<float> got(expected.size());
        c->forward(x.data(), got.data(), n, RunContext{p, training});
        for (size_t i = 0; i < got.size(); ++i) {
          ASSERT_NEAR(got[i], expected[i], 1e-4) << "trial " << trial << " index " << i;
        }
        if (first.empty()) first = got;
        EXPECT_EQ(got, first) << "bits differ between paths or thread counts";
      }
    }
  }
}

TEST(Layers, MaxPoolKnownAnswerAndOddSizes) {
  LayerSpec s = spec_of(LayerKind::MaxPool);
  s.pool = 2;
  s.stride = 2;
  auto p = build(s, Dims{4, 4, 1}, 1);
  EXPECT_EQ(run(*p, {1, 2, 5, 0, 3, 4, 6, 7, -1, -2, 0, 0, -3, -4, 0, 9}, 1),
            (std::vector<float>{4, 7, -1, 9}));
  auto odd = build(s, Dims{5, 5, 2}, 1);
  EXPECT_EQ(odd->output_dims(), (Dims{2, 2, 2}));  // the fifth row and column are dropped
  std::vector<float> x(50);
  for (int i = 0; i < 50; ++i) x[i] = float(i);
  // channel 0 of window (0,0): pixels (0,0),(0,1),(1,0),(1,1) = 0, 2, 10, 12 -> 12
  const auto y = run(*odd, x, 1);
  EXPECT_EQ(y[0], 12);
  EXPECT_EQ(y[1], 13);
  EXPECT_EQ(y[7], 2 * (3 * 5 + 3) + 1);  // window (1,1) channel 1: pixel (3,3)
}

TEST(Layers, MaxPoolBackwardRoutesToTheWinner) {
  LayerSpec s = spec_of(LayerKind::MaxPool);
  s.pool = 2;
  s.stride = 2;
  auto p = build(s, Dims{2, 2, 1}, 1);
  const std::vector<float> x = {1, 5, 3, 2};
  auto y = run(*p, x, 1, true);
  std::vector<float> dout = {2}, din(4);
  p->backward(x.data(), y.data(), dout.data(), din.data(), 1, RunContext{});
  EXPECT_EQ(din, (std::vector<float>{0, 2, 0, 0}));
}

TEST(Layers, Activations) {
  const std::vector<float> x = {-2, 0, 3};
  auto relu = build(spec_of(LayerKind::ReLU), Dims{1, 1, 3}, 1);
  EXPECT_EQ(run(*relu, x, 1), (std::vector<float>{0, 0, 3}));
  auto sigmoid = build(spec_of(LayerKind::Sigmoid), Dims{1, 1, 3}, 1);
  auto y = run(*sigmoid, {0, 100, -100}, 1);
  EXPECT_FLOAT_EQ(y[0], 0.5f);
  EXPECT_FLOAT_EQ(y[1], 1.0f);
  EXPECT_GE(y[2], 0.0f);
  EXPECT_LT(y[2], 1e-30f);
  auto tanh_layer = build(spec_of(LayerKind::Tanh), Dims{1, 1, 3}, 1);
  y = run(*tanh_layer, {0, 1, -1}, 1);
  EXPECT_FLOAT_EQ(y[1], 0.7615941559557649f);
  EXPECT_FLOAT_EQ(y[2], -0.7615941559557649f);
}

TEST(Layers, SoftmaxIsStableForHugeLogits) {
  auto softmax = build(spec_of(LayerKind::Softmax), Dims{1, 1, 2}, 2);
  const auto y = run(*softmax, {0, std::log(3.0f), 1000, 1000}, 2);
  EXPECT_FLOAT_EQ(y[0], 0.25f);
  EXPECT_FLOAT_EQ(y[1], 0.75f);
  EXPECT_FLOAT_EQ(y[2], 0.5f);
  EXPECT_FLOAT_EQ(y[3], 0.5f);
}

TEST(Layers, FlattenAndReshapeKeepTheData) {
  auto flat = build(spec_of(LayerKind::Flatten), Dims{2, 2, 3}, 1);
  EXPECT_EQ(flat->output_dims(), (Dims{1, 1, 12}));
  LayerSpec s = spec_of(LayerKind::Reshape);
  s.shape_h = 3;
  s.shape_w = 4;
  s.shape_c = 1;
  auto r = build(s, Dims{2, 2, 3}, 1);
  EXPECT_EQ(r->output_dims(), (Dims{3, 4, 1}));
  std::vector<float> x(12);
  for (int i = 0; i < 12; ++i) x[i] = float(i);
  EXPECT_EQ(run(*r, x, 1), x);
  s.shape_c = 2;
  try {
    build(s, Dims{2, 2, 3}, 1);
    FAIL();
  } catch (const DescriptionError& e) {
    EXPECT_STREQ(
        e.what(),
        "layer 2 'layer under test': cannot reshape 2x2x3 (12 values) to 3x4x2 (24 values)");
  }
}

TEST(Layers, DropoutScalesKeptValuesAndIsOffInInference) {
  LayerSpec s = spec_of(LayerKind::Dropout);
  s.rate = 0.25f;
  auto d = build(s, Dims{10, 10, 10}, 4);
  std::vector<float> x(4000, 1.0f);
  const auto inference = run(*d, x, 4, false);
  EXPECT_EQ(inference, x);
  const auto train = run(*d, x, 4, true);
  int kept = 0;
  for (float v : train) {
    EXPECT_TRUE(v == 0.0f || std::fabs(v - 1.0f / 0.75f) < 1e-6f) << v;
    kept += v != 0.0f;
  }
  EXPECT_NEAR(kept / 4000.0, 0.75, 0.03);
  // Same seed, same masks; the next batch gets a new mask.
  auto again = build(s, Dims{10, 10, 10}, 4);
  EXPECT_EQ(run(*again, x, 4, true), train);
  EXPECT_NE(run(*again, x, 4, true), train);
}

TEST(Layers, ShapeErrorsNameTheLayer) {
  LayerSpec s = spec_of(LayerKind::Conv);
  s.segment = 3;
  s.text = "conv 16 5x5";
  s.filters = 16;
  s.kernel_h = s.kernel_w = 5;
  try {
    make_layer(s, Dims{2, 2, 8}, 1);
    FAIL();
  } catch (const DescriptionError& e) {
    EXPECT_STREQ(e.what(), "layer 3 'conv 16 5x5': input is 2x2, smaller than the 5x5 kernel");
  }
  LayerSpec p = spec_of(LayerKind::MaxPool);
  p.pool = 3;
  p.stride = 3;
  EXPECT_THROW(make_layer(p, Dims{2, 5, 1}, 1), DescriptionError);
}

}  // namespace
}  // namespace sn
