#pragma once
// A model built from a description: its layers, parameters and loss, with forward/backward
// over whole mini-batches. Tensors are NHWC (see tensor.h). This is the engine's public face:
// the CLI, the bindings and the tests all go through Network and Trainer.
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "scratchnet/description.h"

namespace sn {

class ThreadPool;

struct LayerInfo {
  int segment;                      // 1-based segment in the description
  std::string text;                 // "conv 8 5x5 relu" (segment text)
  std::string kind;                 // "conv", "relu", ...
  std::array<int, 3> output_shape;  // h, w, c of one sample
  int64_t params;
  int64_t flops;  // forward multiply-adds x2 per sample
};

// One layer's output for a single input, for drawing feature maps / activations.
struct Activation {
  int segment;
  std::string kind;
  int h, w, c;
  std::vector<float> values;  // h * w * c, NHWC
};

// One parameter tensor, for drawing filters. Conv weights have shape (KH, KW, Cin, Cout).
struct ParameterView {
  int segment;
  std::string kind;  // "conv", "dense"
  std::string name;  // "weight" or "bias"
  std::vector<int> shape;
  std::vector<float> values;
};

// What summarize() reports besides the layers: the totals and output of the planned model.
struct NetworkPlan {
  std::string description;  // canonical
  int64_t params = 0;
  int64_t flops = 0;  // forward only, per sample
  LossKind loss = LossKind::CrossEntropy;
  int num_classes = 0;  // 2 for a 1-unit sigmoid (binary) output
  int num_outputs = 0;
};

class Network {
 public:
  // description_or_preset: a preset name or a description. Throws DescriptionError naming the
  // layer when shapes do not fit the input (h, w, c). Weights: He/Glorot from seed.
  Network(const std::string& description_or_preset, int input_h, int input_w, int input_c,
          uint64_t seed);
  ~Network();
  Network(Network&&) noexcept;
  Network& operator=(Network&&) noexcept;

  const std::string& description() const;  // canonical
  const ModelSpec& spec() const;
  std::array<int, 3> input_shape() const;
  std::vector<LayerInfo> summary() const;
  // The summary() a Network(description_or_preset, input_h, input_w, input_c, seed) would have,
  // without building it: parsed, shape-checked and checked against the memory limit, but no
  // parameter or activation memory is allocated (for validating text as it is typed). Throws
  // the same DescriptionError / LimitError as the constructor. plan (optional) receives the
  // totals, loss and class count.
  static std::vector<LayerInfo> summarize(const std::string& description_or_preset, int input_h,
                                          int input_w, int input_c, NetworkPlan* plan = nullptr);
  NetworkPlan plan() const;  // the totals, loss and class count summarize() reports
  int64_t param_count() const;
  int64_t flops_per_sample() const;  // forward only
  LossKind loss() const;
  int num_classes() const;  // 2 for a 1-unit sigmoid (binary) output
  int num_outputs() const;  // width of the last layer

  // Threads used by forward/backward (1 = none). Results are bit-identical for ANY thread count
  // (and timing): gemm never splits its sum dimension, Conv2D cuts the batch into chunks sized
  // from its shape (not the thread count) and sums their weight-gradient partials in chunk
  // order, and everything else is per sample or element-wise. Initial weights are identical in
  // the native and wasm builds (exact arithmetic on std::mt19937_64's raw output).
  void set_threads(int threads);
  int threads() const;
  // The network's pool (null with 1 thread), for work around it such as batch gathering. Valid
  // until the next set_threads.
  ThreadPool* thread_pool() const;

  // Forward only, inference mode (dropout off). images: (n, h, w, c) floats.
  // probabilities_out: n * num_classes() values (a binary output p becomes {1-p, p}). For a
  // softmax or sigmoid output these are probabilities; for an MSE model with another output
  // (e.g. tanh) they are the raw outputs, and the predicted class is still the largest.
  void predict(const float* images, int n, float* probabilities_out);

  // Losses: xent needs a softmax output and bce a 1-unit sigmoid output (both computed from the
  // logits, fused with that activation's derivative); mse compares with one-hot targets (or the
  // label itself for 1 output). Labels out of range throw Error.
  // Forward + loss + backward in training mode. Parameter gradients are overwritten (not
  // accumulated across calls). Returns the mean loss over the batch; labels are class indices.
  // label_smoothing (xent only, 0 <= s < 1): see losses/cross_entropy.h.
  float forward_backward(const float* images, const uint8_t* labels, int n,
                         float label_smoothing = 0.0f);
  // Mean loss and predictions without gradients (inference mode).
  float loss_and_predict(const float* images, const uint8_t* labels, int n,
                         float* probabilities_out);
  // Correct predictions (predicted_class() of each sample's probabilities) in the batch of the last
  // forward_backward / loss_and_predict call: what the trainer's running accuracy counts.
  int last_batch_correct() const;
  // The predicted class of sample i of the last forward pass (same rule).
  int last_prediction(int i) const;

  // Parameters and their gradients, in a fixed order (the model file's tensor order).
  std::vector<float*> parameter_data();
  std::vector<float*> gradient_data();
  std::vector<size_t> parameter_sizes() const;

  std::vector<ParameterView> parameters() const;
  // Tensors kept beside the parameters and not trained, in model-file order: BatchNorm's
  // "running_mean" and "running_var" (one value per channel), for exporters and viewers.
  std::vector<ParameterView> state() const;
  std::vector<Activation> activations(const float* image);  // one input, every layer's output

  // Model file bytes (model_file.h). class_labels maps output classes to original labels.
  std::vector<uint8_t> save(const std::vector<int>& class_labels = {}) const;
  // Throws FormatError; on failure nothing that exists is touched (it is a new object).
  static Network load(const uint8_t* bytes, size_t size, std::vector<int>* class_labels = nullptr);

 private:
  struct Impl;
  explicit Network(std::unique_ptr<Impl> impl);  // load(): planned, checked, then allocated
  std::unique_ptr<Impl> impl_;
};

// The prediction rule, written once: the class with the largest probability, ties going to the
// lower class index. For a 1-unit sigmoid output, whose probabilities are {1 - p, p}, that is
// class 1 only when p > 0.5; at exactly 0.5 the model has no preference and class 0 is reported.
// Network, evaluation, the CLI and the page (through the bindings) all use it.
int predicted_class(const float* probabilities, int classes);

}  // namespace sn
