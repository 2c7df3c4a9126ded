#include "layers/conv2d.h"

#include <algorithm>
#include <cstring>

#include "kernels/column_sums.h"
#include "kernels/im2col.h"
#include "layers/init.h"
#include "scratchnet/gemm.h"

namespace sn {

namespace {
// A chunk's im2col columns should fit in L2 alongside the GEMM's packed blocks.
constexpr int64_t kChunkFloats = 64 * 1024;  // 256 KiB
constexpr int kMaxChunk = 16;
}  // namespace

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
    // Total padding (OH - 1) * stride + KH - H, the odd pixel at the bottom/right.
    pad_top_ = std::max((out_.h - 1) * stride_ + kh_ - in.h, 0) / 2;
    pad_left_ = std::max((out_.w - 1) * stride_ + kw_ - in.w, 0) / 2;
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
  const int64_t cols_per_sample = int64_t(out_.h) * out_.w * patch_;
  chunk_ = static_cast<int>(
      std::clamp<int64_t>(kChunkFloats / std::max<int64_t>(cols_per_sample, 1), 1, kMaxChunk));
}

void Conv2D::allocate() {
  weight_ =
      Tensor(Shape{1, kh_, kw_ * in_.c, cout_});  // stored (KH, KW, Cin, Cout) = (patch, Cout)
  dweight_ = Tensor(weight_.shape());
  bias_ = Tensor(Shape{1, 1, 1, cout_});
  dbias_ = Tensor(bias_.shape());
}

void Conv2D::reserve(int batch) {
  if (!direct_) col_.resize(Shape{batch * out_.h * out_.w, 1, 1, patch_});
  const int chunks = (batch + chunk_ - 1) / chunk_;
  partials_.resize(Shape{chunks, 1, 1, (patch_ + 1) * cout_});
}

// Inference: any split of the rows gives the same bits (gemm rows are independent), so each
// task walks its own chunks through one chunk-sized scratch.
void Conv2D::forward_inference(const float* in, float* out, int n, const RunContext& ctx) {
  const int rows_per_image = out_.h * out_.w;
  const int64_t in_size = in_.size(), col_size = int64_t(rows_per_image) * patch_;
  const int chunks = (n + chunk_ - 1) / chunk_;
  const int tasks = std::min(chunks, ctx.pool ? ctx.pool->size() : 1);
  if (!direct_) infer_col_.resize(Shape{tasks * chunk_ * rows_per_image, 1, 1, patch_});
  parallel_for(ctx.pool, tasks, [&](int task) {
    float* col = direct_ ? nullptr : infer_col_.data() + task * chunk_ * col_size;
    for (int chunk = task; chunk < chunks; chunk += tasks) {
      const int first = chunk * chunk_, count = std::min(chunk_, n - first);
      const float* cols = in + first * in_size;
      if (!direct_) {
        for (int s = 0; s < count; ++s) {
          im2col(in + (first + s) * in_size, in_.h, in_.w, in_.c, kh_, kw_, stride_, pad_top_,
                 pad_left_, out_.h, out_.w, col + s * col_size);
        }
        cols = col;
      }
      forward_rows(cols, count * rows_per_image, out + int64_t(first) * rows_per_image * cout_);
    }
  });
}

// y (rows, Cout) = cols (rows, patch) · W + b
// (Starting y as rows of b and accumulating the gemm onto it measured no faster: filling y
// costs what the add pass costs.)
void Conv2D::forward_rows(const float* cols, int rows, float* y) const {
  gemm(false, false, rows, cout_, patch_, cols, patch_, weight_.data(), cout_, 0.0f, y, cout_);
  const float* b = bias_.data();
  for (int r = 0; r < rows; ++r) {
    float* row = y + int64_t(r) * cout_;
    for (int co = 0; co < cout_; ++co) row[co] += b[co];
  }
}

