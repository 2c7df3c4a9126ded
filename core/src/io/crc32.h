#pragma once
// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), the checksum zip and PNG use, so a
// model file can be checked with any standard tool. crc32("123456789") == 0xCBF43926.
#include <cstddef>
#include <cstdint>

namespace sn {

// Continues a running CRC: crc32(b, n2, crc32(a, n1)) == crc32 of a followed by b.
uint32_t crc32(const uint8_t* bytes, size_t size, uint32_t crc = 0);

}  // namespace sn
