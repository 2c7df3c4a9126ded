#pragma once
// ONNX export: a trained Network as an ONNX model file that onnxruntime, PyTorch (via
// onnx2torch), OpenCV and others can run.
//   opset 13, IR version 7 (read by onnxruntime >= 1.6 and onnx >= 1.8)
//   input  "image"         float (N, C, H, W) = (N, 1, 28, 28) for MNIST, pixels 0..1
//   output "probabilities" float (N, classes): what Network::predict writes (a 1-unit sigmoid
//                          output p becomes {1 - p, p}; an MSE model's raw outputs)
// The engine stores activations NHWC and ONNX is NCHW: convolutions and pools run on NCHW
// tensors, and a dense layer after them gets its weight rows permuted to ONNX's channel-major
// flattening, so the graph needs no Transpose in the common case (flatten then dense). The
// model's description and class labels go into the file's metadata_props.
#include <cstdint>
#include <string>
#include <vector>

namespace sn {

class Network;

inline constexpr int64_t kOnnxOpset = 13;
inline constexpr int64_t kOnnxIrVersion = 7;
inline constexpr const char* kOnnxInputName = "image";
inline constexpr const char* kOnnxOutputName = "probabilities";

// The ONNX model bytes. class_labels (optional) maps output classes to original labels
// ({3, 8} for a two-digit model) and is stored as metadata "class_labels" ("3,8").
// Throws Error "layer 4 'batchnorm': ONNX export does not support this layer" for a layer the
// exporter cannot express.
std::vector<uint8_t> export_onnx(const Network& net, const std::vector<int>& class_labels = {});

}  // namespace sn
