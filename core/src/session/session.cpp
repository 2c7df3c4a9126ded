// Session: the model, the class-filtered splits and their labels, and the trainer with counters
// that outlive it. Evaluation and prediction are in predict.cpp.
#include "scratchnet/session.h"

#include <utility>

#include "scratchnet/error.h"

namespace sn {

float default_learning_rate(OptimizerKind kind) {
  switch (kind) {
    case OptimizerKind::SGD:
      return kDefaults.sgd_learning_rate;
    case OptimizerKind::Momentum:
      return kDefaults.momentum_learning_rate;
    case OptimizerKind::Adam:
    case OptimizerKind::AdamW:
      return kDefaults.learning_rate;
  }
  return kDefaults.learning_rate;
}

std::vector<int> labels_or_identity(const std::vector<int>& labels, int classes) {
  if (!labels.empty()) return labels;
  std::vector<int> out(static_cast<size_t>(classes > 0 ? classes : 0));
  for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<int>(i);
  return out;
}

Session::Session() = default;
Session::~Session() { trainer_.reset(); }  // before the network and data it refers to

const Network& Session::build(const std::string& description_or_preset, uint64_t seed) {
  auto fresh = std::make_unique<Network>(description_or_preset, rows_, cols_, 1, seed);
  const int classes = fresh->num_classes();
  replace_model(std::move(fresh), labels_or_identity(filter_, classes));
  return *net_;
}

const Network& Session::load(const uint8_t* bytes, size_t size) {
  std::vector<int> labels;
  auto loaded = std::make_unique<Network>(Network::load(bytes, size, &labels));
  // The labels index the model's outputs: a file with another count is refused here rather
  // than read past the end of the list later.
  if (!labels.empty() && labels.size() != static_cast<size_t>(loaded->num_classes())) {
    throw FormatError("the file lists " + std::to_string(labels.size()) +
                      " class labels but the model has " + std::to_string(loaded->num_classes()) +
                      " classes");
  }
  const int classes = loaded->num_classes();
  replace_model(std::move(loaded), labels_or_identity(labels, classes));
  return *net_;
}

void Session::replace_model(std::unique_ptr<Network> net, std::vector<int> labels) {
  trainer_.reset();
  net_ = std::move(net);
  net_->set_threads(threads_);
  class_labels_ = std::move(labels);
  base_steps_ = 0;
  base_epochs_ = 0;
}

std::vector<uint8_t> Session::save() const { return network().save(class_labels_); }

Network& Session::network() const {
  if (!net_) throw StateError("no model: build one first");
  return *net_;
}

int Session::set_threads(int threads) {
  threads_ = threads < 1 ? 1 : threads;
  if (net_) net_->set_threads(threads_);
  return threads_;
}

void Session::set_data(std::shared_ptr<const Dataset> train, std::shared_ptr<const Dataset> test,
                       const std::vector<int>& classes) {
  if (!test) throw StateError("no test data given");
  if (!train) train = std::make_shared<const Dataset>();
  if (!classes.empty()) {
    // Filter both before touching anything: a class missing from either leaves all as it was.
    auto filtered_train = train->count() > 0
                              ? std::make_shared<const Dataset>(filter_classes(*train, classes))
                              : train;
    test = std::make_shared<const Dataset>(filter_classes(*test, classes));
    train = std::move(filtered_train);
  }
  carry_counters();
  train_ = std::move(train);
  test_ = std::move(test);
  filter_ = classes;
  const Dataset& shape = train_->count() > 0 ? *train_ : *test_;
  rows_ = shape.rows;
  cols_ = shape.cols;
  class_labels_ = labels_or_identity(filter_, net_ ? net_->num_classes() : 0);
}

const Dataset& Session::train_split() const {
  if (!train_) throw StateError("no data set loaded");
  return *train_;
}

const Dataset& Session::test_split() const {
  if (!test_) throw StateError("no data set loaded");
  return *test_;
}

const Trainer& Session::set_training(const TrainOptions& options) {
  Network& net = network();
  if (!train_ || train_->count() == 0) throw StateError("no training data: load a data set first");
  carry_counters();
  trainer_ = std::make_unique<Trainer>(net, *train_, options);
  return *trainer_;
}

Trainer& Session::trainer() const {
  if (!trainer_) throw StateError("training is not set up: build a model and load data first");
  return *trainer_;
}

std::vector<float> Session::train_steps(int n) { return trainer().train_steps(n); }

float Session::train_epoch(const std::function<void(const StepProgress&)>& progress) {
  return trainer().train_epoch(progress);
}

int Session::trained_epochs() const { return base_epochs_ + (trainer_ ? trainer_->epoch() : 0); }
int64_t Session::trained_steps() const { return base_steps_ + (trainer_ ? trainer_->step() : 0); }

void Session::carry_counters() {
  if (!trainer_) return;
  base_epochs_ += trainer_->epoch();
  base_steps_ += trainer_->step();
  trainer_.reset();
}

}  // namespace sn
