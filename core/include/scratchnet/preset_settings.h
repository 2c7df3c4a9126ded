#pragma once
// Each preset's recommended training settings, defined once here for the CLI, the wasm API and
// the page: choosing a preset applies them, and a person can still change any of them.
#include <string>

#include "scratchnet/trainer.h"

namespace sn {

struct PresetSettings {
  std::string preset;    // "lenet"
  TrainOptions options;  // optimizer, learning rate, schedule (its length is `epochs`), batch,
                         // augmentation, weight decay, label smoothing, seed 1
  int epochs = 1;
  std::string why;  // one line for a person: what the settings reach and why these
};

// The settings of a preset by name (as resolve_preset matches it); null for anything else.
const PresetSettings* preset_settings(const std::string& name);
const std::vector<PresetSettings>& all_preset_settings();

// options with the schedule stretched over `epochs` (a run longer or shorter than recommended
// keeps the schedule's shape: warm-up and annealing fit the run).
TrainOptions options_for_epochs(TrainOptions options, int epochs);

}  // namespace sn
