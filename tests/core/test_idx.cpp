// IDX parsing and loading: well-formed files, every malformed header we know of, class filters,
// and (when `npm run data` has run) the bundled digits.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#ifdef SCRATCHNET_HAVE_ZLIB
#include "data/gzip.h"
#include "gzip_data.h"
#endif
#include "scratchnet/data.h"
#include "scratchnet/error.h"

namespace sn {
namespace {

void put_be32(std::vector<uint8_t>& b, uint32_t v) {
  for (int i = 3; i >= 0; --i) b.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

std::vector<uint8_t> images_file(uint32_t count, uint32_t rows, uint32_t cols) {
  std::vector<uint8_t> b;
  put_be32(b, 0x00000803);
  put_be32(b, count);
  put_be32(b, rows);
  put_be32(b, cols);
  for (uint32_t i = 0; i < count * rows * cols; ++i) b.push_back(static_cast<uint8_t>(i * 7));
  return b;
}

std::vector<uint8_t> labels_file(const std::vector<uint8_t>& labels) {
  std::vector<uint8_t> b;
  put_be32(b, 0x00000801);
  put_be32(b, static_cast<uint32_t>(labels.size()));
  b.insert(b.end(), labels.begin(), labels.end());
  return b;
}

std::string error_of(const std::vector<uint8_t>& im, const std::vector<uint8_t>& lb) {
  try {
    parse_idx(im.data(), im.size(), lb.data(), lb.size());
  } catch (const FormatError& e) {
    return e.what();
  }
  return "";
}

TEST(Idx, ParsesWellFormedFiles) {
  auto im = images_file(3, 2, 4);
  auto lb = labels_file({7, 0, 3});
  Dataset d = parse_idx(im.data(), im.size(), lb.data(), lb.size());
  EXPECT_EQ(d.count(), 3);
  EXPECT_EQ(d.rows, 2);
  EXPECT_EQ(d.cols, 4);
  EXPECT_EQ(d.num_classes(), 8);
  ASSERT_EQ(d.images.size(), 24u);
  EXPECT_EQ(d.image(1)[0], static_cast<uint8_t>(8 * 7));
  EXPECT_EQ(d.labels[2], 3);
  EXPECT_EQ(Dataset{}.num_classes(), 0);
}

TEST(Idx, RejectsMalformedFiles) {
  auto im = images_file(3, 2, 4);
  auto lb = labels_file({1, 2, 3});
  auto bad = im;
  bad[0] = 0x1f;  // e.g. still gzipped
  EXPECT_NE(error_of(bad, lb).find("bad magic"), std::string::npos);
  bad = im;
  bad[2] = 0x0D;  // float elements
  EXPECT_NE(error_of(bad, lb).find("element type 0x0D is not unsigned byte"), std::string::npos)
      << error_of(bad, lb);
  bad = im;
  bad[3] = 2;
  EXPECT_NE(error_of(bad, lb).find("2 dimensions, expected 3"), std::string::npos);
  EXPECT_NE(error_of(lb, im).find("label file"), std::string::npos);  // swapped files
  // Truncated anywhere: header or pixels.
  for (size_t n = 0; n < im.size(); ++n) {
    std::vector<uint8_t> cut(im.begin(), im.begin() + n);
    EXPECT_THROW(parse_idx(cut.data(), cut.size(), lb.data(), lb.size()), FormatError) << n;
  }
  for (size_t n = 0; n < lb.size(); ++n) {
    std::vector<uint8_t> cut(lb.begin(), lb.begin() + n);
    EXPECT_THROW(parse_idx(im.data(), im.size(), cut.data(), cut.size()), FormatError) << n;
  }
  bad = im;
  bad.push_back(0);
  EXPECT_NE(error_of(bad, lb).find("trailing"), std::string::npos);
  EXPECT_NE(error_of({}, lb).find("empty"), std::string::npos);
  EXPECT_NE(error_of(images_file(0, 2, 4), labels_file({})).find("no items"), std::string::npos);
  EXPECT_NE(error_of(im, labels_file({1, 2})).find("3 images but 2 labels"), std::string::npos);
}

TEST(Idx, AbsurdHeadersAreRefusedBeforeAllocating) {
  // Headers claiming huge sizes with no data behind them: refused on the numbers alone.
  auto lb = labels_file({1});
  std::vector<uint8_t> im;
  put_be32(im, 0x00000803);
  put_be32(im, 0xFFFFFFFF);
  put_be32(im, 28);
  put_be32(im, 28);
  EXPECT_NE(error_of(im, lb).find("exceeds the limit of 10000000"), std::string::npos);
  im.clear();
  put_be32(im, 0x00000803);
  put_be32(im, 1);
  put_be32(im, 100000);
  put_be32(im, 28);
  EXPECT_NE(error_of(im, lb).find("outside 1..1024"), std::string::npos);
  im.clear();
  put_be32(im, 0x00000803);
  put_be32(im, 10000000);
  put_be32(im, 1024);
  put_be32(im, 1024);  // 10 TB claimed, 16 bytes present
  EXPECT_NE(error_of(im, lb).find("truncated"), std::string::npos);
}

TEST(Idx, FilterClassesRelabelsInOrder) {
  auto im = images_file(5, 1, 2);
  auto lb = labels_file({3, 8, 1, 8, 3});
  Dataset d = parse_idx(im.data(), im.size(), lb.data(), lb.size());
  Dataset f = filter_classes(d, {8, 3});
  ASSERT_EQ(f.count(), 4);
  EXPECT_EQ(f.labels, (std::vector<uint8_t>{1, 0, 0, 1}));
  EXPECT_EQ(f.image(2)[0], d.image(3)[0]);
  EXPECT_EQ(f.rows, 1);
  EXPECT_THROW(filter_classes(d, {}), Error);
  EXPECT_THROW(filter_classes(d, {3, 3}), Error);
  EXPECT_THROW(filter_classes(d, {300}), Error);
  EXPECT_THROW(filter_classes(d, {5}), Error);
}

class IdxFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("sn_idx_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void write(const std::string& name, const std::vector<uint8_t>& bytes) {
    std::ofstream(dir_ / name, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()),
               static_cast<std::streamsize>(bytes.size()));
  }
  std::filesystem::path dir_;
};

TEST_F(IdxFiles, LoadsBothSpellings) {
  write("t10k-images-idx3-ubyte", images_file(2, 3, 3));
  write("t10k-labels-idx1-ubyte", labels_file({4, 5}));
  write("train-images.idx3-ubyte", images_file(1, 3, 3));
  write("train-labels.idx1-ubyte", labels_file({9}));
  EXPECT_EQ(load_idx_dir(dir_.string(), "t10k").count(), 2);
  EXPECT_EQ(load_idx_dir(dir_.string(), "train").labels[0], 9);
}

TEST_F(IdxFiles, ClearErrors) {
  try {
    load_idx_dir((dir_ / "nope").string(), "train");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("does not exist"), std::string::npos);
  }
  try {
    load_idx_dir(dir_.string(), "train");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("train-images-idx3-ubyte[.gz]"), std::string::npos);
  }
  EXPECT_THROW(read_idx_file((dir_ / "missing").string()), Error);
  write("train-images-idx3-ubyte", labels_file({1}));
  write("train-labels-idx1-ubyte", labels_file({1}));
  try {
    load_idx_dir(dir_.string(), "train");
    FAIL();
  } catch (const FormatError& e) {
    EXPECT_NE(std::string(e.what()).find("label file"), std::string::npos) << e.what();
  }
}

