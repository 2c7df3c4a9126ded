// Trainer: batches from the sampler, one optimizer step per batch, divergence checks that leave
// the last good weights in place. Evaluation is in session/evaluate.cpp.
#include "scratchnet/trainer.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <utility>

#include "layers/layer.h"
#include "model/compatible.h"
#include "optim/optimizer.h"
#include "scratchnet/error.h"

namespace sn {

namespace {

// Each optimizer's name, once: parse_optimizer and optimizer_name both read it.
constexpr std::pair<OptimizerKind, const char*> kOptimizerNames[] = {
    {OptimizerKind::SGD, "sgd"},
    {OptimizerKind::Momentum, "momentum"},
    {OptimizerKind::Adam, "adam"},
    {OptimizerKind::AdamW, "adamw"}};

}  // namespace

OptimizerKind parse_optimizer(const std::string& name) {
  for (const auto& [kind, text] : kOptimizerNames) {
    if (name == text) return kind;
  }
  throw Error("unknown optimizer '" + name + "' (expected sgd, momentum, adam or adamw)");
}

const char* optimizer_name(OptimizerKind kind) {
  for (const auto& [k, text] : kOptimizerNames) {
    if (k == kind) return text;
  }
  return "adam";
}

void check_compatible(const Network& net, const Dataset& data, const char* what) {
  const auto in = net.input_shape();
  if (in[0] != data.rows || in[1] != data.cols || in[2] != 1) {
    throw Error(std::string("the model expects ") + std::to_string(in[0]) + "x" +
                std::to_string(in[1]) + "x" + std::to_string(in[2]) + " inputs; the " + what +
                " images are " + std::to_string(data.rows) + "x" + std::to_string(data.cols) +
                "x1");
  }
  if (data.num_classes() > net.num_classes()) {
    throw Error(std::string("the ") + what + " data has " + std::to_string(data.num_classes()) +
                " classes; the model outputs " + std::to_string(net.num_classes()));
  }
}

namespace {

std::string format_lr(float lr) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", double(lr));
  return text;
}

}  // namespace

struct Trainer::Impl {
  Network& net;
  const Dataset& train;
  TrainOptions options;
  BatchSampler sampler;
  std::vector<float> images;
  std::vector<uint8_t> labels;
  std::unique_ptr<Optimizer> optimizer;
  int64_t step = 0;
  int64_t correct = 0, seen = 0;  // this epoch

  Impl(Network& n, const Dataset& t, const TrainOptions& o)
      : net(n), train(t), options(o), sampler(t.count(), o.batch_size, o.seed) {}

  int batches_per_epoch() const {
    return static_cast<int>((int64_t(train.count()) + options.batch_size - 1) / options.batch_size);
  }

  // Gathers (and augments) the batch in chunks of kGatherChunk samples spread over the
  // network's threads. Each chunk draws its distortions from its own generator, seeded from
  // (seed, step, chunk): the images are the same whatever the thread count.
  void gather(const int* indices, int n) {
    constexpr int kGatherChunk = 16;
    const int chunks = (n + kGatherChunk - 1) / kGatherChunk;
    const size_t pixels = static_cast<size_t>(train.rows) * train.cols;
    const uint64_t step_seed =
        options.seed * 0x9E3779B97F4A7C15ull + uint64_t(step) * 0xD1B54A32D192ED03ull;
    auto one = [&](int chunk) {
      const int first = chunk * kGatherChunk, count = std::min(kGatherChunk, n - first);
      std::mt19937_64 rng(step_seed ^ (uint64_t(chunk) * 0x94D049BB133111EBull));
      gather_batch(train, indices + first, count, images.data() + first * pixels,
                   labels.data() + first, options.augment, rng);
    };
    // Even without augmentation (a copy and a scale) this pays: serial, it was ~5% of a wasm mlp
    // step that the other thread spent waiting.
    parallel_for(net.thread_pool(), chunks, one);
  }

  float run_step() {
    if (step % batches_per_epoch() == 0) {
      correct = 0;
      seen = 0;
    }
    const std::vector<int>& batch = sampler.next();
    const int n = static_cast<int>(batch.size());
    gather(batch.data(), n);
    const float loss =
        net.forward_backward(images.data(), labels.data(), n, options.label_smoothing);
    const int64_t this_step = step + 1;
    const float lr =
        scheduled_lr(options.schedule, options.learning_rate, step, batches_per_epoch());
    if (!std::isfinite(loss)) {
      throw DivergenceError(std::string("loss became ") + (std::isnan(loss) ? "NaN" : "infinite") +
                            " at step " + std::to_string(this_step) +
                            "; lower the learning rate (now " + format_lr(lr) + ")");
    }
    // A step that would make a weight non-finite is undone by the optimizer itself, so the
    // caller keeps the last good model.
    if (!optimizer->step(lr, net.thread_pool())) {
      throw DivergenceError("weights became infinite at step " + std::to_string(this_step) +
                            "; lower the learning rate (now " + format_lr(lr) + ")");
    }
    step = this_step;
    correct += net.last_batch_correct();
    seen += n;
    return loss;
  }
};

