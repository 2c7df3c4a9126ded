// Embind bindings: core's Session (scratchnet/session.h) as the JavaScript class Network, a parsed
// IDX data set as Dataset, the engine's defaults, limits and preset settings, and the bench loops.
// Each function copies its arguments in, calls core/ (public headers only) and copies the answer
// out (js_values.h). The JavaScript API is typed in scratchnet.d.ts.
#include <emscripten/bind.h>
#include <malloc.h>

#include <algorithm>
#include <memory>

#include "js_values.h"
#include "scratchnet/bench.h"
#include "scratchnet/onnx.h"
#include "scratchnet/preset_settings.h"
#include "scratchnet/session.h"

using namespace snjs;

namespace snjs {  // the field tables (js_values.h): JavaScript name, then member or getter
SN_FIELDS(sn::Range, "min", &S::min, "max", &S::max)
SN_FIELDS(sn::Limits, "learningRate", &S::learning_rate, "batchSize", &S::batch_size, "epochs",
          &S::epochs, "seed", &S::seed, "threads", &S::threads, "momentum", &S::momentum,
          "weightDecay", &S::weight_decay)
SN_FIELDS(sn::Defaults, "model", &S::model, "optimizer", &S::optimizer, "learningRate",
          &S::learning_rate, "sgdLearningRate", &S::sgd_learning_rate, "momentumLearningRate",
          &S::momentum_learning_rate, "momentum", &S::momentum, "weightDecay", &S::weight_decay,
          "batchSize", &S::batch_size, "epochs", &S::epochs, "seed", &S::seed, "threads",
          &S::threads, "augment", &S::augment, "twoClasses", &S::two_classes, "evalBatch",
          &S::eval_batch)
// schedule() and training() complete a schedule with over_epochs().
SN_FIELDS(sn::Schedule, "kind", &S::kind, "epochs", &S::epochs, "warmup", &S::warmup)
SN_FIELDS(sn::AugmentOptions, "enabled", &S::enabled)
// A preset's settings are these.
SN_FIELDS(sn::TrainOptions, "optimizer", &S::optimizer, "learningRate", &S::learning_rate,
          "batchSize", &S::batch_size, "schedule", &S::schedule, "beta1", &S::beta1, "beta2",
          &S::beta2, "momentum", &S::momentum, "weightDecay", &S::weight_decay, "labelSmoothing",
          &S::label_smoothing, "augment", &S::augment)
SN_FIELDS(sn::Dataset, "count", &S::count, "rows", &S::rows, "cols", &S::cols, "classes",
          &S::num_classes)
SN_FIELDS(sn::LayerInfo, "segment", &S::segment, "text", &S::text, "kind", &S::kind, "shape",
          &S::output_shape, "params", &S::params, "flops", &S::flops)
SN_FIELDS(sn::NetworkPlan, "description", &S::description, "params", &S::params, "flops", &S::flops,
          "loss", &S::loss, "classes", &S::num_classes)
SN_FIELDS(sn::Preset, "name", &S::name, "description", &S::description, "summary", &S::summary,
          "twoClass", &S::two_class)
SN_FIELDS(sn::ParameterView, "segment", &S::segment, "kind", &S::kind, "name", &S::name, "shape",
          &S::shape, "values", &S::values)
// Activation: and its shape (h, w, c); Evaluation: and its int lists as typed arrays.
SN_FIELDS(sn::Activation, "segment", &S::segment, "kind", &S::kind, "values", &S::values)
SN_FIELDS(sn::Evaluation, "loss", &S::loss, "accuracy", &S::accuracy, "count", &S::count, "classes",
          &S::classes)
// Trainer (progress): and its current learning rate, as the float it is.
SN_FIELDS(sn::Trainer, "epoch", &S::epoch, "batch", &S::batch_in_epoch, "batchesPerEpoch",
          &S::batches_per_epoch, "step", &S::step, "runningAccuracy", &S::running_accuracy)
// setTraining (WasmTrainingOptions) takes a preset's settings (TrainOptions' table) and these.
const auto kTrainingOnly = table<sn::TrainOptions>("seed", &sn::TrainOptions::seed);
using A = sn::AugmentOptions;
const auto kAugmentDetail = table<A>("maxShift", &A::max_shift, "maxScale", &A::max_scale,
                                     "maxRotateDeg", &A::max_rotate_deg);
}  // namespace snjs

