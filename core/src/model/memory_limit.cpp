#include "model/memory_limit.h"

#include <algorithm>
#include <cstdio>
#include <string>

#include "scratchnet/error.h"

namespace sn {

int64_t model_memory_bytes(const std::vector<std::unique_ptr<Layer>>& layers, Dims input) {
  int64_t params = 0, per_sample = input.size(), largest = input.size();
  for (const auto& layer : layers) {
    params += layer->param_count();
    per_sample += layer->output_dims().size() + layer->scratch_floats();
    largest = std::max(largest, layer->output_dims().size());
  }
  per_sample += 2 * largest;  // the two gradient buffers of backward
  return int64_t(sizeof(float)) * (4 * params + kMemoryLimitBatch * per_sample);
}

void check_memory_limit(const std::vector<std::unique_ptr<Layer>>& layers, Dims input) {
  const int64_t bytes = model_memory_bytes(layers, input);
  if (bytes <= kMemoryLimitBytes) return;
  char text[160];
  std::snprintf(text, sizeof text,
                "the model needs %.1f GiB for parameters and activations at batch %d; the limit "
                "is %.0f GiB",
                double(bytes) / double(int64_t(1) << 30), kMemoryLimitBatch,
                double(kMemoryLimitBytes) / double(int64_t(1) << 30));
  throw LimitError(text);
}

}  // namespace sn
