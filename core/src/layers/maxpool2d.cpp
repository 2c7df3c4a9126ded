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

// out[s, oy, ox, c] = max over (ky, kx) of in[s, oy*stride + ky, ox*stride + kx, c]
void MaxPool2D::forward(const float* in, float* out, int n, const RunContext& ctx) {
  reserve(n);
  const int W = in_.w, C = in_.c, OH = out_.h, OW = out_.w;
  const int64_t in_size = in_.size(), out_size = out_.size();
  const int tasks = std::min(n, ctx.pool ? ctx.pool->size() : 1);
  int32_t* arg_all = argmax_.data();
  parallel_for(ctx.pool, tasks, [&](int task) {
    int begin, end;
    split_range(n, tasks, task, begin, end);
    for (int s = begin; s < end; ++s) {
      const float* x = in + s * in_size;
      float* y = out + s * out_size;
      int32_t* arg = arg_all + s * out_size;
      for (int oy = 0; oy < OH; ++oy) {
        for (int ox = 0; ox < OW; ++ox) {
          float* yo = y + (oy * OW + ox) * C;
          int32_t* ao = arg + (oy * OW + ox) * C;
          // The window's first pixel seeds the maximum; later pixels win only when larger.
          const int first = ((oy * stride_) * W + ox * stride_) * C;
          for (int c = 0; c < C; ++c) {
            yo[c] = x[first + c];
            ao[c] = first + c;
          }
          for (int ky = 0; ky < size_; ++ky) {
            for (int kx = 0; kx < size_; ++kx) {
              const int base = ((oy * stride_ + ky) * W + ox * stride_ + kx) * C;
              for (int c = 0; c < C; ++c) {
                const float v = x[base + c];
                if (v > yo[c]) {
                  yo[c] = v;
                  ao[c] = base + c;
                }
              }
            }
          }
        }
      }
    }
  });
}

// din[s, argmax] += dout[s, oy, ox, c]; everything else 0. Overlapping windows (stride < size)
// may route several gradients to one input: they add, in the fixed window order.
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
