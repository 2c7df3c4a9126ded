#pragma once
// Batch normalisation (Ioffe & Szegedy, 2015, "Batch Normalization", Algorithm 1 and 2), per
// channel: after a conv over the batch and every position, after a dense layer per unit.
//   in (n, h, w, C) -> out (n, h, w, C); gamma, beta, running mean and variance (C)
//   training:  mu = mean of x over n*h*w,  var = mean of (x - mu)^2 (biased)
//              xhat = (x - mu) / sqrt(var + eps),  y = gamma xhat + beta
//              running <- (1 - momentum) running + momentum (mu, var * M / (M - 1))
//   inference: the same with the running mean and variance, which the model file keeps.
// Sums over the batch run in fixed chunks of rows added in chunk order, in double: the same
// bits for any thread count.
#include "layers/layer.h"

namespace sn {

class BatchNorm : public Layer {
 public:
  static constexpr float kEpsilon = 1e-5f;
  static constexpr float kMomentum = 0.1f;  // weight of the newest batch in the running values

  BatchNorm(const LayerSpec& spec, Dims in);
  const char* kind() const override { return "batchnorm"; }
  void reserve(int batch) override;
  void forward(const float* in, float* out, int n, const RunContext& ctx) override;
  void backward(const float* in, const float* out, const float* dout, float* din, int n,
                const RunContext& ctx) override;
  int64_t param_count() const override { return 2 * int64_t(channels_); }
  void allocate() override;
  std::vector<Param> params() override;
  std::vector<StateTensor> state() override;
  void init(std::mt19937_64& rng, bool relu_follows) override;
  int64_t flops() const override { return 2 * in_.size(); }

 private:
  // Per-channel sums of f(row, c) over the batch's rows, in fixed chunks added in order.
  template <class F>
  void channel_sums(int64_t rows, const RunContext& ctx, F&& f, double* out);
  int channels_;
  Tensor gamma_, beta_, dgamma_, dbeta_, running_mean_, running_var_;
  std::vector<float> mean_, inv_std_;  // of the last forward (batch or running statistics)
  std::vector<double> partial_;        // chunks x C sums
  std::vector<double> sums_;           // 2 x C: this pass's per-channel sums
  std::vector<float> coefficients_;    // 3 x C: backward's per-channel factors
};

}  // namespace sn
