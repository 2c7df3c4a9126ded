#include "layers/conv2d.h"

#include <algorithm>
#include <cstring>

#include "kernels/im2col.h"
#include "layers/init.h"
#include "scratchnet/gemm.h"

namespace sn {

Conv2D::Conv2D(const LayerSpec& spec, Dims in) : Layer(spec, in) {
  kh_ = spec.kernel_h;
  kw_ = spec.kernel_w;
  stride_ = spec.stride;
  cout_ = spec.filters;
  if (kh_ < 1 || kw_ < 1) fail("kernel must be at least 1x1");
  if (stride_ < 1) fail("stride must be at least 1");
  if (cout_ < 1) fail("needs at least 1 filter");
  const std::string kernel = std::to_string(kh_) + "x" + std::to_string(kw_);
  const std::string input = std::to_string(in.h) + "x" + std::to_string(in.w);
  if (spec.same_padding) {
    out_.h = (in.h + stride_ - 1) / stride_;
    out_.w = (in.w + stride_ - 1) / stride_;
    const int pad_h = std::max((out_.h - 1) * stride_ + kh_ - in.h, 0);
    const int pad_w = std::max((out_.w - 1) * stride_ + kw_ - in.w, 0);
    pad_top_ = pad_h / 2;
    pad_left_ = pad_w / 2;
  } else {
    if (in.h < kh_ || in.w < kw_) {
      fail("input is " + input + ", smaller than the " + kernel + " kernel");
    }
    out_.h = (in.h - kh_) / stride_ + 1;
    out_.w = (in.w - kw_) / stride_ + 1;
  }
  out_.c = cout_;
  const int64_t patch = int64_t(kh_) * kw_ * in.c;
  if (patch * cout_ > (int64_t(1) << 30)) fail("has more than 2^30 weights");
  patch_ = static_cast<int>(patch);
  direct_ = kh_ == 1 && kw_ == 1 && stride_ == 1;
}

void Conv2D::allocate() {
  weight_ = Tensor(Shape{1, kh_, kw_ * in_.c, cout_});  // stored (KH, KW, Cin, Cout) = (patch, Cout)
  dweight_ = Tensor(weight_.shape());
  bias_ = Tensor(Shape{1, 1, 1, cout_});
  dbias_ = Tensor(bias_.shape());
}

void Conv2D::reserve(int batch) {
  if (!direct_) col_.resize(Shape{batch * out_.h * out_.w, 1, 1, patch_});
}

// col[(s, oy, ox), (ky, kx, ci)] = in[s, oy*stride + ky - pad_top, ox*stride + kx - pad_left, ci]
// out[(s, oy, ox), co] = sum_k col[(s, oy, ox), k] W[k, co] + b[co]
void Conv2D::forward(const float* in, float* out, int n, const RunContext& ctx) {
  const int rows_per_image = out_.h * out_.w;
  const int64_t rows = int64_t(n) * rows_per_image;
  const float* cols = in;
  if (!direct_) {
    reserve(n);
    const int64_t in_size = in_.size(), col_size = int64_t(rows_per_image) * patch_;
    const int tasks = std::min(n, ctx.pool ? ctx.pool->size() : 1);
    float* col = col_.data();
    parallel_for(ctx.pool, tasks, [&](int task) {
      int begin, end;
      split_range(n, tasks, task, begin, end);
      for (int s = begin; s < end; ++s) {
        im2col(in + s * in_size, in_.h, in_.w, in_.c, kh_, kw_, stride_, pad_top_, pad_left_,
               out_.h, out_.w, col + s * col_size);
      }
    });
    cols = col;
  }
  gemm(false, false, static_cast<int>(rows), cout_, patch_, cols, patch_, weight_.data(), cout_,
       0.0f, out, cout_, ctx.pool);
  const float* b = bias_.data();
  for (int64_t r = 0; r < rows; ++r) {
    float* row = out + r * cout_;
    for (int co = 0; co < cout_; ++co) row[co] += b[co];
  }
}

// dW += col^T · dout        (K = every output pixel of the batch, in gemm's fixed order)
// db += sum over pixels of dout
// dcol = dout · W^T, then din = col2im(dcol) (overlapping patches add up)
void Conv2D::backward(const float* in, const float* /*out*/, const float* dout, float* din, int n,
                      const RunContext& ctx) {
  const int rows = n * out_.h * out_.w;
  const float* cols = direct_ ? in : col_.data();
  gemm(true, false, patch_, cout_, rows, cols, patch_, dout, cout_, 1.0f, dweight_.data(), cout_,
       ctx.pool);
  float* db = dbias_.data();
  for (int r = 0; r < rows; ++r) {
    const float* row = dout + int64_t(r) * cout_;
    for (int co = 0; co < cout_; ++co) db[co] += row[co];
  }
  if (!din) return;
  if (direct_) {
    gemm(false, true, rows, patch_, cout_, dout, cout_, weight_.data(), cout_, 0.0f, din, patch_,
         ctx.pool);
    return;
  }
  float* dcol = col_.data();  // the patches are no longer needed
  gemm(false, true, rows, patch_, cout_, dout, cout_, weight_.data(), cout_, 0.0f, dcol, patch_,
       ctx.pool);
  const int64_t in_size = in_.size(), col_size = int64_t(out_.h) * out_.w * patch_;
  const int tasks = std::min(n, ctx.pool ? ctx.pool->size() : 1);
  parallel_for(ctx.pool, tasks, [&](int task) {
    int begin, end;
    split_range(n, tasks, task, begin, end);
    for (int s = begin; s < end; ++s) {
      float* d = din + s * in_size;
      std::memset(d, 0, in_size * sizeof(float));
      col2im_add(dcol + s * col_size, in_.h, in_.w, in_.c, kh_, kw_, stride_, pad_top_, pad_left_,
                 out_.h, out_.w, d);
    }
  });
}

std::vector<Param> Conv2D::params() {
  return {Param{"weight", {kh_, kw_, in_.c, cout_}, &weight_, &dweight_, true},
          Param{"bias", {cout_}, &bias_, &dbias_, false}};
}

void Conv2D::init(std::mt19937_64& rng, bool relu_follows) {
  // fan_in = KH*KW*Cin inputs per output, fan_out = KH*KW*Cout outputs per input.
  const int64_t fan_in = patch_, fan_out = int64_t(kh_) * kw_ * cout_;
  if (relu_follows) {
    init_he(weight_.data(), weight_.size(), fan_in, rng);
  } else {
    init_glorot(weight_.data(), weight_.size(), fan_in, fan_out, rng);
  }
  bias_.zero();
}

}  // namespace sn
