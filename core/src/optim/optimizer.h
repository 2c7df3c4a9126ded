#pragma once
// Optimizers update parameters in place from their gradients. L2 weight decay is added to the
// gradient of weights (not biases): g <- g + decay * w (classic L2 regularisation; for Adam this
// is the "Adam + L2" of Kingma & Ba). AdamW decouples it instead (optim/adam.h).
// A step that would leave a non-finite weight or state value is undone inside step() itself:
// each piece of work saves its values and state just before updating them (still in cache) and
// checks them just after, so divergence recovery costs no serial pass over the whole model.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "scratchnet/trainer.h"

namespace sn {

struct ParamSlot {
  float* value;
  const float* grad;
  size_t size;
  bool decay;  // weight decay applies
};

class ThreadPool;

class Optimizer {
 public:
  // state_per_value: floats of state per parameter value (0 SGD, 1 momentum, 2 Adam).
  Optimizer(const std::vector<ParamSlot>& params, int state_per_value, float weight_decay);
  virtual ~Optimizer() = default;
  // One update with learning rate lr over the parameters given at construction, spread over
  // pool's threads (null: the caller only). The parameters are cut into fixed pieces, the same
  // for any thread count, and every update is element-wise: the bits never depend on threads.
  // Returns false when the update produced a NaN or infinity in any weight or optimizer state;
  // every value, the state and steps() are then exactly as before the call.
  [[nodiscard]] bool step(float lr, ThreadPool* pool = nullptr);
  int64_t steps() const { return steps_; }

 protected:
  // Called once per step before any update (steps_ already counts the new step).
  virtual void begin_step() {}
  // Updates values [begin, end) of tensor p; `state` is this tensor's state_per_value * p.size
  // floats. Called concurrently for disjoint ranges.
  virtual void update(const ParamSlot& p, float* state, size_t begin, size_t end,
                      float lr) const = 0;
  float weight_decay_;
  int64_t steps_ = 0;  // updates done, counting the one in progress inside update()

 private:
  std::vector<ParamSlot> params_;
  // Saves piece i's values and state into undo_*, updates it, and says whether all is finite.
  bool update_piece(size_t i, float lr);
  // Piece i's values and state into undo_* (save) or back from them.
  void copy_piece(size_t i, bool save);

  std::vector<size_t> offsets_;        // per tensor: where its state starts in state_
  std::vector<size_t> value_offsets_;  // per tensor: where its values start in undo_values_
  struct Piece {
    size_t param, begin, end;
  };
  std::vector<Piece> pieces_;
  size_t total_values_ = 0;  // fixed at construction, a multiple of 64 values apart
  int state_per_value_;
  std::vector<float> state_;
  std::vector<float> undo_values_, undo_state_;  // the step in progress's "before"
  std::vector<unsigned char> task_finite_;       // one flag per task of the step in progress
};

std::unique_ptr<Optimizer> make_optimizer(const TrainOptions& options,
                                          const std::vector<ParamSlot>& params);

}  // namespace sn
