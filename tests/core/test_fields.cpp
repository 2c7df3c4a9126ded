// Named fields (scratchnet/fields.h): the shortest decimal of a float, the names the page and the
// npm package read (known answers), settings read back exactly, bad settings rejected with the
// setting's name, and error_name (scratchnet/error.h).
#include "scratchnet/fields.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "scratchnet/error.h"
#include "scratchnet/session.h"

namespace sn {
namespace {

const FieldValue& at(const Fields& fields, const std::string& name) {
  for (const Field& f : fields) {
    if (f.name == name) return f.value;
  }
  throw std::runtime_error("no field " + name);
}
double number(const Fields& fields, const std::string& name) {
  return std::get<double>(at(fields, name));
}
std::vector<std::string> names(const Fields& fields) {
  std::vector<std::string> out;
  for (const Field& f : fields) out.push_back(f.name);
  return out;
}
// The message of the Error that training_options throws for `settings`.
std::string rejection(const Fields& settings) {
  try {
    training_options(settings);
  } catch (const Error& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(Fields, ShortestDecimalKnownAnswers) {
  EXPECT_EQ(shortest_decimal(0.002f), 0.002);
  EXPECT_EQ(shortest_decimal(0.1f), 0.1);
  EXPECT_EQ(shortest_decimal(1e-6f), 1e-6);
  EXPECT_EQ(shortest_decimal(0.9999f), 0.9999);
  EXPECT_EQ(shortest_decimal(16.0f), 16.0);
  EXPECT_NE(static_cast<double>(0.002f), 0.002);  // what the plain widening gives instead
}

TEST(Fields, ShortestDecimalReadsBackAsTheSameFloat) {
  std::mt19937 rng(7);
  for (int i = 0; i < 20000; ++i) {  // random bit patterns: every exponent, tiny to huge
    const uint32_t bits = rng();
    float f;
    std::memcpy(&f, &bits, sizeof f);
    if (!std::isfinite(f)) continue;
    ASSERT_EQ(static_cast<float>(shortest_decimal(f)), f) << "bits " << bits;
  }
}

TEST(Fields, DefaultsAndLimitsKnownAnswers) {
  const Fields d = fields(kDefaults);
  EXPECT_EQ(std::get<std::string>(at(d, "model")), "lenet");
  EXPECT_EQ(std::get<std::string>(at(d, "optimizer")), "adam");
  EXPECT_EQ(number(d, "learningRate"), 0.002);
  EXPECT_EQ(number(d, "sgdLearningRate"), 0.05);
  EXPECT_EQ(number(d, "batchSize"), 16);
  EXPECT_EQ(number(d, "seed"), 1);
  EXPECT_EQ(std::get<bool>(at(d, "augment")), false);
  EXPECT_EQ(std::get<std::vector<double>>(at(d, "twoClasses")), (std::vector<double>{0, 1}));
  const Fields l = fields(kLimits);
  EXPECT_EQ(names(l), (std::vector<std::string>{"learningRate", "batchSize", "epochs", "seed",
                                                "threads", "momentum", "weightDecay"}));
  const Fields batch = std::get<Fields>(at(l, "batchSize"));
  EXPECT_EQ(number(batch, "min"), 1);
  EXPECT_EQ(number(batch, "max"), 4096);
  EXPECT_EQ(number(std::get<Fields>(at(l, "learningRate")), "min"), 1e-6);
}

TEST(Fields, TrainingSettingsNamesAndGroups) {
  const Fields t = fields(TrainOptions{});
  EXPECT_EQ(names(t), (std::vector<std::string>{"optimizer", "learningRate", "batchSize",
                                                "schedule", "beta1", "beta2", "momentum",
                                                "weightDecay", "labelSmoothing", "augment"}));
  EXPECT_EQ(names(std::get<Fields>(at(t, "schedule"))),
            (std::vector<std::string>{"kind", "epochs", "warmup"}));
  EXPECT_EQ(
      names(std::get<Fields>(at(t, "augment"))),
      (std::vector<std::string>{"enabled", "maxShift", "maxScale", "maxRotateDeg", "mirror"}));
  EXPECT_EQ(names(fields(AugmentOptions{})), names(std::get<Fields>(at(t, "augment"))));
  const PresetSettings* fast = preset_settings("fast");
  ASSERT_NE(fast, nullptr);
  const Fields f = fields(*fast);
  EXPECT_EQ(number(f, "epochs"), fast->epochs);
  EXPECT_EQ(std::get<std::string>(at(f, "why")), fast->why);
  EXPECT_EQ(std::get<std::string>(at(std::get<Fields>(at(f, "schedule")), "kind")), "onecycle");
}

// Every preset's settings, written and read back, are the same floats and choices.
TEST(Fields, SettingsReadBackExactly) {
  for (const PresetSettings& p : all_preset_settings()) {
    Fields given = fields(p.options);
    given.push_back({"seed", 12345.0});
    const TrainOptions o = training_options(given);
    EXPECT_EQ(o.optimizer, p.options.optimizer) << p.preset;
    EXPECT_EQ(o.learning_rate, p.options.learning_rate) << p.preset;
    EXPECT_EQ(o.batch_size, p.options.batch_size) << p.preset;
    EXPECT_EQ(o.schedule.kind, p.options.schedule.kind) << p.preset;
    EXPECT_EQ(o.schedule.epochs, p.options.schedule.epochs) << p.preset;
    EXPECT_EQ(o.schedule.step_epochs, p.options.schedule.step_epochs) << p.preset;
    EXPECT_EQ(o.schedule.warmup, p.options.schedule.warmup) << p.preset;
    EXPECT_EQ(o.beta1, p.options.beta1) << p.preset;
    EXPECT_EQ(o.beta2, p.options.beta2) << p.preset;
    EXPECT_EQ(o.momentum, p.options.momentum) << p.preset;
    EXPECT_EQ(o.weight_decay, p.options.weight_decay) << p.preset;
    EXPECT_EQ(o.label_smoothing, p.options.label_smoothing) << p.preset;
    EXPECT_EQ(o.augment.enabled, p.options.augment.enabled) << p.preset;
    EXPECT_EQ(o.seed, 12345u) << p.preset;
  }
  // The data sets' own distortions read back too (a flip is the one bool beside enabled).
  for (const char* set : {"mnist-full", "fashion"}) {
    TrainOptions with;
    with.augment = augmentation_for(set);
    const TrainOptions o = training_options(fields(with));
    EXPECT_EQ(o.augment.max_shift, with.augment.max_shift) << set;
    EXPECT_EQ(o.augment.max_scale, with.augment.max_scale) << set;
    EXPECT_EQ(o.augment.max_rotate_deg, with.augment.max_rotate_deg) << set;
    EXPECT_EQ(o.augment.mirror, with.augment.mirror) << set;
  }
}

TEST(Fields, TrainingOptionsDefaultsAndNames) {
  const TrainOptions none = training_options({});
  EXPECT_EQ(none.optimizer, OptimizerKind::Adam);
  EXPECT_EQ(none.learning_rate, 0.002f);
  EXPECT_EQ(none.batch_size, kDefaults.batch_size);
  // Another optimizer starts from its own rate unless a rate is given.
  EXPECT_EQ(training_options({{"optimizer", std::string("sgd")}}).learning_rate, 0.05f);
  const TrainOptions t =
      training_options({{"optimizer", std::string("momentum")},
                        {"learningRate", 0.3},
                        {"batchSize", 32.0},
                        {"momentum", 0.5},
                        {"weightDecay", 0.01},
                        {"labelSmoothing", 0.1},
                        {"beta1", 0.8},
                        {"seed", 9.0},
                        {"augment", Fields{{"enabled", true}, {"maxShift", 3.0}}},
                        {"epochs", 7.0},                      // not a training option:
                        {"description", std::string("x")}});  // ignored
  EXPECT_EQ(t.optimizer, OptimizerKind::Momentum);
  EXPECT_EQ(t.learning_rate, 0.3f);
  EXPECT_EQ(t.batch_size, 32);
  EXPECT_EQ(t.momentum, 0.5f);
  EXPECT_EQ(t.weight_decay, 0.01f);
  EXPECT_EQ(t.label_smoothing, 0.1f);
  EXPECT_EQ(t.beta1, 0.8);
  EXPECT_EQ(t.seed, 9u);
  EXPECT_TRUE(t.augment.enabled);
  EXPECT_EQ(t.augment.max_shift, 3.0f);
  EXPECT_EQ(t.augment.max_scale, AugmentOptions{}.max_scale);
}

TEST(Fields, AScheduleSpansItsEpochs) {
  const Fields onecycle{{"kind", std::string("onecycle")}, {"epochs", 3.0}};
  const TrainOptions t = training_options({{"schedule", onecycle}});
  EXPECT_EQ(t.schedule.kind, ScheduleKind::OneCycle);
  EXPECT_EQ(t.schedule.epochs, 3.0f);
  EXPECT_EQ(t.schedule.warmup, 0.25f);
  const Schedule step = schedule_of({{"kind", std::string("step")}, {"epochs", 9.0}});
  EXPECT_EQ(step.kind, ScheduleKind::Step);
  EXPECT_EQ(step.step_epochs, 3.0f);  // decays every third of the run
  EXPECT_EQ(training_options({}).schedule.kind, ScheduleKind::Constant);
}

TEST(Fields, BadSettingsAreRejectedByName) {
  EXPECT_EQ(rejection({{"learningRate", std::string("fast")}}),
            "learningRate must be a number, got \"fast\"");
  EXPECT_EQ(rejection({{"batchSize", 16.5}}), "batchSize must be a whole number, got 16.5");
  EXPECT_EQ(rejection({{"seed", -1.0}}), "seed must be a whole number, got -1");
  EXPECT_EQ(rejection({{"batchSize", 0.1}}), "batchSize must be a whole number, got 0.1");
  EXPECT_EQ(rejection({{"optimizer", 3.0}}), "optimizer must be a name, got 3");
  EXPECT_EQ(rejection({{"augment", Fields{{"enabled", std::string("yes")}}}}),
            "augment.enabled must be true or false, got \"yes\"");
  EXPECT_EQ(rejection({{"momentum", Fields{{"value", 0.5}}}}),
            "momentum must be a number, got a list or a group");
  EXPECT_NE(rejection({{"optimizer", std::string("nadam")}}).find("unknown optimizer 'nadam'"),
            std::string::npos);
  EXPECT_THROW(schedule_of({{"kind", std::string("sometimes")}}), Error);
  // NaN is a number: the trainer's range check rejects it, as for any rate out of range.
  EXPECT_TRUE(std::isnan(training_options({{"learningRate", std::nan("")}}).learning_rate));
}

TEST(Fields, ModelSummaryAndEvaluation) {
  const Network net("dense 10 softmax", 28, 28, 1, 1);
  const Fields s = fields(net);
  EXPECT_EQ(std::get<std::string>(at(s, "description")), net.description());
  EXPECT_EQ(number(s, "params"), 7850);  // 784 x 10 weights + 10 biases
  EXPECT_EQ(std::get<std::string>(at(s, "loss")), "xent");
  EXPECT_EQ(number(s, "classes"), 10);
  const auto& layers = std::get<std::vector<Fields>>(at(s, "layers"));
  ASSERT_FALSE(layers.empty());
  EXPECT_EQ(std::get<std::vector<double>>(at(layers.back(), "shape")),
            (std::vector<double>{1, 1, 10}));
  Evaluation e;
  e.loss = 0.25, e.accuracy = 0.5, e.count = 2, e.classes = 2;
  e.confusion = {1, 0, 1, 0}, e.predicted = {0, 0};
  const Fields ev = fields(e);
  EXPECT_EQ(number(ev, "accuracy"), 0.5);
  EXPECT_EQ(std::get<std::vector<int>>(at(ev, "confusion")), e.confusion);
  EXPECT_EQ(std::get<std::vector<int>>(at(ev, "predicted")), e.predicted);
}

TEST(Fields, PresetsCarryTheirSettings) {
  const std::vector<Fields> all = fields(presets());
  ASSERT_EQ(all.size(), presets().size());
  for (size_t i = 0; i < all.size(); ++i) {
    const bool has = preset_settings(presets()[i].name) != nullptr;
    bool carries = false;
    for (const Field& f : all[i]) carries |= f.name == "settings";
    EXPECT_EQ(carries, has) << presets()[i].name;
  }
}

TEST(ErrorName, EachKind) {
  EXPECT_STREQ(error_name(DescriptionError("x")), "DescriptionError");
  EXPECT_STREQ(error_name(FormatError("x")), "FormatError");
  EXPECT_STREQ(error_name(DivergenceError("x")), "DivergenceError");
  EXPECT_STREQ(error_name(LimitError("x")), "LimitError");
  EXPECT_STREQ(error_name(StateError("x")), "StateError");
  EXPECT_STREQ(error_name(Error("x")), "EngineError");
  EXPECT_STREQ(error_name(std::runtime_error("x")), "EngineError");
}

}  // namespace
}  // namespace sn
