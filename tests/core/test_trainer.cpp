// Trainer: step/epoch bookkeeping, determinism, divergence recovery, no allocation in the loop,
// evaluation.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <regex>

#include "scratchnet/error.h"
#include "scratchnet/tensor.h"
#include "scratchnet/trainer.h"
#include "toy_data.h"

// Counts every heap allocation made while g_counting is set (any thread), to prove that the
// training loop allocates nothing once the first batch has sized the buffers.
namespace {
std::atomic<bool> g_counting{false};
std::atomic<int64_t> g_allocations{0};
void* counted(std::size_t size, std::size_t align) {
  if (g_counting.load(std::memory_order_relaxed)) g_allocations.fetch_add(1);
  if (size == 0) size = 1;
  void* p = align <= alignof(std::max_align_t)
                ? std::malloc(size)
                : std::aligned_alloc(align, (size + align - 1) / align * align);
  if (!p) throw std::bad_alloc();
  return p;
}
}  // namespace
void* operator new(std::size_t size) { return counted(size, 0); }
void* operator new(std::size_t size, std::align_val_t a) { return counted(size, size_t(a)); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }

namespace sn {
namespace {

using testing::toy_data;
using testing::weights_of;

TEST(Trainer, ParsesOptimizerNames) {
  EXPECT_EQ(parse_optimizer("sgd"), OptimizerKind::SGD);
  EXPECT_EQ(parse_optimizer("momentum"), OptimizerKind::Momentum);
  EXPECT_EQ(parse_optimizer("adam"), OptimizerKind::Adam);
  EXPECT_THROW(parse_optimizer("rmsprop"), Error);
}

TEST(Trainer, CountsStepsAndEpochsAndLearns) {
  const Dataset data = toy_data(100, 1);
  Network net("conv 4 3x3 relu | maxpool 2 | dense 3 softmax", 6, 6, 1, 1);
  TrainOptions o;
  o.batch_size = 16;
  o.learning_rate = 0.01f;
  Trainer t(net, data, o);
  EXPECT_EQ(t.batches_per_epoch(), 7);
  t.train_steps(3);
  EXPECT_EQ(t.step(), 3);
  EXPECT_EQ(t.batch_in_epoch(), 3);
  int calls = 0;
  double sum = 0;
  const float mean = t.train_epoch([&](const StepProgress& p) {
    ++calls;
    sum += p.loss;
    EXPECT_EQ(p.epoch, 0);
    EXPECT_EQ(p.batch_in_epoch, 3 + calls);
    EXPECT_EQ(p.batches_per_epoch, 7);
  });
  EXPECT_EQ(calls, 4);  // the rest of epoch 0
  EXPECT_NEAR(mean, sum / 4, 1e-6);
  EXPECT_EQ(t.epoch(), 1);
  EXPECT_EQ(t.batch_in_epoch(), 0);
  for (int e = 0; e < 15; ++e) t.train_epoch();
  EXPECT_GT(t.running_accuracy(), 0.9);
  const Evaluation ev = evaluate(net, toy_data(60, 2), 7);
  EXPECT_GT(ev.accuracy, 0.9);
  EXPECT_EQ(ev.count, 60);
  EXPECT_EQ(ev.classes, 3);
  int total = 0, diagonal = 0;
  for (int r = 0; r < 3; ++r) {
    for (int c = 0; c < 3; ++c) total += ev.confusion[r * 3 + c];
    diagonal += ev.confusion[r * 3 + r];
  }
  EXPECT_EQ(total, 60);
  EXPECT_DOUBLE_EQ(ev.accuracy, diagonal / 60.0);
  EXPECT_TRUE(std::isfinite(ev.loss));
}

TEST(Trainer, RefusesDataOfTheWrongShapeOrClasses) {
  const Dataset data = toy_data(10, 1);
  Network wrong_size("dense 3 softmax", 28, 28, 1, 1);
  EXPECT_THROW(Trainer(wrong_size, data, TrainOptions{}), Error);
  Network two("dense 2 softmax", 6, 6, 1, 1);
  EXPECT_THROW(Trainer(two, data, TrainOptions{}), Error);
  Network ok("dense 3 softmax", 6, 6, 1, 1);
  TrainOptions bad;
  bad.learning_rate = -1;
  EXPECT_THROW(Trainer(ok, data, bad), Error);
}

// Same seeds => bit-identical losses and weights, whatever the thread count.
TEST(Trainer, DeterministicForAnyThreadCount) {
  const Dataset data = toy_data(200, 3);
  std::vector<float> reference_losses;
  std::vector<std::vector<float>> reference_weights;
  for (int threads : {1, 2, 1, 3}) {
    Network net("conv 6 3x3 same relu | maxpool 2 | dropout 0.2 | dense 12 tanh | dense 3 softmax",
                6, 6, 1, 4);
    net.set_threads(threads);
    TrainOptions o;
    o.batch_size = 32;
    o.seed = 9;
    o.augment.enabled = true;
    Trainer t(net, data, o);
    const auto losses = t.train_steps(20);
    if (reference_losses.empty()) {
      reference_losses = losses;
      reference_weights = weights_of(net);
    } else {
      EXPECT_EQ(losses, reference_losses) << threads << " threads";
      EXPECT_EQ(weights_of(net), reference_weights) << threads << " threads";
    }
  }
}

// A learning rate far too high with MSE on an unbounded output explodes. SGD at 10 diverges
// within a few steps (its steps grow with the error). Adam at 10 does not: its steps are bounded
// by the rate and flip sign when they overshoot, so it stalls rather than overflowing; at 1000 a
// deep linear stack (output ~ weights^5) overflows. The error names the step, and the weights are
// those before it: finite, and exactly what the last good step left.
TEST(Trainer, DivergenceStopsAtTheFirstBadStepWithGoodWeights) {
  struct Case {
    OptimizerKind kind;
    float lr;
    const char* model;
    const char* lr_text;
  };
  const Case cases[] = {
      {OptimizerKind::SGD, 10.0f, "dense 32 relu | dense 32 relu | dense 3 | loss mse", "10"},
      {OptimizerKind::Adam, 1000.0f,
       "dense 64 | dense 64 | dense 64 | dense 64 | dense 3 | loss mse", "1000"}};
  for (const Case& c : cases) {
    const OptimizerKind kind = c.kind;
    const Dataset data = toy_data(64, 5);
    Network net(c.model, 6, 6, 1, 2);
    TrainOptions o;
    o.optimizer = kind;
    o.learning_rate = c.lr;
    o.batch_size = 16;
    Trainer t(net, data, o);
    bool diverged = false;
    int steps = 0;
    for (int i = 0; i < 3000 && !diverged; ++i) {
      const auto before = weights_of(net);
      const int64_t step = t.step();
      try {
        t.train_steps(1);
      } catch (const DivergenceError& e) {
        diverged = true;
        steps = i + 1;
        const std::regex expected("(loss|weights) became (NaN|infinite) at step " +
                                  std::to_string(step + 1) + "; lower the learning rate \\(now " +
                                  c.lr_text + "\\)");
        EXPECT_TRUE(std::regex_match(e.what(), expected)) << e.what();
        EXPECT_EQ(t.step(), step);
        EXPECT_EQ(weights_of(net), before);
        for (const auto& w : before) {
          for (float v : w) ASSERT_TRUE(std::isfinite(v));
        }
      }
    }
    EXPECT_TRUE(diverged) << "optimizer " << int(kind);
    std::printf("optimizer %d diverged at step %d\n", int(kind), steps);
  }
}

void expect_no_allocation_after_first_epoch(const char* model, int threads, bool augment) {
  const Dataset data = toy_data(150, 6);
  Network net(model, 6, 6, 1, 1);
  net.set_threads(threads);
  TrainOptions o;
  o.batch_size = 32;
  o.augment.enabled = augment;
  Trainer t(net, data, o);
  t.train_epoch();  // sizes every buffer (the epoch's last batch is the short one)
  const int64_t tensors = Tensor::allocations();
  g_allocations = 0;
  g_counting = true;
  t.train_epoch();
  t.train_epoch();
  g_counting = false;
  EXPECT_EQ(Tensor::allocations(), tensors) << model;
  // With a pool, GEMM's per-thread packing buffers (thread_local, grown on first use) warm up
  // whenever a worker first gets a task, which depends on scheduling: at most a couple each.
  const int64_t allowed = threads > 1 ? 3 * threads : 0;
  EXPECT_LE(g_allocations.load(), allowed)
      << model << ", " << threads << " threads, augment " << augment;
}

TEST(Trainer, NoAllocationInTheTrainingLoop) {
  const char* model =
      "conv 4 3x3 same relu | maxpool 2 | dropout 0.1 | dense 8 sigmoid | dense 3 softmax";
  expect_no_allocation_after_first_epoch(model, 1, false);
  expect_no_allocation_after_first_epoch(model, 2, false);
  expect_no_allocation_after_first_epoch(model, 1, true);
}

}  // namespace
}  // namespace sn
