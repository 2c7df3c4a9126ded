// `nn`: the native command-line face of the engine (train, eval, predict, summary, presets,
// bench). Every failure becomes one line on stderr and a non-zero exit code:
// 1 = runtime error (files, formats, divergence), 2 = wrong usage.
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "args.h"
#include "bench.h"
#include "commands.h"
#include "scratchnet/error.h"

namespace {

const char* kUsage =
    "usage: nn <command> [flags]\n"
    "\n"
    "commands:\n"
    "  train    --model PRESET|DESCRIPTION [--data DIR] [--epochs 3] [--batch 64] [--lr X]\n"
    "           [--optimizer sgd|momentum|adam] [--threads N] [--seed 1] [--save FILE]\n"
    "           [--classes 3,8] [--augment] [--weight-decay X] [--momentum X]\n"
    "           [--train-limit N] [--print-losses N]\n"
    "           [--schedule constant|step|cosine|onecycle] [--warmup 0.25]\n"
    "  eval     --model-file FILE [--data DIR] [--threads N]\n"
    "  predict  --model-file FILE [--data DIR] [--index I] [--count N] [--show]\n"
    "  summary  --model PRESET|DESCRIPTION [--input 28x28x1]\n"
    "  export   --model-file FILE --onnx OUT.onnx   the model as ONNX (opset 13)\n"
    "  presets  list the built-in models\n"
    "  bench    [--threads N] [--quick]   GEMM and training throughput\n"
    "  bench-learn [--models fast,mlp,lenet,cnn-deep] [--sets mnist,fashion] [--seeds N]\n"
    "           [--epochs N] [--threads N]   each preset's accuracy with its recommended settings\n"
    "\n"
    "--data defaults to build/public/data/mnist (run `npm run data` first).\n"
    "Descriptions look like: \"conv 8 5x5 relu | maxpool 2 | flatten | dense 10 softmax\"\n";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
    std::fputs(kUsage, args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  const std::string command = args[0];
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  try {
    using namespace sn::cli;
    if (command == "train") return train_main(rest);
    if (command == "eval") return eval_main(rest);
    if (command == "predict") return predict_main(rest);
    if (command == "summary") return summary_main(rest);
    if (command == "presets") return presets_main(rest);
    if (command == "export") return export_main(rest);
    if (command == "bench") return sn::bench_main(rest);
    if (command == "bench-learn") return bench_learn_main(rest);
    std::fprintf(stderr, "nn: unknown command '%s' (try: train, eval, predict, summary, export, presets, bench, bench-learn)\n",
                 command.c_str());
    return 2;
  } catch (const sn::cli::UsageError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    // Library errors are written for a person; print them whole, on one line.
    std::string msg = e.what();
    for (char& c : msg) {
      if (c == '\n') c = ' ';
    }
    std::fprintf(stderr, "nn %s: error: %s\n", command.c_str(), msg.c_str());
    return 1;
  } catch (...) {
    std::fprintf(stderr, "nn %s: error: unexpected failure\n", command.c_str());
    return 1;
  }
}
