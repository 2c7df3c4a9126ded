#include "optim/optimizer.h"

#include <algorithm>

#include "layers/layer.h"  // parallel_for, split_range
#include "optim/adam.h"
#include "optim/momentum.h"
#include "optim/sgd.h"

namespace sn {

namespace {
// Values per piece of work: large enough to pay for a hand-off, a multiple of 64 so that every
// piece starts equally aligned and vectorised loops peel and tail the same values whatever the
// thread count.
constexpr size_t kPiece = 16 * 1024;
// As parallel_ranges: less than this per thread does not pay for the hand-off.
constexpr size_t kMinPerTask = 32 * 1024;
}  // namespace

Optimizer::Optimizer(const std::vector<ParamSlot>& params, int state_per_value, float weight_decay)
    : weight_decay_(weight_decay), params_(params), state_per_value_(state_per_value) {
  size_t total = 0;
  for (const ParamSlot& p : params_) {
    offsets_.push_back(total);
    total += p.size * state_per_value_;
    for (size_t begin = 0; begin < p.size; begin += kPiece) {
      pieces_.push_back(Piece{offsets_.size() - 1, begin, std::min(begin + kPiece, p.size)});
    }
  }
  state_.assign(total, 0.0f);
  for (const ParamSlot& p : params_) total_values_ += p.size;
}

void Optimizer::step(float lr, ThreadPool* pool) {
  ++steps_;
  begin_step();
  const int count = static_cast<int>(pieces_.size());
  const size_t threads = pool ? static_cast<size_t>(pool->size()) : 1;
  const int tasks = static_cast<int>(
      std::max<size_t>(1, std::min({pieces_.size(), threads, total_values_ / kMinPerTask})));
  parallel_for(pool, tasks, [&](int task) {
    int first, last;
    split_range(count, tasks, task, first, last);
    for (int i = first; i < last; ++i) {
      const Piece& piece = pieces_[i];
      update(params_[piece.param], state_.data() + offsets_[piece.param], piece.begin, piece.end,
             lr);
    }
  });
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
