// Tensor: NHWC indexing, alignment, views, shape checks, and reuse without reallocation.
#include <gtest/gtest.h>

#include <cstdint>

#include "scratchnet/error.h"
#include "scratchnet/tensor.h"

namespace sn {
namespace {

TEST(Tensor, IsZeroFilledAnd64ByteAligned) {
  Tensor t(Shape{2, 3, 4, 5});
  EXPECT_EQ(t.size(), 120);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(t.data()) % 64, 0u);
  for (int64_t i = 0; i < t.size(); ++i) EXPECT_EQ(t[i], 0.0f);
}

TEST(Tensor, IndexesNhwcWithChannelsFastest) {
  Tensor t(Shape{2, 3, 4, 5});
  TensorView v = t.view();
  v.at(1, 2, 3, 4) = 7.0f;
  EXPECT_EQ(t[((1 * 3 + 2) * 4 + 3) * 5 + 4], 7.0f);
  EXPECT_EQ(t[t.size() - 1], 7.0f);
  v.at(0, 0, 1, 0) = 3.0f;
  EXPECT_EQ(t[5], 3.0f);  // next pixel = C floats further
}

TEST(Tensor, SampleViewsShareStorage) {
  Tensor t(Shape{4, 2, 2, 1});
  TensorView last = t.view().samples(3, 1);
  EXPECT_EQ(last.shape(), (Shape{1, 2, 2, 1}));
  last.at(0, 1, 1, 0) = 9.0f;
  EXPECT_EQ(t[15], 9.0f);
  EXPECT_THROW(t.view().samples(3, 2), Error);
}

TEST(Tensor, ResizeReusesCapacityWhenShrinkingOrRegrowing) {
  Tensor t(Shape{64, 28, 28, 1});
  const float* before = t.data();
  const int64_t allocations = Tensor::allocations();
  t.resize(Shape{10, 28, 28, 1});
  t.resize(Shape{64, 28, 28, 1});
  EXPECT_EQ(t.data(), before);
  EXPECT_EQ(Tensor::allocations(), allocations);
  t.resize(Shape{65, 28, 28, 1});
  EXPECT_EQ(Tensor::allocations(), allocations + 1);
  EXPECT_GE(t.capacity(), size_t(65 * 28 * 28));
}

TEST(Tensor, CopyAndMove) {
  Tensor a(Shape{1, 1, 2, 2});
  a[3] = 4.0f;
  Tensor b = a;
  EXPECT_NE(b.data(), a.data());
  EXPECT_EQ(b[3], 4.0f);
  Tensor c = std::move(a);
  EXPECT_EQ(c[3], 4.0f);
  EXPECT_EQ(a.data(), nullptr);
}

TEST(Tensor, ShapeCheckNamesBothShapes) {
  try {
    check_shape(Shape{64, 28, 28, 3}, Shape{64, 28, 28, 1}, "images");
    FAIL() << "no exception";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "images: expected shape 64x28x28x1, got 64x28x28x3");
  }
  EXPECT_NO_THROW(check_shape(Shape{1, 2, 3, 4}, Shape{1, 2, 3, 4}, "x"));
  EXPECT_THROW(Tensor(Shape{-1, 1, 1, 1}), Error);
}

}  // namespace
}  // namespace sn
