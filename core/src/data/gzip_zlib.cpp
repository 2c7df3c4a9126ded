// gzip inflation with zlib (native builds only; see core/CMakeLists.txt). Output is produced on
// demand and grows in chunks, so a tiny file that claims gigabytes cannot exhaust memory.
#include <zlib.h>

#include <algorithm>
#include <string>

#include "data/gzip.h"
#include "scratchnet/data.h"
#include "scratchnet/error.h"

namespace sn {

struct GzipReader::State {
  z_stream zs{};
};

GzipReader::GzipReader(const std::vector<uint8_t>& compressed, std::string name)
    : state_(std::make_unique<State>()), compressed_(compressed), name_(std::move(name)) {
  // 16 + MAX_WBITS: expect a gzip header (not raw zlib).
  if (inflateInit2(&state_->zs, 16 + MAX_WBITS) != Z_OK) {
    throw FormatError(name_ + ": zlib init failed");
  }
}

GzipReader::~GzipReader() { inflateEnd(&state_->zs); }

void GzipReader::read(std::vector<uint8_t>& out, size_t n) {
  z_stream& zs = state_->zs;
  const size_t chunk = size_t{1} << 20;
  size_t wanted = n;
  while (wanted > 0 && !ended_) {
    if (zs.avail_in == 0 && in_pos_ < compressed_.size()) {
      // avail_in is 32-bit; feed at most 1 GiB at a time.
      const size_t take = std::min(compressed_.size() - in_pos_, size_t{1} << 30);
      zs.next_in = const_cast<Bytef*>(compressed_.data() + in_pos_);
      zs.avail_in = static_cast<uInt>(take);
      in_pos_ += take;
    }
    const size_t old = out.size();
    const size_t grow = std::min(chunk, wanted);
    out.resize(old + grow);
    zs.next_out = out.data() + old;
    zs.avail_out = static_cast<uInt>(grow);
    const int ret = inflate(&zs, Z_NO_FLUSH);
    const size_t got = grow - zs.avail_out;
    out.resize(old + got);
    produced_ += got;
    wanted -= got;
    const bool input_done = zs.avail_in == 0 && in_pos_ >= compressed_.size();
    if (ret == Z_STREAM_END) {
      // Concatenated gzip members are legal: continue with the next one if bytes remain.
      if (input_done || inflateReset(&zs) != Z_OK) ended_ = true;
      continue;
    }
    if (ret == Z_BUF_ERROR && input_done) throw FormatError(name_ + ": truncated gzip data");
    if (ret != Z_OK && ret != Z_BUF_ERROR) {
      throw FormatError(name_ + ": corrupt gzip data (" +
                        (zs.msg ? std::string(zs.msg) : "error " + std::to_string(ret)) + ")");
    }
  }
}

std::vector<uint8_t> gunzip(const std::vector<uint8_t>& compressed, const std::string& name,
                            size_t max_output) {
  GzipReader reader(compressed, name);
  std::vector<uint8_t> out;
  reader.read(out, max_output + 1);
  if (out.size() > max_output) {
    throw FormatError(name + ": inflates to more than " + std::to_string(max_output) +
                      " bytes (the limit); refusing");
  }
  return out;
}

std::vector<uint8_t> gunzip_idx(const std::vector<uint8_t>& compressed, const std::string& name,
                                uint64_t* produced) {
  GzipReader reader(compressed, name);
  std::vector<uint8_t> out;
  auto report = [&] {
    if (produced) *produced = reader.produced();
  };
  reader.read(out, kIdxMaxHeaderBytes);
  const uint64_t declared = idx_declared_size(out.data(), out.size());
  if (declared > kMaxInflatedBytes) {
    report();
    throw FormatError(name + ": its IDX header declares " + std::to_string(declared) +
                      " bytes, more than the " + std::to_string(kMaxInflatedBytes >> 20) +
                      " MiB limit; refusing");
  }
  if (declared > 0 && out.size() <= declared) {
    reader.read(out, static_cast<size_t>(declared) + 1 - out.size());
  }
  report();
  if (declared > 0 && out.size() > declared) {
    throw FormatError(name + ": inflates to more than the " + std::to_string(declared) +
                      " bytes its IDX header declares (trailing data or a decompression bomb); "
                      "refusing");
  }
  return out;
}

}  // namespace sn
