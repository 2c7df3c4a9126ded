// The gradient check the layer tests share: a layer is the scalar function
// L(x, params) = sum(dout * forward(x)), whose gradients backward() must return; each is compared
// with the central difference (L(v + h) - L(v - h)) / 2h by relative error. Plus a layer spec of
// one kind and seeded random vectors to build the cases from.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "layers/layer.h"

namespace sn::testing {

inline std::vector<float> random_vector(size_t n, std::mt19937_64& rng, float lo = -1.0f,
                                        float hi = 1.0f) {
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> v(n);
  for (float& x : v) x = dist(rng);
  return v;
}

// |a - b| relative to their size, with a floor so that two tiny numbers count as equal.
inline double relative_error(double a, double b) {
  return std::fabs(a - b) / std::max(std::fabs(a) + std::fabs(b), 1e-2);
}

// A spec of `kind` as the description's segment `segment` reads, named `text` in messages.
inline LayerSpec layer_spec(LayerKind kind, int segment = 1, std::string text = "test") {
  LayerSpec s;
  s.kind = kind;
  s.segment = segment;
  s.text = std::move(text);
  return s;
}

// Runs forward and backward once on `x` (n samples) with upstream gradient `dout`, then returns
// the largest relative error of d x and of every parameter gradient against central differences
// with step 1e-3. `probes` caps the entries probed per tensor (evenly spaced; 0 probes all).
inline double max_gradient_error(Layer& layer, std::vector<float>& x,
                                 const std::vector<float>& dout, int n, bool training,
                                 int64_t probes = 0) {
  const int64_t in_size = int64_t(x.size()), out_size = int64_t(dout.size());
  std::vector<float> out(out_size), din(in_size);
  RunContext ctx;
  ctx.training = training;
  layer.forward(x.data(), out.data(), n, ctx);
  for (const Param& p : layer.params()) p.grad->zero();
  layer.backward(x.data(), out.data(), dout.data(), din.data(), n, ctx);

  auto objective = [&]() {
    layer.forward(x.data(), out.data(), n, ctx);
    double sum = 0.0;
    for (int64_t i = 0; i < out_size; ++i) sum += double(dout[i]) * out[i];
    return sum;
  };
  const float h = 1e-3f;
  double worst = 0.0;
  auto probe = [&](float* v, double analytic) {
    const float saved = *v;
    *v = saved + h;
    const double plus = objective();
    *v = saved - h;
    const double minus = objective();
    *v = saved;
    const double numeric = (plus - minus) / (2.0 * double(h));
    worst = std::max(worst, relative_error(analytic, numeric));
  };
  const auto step = [&](int64_t size) {
    return probes > 0 ? std::max<int64_t>(1, size / probes) : int64_t(1);
  };
  for (int64_t i = 0; i < in_size; i += step(in_size)) probe(&x[i], din[i]);
  for (const Param& p : layer.params()) {
    const int64_t size = p.value->size();
    for (int64_t i = 0; i < size; i += step(size)) probe(p.value->data() + i, (*p.grad)[i]);
  }
  return worst;
}

}  // namespace sn::testing
