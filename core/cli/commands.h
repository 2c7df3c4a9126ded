#pragma once
// The `nn` sub-commands. Each takes the words after its name and returns the exit code;
// errors are thrown (sn::Error, UsageError) and printed by main as one line.
#include <string>
#include <vector>

namespace sn::cli {

using Words = std::vector<std::string>;

int train_main(const Words& args);
int eval_main(const Words& args);
int predict_main(const Words& args);
int summary_main(const Words& args);
int presets_main(const Words& args);
int export_main(const Words& args);
int bench_main(const Words& args);
int bench_learn_main(const Words& args);

}  // namespace sn::cli
