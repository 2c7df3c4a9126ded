#include "layers/batchnorm.h"

#include <algorithm>
#include <cmath>

namespace sn {

namespace {
// Rows (samples x positions) per chunk of a batch sum: fixed, so the sum's order never depends
// on the thread count.
constexpr int64_t kRowsPerChunk = 512;
}  // namespace

BatchNorm::BatchNorm(const LayerSpec& spec, Dims in) : Layer(spec, in), channels_(in.c) {
  mean_.assign(channels_, 0.0f);
  inv_std_.assign(channels_, 1.0f);
  sums_.assign(2 * size_t(channels_), 0.0);
  coefficients_.assign(3 * size_t(channels_), 0.0f);
}

void BatchNorm::allocate() {
  const Shape s{1, 1, 1, channels_};
  gamma_ = Tensor(s);
  beta_ = Tensor(s);
  dgamma_ = Tensor(s);
  dbeta_ = Tensor(s);
  running_mean_ = Tensor(s);
  running_var_ = Tensor(s);
}

void BatchNorm::init(std::mt19937_64& /*rng*/, bool /*relu_follows*/) {
  std::fill(gamma_.data(), gamma_.data() + channels_, 1.0f);
  beta_.zero();
  running_mean_.zero();
  std::fill(running_var_.data(), running_var_.data() + channels_, 1.0f);
}

void BatchNorm::reserve(int batch) {
  const int64_t rows = int64_t(batch) * in_.h * in_.w;
  const size_t need = size_t((rows + kRowsPerChunk - 1) / kRowsPerChunk) * channels_;
  if (partial_.size() < need) partial_.resize(need);
}

template <class F>
void BatchNorm::channel_sums(int64_t rows, const RunContext& ctx, F&& f, double* out) {
  const int C = channels_;
  const int chunks = static_cast<int>((rows + kRowsPerChunk - 1) / kRowsPerChunk);
  double* partial = partial_.data();
  parallel_for(ctx.pool, chunks, [&](int chunk) {
    double* s = partial + size_t(chunk) * C;
    std::fill(s, s + C, 0.0);
    const int64_t end = std::min(rows, (chunk + 1) * kRowsPerChunk);
    for (int64_t r = chunk * kRowsPerChunk; r < end; ++r) {
      for (int c = 0; c < C; ++c) s[c] += f(r, c);
    }
  });
  std::fill(out, out + C, 0.0);
  for (int chunk = 0; chunk < chunks; ++chunk) {
    for (int c = 0; c < C; ++c) out[c] += partial[size_t(chunk) * C + c];
  }
}

// training:  mu_c = sum x / M,  var_c = sum (x - mu_c)^2 / M   (M = n*h*w rows)
// y = gamma_c (x - mu_c) / sqrt(var_c + eps) + beta_c
void BatchNorm::forward(const float* in, float* out, int n, const RunContext& ctx) {
  const int C = channels_;
  const int64_t rows = int64_t(n) * in_.h * in_.w;
  float* mean = mean_.data();
  float* inv_std = inv_std_.data();
  if (ctx.training) {
    reserve(n);
    double* sums = sums_.data();
    channel_sums(
        rows, ctx, [&](int64_t r, int c) { return double(in[r * C + c]); }, sums);
    for (int c = 0; c < C; ++c) mean[c] = static_cast<float>(sums[c] / double(rows));
    channel_sums(
        rows, ctx,
        [&](int64_t r, int c) {
          const double d = double(in[r * C + c]) - double(mean[c]);
          return d * d;
        },
        sums);
    float* rm = running_mean_.data();
    float* rv = running_var_.data();
    const double unbiased = rows > 1 ? double(rows) / double(rows - 1) : 1.0;
    for (int c = 0; c < C; ++c) {
      const double var = sums[c] / double(rows);
      inv_std[c] = static_cast<float>(1.0 / std::sqrt(var + double(kEpsilon)));
      rm[c] = (1.0f - kMomentum) * rm[c] + kMomentum * mean[c];
      rv[c] = (1.0f - kMomentum) * rv[c] + kMomentum * static_cast<float>(var * unbiased);
    }
  } else {
    const float* rm = running_mean_.data();
    const float* rv = running_var_.data();
    for (int c = 0; c < C; ++c) {
      mean[c] = rm[c];
      inv_std[c] = static_cast<float>(1.0 / std::sqrt(double(rv[c]) + double(kEpsilon)));
    }
  }
  const float* g = gamma_.data();
  const float* b = beta_.data();
  parallel_ranges(ctx.pool, rows, [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; ++r) {
      const float* x = in + r * C;
      float* y = out + r * C;
      for (int c = 0; c < C; ++c) y[c] = g[c] * ((x[c] - mean[c]) * inv_std[c]) + b[c];
    }
  });
}

// dbeta_c += sum dy,  dgamma_c += sum dy xhat
// training:  dx = gamma_c inv_std_c / M (M dy - sum dy - xhat sum dy xhat)
// inference: dx = gamma_c inv_std_c dy  (mean and variance are constants)
void BatchNorm::backward(const float* in, const float* /*out*/, const float* dout, float* din,
                         int n, const RunContext& ctx) {
  const int C = channels_;
  const int64_t rows = int64_t(n) * in_.h * in_.w;
  const float* mean = mean_.data();
  const float* inv_std = inv_std_.data();
  double* sum_dy = sums_.data();
  double* sum_dy_xhat = sums_.data() + C;
  channel_sums(
      rows, ctx, [&](int64_t r, int c) { return double(dout[r * C + c]); }, sum_dy);
  channel_sums(
      rows, ctx,
      [&](int64_t r, int c) {
        const float xhat = (in[r * C + c] - mean[c]) * inv_std[c];
        return double(dout[r * C + c]) * double(xhat);
      },
      sum_dy_xhat);
  float* dg = dgamma_.data();
  float* db = dbeta_.data();
  for (int c = 0; c < C; ++c) {
    db[c] += static_cast<float>(sum_dy[c]);
    dg[c] += static_cast<float>(sum_dy_xhat[c]);
  }
  if (!din) return;
  const float* g = gamma_.data();
  if (!ctx.training) {
    parallel_ranges(ctx.pool, rows, [&](int64_t begin, int64_t end) {
      for (int64_t r = begin; r < end; ++r) {
        for (int c = 0; c < C; ++c) din[r * C + c] = g[c] * inv_std[c] * dout[r * C + c];
      }
    });
    return;
  }
  float* k = coefficients_.data();  // per channel: gamma inv_std, mean dy, mean dy xhat
  const double m = double(rows);
  for (int c = 0; c < C; ++c) {
    k[c] = g[c] * inv_std[c];
    k[C + c] = static_cast<float>(sum_dy[c] / m);
    k[2 * C + c] = static_cast<float>(sum_dy_xhat[c] / m);
  }
  parallel_ranges(ctx.pool, rows, [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; ++r) {
      for (int c = 0; c < C; ++c) {
        const float xhat = (in[r * C + c] - mean[c]) * inv_std[c];
        din[r * C + c] = k[c] * (dout[r * C + c] - k[C + c] - xhat * k[2 * C + c]);
      }
    }
  });
}

std::vector<Param> BatchNorm::params() {
  return {Param{"gamma", {channels_}, &gamma_, &dgamma_, false},
          Param{"beta", {channels_}, &beta_, &dbeta_, false}};
}

std::vector<StateTensor> BatchNorm::state() {
  return {StateTensor{"running_mean", &running_mean_}, StateTensor{"running_var", &running_var_}};
}

}  // namespace sn
