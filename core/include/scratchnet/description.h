#pragma once
// The model description language: a short text a person can type into a box, e.g.
//   conv 8 5x5 relu | maxpool 2 | conv 16 5x5 relu | maxpool 2 | flatten | dense 10 softmax
// Grammar (case-insensitive, whitespace-separated tokens, segments separated by '|'):
//   dense UNITS [ACT]
//   conv FILTERS KxK [stride S] [same|valid] [ACT]      (K alone means KxK; default valid, 1)
//   maxpool SIZE [stride S]                              (default stride = SIZE)
//   flatten | reshape HxWxC | dropout RATE               (0 <= RATE < 1)
//   batchnorm [ACT]                                      (per channel after conv, per unit after
//   dense) relu | sigmoid | tanh | softmax                      (an activation on its own) loss
//   mse|bce|xent                                    (optional, last segment only)
// ACT is one of relu, sigmoid, tanh, softmax. A trailing ACT on dense/conv/batchnorm becomes a
// separate activation layer with the same segment index. Dense layers flatten their input
// implicitly. When no loss is given: softmax output -> xent, 1-unit sigmoid output -> bce,
// otherwise mse.
#include <string>
#include <vector>

namespace sn {

enum class LayerKind {
  Dense,
  Conv,
  MaxPool,
  Flatten,
  Reshape,
  Dropout,
  ReLU,
  Sigmoid,
  Tanh,
  Softmax,
  BatchNorm
};
enum class LossKind { MSE, BinaryCrossEntropy, CrossEntropy };

struct LayerSpec {
  LayerKind kind;
  int segment = 0;   // 1-based segment number in the description, used in error messages
  std::string text;  // the segment as written (trimmed), used in error messages
  int units = 0;     // dense
  int filters = 0;   // conv
  int kernel_h = 0, kernel_w = 0;
  int stride = 1;  // conv, maxpool
  bool same_padding = false;
  int pool = 0;                               // maxpool size
  float rate = 0.0f;                          // dropout
  int shape_h = 0, shape_w = 0, shape_c = 0;  // reshape
};

struct ModelSpec {
  std::vector<LayerSpec> layers;
  LossKind loss = LossKind::MSE;
  bool loss_given = false;  // false when the loss was inferred from the output layer
};

// Limits checked while parsing, before anything is allocated.
inline constexpr int kMaxSegments = 64;
inline constexpr int kMaxUnits = 16384;
inline constexpr int kMaxFilters = 1024;
inline constexpr int kMaxKernel = 64;

// Throws DescriptionError: "layer 3 'conv 16 5y5': expected a kernel size like 5x5, got '5y5'".
ModelSpec parse_description(const std::string& text);

// Canonical text of a spec (parse_description(to_description(s)) == s).
std::string to_description(const ModelSpec& spec);

const char* loss_name(LossKind loss);  // "mse", "bce", "xent"

// Built-in models. The first three reproduce shared/seed-report.md's programs.
struct Preset {
  std::string name;         // "lenet"
  std::string description;  // its model description
  std::string summary;      // one line for a person
  bool two_class = false;   // trained on two chosen digits (cnn-binary)
};
const std::vector<Preset>& presets();
// The preset's description if `text` names a preset, else `text` unchanged.
std::string resolve_preset(const std::string& text);

}  // namespace sn