Trainer::Trainer(Network& net, const Dataset& train, const TrainOptions& options) {
  const int max_batch = static_cast<int>(kLimits.batch_size.max);
  if (options.batch_size < 1 || options.batch_size > max_batch) {
    throw Error("batch size must be 1.." + std::to_string(max_batch) + ", got " +
                std::to_string(options.batch_size));
  }
  if (!(options.learning_rate > 0.0f) || !std::isfinite(options.learning_rate)) {
    throw Error("learning rate must be a positive number, got " + format_lr(options.learning_rate));
  }
  if (!(options.weight_decay >= 0.0f) || !std::isfinite(options.weight_decay)) {
    throw Error("weight decay must be >= 0, got " + format_lr(options.weight_decay));
  }
  check_schedule(options.schedule);
  if (!(options.beta1 >= 0.0 && options.beta1 < 1.0 && options.beta2 >= 0.0 &&
        options.beta2 < 1.0)) {
    throw Error("adam betas must be in [0, 1)");
  }
  if (!(options.label_smoothing >= 0.0f && options.label_smoothing < 1.0f)) {
    throw Error("label smoothing must be in [0, 1), got " + format_lr(options.label_smoothing));
  }
  if (options.label_smoothing > 0.0f && net.loss() != LossKind::CrossEntropy) {
    throw Error("label smoothing needs the xent loss (a softmax output)");
  }
  if (train.count() == 0) throw Error("the training set is empty");
  check_compatible(net, train, "training");
  impl_ = std::make_unique<Impl>(net, train, options);
  Impl& m = *impl_;
  const int batch = std::min(options.batch_size, train.count());
  m.images.resize(static_cast<size_t>(batch) * train.rows * train.cols);
  m.labels.resize(batch);
  const std::vector<float*> values = net.parameter_data();
  const std::vector<size_t> sizes = net.parameter_sizes();
  std::vector<float*> grads = net.gradient_data();
  std::vector<ParamSlot> slots;
  const auto views = net.parameters();
  for (size_t i = 0; i < values.size(); ++i) {
    slots.push_back(ParamSlot{values[i], grads[i], sizes[i], views[i].name == "weight"});
  }
  m.optimizer = make_optimizer(options, slots);
}

Trainer::~Trainer() = default;

std::vector<float> Trainer::train_steps(int n) {
  std::vector<float> losses;
  losses.reserve(std::max(n, 0));
  for (int i = 0; i < n; ++i) losses.push_back(impl_->run_step());
  return losses;
}

float Trainer::train_epoch(const std::function<void(const StepProgress&)>& progress) {
  Impl& m = *impl_;
  const int per_epoch = m.batches_per_epoch();
  const int remaining = per_epoch - static_cast<int>(m.step % per_epoch);
  double sum = 0.0;
  for (int i = 0; i < remaining; ++i) {
    const int epoch = static_cast<int>(m.step / per_epoch);
    const float loss = m.run_step();
    sum += loss;
    if (progress) {
      const int done = static_cast<int>((m.step - 1) % per_epoch) + 1;
      progress(StepProgress{epoch, done, per_epoch, loss, running_accuracy()});
    }
  }
  return static_cast<float>(sum / remaining);
}

void Trainer::set_learning_rate(float lr) {
  if (!(lr > 0.0f) || !std::isfinite(lr)) {
    throw Error("learning rate must be a positive number, got " + format_lr(lr));
  }
  impl_->options.learning_rate = lr;
}

float Trainer::current_learning_rate() const {
  return scheduled_lr(impl_->options.schedule, impl_->options.learning_rate, impl_->step,
                      impl_->batches_per_epoch());
}

const TrainOptions& Trainer::options() const { return impl_->options; }
int64_t Trainer::step() const { return impl_->step; }
int Trainer::epoch() const { return static_cast<int>(impl_->step / impl_->batches_per_epoch()); }
int Trainer::batch_in_epoch() const {
  return static_cast<int>(impl_->step % impl_->batches_per_epoch());
}
int Trainer::batches_per_epoch() const { return impl_->batches_per_epoch(); }
double Trainer::running_accuracy() const {
  return impl_->seen ? double(impl_->correct) / double(impl_->seen) : 0.0;
}

}  // namespace sn
