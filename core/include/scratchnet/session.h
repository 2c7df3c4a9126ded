#pragma once
// A training session: what one training run is, in one object. It owns the model, the train and
// test splits (reduced to a class filter, if any), the original label of each class, the trainer
// and the counters of these weights, and answers evaluation and prediction with the one
// prediction rule (predicted_class in network.h). The `nn` CLI and the wasm bindings are thin
// shells over it; defaults and input ranges are in defaults.h.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "scratchnet/data.h"
#include "scratchnet/defaults.h"
#include "scratchnet/network.h"
#include "scratchnet/trainer.h"

namespace sn {

// The learning rate that works for each optimizer when none is given (kDefaults).
float default_learning_rate(OptimizerKind kind);

// Original label of each class index: `labels` when given, else 0, 1, ..., classes - 1.
std::vector<int> labels_or_identity(const std::vector<int>& labels, int classes);

// Images (n x rows x cols, 0..255) of the given indices; Error names an index out of range.
std::vector<uint8_t> images_at(const Dataset& data, const std::vector<int>& indices);
// Labels of the given indices (the same check).
std::vector<int> labels_at(const Dataset& data, const std::vector<int>& indices);

// Probabilities and predicted classes of some images.
struct Predictions {
  int classes = 0;
  std::vector<float> probabilities;  // n x classes
  std::vector<int> predicted;        // predicted_class of each row
};

// Probabilities of data's images at `indices`, gathered and run in batches of `batch`.
Predictions predict_images(Network& net, const Dataset& data, const std::vector<int>& indices,
                           int batch = kDefaults.eval_batch);

class Session {
 public:
  Session();
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // ---- The model. A call that fails leaves the current model and its training as they were.
  // A preset name or a description, for the data's image size (28x28x1 before any data).
  // New weights: the trained-epoch and step counters start at 0.
  const Network& build(const std::string& description_or_preset, uint64_t seed);
  // A model file's weights and class labels (FormatError when they do not agree).
  const Network& load(const uint8_t* bytes, size_t size);
  std::vector<uint8_t> save() const;  // with the class labels
  bool has_model() const { return net_ != nullptr; }
  Network& network() const;  // StateError without a model

  // Threads for forward/backward; below 1 means 1. Returns the count set.
  int set_threads(int threads);
  int threads() const { return threads_; }

  // ---- The data. `classes`: the labels to keep, in class order (relabelled 0..k-1); empty
  // keeps every image with its own label. train may be empty (evaluation only). Drops the
  // trainer (set_training again); the weights keep their counters.
  void set_data(std::shared_ptr<const Dataset> train, std::shared_ptr<const Dataset> test,
                const std::vector<int>& classes = {});
  bool has_data() const { return test_ != nullptr; }
  const Dataset& train_split() const;  // StateError without data
  const Dataset& test_split() const;
  // Original label of each class index: the class filter, a loaded file's labels, or identity.
  const std::vector<int>& class_labels() const { return class_labels_; }

  // ---- Training. A fresh trainer (optimizer state from zero, data order from epoch 0) for the
  // current weights; the weights' counters carry on from the previous trainer.
  const Trainer& set_training(const TrainOptions& options);
  bool has_trainer() const { return trainer_ != nullptr; }
  Trainer& trainer() const;  // StateError without one
  std::vector<float> train_steps(int n);
  float train_epoch(const std::function<void(const StepProgress&)>& progress = {});
  // Epochs completed and steps taken by these weights over every trainer since build/load.
  int trained_epochs() const;
  int64_t trained_steps() const;

  // ---- Evaluation and prediction (inference mode, no augmentation).
  Evaluation evaluate(bool on_train = false, int batch = kDefaults.eval_batch) const;
  // One image of rows * cols values in [0, 1] (Error for another size).
  Predictions predict(const float* image, size_t values) const;
  Predictions predict_test(const std::vector<int>& indices) const;
  // Every layer's output for one image.
  std::vector<Activation> activations(const float* image, size_t values) const;
  std::vector<uint8_t> test_images(const std::vector<int>& indices) const;
  std::vector<int> test_classes() const;  // class index of every test image

 private:
  void check_image(size_t values) const;
  void carry_counters();
  void replace_model(std::unique_ptr<Network> net, std::vector<int> labels);

  std::unique_ptr<Network> net_;
  std::shared_ptr<const Dataset> train_, test_;
  std::vector<int> filter_;  // the classes given to set_data (empty: all)
  std::vector<int> class_labels_;
  std::unique_ptr<Trainer> trainer_;  // refers to *net_ and *train_: reset before either goes
  int64_t base_steps_ = 0;            // of earlier trainers for these weights
  int base_epochs_ = 0;
  int rows_ = 28, cols_ = 28;
  int threads_ = 1;
};

}  // namespace sn
