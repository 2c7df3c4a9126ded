// Decompression bombs: a 4 MB .gz whose IDX header declares 60,000 images of 28x28 (47 MB) but
// that inflates to 4 GiB. The reader stops at the declared size plus one byte and refuses with a
// message naming the file; the inflater's own count of produced bytes shows it went no further
// (memory bounded by the header, not by the 1 GiB cap). The bomb is made here, in milliseconds:
// one deflated MiB of zeros repeated (see gzip_bomb).
#include <gtest/gtest.h>

#ifdef SCRATCHNET_HAVE_ZLIB
#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "data/gzip.h"
#include "gzip_data.h"
#include "scratchnet/data.h"
#include "scratchnet/error.h"

namespace sn {
namespace {

using Bytes = std::vector<uint8_t>;
constexpr size_t kChunk = size_t{1} << 20;

void put_be32(Bytes& b, uint32_t v) {
  for (int i = 3; i >= 0; --i) b.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
void put_le32(Bytes& b, uint32_t v) {
  for (int i = 0; i < 4; ++i) b.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

Bytes images_header(uint32_t count, uint32_t rows, uint32_t cols) {
  Bytes b;
  for (uint32_t v : {0x00000803u, count, rows, cols}) put_be32(b, v);
  return b;
}

// Raw deflate (no header) of `data` from a fresh compressor, ended by a full flush: non-final
// blocks that end on a byte boundary and refer to nothing before them, so such pieces can be
// concatenated into one stream.
Bytes deflate_piece(const Bytes& data) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, 9, Z_DEFLATED, -MAX_WBITS, 9, Z_DEFAULT_STRATEGY), Z_OK);
  Bytes out(deflateBound(&zs, data.size()) + 64);
  zs.next_in = const_cast<Bytef*>(data.data());
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = out.data();
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FULL_FLUSH), Z_OK);
  EXPECT_EQ(zs.avail_in, 0u);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

// A valid gzip file of `header` followed by zeros, `total` bytes in all (a multiple of 1 MiB):
// the first MiB deflated, then one deflated MiB of zeros repeated, a final empty block, and the
// CRC-32 and length of the whole (CRCs combined, so nothing of size `total` is ever made).
Bytes gzip_bomb(const Bytes& header, uint64_t total) {
  Bytes first(kChunk, 0);
  const Bytes zeros(kChunk, 0);
  std::copy(header.begin(), header.end(), first.begin());
  Bytes gz = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff};
  // The MiB of zeros is deflated once per process (level 9 is slow under valgrind).
  static const Bytes body = deflate_piece(zeros);
  const Bytes head = deflate_piece(first);
  gz.insert(gz.end(), head.begin(), head.end());
  uLong crc = crc32(0, first.data(), static_cast<uInt>(kChunk));
  const uLong zeros_crc = crc32(0, zeros.data(), static_cast<uInt>(kChunk));
  for (uint64_t done = kChunk; done < total; done += kChunk) {
    gz.insert(gz.end(), body.begin(), body.end());
    crc = crc32_combine(crc, zeros_crc, static_cast<z_off_t>(kChunk));
  }
  gz.push_back(0x03);  // final block, fixed Huffman codes, holding only end-of-block
  gz.push_back(0x00);
  put_le32(gz, static_cast<uint32_t>(crc));
  put_le32(gz, static_cast<uint32_t>(total));  // ISIZE: the length modulo 2^32
  return gz;
}

const Bytes kMnistHeader = images_header(60000, 28, 28);
constexpr uint64_t kDeclared = 16 + uint64_t{60000} * 28 * 28;  // 47,040,016 bytes

TEST(GzipBomb, TheTestBombIsValidGzip) {
  // The construction, checked in full where that is cheap: 3 MiB inflates back exactly.
  const Bytes small = gzip_bomb(kMnistHeader, 3 * kChunk);
  const Bytes out = gunzip(small, "small.gz");
  ASSERT_EQ(out.size(), 3 * kChunk);
  EXPECT_TRUE(std::equal(kMnistHeader.begin(), kMnistHeader.end(), out.begin()));
  EXPECT_EQ(std::count(out.begin() + 16, out.end(), 0), static_cast<long>(3 * kChunk - 16));
  // The 4 GiB one is about 4 MB (the next test shows it inflates past its header's 47 MB).
  EXPECT_LT(gzip_bomb(kMnistHeader, uint64_t{4} << 30).size(), size_t{5} << 20);
}

