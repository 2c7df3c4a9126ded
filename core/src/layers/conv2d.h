#pragma once
// 2-D convolution (cross-correlation, as in every framework) over NHWC images, as im2col + GEMM.
// The batch is cut into chunks of a fixed number of samples (chosen from the layer's shape so a
// chunk's columns stay in L2, never from the thread count); threads take whole chunks: im2col,
// GEMM and col2im of a chunk run back to back on one core. Each chunk's weight gradient is a
// separate partial, summed in chunk order, so results are bit-identical for any thread count.
//   in (n, H, W, Cin), weight (KH, KW, Cin, Cout), bias (Cout), out (n, OH, OW, Cout)
//   valid: OH = (H - KH) / stride + 1
//   same:  OH = ceil(H / stride), zero padding split as evenly as possible, the extra pixel at
//          the bottom/right (the TensorFlow convention).
#include "layers/layer.h"

namespace sn {

class Conv2D : public Layer {
 public:
  Conv2D(const LayerSpec& spec, Dims in);
  const char* kind() const override { return "conv"; }
  // Training scratch (the whole batch's patches) is sized by the first training forward;
  // inference only ever holds one chunk per thread.
  void reserve(int batch) override;
  void forward(const float* in, float* out, int n, const RunContext& ctx) override;
  // Uses the columns of the preceding forward() on the same input.
  void backward(const float* in, const float* out, const float* dout, float* din, int n,
                const RunContext& ctx) override;
  int64_t param_count() const override { return int64_t(patch_ + 1) * cout_; }
  void allocate() override;
  std::vector<Param> params() override;
  void init(std::mt19937_64& rng, bool relu_follows) override;
  int64_t flops() const override { return 2 * int64_t(out_.h) * out_.w * patch_ * cout_; }
  int64_t scratch_floats() const override {
    return direct_ ? 0 : int64_t(out_.h) * out_.w * patch_;
  }

 private:
  void forward_inference(const float* in, float* out, int n, const RunContext& ctx);
  void forward_rows(const float* cols, int rows, float* y) const;

  int kh_, kw_, stride_, cout_, pad_top_ = 0, pad_left_ = 0;
  int patch_;    // KH * KW * Cin: one im2col row
  bool direct_;  // 1x1, stride 1: the input already is the column matrix
  Tensor weight_, bias_, dweight_, dbias_;
  int chunk_;         // samples per chunk
  Tensor col_;        // training: (n * OH * OW, patch), patches kept for backward, then
                      // reused for their gradient
  Tensor infer_col_;  // inference: one chunk's patches per task, reused chunk after chunk
  Tensor partials_;   // (chunks, patch * Cout + Cout): per-chunk dW and db
};

}  // namespace sn
