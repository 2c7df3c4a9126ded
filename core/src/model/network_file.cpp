// The model file round trip of a Network: its parameters and state tensors out, and in again
// only after the file's description has been planned and every tensor checked against it.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "model/network_impl.h"
#include "scratchnet/model_file.h"

namespace sn {

std::vector<uint8_t> Network::save(const std::vector<int>& class_labels) const {
  ModelFile file;
  file.description = impl_->description;
  file.input_h = impl_->input.h;
  file.input_w = impl_->input.w;
  file.input_c = impl_->input.c;
  file.class_labels = class_labels;
  for (const Param& p : impl_->params) {
    const float* v = p.value->data();
    file.tensors.emplace_back(v, v + p.value->size());
  }
  for (const StateTensor& t : impl_->state) {
    const float* v = t.value->data();
    file.tensors.emplace_back(v, v + t.value->size());
  }
  return encode_model_file(file);
}

Network Network::load(const uint8_t* bytes, size_t size, std::vector<int>* class_labels) {
  ModelFile file = decode_model_file(bytes, size);
  // Plan the network and check the file's tensors against it before allocating anything the
  // size of the model: a small file must not be able to claim a huge one. The random initial
  // weights are skipped, every value comes from the file.
  auto impl = std::make_unique<Impl>();
  try {
    impl->plan(file.description, Dims{file.input_h, file.input_w, file.input_c}, 0);
  } catch (const DescriptionError& e) {
    throw FormatError(std::string("model file holds a model that cannot be built: ") + e.what());
  } catch (const LimitError& e) {
    throw FormatError(std::string("model file holds a model that is too large: ") + e.what());
  }
  std::vector<int64_t> sizes = impl->planned_sizes();
  if (file.version < 2) {
    // Version 1 predates state tensors: its descriptions cannot hold a layer that has any.
    for (const auto& layer : impl->layers) {
      if (layer->spec().kind == LayerKind::BatchNorm) {
        throw FormatError("model file version 1 cannot hold a batchnorm layer");
      }
    }
  }
  if (file.tensors.size() != sizes.size()) {
    std::string found;
    for (size_t i = 0; i < file.tensors.size() && i < 8; ++i) {
      found += (i ? ", " : " (") + std::to_string(file.tensors[i].size());
    }
    if (file.tensors.size() > 8) found += ", ...";
    if (!file.tensors.empty()) found += " values)";
    std::string expected;
    for (size_t i = 0; i < sizes.size() && i < 8; ++i) {
      expected += (i ? ", " : " (") + std::to_string(sizes[i]);
    }
    if (sizes.size() > 8) expected += ", ...";
    expected += " values)";
    throw FormatError("model file has " + std::to_string(file.tensors.size()) +
                      " parameter tensors" + found + "; its description '" + file.description +
                      "' needs " + std::to_string(sizes.size()) + expected);
  }
  for (size_t i = 0; i < sizes.size(); ++i) {
    if (static_cast<int64_t>(file.tensors[i].size()) != sizes[i]) {
      throw FormatError("model file tensor " + std::to_string(i + 1) + " has " +
                        std::to_string(file.tensors[i].size()) + " values; the description needs " +
                        std::to_string(sizes[i]));
    }
    for (float v : file.tensors[i]) {
      if (!std::isfinite(v)) {
        throw FormatError("model file tensor " + std::to_string(i + 1) + " holds NaN or infinity");
      }
    }
  }
  impl->allocate();
  for (size_t i = 0; i < impl->params.size(); ++i) {
    std::copy(file.tensors[i].begin(), file.tensors[i].end(), impl->params[i].value->data());
  }
  for (size_t i = 0; i < impl->state.size(); ++i) {
    const std::vector<float>& t = file.tensors[impl->params.size() + i];
    if (std::strcmp(impl->state[i].name, "running_var") == 0 &&
        std::any_of(t.begin(), t.end(), [](float v) { return v < 0.0f; })) {
      throw FormatError("model file tensor " + std::to_string(impl->params.size() + i + 1) +
                        " is a batchnorm variance with a negative value");
    }
    std::copy(t.begin(), t.end(), impl->state[i].value->data());
  }
  if (class_labels) *class_labels = file.class_labels;
  return Network(std::move(impl));
}

}  // namespace sn
