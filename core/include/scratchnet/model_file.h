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
  std::string description;  // canonical model description
  int input_h = 0, input_w = 0, input_c = 0;
  std::vector<int> class_labels;  // original label of each output class ({3, 8} ...)
  // Version 2: the parameters in the network's parameter order, then its state tensors
  // (BatchNorm running mean and variance) in layer order. Version 1: parameters only (written
  // before layers had state; still read).
  std::vector<std::vector<float>> tensors;
  uint32_t version = 0;  // set by decode_model_file; encode always writes kModelFileVersion
};

inline constexpr uint32_t kModelFileVersion = 2;

std::vector<uint8_t> encode_model_file(const ModelFile& file);
// Throws FormatError: "not a ScratchNet model file (bad magic)", "truncated: ...",
// "checksum mismatch: file is corrupt", "unsupported version 7 (this build reads 1 and 2)".
ModelFile decode_model_file(const uint8_t* bytes, size_t size);

}  // namespace sn
