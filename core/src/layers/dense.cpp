#include "layers/dense.h"

#include "layers/init.h"
#include "scratchnet/gemm.h"

namespace sn {

Dense::Dense(const LayerSpec& spec, Dims in) : Layer(spec, in) {
  if (spec.units < 1) fail("needs at least 1 unit");
  const int64_t fin = in.size();
  if (fin * spec.units > (int64_t(1) << 30)) {
    fail("its weight matrix " + std::to_string(fin) + "x" + std::to_string(spec.units) +
         " has more than 2^30 entries");
  }
  in_features_ = static_cast<int>(fin);
  out_features_ = spec.units;
  out_ = Dims{1, 1, out_features_};
}

void Dense::allocate() {
  weight_ = Tensor(Shape{1, 1, in_features_, out_features_});
  dweight_ = Tensor(weight_.shape());
  bias_ = Tensor(Shape{1, 1, 1, out_features_});
  dbias_ = Tensor(bias_.shape());
}

// out[n, o] = sum_i in[n, i] W[i, o] + b[o]
void Dense::forward(const float* in, float* out, int n, const RunContext& ctx) {
  const int fi = in_features_, fo = out_features_;
  gemm(false, false, n, fo, fi, in, fi, weight_.data(), fo, 0.0f, out, fo, ctx.pool);
  const float* b = bias_.data();
  for (int s = 0; s < n; ++s) {
    float* row = out + int64_t(s) * fo;
    for (int o = 0; o < fo; ++o) row[o] += b[o];
  }
}

// dW += in^T · dout   (sum over the batch inside gemm's fixed K order: thread-count independent)
// db += sum_n dout[n, :]
// din = dout · W^T
void Dense::backward(const float* in, const float* /*out*/, const float* dout, float* din, int n,
                     const RunContext& ctx) {
  const int fi = in_features_, fo = out_features_;
  gemm(true, false, fi, fo, n, in, fi, dout, fo, 1.0f, dweight_.data(), fo, ctx.pool);
  float* db = dbias_.data();
  for (int s = 0; s < n; ++s) {
    const float* row = dout + int64_t(s) * fo;
    for (int o = 0; o < fo; ++o) db[o] += row[o];
  }
  if (din) gemm(false, true, n, fi, fo, dout, fo, weight_.data(), fo, 0.0f, din, fi, ctx.pool);
}

std::vector<Param> Dense::params() {
  return {Param{"weight", {in_features_, out_features_}, &weight_, &dweight_, true},
          Param{"bias", {out_features_}, &bias_, &dbias_, false}};
}

void Dense::init(std::mt19937_64& rng, bool relu_follows) {
  if (relu_follows) {
    init_he(weight_.data(), weight_.size(), in_features_, rng);
  } else {
    init_glorot(weight_.data(), weight_.size(), in_features_, out_features_, rng);
  }
  bias_.zero();
}

}  // namespace sn
