// gzip inflation with zlib (native builds only; see core/CMakeLists.txt). The output grows in
// chunks and stops at a cap, so a tiny file that claims gigabytes cannot exhaust memory.
#include <zlib.h>

#include <algorithm>
#include <string>

#include "data/gzip.h"
#include "scratchnet/error.h"

namespace sn {

std::vector<uint8_t> gunzip(const std::vector<uint8_t>& compressed, const std::string& name,
                            size_t max_output) {
  z_stream zs{};
  // 16 + MAX_WBITS: expect a gzip header (not raw zlib).
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) throw FormatError(name + ": zlib init failed");
  std::vector<uint8_t> out;
  size_t in_pos = 0;
  int ret = Z_OK;
  const size_t chunk = size_t{1} << 20;
  while (true) {
    if (zs.avail_in == 0 && in_pos < compressed.size()) {
      // avail_in is 32-bit; feed at most 1 GiB at a time.
      size_t take = std::min(compressed.size() - in_pos, size_t{1} << 30);
      zs.next_in = const_cast<Bytef*>(compressed.data() + in_pos);
      zs.avail_in = static_cast<uInt>(take);
      in_pos += take;
    }
    if (out.size() >= max_output) {
      inflateEnd(&zs);
      throw FormatError(name + ": inflates to more than " + std::to_string(max_output) +
                        " bytes (the limit); refusing");
    }
    size_t old = out.size();
    size_t grow = std::min(chunk, max_output - old);
    out.resize(old + grow);
    zs.next_out = out.data() + old;
    zs.avail_out = static_cast<uInt>(grow);
    ret = inflate(&zs, Z_NO_FLUSH);
    out.resize(old + (grow - zs.avail_out));
    if (ret == Z_STREAM_END) {
      // Concatenated gzip members are legal: continue with the next one if bytes remain.
      if (zs.avail_in == 0 && in_pos >= compressed.size()) break;
      if (inflateReset(&zs) != Z_OK) break;
      continue;
    }
    if (ret == Z_BUF_ERROR && zs.avail_in == 0 && in_pos >= compressed.size()) {
      inflateEnd(&zs);
      throw FormatError(name + ": truncated gzip data");
    }
    if (ret != Z_OK && ret != Z_BUF_ERROR) {
      std::string why = zs.msg ? zs.msg : "error " + std::to_string(ret);
      inflateEnd(&zs);
      throw FormatError(name + ": corrupt gzip data (" + why + ")");
    }
  }
  inflateEnd(&zs);
  return out;
}

}  // namespace sn
