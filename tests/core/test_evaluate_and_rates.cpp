// evaluate() and the trainer's knobs against answers worked out independently: the loss and
// confusion matrix of a network whose weights are set by hand (computed here in double, with an
// uneven last batch), the effect of set_learning_rate on the very next step, and weight decay
// reaching weights but not (nonzero) biases through the trainer.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "scratchnet/trainer.h"
#include "toy_data.h"

namespace sn {
namespace {

using testing::toy_data;
using testing::weights_of;

// 1x3 images whose pixels are 255 or 0: with the weights below, the bright pixel picks the class.
Dataset three_pixel_data(const std::vector<std::vector<uint8_t>>& images,
                         const std::vector<uint8_t>& labels) {
  Dataset d;
  d.rows = 1;
  d.cols = 3;
  for (const auto& image : images) d.images.insert(d.images.end(), image.begin(), image.end());
  d.labels = labels;
  return d;
}

// "dense 3 softmax" on 1x3 inputs: logit k = 4 x_k + bias_k (weights 4 I), x = pixel / 255.
Network hand_set_network() {
  Network net("dense 3 softmax", 1, 3, 1, 1);
  const auto values = net.parameter_data();
  for (int i = 0; i < 3; ++i) {
    for (int k = 0; k < 3; ++k) values[0][i * 3 + k] = i == k ? 4.0f : 0.0f;
  }
  const float bias[3] = {0.5f, -0.25f, 0.0f};
  for (int k = 0; k < 3; ++k) values[1][k] = bias[k];
  return net;
}

// -log softmax(z)[label] in double.
double reference_xent(const std::vector<uint8_t>& image, int label) {
  const double bias[3] = {0.5, -0.25, 0.0};
  double z[3], largest = -1e300, sum = 0.0;
  for (int k = 0; k < 3; ++k) {
    z[k] = 4.0 * (image[k] / 255.0) + bias[k];
    largest = std::max(largest, z[k]);
  }
  for (int k = 0; k < 3; ++k) sum += std::exp(z[k] - largest);
  return -(z[label] - largest - std::log(sum));
}

TEST(Evaluate, KnownLossAndConfusionWithAnUnevenLastBatch) {
  const std::vector<std::vector<uint8_t>> images = {
      {255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {0, 255, 0}, {0, 0, 255}, {0, 0, 255}, {0, 0, 255}};
  // Predictions follow the bright pixel: 0, 1, 2, 1, 2, 2, 2. Three mistakes, none mirrored
  // across the diagonal: (true 0, predicted 2) twice, (true 2, predicted 1). The last sample is
  // a confident mistake (loss 3.5 against a mean of 1.6).
  const std::vector<uint8_t> labels = {0, 1, 0, 2, 2, 2, 0};
  const Dataset data = three_pixel_data(images, labels);
  double loss = 0.0;
  for (size_t i = 0; i < images.size(); ++i) loss += reference_xent(images[i], labels[i]);
  loss /= double(images.size());
  // confusion[true][predicted]
  const std::vector<int> confusion = {1, 0, 2,   // true 0: one right, two taken for 2
                                      0, 1, 0,   // true 1
                                      0, 1, 2};  // true 2: one taken for 1
  // 7 samples in batches of 1, 2 (last batch 1), 3 (last 1), 4 (last 3), 7 and more than 7.
  for (int batch : {1, 2, 3, 4, 7, 256}) {
    Network net = hand_set_network();
    const Evaluation ev = evaluate(net, data, batch);
    EXPECT_NEAR(ev.loss, loss, 1e-6 * loss) << "batch " << batch;
    EXPECT_DOUBLE_EQ(ev.accuracy, 4.0 / 7.0) << "batch " << batch;
    EXPECT_EQ(ev.count, 7);
    EXPECT_EQ(ev.classes, 3);
    EXPECT_EQ(ev.confusion, confusion) << "batch " << batch << " (rows: true class)";
  }
  // The last sample's loss is far from the mean, so a mean of batch means, or a short last
  // batch counted as a full one, is far off the mean over samples.
  EXPECT_GT(reference_xent(images[6], labels[6]), 2 * loss);
}

// Every optimizer's step is proportional to the learning rate given to that step (Adam's
// m^ / (sqrt(v^) + eps) does not depend on it). Two identical runs part after 3 steps: one
// continues at the rate, the other at a quarter of it; their next steps differ by that factor.
TEST(Trainer, SetLearningRateScalesTheNextStep) {
  const Dataset data = toy_data(120, 4);
  for (OptimizerKind kind : {OptimizerKind::Adam, OptimizerKind::Momentum, OptimizerKind::SGD}) {
    SCOPED_TRACE(static_cast<int>(kind));
    TrainOptions o;
    o.optimizer = kind;
    o.learning_rate = 0.01f;
    o.batch_size = 16;
    Network kept("conv 3 3x3 relu | maxpool 2 | dense 3 softmax", 6, 6, 1, 2);
    Network changed("conv 3 3x3 relu | maxpool 2 | dense 3 softmax", 6, 6, 1, 2);
    Trainer a(kept, data, o), b(changed, data, o);
    a.train_steps(3);
    b.train_steps(3);
    const auto before = weights_of(kept);
    ASSERT_EQ(weights_of(changed), before);
    b.set_learning_rate(0.0025f);
    EXPECT_EQ(b.options().learning_rate, 0.0025f);
    a.train_steps(1);
    b.train_steps(1);
    const auto after_a = weights_of(kept), after_b = weights_of(changed);
    double moved = 0.0;
    for (size_t t = 0; t < before.size(); ++t) {
      for (size_t i = 0; i < before[t].size(); ++i) {
        const double step_a = double(after_a[t][i]) - before[t][i];
        const double step_b = double(after_b[t][i]) - before[t][i];
        moved += std::fabs(step_a);
        // Rounding w - step to float costs up to half an ulp of w (~3e-8 here) in each run.
        EXPECT_NEAR(4.0 * step_b, step_a, 1e-3 * std::fabs(step_a) + 4e-7)
            << "tensor " << t << " value " << i;
      }
    }
    EXPECT_GT(moved, 0.01);  // the step did move the weights
  }
}

// Weight decay through the trainer: the trainer marks which tensors decay. Biases are set
// nonzero first (they start at 0, where decay would change nothing). One step with decay and one
// without, from the same weights on the same batch: SGD and momentum's first step differ by
// exactly lr * decay * w on weights; biases are bit-identical for every optimizer.
TEST(Trainer, WeightDecayReachesWeightsButNotBiases) {
  const Dataset data = toy_data(64, 5);
  for (OptimizerKind kind : {OptimizerKind::SGD, OptimizerKind::Momentum, OptimizerKind::Adam}) {
    SCOPED_TRACE(static_cast<int>(kind));
    std::vector<std::vector<float>> result[2];
    std::vector<std::vector<float>> start;
    std::vector<ParameterView> views;
    for (int with_decay : {0, 1}) {
      Network net("conv 3 3x3 relu | maxpool 2 | dense 3 softmax", 6, 6, 1, 8);
      views = net.parameters();
      const auto values = net.parameter_data();
      for (size_t t = 0; t < views.size(); ++t) {
        if (views[t].name != "bias") continue;
        for (size_t i = 0; i < views[t].values.size(); ++i)
          values[t][i] = 0.5f - 0.25f * float(i % 3);
      }
      start = weights_of(net);
      TrainOptions o;
      o.optimizer = kind;
      o.learning_rate = 0.1f;
      o.batch_size = 64;
      o.weight_decay = with_decay ? 0.5f : 0.0f;
      Trainer trainer(net, data, o);
      trainer.train_steps(1);
      result[with_decay] = weights_of(net);
    }
    for (size_t t = 0; t < views.size(); ++t) {
      if (views[t].name == "bias") {
        EXPECT_EQ(result[1][t], result[0][t]) << "bias tensor " << t << " was decayed";
        continue;
      }
      size_t differ = 0;
      for (size_t i = 0; i < start[t].size(); ++i) {
        differ += result[1][t][i] != result[0][t][i];
        if (kind == OptimizerKind::Adam) continue;
        EXPECT_NEAR(result[1][t][i] - result[0][t][i], -0.1 * 0.5 * start[t][i], 1e-6)
            << "tensor " << t << " value " << i;
      }
      EXPECT_GT(differ, start[t].size() / 2) << "weight tensor " << t << " was not decayed";
    }
  }
}

}  // namespace
}  // namespace sn
