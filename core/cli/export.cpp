// `nn export`: a saved model as an ONNX file (scratchnet/onnx.h), to run it in onnxruntime,
// PyTorch or anywhere else that reads ONNX.
#include <cstdio>
#include <string>
#include <vector>

#include "args.h"
#include "commands.h"
#include "common.h"
#include "scratchnet/error.h"
#include "scratchnet/network.h"
#include "scratchnet/onnx.h"

namespace sn::cli {

int export_main(const Words& words) {
  Args a("export", words, {{"model-file", true}, {"onnx", true}});
  const auto path = a.maybe("model-file");
  if (!path) throw UsageError("missing --model-file FILE (written by nn train --save)");
  const auto out = a.maybe("onnx");
  if (!out) throw UsageError("missing --onnx FILE (where to write the ONNX model)");
  const std::vector<uint8_t> bytes = read_bytes(*path);
  std::vector<int> labels;
  const Network net = [&] {
    try {
      return Network::load(bytes.data(), bytes.size(), &labels);
    } catch (const FormatError& e) {
      throw FormatError(*path + ": " + e.what());
    }
  }();
  const std::vector<uint8_t> onnx = export_onnx(net, labels);
  write_bytes(*out, onnx);
  const auto shape = net.input_shape();
  std::printf(
      "wrote %s (%zu bytes): ONNX opset %lld, input '%s' Nx%dx%dx%d float (NCHW, pixels 0..1), "
      "output '%s' Nx%d\n",
      out->c_str(), onnx.size(), static_cast<long long>(kOnnxOpset), kOnnxInputName, shape[2],
      shape[0], shape[1], kOnnxOutputName, net.num_classes());
  return 0;
}

}  // namespace sn::cli
