// Built-in models: the single source of truth for the CLI, the page and the tests.
// The first three reproduce the programs in shared/seed-report.md (mnist-MLP, mnist-CNN and
// mnist-CNN-full); the rest are the usual stronger baselines.
#include "description/tokens.h"
#include "scratchnet/description.h"

namespace sn {

const std::vector<Preset>& presets() {
  static const std::vector<Preset> kPresets = {
      {"mlp-mse", "dense 40 tanh | dense 10 tanh | loss mse",
       "The report's mnist-MLP: all ten digits, two tanh layers, MSE loss", false},
      {"cnn-binary",
       "conv 5 3x3 sigmoid | flatten | dense 100 sigmoid | dense 1 sigmoid | loss bce",
       "The report's mnist-CNN: two digits (0 and 1 by default), binary cross-entropy", true},
      {"cnn-full",
       "conv 5 5x5 sigmoid | maxpool 2 | flatten | dense 100 sigmoid | dense 10 softmax",
       "The report's mnist-CNN-full: conv + max-pooling (28->24->12), all ten digits", false},
      {"mlp", "dense 256 | batchnorm relu | dense 128 | batchnorm relu | dense 10 softmax",
       "A multi-layer perceptron with BatchNorm and ReLU; ~98.5% on full MNIST, 90% on "
       "Fashion-MNIST",
       false},
      {"lenet",
       "conv 6 5x5 same relu | maxpool 2 | conv 16 5x5 relu | maxpool 2 | flatten | "
       "dense 120 relu | dense 84 relu | dense 10 softmax",
       "LeNet-5 with ReLU and max-pooling; ~99.2% on full MNIST, 91% on Fashion-MNIST, fast "
       "enough for the browser",
       false},
      {"cnn-deep",
       "conv 32 3x3 same | batchnorm relu | conv 32 3x3 | maxpool 2 | batchnorm relu | "
       "conv 64 3x3 same | batchnorm relu | conv 64 3x3 | maxpool 2 | batchnorm relu | flatten | "
       "dense 128 relu | dropout 0.3 | dense 10 softmax",
       "A deeper VGG-style CNN with BatchNorm and dropout; ~99.6% on full MNIST, ~93.5% on "
       "Fashion-MNIST, ~34x the FLOPs of lenet",
       false},
      {"fast",
       "conv 16 5x5 | maxpool 2 | batchnorm relu | conv 32 3x3 | maxpool 2 | batchnorm relu | "
       "flatten | dense 256 relu | dense 10 softmax",
       "Built for one epoch: BatchNorm after each pooled conv (a quarter of the pixels to "
       "normalise); 99% on full MNIST after a single pass",
       false},
  };
  return kPresets;
}

std::string resolve_preset(const std::string& text) {
  // Preset names match case-insensitively and ignoring surrounding spaces, like the grammar.
  const std::string key = desc::to_lower(desc::trim(text));
  for (const Preset& p : presets()) {
    if (p.name == key) return p.description;
  }
  return text;
}

}  // namespace sn
