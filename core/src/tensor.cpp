#include "scratchnet/tensor.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <new>

#include "scratchnet/error.h"

namespace sn {
namespace {

constexpr std::align_val_t kAlign{64};
std::atomic<int64_t> g_allocations{0};

float* allocate(size_t floats) {
  if (floats == 0) return nullptr;
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return static_cast<float*>(::operator new(floats * sizeof(float), kAlign));
}

void release(float* p) {
  if (p) ::operator delete(p, kAlign);
}

}  // namespace

std::string Shape::str() const {
  return std::to_string(n) + "x" + std::to_string(h) + "x" + std::to_string(w) + "x" +
         std::to_string(c);
}

void check_shape(const Shape& got, const Shape& want, const char* what) {
  if (got == want) return;
  throw Error(std::string(what) + ": expected shape " + want.str() + ", got " + got.str());
}

TensorView TensorView::samples(int first, int count) const {
  if (first < 0 || count < 0 || first + count > shape_.n) {
    throw Error("samples [" + std::to_string(first) + ", " + std::to_string(first + count) +
                ") out of range for a tensor of shape " + shape_.str());
  }
  Shape s = shape_;
  s.n = count;
  return TensorView(data_ + first * shape_.sample_size(), s);
}

Tensor::Tensor(Shape shape) {
  if (shape.n < 0 || shape.h < 0 || shape.w < 0 || shape.c < 0) {
    throw Error("negative tensor shape " + shape.str());
  }
  capacity_ = static_cast<size_t>(shape.size());
  data_ = allocate(capacity_);
  shape_ = shape;
  zero();
}

Tensor::Tensor(const Tensor& other) : Tensor(other.shape_) {
  if (other.size() > 0) std::memcpy(data_, other.data_, other.size() * sizeof(float));
}

Tensor& Tensor::operator=(const Tensor& other) {
  if (this == &other) return *this;
  resize(other.shape_);
  if (other.size() > 0) std::memcpy(data_, other.data_, other.size() * sizeof(float));
  return *this;
}

Tensor::Tensor(Tensor&& other) noexcept
    : data_(other.data_), capacity_(other.capacity_), shape_(other.shape_) {
  other.data_ = nullptr;
  other.capacity_ = 0;
  other.shape_ = Shape{};
}

Tensor& Tensor::operator=(Tensor&& other) noexcept {
  if (this == &other) return *this;
  release(data_);
  data_ = other.data_;
  capacity_ = other.capacity_;
  shape_ = other.shape_;
  other.data_ = nullptr;
  other.capacity_ = 0;
  other.shape_ = Shape{};
  return *this;
}

Tensor::~Tensor() { release(data_); }

void Tensor::resize(Shape shape) {
  if (shape.n < 0 || shape.h < 0 || shape.w < 0 || shape.c < 0) {
    throw Error("negative tensor shape " + shape.str());
  }
  const size_t need = static_cast<size_t>(shape.size());
  if (need > capacity_) {
    float* fresh = allocate(need);
    std::memset(fresh, 0, need * sizeof(float));
    release(data_);
    data_ = fresh;
    capacity_ = need;
  }
  shape_ = shape;
}

void Tensor::zero() {
  if (size() > 0) std::memset(data_, 0, size() * sizeof(float));
}

int64_t Tensor::allocations() { return g_allocations.load(std::memory_order_relaxed); }

}  // namespace sn
