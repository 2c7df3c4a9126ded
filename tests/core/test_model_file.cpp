// The model file codec: round trip, CRC-32, and refusal of every kind of damaged input.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "io/crc32.h"
#include "scratchnet/error.h"
#include "scratchnet/model_file.h"

namespace sn {
namespace {

ModelFile sample() {
  ModelFile f;
  f.description = "conv 2 3x3 relu | flatten | dense 2 softmax";
  f.input_h = 28;
  f.input_w = 28;
  f.input_c = 1;
  f.class_labels = {3, 8};
  f.tensors = {{0.5f, -1.25f, 3e-8f}, {}, {1.0f, 2.0f}};
  return f;
}

std::string error_of(const std::vector<uint8_t>& bytes) {
  try {
    decode_model_file(bytes.data(), bytes.size());
  } catch (const FormatError& e) {
    return e.what();
  }
  return "";
}

void put_u32(std::vector<uint8_t>& b, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + i] = static_cast<uint8_t>(v >> (8 * i));
}

TEST(Crc32, KnownAnswer) {
  const char* s = "123456789";
  EXPECT_EQ(crc32(reinterpret_cast<const uint8_t*>(s), 9), 0xCBF43926u);
  EXPECT_EQ(crc32(nullptr, 0), 0u);
  // Running form: two halves give the same value as the whole.
  uint32_t part = crc32(reinterpret_cast<const uint8_t*>(s), 4);
  EXPECT_EQ(crc32(reinterpret_cast<const uint8_t*>(s) + 4, 5, part), 0xCBF43926u);
}

TEST(ModelFile, RoundTrip) {
  ModelFile f = sample();
  auto bytes = encode_model_file(f);
  EXPECT_EQ(std::memcmp(bytes.data(), "SNMODEL", 8), 0);
  ModelFile g = decode_model_file(bytes.data(), bytes.size());
  EXPECT_EQ(g.description, f.description);
  EXPECT_EQ(g.input_h, 28);
  EXPECT_EQ(g.input_w, 28);
  EXPECT_EQ(g.input_c, 1);
  EXPECT_EQ(g.class_labels, f.class_labels);
  EXPECT_EQ(g.tensors, f.tensors);  // bit-exact floats
}

TEST(ModelFile, EveryTruncationIsRejected) {
  auto bytes = encode_model_file(sample());
  for (size_t n = 0; n < bytes.size(); ++n) {
    std::vector<uint8_t> cut(bytes.begin(), bytes.begin() + n);
    EXPECT_THROW(decode_model_file(cut.data(), cut.size()), FormatError) << n;
  }
  std::vector<uint8_t> cut(bytes.begin(), bytes.end() - 5);
  EXPECT_NE(error_of(cut).find("truncated"), std::string::npos) << error_of(cut);
}

TEST(ModelFile, EveryFlippedByteIsRejected) {
  auto bytes = encode_model_file(sample());
  for (size_t i = 0; i < bytes.size(); ++i) {
    auto bad = bytes;
    bad[i] ^= 0x10;
    EXPECT_THROW(decode_model_file(bad.data(), bad.size()), FormatError) << i;
  }
  auto bad = bytes;
  bad[bytes.size() - 8] ^= 1;  // inside the last float
  EXPECT_EQ(error_of(bad), "checksum mismatch: file is corrupt");
  bytes.push_back(0);
  EXPECT_THROW(decode_model_file(bytes.data(), bytes.size()), FormatError);
}

TEST(ModelFile, ClearMessages) {
  auto bytes = encode_model_file(sample());
  auto bad = bytes;
  bad[0] = 'X';
  EXPECT_EQ(error_of(bad), "not a ScratchNet model file (bad magic)");
  std::vector<uint8_t> png = {0x89, 'P', 'N', 'G'};
  EXPECT_EQ(error_of(png), "not a ScratchNet model file (bad magic)");
  bad = bytes;
  put_u32(bad, 8, 7);
  EXPECT_EQ(error_of(bad), "unsupported version 7 (this build reads 1 and 2)");
}

TEST(ModelFile, LyingHeaderIsRefusedBeforeAllocating) {
  auto bytes = encode_model_file(sample());
  // Field offsets: 12 description length, 28 class count, 32 tensor count.
  auto bad = bytes;
  put_u32(bad, 12, 0xFFFFFFF0u);
  EXPECT_NE(error_of(bad).find("description length"), std::string::npos) << error_of(bad);
  bad = bytes;
  put_u32(bad, 28, 16000);  // within the bound, but far more than the bytes left
  EXPECT_NE(error_of(bad).find("truncated"), std::string::npos) << error_of(bad);
  bad = bytes;
  put_u32(bad, 32, 0xFFFFFFFFu);
  EXPECT_NE(error_of(bad).find("tensor count"), std::string::npos) << error_of(bad);
  bad = bytes;
  put_u32(bad, 16, 0);
  EXPECT_NE(error_of(bad).find("input height"), std::string::npos) << error_of(bad);
  // The first tensor's length claims a billion floats: refused without allocating 4 GB.
  const size_t first_tensor = 36 + sample().description.size() + 4 * 2;
  bad = bytes;
  put_u32(bad, first_tensor, 1000000000u);
  std::string e = error_of(bad);
  EXPECT_NE(e.find("truncated: tensor 0 claims 1000000000"), std::string::npos) << e;
}

}  // namespace
}  // namespace sn
