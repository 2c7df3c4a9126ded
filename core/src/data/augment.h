#pragma once
// One random affine distortion of one image: an optional left-right flip, then shift, scale and
// rotation about the centre, sampled back through the inverse map with bilinear interpolation
// (pixels from outside the image read as 0, the MNIST background).
#include <cstdint>
#include <random>

#include "scratchnet/data.h"

namespace sn {

struct Affine {
  float dx = 0, dy = 0;  // shift in pixels
  float scale = 1;       // > 1 enlarges
  float angle_rad = 0;   // counter-clockwise on screen
  bool mirror = false;   // flip left-right before the shift, scale and rotation
};

// Four draws per call, always, so the stream does not depend on which limits are zero; a fifth
// when mirroring is on (a stream without it stays as it was).
Affine draw_affine(const AugmentOptions& options, std::mt19937_64& rng);

// dst[y*cols + x] = src sampled at the inverse image of (x, y), scaled to [0, 1].
void warp_image(const uint8_t* src, int rows, int cols, const Affine& t, float* dst);

}  // namespace sn
