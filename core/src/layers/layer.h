#pragma once
// The layer interface: every layer works on a whole mini-batch of NHWC samples.
//   forward:  in (n, in.h, in.w, in.c)  ->  out (n, out.h, out.w, out.c)
//   backward: same arguments plus dout (like out) -> din (like in); parameter gradients are
//             ACCUMULATED (+=) — the network zeroes them explicitly before each backward pass —
//             while din is overwritten. din may be null when nobody needs it (first layer).
// Layers own their parameters, gradients and scratch (im2col columns, argmax, dropout mask);
// reserve(n) grows scratch once for batch n so the training loop never allocates.
#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "scratchnet/description.h"
#include "scratchnet/parallel.h"
#include "scratchnet/tensor.h"

namespace sn {

// Shape of one sample.
struct Dims {
  int h = 1, w = 1, c = 1;
  int64_t size() const { return int64_t(h) * w * c; }
  bool operator==(const Dims&) const = default;
};

struct RunContext {
  ThreadPool* pool = nullptr;  // null = run on the caller only
  bool training = false;       // dropout on, scratch kept for backward
};

// A parameter tensor and its gradient (same size), owned by the layer.
struct Param {
  const char* name;        // "weight" | "bias" (BatchNorm: "gamma" | "beta")
  std::vector<int> shape;  // dense (in, out); conv (KH, KW, Cin, Cout); bias (out)
  Tensor* value;
  Tensor* grad;
  bool decay;  // L2 weight decay applies (weights yes, biases no)
};

// A tensor the layer keeps besides its parameters, saved in the model file but not trained
// (BatchNorm's running mean and variance).
struct StateTensor {
  const char* name;  // "running_mean" | "running_var"
  Tensor* value;
};

class Layer {
 public:
  Layer(const LayerSpec& spec, Dims in) : spec_(spec), in_(in), out_(in) {}
  virtual ~Layer() = default;
  Layer(const Layer&) = delete;
  Layer& operator=(const Layer&) = delete;

  virtual const char* kind() const = 0;  // "dense", "conv", "relu", ...
  const LayerSpec& spec() const { return spec_; }
  Dims input_dims() const { return in_; }
  Dims output_dims() const { return out_; }

  virtual void reserve(int /*batch*/) {}
  virtual void forward(const float* in, float* out, int n, const RunContext& ctx) = 0;
  virtual void backward(const float* in, const float* out, const float* dout, float* din, int n,
                        const RunContext& ctx) = 0;

  // Parameters are allocated by allocate(), after the network checked its memory limit.
  virtual int64_t param_count() const { return 0; }
  virtual void allocate() {}
  virtual std::vector<Param> params() { return {}; }
  virtual std::vector<StateTensor> state() { return {}; }
  // Draws initial weights. relu_follows selects He (variance 2/fan_in) over Glorot.
  virtual void init(std::mt19937_64& /*rng*/, bool /*relu_follows*/) {}
  virtual int64_t flops() const { return 0; }           // forward multiply-adds x2, per sample
  virtual int64_t scratch_floats() const { return 0; }  // per sample, for the memory limit

 protected:
  // "layer 3 'conv 16 5x5': <what>" as a DescriptionError.
  [[noreturn]] void fail(const std::string& what) const;

  LayerSpec spec_;
  Dims in_, out_;
};

// Builds the layer a spec describes for inputs of shape `in`; throws DescriptionError naming
// the layer when the shape does not fit.
std::unique_ptr<Layer> make_layer(const LayerSpec& spec, Dims in, uint64_t seed);

// Runs fn(task) for task in [0, tasks) on the pool, or inline without touching std::function
// (and so without any allocation) when there is no pool or only one task.
template <class F>
void parallel_for(ThreadPool* pool, int tasks, F&& fn) {
  if (pool == nullptr || pool->size() <= 1 || tasks <= 1) {
    for (int t = 0; t < tasks; ++t) fn(t);
    return;
  }
  // std::ref keeps the std::function in its small buffer: no allocation per call.
  pool->run(tasks, std::function<void(int)>(std::ref(fn)));
}

// Runs fn(begin, end) over [0, count) in contiguous pieces, on the pool when the work is large
// enough to pay for handing it out. For element-wise work: any split gives the same bits.
template <class F>
void parallel_ranges(ThreadPool* pool, int64_t count, F&& fn) {
  constexpr int64_t kMinPerTask = 32 * 1024;
  const int threads = pool ? pool->size() : 1;
  const int tasks = static_cast<int>(std::min<int64_t>(threads, count / kMinPerTask));
  if (tasks <= 1) {
    fn(int64_t(0), count);
    return;
  }
  parallel_for(pool, tasks,
               [&](int task) { fn(count * task / tasks, count * (task + 1) / tasks); });
}

// Splits [0, count) into `parts` contiguous ranges; range `part` is [begin, end).
inline void split_range(int count, int parts, int part, int& begin, int& end) {
  begin = static_cast<int>(int64_t(count) * part / parts);
  end = static_cast<int>(int64_t(count) * (part + 1) / parts);
}

}  // namespace sn
