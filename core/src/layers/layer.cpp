// The layer factory: LayerSpec (from the description parser) -> a concrete layer.
#include "layers/layer.h"

#include "layers/activations.h"
#include "layers/batchnorm.h"
#include "layers/conv2d.h"
#include "layers/dense.h"
#include "layers/dropout.h"
#include "layers/maxpool2d.h"
#include "layers/reshape.h"
#include "layers/softmax.h"
#include "scratchnet/error.h"

namespace sn {

void Layer::fail(const std::string& what) const {
  throw DescriptionError("layer " + std::to_string(spec_.segment) + " '" + spec_.text +
                         "': " + what);
}

std::unique_ptr<Layer> make_layer(const LayerSpec& spec, Dims in, uint64_t seed) {
  switch (spec.kind) {
    case LayerKind::Dense:
      return std::make_unique<Dense>(spec, in);
    case LayerKind::Conv:
      return std::make_unique<Conv2D>(spec, in);
    case LayerKind::MaxPool:
      return std::make_unique<MaxPool2D>(spec, in);
    case LayerKind::Flatten:
    case LayerKind::Reshape:
      return std::make_unique<Reshape>(spec, in);
    case LayerKind::Dropout:
      return std::make_unique<Dropout>(spec, in, seed);
    case LayerKind::ReLU:
    case LayerKind::Sigmoid:
    case LayerKind::Tanh:
      return std::make_unique<Activation>(spec, in);
    case LayerKind::Softmax:
      return std::make_unique<Softmax>(spec, in);
    case LayerKind::BatchNorm:
      return std::make_unique<BatchNorm>(spec, in);
  }
  throw DescriptionError("layer " + std::to_string(spec.segment) + " '" + spec.text +
                         "': unknown layer kind");
}

}  // namespace sn
