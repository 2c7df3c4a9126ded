// Small synthetic image sets for the trainer's unit tests, and a network's weights as plain
// vectors to compare. Learnable in a few steps, made in microseconds, the same on every machine.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "scratchnet/data.h"
#include "scratchnet/network.h"

namespace sn::testing {

// side x side images of `classes` (at most 4) classes: class 0 has a bright left half, 1 a
// bright right half, 2 a bright top, 3 a bright bottom; every pixel gets noise in 0..99.
inline Dataset toy_data(int count, uint64_t seed, int side = 6, int classes = 3) {
  std::mt19937_64 rng(seed);
  Dataset d;
  d.rows = d.cols = side;
  const int half = side / 2;
  for (int i = 0; i < count; ++i) {
    const int label = int(rng() % uint64_t(classes));
    d.labels.push_back(uint8_t(label));
    for (int y = 0; y < side; ++y) {
      for (int x = 0; x < side; ++x) {
        const bool on = label == 0   ? x < half
                        : label == 1 ? x >= half
                        : label == 2 ? y < half
                                     : y >= half;
        d.images.push_back(uint8_t((on ? 150 : 0) + rng() % 100));
      }
    }
  }
  return d;
}

// Every parameter tensor of `net`, copied.
inline std::vector<std::vector<float>> weights_of(Network& net) {
  std::vector<std::vector<float>> out;
  const auto values = net.parameter_data();
  const auto sizes = net.parameter_sizes();
  for (size_t i = 0; i < values.size(); ++i) out.emplace_back(values[i], values[i] + sizes[i]);
  return out;
}

}  // namespace sn::testing
