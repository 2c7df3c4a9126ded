// Gzip streams made in the test, for the tests that feed the readers gzipped input (zlib, when
// the build has it).
#pragma once

#ifdef SCRATCHNET_HAVE_ZLIB
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdint>
#include <vector>

namespace sn::testing {

// `raw` as one gzip stream, deflated at `level`.
inline std::vector<uint8_t> gzip(const std::vector<uint8_t>& raw, int level = 6) {
  std::vector<uint8_t> out(compressBound(uLong(raw.size())) + 64);
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
  zs.next_in = const_cast<Bytef*>(raw.data());
  zs.avail_in = static_cast<uInt>(raw.size());
  zs.next_out = out.data();
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

}  // namespace sn::testing
#endif
