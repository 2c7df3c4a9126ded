// gather_batch and the affine augmentation: plain conversion, identity warp, known shifts,
// left-right flips, determinism from the seed, staying inside [0, 1], and each data set's own
// distortions.
#include <gtest/gtest.h>

#include <algorithm>
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

TEST(Augment, MirrorFlipsLeftRightExactly) {
  Dataset d = blob();
  std::vector<float> a(64);
  Affine t;
  t.mirror = true;
  warp_image(d.image(0), 8, 8, t, a.data());
  // Image 0's square covers columns 2-3; its mirror covers 4-5, which is image 2 (columns 4-5).
  for (int p = 0; p < 64; ++p) EXPECT_EQ(a[p], d.images[2 * 64 + p] * (1.0f / 255.0f)) << p;
  // An asymmetric row: each pixel lands at cols - 1 - x, no interpolation.
  const uint8_t row[4] = {10, 20, 30, 40};
  std::vector<float> r(4);
  warp_image(row, 1, 4, t, r.data());
  for (int x = 0; x < 4; ++x) EXPECT_EQ(r[x], row[3 - x] * (1.0f / 255.0f)) << x;
  // Flip, then shift: the shift is in the flipped image's frame (one pixel right).
  t.dx = 1;
  warp_image(d.image(0), 8, 8, t, a.data());
  EXPECT_EQ(a[3 * 8 + 5], 1.0f);
  EXPECT_EQ(a[3 * 8 + 6], 1.0f);
  EXPECT_EQ(a[3 * 8 + 4], 0.0f);
}

TEST(Augment, MirrorFlipsAboutHalfAndAddsOneDraw) {
  AugmentOptions opt;
  opt.mirror = true;
  std::mt19937_64 rng(5), plain(5);
  int flipped = 0;
  for (int i = 0; i < 2000; ++i) {
    flipped += draw_affine(opt, rng).mirror ? 1 : 0;
    AugmentOptions no_mirror;
    EXPECT_FALSE(draw_affine(no_mirror, plain).mirror);
    plain();  // the fifth draw the mirrored stream takes
  }
  EXPECT_EQ(rng(), plain());  // five draws per image with mirroring, four without
  // Binomial(2000, 1/2): sd 22.4, so +-150 is over 6 sd (a fixed flip or none fails).
  EXPECT_GT(flipped, 850);
  EXPECT_LT(flipped, 1150);
}

TEST(Augment, EachDataSetGetsDistortionsThatKeepItsLabels) {
  // Digits: warps and no flips (a flipped 2 is not a 2); clothes: flips and no warps.
  for (const char* digits : {"mnist-full", "mnist", "full-mnist", "MNIST digits (bundled)", ""}) {
    const AugmentOptions a = augmentation_for(digits);
    EXPECT_TRUE(a.enabled) << digits;
    EXPECT_FALSE(a.mirror) << digits;
    EXPECT_GT(a.max_shift, 0.0f) << digits;
    EXPECT_GT(a.max_rotate_deg, 0.0f) << digits;
  }
  for (const char* clothes : {"fashion", "Fashion-MNIST (60,000 / 10,000)", "my-FASHION"}) {
    const AugmentOptions a = augmentation_for(clothes, false);
    EXPECT_FALSE(a.enabled) << clothes;
    EXPECT_TRUE(a.mirror) << clothes;
    EXPECT_EQ(a.max_shift, 0.0f) << clothes;
    EXPECT_EQ(a.max_scale, 0.0f) << clothes;
    EXPECT_EQ(a.max_rotate_deg, 0.0f) << clothes;
  }
  // A flip without warps copies pixels exactly: every augmented clothes image is a training
  // image or its mirror.
  Dataset d = blob();
  std::vector<float> out(64);
  uint8_t label;
  std::mt19937_64 rng(2);
  const int idx[1] = {0};
  bool saw[2] = {false, false};
  for (int i = 0; i < 20; ++i) {
    gather_batch(d, idx, 1, out.data(), &label, augmentation_for("fashion"), rng);
    const bool same = std::equal(out.begin(), out.end(), d.images.begin(),
                                 [](float f, uint8_t u) { return f == u * (1.0f / 255.0f); });
    const bool mirrored = std::equal(out.begin(), out.end(), d.images.begin() + 2 * 64,
                                     [](float f, uint8_t u) { return f == u * (1.0f / 255.0f); });
    EXPECT_TRUE(same || mirrored) << i;
    saw[mirrored ? 1 : 0] = true;
  }
  EXPECT_TRUE(saw[0] && saw[1]);
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