namespace {

val summary(const std::vector<sn::LayerInfo>& infos, const sn::NetworkPlan& plan) {
  val out = to_js(plan);
  out.set("layers", numbers(infos));
  return out;
}
val summary(const sn::Network& n) { return summary(n.summary(), n.plan()); }

val progress(const sn::Session& s) {
  val out = to_js(s.trainer());
  out.set("learningRate", val(s.trainer().current_learning_rate()));
  return out;
}

// WasmTrainingOptions (scratchnet.d.ts); an absent field keeps TrainOptions' default, and the
// learning rate's default is the optimizer's.
sn::TrainOptions training(const val& o) {
  sn::TrainOptions t;
  if (given(o["optimizer"])) from_js(o["optimizer"], t.optimizer);
  t.learning_rate = sn::default_learning_rate(t.optimizer);
  from_js(o, t);
  read(o, t, kTrainingOnly);
  if (given(o["augment"])) read(o["augment"], t.augment, kAugmentDetail);
  if (given(o["schedule"])) t.schedule = sn::over_epochs(t.schedule, t.schedule.epochs);
  return t;
}
sn::Schedule schedule(const val& v) {  // {kind, epochs?, warmup?}
  sn::Schedule s;
  from_js(v, s);
  return sn::over_epochs(s, s.epochs);
}

// A preset's recommended settings: setTraining's fields plus epochs and why.
val settings(const sn::PresetSettings& p) {
  val out = to_js(p.options);
  using P = sn::PresetSettings;
  write(out, p, table<P>("epochs", &P::epochs, "why", &P::why));
  return out;
}
}  // namespace

// Every object JavaScript makes must be deleted: memoryStats() counts the live ones.
template <class T>
struct Live {
  Live() { ++count; }
  ~Live() { --count; }
  static inline int count = 0;
};

// The JavaScript classes: each method copies its arguments in, calls core and copies the answer
// out. Methods carry their JavaScript names; guard<> (js_values.h) turns engine errors into JS
// Errors.
struct Dataset : Live<Dataset> {
  std::shared_ptr<const sn::Dataset> data = std::make_shared<const sn::Dataset>();
  val parse(val images, val labels) {
    const auto i = to_vector<uint8_t>(images), l = to_vector<uint8_t>(labels);
    data =
        std::make_shared<const sn::Dataset>(sn::parse_idx(i.data(), i.size(), l.data(), l.size()));
    return to_js(*data);
  }
  val info() { return to_js(*data); }
  val images(val i) { return typed(sn::images_at(*data, to_vector<int>(i))); }
  val labels(val i) { return typed(sn::labels_at(*data, to_vector<int>(i))); }
};

struct Network : Live<Network> {
  sn::Session s;
  // Parses and shape-checks without building weights (wasm memory never shrinks, and the page
  // validates as the user types): {ok: true, summary} or {ok: false, error}.
  static val validate(const std::string& description, int rows, int cols) {
    sn::NetworkPlan plan;
    const val v = guarded(
        [&] { return summary(sn::Network::summarize(description, rows, cols, 1, &plan), plan); });
    const bool ok = !v.instanceof (val::global("Error"));
    return object({{"ok", val(ok)}, {ok ? "summary" : "error", ok ? v : v["message"]}});
  }
  static val presets() {
    val out = val::array();
    for (const sn::Preset& p : sn::presets()) {
      val preset = to_js(p);
      if (const sn::PresetSettings* s = sn::preset_settings(p.name))
        preset.set("settings", settings(*s));
      out.call<void>("push", preset);
    }
    return out;
  }
  static val presetSettings(const std::string& name) {
    const sn::PresetSettings* p = sn::preset_settings(name);
    return p ? settings(*p) : val::null();
  }
  static val defaults() { return to_js(sn::kDefaults); }
  static val limits() { return to_js(sn::kLimits); }
  static val scheduleCurve(val sched, double lr, int batches_per_epoch, int points) {
    return typed(sn::schedule_curve(schedule(sched), float(lr), batches_per_epoch, points));
  }
  val build(const std::string& d, double seed) { return summary(s.build(d, uint64_t(seed))); }
  val summary_() { return summary(s.network()); }
  val setData(const Dataset& train, const Dataset& test, val classes) {
    s.set_data(train.data, test.data, to_vector<int>(classes));
    return object({{"trainCount", val(s.train_split().count())},
                   {"testCount", val(s.test_split().count())},
                   {"classLabels", numbers(s.class_labels())}});
  }
  val setTraining(val o) { return s.set_training(training(o)), progress(s); }
  val trainSteps(int n) { return typed(s.train_steps(n)); }
  val progress_() { return progress(s); }
  val setLearningRate(float lr) { return s.trainer().set_learning_rate(lr), val::undefined(); }
  val evaluate(bool on_train) {
    const sn::Evaluation e = s.evaluate(on_train);
    val out = to_js(e);  // and the int lists as typed arrays
    out.set("confusion", typed(e.confusion));
    out.set("predicted", typed(e.predicted));
    return out;
  }
  val predict(val image) {
    const auto x = to_vector<float>(image);
    return typed(s.predict(x.data(), x.size()).probabilities);
  }
  val predictTest(val idx) { return typed(s.predict_test(to_vector<int>(idx)).probabilities); }
  val testImages(val idx) { return typed(s.test_images(to_vector<int>(idx))); }
  val testClasses() { return typed(s.test_classes()); }
  val activations(val image) {
    const auto x = to_vector<float>(image);
    val out = val::array();
    for (const sn::Activation& a : s.activations(x.data(), x.size())) {
      val one = to_js(a);
      one.set("shape", numbers(std::array{a.h, a.w, a.c}));
      out.call<void>("push", one);
    }
    return out;
  }
  val parameters() { return numbers(s.network().parameters()); }
  val save() { return typed(s.save()); }
  val exportOnnx() { return typed(sn::export_onnx(s.network(), s.class_labels())); }
  val load(val bytes) {
    const auto b = to_vector<uint8_t>(bytes);
    const val summary_of = summary(s.load(b.data(), b.size()));
    return object({{"summary", summary_of}, {"classLabels", numbers(s.class_labels())}});
  }
  val classLabels() { return numbers(s.class_labels()); }
  bool hasModel() { return s.has_model(); }
  bool hasTrainer() { return s.has_trainer(); }
  int setThreads(int n) { return s.set_threads(n); }
};

