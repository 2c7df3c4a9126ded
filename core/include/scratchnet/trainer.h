#pragma once
// Training a Network on a Dataset: sampling, augmentation, optimisation, divergence checks,
// and evaluation. Buffers are allocated for the first batch and reused after.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "scratchnet/data.h"
#include "scratchnet/defaults.h"
#include "scratchnet/network.h"
#include "scratchnet/schedule.h"

namespace sn {

enum class OptimizerKind { SGD, Momentum, Adam, AdamW };
// "sgd", "momentum", "adam", "adamw"; throws Error
OptimizerKind parse_optimizer(const std::string& name);
const char* optimizer_name(OptimizerKind kind);

struct TrainOptions {
  OptimizerKind optimizer = OptimizerKind::Adam;
  float learning_rate = kDefaults.learning_rate;  // the base rate; the schedule scales it per batch
  Schedule schedule;                              // constant by default
  float momentum = kDefaults.momentum;            // SGD with momentum
  float weight_decay = kDefaults.weight_decay;    // weights only (not biases, BatchNorm): L2 added
                                                  // to the gradient (sgd, momentum, adam);
                                                  // decoupled, w -= lr * decay * w (adamw)
  double beta1 = 0.9, beta2 = 0.999;              // adam, adamw: moment decay rates
  float label_smoothing = 0.0f;  // xent only: targets (1 - s) one-hot + s / classes, 0 <= s < 1
  int batch_size = kDefaults.batch_size;
  uint64_t seed = kDefaults.seed;  // data order and augmentation
  AugmentOptions augment;
};

struct Evaluation {
  double loss = 0;
  double accuracy = 0;  // 0..1
  int count = 0;
  int classes = 0;
  std::vector<int> confusion;  // classes x classes, row = true class, column = predicted
  std::vector<int> predicted;  // predicted class of every image, in data order
};

struct StepProgress {
  int epoch;           // 0-based
  int batch_in_epoch;  // batches done in this epoch
  int batches_per_epoch;
  float loss;               // this batch's loss
  double running_accuracy;  // on training batches of this epoch so far
};

class Trainer {
 public:
  // Keeps references to net and train: both must outlive the trainer.
  Trainer(Network& net, const Dataset& train, const TrainOptions& options);
  ~Trainer();

  // Runs up to n mini-batches and returns their losses. A NaN/Inf loss throws DivergenceError
  // ("loss became NaN at step 412; lower the learning rate (now 10)", steps counted from 1)
  // with the weights (and optimizer state) those before that step; an update that would leave
  // a weight infinite is undone the same way ("weights became infinite at step ...").
  // Nothing is allocated after the first batch.
  std::vector<float> train_steps(int n);
  // Runs to the end of the current epoch; calls progress after every batch. Returns mean loss.
  float train_epoch(const std::function<void(const StepProgress&)>& progress = {});

  // Sets the base learning rate (the schedule keeps scaling it).
  void set_learning_rate(float lr);
  // The rate the next batch uses: the base rate scaled by the schedule at step().
  float current_learning_rate() const;
  const TrainOptions& options() const;
  int64_t step() const;  // batches done in total
  int epoch() const;     // completed epochs
  int batch_in_epoch() const;
  int batches_per_epoch() const;
  double running_accuracy() const;  // this epoch's training accuracy so far

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Loss, accuracy, confusion matrix and every image's predicted class (predicted_class()) over a
// whole data set, in batches (the last one shorter). Defined in session/evaluate.cpp.
Evaluation evaluate(Network& net, const Dataset& data, int batch_size = kDefaults.eval_batch);

}  // namespace sn
