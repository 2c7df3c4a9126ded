// Fuzzes the IDX reader: parse_idx on raw bytes, and read_idx_file (the gzip path) on a
// temporary file. Only sn::Error may escape the engine; any other exception, crash, leak or UB
// is a bug. Input layout (so one input exercises both files):
//   byte 0      bit 0 set: the rest is a file given to read_idx_file, then split;
//               bit 1 set (and bit 0 clear): the rest is inflated in memory by gunzip with a
//               64 KiB output cap (so the "inflates to more than ..." refusal is reached too)
//   bytes 1-2   u16 little-endian: length of the image part (clamped); the rest is labels
//   bytes 3..   payload
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "data/gzip.h"  // private: gunzip() with a caller-chosen output cap
#include "fuzz_check.h"
#include "scratchnet/data.h"
#include "scratchnet/error.h"

namespace {

void parse_and_check(const uint8_t* bytes, size_t size, size_t split) {
  if (split > size) split = size;
  sn::Dataset d;
  try {
    d = sn::parse_idx(bytes, split, bytes + split, size - split);
  } catch (const sn::Error&) {
    return;
  }
  // What a caller relies on after a successful parse.
  FUZZ_CHECK(d.rows >= 1 && d.rows <= sn::kMaxIdxSide && d.cols >= 1 && d.cols <= sn::kMaxIdxSide,
             "rows %d cols %d", d.rows, d.cols);
  FUZZ_CHECK(d.images.size() == d.labels.size() * static_cast<size_t>(d.rows) * d.cols,
             "%zu image bytes for %zu labels of %dx%d", d.images.size(), d.labels.size(), d.rows,
             d.cols);
  FUZZ_CHECK(d.images.size() <= size, "more pixels (%zu) than input bytes (%zu)", d.images.size(),
             size);
  int classes = d.num_classes();
  FUZZ_CHECK(classes >= 0 && classes <= 256, "num_classes %d", classes);
  if (d.count() > 0) {
    volatile uint8_t last = d.image(d.count() - 1)[d.rows * d.cols - 1];  // in bounds (ASan)
    (void)last;
  }
}

// One temporary file per process, rewritten for every input and removed at exit.
std::string g_temp;
void remove_temp() { unlink(g_temp.c_str()); }
const std::string& temp_path() {
  if (g_temp.empty()) {
    const char* dir = std::getenv("TMPDIR");
    std::string tmpl = std::string(dir && *dir ? dir : "/tmp") + "/fuzz_idx_XXXXXX";
    int fd = mkstemp(tmpl.data());
    if (fd < 0) std::abort();
    close(fd);
    g_temp = tmpl;
    std::atexit(remove_temp);
  }
  return g_temp;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 3) return 0;
  const uint8_t mode = data[0];
  const bool through_file = mode & 1;
  const size_t split = static_cast<size_t>(data[1]) | static_cast<size_t>(data[2]) << 8;
  data += 3;
  size -= 3;
  if (!through_file && (mode & 2)) {
#ifdef SCRATCHNET_HAVE_ZLIB
    constexpr size_t kCap = 64 * 1024;
    std::vector<uint8_t> inflated;
    try {
      inflated = sn::gunzip(std::vector<uint8_t>(data, data + size), "fuzz", kCap);
    } catch (const sn::FormatError&) {
      return 0;
    }
    FUZZ_CHECK(inflated.size() <= kCap, "gunzip returned %zu bytes, cap %zu", inflated.size(),
               kCap);
    parse_and_check(inflated.data(), inflated.size(), split);
#endif
    return 0;
  }
  if (!through_file) {
    parse_and_check(data, size, split);
    return 0;
  }
  FILE* f = std::fopen(temp_path().c_str(), "wb");
  if (!f) std::abort();
  if (size) std::fwrite(data, 1, size, f);
  std::fclose(f);
  std::vector<uint8_t> bytes;
  try {
    bytes = sn::read_idx_file(temp_path());
  } catch (const sn::Error&) {
    return 0;
  }
  bool gz = size >= 2 && data[0] == 0x1f && data[1] == 0x8b;
  if (!gz) {
    FUZZ_CHECK(bytes.size() == size && std::equal(bytes.begin(), bytes.end(), data),
               "a file without the gzip magic must come back unchanged (%zu -> %zu bytes)", size,
               bytes.size());
  } else {
    // Gzip is inflated only as far as the IDX header declares (or just the header's bytes).
    const uint64_t declared = sn::idx_declared_size(bytes.data(), bytes.size());
    FUZZ_CHECK(bytes.size() <= std::max<uint64_t>(declared, sn::kIdxMaxHeaderBytes),
               "inflated %zu bytes, its header declares %llu", bytes.size(),
               static_cast<unsigned long long>(declared));
  }
  parse_and_check(bytes.data(), bytes.size(), split);
  return 0;
}
