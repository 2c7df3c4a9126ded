// The fast preset with its recommended settings (preset_settings.h) on real MNIST: a floor that
// CI can afford, not the goal (the goal, 99% on the full test set after one epoch on all 60,000
// images, is measured by `nn bench-learn`). Trains on the first 10,000 training images of full
// MNIST (build/public/data/mnist-full from `npm run data`) and tests on all 10,000 test images.
// Skipped, saying why, when the data is not there.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "scratchnet/data.h"
#include "scratchnet/network.h"
#include "scratchnet/parallel.h"
#include "scratchnet/preset_settings.h"
#include "scratchnet/trainer.h"

namespace sn {
namespace {

std::string full_mnist_dir() {
  if (const char* env = std::getenv("SCRATCHNET_FULL_MNIST_DIR")) return env;
  return std::string(SCRATCHNET_SOURCE_DIR) + "/build/public/data/mnist-full";
}

TEST(LearningFast, FastPresetBeatsFloorOnTenThousandImages) {
  const std::string dir = full_mnist_dir();
  if (!std::filesystem::exists(dir + "/train-images-idx3-ubyte.gz")) {
    GTEST_SKIP() << "full MNIST not found in " << dir << " (run `npm run data`)";
  }
  Dataset train = load_idx_dir(dir, "train");
  const Dataset test = load_idx_dir(dir, "t10k");
  ASSERT_EQ(train.count(), 60000);
  ASSERT_EQ(test.count(), 10000);
  constexpr int kImages = 10000;
  train.labels.resize(kImages);
  train.images.resize(size_t(kImages) * train.rows * train.cols);

  const PresetSettings* s = preset_settings("fast");
  ASSERT_NE(s, nullptr);
  // 10,000 images instead of 60,000: kEpochs passes over them under the same one-cycle shape.
  constexpr int kEpochs = 4;
  TrainOptions o = options_for_epochs(s->options, kEpochs);
  Network net("fast", 28, 28, 1, 1);
  net.set_threads(std::min(2, ThreadPool::hardware_threads()));
  Trainer trainer(net, train, o);
  const auto start = std::chrono::steady_clock::now();
  for (int e = 0; e < kEpochs; ++e) trainer.train_epoch();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const Evaluation ev = evaluate(net, test);
  std::printf("[fast] %d x %d images: test accuracy %.4f, test loss %.4f (%.1f s)\n", kEpochs,
              kImages, ev.accuracy, ev.loss, seconds);
  // The floor of issue 9: 98.5% on the full test set.
  EXPECT_GT(ev.accuracy, 0.985);
}

}  // namespace
}  // namespace sn
