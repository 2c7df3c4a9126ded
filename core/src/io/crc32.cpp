#include "io/crc32.h"

#include <array>

namespace sn {

namespace {

// Byte-at-a-time table, computed at compile time: entry i is the CRC of the single byte i.
constexpr std::array<uint32_t, 256> make_table() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
  return table;
}

constexpr std::array<uint32_t, 256> kTable = make_table();

}  // namespace

uint32_t crc32(const uint8_t* bytes, size_t size, uint32_t crc) {
  // The standard pre- and post-inversion, so the running value can be passed back in.
  uint32_t c = ~crc;
  for (size_t i = 0; i < size; ++i) c = kTable[(c ^ bytes[i]) & 0xFFu] ^ (c >> 8);
  return ~c;
}

}  // namespace sn
