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

struct OptimizerSnapshot {
  std::vector<float> state;
  int64_t steps = 0;
};

class Optimizer {
 public:
  // state_per_value: floats of state per parameter value (0 SGD, 1 momentum, 2 Adam).
  Optimizer(const std::vector<ParamSlot>& params, int state_per_value, float weight_decay);
  virtual ~Optimizer() = default;
  // One update with learning rate lr over the parameters given at construction.
  void step(float lr);
  int64_t steps() const { return steps_; }
  void snapshot(OptimizerSnapshot& out) const;
  void restore(const OptimizerSnapshot& in);

 protected:
  // Updates one tensor; `state` is this tensor's state_per_value * size floats.
  virtual void update(float* w, const float* g, size_t size, bool decay, float* state,
                      float lr) = 0;
  float weight_decay_;
  int64_t steps_ = 0;  // updates done, counting the one in progress inside update()

 private:
  std::vector<ParamSlot> params_;
  std::vector<size_t> offsets_;
  int state_per_value_;
  std::vector<float> state_;
};

std::unique_ptr<Optimizer> make_optimizer(const TrainOptions& options,
                                          const std::vector<ParamSlot>& params);

}  // namespace sn
