// ONNX export: the protobuf wire format against the protobuf documentation's examples, and the
// exported graphs read back with a small wire-format reader written here (independent of the
// writer). Numerical agreement with onnxruntime is tests/web/onnx-export.test.ts.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "io/onnx_proto.h"
#include "scratchnet/network.h"
#include "scratchnet/onnx.h"

namespace sn {
namespace {

// One field of a protobuf message: a varint value, or the bytes of a length-delimited field.
struct Field {
  int number;
  uint64_t value = 0;
  std::string bytes;
};

uint64_t read_varint(const std::string& s, size_t* at) {
  uint64_t v = 0;
  for (int shift = 0;; shift += 7) {
    const uint8_t b = static_cast<uint8_t>(s.at((*at)++));
    v |= uint64_t(b & 0x7f) << shift;
    if (!(b & 0x80)) return v;
  }
}

std::vector<Field> read_fields(const std::string& s) {
  std::vector<Field> out;
  size_t at = 0;
  while (at < s.size()) {
    const uint64_t key = read_varint(s, &at);
    Field f{static_cast<int>(key >> 3), 0, {}};
    switch (key & 7) {
      case 0:
        f.value = read_varint(s, &at);
        break;
      case 2: {
        const uint64_t n = read_varint(s, &at);
        f.bytes = s.substr(at, n);
        at += n;
        break;
      }
      case 5:
        f.bytes = s.substr(at, 4), at += 4;
        break;
      default:
        ADD_FAILURE() << "unexpected wire type " << (key & 7);
        return out;
    }
    out.push_back(f);
  }
  return out;
}

std::vector<Field> all(const std::string& message, int number) {
  std::vector<Field> out;
  for (const Field& f : read_fields(message)) {
    if (f.number == number) out.push_back(f);
  }
  return out;
}

Field one(const std::string& message, int number) {
  const std::vector<Field> found = all(message, number);
  EXPECT_EQ(found.size(), 1u) << "field " << number;
  return found.empty() ? Field{number, 0, {}} : found[0];
}

std::string as_string(const std::vector<uint8_t>& bytes) {
  return std::string(bytes.begin(), bytes.end());
}

// ModelProto.graph (7) -> GraphProto.
std::string graph_of(const std::vector<uint8_t>& model) { return one(as_string(model), 7).bytes; }

std::vector<std::string> op_types(const std::string& graph) {
  std::vector<std::string> ops;
  for (const Field& node : all(graph, 1)) ops.push_back(one(node.bytes, 4).bytes);
  return ops;
}

// ValueInfoProto -> its dims, with a symbolic dimension as -1.
std::vector<int64_t> dims_of(const std::string& value_info) {
  const std::string type = one(value_info, 2).bytes;
  const std::string tensor = one(type, 1).bytes;
  EXPECT_EQ(one(tensor, 1).value, 1u);  // FLOAT
  std::vector<int64_t> dims;
  for (const Field& d : all(one(tensor, 2).bytes, 1)) {
    const std::vector<Field> value = all(d.bytes, 1);
    dims.push_back(value.empty() ? -1 : static_cast<int64_t>(value[0].value));
  }
  return dims;
}

std::vector<float> initializer(const std::string& graph, const std::string& name) {
  for (const Field& t : all(graph, 5)) {
    if (one(t.bytes, 8).bytes != name) continue;
    const std::string raw = one(t.bytes, 9).bytes;
    std::vector<float> values(raw.size() / 4);
    std::memcpy(values.data(), raw.data(), raw.size());
    return values;
  }
  ADD_FAILURE() << "no initializer " << name;
  return {};
}

TEST(OnnxWire, MatchesTheProtobufDocumentationExamples) {
  onnx::Message m;
  m.varint(1, 150);  // "08 96 01" (protobuf encoding guide)
  m.string(2, "testing");
  m.varint(3, static_cast<uint64_t>(int64_t{-1}));  // negative int64: ten bytes
  m.float32(4, 1.0f);
  const std::vector<uint8_t> want = {0x08, 0x96, 0x01, 0x12, 0x07, 't',  'e',  's',  't',  'i',
                                     'n',  'g',  0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                     0xff, 0xff, 0x01, 0x25, 0x00, 0x00, 0x80, 0x3f};
  EXPECT_EQ(std::vector<uint8_t>(m.data(), m.data() + m.size()), want);
}

TEST(OnnxExport, LenetGraphHeaderAndShapes) {
  Network net("lenet", 28, 28, 1, 1);
  const std::vector<uint8_t> model = export_onnx(net, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
  const std::string m = as_string(model);
  EXPECT_EQ(one(m, 1).value, 7u);  // ir_version
  const std::string opset = one(m, 8).bytes;
  EXPECT_EQ(one(opset, 1).bytes, "");
  EXPECT_EQ(one(opset, 2).value, 13u);
  const std::string graph = graph_of(model);
  // The common case needs no Transpose: Flatten is channel-major, the dense rows are permuted.
  EXPECT_EQ(op_types(graph), (std::vector<std::string>{"Conv", "Relu", "MaxPool", "Conv", "Relu",
                                                       "MaxPool", "Flatten", "Gemm", "Relu", "Gemm",
                                                       "Relu", "Gemm", "Softmax"}));
  EXPECT_EQ(one(one(graph, 11).bytes, 1).bytes, "image");
  EXPECT_EQ(dims_of(one(graph, 11).bytes), (std::vector<int64_t>{-1, 1, 28, 28}));
  EXPECT_EQ(one(one(graph, 12).bytes, 1).bytes, "probabilities");
  EXPECT_EQ(dims_of(one(graph, 12).bytes), (std::vector<int64_t>{-1, 10}));
  bool labels = false;
  for (const Field& entry : all(m, 14)) {
    if (one(entry.bytes, 1).bytes == "class_labels") {
      labels = true;
      EXPECT_EQ(one(entry.bytes, 2).bytes, "0,1,2,3,4,5,6,7,8,9");
    }
  }
  EXPECT_TRUE(labels);
}

TEST(OnnxExport, ConvWeightsBecomeOutInHW) {
  // Engine (KH, KW, Cin, Cout) -> ONNX (Cout, Cin, KH, KW).
  Network net("conv 3 2x2 | flatten | dense 2 softmax", 3, 3, 2, 1);
  std::vector<float*> p = net.parameter_data();
  for (int i = 0; i < 2 * 2 * 2 * 3; ++i) p[0][i] = static_cast<float>(i);
  const std::vector<float> w = initializer(graph_of(export_onnx(net)), "layer1_conv_weight");
  ASSERT_EQ(w.size(), 24u);
  for (int co = 0; co < 3; ++co)
    for (int ci = 0; ci < 2; ++ci)
      for (int ky = 0; ky < 2; ++ky)
        for (int kx = 0; kx < 2; ++kx) {
          EXPECT_EQ(w[((co * 2 + ci) * 2 + ky) * 2 + kx],
                    static_cast<float>(((ky * 2 + kx) * 2 + ci) * 3 + co));
        }
}

TEST(OnnxExport, DenseRowsFollowChannelMajorFlatten) {
  // Input 2x2x1 -> conv 2 1x1 -> 2x2x2 -> flatten -> dense 1. Engine row (y, x, c) is
  // (y*2 + x)*2 + c; ONNX's Flatten gives (c, y, x): row c*4 + y*2 + x.
  Network net("conv 2 1x1 | flatten | dense 1 sigmoid", 2, 2, 1, 1);
  std::vector<float*> p = net.parameter_data();
  for (int r = 0; r < 8; ++r) p[2][r] = static_cast<float>(r);
  const std::vector<uint8_t> model = export_onnx(net);
  const std::string graph = graph_of(model);
  EXPECT_EQ(initializer(graph, "layer3_dense_weight"),
            (std::vector<float>{0, 2, 4, 6, 1, 3, 5, 7}));
  // A 1-unit sigmoid output becomes {1 - p, p}, as Network::predict writes it.
  const std::vector<std::string> ops = op_types(graph);
  ASSERT_GE(ops.size(), 2u);
  EXPECT_EQ(ops[ops.size() - 2], "Sub");
  EXPECT_EQ(ops.back(), "Concat");
  EXPECT_EQ(dims_of(one(graph, 12).bytes), (std::vector<int64_t>{-1, 2}));
}

TEST(OnnxExport, ReshapeBetweenSpatialLayersGoesThroughTheEngineOrder) {
  // 4x4x2 reshaped to 8x4x1: the engine's (y, x, c) run is relabelled, so the ONNX graph must
  // transpose the NCHW conv output to NHWC before reshaping it.
  Network net("conv 2 1x1 | reshape 8x4x1 | conv 1 1x1 | flatten | dense 2 softmax", 4, 4, 1, 1);
  const std::vector<std::string> ops = op_types(graph_of(export_onnx(net)));
  EXPECT_EQ(ops, (std::vector<std::string>{"Conv", "Transpose", "Flatten", "Reshape", "Conv",
                                           "Flatten", "Gemm", "Softmax"}));
}

}  // namespace
}  // namespace sn
