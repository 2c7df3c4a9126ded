#pragma once
// The engine's values as named fields: training settings, defaults, input ranges, summaries,
// progress, evaluations and layer outputs as lists of (name, value), in the names the page and
// the npm package use ("learningRate", "batchesPerEpoch"), and training settings read back from
// such a list with each value's type checked. The names are written here once: the wasm bindings
// turn fields into a JavaScript object, and an object into fields, without knowing any of them.
#include <string>
#include <variant>
#include <vector>

#include "scratchnet/data.h"
#include "scratchnet/defaults.h"
#include "scratchnet/description.h"
#include "scratchnet/network.h"
#include "scratchnet/preset_settings.h"
#include "scratchnet/trainer.h"

namespace sn {

struct Field;
using Fields = std::vector<Field>;
// A number, a yes/no, a name or text, a short list of numbers (a shape, class labels), bulk int
// or float data (a confusion matrix, a layer's values), a group of fields, or a list of groups.
using FieldValue = std::variant<double, bool, std::string, std::vector<double>, std::vector<int>,
                                std::vector<float>, Fields, std::vector<Fields>>;
struct Field {
  std::string name;
  FieldValue value;
};

// The shortest decimal that reads back as f: a setting of 0.002f is 0.002 (not
// 0.0020000000949949026), and becomes the same float again when it is read back.
double shortest_decimal(float f);

// ---- Settings; floats as shortest_decimal, groups as Fields.
// optimizer, learningRate, batchSize, schedule {kind, epochs, warmup}, beta1, beta2, momentum,
// weightDecay, labelSmoothing, augment {enabled, maxShift, maxScale, maxRotateDeg, mirror}.
Fields fields(const TrainOptions& options);
Fields fields(const AugmentOptions& augment);  // enabled, maxShift, maxScale, maxRotateDeg, mirror
// A preset's: its options' fields, then epochs and why.
Fields fields(const PresetSettings& preset);
// model, optimizer, learningRate, sgdLearningRate, momentumLearningRate, momentum, weightDecay,
// batchSize, epochs, seed, threads, augment, twoClasses, evalBatch.
Fields fields(const Defaults& defaults);
// learningRate, batchSize, epochs, seed, threads, momentum, weightDecay: each {min, max}.
Fields fields(const Limits& limits);

// ---- What the engine reports.
// name, description, summary, twoClass, and settings (the preset's PresetSettings) if it has any.
Fields fields(const Preset& preset);
Fields fields(const Dataset& data);  // count, rows, cols, classes
// A planned or built model: description, params, flops, loss, classes, and layers (each:
// segment, text, kind, shape [h, w, c], params, flops).
Fields fields(const NetworkPlan& plan, const std::vector<LayerInfo>& layers);
Fields fields(const Network& network);      // its plan and layers
Fields fields(const Activation& layer);     // segment, kind, values, shape [h, w, c]
Fields fields(const ParameterView& param);  // segment, kind, name, shape, values
// loss, accuracy, count, classes, confusion (classes x classes), predicted (a class per image).
Fields fields(const Evaluation& evaluation);
// epoch, batch, batchesPerEpoch, step, runningAccuracy, and learningRate: the rate the next
// batch uses, as the float it is.
Fields fields(const Trainer& progress);

// Each item's fields: presets, a model's activations or parameters.
template <class T>
std::vector<Fields> fields(const std::vector<T>& items) {
  std::vector<Fields> out;
  for (const T& item : items) out.push_back(fields(item));
  return out;
}

// ---- Reading settings back.
// TrainOptions from fields(TrainOptions)'s names, seed, and augment's maxShift, maxScale and
// maxRotateDeg. What is not given keeps TrainOptions' default, but the learning rate's default is
// the optimizer's (default_learning_rate), and a schedule given spans its own epochs
// (over_epochs). Other names are ignored (a caller may pass a larger config). Throws Error naming
// the setting for a value of the wrong type, a count that is not a whole number, or an unknown
// optimizer or schedule; the trainer checks the ranges.
TrainOptions training_options(const Fields& settings);
// A schedule from kind, epochs and warmup (the same checks), spanning its epochs (over_epochs).
Schedule schedule_of(const Fields& settings);

}  // namespace sn
