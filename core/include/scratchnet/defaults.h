#pragma once
// The one definition of every training default and input range. TrainOptions starts from these,
// the `nn` flags fall back to them and check against them, and the page reads them through the
// bindings (Network.defaults() / Network.limits()) for its settings panel and URL parsing.
#include <cstdint>

namespace sn {

struct Range {
  double min, max;
};

// What a person may ask for (the CLI's flags, the page's fields and links).
struct Limits {
  Range learning_rate{1e-6, 10};
  Range batch_size{1, 4096};
  Range epochs{1, 200};
  Range seed{0, 2147483647};  // 2^31 - 1: exact in every JavaScript number type
  Range threads{0, 64};       // 0 = one per hardware thread
  Range momentum{0, 0.9999};
  Range weight_decay{0, 1};
};
inline constexpr Limits kLimits{};

// lenet with Adam at 0.002, batch 16, reaches ~97% test accuracy on the bundled 8,500 digits in
// 5 epochs; augmentation is off because it costs accuracy over so few epochs.
struct Defaults {
  const char* model = "lenet";
  const char* optimizer = "adam";
  float learning_rate = 0.002f;          // Adam's
  float sgd_learning_rate = 0.05f;       // plain SGD needs a larger step on MNIST
  float momentum_learning_rate = 0.01f;  // SGD with momentum
  float momentum = 0.9f;
  float weight_decay = 0.0f;
  int batch_size = 16;
  int epochs = 5;
  uint64_t seed = 1;
  int threads = 0;
  bool augment = false;
  int two_classes[2] = {0, 1};  // the classes of a two-class preset (cnn-binary)
  int eval_batch = 256;         // images per forward pass when evaluating or predicting
};
inline constexpr Defaults kDefaults{};

}  // namespace sn
