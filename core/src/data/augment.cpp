// Batches as floats, optionally distorted: the core gathers them from indices so JavaScript
// never copies a batch, and the same seed gives the same pixels natively and in the browser.
//
// That needs a*b+c rounded twice everywhere: GCC fuses it into one FMA under -march=native
// (even with -std=c++20), wasm has no FMA, and the pixels would differ in the last bit. So
// contraction is off for this file, before any header brings inline arithmetic in.
#if defined(__clang__)
#pragma clang fp contract(off)
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif
#include "data/augment.h"

#include <cctype>
#include <cmath>
#include <string>

#include "data/random.h"
#include "scratchnet/error.h"

namespace sn {

namespace {

constexpr double kPi = 3.14159265358979323846;

// sin and cos by Taylor series on |x| <= ~0.5 rad (augmentation angles are small; larger ones
// are reduced by halving). Written out so native libm and wasm libm cannot disagree in the
// last bit and make the two builds' augmented pixels differ.
void sin_cos(double x, double* s, double* c) {
  int halvings = 0;
  while (std::fabs(x) > 0.5 && halvings < 16) x *= 0.5, ++halvings;
  double x2 = x * x, term = x, sum_s = x;
  for (int k = 1; k <= 10; ++k) {
    term *= -x2 / ((2 * k) * (2 * k + 1));
    sum_s += term;
  }
  term = 1.0;
  double sum_c = 1.0;
  for (int k = 1; k <= 10; ++k) {
    term *= -x2 / ((2 * k - 1) * (2 * k));
    sum_c += term;
  }
  for (int i = 0; i < halvings; ++i) {  // double-angle formulas
    const double s2 = 2 * sum_s * sum_c, c2 = sum_c * sum_c - sum_s * sum_s;
    sum_s = s2, sum_c = c2;
  }
  *s = sum_s, *c = sum_c;
}

}  // namespace

AugmentOptions augmentation_for(const std::string& data_set, bool enabled) {
  AugmentOptions o;
  o.enabled = enabled;
  std::string name = data_set;
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (name.find("fashion") != std::string::npos) {
    o.max_shift = 0.0f;
    o.max_scale = 0.0f;
    o.max_rotate_deg = 0.0f;
    o.mirror = true;
  }
  return o;
}

Affine draw_affine(const AugmentOptions& o, std::mt19937_64& rng) {
  Affine t;
  t.dx = static_cast<float>(draw_signed(rng) * o.max_shift);
  t.dy = static_cast<float>(draw_signed(rng) * o.max_shift);
  t.scale = static_cast<float>(1.0 + draw_signed(rng) * o.max_scale);
  t.angle_rad = static_cast<float>(draw_signed(rng) * o.max_rotate_deg * kPi / 180.0);
  if (o.mirror) t.mirror = draw_signed(rng) < 0.0;
  return t;
}

void warp_image(const uint8_t* src, int rows, int cols, const Affine& t, float* dst) {
  // Forward map: p' = c + t + s * R(a) (M p - c), M the optional flip x -> 2 cx - x.
  // Inverse: M p = c + R(-a) (p' - c - t) / s, and M is its own inverse.
  double sn_a, cs_a;
  sin_cos(t.angle_rad, &sn_a, &cs_a);
  const float inv_s = 1.0f / (t.scale > 0.05f ? t.scale : 0.05f);
  const float r00 = static_cast<float>(cs_a) * inv_s, r01 = static_cast<float>(sn_a) * inv_s;
  const float r10 = -static_cast<float>(sn_a) * inv_s, r11 = static_cast<float>(cs_a) * inv_s;
  const float cx = 0.5f * (cols - 1), cy = 0.5f * (rows - 1);
  auto at = [&](int y, int x) -> float {
    return (x < 0 || y < 0 || x >= cols || y >= rows) ? 0.0f : src[y * cols + x];
  };
  for (int y = 0; y < rows; ++y) {
    for (int x = 0; x < cols; ++x) {
      const float ux = x - cx - t.dx, uy = y - cy - t.dy;
      const float sx = t.mirror ? cx - r00 * ux - r01 * uy : cx + r00 * ux + r01 * uy;
      const float sy = cy + r10 * ux + r11 * uy;
      const float fx = std::floor(sx), fy = std::floor(sy);
      const int x0 = static_cast<int>(fx), y0 = static_cast<int>(fy);
      const float ax = sx - fx, ay = sy - fy;
      // Bilinear: weights (1-ax)(1-ay), ax(1-ay), (1-ax)ay, ax*ay on the four neighbours.
      const float top = at(y0, x0) + ax * (at(y0, x0 + 1) - at(y0, x0));
      const float bottom = at(y0 + 1, x0) + ax * (at(y0 + 1, x0 + 1) - at(y0 + 1, x0));
      dst[y * cols + x] = (top + ay * (bottom - top)) * (1.0f / 255.0f);
    }
  }
}

void gather_batch(const Dataset& data, const int* indices, int n, float* images_out,
                  uint8_t* labels_out, const AugmentOptions& augment, std::mt19937_64& rng) {
  const size_t pixels = static_cast<size_t>(data.rows) * data.cols;
  for (int i = 0; i < n; ++i) {
    const int k = indices[i];
    if (k < 0 || k >= data.count()) {
      throw Error("batch index " + std::to_string(k) + " is outside the data set (" +
                  std::to_string(data.count()) + " images)");
    }
    const uint8_t* src = data.image(k);
    float* dst = images_out + pixels * i;
    if (augment.enabled) {
      warp_image(src, data.rows, data.cols, draw_affine(augment, rng), dst);
    } else {
      for (size_t p = 0; p < pixels; ++p) dst[p] = src[p] * (1.0f / 255.0f);
    }
    labels_out[i] = data.labels[k];
  }
}

}  // namespace sn
