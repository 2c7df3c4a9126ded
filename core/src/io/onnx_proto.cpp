// The protobuf wire format for the ONNX messages in onnx_proto.h. Field numbers are those of
// onnx.proto (github.com/onnx/onnx, onnx/onnx.proto); each function names its message.
#include "io/onnx_proto.h"

#include <cstring>

namespace sn::onnx {

namespace {
constexpr int kVarint = 0, kLengthDelimited = 2, kFixed32 = 5;

// AttributeProto.AttributeType
constexpr int kAttributeFloat = 1, kAttributeInt = 2, kAttributeInts = 7;

void put_le32(std::vector<uint8_t>& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
}  // namespace

void Message::key(int field, int wire_type) {
  raw_varint(static_cast<uint64_t>(field) << 3 | static_cast<uint64_t>(wire_type));
}

// Seven bits at a time, least significant first, the high bit set on all but the last byte.
void Message::raw_varint(uint64_t value) {
  while (value >= 0x80) {
    bytes_.push_back(static_cast<uint8_t>(value | 0x80));
    value >>= 7;
  }
  bytes_.push_back(static_cast<uint8_t>(value));
}

void Message::varint(int field, uint64_t value) {
  key(field, kVarint);
  raw_varint(value);
}

void Message::float32(int field, float value) {
  key(field, kFixed32);
  uint32_t bits;
  std::memcpy(&bits, &value, 4);
  put_le32(bytes_, bits);
}

void Message::bytes(int field, const void* data, size_t size) {
  key(field, kLengthDelimited);
  raw_varint(size);
  if (size == 0) return;
  const size_t at = bytes_.size();
  bytes_.resize(at + size);
  std::memcpy(bytes_.data() + at, data, size);
}

// AttributeProto: name = 1, i = 3, ints = 8, type = 20.
Message float_attribute(const std::string& name, float value) {
  Message m;
  m.string(1, name);
  m.float32(2, value);
  m.varint(20, kAttributeFloat);
  return m;
}

Message int_attribute(const std::string& name, int64_t value) {
  Message m;
  m.string(1, name);
  m.varint(3, static_cast<uint64_t>(value));
  m.varint(20, kAttributeInt);
  return m;
}

Message ints_attribute(const std::string& name, const std::vector<int64_t>& values) {
  Message m;
  m.string(1, name);
  for (int64_t v : values) m.varint(8, static_cast<uint64_t>(v));  // unpacked, as proto2 writes
  m.varint(20, kAttributeInts);
  return m;
}

// NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5.
Message node(const std::string& op_type, const std::vector<std::string>& inputs,
             const std::vector<std::string>& outputs, const std::string& name,
             const std::vector<Message>& attributes) {
  Message m;
  for (const std::string& in : inputs) m.string(1, in);
  for (const std::string& out : outputs) m.string(2, out);
  m.string(3, name);
  m.string(4, op_type);
  for (const Message& a : attributes) m.message(5, a);
  return m;
}

// TensorProto: dims = 1, data_type = 2, name = 8, raw_data = 9 (little-endian values).
Message float_tensor(const std::string& name, const std::vector<int64_t>& dims,
                     const std::vector<float>& values) {
  Message m;
  for (int64_t d : dims) m.varint(1, static_cast<uint64_t>(d));
  m.varint(2, kFloat);
  m.string(8, name);
  std::vector<uint8_t> raw;
  raw.reserve(values.size() * 4);
  for (float v : values) {
    uint32_t bits;
    std::memcpy(&bits, &v, 4);
    put_le32(raw, bits);
  }
  m.bytes(9, raw.data(), raw.size());
  return m;
}

Message int64_tensor(const std::string& name, const std::vector<int64_t>& values) {
  Message m;
  m.varint(1, values.size());
  m.varint(2, kInt64);
  m.string(8, name);
  std::vector<uint8_t> raw;
  raw.reserve(values.size() * 8);
  for (int64_t v : values) {
    const uint64_t u = static_cast<uint64_t>(v);
    put_le32(raw, static_cast<uint32_t>(u));
    put_le32(raw, static_cast<uint32_t>(u >> 32));
  }
  m.bytes(9, raw.data(), raw.size());
  return m;
}

// ValueInfoProto { name = 1, type = 2 } > TypeProto { tensor_type = 1 } >
// TypeProto.Tensor { elem_type = 1, shape = 2 } > TensorShapeProto { dim = 1 } >
// Dimension { dim_value = 1, dim_param = 2 }.
Message float_value_info(const std::string& name, const std::vector<int64_t>& dims,
                         const std::string& batch_name) {
  Message shape;
  for (int64_t d : dims) {
    Message dim;
    if (d < 0) {
      dim.string(2, batch_name);
    } else {
      dim.varint(1, static_cast<uint64_t>(d));
    }
    shape.message(1, dim);
  }
  Message tensor;
  tensor.varint(1, kFloat);
  tensor.message(2, shape);
  Message type;
  type.message(1, tensor);
  Message m;
  m.string(1, name);
  m.message(2, type);
  return m;
}

// OperatorSetIdProto: domain = 1 ("" is the default ai.onnx domain), version = 2.
Message opset(int64_t version) {
  Message m;
  m.string(1, "");
  m.varint(2, static_cast<uint64_t>(version));
  return m;
}

// StringStringEntryProto: key = 1, value = 2.
Message string_entry(const std::string& key, const std::string& value) {
  Message m;
  m.string(1, key);
  m.string(2, value);
  return m;
}

}  // namespace sn::onnx
