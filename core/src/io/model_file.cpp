// The model file codec. Layout, all integers little-endian u32 unless said otherwise:
//   "SNMODEL\0"  version  description_length  input_h  input_w  input_c  class_count
//   tensor_count  description bytes (UTF-8)  class_count x i32 labels
//   tensor_count x (u32 length, length x f32)  u32 CRC-32 of every byte before it
// Versions 1 and 2 share this layout; version 2's tensors go on past the parameters with the
// layers' state (model_file.h).
// Decoding walks the bytes with a reader that checks each length against what is left before
// anything is allocated, so a lying header costs nothing; the checksum then catches the rest.
#include "scratchnet/model_file.h"

#include <cstring>
#include <string>

#include "io/crc32.h"
#include "scratchnet/error.h"

namespace sn {

namespace {

constexpr char kMagic[8] = {'S', 'N', 'M', 'O', 'D', 'E', 'L', '\0'};
constexpr size_t kHeaderSize = 8 + 7 * 4;
// Bounds on header fields that are not otherwise limited by the file size.
constexpr uint32_t kMaxDescriptionBytes = 16384;
constexpr uint32_t kMaxClasses = 16384;
constexpr uint32_t kMaxTensors = 1024;
constexpr uint32_t kMaxInputSide = 4096;

void put_u32(std::vector<uint8_t>& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

// Appends raw bytes by resize + memcpy (vector::insert from a char range trips a GCC 12
// -Wstringop-overflow false positive).
void put_bytes(std::vector<uint8_t>& out, const void* p, size_t n) {
  if (n == 0) return;
  const size_t at = out.size();
  out.resize(at + n);
  std::memcpy(out.data() + at, p, n);
}

uint32_t get_u32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 |
         static_cast<uint32_t>(p[2]) << 16 | static_cast<uint32_t>(p[3]) << 24;
}

uint32_t checked_u32(size_t v, const char* what) {
  if (v > 0xFFFFFFFFu)
    throw FormatError(std::string("model file: ") + what + " too large to encode");
  return static_cast<uint32_t>(v);
}

// Sequential reader over the bytes before the checksum; every read is bounds-checked.
class Reader {
 public:
  Reader(const uint8_t* p, size_t n) : p_(p), n_(n) {}
  size_t left() const { return n_ - pos_; }
  uint32_t u32(const char* what) {
    need(4, what);
    uint32_t v = get_u32(p_ + pos_);
    pos_ += 4;
    return v;
  }
  const uint8_t* take(size_t bytes, const char* what) {
    need(bytes, what);
    const uint8_t* at = p_ + pos_;
    pos_ += bytes;
    return at;
  }
  // Refuses a count of items of `item_size` bytes that cannot fit in what is left.
  void need_items(uint64_t count, size_t item_size, const std::string& what) {
    if (count > left() / item_size) {
      throw FormatError("truncated: " + what + " claims " + std::to_string(count) +
                        " items but only " + std::to_string(left()) + " bytes remain");
    }
  }

