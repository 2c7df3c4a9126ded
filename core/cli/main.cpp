// `nn`: the native command-line face of the engine. Every failure becomes one line on stderr and
// a non-zero exit code: 1 = runtime error (files, formats, divergence), 2 = wrong usage.
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "args.h"
#include "commands.h"

namespace {

using sn::cli::Words;

struct Command {
  const char* name;
  int (*run)(const Words&);
  const char* usage;  // flags, then continuation lines indented to the flags' column
};

// One line per command: what `nn help` lists and what main dispatches to.
const Command kCommands[] = {
    {"train", sn::cli::train_main,
     "--model PRESET|DESCRIPTION [--data DIR] [--epochs N] [--batch N] [--lr X]\n"
     "           [--optimizer sgd|momentum|adam|adamw] [--threads N] [--seed 1] [--save FILE]\n"
     "           [--classes 3,8] [--augment|--no-augment] [--weight-decay X] [--momentum X]\n"
     "           [--train-limit N] [--print-losses N] [--label-smoothing X]\n"
     "           [--schedule constant|step|cosine|onecycle] [--warmup 0.25] [--beta1 X] [--beta2 "
     "X]"},
    {"eval", sn::cli::eval_main, "--model-file FILE [--data DIR] [--threads N]"},
    {"predict", sn::cli::predict_main,
     "--model-file FILE [--data DIR] [--index I] [--count N] [--show]"},
    {"summary", sn::cli::summary_main, "--model PRESET|DESCRIPTION [--input 28x28x1]"},
    {"export", sn::cli::export_main,
     "--model-file FILE --onnx OUT.onnx   the model as ONNX (opset 13)"},
    {"presets", sn::cli::presets_main, "list the built-in models"},
    {"bench", sn::cli::bench_main, "[--threads N] [--quick]   GEMM and training throughput"},
    {"bench-learn", sn::cli::bench_learn_main,
     "[--models fast,mlp,lenet,cnn-deep] [--sets mnist,fashion] [--seeds N]\n"
     "           [--epochs N] [--threads N]   each preset's accuracy with its recommended "
     "settings"},
};

void print_usage(FILE* out) {
  std::fputs("usage: nn <command> [flags]\n\ncommands:\n", out);
  for (const Command& c : kCommands) std::fprintf(out, "  %-8s %s\n", c.name, c.usage);
  std::fputs(
      "\n--data defaults to build/public/data/mnist (run `npm run data` first).\n"
      "Descriptions look like: \"conv 8 5x5 relu | maxpool 2 | flatten | dense 10 softmax\"\n",
      out);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
    print_usage(args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  const std::string command = args[0];
  const Words rest(args.begin() + 1, args.end());
  try {
    for (const Command& c : kCommands) {
      if (command == c.name) return c.run(rest);
    }
    std::string names;
    for (const Command& c : kCommands) names += (names.empty() ? "" : ", ") + std::string(c.name);
    std::fprintf(stderr, "nn: unknown command '%s' (try: %s)\n", command.c_str(), names.c_str());
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
