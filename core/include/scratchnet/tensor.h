#pragma once
// Tensors: contiguous float32 storage, 64-byte aligned (a cache line, and enough for any SIMD
// width we target), with cheap non-owning views.
//
// LAYOUT: NHWC everywhere. Element (n, y, x, c) of a tensor of shape (N, H, W, C) lives at
//   ((n * H + y) * W + x) * C + c
// so one sample is a contiguous block of H*W*C floats, channels vary fastest (a pixel's channels
// are adjacent, which is what im2col wants), and a dense layer's (N, features) is (N, 1, 1, F).
#include <cstddef>
#include <cstdint>
#include <string>

namespace sn {

struct Shape {
  int n = 0, h = 1, w = 1, c = 1;
  int64_t size() const { return int64_t(n) * h * w * c; }
  int64_t sample_size() const { return int64_t(h) * w * c; }
  bool operator==(const Shape&) const = default;
  std::string str() const;  // "64x28x28x1"
};

// Throws Error "<what>: expected shape 64x28x28x1, got 64x28x28x3" when the shapes differ.
void check_shape(const Shape& got, const Shape& want, const char* what);

// A non-owning window onto floats laid out as `shape` (NHWC). Copying it copies two words.
class TensorView {
 public:
  TensorView() = default;
  TensorView(float* data, Shape shape) : data_(data), shape_(shape) {}
  float* data() const { return data_; }
  const Shape& shape() const { return shape_; }
  int64_t size() const { return shape_.size(); }
  float& at(int n, int y, int x, int c) const {
    return data_[((int64_t(n) * shape_.h + y) * shape_.w + x) * shape_.c + c];
  }
  // Samples [first, first + count) as a view (throws Error when out of range).
  TensorView samples(int first, int count) const;

 private:
  float* data_ = nullptr;
  Shape shape_{};
};

// Owning storage. resize() reallocates only when the new size exceeds the capacity, so a buffer
// sized for the first (largest) batch is reused for every later one without allocating.
class Tensor {
 public:
  Tensor() = default;
  explicit Tensor(Shape shape);  // zero-filled
  Tensor(const Tensor& other);
  Tensor& operator=(const Tensor& other);
  Tensor(Tensor&& other) noexcept;
  Tensor& operator=(Tensor&& other) noexcept;
  ~Tensor();

  // Sets the shape. Contents are kept up to min(old, new) size when no reallocation happens;
  // after a reallocation they are zero.
  void resize(Shape shape);
  void zero();

  float* data() { return data_; }
  const float* data() const { return data_; }
  const Shape& shape() const { return shape_; }
  int64_t size() const { return shape_.size(); }
  size_t capacity() const { return capacity_; }
  float& operator[](int64_t i) { return data_[i]; }
  float operator[](int64_t i) const { return data_[i]; }
  TensorView view() { return TensorView(data_, shape_); }

  // Number of buffer allocations made by all Tensors so far (tests use it to prove the training
  // loop allocates nothing after the first batch).
  static int64_t allocations();

 private:
  float* data_ = nullptr;
  size_t capacity_ = 0;  // floats
  Shape shape_{};
};

}  // namespace sn
