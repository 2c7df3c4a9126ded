// Fuzzes the model file codec (decode_model_file), Network::load, which also builds the
// network the file describes, and the ONNX export of every network that loads. Only sn::Error may
// escape; crashes, leaks, UB, and allocations beyond -malloc_limit_mb (a header that lies about
// sizes) are bugs. Input layout:
//   byte 0   bit 0 set: append the correct CRC-32 of the payload, so mutations reach the code
//            behind the checksum (random bytes almost never carry a valid one)
//   bytes 1.. the file (or the file without its last 4 bytes, when bit 0 is set)
#include <cstdint>
#include <cstring>
#include <vector>

#include "fuzz_check.h"
#include "scratchnet/error.h"
#include "scratchnet/model_file.h"
#include "scratchnet/network.h"
#include "scratchnet/onnx.h"

namespace {

// CRC-32 (IEEE, reflected 0xEDB88320), written here rather than borrowed from the engine so the
// target does not depend on a private header.
uint32_t crc32(const uint8_t* p, size_t n) {
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < n; ++i) {
    c ^= p[i];
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
  }
  return ~c;
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), 4 * a.size()) == 0);
}

// A forward pass over one blank input when the network is small enough to stay fast.
constexpr int64_t kMaxFuzzFlops = 20'000'000;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const bool fix_crc = data[0] & 1;
  std::vector<uint8_t> bytes(data + 1, data + size);
  if (fix_crc) {
    uint32_t c = crc32(bytes.data(), bytes.size());
    for (int i = 0; i < 4; ++i) bytes.push_back(static_cast<uint8_t>(c >> (8 * i)));
  }

  // 1. The codec alone: a decoded file re-encodes to exactly the same bytes (every byte of the
  //    format is accounted for).
  bool decoded = false;
  try {
    sn::ModelFile file = sn::decode_model_file(bytes.data(), bytes.size());
    decoded = true;
    std::vector<uint8_t> again = sn::encode_model_file(file);
    if (file.version == sn::kModelFileVersion) {
      FUZZ_CHECK(again == bytes, "re-encoding gave %zu bytes, the input had %zu", again.size(),
                 bytes.size());
    } else {
      // An older version re-encodes as the current one, which must then be stable.
      const sn::ModelFile back = sn::decode_model_file(again.data(), again.size());
      FUZZ_CHECK(back.version == sn::kModelFileVersion && sn::encode_model_file(back) == again,
                 "a version %u file did not re-encode stably as version %u", file.version,
                 sn::kModelFileVersion);
    }
  } catch (const sn::Error&) {
  }

  // 2. Loading a network: whatever decode refused, load must refuse too.
  std::vector<int> labels;
  try {
    sn::Network net = sn::Network::load(bytes.data(), bytes.size(), &labels);
    FUZZ_CHECK(decoded, "Network::load accepted a file decode_model_file refused");
    sn::ModelFile file = sn::decode_model_file(bytes.data(), bytes.size());
    auto shape = net.input_shape();
    FUZZ_CHECK(shape[0] == file.input_h && shape[1] == file.input_w && shape[2] == file.input_c,
               "input shape %dx%dx%d, file says %dx%dx%d", shape[0], shape[1], shape[2],
               file.input_h, file.input_w, file.input_c);
    auto sizes = net.parameter_sizes();
    FUZZ_CHECK(sizes.size() == file.tensors.size(), "%zu parameter tensors, file has %zu",
               sizes.size(), file.tensors.size());
    for (size_t i = 0; i < sizes.size(); ++i) {
      FUZZ_CHECK(sizes[i] == file.tensors[i].size(), "tensor %zu: %zu values, file has %zu", i,
                 sizes[i], file.tensors[i].size());
    }
    // Saving what was loaded keeps every weight bit for bit.
    std::vector<uint8_t> saved = net.save(labels);
    sn::ModelFile back = sn::decode_model_file(saved.data(), saved.size());
    FUZZ_CHECK(back.tensors.size() == file.tensors.size(), "save changed the tensor count");
    for (size_t i = 0; i < back.tensors.size(); ++i) {
      FUZZ_CHECK(same_bits(back.tensors[i], file.tensors[i]), "save changed tensor %zu", i);
    }
    // Every layer a model file can hold has an ONNX form: a loaded network always exports,
    // and the bytes start like any ModelProto (field 1, ir_version, as a varint).
    try {
      std::vector<uint8_t> onnx = sn::export_onnx(net, labels);
      FUZZ_CHECK(onnx.size() > 2 && onnx[0] == 0x08 && onnx[1] == sn::kOnnxIrVersion,
                 "ONNX export of %zu bytes does not start with ir_version", onnx.size());
    } catch (const sn::Error& e) {
      FUZZ_CHECK(false, "a loaded network failed to export to ONNX: %s", e.what());
    }
    if (net.flops_per_sample() <= kMaxFuzzFlops) {
      std::vector<float> image(static_cast<size_t>(shape[0]) * shape[1] * shape[2], 0.5f);
      std::vector<float> probs(static_cast<size_t>(net.num_classes()));
      net.predict(image.data(), 1, probs.data());
    }
  } catch (const sn::Error&) {
  }
  return 0;
}
