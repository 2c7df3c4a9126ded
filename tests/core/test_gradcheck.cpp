// Central-difference gradient checks for every layer, every loss and a whole network (the
// layers' check: layer_check.h). Shapes are random (odd sizes, stride 2, same padding) from a
// fixed seed.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "layer_check.h"
#include "layers/layer.h"
#include "losses/binary_cross_entropy.h"
#include "losses/cross_entropy.h"
#include "losses/mse.h"
#include "scratchnet/network.h"

namespace sn {
namespace {

using testing::random_vector;
using testing::relative_error;

LayerSpec spec_of(LayerKind kind) { return testing::layer_spec(kind); }

struct LayerCase {
  std::string name;
  LayerSpec spec;
  Dims in;
  int n;
};

// Returns the largest relative error over (a sample of) inputs and every parameter.
double gradcheck_layer(const LayerCase& c, uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto layer = make_layer(c.spec, c.in, seed);
  layer->allocate();
  layer->init(rng, false);
  for (const Param& p : layer->params()) {  // nonzero biases too
    const auto v = random_vector(p.value->size(), rng, -0.5f, 0.5f);
    std::copy(v.begin(), v.end(), p.value->data());
  }
  layer->reserve(c.n);
  const int64_t in_size = c.n * c.in.size(), out_size = c.n * layer->output_dims().size();
  std::vector<float> x = random_vector(in_size, rng);
  if (c.spec.kind == LayerKind::MaxPool) {
    // Distinct values at least 0.01 apart: no ties, so the max is differentiable at x.
    for (int64_t i = 0; i < in_size; ++i) x[i] = 0.01f * float((i * 7919) % in_size) - 1.0f;
  }
  if (c.spec.kind == LayerKind::ReLU) {
    for (float& v : x) v = v >= 0 ? v + 0.05f : v - 0.05f;  // away from the kink
  }
  const std::vector<float> dout = random_vector(out_size, rng);
  return testing::max_gradient_error(*layer, x, dout, c.n, true, 150);
}

constexpr double kTolerance = 2e-2;  // float forward passes, h = 1e-3

TEST(GradCheck, Dense) {
  LayerSpec s = spec_of(LayerKind::Dense);
  s.units = 7;
  EXPECT_LT(gradcheck_layer({"dense", s, Dims{3, 2, 5}, 4}, 1), kTolerance);
  s.units = 1;
  EXPECT_LT(gradcheck_layer({"dense", s, Dims{1, 1, 9}, 3}, 2), kTolerance);
}

// Convolutions: square kernels, `stride`, same or valid padding, over `in` with batch `n`.
struct ConvCase {
  const char* what;
  int filters, kernel, stride;
  bool same;
  Dims in;
  int n;
  uint64_t seed;
};

TEST(GradCheck, Conv) {
  const ConvCase cases[] = {
      {"valid", 4, 3, 1, false, Dims{7, 6, 3}, 2, 3},
      {"stride 2, same, even kernel", 3, 4, 2, true, Dims{7, 9, 2}, 2, 4},
      {"same, odd kernel", 5, 5, 1, true, Dims{6, 5, 2}, 2, 5},
      {"stride 2, valid", 5, 3, 2, false, Dims{9, 8, 3}, 3, 6},
      {"1x1", 3, 1, 1, false, Dims{4, 3, 5}, 2, 7},
      // 18x18 outputs x 27 patch values = 8748 column floats per sample: chunks of 7 samples, so
      // a batch of 10 is two chunks whose weight-gradient partials are summed.
      {"over several chunks", 2, 3, 1, false, Dims{20, 20, 3}, 10, 13},
  };
  for (const ConvCase& c : cases) {
    LayerSpec s = spec_of(LayerKind::Conv);
    s.filters = c.filters;
    s.kernel_h = s.kernel_w = c.kernel;
    s.stride = c.stride;
    s.same_padding = c.same;
    EXPECT_LT(gradcheck_layer({"conv", s, c.in, c.n}, c.seed), kTolerance) << c.what;
  }
}

// Max pooling over odd sizes; 8 channels and more take the vectorised path (all channels of a
// pixel at once), 17 adds a tail; windows of 3 moved by 2 and of 2 moved by 1 overlap.
TEST(GradCheck, MaxPool) {
  struct {
    int pool, stride;
    Dims in;
    uint64_t seed;
  } const cases[] = {
      {2, 2, Dims{5, 7, 3}, 8},  {3, 2, Dims{7, 5, 2}, 9},   {3, 2, Dims{7, 5, 8}, 14},
      {2, 1, Dims{4, 5, 8}, 15}, {3, 2, Dims{7, 5, 17}, 14}, {2, 1, Dims{4, 5, 17}, 15},
  };
  for (const auto& c : cases) {
    LayerSpec s = spec_of(LayerKind::MaxPool);
    s.pool = c.pool;
    s.stride = c.stride;
    EXPECT_LT(gradcheck_layer({"maxpool", s, c.in, 2}, c.seed), kTolerance)
        << "pool " << c.pool << " stride " << c.stride << " channels " << c.in.c;
  }
}

TEST(GradCheck, Activations) {
  for (LayerKind kind :
       {LayerKind::ReLU, LayerKind::Sigmoid, LayerKind::Tanh, LayerKind::Softmax}) {
    EXPECT_LT(gradcheck_layer({"act", spec_of(kind), Dims{2, 3, 4}, 3}, 10), kTolerance)
        << "kind " << int(kind);
  }
}

TEST(GradCheck, FlattenAndReshape) {
  EXPECT_LT(gradcheck_layer({"flatten", spec_of(LayerKind::Flatten), Dims{2, 3, 4}, 2}, 11),
            kTolerance);
  LayerSpec s = spec_of(LayerKind::Reshape);
  s.shape_h = 4;
  s.shape_w = 3;
  s.shape_c = 2;
  EXPECT_LT(gradcheck_layer({"reshape", s, Dims{2, 3, 4}, 2}, 12), kTolerance);
}

TEST(GradCheck, DropoutIsMultiplicationByItsMask) {
  // The mask changes on every training forward, so check the definition instead:
  // y = x * m  =>  dx = dy * m, with m read off the forward pass.
  LayerSpec s = spec_of(LayerKind::Dropout);
  s.rate = 0.4f;
  auto layer = make_layer(s, Dims{3, 3, 4}, 5);
  layer->reserve(2);
  std::mt19937_64 rng(13);
  const std::vector<float> x = random_vector(72, rng, 0.5f, 1.0f), dout = random_vector(72, rng);
  std::vector<float> out(72), din(72);
  RunContext ctx;
  ctx.training = true;
  layer->forward(x.data(), out.data(), 2, ctx);
  layer->backward(x.data(), out.data(), dout.data(), din.data(), 2, ctx);
  for (int i = 0; i < 72; ++i) EXPECT_FLOAT_EQ(din[i], dout[i] * (out[i] / x[i])) << i;
}

// d loss / d z against central differences of the loss itself.
template <class LossFn>
double gradcheck_loss(LossFn loss, std::vector<float> z, int n) {
  std::vector<float> dz(z.size());
  loss(z.data(), dz.data());
  double worst = 0.0;
  const float h = 1e-3f;
  for (size_t i = 0; i < z.size(); ++i) {
    const float saved = z[i];
    z[i] = saved + h;
    const double plus = loss(z.data(), nullptr);
    z[i] = saved - h;
    const double minus = loss(z.data(), nullptr);
    z[i] = saved;
    worst = std::max(worst, relative_error(dz[i], (plus - minus) / (2.0 * h)));
  }
  (void)n;
  return worst;
}

TEST(GradCheck, Losses) {
  std::mt19937_64 rng(21);
  const int n = 5, k = 4;
  const std::vector<uint8_t> labels = {0, 3, 1, 2, 3}, binary = {0, 1, 1, 0, 1};
  EXPECT_LT(
      gradcheck_loss([&](const float* z, float* d) { return mse_loss(z, labels.data(), n, k, d); },
                     random_vector(n * k, rng), n),
      kTolerance);
  EXPECT_LT(
      gradcheck_loss([&](const float* z, float* d) { return mse_loss(z, binary.data(), n, 1, d); },
                     random_vector(n, rng), n),
      kTolerance);
  EXPECT_LT(
      gradcheck_loss([&](const float* z,
                         float* d) { return softmax_cross_entropy(z, labels.data(), n, k, d); },
                     random_vector(n * k, rng, -3, 3), n),
      kTolerance);
  EXPECT_LT(gradcheck_loss(
                [&](const float* z, float* d) { return bce_with_logits(z, binary.data(), n, d); },
                random_vector(n, rng, -4, 4), n),
            kTolerance);
}

// The whole network: forward_backward's parameter gradients against the loss of
// loss_and_predict, through conv (stride 2, same), maxpool, dense and the fused losses.
double gradcheck_network(const std::string& description, int h, int w, int c, int classes) {
  Network net(description, h, w, c, 3);
  const int n = 3;
  std::mt19937_64 rng(99);
  const std::vector<float> x = random_vector(size_t(n) * h * w * c, rng);
  std::vector<uint8_t> labels(n);
  for (int i = 0; i < n; ++i) labels[i] = uint8_t(i % classes);
  net.forward_backward(x.data(), labels.data(), n);
  const auto values = net.parameter_data();
  const auto grads_ptr = net.gradient_data();
  const auto sizes = net.parameter_sizes();
  std::vector<std::vector<float>> grads;
  for (size_t t = 0; t < values.size(); ++t)
    grads.emplace_back(grads_ptr[t], grads_ptr[t] + sizes[t]);
  const float h_step = 1e-2f;
  double worst = 0.0;
  for (size_t t = 0; t < values.size(); ++t) {
    const size_t stride = std::max<size_t>(1, sizes[t] / 40);
    for (size_t i = 0; i < sizes[t]; i += stride) {
      float& v = values[t][i];
      const float saved = v;
      v = saved + h_step;
      const double plus = net.loss_and_predict(x.data(), labels.data(), n, nullptr);
      v = saved - h_step;
      const double minus = net.loss_and_predict(x.data(), labels.data(), n, nullptr);
      v = saved;
      worst = std::max(worst, relative_error(grads[t][i], (plus - minus) / (2.0 * h_step)));
    }
  }
  return worst;
}

TEST(GradCheck, NetworkWithSoftmaxCrossEntropy) {
  EXPECT_LT(
      gradcheck_network("conv 3 3x3 stride 2 same tanh | maxpool 2 | flatten | dense 4 softmax", 7,
                        7, 2, 4),
      5e-2);
}

TEST(GradCheck, NetworkWithSigmoidBce) {
  EXPECT_LT(gradcheck_network("conv 2 3x3 sigmoid | flatten | dense 5 tanh | dense 1 sigmoid", 5, 6,
                              1, 2),
            5e-2);
}

TEST(GradCheck, NetworkWithMse) {
  EXPECT_LT(gradcheck_network("dense 6 sigmoid | dense 3 tanh | loss mse", 2, 3, 2, 3), 5e-2);
}

}  // namespace
}  // namespace sn
