// Fuzzes the model description parser: any text either parses or throws DescriptionError.
// When it parses, to_description must round-trip (parse(to_description(s)) == s, and the
// canonical text is a fixed point), and building the network on 28x28x1 must either succeed or
// throw sn::Error; a small enough network then runs a forward and backward pass.
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

constexpr int64_t kMaxFuzzFlops = 20'000'000;

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
    }
  } catch (const sn::Error&) {
  }
  return 0;
}