TEST(GzipBomb, StopsAtTheDeclaredSizePlusOneByte) {
  const Bytes bomb = gzip_bomb(kMnistHeader, uint64_t{4} << 30);
  uint64_t produced = 0;
  try {
    gunzip_idx(bomb, "train-images-idx3-ubyte.gz", &produced);
    FAIL() << "the bomb was accepted";
  } catch (const FormatError& e) {
    EXPECT_NE(std::string(e.what()).find("train-images-idx3-ubyte.gz: inflates to more than the "
                                         "47040016 bytes its IDX header declares"),
              std::string::npos)
        << e.what();
  }
  // Memory is bounded by the header: the inflater wrote exactly one byte past the declared
  // size, not the gigabyte kMaxInflatedBytes allows nor the 4 GiB the stream holds.
  EXPECT_EQ(produced, kDeclared + 1);
}

TEST(GzipBomb, HeaderBeyondTheCapIsRefusedBeforeInflating) {
  // 10^7 images of 1024x1024 (10 TB) is a header parse_idx would accept on its numbers alone.
  const Bytes bomb = gzip_bomb(images_header(10'000'000, 1024, 1024), 8 * kChunk);
  uint64_t produced = 0;
  try {
    gunzip_idx(bomb, "big.gz", &produced);
    FAIL() << "accepted";
  } catch (const FormatError& e) {
    EXPECT_NE(std::string(e.what()).find("more than the 1024 MiB limit"), std::string::npos)
        << e.what();
  }
  EXPECT_EQ(produced, kIdxMaxHeaderBytes);
}

TEST(GzipBomb, ExactFilesLoadAndOneTrailingByteIsRefused) {
  // 4 images of 16x16 (1040 bytes) then zeros: exact, one byte more, one byte fewer.
  Bytes im = images_header(4, 16, 16);
  im.resize(16 + 4 * 256, 7);
  const auto gz = [](const Bytes& raw) { return testing::gzip(raw); };
  uint64_t produced = 0;
  EXPECT_EQ(gunzip_idx(gz(im), "ok.gz", &produced), im);
  EXPECT_EQ(produced, im.size());
  Bytes longer = im;
  longer.push_back(0);
  EXPECT_THROW(gunzip_idx(gz(longer), "long.gz"), FormatError);
  Bytes shorter(im.begin(), im.end() - 1);
  EXPECT_EQ(gunzip_idx(gz(shorter), "short.gz").size(), shorter.size());  // parse_idx: truncated
  // Not an IDX header: only the first bytes are inflated, for parse_idx to name the problem.
  Bytes text(100000, 'x');
  EXPECT_EQ(gunzip_idx(gz(text), "text.gz", &produced).size(), kIdxMaxHeaderBytes);
  EXPECT_EQ(produced, kIdxMaxHeaderBytes);
}

TEST(GzipBomb, LoadIdxDirRefusesTheBombNamingTheFile) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("sn_bomb_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
  std::filesystem::create_directories(dir);
  auto write = [&](const std::string& name, const Bytes& b) {
    std::ofstream(dir / name, std::ios::binary)
        .write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
  };
  // A smaller bomb here (1,000 images, 64 MiB inside): this test is about the path to it.
  write("train-images-idx3-ubyte.gz", gzip_bomb(images_header(1000, 28, 28), 64 * kChunk));
  Bytes labels;
  put_be32(labels, 0x00000801);
  put_be32(labels, 1000);
  labels.resize(8 + 1000, 1);
  write("train-labels-idx1-ubyte", labels);
  std::string message;
  try {
    load_idx_dir(dir.string(), "train");
  } catch (const Error& e) {
    message = e.what();
  }
  std::filesystem::remove_all(dir);
  EXPECT_NE(message.find("train-images-idx3-ubyte.gz: inflates to more than the 784016 bytes"),
            std::string::npos)
      << message;
  EXPECT_EQ(message.find('\n'), std::string::npos);  // one line for the CLI
}

}  // namespace
}  // namespace sn
#endif
