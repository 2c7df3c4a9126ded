#include "layers/maxpool2d.h"

#include <algorithm>
#include <cstring>

namespace sn {

MaxPool2D::MaxPool2D(const LayerSpec& spec, Dims in) : Layer(spec, in) {
  size_ = spec.pool;
  stride_ = spec.stride;
  if (size_ < 1) fail("pool size must be at least 1");
  if (stride_ < 1) fail("stride must be at least 1");
  if (in.h < size_ || in.w < size_) {
    fail("input is " + std::to_string(in.h) + "x" + std::to_string(in.w) + ", smaller than the " +
         std::to_string(size_) + "x" + std::to_string(size_) + " window");
  }
  out_ = Dims{(in.h - size_) / stride_ + 1, (in.w - size_) / stride_ + 1, in.c};
}

void MaxPool2D::reserve(int batch) {
  const size_t need = static_cast<size_t>(batch) * out_.size();
  if (argmax_.size() < need) argmax_.resize(need);
}

namespace {

// One output pixel's C channels, window starting at x[base]: y[c] = max over the window.
// Channels are contiguous (NHWC), so the c loops are the vector loops; a later pixel wins only
// when strictly larger, so ties go to the first, as backward expects.
inline void window_max(const float* __restrict x, int base, int W, int C, int size,
                       float* __restrict y) {
  std::memcpy(y, x + base, C * sizeof(float));
  for (int ky = 0; ky < size; ++ky) {
    for (int kx = 0; kx < size; ++kx) {
      const float* __restrict p = x + base + (ky * W + kx) * C;
      for (int c = 0; c < C; ++c) y[c] = p[c] > y[c] ? p[c] : y[c];
    }
  }
}

// The same, also recording where each maximum came from (index within the sample).
inline void window_argmax(const float* __restrict x, int base, int W, int C, int size,
                          float* __restrict y, int32_t* __restrict arg) {
  if (C < 8) {
    // Too few channels to vectorise across: one channel at a time, the running maximum and its
    // index in registers instead of a store-to-load chain through y and arg.
    for (int c = 0; c < C; ++c) {
      float best = x[base + c];
      int32_t where = base + c;
      for (int ky = 0; ky < size; ++ky) {
        for (int kx = 0; kx < size; ++kx) {
          const int at = base + (ky * W + kx) * C + c;
          const int32_t larger = -static_cast<int32_t>(x[at] > best);
          best = std::max(best, x[at]);
          where = (where & ~larger) | (at & larger);
        }
      }
      y[c] = best;
      arg[c] = where;
    }
    return;
  }
  for (int c = 0; c < C; ++c) {
    y[c] = x[base + c];
    arg[c] = base + c;
  }
  for (int ky = 0; ky < size; ++ky) {
    for (int kx = 0; kx < size; ++kx) {
      const int at = base + (ky * W + kx) * C;
      const float* __restrict p = x + at;
      for (int c = 0; c < C; ++c) {
        // Masks rather than a branch: "larger" is a coin toss the branch predictor loses.
        const int32_t larger = -static_cast<int32_t>(p[c] > y[c]);
        y[c] = std::max(y[c], p[c]);  // y < p ? p : y, the same choice as `larger`
        arg[c] = (arg[c] & ~larger) | ((at + c) & larger);
      }
    }
  }
}

}  // namespace

// out[s, oy, ox, c] = max over (ky, kx) of in[s, oy*stride + ky, ox*stride + kx, c]
void MaxPool2D::forward(const float* in, float* out, int n, const RunContext& ctx) {
  if (ctx.training) reserve(n);
  const int W = in_.w, C = in_.c, OH = out_.h, OW = out_.w;
  const int64_t in_size = in_.size(), out_size = out_.size();
  const int tasks = std::min(n, ctx.pool ? ctx.pool->size() : 1);
  int32_t* arg_all = argmax_.data();
  parallel_for(ctx.pool, tasks, [&](int task) {
    int begin, end;
    split_range(n, tasks, task, begin, end);
    for (int s = begin; s < end; ++s) {
      const float* x = in + s * in_size;
      for (int oy = 0; oy < OH; ++oy) {
        for (int ox = 0; ox < OW; ++ox) {
          const int base = ((oy * stride_) * W + ox * stride_) * C;
          const int64_t o = s * out_size + (oy * OW + ox) * C;
          if (ctx.training) {
            window_argmax(x, base, W, C, size_, out + o, arg_all + o);
          } else {
            window_max(x, base, W, C, size_, out + o);
          }
        }
      }
    }
  });
}

// din[s, argmax] += dout[s, oy, ox, c]; everything else 0. Overlapping windows (stride < size)
// may route several gradients to one input: they add, in output order.
void MaxPool2D::backward(const float* /*in*/, const float* /*out*/, const float* dout, float* din,
                         int n, const RunContext& ctx) {
  if (!din) return;
  const int64_t in_size = in_.size(), out_size = out_.size();
  const int tasks = std::min(n, ctx.pool ? ctx.pool->size() : 1);
  const int32_t* arg_all = argmax_.data();
  parallel_for(ctx.pool, tasks, [&](int task) {
    int begin, end;
    split_range(n, tasks, task, begin, end);
    for (int s = begin; s < end; ++s) {
      float* dx = din + s * in_size;
      std::memset(dx, 0, in_size * sizeof(float));
      const float* dy = dout + s * out_size;
      const int32_t* arg = arg_all + s * out_size;
      for (int64_t i = 0; i < out_size; ++i) dx[arg[i]] += dy[i];
    }
  });
}

}  // namespace sn
