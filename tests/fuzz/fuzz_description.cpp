// Fuzzes the model description parser: any text either parses or throws DescriptionError.
// When it parses, to_description must round-trip (parse(to_description(s)) == s, and the
// canonical text is a fixed point), and building the network on 28x28x1 must either succeed or
// throw sn::Error; a small enough network then runs a forward and backward pass, shows its
// activations and parameters, and survives a save/load round trip.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_check.h"
#include "scratchnet/description.h"
#include "scratchnet/error.h"
#include "scratchnet/network.h"

namespace {

bool same_layer(const sn::LayerSpec& a, const sn::LayerSpec& b) {
  // `text` is the segment as written, so it legitimately differs from the canonical text.
  return a.kind == b.kind && a.segment == b.segment && a.units == b.units &&
         a.filters == b.filters && a.kernel_h == b.kernel_h && a.kernel_w == b.kernel_w &&
         a.stride == b.stride && a.same_padding == b.same_padding && a.pool == b.pool &&
         a.rate == b.rate && a.shape_h == b.shape_h && a.shape_w == b.shape_w &&
         a.shape_c == b.shape_c;
}

constexpr int64_t kMaxFuzzFlops = 1'000'000;

// Rough parameter count of the spec on a 28x28x1 input (shape rules approximated; only used to
// decide whether building the network is worth the time). Networks of 0.3..80 million parameters
// pass every limit but take seconds to initialise under ASan, which would starve the fuzzer;
// bigger ones are refused by the engine's memory limit before allocating, so they stay in.
int64_t rough_params(const sn::ModelSpec& spec) {
  int64_t h = 28, w = 28, c = 1, params = 0;
  for (const auto& l : spec.layers) {
    switch (l.kind) {
      case sn::LayerKind::Dense:
        params += (h * w * c + 1) * l.units;
        h = w = 1, c = l.units;
        break;
      case sn::LayerKind::Conv:
        params += (static_cast<int64_t>(l.kernel_h) * l.kernel_w * c + 1) * l.filters;
        h = l.same_padding ? (h + l.stride - 1) / l.stride
                           : std::max<int64_t>(1, (h - l.kernel_h) / l.stride + 1);
        w = l.same_padding ? (w + l.stride - 1) / l.stride
                           : std::max<int64_t>(1, (w - l.kernel_w) / l.stride + 1);
        c = l.filters;
        break;
      case sn::LayerKind::MaxPool:
        h = std::max<int64_t>(1, (h - l.pool) / l.stride + 1);
        w = std::max<int64_t>(1, (w - l.pool) / l.stride + 1);
        break;
      case sn::LayerKind::Reshape:
        h = l.shape_h, w = l.shape_w, c = l.shape_c;
        break;
      default:
        break;
    }
  }
  return params;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  sn::ModelSpec spec;
  try {
    spec = sn::parse_description(text);
  } catch (const sn::DescriptionError&) {
    return 0;
  }
  FUZZ_CHECK(!spec.layers.empty(), "parsed with no layers");

  const std::string canonical = sn::to_description(spec);
  sn::ModelSpec again;
  try {
    again = sn::parse_description(canonical);
  } catch (const sn::DescriptionError& e) {
    FUZZ_CHECK(false, "canonical text '%s' does not parse: %s", canonical.c_str(), e.what());
  }
  FUZZ_CHECK(again.layers.size() == spec.layers.size(), "'%s': %zu layers, canonical has %zu",
             text.c_str(), spec.layers.size(), again.layers.size());
  for (size_t i = 0; i < spec.layers.size(); ++i) {
    FUZZ_CHECK(same_layer(spec.layers[i], again.layers[i]), "layer %zu differs after '%s' -> '%s'",
               i, text.c_str(), canonical.c_str());
  }
  FUZZ_CHECK(again.loss == spec.loss && again.loss_given == spec.loss_given,
             "loss differs after '%s' -> '%s'", text.c_str(), canonical.c_str());
  FUZZ_CHECK(sn::to_description(again) == canonical, "canonical text is not a fixed point: '%s'",
             canonical.c_str());

  const int64_t params = rough_params(spec);
  if (params > 300'000 && params < 80'000'000) return 0;
  try {
    sn::Network net(text, 28, 28, 1, 1);
    FUZZ_CHECK(net.description() == canonical, "network description '%s', canonical '%s'",
               net.description().c_str(), canonical.c_str());
    if (net.flops_per_sample() <= kMaxFuzzFlops) {
      std::vector<float> image(28 * 28, 0.5f);
      std::vector<float> probs(static_cast<size_t>(net.num_classes()));
      net.predict(image.data(), 1, probs.data());
      const uint8_t label = 0;
      net.forward_backward(image.data(), &label, 1);
      // What the page draws: the summary, every layer's output, every parameter tensor.
      auto layers = net.summary();
      FUZZ_CHECK(!layers.empty(), "empty summary");
      auto acts = net.activations(image.data());
      for (const auto& a : acts) {
        FUZZ_CHECK(a.values.size() == static_cast<size_t>(a.h) * a.w * a.c,
                   "activation of segment %d: %zu values for %dx%dx%d", a.segment, a.values.size(),
                   a.h, a.w, a.c);
      }
      int64_t count = 0;
      for (const auto& p : net.parameters()) count += static_cast<int64_t>(p.values.size());
      FUZZ_CHECK(count == net.param_count(), "parameters() holds %lld values, param_count %lld",
                 static_cast<long long>(count), static_cast<long long>(net.param_count()));
      // A saved network loads back as the same model.
      std::vector<uint8_t> bytes = net.save();
      sn::Network back = sn::Network::load(bytes.data(), bytes.size());
      FUZZ_CHECK(back.description() == net.description(), "load(save()) changed '%s' to '%s'",
                 net.description().c_str(), back.description().c_str());
    }
  } catch (const sn::Error&) {
  }
  return 0;
}
