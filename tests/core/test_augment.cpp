// gather_batch and the affine augmentation: plain conversion, identity warp, known shifts,
// determinism from the seed, and staying inside [0, 1].
#include <gtest/gtest.h>

#include <cmath>

#include "data/augment.h"
#include "io/crc32.h"
#include "scratchnet/data.h"
#include "scratchnet/error.h"

namespace sn {
namespace {

Dataset blob() {
  // 3 images 8x8: a 2x2 bright square at different places, labels 0, 1, 2.
  Dataset d;
  d.rows = d.cols = 8;
  d.images.assign(3 * 64, 0);
  for (int k = 0; k < 3; ++k) {
    for (int y = 3; y < 5; ++y)
      for (int x = 2 + k; x < 4 + k; ++x) d.images[k * 64 + y * 8 + x] = 255;
    d.labels.push_back(static_cast<uint8_t>(k));
  }
  return d;
}

TEST(Augment, PlainGatherScalesAndFollowsIndices) {
  Dataset d = blob();
  d.images[64 + 5] = 51;
  std::vector<float> out(2 * 64);
  uint8_t labels[2];
  std::mt19937_64 rng(1);
  const int idx[2] = {1, 0};
  gather_batch(d, idx, 2, out.data(), labels, AugmentOptions{}, rng);
  EXPECT_EQ(labels[0], 1);
  EXPECT_EQ(labels[1], 0);
  EXPECT_FLOAT_EQ(out[5], 0.2f);
  EXPECT_FLOAT_EQ(out[64 + 3 * 8 + 2], 1.0f);
  EXPECT_EQ(rng(), std::mt19937_64(1)());  // no draws without augmentation
  const int bad[1] = {3};
  EXPECT_THROW(gather_batch(d, bad, 1, out.data(), labels, AugmentOptions{}, rng), Error);
}

TEST(Augment, IdentityWarpIsExact) {
  Dataset d = blob();
  std::vector<float> a(64);
  warp_image(d.image(0), 8, 8, Affine{}, a.data());
  for (int p = 0; p < 64; ++p) EXPECT_EQ(a[p], d.images[p] / 255.0f);
}

TEST(Augment, WholePixelShiftMovesTheImage) {
  Dataset d = blob();
  std::vector<float> a(64);
  Affine t;
  t.dx = 1;  // one pixel right: image 0 becomes image 1
  warp_image(d.image(0), 8, 8, t, a.data());
  for (int p = 0; p < 64; ++p) EXPECT_NEAR(a[p], d.images[64 + p] / 255.0f, 1e-6f) << p;
}

TEST(Augment, RotationBy90DegreesAndHalfPixelShift) {
  Dataset d;
  d.rows = d.cols = 3;
  d.images = {0, 255, 0, 0, 0, 0, 0, 0, 0};  // top middle
  std::vector<float> a(9);
  Affine t;
  t.angle_rad = 1.57079632679f;
  warp_image(d.images.data(), 3, 3, t, a.data());
  // A quarter turn moves the top-middle pixel to a middle side pixel; the centre stays dark.
  EXPECT_NEAR(a[3] + a[5], 1.0f, 1e-5f);
  EXPECT_NEAR(a[1], 0.0f, 1e-5f);
  t = Affine{};
  t.dx = 0.5f;
  warp_image(d.images.data(), 3, 3, t, a.data());
  EXPECT_NEAR(a[1], 0.5f, 1e-6f);  // bilinear: half of the pixel stays
  EXPECT_NEAR(a[2], 0.5f, 1e-6f);  // half moves right
}

TEST(Augment, SeededDeterministicAndBounded) {
  Dataset d = blob();
  AugmentOptions opt;
  opt.enabled = true;
  opt.max_shift = 2;
  opt.max_rotate_deg = 15;
  std::vector<float> a(3 * 64), b(3 * 64), plain(3 * 64);
  uint8_t la[3], lb[3];
  const int idx[3] = {0, 1, 2};
  std::mt19937_64 r1(9), r2(9), r3(10);
  gather_batch(d, idx, 3, a.data(), la, opt, r1);
  gather_batch(d, idx, 3, b.data(), lb, opt, r2);
  EXPECT_EQ(a, b);
  gather_batch(d, idx, 3, b.data(), lb, opt, r3);
  EXPECT_NE(a, b);
  gather_batch(d, idx, 3, plain.data(), lb, AugmentOptions{}, r3);
  EXPECT_NE(a, plain);
  for (float v : a) {
    EXPECT_GE(v, 0.0f);
    EXPECT_LE(v, 1.0f + 1e-6f);
  }
}

TEST(Augment, DrawsStayWithinLimits) {
  AugmentOptions opt;
  std::mt19937_64 rng(3);
  for (int i = 0; i < 1000; ++i) {
    Affine t = draw_affine(opt, rng);
    EXPECT_LE(std::fabs(t.dx), opt.max_shift);
    EXPECT_LE(std::fabs(t.dy), opt.max_shift);
    EXPECT_LE(std::fabs(t.scale - 1.0f), opt.max_scale + 1e-6f);
    EXPECT_LE(std::fabs(t.angle_rad), opt.max_rotate_deg * 3.1416f / 180.0f);
  }
}

}  // namespace
}  // namespace sn

namespace sn {
namespace {

// Known answers computed once and checked equal in the native (GCC, Clang) and wasm builds:
// if either changes, native and browser runs with one seed no longer see the same pixels.
TEST(Augment, KnownAnswerIsTheSameOnEveryPlatform) {
  Dataset d;
  d.rows = d.cols = 28;
  for (int i = 0; i < 8 * 784; ++i) d.images.push_back(static_cast<uint8_t>((i * 37) ^ (i >> 3)));
  for (int i = 0; i < 8; ++i) d.labels.push_back(static_cast<uint8_t>(i));
  AugmentOptions o;
  o.enabled = true;
  std::mt19937_64 rng(7);
  std::vector<float> out(8 * 784);
  std::vector<uint8_t> labels(8);
  const int idx[8] = {3, 1, 4, 1, 5, 2, 6, 0};
  for (int r = 0; r < 50; ++r) gather_batch(d, idx, 8, out.data(), labels.data(), o, rng);
  EXPECT_EQ(crc32(reinterpret_cast<const uint8_t*>(out.data()), out.size() * 4), 0x8af385a9u);

  BatchSampler s(1000, 64, 12345);
  uint32_t h = 0;
  for (int i = 0; i < 40; ++i) {
    const auto& b = s.next();
    h = crc32(reinterpret_cast<const uint8_t*>(b.data()), b.size() * 4, h);
  }
  EXPECT_EQ(h, 0x357c2511u);
}

}  // namespace
}  // namespace sn