val memoryStats() {
  return object({{"heapSize", val(double(__builtin_wasm_memory_size(0)) * 65536.0)},
                 {"used", val(double(mallinfo().uordblks))},
                 {"datasets", val(Live<Dataset>::count)},
                 {"networks", val(Live<Network>::count)}});
}
// The bench: the loops `nn bench` runs natively (scratchnet/bench.h), here in wasm.
double peakGflops(double seconds) {
  return sn::measure_simd_peak_gflops(std::clamp(seconds, 0.01, 10.0));
}
double gemmGflops(int m, int n, int k, bool ta, bool tb, double seconds) {
  return sn::measure_gemm_gflops(m, n, k, ta, tb, std::clamp(seconds, 0.01, 10.0));
}
std::string simdDescription() { return sn::simd_description(); }

EMSCRIPTEN_BINDINGS(scratchnet) {
  using emscripten::class_, emscripten::function;
  class_<Dataset>("Dataset")
      .constructor<>()
      .function("parse", guard<&Dataset::parse>)
      .function("info", &Dataset::info)
      .function("images", guard<&Dataset::images>)
      .function("labels", guard<&Dataset::labels>);
  class_<Network>("Network")
      .constructor<>()
      .class_function("validate", &Network::validate)
      .class_function("presets", &Network::presets)
      .class_function("presetSettings", &Network::presetSettings)
      .class_function("defaults", &Network::defaults)
      .class_function("limits", &Network::limits)
      .class_function("scheduleCurve", guard<&Network::scheduleCurve>)
      .function("build", guard<&Network::build>)
      .function("summary", guard<&Network::summary_>)
      .function("setData", guard<&Network::setData>)
      .function("setTraining", guard<&Network::setTraining>)
      .function("trainSteps", guard<&Network::trainSteps>)
      .function("progress", guard<&Network::progress_>)
      .function("setLearningRate", guard<&Network::setLearningRate>)
      .function("setThreads", &Network::setThreads)
      .function("evaluate", guard<&Network::evaluate>)
      .function("predict", guard<&Network::predict>)
      .function("predictTest", guard<&Network::predictTest>)
      .function("testImages", guard<&Network::testImages>)
      .function("testClasses", guard<&Network::testClasses>)
      .function("activations", guard<&Network::activations>)
      .function("parameters", guard<&Network::parameters>)
      .function("save", guard<&Network::save>)
      .function("exportOnnx", guard<&Network::exportOnnx>)
      .function("load", guard<&Network::load>)
      .function("classLabels", &Network::classLabels)
      .function("hasModel", &Network::hasModel)
      .function("hasTrainer", &Network::hasTrainer);
  function("memoryStats", &memoryStats);
  function("measurePeakGflops", &peakGflops);
  function("measureGemmGflops", &gemmGflops);
  function("simdDescription", &simdDescription);
}
