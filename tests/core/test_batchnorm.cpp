// BatchNorm: gradient checks in training and inference modes, a forward pass and running
// statistics computed by hand, thread-count independence, the description grammar, the summary,
// and the model file (round trip with running statistics; version 1 files still load).
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <iterator>
#include <random>
#include <vector>

#include "io/crc32.h"
#include "layer_check.h"
#include "layers/batchnorm.h"
#include "learning_data.h"
#include "scratchnet/data.h"
#include "scratchnet/error.h"
#include "scratchnet/model_file.h"
#include "scratchnet/network.h"
#include "scratchnet/parallel.h"
#include "scratchnet/trainer.h"
#include "toy_data.h"

namespace sn {
namespace {

using testing::random_vector;

LayerSpec batchnorm_spec() { return testing::layer_spec(LayerKind::BatchNorm, 1, "batchnorm"); }

// Largest relative error between backward() and central differences of
// L = sum(dout * forward(x)) over inputs, gamma and beta, in the given mode.
double gradcheck(Dims in, int n, bool training, uint64_t seed) {
  std::mt19937_64 rng(seed);
  BatchNorm layer(batchnorm_spec(), in);
  layer.allocate();
  layer.init(rng, false);
  for (const Param& p : layer.params()) {
    const auto v = random_vector(p.value->size(), rng, 0.5f, 1.5f);
    std::copy(v.begin(), v.end(), p.value->data());
  }
  for (const StateTensor& t : layer.state()) {  // running mean in [-1, 1], variance in [0.5, 2]
    const bool var = std::string(t.name) == "running_var";
    const auto v = random_vector(t.value->size(), rng, var ? 0.5f : -1.0f, var ? 2.0f : 1.0f);
    std::copy(v.begin(), v.end(), t.value->data());
  }
  layer.reserve(n);
  const int64_t size = n * in.size();
  std::vector<float> x = random_vector(size, rng, -2.0f, 2.0f);
  const std::vector<float> dout = random_vector(size, rng);
  return testing::max_gradient_error(layer, x, dout, n, training);
}

constexpr double kTolerance = 2e-2;  // float forward passes, h = 1e-3 (as test_gradcheck.cpp)

TEST(BatchNorm, GradCheckTrainingAfterConv) {
  EXPECT_LT(gradcheck(Dims{3, 4, 5}, 3, true, 1), kTolerance);
}

TEST(BatchNorm, GradCheckTrainingAfterDense) {
  EXPECT_LT(gradcheck(Dims{1, 1, 7}, 6, true, 2), kTolerance);
}

TEST(BatchNorm, GradCheckInference) {
  EXPECT_LT(gradcheck(Dims{3, 2, 4}, 2, false, 3), kTolerance);
  EXPECT_LT(gradcheck(Dims{1, 1, 5}, 3, false, 4), kTolerance);
}

TEST(BatchNorm, ForwardAndRunningStatisticsByHand) {
  // One channel, values 1 2 3 4: mean 2.5, biased variance 1.25, unbiased 5/3.
  BatchNorm layer(batchnorm_spec(), Dims{1, 1, 1});
  layer.allocate();
  std::mt19937_64 rng(1);
  layer.init(rng, false);
  layer.params()[0].value->data()[0] = 2.0f;  // gamma
  layer.params()[1].value->data()[0] = 0.5f;  // beta
  const float x[4] = {1, 2, 3, 4};
  float y[4];
  RunContext ctx;
  ctx.training = true;
  layer.forward(x, y, 4, ctx);
  const double inv_std = 1.0 / std::sqrt(1.25 + 1e-5);
  for (int i = 0; i < 4; ++i) EXPECT_NEAR(y[i], 2.0 * (x[i] - 2.5) * inv_std + 0.5, 1e-5) << i;
  // running mean 0.9 * 0 + 0.1 * 2.5; running variance 0.9 * 1 + 0.1 * 5/3
  EXPECT_NEAR(layer.state()[0].value->data()[0], 0.25, 1e-7);
  EXPECT_NEAR(layer.state()[1].value->data()[0], 0.9 + 0.5 / 3.0, 1e-6);
  // Inference uses the running values: y = 2 (x - 0.25) / sqrt(1.0666667 + eps) + 0.5.
  ctx.training = false;
  layer.forward(x, y, 4, ctx);
  const double inv_run = 1.0 / std::sqrt(0.9 + 0.5 / 3.0 + 1e-5);
  for (int i = 0; i < 4; ++i) EXPECT_NEAR(y[i], 2.0 * (x[i] - 0.25) * inv_run + 0.5, 1e-5) << i;
}

TEST(BatchNorm, SameBitsForAnyThreadCount) {
  // 12x12 positions x 9 samples = 1296 rows: three chunks of batch sums.
  const Dims in{12, 12, 6};
  const int n = 9;
  std::mt19937_64 rng(5);
  const std::vector<float> x = random_vector(n * in.size(), rng),
                           dout = random_vector(n * in.size(), rng);
  std::vector<std::vector<float>> outs, dins, dgammas;
  for (int threads : {1, 2, 3}) {
    BatchNorm layer(batchnorm_spec(), in);
    layer.allocate();
    layer.init(rng, false);
    layer.reserve(n);
    ThreadPool pool(threads);
    RunContext ctx{threads > 1 ? &pool : nullptr, true};
    std::vector<float> out(x.size()), din(x.size());
    layer.forward(x.data(), out.data(), n, ctx);
    layer.backward(x.data(), out.data(), dout.data(), din.data(), n, ctx);
    outs.push_back(out);
    dins.push_back(din);
    const Tensor& dg = *layer.params()[0].grad;
    dgammas.emplace_back(dg.data(), dg.data() + dg.size());
  }
  for (size_t t = 1; t < outs.size(); ++t) {
    EXPECT_EQ(outs[t], outs[0]);
    EXPECT_EQ(dins[t], dins[0]);
    EXPECT_EQ(dgammas[t], dgammas[0]);
  }
}

TEST(BatchNorm, DescriptionAndSummary) {
  const std::string d =
      "conv 4 3x3 | batchnorm relu | maxpool 2 | dense 16 | batchnorm | relu | dense 10 softmax";
  const ModelSpec spec = parse_description(d);
  EXPECT_EQ(spec.layers[1].kind, LayerKind::BatchNorm);
  EXPECT_EQ(spec.layers[2].kind, LayerKind::ReLU);
  EXPECT_EQ(to_description(spec), d);
  EXPECT_THROW(parse_description("dense 4 | batchnorm 3"), DescriptionError);
  EXPECT_THROW(parse_description("dense 4 | batchnorm relu tanh"), DescriptionError);
  NetworkPlan plan;
  const auto layers = Network::summarize(d, 28, 28, 1, &plan);
  // gamma and beta per channel: 4 after the conv, 16 after the dense layer.
  EXPECT_EQ(layers[1].kind, "batchnorm");
  EXPECT_EQ(layers[1].params, 8);
  EXPECT_EQ(layers[5].params, 32);
  const int64_t conv = 3 * 3 * 4 + 4, dense1 = 13 * 13 * 4 * 16 + 16, dense2 = 16 * 10 + 10;
  EXPECT_EQ(plan.params, conv + 8 + dense1 + 32 + dense2);
  Network net(d, 28, 28, 1, 1);
  EXPECT_EQ(net.param_count(), plan.params);
}

TEST(BatchNorm, ModelFileKeepsRunningStatistics) {
  const Dataset data = testing::toy_data(96, 7, 8, 3);
  const std::string d = "conv 3 3x3 | batchnorm relu | flatten | dense 3 softmax";
  Network net(d, 8, 8, 1, 3);
  TrainOptions o;
  o.batch_size = 32;
  Trainer trainer(net, data, o);
  trainer.train_steps(5);  // the running statistics move away from (0, 1)
  std::vector<float> before(96 * 3), after(96 * 3), fresh(96 * 3);
  std::vector<float> images(96 * 64);
  for (size_t i = 0; i < images.size(); ++i) images[i] = data.images[i] / 255.0f;
  net.predict(images.data(), 96, before.data());
  const std::vector<uint8_t> bytes = net.save();
  EXPECT_EQ(bytes[8], kModelFileVersion);
  EXPECT_EQ(kModelFileVersion, 2u);
  Network loaded = Network::load(bytes.data(), bytes.size());
  loaded.predict(images.data(), 96, after.data());
  EXPECT_EQ(before, after);  // bit for bit: parameters and running statistics came back
  const std::vector<ParameterView> state = loaded.state();
  ASSERT_EQ(state.size(), 2u);
  EXPECT_EQ(state[0].name, "running_mean");
  EXPECT_EQ(state[1].name, "running_var");
  EXPECT_EQ(state[1].values, net.state()[1].values);
  EXPECT_NE(state[1].values, std::vector<float>(3, 1.0f));  // moved during training
  // Without the running statistics (a fresh (0, 1)) the same weights predict differently.
  ModelFile file = decode_model_file(bytes.data(), bytes.size());
  ASSERT_EQ(file.tensors.size(), 2u + 2u + 2u + 2u);  // conv w b, gamma beta, dense w b, mean var
  file.tensors[6].assign(3, 0.0f);
  file.tensors[7].assign(3, 1.0f);
  const std::vector<uint8_t> reset = encode_model_file(file);
  Network stale = Network::load(reset.data(), reset.size());
  stale.predict(images.data(), 96, fresh.data());
  EXPECT_NE(before, fresh);
  // A negative variance is refused, naming the tensor.
  file.tensors[7][1] = -0.5f;
  const std::vector<uint8_t> bad = encode_model_file(file);
  try {
    Network::load(bad.data(), bad.size());
    ADD_FAILURE() << "a negative running variance loaded";
  } catch (const FormatError& e) {
    EXPECT_NE(std::string(e.what()).find("tensor 8"), std::string::npos) << e.what();
  }
}

TEST(BatchNorm, VersionOneFileCannotHoldBatchNorm) {
  Network net("batchnorm | dense 2 softmax", 2, 2, 1, 1);
  std::vector<uint8_t> bytes = net.save();
  ModelFile file = decode_model_file(bytes.data(), bytes.size());
  file.tensors.resize(4);  // gamma beta w b, as a version 1 writer would have written
  bytes = encode_model_file(file);
  bytes[8] = 1;
  const uint32_t crc = crc32(bytes.data(), bytes.size() - 4);
  for (int i = 0; i < 4; ++i) bytes[bytes.size() - 4 + i] = uint8_t(crc >> (8 * i));
  try {
    Network::load(bytes.data(), bytes.size());
    ADD_FAILURE() << "a version 1 file with a batchnorm layer loaded";
  } catch (const FormatError& e) {
    EXPECT_NE(std::string(e.what()).find("version 1 cannot hold a batchnorm"), std::string::npos)
        << e.what();
  }
}

TEST(ModelFileVersions, VersionOneFileStillLoads) {
  // Written by `nn train --model "dense 6 relu | dense 10 softmax" --epochs 1 --threads 1
  // --train-limit 500` of the engine before version 2 (main at a479e3d), which evaluated it on
  // the bundled test digits at 13.53% (203 of 1500), test loss 2.2665.
  std::ifstream in(std::string(SCRATCHNET_SOURCE_DIR) + "/tests/core/data/model_v1_dense.snm",
                   std::ios::binary);
  ASSERT_TRUE(in) << "tests/core/data/model_v1_dense.snm missing";
  const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                   std::istreambuf_iterator<char>());
  ASSERT_EQ(bytes[8], 1);
  Network net = Network::load(bytes.data(), bytes.size());
  EXPECT_EQ(net.description(), "dense 6 relu | dense 10 softmax");
  if (!testing::have_digits()) GTEST_SKIP() << "no digits in " << testing::data_dir();
  const Dataset test = load_idx_dir(testing::data_dir(), "t10k");
  const Evaluation ev = evaluate(net, test);
  EXPECT_EQ(ev.count, 1500);
  EXPECT_EQ(int(std::lround(ev.accuracy * ev.count)), 203);
  EXPECT_NEAR(ev.loss, 2.2665, 5e-5);
}

}  // namespace
}  // namespace sn
