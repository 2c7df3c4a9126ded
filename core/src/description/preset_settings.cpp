// The presets' recommended training settings (scratchnet/preset_settings.h). Figures for each
// are in README's learning table (`nn bench-learn`).
#include "scratchnet/preset_settings.h"

#include <algorithm>

#include "description/tokens.h"

namespace sn {

namespace {

struct Recipe {
  const char* preset;
  OptimizerKind optimizer;
  float lr;
  ScheduleKind schedule;
  int batch;
  int epochs;
  bool augment;
  const char* why;
  double beta1 = 0.9, beta2 = 0.999;
  float weight_decay = 0.0f, label_smoothing = 0.0f;
};

PresetSettings make(const Recipe& r) {
  PresetSettings s;
  s.preset = r.preset;
  s.epochs = r.epochs;
  s.why = r.why;
  TrainOptions& o = s.options;
  o.optimizer = r.optimizer;
  o.learning_rate = r.lr;
  o.batch_size = r.batch;
  o.augment.enabled = r.augment;
  o.beta1 = r.beta1;
  o.beta2 = r.beta2;
  o.weight_decay = r.weight_decay;
  o.label_smoothing = r.label_smoothing;
  o.schedule.kind = r.schedule;
  s.options = options_for_epochs(o, r.epochs);
  return s;
}

}  // namespace

TrainOptions options_for_epochs(TrainOptions options, int epochs) {
  options.schedule = over_epochs(options.schedule, static_cast<float>(std::max(epochs, 1)));
  return options;
}

const std::vector<PresetSettings>& all_preset_settings() {
  static const std::vector<PresetSettings> kSettings = [] {
    const Recipe recipes[] = {
        {"mlp-mse", OptimizerKind::Adam, 0.001f, ScheduleKind::Constant, 64, 3, false,
         "The report's settings: Adam at 0.001, constant rate"},
        {"cnn-binary", OptimizerKind::Momentum, 0.05f, ScheduleKind::Constant, 64, 1, false,
         "Its sigmoid layers saturate under Adam and it stays at chance; SGD with momentum at "
         "0.05 learns two digits in one epoch"},
        {"cnn-full", OptimizerKind::Adam, 0.001f, ScheduleKind::Constant, 64, 3, false,
         "The report's settings: Adam at 0.001, constant rate"},
        {"mlp", OptimizerKind::Adam, 0.003f, ScheduleKind::OneCycle, 128, 10, false,
         "Adam under one-cycle: the rate anneals to zero, so the last epoch is the best"},
        {"lenet", OptimizerKind::Adam, 0.005f, ScheduleKind::OneCycle, 128, 8, false,
         "Adam under one-cycle: the rate anneals to zero, so the last epoch is the best"},
        {"cnn-deep", OptimizerKind::Adam, 0.003f, ScheduleKind::OneCycle, 128, 15, true,
         "Adam under one-cycle with augmentation in the data set's own terms: small shifts, "
         "scalings and rotations for digits, left-right flips for clothes"},
        {"fast", OptimizerKind::Adam, 0.01f, ScheduleKind::OneCycle, 128, 1, false,
         "One epoch: Adam with short memories (beta1 0.7, beta2 0.9) at 0.01 under one-cycle", 0.7,
         0.9},
    };
    std::vector<PresetSettings> out;
    for (const Recipe& r : recipes) out.push_back(make(r));
    return out;
  }();
  return kSettings;
}

const PresetSettings* preset_settings(const std::string& name) {
  const std::string key = desc::to_lower(desc::trim(name));
  for (const PresetSettings& s : all_preset_settings()) {
    if (s.preset == key) return &s;
  }
  return nullptr;
}

}  // namespace sn
