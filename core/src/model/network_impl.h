#pragma once
// Network's insides, shared by network.cpp (planning, forward and backward, views) and
// network_file.cpp (the model file round trip).
#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "layers/layer.h"
#include "losses/binary_cross_entropy.h"
#include "losses/cross_entropy.h"
#include "losses/mse.h"
#include "scratchnet/error.h"
#include "scratchnet/network.h"
#include "scratchnet/parallel.h"
#include "scratchnet/tensor.h"

namespace sn {

struct Network::Impl {
  std::string description;
  ModelSpec spec;
  Dims input;
  std::vector<std::unique_ptr<Layer>> layers;
  std::vector<Param> params;       // in model-file order: layer by layer, weight then bias
  std::vector<StateTensor> state;  // after the parameters in the file: layer by layer
  // The loss absorbs the last layer's backward: softmax + xent and sigmoid + bce are computed
  // from the logits as one numerically stable step.
  bool fused = false;
  int outputs = 0;

  std::vector<Tensor> acts;  // acts[i]: output of layer i, (n, out dims)
  Tensor grad_a, grad_b;     // ping-pong gradients of activations during backward
  int reserved = 0;          // batch size acts fit (layers size their own scratch: training
                             // scratch in the first training forward, inference per chunk)
  int grads_reserved = 0;
  int last_n = 0, last_correct = 0;

  int threads = 1;
  std::unique_ptr<ThreadPool> pool;

  void plan(const std::string& description_or_preset, Dims in, uint64_t seed);
  std::vector<int64_t> planned_sizes() const;
  // Each layer's row of the summary and the totals, from the planned shapes (so also before
  // allocate()).
  std::vector<LayerInfo> layer_infos() const;
  NetworkPlan totals() const;
  void allocate();
  void init(uint64_t seed);

  RunContext context(bool training) const { return RunContext{pool.get(), training}; }

  void reserve(int n) {
    if (n <= reserved) return;
    for (size_t i = 0; i < layers.size(); ++i) {
      const Dims d = layers[i]->output_dims();
      acts[i].resize(Shape{n, d.h, d.w, d.c});
    }
    reserved = n;
  }

  // Every thread clears its share of every gradient: a serial memset of them all was ~1% of a
  // wasm mlp step, time the second thread spent waiting.
  void zero_gradients() {
    const int tasks = pool ? pool->size() : 1;
    parallel_for(pool.get(), tasks, [&](int task) {
      for (const Param& p : params) {
        const int64_t size = p.grad->size();
        float* g = p.grad->data();
        std::fill(g + size * task / tasks, g + size * (task + 1) / tasks, 0.0f);
      }
    });
  }

  void reserve_grads(int n) {
    if (n <= grads_reserved) return;
    int64_t largest = input.size();
    for (const auto& l : layers) largest = std::max(largest, l->output_dims().size());
    grad_a.resize(Shape{n, 1, 1, static_cast<int>(largest)});
    grad_b.resize(Shape{n, 1, 1, static_cast<int>(largest)});
    grads_reserved = n;
  }

  const float* input_of(size_t i, const float* images) const {
    return i == 0 ? images : acts[i - 1].data();
  }

  void forward(const float* images, int n, bool training) {
    if (n < 1) throw Error("a batch needs at least 1 sample, got " + std::to_string(n));
    reserve(n);
    const RunContext ctx = context(training);
    for (size_t i = 0; i < layers.size(); ++i) {
      const Dims d = layers[i]->output_dims();
      acts[i].resize(Shape{n, d.h, d.w, d.c});
      layers[i]->forward(input_of(i, images), acts[i].data(), n, ctx);
    }
  }

  const float* output() const { return acts.back().data(); }

  // Mean loss of the last forward; writes dL/d(input of the first layer backward starts from)
  // into d when d is not null.
  float loss(const float* images, const uint8_t* labels, int n, float* d,
             float smoothing = 0.0f) const {
    if (fused) {
      const float* logits = input_of(layers.size() - 1, images);
      if (spec.loss == LossKind::CrossEntropy) {
        return softmax_cross_entropy(logits, labels, n, outputs, d, smoothing);
      }
      return bce_with_logits(logits, labels, n, d);
    }
    return mse_loss(output(), labels, n, outputs, d);
  }

  int predicted(int s) const {
    const float* y = output() + int64_t(s) * outputs;
    if (outputs == 1) {
      const float two[2] = {1.0f - y[0], y[0]};  // as write_probabilities reports them
      return predicted_class(two, 2);
    }
    return predicted_class(y, outputs);
  }

  void count_correct(const uint8_t* labels, int n) {
    last_n = n;
    last_correct = 0;
    for (int s = 0; s < n; ++s) last_correct += predicted(s) == labels[s] ? 1 : 0;
  }

  void write_probabilities(int n, float* out) const {
    const float* y = output();
    if (outputs == 1) {
      for (int s = 0; s < n; ++s) {
        out[2 * s] = 1.0f - y[s];
        out[2 * s + 1] = y[s];
      }
    } else {
      std::memcpy(out, y, int64_t(n) * outputs * sizeof(float));
    }
  }
};

}  // namespace sn
