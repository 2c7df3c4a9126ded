#include "optim/optimizer.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

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
// As parallel_ranges: less than this per thread does not pay for the hand-off (models under
// twice this many values update on the calling thread).
constexpr size_t kMinPerTask = 32 * 1024;

// An exponent of all ones is Inf or NaN. Integer bits OR-ed together vectorise; an early-exit
// loop over std::isfinite does not.
bool all_finite(const float* p, size_t n) {
  uint32_t bad = 0;
  for (size_t i = 0; i < n; ++i) {
    uint32_t bits;
    std::memcpy(&bits, p + i, sizeof bits);
    bad |= (bits & 0x7F800000u) == 0x7F800000u;
  }
  return bad == 0;
}

}  // namespace

Optimizer::Optimizer(const std::vector<ParamSlot>& params, int state_per_value, float weight_decay)
    : weight_decay_(weight_decay), params_(params), state_per_value_(state_per_value) {
  size_t total = 0;
  for (const ParamSlot& p : params_) {
    offsets_.push_back(total);
    value_offsets_.push_back(total_values_);
    total += p.size * state_per_value_;
    total_values_ += p.size;
    for (size_t begin = 0; begin < p.size; begin += kPiece) {
      pieces_.push_back(Piece{offsets_.size() - 1, begin, std::min(begin + kPiece, p.size)});
    }
  }
  state_.assign(total, 0.0f);
  undo_values_.resize(total_values_);
  undo_state_.resize(total);
  task_finite_.resize(std::max<size_t>(1, pieces_.size()));
}

void Optimizer::copy_piece(size_t i, bool save) {
  const Piece& piece = pieces_[i];
  const ParamSlot& p = params_[piece.param];
  const size_t n = piece.end - piece.begin;
  auto copy = [&](float* live, float* saved) {
    if (save) {
      std::copy_n(live, n, saved);
    } else {
      std::copy_n(saved, n, live);
    }
  };
  copy(p.value + piece.begin, undo_values_.data() + value_offsets_[piece.param] + piece.begin);
  for (int k = 0; k < state_per_value_; ++k) {
    const size_t at = offsets_[piece.param] + k * p.size + piece.begin;
    copy(state_.data() + at, undo_state_.data() + at);
  }
}

bool Optimizer::update_piece(size_t i, float lr) {
  const Piece& piece = pieces_[i];
  const ParamSlot& p = params_[piece.param];
  float* state = state_.data() + offsets_[piece.param];
  const size_t n = piece.end - piece.begin;
  copy_piece(i, true);
  update(p, state, piece.begin, piece.end, lr);
  bool finite = all_finite(p.value + piece.begin, n);
  for (int k = 0; k < state_per_value_; ++k) {
    finite &= all_finite(state + k * p.size + piece.begin, n);
  }
  return finite;
}

bool Optimizer::step(float lr, ThreadPool* pool) {
  ++steps_;
  begin_step();
  const int count = static_cast<int>(pieces_.size());
  const size_t threads = pool ? static_cast<size_t>(pool->size()) : 1;
  // A task per piece, handed out as threads free up. Cutting the pieces into `threads` runs of
  // equal count instead left one thread with most of the values whenever one tensor dominates
  // (mlp: 7 of its 12 pieces are the first layer's weights): ~15% of a wasm mlp step on one
  // thread while the other waited.
  const int tasks = threads > 1 && total_values_ >= 2 * kMinPerTask ? count : 1;
  parallel_for(pool, tasks, [&](int task) {
    int first, last;
    split_range(count, tasks, task, first, last);
    bool finite = true;
    for (int i = first; i < last; ++i) finite &= update_piece(i, lr);
    task_finite_[task] = finite;
  });
  if (std::all_of(task_finite_.begin(), task_finite_.begin() + tasks,
                  [](unsigned char ok) { return ok != 0; })) {
    return true;
  }
  // Diverged: rare, so undone on one thread. Adam's begin_step() notices steps_ moving back.
  for (int i = 0; i < count; ++i) copy_piece(i, false);
  --steps_;
  return false;
}

std::unique_ptr<Optimizer> make_optimizer(const TrainOptions& options,
                                          const std::vector<ParamSlot>& params) {
  switch (options.optimizer) {
    case OptimizerKind::SGD:
      return std::make_unique<Sgd>(params, options.weight_decay);
    case OptimizerKind::Momentum:
      return std::make_unique<Momentum>(params, options.momentum, options.weight_decay);
    case OptimizerKind::Adam:
    case OptimizerKind::AdamW:
      return std::make_unique<Adam>(params, options.weight_decay, options.beta1, options.beta2,
                                    options.optimizer == OptimizerKind::AdamW);
  }
  return nullptr;
}

}  // namespace sn
