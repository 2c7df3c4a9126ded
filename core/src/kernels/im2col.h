#pragma once
// Unfolding of one NHWC image into convolution patches, so Conv2D becomes a GEMM.
//   in (H, W, C)  ->  col (out_h * out_w, KH * KW * C), row = output pixel, column = (kh, kw, c)
// Pixels outside the image (padding) read as zero.
namespace sn {

void im2col(const float* in, int H, int W, int C, int KH, int KW, int stride, int pad_top,
            int pad_left, int out_h, int out_w, float* col);

// The adjoint: adds each patch row of col back onto din (H, W, C). din is accumulated into.
void col2im_add(const float* col, int H, int W, int C, int KH, int KW, int stride, int pad_top,
                int pad_left, int out_h, int out_w, float* din);

}  // namespace sn
