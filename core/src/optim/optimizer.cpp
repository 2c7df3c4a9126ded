#include "optim/optimizer.h"

#include <algorithm>

#include "optim/adam.h"
#include "optim/momentum.h"
#include "optim/sgd.h"

namespace sn {

Optimizer::Optimizer(const std::vector<ParamSlot>& params, int state_per_value, float weight_decay)
    : weight_decay_(weight_decay), params_(params), state_per_value_(state_per_value) {
  size_t total = 0;
  for (const ParamSlot& p : params_) {
    offsets_.push_back(total);
    total += p.size * state_per_value_;
  }
  state_.assign(total, 0.0f);
}

void Optimizer::step(float lr) {
  ++steps_;
  for (size_t i = 0; i < params_.size(); ++i) {
    const ParamSlot& p = params_[i];
    update(p.value, p.grad, p.size, p.decay, state_.data() + offsets_[i], lr);
  }
}

void Optimizer::snapshot(OptimizerSnapshot& out) const {
  out.state.resize(state_.size());  // allocates on the first snapshot only
  std::copy(state_.begin(), state_.end(), out.state.begin());
  out.steps = steps_;
}

void Optimizer::restore(const OptimizerSnapshot& in) {
  std::copy(in.state.begin(), in.state.end(), state_.begin());
  steps_ = in.steps;
}

std::unique_ptr<Optimizer> make_optimizer(const TrainOptions& options,
                                          const std::vector<ParamSlot>& params) {
  switch (options.optimizer) {
    case OptimizerKind::SGD: return std::make_unique<Sgd>(params, options.weight_decay);
    case OptimizerKind::Momentum:
      return std::make_unique<Momentum>(params, options.momentum, options.weight_decay);
    case OptimizerKind::Adam: return std::make_unique<Adam>(params, options.weight_decay);
  }
  return nullptr;
}

}  // namespace sn
