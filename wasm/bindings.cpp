// Embind bindings: the engine's Network, Trainer and Dataset as two JavaScript classes
// (network_handle.h, dataset_handle.h). Thin on purpose: every method copies arguments into
// engine types, calls core/, and copies the answer out as plain objects and typed arrays.
// Errors are returned as JS Error values and thrown by the post-js wrapper (see js_values.h).
#include <emscripten/bind.h>
#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "dataset_handle.h"
#include "network_handle.h"
#include "scratchnet/bench.h"

using emscripten::val;

// Wasm memory in use, for leak tests: {heapSize (bytes of linear memory), used (malloc'd bytes),
// datasets, networks (live handles)}.
val memory_stats() {
  const struct mallinfo info = mallinfo();
  val out = val::object();
  out.set("heapSize", static_cast<double>(__builtin_wasm_memory_size(0)) * 65536.0);
  out.set("used", static_cast<double>(info.uordblks));
  out.set("datasets", snjs::DatasetHandle::live);
  out.set("networks", snjs::NetworkHandle::live);
  return out;
}

// The bench's ceiling: the same register-only multiply-add loop `nn bench` times natively
// (kernels/peak.cpp), here as wasm SIMD128, so wasm/native throughput can be read against
// wasm peak/native peak from one run.
double measure_peak_gflops(double seconds) {
  return sn::measure_simd_peak_gflops(std::clamp(seconds, 0.01, 10.0));
}

// GFLOP/s of one single-thread gemm call C = op(A) * op(B), like `nn bench`'s GEMM rows.
double measure_gemm_gflops(int m, int n, int k, bool trans_a, bool trans_b, double seconds) {
  return sn::measure_gemm_gflops(m, n, k, trans_a, trans_b, std::clamp(seconds, 0.01, 10.0));
}

EMSCRIPTEN_BINDINGS(scratchnet) {
  using namespace emscripten;
  class_<snjs::DatasetHandle>("Dataset")
      .constructor<>()
      .function("parse", &snjs::DatasetHandle::parse)
      .function("info", &snjs::DatasetHandle::info)
      .function("images", &snjs::DatasetHandle::images)
      .function("labels", &snjs::DatasetHandle::labels);
  class_<snjs::NetworkHandle>("Network")
      .constructor<>()
      .class_function("validate", &snjs::NetworkHandle::validate)
      .class_function("presets", &snjs::NetworkHandle::presets)
      .class_function("scheduleCurve", &snjs::NetworkHandle::scheduleCurve)
      .function("build", &snjs::NetworkHandle::build)
      .function("summary", &snjs::NetworkHandle::summary)
      .function("setData", &snjs::NetworkHandle::setData)
      .function("setTraining", &snjs::NetworkHandle::setTraining)
      .function("trainSteps", &snjs::NetworkHandle::trainSteps)
      .function("progress", &snjs::NetworkHandle::progress)
      .function("setLearningRate", &snjs::NetworkHandle::setLearningRate)
      .function("setThreads", &snjs::NetworkHandle::setThreads)
      .function("evaluate", &snjs::NetworkHandle::evaluate)
      .function("predict", &snjs::NetworkHandle::predict)
      .function("predictTest", &snjs::NetworkHandle::predictTest)
      .function("testImages", &snjs::NetworkHandle::testImages)
      .function("testClasses", &snjs::NetworkHandle::testClasses)
      .function("activations", &snjs::NetworkHandle::activations)
      .function("parameters", &snjs::NetworkHandle::parameters)
      .function("save", &snjs::NetworkHandle::save)
      .function("exportOnnx", &snjs::NetworkHandle::exportOnnx)
      .function("load", &snjs::NetworkHandle::load)
      .function("classLabels", &snjs::NetworkHandle::classLabels)
      .function("hasModel", &snjs::NetworkHandle::hasModel)
      .function("hasTrainer", &snjs::NetworkHandle::hasTrainer);
  function("memoryStats", &memory_stats);
  function("measurePeakGflops", &measure_peak_gflops);
  function("measureGemmGflops", &measure_gemm_gflops);
  function("simdDescription", +[]() { return std::string(sn::simd_description()); });
}
