// The IDX format (http://yann.lecun.com/exdb/mnist/): big-endian header, then raw bytes.
//   images: 0x00000803, count, rows, cols, then count*rows*cols unsigned bytes
//   labels: 0x00000801, count, then count unsigned bytes
// Every size is checked against the limits and the actual length before anything is copied.
#include <algorithm>
#include <cstdio>
#include <string>

#include "scratchnet/data.h"
#include "scratchnet/error.h"

namespace sn {

namespace {

uint32_t be32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) << 24 | static_cast<uint32_t>(p[1]) << 16 |
         static_cast<uint32_t>(p[2]) << 8 | static_cast<uint32_t>(p[3]);
}

std::string hex(uint32_t v, int digits) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%0*X", digits, v);
  return buf;
}

// Checks the 4-byte magic 00 00 08 <dims> and returns the item count; `what` is "images" or
// "labels" so the message says which file is wrong.
uint32_t check_header(const uint8_t* bytes, size_t size, uint8_t dims, const char* what) {
  const size_t header = 4 + 4 * static_cast<size_t>(dims);
  if (size == 0) throw FormatError(std::string(what) + " file is empty");
  if (size < 4) {
    throw FormatError(std::string(what) + " file is " + std::to_string(size) +
                      " bytes, too short for an IDX header");
  }
  const uint32_t magic = be32(bytes);
  const uint32_t expected = 0x00000800u | dims;
  if (magic != expected) {
    if ((magic & 0xFFFF0000u) != 0) {
      throw FormatError(std::string(what) + ": bad magic number " + hex(magic, 8) + " (expected " +
                        hex(expected, 8) + "; is this an IDX file? gzipped files need inflating)");
    }
    if (bytes[2] != 0x08) {
      throw FormatError(std::string(what) + ": element type " + hex(bytes[2], 2) +
                        " is not unsigned byte (0x08)");
    }
    if (bytes[3] == 0x01 && dims == 3) {
      throw FormatError(std::string(what) + ": this is a label file (1 dimension), not images");
    }
    if (bytes[3] == 0x03 && dims == 1) {
      throw FormatError(std::string(what) + ": this is an image file (3 dimensions), not labels");
    }
    throw FormatError(std::string(what) + ": " + std::to_string(bytes[3]) +
                      " dimensions, expected " + std::to_string(dims));
  }
  if (size < header) {
    throw FormatError(std::string(what) + ": truncated header (" + std::to_string(size) +
                      " bytes, needs " + std::to_string(header) + ")");
  }
  const uint32_t count = be32(bytes + 4);
  if (count == 0) throw FormatError(std::string(what) + ": the file holds no items");
  if (count > kMaxIdxItems) {
    throw FormatError(std::string(what) + ": " + std::to_string(count) +
                      " items exceeds the limit of " + std::to_string(kMaxIdxItems));
  }
  return count;
}

void check_sides(uint32_t rows, uint32_t cols) {
  if (rows == 0 || cols == 0 || rows > static_cast<uint32_t>(kMaxIdxSide) ||
      cols > static_cast<uint32_t>(kMaxIdxSide)) {
    throw FormatError("images: size " + std::to_string(rows) + "x" + std::to_string(cols) +
                      " is outside 1.." + std::to_string(kMaxIdxSide));
  }
}

void check_length(size_t size, size_t header, uint64_t payload, const char* what) {
  if (size - header != payload) {
    throw FormatError(std::string(what) + ": expected " + std::to_string(header + payload) +
                      " bytes from the header, got " + std::to_string(size) +
                      (size - header < payload ? " (truncated)" : " (trailing bytes)"));
  }
}

}  // namespace

int Dataset::num_classes() const {
  if (labels.empty()) return 0;
  return 1 + *std::max_element(labels.begin(), labels.end());
}

uint64_t idx_declared_size(const uint8_t* bytes, size_t size) {
  // Only the two layouts parse_idx reads, through the same checks (a refused header is 0).
  if (size < 4 || (be32(bytes) != 0x00000801u && be32(bytes) != 0x00000803u)) return 0;
  const uint8_t dims = bytes[3];
  try {
    const uint32_t count = check_header(bytes, size, dims, "idx");
    if (dims == 1) return 8 + uint64_t{count};
    const uint32_t rows = be32(bytes + 8), cols = be32(bytes + 12);
    check_sides(rows, cols);
    return 16 + uint64_t{count} * rows * cols;
  } catch (const FormatError&) {
    return 0;
  }
}

Dataset parse_idx(const uint8_t* image_bytes, size_t image_size, const uint8_t* label_bytes,
                  size_t label_size) {
  const uint32_t count = check_header(image_bytes, image_size, 3, "images");
  const uint32_t rows = be32(image_bytes + 8), cols = be32(image_bytes + 12);
  check_sides(rows, cols);
  const uint64_t pixels = static_cast<uint64_t>(count) * rows * cols;
  check_length(image_size, 16, pixels, "images");

  const uint32_t label_count = check_header(label_bytes, label_size, 1, "labels");
  check_length(label_size, 8, label_count, "labels");
  if (label_count != count) {
    throw FormatError(std::to_string(count) + " images but " + std::to_string(label_count) +
                      " labels: the two files do not belong together");
  }

  Dataset d;
  d.rows = static_cast<int>(rows);
  d.cols = static_cast<int>(cols);
  d.images.assign(image_bytes + 16, image_bytes + 16 + pixels);
  d.labels.assign(label_bytes + 8, label_bytes + 8 + count);
  return d;
}

}  // namespace sn
