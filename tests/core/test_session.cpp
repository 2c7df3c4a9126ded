// Session: known-answer evaluation (with a short last batch), the confusion matrix's
// orientation, the one prediction rule at an exact tie, class filtering and its labels, and the
// training counters that outlive a trainer.
#include "scratchnet/session.h"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>

#include "scratchnet/error.h"

namespace sn {
namespace {

// 1x1 images with the given pixels and labels.
std::shared_ptr<const Dataset> pixels(const std::vector<uint8_t>& values,
                                      const std::vector<uint8_t>& labels) {
  auto d = std::make_shared<Dataset>();
  d->rows = d->cols = 1;
  d->images = values;
  d->labels = labels;
  return d;
}

// Sets every parameter tensor of the session's model, in the model file's order.
void set_parameters(Session& s, const std::vector<std::vector<float>>& values) {
  Network& net = s.network();
  const auto data = net.parameter_data();
  const auto sizes = net.parameter_sizes();
  ASSERT_EQ(data.size(), values.size());
  for (size_t i = 0; i < data.size(); ++i) {
    ASSERT_EQ(sizes[i], values[i].size());
    std::copy(values[i].begin(), values[i].end(), data[i]);
  }
}

// "dense 2 softmax" on one pixel x in {0, 1} with weights {-4, 4} and biases {2, -2}: logits
// (2, -2) for a black pixel (class 0) and (-2, 2) for a white one (class 1). Five images, true
// classes {0, 1, 1, 1, 0}, predicted {0, 1, 0, 0, 1}.
void make_known(Session& s) {
  s.set_data(pixels({0, 255, 0, 0, 255}, {0, 1, 1, 1, 0}),
             pixels({0, 255, 0, 0, 255}, {0, 1, 1, 1, 0}));
  s.build("dense 2 softmax", 1);
  set_parameters(s, {{-4.0f, 4.0f}, {2.0f, -2.0f}});
}

TEST(Session, EvaluationKnownAnswerWithAShortLastBatch) {
  Session s;
  make_known(s);
  // Right: -log(1 / (1 + e^-4)) = log(1 + e^-4); wrong: 4 more. Two right, three wrong.
  const double right = std::log1p(std::exp(-4.0));
  const double want_loss = right + 3.0 * 4.0 / 5.0;
  for (int batch : {1, 2, 3, 256}) {  // 2 and 3 leave a last batch of 1 and 2 images
    SCOPED_TRACE(batch);
    const Evaluation e = s.evaluate(false, batch);
    EXPECT_EQ(e.count, 5);
    EXPECT_EQ(e.classes, 2);
    EXPECT_NEAR(e.loss, want_loss, 1e-5);
    EXPECT_DOUBLE_EQ(e.accuracy, 2.0 / 5.0);
    EXPECT_EQ(e.predicted, (std::vector<int>{0, 1, 0, 0, 1}));
    // Row = true class, column = predicted: two 1s predicted as 0, one 0 predicted as 1.
    EXPECT_EQ(e.confusion, (std::vector<int>{1, 1, 2, 1}));
  }
}

TEST(Session, PredictionsAgreeWithEvaluation) {
  Session s;
  make_known(s);
  const Predictions p = s.predict_test({4, 0, 2});
  ASSERT_EQ(p.classes, 2);
  EXPECT_EQ(p.predicted, (std::vector<int>{1, 0, 0}));
  const float p1 = 1.0f / (1.0f + std::exp(-4.0f));  // softmax(-2, 2)[1]
  EXPECT_NEAR(p.probabilities[1], p1, 1e-6);
  EXPECT_NEAR(p.probabilities[2], p1, 1e-6);  // image 0 is black: class 0 at p1
  EXPECT_THROW(s.predict_test({5}), Error);
  EXPECT_THROW(s.predict_test({-1}), Error);
  const float white = 1.0f;
  EXPECT_EQ(s.predict(&white, 1).predicted, std::vector<int>{1});
  EXPECT_THROW(s.predict(&white, 2), Error);
}

// One rule: the largest probability, ties to the lower class index.
TEST(Session, PredictionRuleGivesTiesToTheLowerClass) {
  const float tie[2] = {0.5f, 0.5f}, above[2] = {0.49999997f, 0.50000006f},
              three[3] = {0.2f, 0.4f, 0.4f};
  EXPECT_EQ(predicted_class(tie, 2), 0);
  EXPECT_EQ(predicted_class(above, 2), 1);
  EXPECT_EQ(predicted_class(three, 3), 1);
}

// A 1-unit sigmoid at exactly p = 0.5 (all parameters zero): class 0 in evaluation, in the
// training accuracy and in per-image predictions alike.
TEST(Session, SigmoidAtExactlyOneHalfPredictsClassZeroEverywhere) {
  Session s;
  s.set_data(pixels({0, 255, 9}, {1, 1, 0}), pixels({0, 255, 9}, {1, 1, 0}));
  s.build("dense 1 sigmoid", 1);
  set_parameters(s, {{0.0f}, {0.0f}});
  const Evaluation e = s.evaluate();
  EXPECT_EQ(e.predicted, (std::vector<int>{0, 0, 0}));
  EXPECT_EQ(e.confusion, (std::vector<int>{1, 0, 2, 0}));
  const Predictions p = s.predict_test({0, 1, 2});
  EXPECT_EQ(p.predicted, (std::vector<int>{0, 0, 0}));
  EXPECT_EQ(p.probabilities[0], 0.5f);
  EXPECT_EQ(p.probabilities[1], 0.5f);
  // Just above one half is class 1.
  set_parameters(s, {{0.0f}, {1e-3f}});
  EXPECT_EQ(s.evaluate().predicted, (std::vector<int>{1, 1, 1}));
}

TEST(Session, ClassFilterRelabelsAndNamesTheClasses) {
  Session s;
  auto all = pixels({10, 20, 30, 40, 50, 60}, {0, 1, 3, 1, 3, 4});
  s.set_data(all, all, {3, 1});
  EXPECT_EQ(s.class_labels(), (std::vector<int>{3, 1}));
  EXPECT_EQ(s.test_split().count(), 4);
  EXPECT_EQ(s.test_classes(), (std::vector<int>{1, 0, 1, 0}));  // 1 3 1 3 -> 3 is class 0
  EXPECT_EQ(s.test_images({0, 1}), (std::vector<uint8_t>{20, 30}));
  s.build("dense 2 softmax", 1);
  EXPECT_EQ(s.class_labels(), (std::vector<int>{3, 1}));  // the filter names the classes
  // A filter that matches nothing is refused and changes nothing.
  EXPECT_THROW(s.set_data(all, all, {7}), Error);
  EXPECT_EQ(s.class_labels(), (std::vector<int>{3, 1}));
  EXPECT_EQ(s.test_split().count(), 4);
  // The labels travel with the model file.
  const std::vector<uint8_t> file = s.save();
  Session loaded;
  loaded.load(file.data(), file.size());
  EXPECT_EQ(loaded.class_labels(), (std::vector<int>{3, 1}));
  // Without a filter the classes are the labels themselves.
  s.set_data(all, all);
  s.build("dense 5 softmax", 1);
  EXPECT_EQ(s.class_labels(), (std::vector<int>{0, 1, 2, 3, 4}));
  EXPECT_EQ(s.test_split().count(), 6);
}

TEST(Session, CountersOutliveTheTrainerUntilNewWeights) {
  Session s;
  auto data = pixels({0, 255, 0, 255, 0, 255, 0, 255}, {0, 1, 0, 1, 0, 1, 0, 1});
  EXPECT_THROW(s.set_training(TrainOptions{}), StateError);  // no model
  s.set_data(data, data);
  s.build("dense 2 softmax", 1);
  EXPECT_THROW(s.train_steps(1), StateError);  // no trainer
  TrainOptions o;
  o.batch_size = 4;  // 2 batches per epoch
  s.set_training(o);
  s.train_steps(5);
  EXPECT_EQ(s.trained_steps(), 5);
  EXPECT_EQ(s.trained_epochs(), 2);
  o.batch_size = 8;  // a new trainer for the same weights counts on
  s.set_training(o);
  EXPECT_EQ(s.trainer().step(), 0);
  s.train_steps(1);
  EXPECT_EQ(s.trained_steps(), 6);
  EXPECT_EQ(s.trained_epochs(), 3);
  s.set_data(data, data);  // new data keeps the weights and their counts
  EXPECT_FALSE(s.has_trainer());
  EXPECT_EQ(s.trained_steps(), 6);
  s.build("dense 2 softmax", 2);  // new weights start from zero
  EXPECT_EQ(s.trained_steps(), 0);
  EXPECT_EQ(s.trained_epochs(), 0);
}

TEST(Session, StateErrorsBeforeAModelOrData) {
  Session s;
  const float x = 0;
  EXPECT_THROW(s.predict(&x, 1), StateError);
  EXPECT_THROW(s.evaluate(), StateError);
  EXPECT_THROW(s.save(), StateError);
  s.build("mlp", 1);  // 28x28 before any data
  EXPECT_EQ(s.network().input_shape()[0], 28);
  EXPECT_THROW(s.test_images({0}), StateError);
  // A description that fails leaves the model as it was.
  EXPECT_THROW(s.build("dense 10 nonsense", 1), DescriptionError);
  EXPECT_EQ(s.network().description(), Network("mlp", 28, 28, 1, 1).description());
}

TEST(Session, ImagesAndLabelsAtIndices) {
  const auto d = pixels({10, 20, 30}, {2, 0, 1});
  EXPECT_EQ(images_at(*d, {2, 0}), (std::vector<uint8_t>{30, 10}));
  EXPECT_EQ(labels_at(*d, {2, 0, 0}), (std::vector<int>{1, 2, 2}));
  EXPECT_THROW(labels_at(*d, {3}), Error);
  EXPECT_THROW(labels_at(*d, {-1}), Error);
}

TEST(Session, DefaultsAreOneDefinition) {
  const TrainOptions o;
  EXPECT_EQ(o.learning_rate, kDefaults.learning_rate);
  EXPECT_EQ(o.batch_size, kDefaults.batch_size);
  EXPECT_EQ(default_learning_rate(OptimizerKind::Adam), kDefaults.learning_rate);
  EXPECT_GT(default_learning_rate(OptimizerKind::SGD), default_learning_rate(OptimizerKind::Adam));
  EXPECT_GE(kDefaults.batch_size, kLimits.batch_size.min);
  EXPECT_LE(kDefaults.batch_size, kLimits.batch_size.max);
  EXPECT_GE(kDefaults.learning_rate, kLimits.learning_rate.min);
  EXPECT_LE(kDefaults.epochs, kLimits.epochs.max);
}

}  // namespace
}  // namespace sn
