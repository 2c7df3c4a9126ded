// Learning-rate schedules: factors at known steps (computed by hand), argument checks, and the
// trainer really using the scheduled rate for each batch.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "scratchnet/error.h"
#include "scratchnet/schedule.h"
#include "scratchnet/trainer.h"

namespace sn {
namespace {

Schedule make(ScheduleKind kind, float epochs) {
  Schedule s;
  s.kind = kind;
  s.epochs = epochs;
  return s;
}

TEST(Schedule, ConstantIsTheBaseRateExactly) {
  const Schedule s;
  for (int64_t step : {0, 1, 999, 123456}) {
    EXPECT_EQ(scheduled_lr(s, 0.0123f, step, 7), 0.0123f);
  }
}

TEST(Schedule, StepDecayHalvesEveryTwoEpochs) {
  Schedule s;
  s.kind = ScheduleKind::Step;
  s.step_epochs = 2;
  s.gamma = 0.5f;
  // 10 batches an epoch: the first decay is at batch 20, the second at 40.
  EXPECT_DOUBLE_EQ(schedule_factor(s, 0, 10), 1.0);
  EXPECT_DOUBLE_EQ(schedule_factor(s, 19, 10), 1.0);
  EXPECT_DOUBLE_EQ(schedule_factor(s, 20, 10), 0.5);
  EXPECT_DOUBLE_EQ(schedule_factor(s, 45, 10), 0.25);
  EXPECT_EQ(scheduled_lr(s, 0.1f, 45, 10), 0.025f);
}

TEST(Schedule, CosineFollowsHalfACosine) {
  Schedule s = make(ScheduleKind::Cosine, 2);
  // 10 batches an epoch, 20 in the run: p = step / 20.
  EXPECT_DOUBLE_EQ(schedule_factor(s, 0, 10), 1.0);
  // p = 1/4: (1 + cos(pi/4)) / 2 = (1 + 0.70710678118654752) / 2
  EXPECT_NEAR(schedule_factor(s, 5, 10), 0.85355339059327376, 1e-15);
  EXPECT_NEAR(schedule_factor(s, 10, 10), 0.5, 1e-15);
  // p = 3/4: (1 - 0.70710678118654752) / 2
  EXPECT_NEAR(schedule_factor(s, 15, 10), 0.14644660940672624, 1e-15);
  EXPECT_NEAR(schedule_factor(s, 20, 10), 0.0, 1e-15);
  EXPECT_NEAR(schedule_factor(s, 35, 10), 0.0, 1e-15);  // past the end: stays at the floor
  s.floor = 0.1f;
  // 0.1 + 0.9 * 0.5, with floor the float nearest 0.1
  EXPECT_NEAR(schedule_factor(s, 10, 10), 0.55, 1e-8);
  EXPECT_NEAR(schedule_factor(s, 20, 10), 0.1, 1e-8);
}

TEST(Schedule, OneCycleWarmsUpLinearlyThenAnneals) {
  Schedule s = make(ScheduleKind::OneCycle, 1);
  s.warmup = 0.25f;
  s.start = 0.04f;
  // 100 batches: warm-up over batches 0..24 from 0.04 to 1, then a half cosine to 0.
  EXPECT_NEAR(schedule_factor(s, 0, 100), 0.04, 1e-8);
  EXPECT_NEAR(schedule_factor(s, 10, 100), 0.04 + 0.96 * 0.4, 1e-7);  // 0.424
  EXPECT_NEAR(schedule_factor(s, 25, 100), 1.0, 1e-15);
  // q = (0.5 - 0.25) / 0.75 = 1/3: (1 + cos(pi/3)) / 2 = 0.75
  EXPECT_NEAR(schedule_factor(s, 50, 100), 0.75, 1e-15);
  EXPECT_NEAR(schedule_factor(s, 100, 100), 0.0, 1e-15);
  // Rises, then falls, never above the peak.
  double prev = 0.0;
  for (int step = 0; step <= 25; ++step) {
    const double f = schedule_factor(s, step, 100);
    EXPECT_GT(f, prev);
    EXPECT_LE(f, 1.0);
    prev = f;
  }
  for (int step = 26; step <= 100; ++step) {
    const double f = schedule_factor(s, step, 100);
    EXPECT_LT(f, prev);
    prev = f;
  }
}

TEST(Schedule, CurveIsTheTrainersRatesAtEvenlySpacedBatches) {
  // 2 epochs of 100 batches under one-cycle: 5 points are batches 0, 49, 99, 149 and 199.
  const Schedule s = over_epochs(make(ScheduleKind::OneCycle, 0), 2.0f);
  const std::vector<float> curve = schedule_curve(s, 0.01f, 100, 5);
  ASSERT_EQ(curve.size(), 5u);
  const int steps[] = {0, 49, 99, 149, 199};
  for (int i = 0; i < 5; ++i) EXPECT_EQ(curve[i], scheduled_lr(s, 0.01f, steps[i], 100)) << i;
  EXPECT_FLOAT_EQ(curve[0], 0.01f * 0.04f);                // the warm-up starts at 4% of the peak
  EXPECT_EQ(schedule_curve(s, 0.01f, 100, 1).size(), 2u);  // at least both ends
  Schedule bad = s;
  bad.warmup = 1.5f;
  EXPECT_THROW(schedule_curve(bad, 0.01f, 100, 5), Error);
}

TEST(Schedule, OverEpochsStepsEveryThirdOfTheRun) {
  EXPECT_EQ(over_epochs(Schedule{}, 9.0f).step_epochs, 3.0f);
  EXPECT_EQ(over_epochs(Schedule{}, 9.0f).epochs, 9.0f);
  EXPECT_EQ(over_epochs(Schedule{}, 2.0f).step_epochs, 1.0f);  // at least every epoch
}

TEST(Schedule, OwnCosineMatchesLibmClosely) {
  // The series replaces std::cos for reproducibility; it must still be the cosine (to a few
  // double ulps; the rate is then rounded to float, whose ulp is 1e-7 relative).
  Schedule s = make(ScheduleKind::Cosine, 1);
  for (int step = 0; step <= 1000; ++step) {
    const double p = step / 1000.0;
    EXPECT_NEAR(schedule_factor(s, step, 1000), 0.5 * (1.0 + std::cos(3.14159265358979323846 * p)),
                1e-15);
  }
}

TEST(Schedule, NamesAndBadValues) {
  EXPECT_EQ(parse_schedule("onecycle"), ScheduleKind::OneCycle);
  EXPECT_EQ(parse_schedule("one-cycle"), ScheduleKind::OneCycle);
  EXPECT_STREQ(schedule_name(parse_schedule("cosine")), "cosine");
  EXPECT_THROW(parse_schedule("linear"), Error);
  EXPECT_THROW(check_schedule(make(ScheduleKind::Cosine, 0)), Error);  // needs a length
  Schedule s = make(ScheduleKind::OneCycle, 3);
  s.warmup = 1.0f;
  EXPECT_THROW(check_schedule(s), Error);
  s.warmup = 0.3f;
  s.start = 0.0f;
  EXPECT_THROW(check_schedule(s), Error);
  Schedule step;
  step.kind = ScheduleKind::Step;
  step.gamma = 1.5f;
  EXPECT_THROW(check_schedule(step), Error);
  check_schedule(make(ScheduleKind::OneCycle, 3));  // the defaults are valid
}

// 4x4 images, two classes by brightness.
Dataset tiny(int count) {
  std::mt19937_64 rng(3);
  Dataset d;
  d.rows = d.cols = 4;
  for (int i = 0; i < count; ++i) {
    const int label = int(rng() % 2);
    d.labels.push_back(uint8_t(label));
    for (int p = 0; p < 16; ++p) d.images.push_back(uint8_t(label * 120 + rng() % 120));
  }
  return d;
}

TEST(Schedule, TrainerStepsWithTheScheduledRate) {
  // SGD under one-cycle for two batches equals constant-rate SGD run batch by batch at the rates
  // the schedule gives for steps 0 and 1.
  const Dataset data = tiny(64);
  TrainOptions o;
  o.optimizer = OptimizerKind::SGD;
  o.learning_rate = 0.5f;
  o.batch_size = 16;  // 4 batches an epoch
  o.schedule = make(ScheduleKind::OneCycle, 2);
  Network a("dense 8 relu | dense 2 softmax", 4, 4, 1, 7);
  Trainer scheduled(a, data, o);
  EXPECT_EQ(scheduled.current_learning_rate(), scheduled_lr(o.schedule, 0.5f, 0, 4));
  scheduled.train_steps(2);
  EXPECT_EQ(scheduled.current_learning_rate(), scheduled_lr(o.schedule, 0.5f, 2, 4));

  Network b("dense 8 relu | dense 2 softmax", 4, 4, 1, 7);
  TrainOptions c = o;
  c.schedule = Schedule{};
  c.learning_rate = scheduled_lr(o.schedule, 0.5f, 0, 4);
  Trainer constant(b, data, c);
  constant.train_steps(1);
  constant.set_learning_rate(scheduled_lr(o.schedule, 0.5f, 1, 4));
  constant.train_steps(1);
  const auto wa = a.parameter_data(), wb = b.parameter_data();
  const auto sizes = a.parameter_sizes();
  for (size_t t = 0; t < sizes.size(); ++t) {
    for (size_t i = 0; i < sizes[t]; ++i)
      ASSERT_EQ(wa[t][i], wb[t][i]) << "tensor " << t << " value " << i;
  }
  // And the warm-up really changes the weights' path: a constant 0.5 does not give them.
  Network d("dense 8 relu | dense 2 softmax", 4, 4, 1, 7);
  TrainOptions k = o;
  k.schedule = Schedule{};
  Trainer fixed(d, data, k);
  fixed.train_steps(2);
  bool differs = false;
  const auto wd = d.parameter_data();
  for (size_t t = 0; t < sizes.size(); ++t) {
    for (size_t i = 0; i < sizes[t]; ++i) differs |= wd[t][i] != wa[t][i];
  }
  EXPECT_TRUE(differs);
}

TEST(Schedule, TrainerRefusesABadSchedule) {
  const Dataset data = tiny(8);
  Network net("dense 2 softmax", 4, 4, 1, 1);
  TrainOptions o;
  o.schedule = make(ScheduleKind::Cosine, 0);
  EXPECT_THROW(Trainer(net, data, o), Error);
}

}  // namespace
}  // namespace sn
