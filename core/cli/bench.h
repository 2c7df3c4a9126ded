#pragma once
// `nn bench`: this machine's SIMD peak, GEMM throughput on the shapes the presets really use,
// and training throughput, all in one run so the percentages compare like with like.
#include <string>
#include <vector>

namespace sn {

// args: the words after "bench". Flags: --threads N (default: all hardware threads),
// --quick (shorter measurements). Prints to stdout; returns a process exit code.
int bench_main(const std::vector<std::string>& args);

}  // namespace sn
