// Learning on the bundled digits (8,500 training / 1,500 test images): the presets must reach
// their accuracy within a few epochs. Skipped, saying why, when the data is not there.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "learning_data.h"
#include "scratchnet/data.h"
#include "scratchnet/network.h"
#include "scratchnet/parallel.h"
#include "scratchnet/trainer.h"

namespace sn {
namespace {

struct Digits {
  Dataset train, test;
};

const Digits* digits() {
  static const Digits* loaded = [] {
    if (!testing::have_digits()) return static_cast<Digits*>(nullptr);
    auto* d = new Digits;
    d->train = load_idx_dir(testing::data_dir(), "train");
    d->test = load_idx_dir(testing::data_dir(), "t10k");
    return d;
  }();
  return loaded;
}

#define REQUIRE_DIGITS()                                                                    \
  if (!digits()) {                                                                          \
    GTEST_SKIP() << "bundled digits not found in " << testing::data_dir()                   \
                 << " (run `npm run data`, or set SCRATCHNET_DATA_DIR)";                    \
  }

// Trains for `epochs` and returns the test accuracy, printing progress and timing.
// The learning rate decays by `decay` after every epoch.
double train_and_test(const std::string& preset, const Dataset& train, const Dataset& test,
                      int epochs, const TrainOptions& options, float decay = 1.0f,
                      uint64_t seed = 42) {
  Network net(preset, train.rows, train.cols, 1, seed);
  net.set_threads(std::min(2, ThreadPool::hardware_threads()));
  Trainer trainer(net, train, options);
  const auto start = std::chrono::steady_clock::now();
  double accuracy = 0.0;
  for (int e = 0; e < epochs; ++e) {
    const float loss = trainer.train_epoch();
    trainer.set_learning_rate(trainer.options().learning_rate * decay);
    const Evaluation ev = evaluate(net, test);
    accuracy = ev.accuracy;
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("[%s] epoch %d: train loss %.4f, train acc %.4f, test loss %.4f, test acc %.4f "
                "(%.1f s, %.0f samples/s)\n",
                preset.c_str(), e + 1, loss, trainer.running_accuracy(), ev.loss, ev.accuracy,
                seconds, double(e + 1) * train.count() / seconds);
  }
  return accuracy;
}

// 8,500 images are few for a plain MLP: without augmentation it plateaus near 95.5 %; the
// random shifts/rotations of the data pipeline take it to ~97 %.
TEST(Learning, MlpReaches96Percent) {
  REQUIRE_DIGITS();
  TrainOptions options;
  options.learning_rate = 0.002f;
  options.batch_size = 64;
  options.augment.enabled = true;
  EXPECT_GE(train_and_test("mlp", digits()->train, digits()->test, 12, options, 0.8f), 0.96);
}

// lenet is small (8 and 16 filters, no hidden dense layer): on 8,500 images it levels off at
// 97.5-98.1 % depending on the seed (seeds 1, 2, 3, 42 after 10 epochs: 97.9, 97.9, 97.7,
// 97.5 %). Seed 1, 12 epochs: ~98.0 %.
TEST(Learning, LenetReaches97Point5Percent) {
  REQUIRE_DIGITS();
  TrainOptions options;
  options.learning_rate = 0.003f;
  options.batch_size = 32;
  options.augment.enabled = true;
  EXPECT_GE(train_and_test("lenet", digits()->train, digits()->test, 12, options, 0.8f, 1), 0.975);
}

TEST(Learning, CnnBinaryZeroVsOneReaches99Percent) {
  REQUIRE_DIGITS();
  const Dataset train = filter_classes(digits()->train, {0, 1});
  const Dataset test = filter_classes(digits()->test, {0, 1});
  TrainOptions options;
  options.learning_rate = 0.001f;
  options.batch_size = 32;
  EXPECT_GE(train_and_test("cnn-binary", train, test, 2, options), 0.99);
}

}  // namespace
}  // namespace sn