// col[(s, oy, ox), (ky, kx, ci)] = in[s, oy*stride + ky - pad_top, ox*stride + kx - pad_left, ci]
// out[(s, oy, ox), co] = sum_k col[(s, oy, ox), k] W[k, co] + b[co]
void Conv2D::forward(const float* in, float* out, int n, const RunContext& ctx) {
  if (!ctx.training) {
    forward_inference(in, out, n, ctx);
    return;
  }
  reserve(n);
  const int rows_per_image = out_.h * out_.w;
  const int64_t in_size = in_.size(), col_size = int64_t(rows_per_image) * patch_;
  const int chunks = (n + chunk_ - 1) / chunk_;
  parallel_for(ctx.pool, chunks, [&](int chunk) {
    const int first = chunk * chunk_, count = std::min(chunk_, n - first);
    const int64_t row0 = int64_t(first) * rows_per_image;
    const float* cols = in + first * in_size;  // 1x1 stride 1: the input is the column matrix
    if (!direct_) {
      float* col = col_.data() + first * col_size;
      for (int s = 0; s < count; ++s) {
        im2col(in + (first + s) * in_size, in_.h, in_.w, in_.c, kh_, kw_, stride_, pad_top_,
               pad_left_, out_.h, out_.w, col + s * col_size);
      }
      cols = col;
    }
    forward_rows(cols, count * rows_per_image, out + row0 * cout_);
  });
}

// Per chunk c:  dW_c = col_c^T · dout_c,  db_c = sum over the chunk's pixels of dout_c,
//               dcol_c = dout_c · W^T,  din_c = col2im(dcol_c) (overlapping patches add up)
// then dW += dW_0 + dW_1 + ... in chunk order (and db likewise).
void Conv2D::backward(const float* in, const float* /*out*/, const float* dout, float* din, int n,
                      const RunContext& ctx) {
  const int rows_per_image = out_.h * out_.w;
  const int64_t in_size = in_.size(), col_size = int64_t(rows_per_image) * patch_;
  const int64_t wsize = int64_t(patch_) * cout_;
  const int chunks = (n + chunk_ - 1) / chunk_;
  parallel_for(ctx.pool, chunks, [&](int chunk) {
    const int first = chunk * chunk_, count = std::min(chunk_, n - first);
    const int rows = count * rows_per_image;
    const float* dy = dout + int64_t(first) * rows_per_image * cout_;
    float* dw = partials_.data() + chunk * (wsize + cout_);
    float* db = dw + wsize;
    float* col = direct_ ? nullptr : col_.data() + first * col_size;
    const float* cols = direct_ ? in + first * in_size : col;
    gemm(true, false, patch_, cout_, rows, cols, patch_, dy, cout_, 0.0f, dw, cout_);
    column_sums(dy, rows, cout_, cout_, db);
    if (!din) return;
    float* dx = din + first * in_size;
    if (direct_) {
      gemm(false, true, rows, patch_, cout_, dy, cout_, weight_.data(), cout_, 0.0f, dx, patch_);
      return;
    }
    // The chunk's patches are no longer needed: their gradient takes their place.
    gemm(false, true, rows, patch_, cout_, dy, cout_, weight_.data(), cout_, 0.0f, col, patch_);
    std::memset(dx, 0, count * in_size * sizeof(float));
    for (int s = 0; s < count; ++s) {
      col2im_add(col + s * col_size, in_.h, in_.w, in_.c, kh_, kw_, stride_, pad_top_, pad_left_,
                 out_.h, out_.w, dx + s * in_size);
    }
  });
  // Element-wise over (dW, db), each element summing the chunks in chunk order: any split of
  // the elements over threads gives the same bits.
  float* dW = dweight_.data();
  float* dB = dbias_.data();
  const float* partials = partials_.data();
  parallel_ranges(ctx.pool, wsize + cout_, [&](int64_t begin, int64_t end) {
    for (int c = 0; c < chunks; ++c) {
      const float* dw = partials + c * (wsize + cout_);
      for (int64_t i = begin; i < std::min(end, wsize); ++i) dW[i] += dw[i];
      for (int64_t i = std::max(begin, wsize); i < end; ++i) dB[i - wsize] += dw[i];
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
