// Save -> load of a trained model: every tensor (biases included, which a fresh network has at 0)
// comes back bit for bit, so predictions, the loss and evaluate() are bit-identical too.
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <vector>

#include "scratchnet/trainer.h"
#include "toy_data.h"

namespace sn {
namespace {

std::vector<float> as_floats(const Dataset& d) {
  std::vector<float> out(d.images.size());
  for (size_t i = 0; i < out.size(); ++i) out[i] = d.images[i] * (1.0f / 255.0f);
  return out;
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

TEST(TrainedRoundTrip, EveryTensorPredictionAndLossIsBitIdentical) {
  const Dataset train = testing::toy_data(256, 1, 8, 4), test = testing::toy_data(61, 2, 8, 4);
  for (const char* model :
       {"conv 4 3x3 relu | maxpool 2 | flatten | dense 6 relu | dense 4 softmax",
        "conv 3 3x3 same tanh | dense 5 sigmoid | dense 1 sigmoid",
        "dense 7 relu | dense 4 tanh | loss mse"}) {
    SCOPED_TRACE(model);
    const bool binary = std::string(model).find("dense 1 sigmoid") != std::string::npos;
    const Dataset tr = binary ? filter_classes(train, {0, 1}) : train;
    const Dataset te = binary ? filter_classes(test, {0, 1}) : test;
    Network net(model, 8, 8, 1, 5);
    const auto initial = net.parameters();
    TrainOptions o;
    o.learning_rate = 0.01f;
    o.batch_size = 32;
    Trainer trainer(net, tr, o);
    trainer.train_steps(25);
    // Trained: every tensor, biases included, moved away from its initial values.
    const auto trained = net.parameters();
    for (size_t t = 0; t < trained.size(); ++t) {
      EXPECT_NE(trained[t].values, initial[t].values) << trained[t].name << " tensor " << t;
    }

    const std::vector<int> labels = binary ? std::vector<int>{3, 8} : std::vector<int>{2, 4, 6, 9};
    const auto bytes = net.save(labels);
    std::vector<int> loaded_labels;
    Network loaded = Network::load(bytes.data(), bytes.size(), &loaded_labels);
    EXPECT_EQ(loaded_labels, labels);
    EXPECT_EQ(loaded.description(), net.description());
    const auto back = loaded.parameters();
    ASSERT_EQ(back.size(), trained.size());
    for (size_t t = 0; t < back.size(); ++t) {
      EXPECT_EQ(back[t].name, trained[t].name);
      EXPECT_EQ(back[t].shape, trained[t].shape);
      EXPECT_TRUE(same_bits(back[t].values, trained[t].values)) << back[t].name << " tensor " << t;
    }

    const std::vector<float> images = as_floats(te);
    const int n = te.count(), classes = net.num_classes();
    std::vector<float> p_saved(size_t(n) * classes), p_loaded(p_saved.size());
    const float loss_saved =
        net.loss_and_predict(images.data(), te.labels.data(), n, p_saved.data());
    const float loss_loaded =
        loaded.loss_and_predict(images.data(), te.labels.data(), n, p_loaded.data());
    EXPECT_TRUE(same_bits(p_saved, p_loaded));
    EXPECT_EQ(std::memcmp(&loss_saved, &loss_loaded, sizeof(float)), 0)
        << loss_saved << " vs " << loss_loaded;

    loaded.set_threads(2);  // any thread count gives the same bits
    const Evaluation a = evaluate(net, te, 16), b = evaluate(loaded, te, 16);
    EXPECT_EQ(a.loss, b.loss);
    EXPECT_EQ(a.accuracy, b.accuracy);
    EXPECT_EQ(a.confusion, b.confusion);
    EXPECT_EQ(loaded.save(labels), bytes);
  }
}

}  // namespace
}  // namespace sn
