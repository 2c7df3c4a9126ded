// Resource limits on untrusted input: absurd sizes in IDX headers, model descriptions and model
// files are refused with a message that states the limit, before anything large is allocated.
// "Before allocating" is shown two ways: the inputs here are a few bytes long, so a parser that
// believed them would throw bad_alloc (or crash) instead of FormatError; and for networks,
// Tensor::allocations() (every parameter/activation buffer) does not move.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "scratchnet/data.h"
#include "scratchnet/description.h"
#include "scratchnet/error.h"
#include "scratchnet/model_file.h"
#include "scratchnet/network.h"
#include "scratchnet/tensor.h"

namespace sn {
namespace {

using Bytes = std::vector<uint8_t>;

void put_be32(Bytes& b, uint32_t v) {
  for (int i = 3; i >= 0; --i) b.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
void put_le32(Bytes& b, uint32_t v) {
  for (int i = 0; i < 4; ++i) b.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

// An IDX header (unsigned bytes) followed by `payload` bytes of data.
Bytes idx(std::vector<uint32_t> dims, size_t payload) {
  Bytes b = {0, 0, 0x08, static_cast<uint8_t>(dims.size())};
  for (uint32_t d : dims) put_be32(b, d);
  b.resize(b.size() + payload, 0);
  return b;
}

template <typename E, typename F>
std::string message_of(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  } catch (const std::exception& e) {
    return std::string("wrong exception type: ") + e.what();
  }
  return "no exception";
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// ---- IDX ------------------------------------------------------------------------------------

TEST(Limits, IdxHeaderClaimingABillionImagesIsRefused) {
  Bytes images = idx({1'000'000'000, 28, 28}, 784);
  Bytes labels = idx({1'000'000'000}, 1);
  std::string msg = message_of<FormatError>(
      [&] { parse_idx(images.data(), images.size(), labels.data(), labels.size()); });
  EXPECT_TRUE(contains(msg, "1000000000")) << msg;
  EXPECT_TRUE(contains(msg, std::to_string(kMaxIdxItems))) << msg;  // the limit, stated
  EXPECT_TRUE(contains(msg, "limit")) << msg;

  // The same for a label file that lies while the image file is honest.
  Bytes one = idx({1, 28, 28}, 784);
  msg = message_of<FormatError>(
      [&] { parse_idx(one.data(), one.size(), labels.data(), labels.size()); });
  EXPECT_TRUE(contains(msg, std::to_string(kMaxIdxItems))) << msg;
}

TEST(Limits, IdxImageSideBeyondLimitIsRefused) {
  Bytes images = idx({1, 100'000, 28}, 16);
  Bytes labels = idx({1}, 1);
  std::string msg = message_of<FormatError>(
      [&] { parse_idx(images.data(), images.size(), labels.data(), labels.size()); });
  EXPECT_TRUE(contains(msg, "100000")) << msg;
  EXPECT_TRUE(contains(msg, std::to_string(kMaxIdxSide))) << msg;
}

TEST(Limits, IdxCountWithinLimitButLongerThanFileIsRefused) {
  // 10^7 images of 1024x1024 is within both limits but claims 10 TB; the file has 64 bytes.
  Bytes images = idx({static_cast<uint32_t>(kMaxIdxItems), 1024, 1024}, 64);
  Bytes labels = idx({static_cast<uint32_t>(kMaxIdxItems)}, 8);
  std::string msg = message_of<FormatError>(
      [&] { parse_idx(images.data(), images.size(), labels.data(), labels.size()); });
  EXPECT_TRUE(contains(msg, "truncated")) << msg;
}

// ---- Model descriptions -----------------------------------------------------------------

TEST(Limits, DenseLayerOf100000UnitsIsRefused) {
  std::string msg = message_of<DescriptionError>(
      [] { parse_description("dense 100000 relu | dense 10 softmax"); });
  EXPECT_TRUE(contains(msg, "100000")) << msg;
  EXPECT_TRUE(contains(msg, std::to_string(kMaxUnits))) << msg;
  EXPECT_TRUE(contains(msg, "layer 1")) << msg;
  // A number too long for any integer type is reported as over the limit, not as garbage.
  msg = message_of<DescriptionError>([] { parse_description("dense 99999999999999999999999999"); });
  EXPECT_TRUE(contains(msg, std::to_string(kMaxUnits))) << msg;
}

TEST(Limits, TenThousandLayersAreRefused) {
  // 10^4 segments cannot fit in the text limit, so that is what refuses them.
  std::string text = "dense 10";
  for (int i = 1; i < 10'000; ++i) text += "|relu";
  std::string msg = message_of<DescriptionError>([&] { parse_description(text); });
  EXPECT_TRUE(contains(msg, "limit")) << msg;
  // Within the text limit, the segment limit refuses them and names itself.
  text = "dense 10";
  for (int i = 1; i < 1'000; ++i) text += "|relu";
  msg = message_of<DescriptionError>([&] { parse_description(text); });
  EXPECT_TRUE(contains(msg, "1000 segments")) << msg;
  EXPECT_TRUE(contains(msg, std::to_string(kMaxSegments))) << msg;
}

TEST(Limits, HugeDescriptionTextIsRefused) {
  std::string text(1 << 20, ' ');  // a pasted megabyte
  text += "dense 10";
  std::string msg = message_of<DescriptionError>([&] { parse_description(text); });
  EXPECT_TRUE(contains(msg, "limit")) << msg;
}

TEST(Limits, FiltersAndKernelsBeyondLimitAreRefused) {
  std::string msg = message_of<DescriptionError>([] { parse_description("conv 5000 3x3"); });
  EXPECT_TRUE(contains(msg, std::to_string(kMaxFilters))) << msg;
  msg = message_of<DescriptionError>([] { parse_description("conv 8 1000x3"); });
  EXPECT_TRUE(contains(msg, std::to_string(kMaxKernel))) << msg;
}

TEST(Limits, NetworkTooLargeForMemoryIsRefusedBeforeAllocating) {
  // Each layer is within kMaxUnits, but together they need ~4.5 GiB (with optimizer state).
  const int64_t before = Tensor::allocations();
  std::string msg = message_of<LimitError>(
      [] { Network net("dense 16384 relu | dense 16384 relu | dense 10 softmax", 28, 28, 1, 1); });
  EXPECT_TRUE(contains(msg, "GiB")) << msg;
  EXPECT_TRUE(contains(msg, "limit")) << msg;
  EXPECT_EQ(Tensor::allocations(), before) << "buffers were allocated before the refusal";
}

// The engine's limits on a single layer ("more than 2^30 entries") or on the whole model ("the
// limit is 1 GiB"); either way the message states the limit.
bool states_a_limit(const std::string& msg) {
  return contains(msg, "limit") || contains(msg, "2^30");
}

TEST(Limits, WideConvOnLargeInputIsRefusedBeforeAllocating) {
  // Activations, not parameters: 1024 filters over a 1024x1024 input at batch 64.
  const int64_t before = Tensor::allocations();
  std::string msg = message_of<Error>(
      [] { Network net("conv 1024 3x3 same relu | dense 10 softmax", 1024, 1024, 1, 1); });
  EXPECT_TRUE(states_a_limit(msg)) << msg;
  EXPECT_EQ(Tensor::allocations(), before);
  msg = message_of<Error>(
      [] { Network net("conv 1024 3x3 same relu | maxpool 64", 1024, 1024, 1, 1); });
  EXPECT_TRUE(states_a_limit(msg)) << msg;
  EXPECT_EQ(Tensor::allocations(), before);
}

// ---- Model files --------------------------------------------------------------------------

// A model file header with the given fields, then `body` bytes of zeros, then a CRC placeholder.
Bytes model_header(uint32_t desc_len, uint32_t h, uint32_t w, uint32_t c, uint32_t classes,
                   uint32_t tensors, size_t body) {
  Bytes b(8);
  std::memcpy(b.data(), "SNMODEL", 8);
  for (uint32_t v : {kModelFileVersion, desc_len, h, w, c, classes, tensors}) put_le32(b, v);
  b.resize(b.size() + body + 4, 0);
  return b;
}

std::string decode_error(const Bytes& b) {
  return message_of<FormatError>([&] { decode_model_file(b.data(), b.size()); });
}

TEST(Limits, ModelFileHeaderLyingAboutSizesIsRefused) {
  // Counts far beyond what the file holds; every message says what was claimed or allowed.
  std::string msg = decode_error(model_header(0xFFFFFFFFu, 28, 28, 1, 0, 0, 8));
  EXPECT_TRUE(contains(msg, "description length")) << msg;
  EXPECT_TRUE(contains(msg, "4294967295")) << msg;

  msg = decode_error(model_header(8, 28, 28, 1, 1'000'000'000, 0, 8));
  EXPECT_TRUE(contains(msg, "class count")) << msg;
  EXPECT_TRUE(contains(msg, "1000000000")) << msg;

  msg = decode_error(model_header(8, 100'000, 28, 1, 0, 0, 8));
  EXPECT_TRUE(contains(msg, "input height")) << msg;
  EXPECT_TRUE(contains(msg, "100000")) << msg;

  msg = decode_error(model_header(8, 28, 28, 1, 0, 1'000'000, 8));
  EXPECT_TRUE(contains(msg, "tensor count")) << msg;

  // A tensor claiming 2^30 floats (4 GiB) in a file of a few dozen bytes.
  Bytes b = model_header(8, 28, 28, 1, 0, 1, 0);
  b.resize(b.size() - 4);  // drop the CRC placeholder, append description + tensor length
  const char* desc = "dense 10";
  b.insert(b.end(), desc, desc + 8);
  put_le32(b, 0x40000000u);
  put_le32(b, 0);  // "CRC"
  msg = decode_error(b);
  EXPECT_TRUE(contains(msg, "truncated")) << msg;
  EXPECT_TRUE(contains(msg, "1073741824")) << msg;
}

// A well-formed file (valid CRC) whose description and input shape are absurd or whose tensors
// do not match, built with the real encoder.
Bytes model_file(const std::string& description, int h, int w, int c,
                 std::vector<std::vector<float>> tensors) {
  ModelFile f;
  f.description = description;
  f.input_h = h;
  f.input_w = w;
  f.input_c = c;
  f.tensors = std::move(tensors);
  return encode_model_file(f);
}

TEST(Limits, ModelFileWithHugeInputShapeIsRefusedBeforeAllocating) {
  Bytes b = model_file("dense 10 softmax", 4096, 4096, 4096, {{0.0f}, {0.0f}});
  const int64_t before = Tensor::allocations();
  std::string msg = message_of<FormatError>([&] { Network::load(b.data(), b.size()); });
  EXPECT_TRUE(states_a_limit(msg)) << msg;
  EXPECT_EQ(Tensor::allocations(), before);
}

TEST(Limits, ModelFileWithMismatchedTensorsIsRefused) {
  Bytes b = model_file("dense 10 softmax", 28, 28, 1, {{1.0f}, {2.0f}});
  std::string msg = message_of<FormatError>([&] { Network::load(b.data(), b.size()); });
  EXPECT_TRUE(contains(msg, "7840")) << msg;  // what the description needs
}

// A 100-byte file naming a network that fits the memory limit (~70 M parameters) but holding
// two one-float tensors: Network::load plans the layers and compares the tensor sizes before
// any parameter buffer exists, so it refuses the file without allocating (building the network
// first would take ~570 MB and seconds of initialisation).
TEST(Limits, ModelFileWhoseTensorsLieIsRefusedBeforeAllocating) {
  Bytes b = model_file("dense 4096 relu | dense 4096 relu | dense 4096 relu | dense 10 softmax", 28,
                       28, 1, {{1.0f}, {2.0f}});
  const int64_t before = Tensor::allocations();
  std::string msg = message_of<FormatError>([&] { Network::load(b.data(), b.size()); });
  EXPECT_TRUE(contains(msg, "tensor")) << msg;
  EXPECT_EQ(Tensor::allocations(), before) << "the network was built before the sizes were checked";
}

}  // namespace
}  // namespace sn
