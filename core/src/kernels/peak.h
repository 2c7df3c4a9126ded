#pragma once
// This machine's floating-point peak, measured rather than looked up, so that benchmark
// figures can be stated as a fraction of what the same core does in the same run.
namespace sn {

// GFLOP/s of one thread running only register-resident vector multiply-adds (simd.h's vf),
// with enough independent accumulators to hide the FMA latency. Best of many short rounds
// over about `seconds` in total.
double measure_simd_peak_gflops(double seconds = 0.25);

// The same loop's average rate over one window of about `seconds` (not the best round). Run on
// several threads at once, the sum says how much of the machine this process really gets.
double measure_simd_sustained_gflops(double seconds);

// The instruction set the kernels were compiled for, e.g. "AVX2+FMA (8 lanes)".
const char* simd_description();

}  // namespace sn
