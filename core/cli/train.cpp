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
#include "scratchnet/preset_settings.h"
#include "scratchnet/session.h"

namespace sn::cli {

namespace {

const std::vector<FlagSpec> kTrainFlags = {
    {"model", true},    {"data", true},        {"epochs", true},
    {"batch", true},    {"lr", true},          {"optimizer", true},
    {"threads", true},  {"seed", true},        {"save", true},
    {"classes", true},  {"augment", false},    {"weight-decay", true},
    {"momentum", true}, {"train-limit", true}, {"print-losses", true},
    {"schedule", true}, {"warmup", true},      {"label-smoothing", true},
    {"beta1", true},    {"beta2", true},       {"no-augment", false},
};

const Preset* find_preset(const std::string& name) {
  const std::string resolved = resolve_preset(name);
  for (const Preset& p : presets()) {
    if (p.description == resolved && resolved != name) return &p;
  }
  return nullptr;
}

}  // namespace

int train_main(const Words& words) {
  Args a("train", words, kTrainFlags);
  const std::string model = a.str("model", kDefaults.model);
  // A preset brings its recommended settings (scratchnet/preset_settings.h); anything else starts
  // from the generic defaults (scratchnet/defaults.h). Flags override either.
  const PresetSettings* recommended = preset_settings(model);
  const TrainOptions base = recommended ? recommended->options : TrainOptions{};
  const int epochs = static_cast<int>(
      a.integer("epochs", recommended ? recommended->epochs : kDefaults.epochs, kLimits.epochs));
  TrainOptions opt = options_for_epochs(base, epochs);
  if (a.has("optimizer")) {
    const OptimizerKind chosen = parse_optimizer(a.str("optimizer", kDefaults.optimizer));
    // Another optimizer than the recommended one starts from its own usual rate.
    if (chosen != base.optimizer || !recommended) opt.learning_rate = default_learning_rate(chosen);
    opt.optimizer = chosen;
  } else if (!recommended) {
    opt.learning_rate = default_learning_rate(opt.optimizer);
  }
  opt.learning_rate = static_cast<float>(a.real("lr", opt.learning_rate, kLimits.learning_rate));
  opt.momentum = static_cast<float>(a.real("momentum", opt.momentum, kLimits.momentum));
  opt.weight_decay =
      static_cast<float>(a.real("weight-decay", opt.weight_decay, kLimits.weight_decay));
  opt.beta1 = a.real("beta1", opt.beta1, 0, 0.9999);
  opt.beta2 = a.real("beta2", opt.beta2, 0, 0.99999);
  opt.label_smoothing = static_cast<float>(a.real("label-smoothing", opt.label_smoothing, 0, 0.99));
  opt.batch_size = static_cast<int>(a.integer("batch", opt.batch_size, kLimits.batch_size));
  opt.seed = static_cast<uint64_t>(
      a.integer("seed", static_cast<long long>(kDefaults.seed), kLimits.seed));
  if (a.has("augment")) opt.augment.enabled = true;
  if (a.has("no-augment")) opt.augment.enabled = false;
  if (a.has("schedule")) opt.schedule.kind = parse_schedule(a.str("schedule", "constant"));
  opt.schedule.warmup = static_cast<float>(a.real("warmup", opt.schedule.warmup, 0, 0.99));
  const int threads = threads_flag(a);
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
  if (classes.empty() && preset && preset->two_class) {
    classes.assign(std::begin(kDefaults.two_classes), std::end(kDefaults.two_classes));
  }

  const std::string dir = data_dir_or_default(a.str("data", ""));
  // The data set's own distortions (flips for clothes, warps for digits), named by its folder.
  std::filesystem::path folder = std::filesystem::path(dir).lexically_normal();
  if (folder.filename().empty()) folder = folder.parent_path();  // "data/fashion/"
  opt.augment = augmentation_for(folder.filename().string(), opt.augment.enabled);
  Session session;
  load_data(session, dir, classes, true, train_limit);
  const Dataset& train = session.train_split();
  const Dataset& test = session.test_split();
  session.set_threads(threads);
  const Network& net = session.build(model, opt.seed);
  const int data_classes = std::max(train.num_classes(), test.num_classes());
  if (net.num_classes() < data_classes) {
    throw Error("the model has " + std::to_string(net.num_classes()) +
                " output classes but the data has " + std::to_string(data_classes) +
                "; choose classes with --classes (e.g. --classes 3,8)");
  }

  std::printf("model: %s\n", net.description().c_str());
  std::printf("params: %lld, loss: %s, data: %s (%d train, %d test",
              static_cast<long long>(net.param_count()), loss_name(net.loss()), dir.c_str(),
              train.count(), test.count());
  if (!classes.empty()) {
    std::printf(", classes");
    for (size_t i = 0; i < classes.size(); ++i) std::printf("%s%d", i ? "," : " ", classes[i]);
  }
  std::printf(")\nthreads: %d, batch %d, optimizer %s, lr %g (%s), seed %llu%s\n", threads,
              opt.batch_size, optimizer_name(opt.optimizer), static_cast<double>(opt.learning_rate),
              schedule_name(opt.schedule.kind), static_cast<unsigned long long>(opt.seed),
              !opt.augment.enabled ? ""
              : opt.augment.mirror ? ", augmented (left-right flips)"
                                   : ", augmented (shifts, scalings, rotations)");
  std::fflush(stdout);

  session.set_training(opt);
  ProgressBar bar(epochs, opt.batch_size);
  int64_t printed = 0;
  const auto start = std::chrono::steady_clock::now();
  for (int e = 0; e < epochs; ++e) {
    const auto t0 = std::chrono::steady_clock::now();
    bar.begin_epoch();
    const float train_loss = session.train_epoch([&](const StepProgress& p) {
      if (printed < print_losses) {
        bar.clear();
        // Full precision, so native and wasm runs with one seed can be compared bit for bit.
        std::printf("step %lld loss %.9g\n", static_cast<long long>(printed),
                    static_cast<double>(p.loss));
        ++printed;
      }
      bar.update(p);
    });
    const double train_secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const Evaluation ev = session.evaluate();
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    bar.clear();
    std::printf(
        "epoch %d/%d  train loss %.4g  test loss %.4g  test acc %.2f%%  %.0f samples/s  %.1fs\n",
        e + 1, epochs, static_cast<double>(train_loss), ev.loss, ev.accuracy * 100,
        train.count() / std::max(train_secs, 1e-9), elapsed);
    std::fflush(stdout);
  }
  if (!save.empty()) {
    write_bytes(save, session.save());
    std::printf("saved %s\n", save.c_str());
  }
  return 0;
}

}  // namespace sn::cli
