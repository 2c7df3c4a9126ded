// Network: the layers a description names, their activations and gradients for a batch, and
// the loss at the end. The model file round trip is in network_file.cpp.
#include "model/memory_limit.h"
#include "model/network_impl.h"

namespace sn {

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
        fail_layer(last.spec(),
                   "loss bce needs a single sigmoid output unit, e.g. 'dense 1 sigmoid'");
      }
      fused = true;
      break;
    case LossKind::MSE:
      break;
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

std::vector<LayerInfo> Network::Impl::layer_infos() const {
  std::vector<LayerInfo> out;
  for (const auto& layer : layers) {
    int64_t params = 0;  // from the planned shapes: nothing needs to be allocated
    for (const Param& p : layer->params()) {
      int64_t size = 1;
      for (int d : p.shape) size *= d;
      params += size;
    }
    const Dims d = layer->output_dims();
    out.push_back(LayerInfo{layer->spec().segment,
                            layer->spec().text,
                            layer->kind(),
                            {d.h, d.w, d.c},
                            params,
                            layer->flops()});
  }
  return out;
}

NetworkPlan Network::Impl::totals() const {
  NetworkPlan plan;
  plan.description = description;
  for (const LayerInfo& info : layer_infos()) {
    plan.params += info.params;
    plan.flops += info.flops;
  }
  plan.loss = spec.loss;
  plan.num_outputs = outputs;
  plan.num_classes = outputs == 1 ? 2 : outputs;
  return plan;
}

std::vector<LayerInfo> Network::summary() const { return impl_->layer_infos(); }
NetworkPlan Network::plan() const { return impl_->totals(); }

std::vector<LayerInfo> Network::summarize(const std::string& description_or_preset, int input_h,
                                          int input_w, int input_c, NetworkPlan* plan) {
  Impl impl;
  impl.plan(description_or_preset, Dims{input_h, input_w, input_c}, 1);
  if (plan) *plan = impl.totals();
  return impl.layer_infos();
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
  // The old pool's threads end before the new pool's start: at most threads - 1 run at once
  // (the wasm page's pthread pool holds just that many workers).
  impl_->pool.reset();
  if (threads > 1) impl_->pool = std::make_unique<ThreadPool>(threads);
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

namespace {

ParameterView view(const Layer& layer, const char* name, std::vector<int> shape, const Tensor& t) {
  return ParameterView{layer.spec().segment, layer.kind(), name, std::move(shape),
                       std::vector<float>(t.data(), t.data() + t.size())};
}

}  // namespace

std::vector<ParameterView> Network::parameters() const {
  std::vector<ParameterView> out;
  for (const auto& layer : impl_->layers) {
    for (const Param& p : layer->params()) out.push_back(view(*layer, p.name, p.shape, *p.value));
  }
  return out;
}

std::vector<ParameterView> Network::state() const {
  std::vector<ParameterView> out;
  for (const auto& layer : impl_->layers) {
    for (const StateTensor& t : layer->state()) {
      out.push_back(view(*layer, t.name, {static_cast<int>(t.value->size())}, *t.value));
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

}  // namespace sn
