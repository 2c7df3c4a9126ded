#pragma once
// gzip inflation, only in native builds that found zlib (gzip_zlib.cpp, SCRATCHNET_HAVE_ZLIB).
// The browser build is handed raw IDX bytes: the worker inflates with DecompressionStream.
#include <cstddef>
#include <cstdint>
#include <memory>
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
// Inflates a gzip stream (concatenated members too) on demand: the caller asks for as many
// bytes as it expects and the inflater never writes more than that. Throws FormatError naming
// `name` on corrupt or truncated data.
class GzipReader {
 public:
  GzipReader(const std::vector<uint8_t>& compressed, std::string name);
  ~GzipReader();
  GzipReader(const GzipReader&) = delete;
  GzipReader& operator=(const GzipReader&) = delete;

  // Appends up to n more inflated bytes to `out` (fewer only when the stream ends).
  void read(std::vector<uint8_t>& out, size_t n);
  // Inflated bytes handed out so far: what the inflater has produced, never more.
  uint64_t produced() const { return produced_; }

 private:
  struct State;
  std::unique_ptr<State> state_;
  const std::vector<uint8_t>& compressed_;
  std::string name_;
  size_t in_pos_ = 0;
  uint64_t produced_ = 0;
  bool ended_ = false;
};

// Inflates a whole gzip stream. Throws FormatError naming `name` on corrupt data or when the
// output would exceed max_output (it inflates at most max_output + 1 bytes to tell).
std::vector<uint8_t> gunzip(const std::vector<uint8_t>& compressed, const std::string& name,
                            size_t max_output = kMaxInflatedBytes);

// Inflates a gzipped IDX file only as far as its header declares: the header first, then the
// declared size plus one byte, which tells trailing data (or a decompression bomb) apart from
// a file of the right length. A stream that does not start with a header parse_idx accepts
// yields just its first bytes, for parse_idx to name the problem. `produced`, when given,
// receives how many bytes the inflater produced (the tests bound it).
std::vector<uint8_t> gunzip_idx(const std::vector<uint8_t>& compressed, const std::string& name,
                                uint64_t* produced = nullptr);
#endif

}  // namespace sn
