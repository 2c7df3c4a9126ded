#pragma once
// The few ONNX protobuf messages the exporter writes (onnx.proto, IR version 7), encoded by
// hand: protobuf's wire format is a sequence of (field number << 3 | wire type) keys, each
// followed by a varint (type 0), 4 little-endian bytes (type 5) or a varint length and that
// many bytes (type 2: strings, bytes, nested messages). Messages are built inside out: a
// nested message is encoded first, then written into its parent as bytes.
#include <cstdint>
#include <string>
#include <vector>

namespace sn::onnx {

// One protobuf message being written.
class Message {
 public:
  void varint(int field, uint64_t value);  // int32 / int64 / enum (negatives: 10 bytes)
  void float32(int field, float value);    // wire type 5, little-endian IEEE-754
  void bytes(int field, const void* data, size_t size);
  void string(int field, const std::string& text) { bytes(field, text.data(), text.size()); }
  void message(int field, const Message& nested) { bytes(field, nested.data(), nested.size()); }

  const uint8_t* data() const { return bytes_.data(); }
  size_t size() const { return bytes_.size(); }
  std::vector<uint8_t> take() { return std::move(bytes_); }

 private:
  void key(int field, int wire_type);
  void raw_varint(uint64_t value);
  std::vector<uint8_t> bytes_;
};

// TensorProto.DataType values used here.
inline constexpr int kFloat = 1;
inline constexpr int kInt64 = 7;

// AttributeProto: one named attribute of a node.
Message float_attribute(const std::string& name, float value);
Message int_attribute(const std::string& name, int64_t value);
Message ints_attribute(const std::string& name, const std::vector<int64_t>& values);

// NodeProto: op_type applied to inputs, producing outputs (the default ONNX domain).
Message node(const std::string& op_type, const std::vector<std::string>& inputs,
             const std::vector<std::string>& outputs, const std::string& name,
             const std::vector<Message>& attributes = {});

// TensorProto: a named constant (an initializer), values as little-endian raw_data.
Message float_tensor(const std::string& name, const std::vector<int64_t>& dims,
                     const std::vector<float>& values);
Message int64_tensor(const std::string& name, const std::vector<int64_t>& values);  // 1-D

// ValueInfoProto for a float tensor; a dimension < 0 is the symbolic batch size `batch_name`.
Message float_value_info(const std::string& name, const std::vector<int64_t>& dims,
                         const std::string& batch_name);

// OperatorSetIdProto for the default domain, and StringStringEntryProto (metadata_props).
Message opset(int64_t version);
Message string_entry(const std::string& key, const std::string& value);

}  // namespace sn::onnx
