// Network: shape inference, summaries, error messages, limits, binary outputs, save/load and
// determinism.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "scratchnet/error.h"
#include "scratchnet/model_file.h"
#include "scratchnet/network.h"
#include "scratchnet/tensor.h"

namespace sn {
namespace {

std::vector<float> random_images(int n, int pixels, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<float> v(size_t(n) * pixels);
  for (float& x : v) x = float(rng() >> 40) / float(1 << 24);
  return v;
}

std::string message_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "(no exception)";
}

TEST(Network, LenetShapesParamsAndFlops) {
  // LeNet-5 with ReLU and max-pooling: the first conv pads ("same") to keep 28x28.
  Network net("lenet", 28, 28, 1, 1);
  const auto s = net.summary();
  ASSERT_EQ(s.size(), 13u);  // conv relu pool conv relu pool flatten (dense relu) x2 dense softmax
  EXPECT_EQ(s[0].kind, "conv");
  EXPECT_EQ(s[0].output_shape, (std::array<int, 3>{28, 28, 6}));
  EXPECT_EQ(s[0].params, 6 * 25 + 6);
  EXPECT_EQ(s[0].flops, 2 * 28 * 28 * 25 * 6);
  EXPECT_EQ(s[1].kind, "relu");
  EXPECT_EQ(s[1].segment, 1);  // the trailing activation shares its segment
  EXPECT_EQ(s[2].output_shape, (std::array<int, 3>{14, 14, 6}));
  EXPECT_EQ(s[3].output_shape, (std::array<int, 3>{10, 10, 16}));
  EXPECT_EQ(s[3].params, 16 * 150 + 16);
  EXPECT_EQ(s[5].output_shape, (std::array<int, 3>{5, 5, 16}));
  EXPECT_EQ(s[6].output_shape, (std::array<int, 3>{1, 1, 400}));
  EXPECT_EQ(s[7].output_shape, (std::array<int, 3>{1, 1, 120}));
  EXPECT_EQ(s[9].output_shape, (std::array<int, 3>{1, 1, 84}));
  EXPECT_EQ(s[11].output_shape, (std::array<int, 3>{1, 1, 10}));
  EXPECT_EQ(net.param_count(), 156 + 2416 + 48120 + 10164 + 850);
  EXPECT_EQ(net.flops_per_sample(),
            2 * (28 * 28 * 25 * 6 + 10 * 10 * 150 * 16 + 400 * 120 + 120 * 84 + 84 * 10));
  EXPECT_EQ(net.num_classes(), 10);
  EXPECT_EQ(net.loss(), LossKind::CrossEntropy);
  EXPECT_EQ(net.parameter_sizes(),
            (std::vector<size_t>{150, 6, 2400, 16, 48000, 120, 10080, 84, 840, 10}));
  const auto params = net.parameters();
  EXPECT_EQ(params[0].shape, (std::vector<int>{5, 5, 1, 6}));
  EXPECT_EQ(params[0].name, "weight");
  EXPECT_EQ(params[1].name, "bias");
}

TEST(Network, ShapeErrorsNameLayerAndShapes) {
  EXPECT_EQ(message_of([] {
              Network("conv 8 5x5 | maxpool 2 | conv 16 5x5 | maxpool 2 | conv 16 5x5", 28, 28, 1,
                      1);
            }),
            "layer 5 'conv 16 5x5': input is 4x4, smaller than the 5x5 kernel");
  EXPECT_EQ(message_of([] { Network("maxpool 2 | maxpool 2 | conv 16 5x5", 8, 8, 1, 1); }),
            "layer 3 'conv 16 5x5': input is 2x2, smaller than the 5x5 kernel");
  EXPECT_EQ(message_of([] {
              Network("dense 10 | loss xent", 4, 4, 1, 1);
            }).rfind("layer 1 'dense 10': loss xent needs a softmax output", 0),
            0u);
  EXPECT_THROW(Network("dense 3 softmax | loss bce", 4, 4, 1, 1), DescriptionError);
  EXPECT_THROW(Network("reshape 3x3x3", 4, 4, 1, 1), DescriptionError);
  EXPECT_THROW(Network("conv 8 5y5", 28, 28, 1, 1), DescriptionError);  // the parser's
  EXPECT_THROW(Network("dense 10", 0, 28, 1, 1), DescriptionError);
}

TEST(Network, RefusesModelsOverTheMemoryLimit) {
  const std::string message = message_of(
      [] { Network("dense 16384 | dense 16384 | dense 16384 | dense 10", 28, 28, 1, 1); });
  EXPECT_NE(message.find("limit is 1 GiB"), std::string::npos) << message;
  EXPECT_THROW(Network("conv 1024 3x3 same | conv 1024 3x3 same", 256, 256, 1, 1), LimitError);
  EXPECT_NO_THROW(Network("cnn-deep", 28, 28, 1, 1));
}

TEST(Network, SummarizeMatchesTheBuiltNetworkWithoutAllocating) {
  for (const char* model : {"lenet", "mlp", "cnn-binary", "cnn-deep"}) {
    const int64_t before = Tensor::allocations();
    NetworkPlan plan;
    const std::vector<LayerInfo> s = Network::summarize(model, 28, 28, 1, &plan);
    EXPECT_EQ(Tensor::allocations(), before) << model << ": summarize allocated tensors";
    const Network net(model, 28, 28, 1, 1);
    const std::vector<LayerInfo> expected = net.summary();
    ASSERT_EQ(s.size(), expected.size()) << model;
    for (size_t i = 0; i < s.size(); ++i) {
      EXPECT_EQ(s[i].segment, expected[i].segment) << model << " layer " << i;
      EXPECT_EQ(s[i].text, expected[i].text) << model << " layer " << i;
      EXPECT_EQ(s[i].kind, expected[i].kind) << model << " layer " << i;
      EXPECT_EQ(s[i].output_shape, expected[i].output_shape) << model << " layer " << i;
      EXPECT_EQ(s[i].params, expected[i].params) << model << " layer " << i;
      EXPECT_EQ(s[i].flops, expected[i].flops) << model << " layer " << i;
    }
    EXPECT_EQ(plan.description, net.description()) << model;
    EXPECT_EQ(plan.params, net.param_count()) << model;
    EXPECT_EQ(plan.flops, net.flops_per_sample()) << model;
    EXPECT_EQ(plan.loss, net.loss()) << model;
    EXPECT_EQ(plan.num_classes, net.num_classes()) << model;
    EXPECT_EQ(plan.num_outputs, net.num_outputs()) << model;
  }
  // A 20M-parameter model is summarized without its 80 MB of weights.
  const int64_t before = Tensor::allocations();
  NetworkPlan plan;
  Network::summarize("dense 4096 relu | dense 4096 relu | dense 10 softmax", 28, 28, 1, &plan);
  EXPECT_EQ(Tensor::allocations(), before);
  EXPECT_EQ(plan.params, 784LL * 4096 + 4096 + 4096LL * 4096 + 4096 + 4096 * 10 + 10);
}

TEST(Network, SummarizeThrowsWhatTheConstructorThrows) {
  const std::vector<std::string> bad = {
      "conv 8 5x5 | maxpool 2 | conv 16 5x5 | maxpool 2 | conv 16 5x5",
      "dense 10 | loss xent",
      "conv 8 5y5",
      "dense 10 softmax | bogus 3",
      "",
  };
  for (const std::string& d : bad) {
    const std::string built = message_of([&] { Network(d, 28, 28, 1, 1); });
    EXPECT_NE(built, "(no exception)") << d;
    EXPECT_EQ(message_of([&] { Network::summarize(d, 28, 28, 1); }), built) << d;
    EXPECT_THROW(Network::summarize(d, 28, 28, 1), DescriptionError) << d;
  }
  EXPECT_THROW(Network::summarize("dense 10", 0, 28, 1), DescriptionError);
  const int64_t before = Tensor::allocations();
  const char* huge = "dense 16384 | dense 16384 | dense 16384 | dense 10";
  EXPECT_EQ(message_of([&] { Network::summarize(huge, 28, 28, 1); }),
            message_of([&] { Network(huge, 28, 28, 1, 1); }));
  EXPECT_THROW(Network::summarize(huge, 28, 28, 1), LimitError);
  EXPECT_EQ(Tensor::allocations(), before);
}

TEST(Network, PredictionsAreProbabilities) {
  Network net("mlp", 28, 28, 1, 7);
  const auto images = random_images(5, 784, 1);
  std::vector<float> p(50);
  net.predict(images.data(), 5, p.data());
  for (int s = 0; s < 5; ++s) {
    double sum = 0;
    for (int j = 0; j < 10; ++j) sum += p[s * 10 + j];
    EXPECT_NEAR(sum, 1.0, 1e-5);
  }
}

TEST(Network, BinaryOutputHasTwoClasses) {
  Network net("cnn-binary", 28, 28, 1, 7);
  EXPECT_EQ(net.num_outputs(), 1);
  EXPECT_EQ(net.num_classes(), 2);
  EXPECT_EQ(net.loss(), LossKind::BinaryCrossEntropy);
  const auto images = random_images(3, 784, 2);
  std::vector<float> p(6);
  const std::vector<uint8_t> labels = {0, 1, 1};
  const float loss = net.loss_and_predict(images.data(), labels.data(), 3, p.data());
  EXPECT_TRUE(std::isfinite(loss));
  int correct = 0;
  for (int s = 0; s < 3; ++s) {
    EXPECT_NEAR(p[2 * s] + p[2 * s + 1], 1.0f, 1e-6);
    correct += (p[2 * s + 1] >= 0.5f ? 1 : 0) == labels[s];
  }
  EXPECT_EQ(net.last_batch_correct(), correct);
  const std::vector<uint8_t> bad = {2, 0, 0};
  EXPECT_THROW(net.forward_backward(images.data(), bad.data(), 3), Error);
}

TEST(Network, SameSeedSameWeightsDifferentSeedDifferent) {
  Network a("lenet", 28, 28, 1, 5), b("lenet", 28, 28, 1, 5), c("lenet", 28, 28, 1, 6);
  const auto pa = a.parameters(), pb = b.parameters(), pc = c.parameters();
  for (size_t i = 0; i < pa.size(); ++i) EXPECT_EQ(pa[i].values, pb[i].values);
  EXPECT_NE(pa[0].values, pc[0].values);
  // He for ReLU-followed layers: U(-a, a) with a = sqrt(6 / 25); Glorot for the last dense.
  const float he = std::sqrt(6.0f / 25.0f);
  float largest = 0;
  for (float w : pa[0].values) largest = std::max(largest, std::fabs(w));
  EXPECT_LE(largest, he);
  EXPECT_GT(largest, 0.8f * he);
  for (float b : pa[1].values) EXPECT_EQ(b, 0.0f);
}

// The initialisation is pinned to exact arithmetic on std::mt19937_64's raw output (fully
// specified by the standard): w = (2u - 1) * limit, u = top 53 bits / 2^53. No library
// distribution is involved, so the wasm build (libc++) draws the same weights as this one.
TEST(Network, InitialisationIsExactArithmeticOnRawDraws) {
  Network net("dense 3 relu | dense 2", 1, 1, 4, 1234);
  std::mt19937_64 rng(1234);
  auto draw = [&](double limit) {
    const double u = double(rng() >> 11) * (1.0 / 9007199254740992.0);
    return float((2.0 * u - 1.0) * limit);
  };
  const auto p = net.parameters();
  for (float w : p[0].values) EXPECT_EQ(w, draw(std::sqrt(6.0 / 4)));        // He, fan_in 4
  for (float w : p[2].values) EXPECT_EQ(w, draw(std::sqrt(6.0 / (3 + 2))));  // Glorot 3 -> 2
}

TEST(Network, HeInitLooksPastPoolingToTheReLU) {
  Network pooled("conv 2 3x3 | maxpool 2 | relu", 6, 6, 1, 3);
  Network plain("conv 2 3x3 | maxpool 2 | tanh", 6, 6, 1, 3);
  const float he = std::sqrt(6.0f / 9), glorot = std::sqrt(6.0f / (9 + 18));
  float largest_pooled = 0, largest_plain = 0;
  const auto pooled_params = pooled.parameters(), plain_params = plain.parameters();
  for (float w : pooled_params[0].values) largest_pooled = std::max(largest_pooled, std::fabs(w));
  for (float w : plain_params[0].values) largest_plain = std::max(largest_plain, std::fabs(w));
  EXPECT_GT(largest_pooled, glorot);
  EXPECT_LE(largest_pooled, he);
  EXPECT_LE(largest_plain, glorot);
}

TEST(Network, SaveLoadRoundTripGivesIdenticalPredictions) {
  Network net("lenet", 28, 28, 1, 11);
  const auto images = random_images(4, 784, 3);
  const std::vector<uint8_t> labels = {1, 2, 3, 4};
  net.forward_backward(images.data(), labels.data(), 4);  // perturb nothing, just exercise
  const auto bytes = net.save({0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
  std::vector<int> classes;
  Network loaded = Network::load(bytes.data(), bytes.size(), &classes);
  EXPECT_EQ(classes.size(), 10u);
  EXPECT_EQ(loaded.description(), net.description());
  std::vector<float> p1(40), p2(40);
  net.predict(images.data(), 4, p1.data());
  loaded.predict(images.data(), 4, p2.data());
  EXPECT_EQ(p1, p2);
  EXPECT_EQ(loaded.save({0, 1, 2, 3, 4, 5, 6, 7, 8, 9}), bytes);
}

TEST(Network, LoadRefusesTensorsThatDoNotFitTheDescription) {
  Network net("dense 4 relu | dense 2 softmax", 2, 2, 1, 1);
  ModelFile file = decode_model_file(net.save().data(), net.save().size());
  file.tensors[0].pop_back();
  auto bytes = encode_model_file(file);
  EXPECT_THROW(Network::load(bytes.data(), bytes.size()), FormatError);
  file = decode_model_file(net.save().data(), net.save().size());
  file.tensors.pop_back();
  bytes = encode_model_file(file);
  const std::string message = message_of([&] { Network::load(bytes.data(), bytes.size()); });
  EXPECT_NE(message.find("3 parameter tensors"), std::string::npos) << message;
  file = decode_model_file(net.save().data(), net.save().size());
  file.description = "conv 8 9x9";
  bytes = encode_model_file(file);
  EXPECT_THROW(Network::load(bytes.data(), bytes.size()), FormatError);
  file = decode_model_file(net.save().data(), net.save().size());
  file.tensors[1][0] = std::nanf("");
  bytes = encode_model_file(file);
  EXPECT_THROW(Network::load(bytes.data(), bytes.size()), FormatError);
}

TEST(Network, ActivationsOfEveryLayer) {
  Network net("lenet", 28, 28, 1, 1);
  const auto image = random_images(1, 784, 4);
  const auto acts = net.activations(image.data());
  ASSERT_EQ(acts.size(), 13u);
  EXPECT_EQ(acts[0].values.size(), 28u * 28 * 6);
  EXPECT_EQ(acts.back().values.size(), 10u);
  std::vector<float> p(10);
  net.predict(image.data(), 1, p.data());
  EXPECT_EQ(acts.back().values, p);
}

// Gradients and losses are bit-identical for 1, 2 and 3 threads: gemm never splits its sum
// dimension, and everything else either splits by sample or reduces in a fixed order.
TEST(Network, ForwardBackwardIsIdenticalForAnyThreadCount) {
  for (const char* model : {"lenet", "mlp", "cnn-deep"}) {
    const auto images = random_images(13, 784, 5);
    const std::vector<uint8_t> labels = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2};
    std::vector<std::vector<float>> reference;
    float reference_loss = 0;
    for (int threads : {1, 2, 3}) {
      Network net(model, 28, 28, 1, 9);
      net.set_threads(threads);
      const float loss = net.forward_backward(images.data(), labels.data(), 13);
      std::vector<std::vector<float>> grads;
      const auto g = net.gradient_data();
      const auto sizes = net.parameter_sizes();
      for (size_t i = 0; i < g.size(); ++i) grads.emplace_back(g[i], g[i] + sizes[i]);
      if (threads == 1) {
        reference = grads;
        reference_loss = loss;
      } else {
        EXPECT_EQ(loss, reference_loss) << model << " threads " << threads;
        EXPECT_EQ(grads, reference) << model << " threads " << threads;
      }
    }
  }
}

TEST(Network, MoveKeepsTheModel) {
  Network a("mlp", 28, 28, 1, 3);
  const auto before = a.parameters();
  Network b = std::move(a);
  EXPECT_EQ(b.parameters()[0].values, before[0].values);
  EXPECT_EQ(b.num_classes(), 10);
}

}  // namespace
}  // namespace sn
