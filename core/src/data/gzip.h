#pragma once
// gzip inflation, only in native builds that found zlib (gzip_zlib.cpp, SCRATCHNET_HAVE_ZLIB).
// The browser build is handed raw IDX bytes: the page inflates with DecompressionStream.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace sn {

// Output cap for inflation: larger than any IDX set we read (EMNIST byclass is ~550 MB), and
// a guard against a small "gzip bomb" filling memory.
inline constexpr size_t kMaxInflatedBytes = size_t{1} << 30;

inline bool is_gzip(const std::vector<uint8_t>& bytes) {
  return bytes.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b;
}

#ifdef SCRATCHNET_HAVE_ZLIB
// Inflates a whole gzip stream (concatenated members too). Throws FormatError naming `name`
// on corrupt data or when the output would exceed max_output.
std::vector<uint8_t> gunzip(const std::vector<uint8_t>& compressed, const std::string& name,
                            size_t max_output = kMaxInflatedBytes);
#endif

}  // namespace sn
