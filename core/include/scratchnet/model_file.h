#pragma once
// The versioned binary model file shared by the native CLI and the page.
// Layout (little-endian): magic "SNMODEL\0", u32 version, u32 header fields..., the model
// description, input shape, class labels, each parameter tensor (u32 length + floats), and a
// CRC-32 of everything before it. Decoding validates every length against the bytes left
// before allocating, so a file whose header lies is refused without a large allocation.
#include <cstdint>
#include <string>
#include <vector>

namespace sn {

struct ModelFile {
  std::string description;                  // canonical model description
  int input_h = 0, input_w = 0, input_c = 0;
  std::vector<int> class_labels;            // original label of each output class ({3, 8} ...)
  std::vector<std::vector<float>> tensors;  // parameters in the network's parameter order
};

inline constexpr uint32_t kModelFileVersion = 1;

std::vector<uint8_t> encode_model_file(const ModelFile& file);
// Throws FormatError: "not a ScratchNet model file (bad magic)", "truncated: ...",
// "checksum mismatch: file is corrupt", "unsupported version 7 (this build reads 1)".
ModelFile decode_model_file(const uint8_t* bytes, size_t size);

}  // namespace sn
