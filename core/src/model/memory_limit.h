#pragma once
// The memory a model needs at the reference batch size, checked before anything large is
// allocated: a description typed into a box must not take the page (or machine) down.
#include <cstdint>
#include <memory>
#include <vector>

#include "layers/layer.h"

namespace sn {

inline constexpr int64_t kMemoryLimitBytes = int64_t(1) << 30;  // 1 GiB
inline constexpr int kMemoryLimitBatch = 64;

// Bytes for parameters (value, gradient and two optimizer moments) plus activations, their
// gradients and layer scratch for a batch of kMemoryLimitBatch.
int64_t model_memory_bytes(const std::vector<std::unique_ptr<Layer>>& layers, Dims input);

// Throws LimitError "the model needs 1.6 GiB for parameters and activations at batch 64; the
// limit is 1 GiB" when model_memory_bytes exceeds kMemoryLimitBytes.
void check_memory_limit(const std::vector<std::unique_ptr<Layer>>& layers, Dims input);

}  // namespace sn