TEST_F(IdxFiles, GzipIsInflatedOrRefusedClearly) {
  // A gzip member holding "IDX" stored uncompressed (deflate block type 0), built by hand.
  std::vector<uint8_t> gz = {0x1f, 0x8b, 8,    0,    0,    0,   0,   0,   0, 0xff,  // header
                             0x01, 3,    0,    0xfc, 0xff, 'I', 'D', 'X',  // final stored block
                             0x9a, 0x3c, 0xaf, 0x71,                       // CRC-32 of "IDX"
                             3,    0,    0,    0};                         // size
  write("x.gz", gz);
#ifdef SCRATCHNET_HAVE_ZLIB
  auto bytes = read_idx_file((dir_ / "x.gz").string());
  EXPECT_EQ(std::string(bytes.begin(), bytes.end()), "IDX");
  const std::vector<uint8_t> cut(gz.begin(), gz.begin() + 20);  // ends inside the data
  write("cut.gz", cut);
  EXPECT_THROW(read_idx_file((dir_ / "cut.gz").string()), FormatError);
#else
  try {
    read_idx_file((dir_ / "x.gz").string());
    FAIL();
  } catch (const FormatError& e) {
    EXPECT_NE(std::string(e.what()).find("gzip not supported in this build"), std::string::npos);
  }
#endif
}

#ifdef SCRATCHNET_HAVE_ZLIB
// A small gzip stream that inflates far beyond the cap is stopped at the cap ("gzip bomb").
TEST(Gzip, OutputIsCapped) {
  const std::vector<uint8_t> zeros(1 << 20, 0);
  std::vector<uint8_t> gz = testing::gzip(zeros, 9);
  EXPECT_LT(gz.size(), 2000u);  // 1 MiB of zeros in ~1 KB
  EXPECT_EQ(gunzip(gz, "zeros.gz").size(), zeros.size());
  try {
    gunzip(gz, "zeros.gz", 100000);
    FAIL() << "no limit";
  } catch (const FormatError& e) {
    EXPECT_NE(std::string(e.what()).find("more than 100000 bytes"), std::string::npos) << e.what();
  }
  gz[gz.size() / 2] ^= 0xFF;
  EXPECT_THROW(gunzip(gz, "bad.gz"), FormatError);
}
#endif

TEST(IdxBundled, BundledDigitsLoad) {
  const std::string dir = SCRATCHNET_DATA_DIR;
  if (!std::filesystem::exists(dir + "/train-images-idx3-ubyte.gz")) {
    GTEST_SKIP() << "run `npm run data` first";
  }
  Dataset train = load_idx_dir(dir, "train");
  Dataset test = load_idx_dir(dir, "t10k");
  EXPECT_EQ(train.count(), 8500);
  EXPECT_EQ(test.count(), 1500);
  EXPECT_EQ(train.rows, 28);
  EXPECT_EQ(train.num_classes(), 10);
  EXPECT_EQ(test.num_classes(), 10);
}

}  // namespace
}  // namespace sn
