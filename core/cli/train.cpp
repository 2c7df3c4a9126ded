// `nn train`: builds a model from a preset or description, trains it on IDX data, reports
// per-epoch losses, accuracy and throughput, and optionally saves the model file.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>

#include "args.h"
#include "commands.h"
#include "common.h"
#include "progress.h"
#include "scratchnet/description.h"
#include "scratchnet/error.h"
#include "scratchnet/network.h"
#include "scratchnet/parallel.h"
#include "scratchnet/preset_settings.h"
#include "scratchnet/trainer.h"

namespace sn::cli {

namespace {

const std::vector<FlagSpec> kTrainFlags = {
    {"model", true},        {"data", true},         {"epochs", true},   {"batch", true},
    {"lr", true},           {"optimizer", true},    {"threads", true},  {"seed", true},
    {"save", true},         {"classes", true},      {"augment", false}, {"weight-decay", true},
    {"momentum", true},     {"train-limit", true},  {"print-losses", true}, {"schedule", true},
    {"warmup", true},       {"label-smoothing", true}, {"beta1", true}, {"beta2", true},
    {"no-augment", false},
};

// Learning rates that work for each optimizer on MNIST when --lr is not given.
float default_lr(OptimizerKind k) {
  switch (k) {
    case OptimizerKind::SGD: return 0.05f;
    case OptimizerKind::Momentum: return 0.01f;
    case OptimizerKind::Adam:
    case OptimizerKind::AdamW: return 0.001f;
  }
  return 0.001f;
}

const Preset* find_preset(const std::string& name) {
  const std::string resolved = resolve_preset(name);
  for (const Preset& p : presets()) {
    if (p.description == resolved && resolved != name) return &p;
  }
  return nullptr;
}

Dataset first_n(const Dataset& d, int n) {
  if (n <= 0 || n >= d.count()) return d;
  Dataset out;
  out.rows = d.rows;
  out.cols = d.cols;
  out.labels.assign(d.labels.begin(), d.labels.begin() + n);
  out.images.assign(d.images.begin(), d.images.begin() + static_cast<size_t>(n) * d.rows * d.cols);
  return out;
}

}  // namespace

int train_main(const Words& words) {
  Args a("train", words, kTrainFlags);
  const std::string model = a.str("model", "lenet");
  // A preset brings its recommended settings (scratchnet/preset_settings.h); flags override them.
  const PresetSettings* recommended = preset_settings(model);
  const TrainOptions base = recommended ? recommended->options : TrainOptions{};
  const int epochs = static_cast<int>(a.integer("epochs", recommended ? recommended->epochs : 3, 1, 100000));
  TrainOptions opt = options_for_epochs(base, epochs);
  if (a.has("optimizer")) {
    const OptimizerKind chosen = parse_optimizer(a.str("optimizer", ""));
    // Another optimizer than the recommended one starts from its own usual rate.
    if (chosen != base.optimizer || !recommended) opt.learning_rate = default_lr(chosen);
    opt.optimizer = chosen;
  } else if (!recommended) {
    opt.learning_rate = default_lr(opt.optimizer);
  }
  opt.learning_rate = static_cast<float>(a.real("lr", opt.learning_rate, 1e-9, 100));
  opt.momentum = static_cast<float>(a.real("momentum", opt.momentum, 0, 0.9999));
  opt.weight_decay = static_cast<float>(a.real("weight-decay", opt.weight_decay, 0, 1));
  opt.beta1 = a.real("beta1", opt.beta1, 0, 0.9999);
  opt.beta2 = a.real("beta2", opt.beta2, 0, 0.99999);
  opt.label_smoothing = static_cast<float>(a.real("label-smoothing", opt.label_smoothing, 0, 0.99));
  opt.batch_size = static_cast<int>(a.integer("batch", opt.batch_size, 1, 65536));
  opt.seed = static_cast<uint64_t>(a.integer("seed", 1, 0, INT64_MAX));
  if (a.has("augment")) opt.augment.enabled = true;
  if (a.has("no-augment")) opt.augment.enabled = false;
  if (a.has("schedule")) opt.schedule.kind = parse_schedule(a.str("schedule", "constant"));
  opt.schedule.warmup = static_cast<float>(a.real("warmup", opt.schedule.warmup, 0, 0.99));
  const int threads = static_cast<int>(a.integer("threads", ThreadPool::hardware_threads(), 1, 256));
  const int train_limit = static_cast<int>(a.integer("train-limit", 0, 1, kMaxIdxItems));
  const int print_losses = static_cast<int>(a.integer("print-losses", 0, 0, 1000000000));
  const std::string save = a.str("save", "");

  // Fail before the training, not after it, when the model cannot be saved there.
  if (!save.empty()) {
    std::error_code ec;
    auto parent = std::filesystem::path(save).parent_path();
    if (!parent.empty() && !std::filesystem::is_directory(parent, ec)) {
      throw Error("--save " + save + ": directory '" + parent.string() + "' does not exist");
    }
  }

  // The description is checked before the data is read: a typo should not cost a load.
  (void)parse_description(resolve_preset(model));
  std::vector<int> classes = a.int_list("classes", 0, 255);
  const Preset* preset = find_preset(model);
  if (classes.empty() && preset && preset->two_class) classes = {0, 1};

  const std::string dir = data_dir_or_default(a.str("data", ""));
  DataSets data = load_data(dir, classes, true);
  data.train = first_n(data.train, train_limit);

  Network net(model, data.train.rows, data.train.cols, 1, opt.seed);
  net.set_threads(threads);
  const int data_classes = std::max(data.train.num_classes(), data.test.num_classes());
  if (net.num_classes() < data_classes) {
    throw Error("the model has " + std::to_string(net.num_classes()) + " output classes but the data has " +
                std::to_string(data_classes) + "; choose classes with --classes (e.g. --classes 3,8)");
  }

  std::printf("model: %s\n", net.description().c_str());
  std::printf("params: %lld, loss: %s, data: %s (%d train, %d test", static_cast<long long>(net.param_count()),
              loss_name(net.loss()), dir.c_str(), data.train.count(), data.test.count());
  if (!classes.empty()) {
    std::printf(", classes");
    for (size_t i = 0; i < classes.size(); ++i) std::printf("%s%d", i ? "," : " ", classes[i]);
  }
  std::printf(")\nthreads: %d, batch %d, optimizer %s, lr %g (%s), seed %llu%s\n", threads, opt.batch_size,
              optimizer_name(opt.optimizer), static_cast<double>(opt.learning_rate),
              schedule_name(opt.schedule.kind),
              static_cast<unsigned long long>(opt.seed), opt.augment.enabled ? ", augmented" : "");
  std::fflush(stdout);

  Trainer trainer(net, data.train, opt);
  ProgressBar bar(epochs, opt.batch_size);
  int64_t printed = 0;
  const auto start = std::chrono::steady_clock::now();
  for (int e = 0; e < epochs; ++e) {
    const auto t0 = std::chrono::steady_clock::now();
    bar.begin_epoch();
    const float train_loss = trainer.train_epoch([&](const StepProgress& p) {
      if (printed < print_losses) {
        bar.clear();
        // Full precision, so native and wasm runs with one seed can be compared bit for bit.
        std::printf("step %lld loss %.9g\n", static_cast<long long>(printed), static_cast<double>(p.loss));
        ++printed;
      }
      bar.update(p);
    });
    const double train_secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const Evaluation ev = evaluate(net, data.test);
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    bar.clear();
    std::printf("epoch %d/%d  train loss %.4g  test loss %.4g  test acc %.2f%%  %.0f samples/s  %.1fs\n",
                e + 1, epochs, static_cast<double>(train_loss), ev.loss, ev.accuracy * 100,
                data.train.count() / std::max(train_secs, 1e-9), elapsed);
    std::fflush(stdout);
  }
  if (!save.empty()) {
    write_bytes(save, net.save(data.class_labels));
    std::printf("saved %s\n", save.c_str());
  }
  return 0;
}

}  // namespace sn::cli
