#pragma once
// Optimizers update parameters in place from their gradients. L2 weight decay is added to the
// gradient of weights (not biases): g <- g + decay * w (classic L2 regularisation; for Adam this
// is the "Adam + L2" of Kingma & Ba, not AdamW).
// All state lives in one flat buffer so the trainer can snapshot and restore it (divergence
// recovery) without allocating after the first snapshot.
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

struct OptimizerSnapshot {
  std::vector<float> state;
  int64_t steps = 0;
};

class Optimizer {
 public:
  // state_per_value: floats of state per parameter value (0 SGD, 1 momentum, 2 Adam).
  Optimizer(const std::vector<ParamSlot>& params, int state_per_value, float weight_decay);
  virtual ~Optimizer() = default;
  // One update with learning rate lr over the parameters given at construction, spread over
  // pool's threads (null: the caller only). The parameters are cut into fixed pieces, the same
  // for any thread count, and every update is element-wise: the bits never depend on threads.
  void step(float lr, ThreadPool* pool = nullptr);
  int64_t steps() const { return steps_; }
  void snapshot(OptimizerSnapshot& out) const;
  void restore(const OptimizerSnapshot& in);

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
  std::vector<size_t> offsets_;
  struct Piece {
    size_t param, begin, end;
  };
  std::vector<Piece> pieces_;
  size_t total_values_ = 0;  // fixed at construction, a multiple of 64 values apart
  int state_per_value_;
  std::vector<float> state_;
};

std::unique_ptr<Optimizer> make_optimizer(const TrainOptions& options,
                                          const std::vector<ParamSlot>& params);

}  // namespace sn
