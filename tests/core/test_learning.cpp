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

#define REQUIRE_DIGITS()                                                  \
  if (!digits()) {                                                        \
    GTEST_SKIP() << "bundled digits not found in " << testing::data_dir() \
                 << " (run `npm run data`, or set SCRATCHNET_DATA_DIR)";  \
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
    std::printf(
        "[%s] epoch %d: train loss %.4f, train acc %.4f, test loss %.4f, test acc %.4f "
        "(%.1f s, %.0f samples/s)\n",
        preset.c_str(), e + 1, loss, trainer.running_accuracy(), ev.loss, ev.accuracy, seconds,
        double(e + 1) * train.count() / seconds);
  }
  return accuracy;
}

// A recipe: Adam (the default optimizer) at `lr` in batches of `batch`, augmented or not.
TrainOptions recipe(float lr, int batch, bool augment) {
  TrainOptions options;
  options.learning_rate = lr;
  options.batch_size = batch;
  options.augment.enabled = augment;
  return options;
}

// 8,500 images are few for a plain MLP: without augmentation it plateaus near 95.5 %; the
// random shifts/rotations of the data pipeline take it to ~97 %. This recipe over network seeds
// 1, 2, 3, 4, 5, 42: 96.53, 96.80, 96.53, 96.47, 96.60, 97.20 % (spread 96.47-97.20), so the bar
// sits just under the lowest. (Learning-rate decay ignored: 96.13 %, below it.)
TEST(Learning, MlpReaches96Point4Percent) {
  REQUIRE_DIGITS();
  const TrainOptions options = recipe(0.002f, 64, true);
  EXPECT_GE(train_and_test("mlp", digits()->train, digits()->test, 12, options, 0.8f), 0.964);
}

// lenet is small (8 and 16 filters, no hidden dense layer): on 8,500 images this recipe ends at
// 97.93, 98.27, 97.87, 97.93, 98.47, 97.53 % for network seeds 1, 2, 3, 4, 5, 42 (spread
// 97.53-98.47); the bar sits just under the lowest. (Max-pooling gradients sent to each
// window's first element: 97.33 %, below it.)
TEST(Learning, LenetReaches97Point5Percent) {
  REQUIRE_DIGITS();
  const TrainOptions options = recipe(0.003f, 32, true);
  EXPECT_GE(train_and_test("lenet", digits()->train, digits()->test, 12, options, 0.8f, 1), 0.975);
}

// The report's sigmoid CNN sometimes idles near chance for an epoch or two before it takes off
// (seed 3: 53, 76, 99.69 % after epochs 1-3). After 3 epochs, network seeds 1-8 and 42 reach
// 100, 100, 99.69, 100, 100, 99.69, 99.69, 99.69, 99.69 % of the 0s and 1s (one mistake is 0.31
// points): the bar allows one mistake.
TEST(Learning, CnnBinaryZeroVsOneReaches99Point5Percent) {
  REQUIRE_DIGITS();
  const Dataset train = filter_classes(digits()->train, {0, 1});
  const Dataset test = filter_classes(digits()->test, {0, 1});
  EXPECT_GE(train_and_test("cnn-binary", train, test, 3, recipe(0.001f, 32, false)), 0.995);
}

}  // namespace
}  // namespace sn