 private:
  void need(size_t bytes, const char* what) {
    if (bytes > left()) {
      throw FormatError(std::string("truncated: file ends inside the ") + what + " (needs " +
                        std::to_string(bytes) + " bytes, " + std::to_string(left()) + " left)");
    }
  }
  const uint8_t* p_;
  size_t n_, pos_ = 0;
};

void check_bound(uint32_t v, uint32_t lo, uint32_t hi, const char* what) {
  if (v < lo || v > hi) {
    throw FormatError(std::string("model file: ") + what + " " + std::to_string(v) +
                      " is out of range (" + std::to_string(lo) + ".." + std::to_string(hi) + ")");
  }
}

}  // namespace

std::vector<uint8_t> encode_model_file(const ModelFile& file) {
  size_t floats = 0;
  for (const auto& t : file.tensors) floats += t.size();
  std::vector<uint8_t> out;
  out.reserve(kHeaderSize + file.description.size() + 4 * file.class_labels.size() +
              4 * file.tensors.size() + 4 * floats + 4);
  put_bytes(out, kMagic, sizeof kMagic);
  put_u32(out, kModelFileVersion);
  put_u32(out, checked_u32(file.description.size(), "description"));
  put_u32(out, checked_u32(static_cast<size_t>(file.input_h), "input height"));
  put_u32(out, checked_u32(static_cast<size_t>(file.input_w), "input width"));
  put_u32(out, checked_u32(static_cast<size_t>(file.input_c), "input channels"));
  put_u32(out, checked_u32(file.class_labels.size(), "class labels"));
  put_u32(out, checked_u32(file.tensors.size(), "tensor count"));
  put_bytes(out, file.description.data(), file.description.size());
  for (int label : file.class_labels) put_u32(out, static_cast<uint32_t>(label));
  for (const auto& t : file.tensors) {
    put_u32(out, checked_u32(t.size(), "tensor"));
    for (float f : t) {
      uint32_t bits;
      std::memcpy(&bits, &f, 4);  // IEEE-754 bits, written little-endian like everything else
      put_u32(out, bits);
    }
  }
  put_u32(out, crc32(out.data(), out.size()));
  return out;
}

ModelFile decode_model_file(const uint8_t* bytes, size_t size) {
  // Magic first: a file that is not ours should say so, even when it is short.
  size_t magic_len = size < 8 ? size : 8;
  if (size == 0 || std::memcmp(bytes, kMagic, magic_len) != 0) {
    throw FormatError("not a ScratchNet model file (bad magic)");
  }
  if (size < 12) throw FormatError("truncated: the file ends inside the header");
  uint32_t version = get_u32(bytes + 8);
  if (version < 1 || version > kModelFileVersion) {
    throw FormatError("unsupported version " + std::to_string(version) +
                      " (this build reads 1 and " + std::to_string(kModelFileVersion) + ")");
  }
  if (size < kHeaderSize + 4) throw FormatError("truncated: the file ends inside the header");

  // Walk everything before the 4 checksum bytes; the walk must end exactly there.
  Reader r(bytes + 12, size - 12 - 4);
  uint32_t desc_len = r.u32("header");
  ModelFile file;
  file.version = version;
  uint32_t h = r.u32("header"), w = r.u32("header"), c = r.u32("header");
  uint32_t classes = r.u32("header"), tensors = r.u32("header");
  check_bound(desc_len, 1, kMaxDescriptionBytes, "description length");
  check_bound(h, 1, kMaxInputSide, "input height");
  check_bound(w, 1, kMaxInputSide, "input width");
  check_bound(c, 1, kMaxInputSide, "input channels");
  check_bound(classes, 0, kMaxClasses, "class count");
  check_bound(tensors, 0, kMaxTensors, "tensor count");
  file.input_h = static_cast<int>(h);
  file.input_w = static_cast<int>(w);
  file.input_c = static_cast<int>(c);

  r.need_items(desc_len, 1, "the description");
  const uint8_t* d = r.take(desc_len, "description");
  file.description.assign(reinterpret_cast<const char*>(d), desc_len);

  r.need_items(classes, 4, "the class label list");
  file.class_labels.reserve(classes);
  for (uint32_t i = 0; i < classes; ++i) {
    file.class_labels.push_back(static_cast<int32_t>(r.u32("class labels")));
  }

  r.need_items(tensors, 4, "the tensor list");  // each tensor has at least its length field
  file.tensors.reserve(tensors);
  for (uint32_t t = 0; t < tensors; ++t) {
    uint32_t len = r.u32("tensor lengths");
    r.need_items(len, 4, "tensor " + std::to_string(t));
    const uint8_t* p = r.take(static_cast<size_t>(len) * 4, "tensor data");
    std::vector<float> values(len);
    for (uint32_t i = 0; i < len; ++i) {
      uint32_t bits = get_u32(p + 4 * i);
      std::memcpy(&values[i], &bits, 4);
    }
    file.tensors.push_back(std::move(values));
  }
  if (r.left() != 0) {
    throw FormatError("model file has " + std::to_string(r.left()) +
                      " unexpected bytes after the last tensor");
  }
  if (crc32(bytes, size - 4) != get_u32(bytes + size - 4)) {
    throw FormatError("checksum mismatch: file is corrupt");
  }
  return file;
}

}  // namespace sn
