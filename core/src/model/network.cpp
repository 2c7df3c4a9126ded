// Network: the layers a description names, their activations and gradients for a batch, the
// loss at the end, and the model file round trip.
#include "scratchnet/network.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "layers/layer.h"
#include "losses/binary_cross_entropy.h"
#include "losses/cross_entropy.h"
#include "losses/mse.h"
#include "model/memory_limit.h"
#include "scratchnet/error.h"
#include "scratchnet/model_file.h"
#include "scratchnet/parallel.h"
#include "scratchnet/tensor.h"

namespace sn {

struct Network::Impl {
  std::string description;
  ModelSpec spec;
  Dims input;
  std::vector<std::unique_ptr<Layer>> layers;
  std::vector<Param> params;  // in model-file order: layer by layer, weight then bias
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

namespace {

[[noreturn]] void fail_layer(const LayerSpec& spec, const std::string& what) {
  throw DescriptionError("layer " + std::to_string(spec.segment) + " '" + spec.text + "': " + what);
}

}  // namespace

// Everything that needs no parameter memory: input and description checked, layers built (shape
// inference only), memory limit and loss checked. Model files are checked against this before
// anything large is allocated.
void Network::Impl::plan(const std::string& description_or_preset, Dims in, uint64_t seed) {
  constexpr int kMaxSide = 4096;
  if (in.h < 1 || in.w < 1 || in.c < 1 || in.h > kMaxSide || in.w > kMaxSide || in.c > kMaxSide) {
    throw DescriptionError("input shape " + std::to_string(in.h) + "x" + std::to_string(in.w) +
                           "x" + std::to_string(in.c) + " is not valid (each side 1.." +
                           std::to_string(kMaxSide) + ")");
  }
  spec = parse_description(resolve_preset(description_or_preset));
  description = to_description(spec);
  input = in;
  if (spec.layers.empty()) throw DescriptionError("the description has no layers");

  Dims shape = input;
  for (size_t i = 0; i < spec.layers.size(); ++i) {
    const uint64_t layer_seed = seed ^ (0x9E3779B97F4A7C15ull * (i + 1));
    layers.push_back(make_layer(spec.layers[i], shape, layer_seed));
    shape = layers.back()->output_dims();
  }
  check_memory_limit(layers, input);
  outputs = static_cast<int>(shape.size());

  const Layer& last = *layers.back();
  const LayerKind last_kind = last.spec().kind;
  switch (spec.loss) {
    case LossKind::CrossEntropy:
      if (last_kind != LayerKind::Softmax) {
        fail_layer(last.spec(), "loss xent needs a softmax output; end with 'softmax'");
      }
      if (outputs < 2) fail_layer(last.spec(), "loss xent needs at least 2 output classes");
      fused = true;
      break;
    case LossKind::BinaryCrossEntropy:
      if (last_kind != LayerKind::Sigmoid || outputs != 1) {
        fail_layer(last.spec(), "loss bce needs a single sigmoid output unit, e.g. 'dense 1 sigmoid'");
      }
      fused = true;
      break;
    case LossKind::MSE: break;
  }
  if (outputs > 256) {
    fail_layer(last.spec(), "has " + std::to_string(outputs) +
                                " outputs; labels are bytes, so at most 256 classes");
  }
}

// Values per parameter tensor, in model-file order, from the planned layers' shapes (before
// allocate(), params() already knows every shape).
std::vector<int64_t> Network::Impl::planned_sizes() const {
  std::vector<int64_t> out;
  for (const auto& layer : layers) {
    for (const Param& p : layer->params()) {
      int64_t size = 1;
      for (int d : p.shape) size *= d;
      out.push_back(size);
    }
  }
  // State tensors (BatchNorm's running statistics) are one value per channel, like its params.
  for (const auto& layer : layers) {
    if (layer->spec().kind == LayerKind::BatchNorm) {
      out.push_back(layer->input_dims().c);
      out.push_back(layer->input_dims().c);
    }
  }
  return out;
}

void Network::Impl::allocate() {
  for (auto& layer : layers) {
    layer->allocate();
    for (const Param& p : layer->params()) params.push_back(p);
    for (const StateTensor& t : layer->state()) state.push_back(t);
  }
  acts.resize(layers.size());
}

void Network::Impl::init(uint64_t seed) {
  std::mt19937_64 rng(seed);
  for (size_t i = 0; i < layers.size(); ++i) {
    // The next activation decides, looking past layers that only move values around
    // ("conv 8 5x5 | maxpool 2 | relu" is a ReLU layer too).
    size_t next = i + 1;
    while (next < layers.size()) {
      const LayerKind k = layers[next]->spec().kind;
      if (k != LayerKind::MaxPool && k != LayerKind::Dropout && k != LayerKind::Flatten &&
          k != LayerKind::Reshape && k != LayerKind::BatchNorm) {
        break;
      }
      ++next;
    }
    const bool relu_follows = next < layers.size() && layers[next]->spec().kind == LayerKind::ReLU;
    layers[i]->init(rng, relu_follows);
  }
}

Network::Network(const std::string& description_or_preset, int input_h, int input_w, int input_c,
                 uint64_t seed)
    : impl_(std::make_unique<Impl>()) {
  impl_->plan(description_or_preset, Dims{input_h, input_w, input_c}, seed);
  impl_->allocate();
  impl_->init(seed);
}

Network::Network(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Network::~Network() = default;
Network::Network(Network&&) noexcept = default;
Network& Network::operator=(Network&&) noexcept = default;

const std::string& Network::description() const { return impl_->description; }
const ModelSpec& Network::spec() const { return impl_->spec; }
std::array<int, 3> Network::input_shape() const {
  return {impl_->input.h, impl_->input.w, impl_->input.c};
}

std::vector<LayerInfo> Network::summary() const {
  std::vector<LayerInfo> out;
  for (const auto& layer : impl_->layers) {
    int64_t params = 0;
    for (const Param& p : layer->params()) params += p.value->size();
    const Dims d = layer->output_dims();
    out.push_back(LayerInfo{layer->spec().segment, layer->spec().text, layer->kind(),
                            {d.h, d.w, d.c}, params, layer->flops()});
  }
  return out;
}

std::vector<LayerInfo> Network::summarize(const std::string& description_or_preset, int input_h,
                                          int input_w, int input_c, NetworkPlan* plan) {
  Impl impl;
  impl.plan(description_or_preset, Dims{input_h, input_w, input_c}, 1);
  std::vector<LayerInfo> out;
  int64_t total_params = 0, total_flops = 0;
  for (const auto& layer : impl.layers) {
    int64_t params = 0;  // from the planned shapes: nothing is allocated
    for (const Param& p : layer->params()) {
      int64_t size = 1;
      for (int d : p.shape) size *= d;
      params += size;
    }
    const Dims d = layer->output_dims();
    out.push_back(LayerInfo{layer->spec().segment, layer->spec().text, layer->kind(),
                            {d.h, d.w, d.c}, params, layer->flops()});
    total_params += params;
    total_flops += layer->flops();
  }
  if (plan) {
    plan->description = impl.description;
    plan->params = total_params;
    plan->flops = total_flops;
    plan->loss = impl.spec.loss;
    plan->num_outputs = impl.outputs;
    plan->num_classes = impl.outputs == 1 ? 2 : impl.outputs;
  }
  return out;
}

int64_t Network::param_count() const {
  int64_t total = 0;
  for (const Param& p : impl_->params) total += p.value->size();
  return total;
}

int64_t Network::flops_per_sample() const {
  int64_t total = 0;
  for (const auto& layer : impl_->layers) total += layer->flops();
  return total;
}

LossKind Network::loss() const { return impl_->spec.loss; }
int Network::num_classes() const { return impl_->outputs == 1 ? 2 : impl_->outputs; }
int Network::num_outputs() const { return impl_->outputs; }

void Network::set_threads(int threads) {
  threads = std::clamp(threads, 1, 256);
  if (threads == impl_->threads) return;
  impl_->pool = threads > 1 ? std::make_unique<ThreadPool>(threads) : nullptr;
  impl_->threads = threads;
}

int Network::threads() const { return impl_->threads; }
ThreadPool* Network::thread_pool() const { return impl_->pool.get(); }

void Network::predict(const float* images, int n, float* probabilities_out) {
  impl_->forward(images, n, false);
  impl_->write_probabilities(n, probabilities_out);
}

float Network::forward_backward(const float* images, const uint8_t* labels, int n,
                                float label_smoothing) {
  Impl& m = *impl_;
  m.forward(images, n, true);
  m.reserve_grads(n);
  float* d = m.grad_a.data();
  float* other = m.grad_b.data();
  const float loss = m.loss(images, labels, n, d, label_smoothing);
  m.count_correct(labels, n);

  m.zero_gradients();
  const RunContext ctx = m.context(true);
  const int start = static_cast<int>(m.layers.size()) - (m.fused ? 2 : 1);
  for (int i = start; i >= 0; --i) {
    float* din = i > 0 ? other : nullptr;
    m.layers[i]->backward(m.input_of(i, images), m.acts[i].data(), d, din, n, ctx);
    std::swap(d, other);
  }
  return loss;
}

float Network::loss_and_predict(const float* images, const uint8_t* labels, int n,
                                float* probabilities_out) {
  Impl& m = *impl_;
  m.forward(images, n, false);
  const float loss = m.loss(images, labels, n, nullptr);
  m.count_correct(labels, n);
  if (probabilities_out) m.write_probabilities(n, probabilities_out);
  return loss;
}

int Network::last_batch_correct() const { return impl_->last_correct; }

int Network::last_prediction(int i) const {
  if (i < 0 || i >= impl_->last_n) throw Error("no prediction " + std::to_string(i));
  return impl_->predicted(i);
}

std::vector<float*> Network::parameter_data() {
  std::vector<float*> out;
  for (const Param& p : impl_->params) out.push_back(p.value->data());
  return out;
}

std::vector<float*> Network::gradient_data() {
  std::vector<float*> out;
  for (const Param& p : impl_->params) out.push_back(p.grad->data());
  return out;
}

std::vector<size_t> Network::parameter_sizes() const {
  std::vector<size_t> out;
  for (const Param& p : impl_->params) out.push_back(static_cast<size_t>(p.value->size()));
  return out;
}

std::vector<ParameterView> Network::parameters() const {
  std::vector<ParameterView> out;
  for (const auto& layer : impl_->layers) {
    for (const Param& p : layer->params()) {
      const float* v = p.value->data();
      out.push_back(ParameterView{layer->spec().segment, layer->kind(), p.name, p.shape,
                                  std::vector<float>(v, v + p.value->size())});
    }
  }
  return out;
}

std::vector<ParameterView> Network::state() const {
  std::vector<ParameterView> out;
  for (const auto& layer : impl_->layers) {
    for (const StateTensor& t : layer->state()) {
      const float* v = t.value->data();
      out.push_back(ParameterView{layer->spec().segment, layer->kind(), t.name,
                                  {static_cast<int>(t.value->size())},
                                  std::vector<float>(v, v + t.value->size())});
    }
  }
  return out;
}

std::vector<Activation> Network::activations(const float* image) {
  Impl& m = *impl_;
  m.forward(image, 1, false);
  std::vector<Activation> out;
  for (size_t i = 0; i < m.layers.size(); ++i) {
    const Dims d = m.layers[i]->output_dims();
    const float* v = m.acts[i].data();
    out.push_back(Activation{m.layers[i]->spec().segment, m.layers[i]->kind(), d.h, d.w, d.c,
                             std::vector<float>(v, v + d.size())});
  }
  return out;
}

std::vector<uint8_t> Network::save(const std::vector<int>& class_labels) const {
  ModelFile file;
  file.description = impl_->description;
  file.input_h = impl_->input.h;
  file.input_w = impl_->input.w;
  file.input_c = impl_->input.c;
  file.class_labels = class_labels;
  for (const Param& p : impl_->params) {
    const float* v = p.value->data();
    file.tensors.emplace_back(v, v + p.value->size());
  }
  for (const StateTensor& t : impl_->state) {
    const float* v = t.value->data();
    file.tensors.emplace_back(v, v + t.value->size());
  }
  return encode_model_file(file);
}

Network Network::load(const uint8_t* bytes, size_t size, std::vector<int>* class_labels) {
  ModelFile file = decode_model_file(bytes, size);
  // Plan the network and check the file's tensors against it before allocating anything the
  // size of the model: a small file must not be able to claim a huge one. The random initial
  // weights are skipped, every value comes from the file.
  auto impl = std::make_unique<Impl>();
  try {
    impl->plan(file.description, Dims{file.input_h, file.input_w, file.input_c}, 0);
  } catch (const DescriptionError& e) {
    throw FormatError(std::string("model file holds a model that cannot be built: ") + e.what());
  } catch (const LimitError& e) {
    throw FormatError(std::string("model file holds a model that is too large: ") + e.what());
  }
  std::vector<int64_t> sizes = impl->planned_sizes();
  if (file.version < 2) {
    // Version 1 predates state tensors: its descriptions cannot hold a layer that has any.
    for (const auto& layer : impl->layers) {
      if (layer->spec().kind == LayerKind::BatchNorm) {
        throw FormatError("model file version 1 cannot hold a batchnorm layer");
      }
    }
  }
  if (file.tensors.size() != sizes.size()) {
    std::string found;
    for (size_t i = 0; i < file.tensors.size() && i < 8; ++i) {
      found += (i ? ", " : " (") + std::to_string(file.tensors[i].size());
    }
    if (file.tensors.size() > 8) found += ", ...";
    if (!file.tensors.empty()) found += " values)";
    std::string expected;
    for (size_t i = 0; i < sizes.size() && i < 8; ++i) {
      expected += (i ? ", " : " (") + std::to_string(sizes[i]);
    }
    if (sizes.size() > 8) expected += ", ...";
    expected += " values)";
    throw FormatError("model file has " + std::to_string(file.tensors.size()) +
                      " parameter tensors" + found + "; its description '" + file.description +
                      "' needs " + std::to_string(sizes.size()) + expected);
  }
  for (size_t i = 0; i < sizes.size(); ++i) {
    if (static_cast<int64_t>(file.tensors[i].size()) != sizes[i]) {
      throw FormatError("model file tensor " + std::to_string(i + 1) + " has " +
                        std::to_string(file.tensors[i].size()) + " values; the description needs " +
                        std::to_string(sizes[i]));
    }
    for (float v : file.tensors[i]) {
      if (!std::isfinite(v)) {
        throw FormatError("model file tensor " + std::to_string(i + 1) + " holds NaN or infinity");
      }
    }
  }
  impl->allocate();
  for (size_t i = 0; i < impl->params.size(); ++i) {
    std::copy(file.tensors[i].begin(), file.tensors[i].end(), impl->params[i].value->data());
  }
  for (size_t i = 0; i < impl->state.size(); ++i) {
    const std::vector<float>& t = file.tensors[impl->params.size() + i];
    if (std::strcmp(impl->state[i].name, "running_var") == 0 &&
        std::any_of(t.begin(), t.end(), [](float v) { return v < 0.0f; })) {
      throw FormatError("model file tensor " + std::to_string(impl->params.size() + i + 1) +
                        " is a batchnorm variance with a negative value");
    }
    std::copy(t.begin(), t.end(), impl->state[i].value->data());
  }
  if (class_labels) *class_labels = file.class_labels;
  return Network(std::move(impl));
}

}  // namespace sn
