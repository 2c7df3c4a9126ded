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

namespace snjs {  // the field tables (js_values.h): JavaScript name, member or getter
using sn::Range, sn::Limits, sn::Defaults, sn::Schedule, sn::AugmentOptions, sn::TrainOptions;
using sn::LayerInfo, sn::NetworkPlan, sn::Preset, sn::ParameterView, sn::Activation, sn::Evaluation, sn::Trainer;
auto fields(tag<Range>) { return std::tuple(field("min", &Range::min), field("max", &Range::max)); }
auto fields(tag<Limits>) {
  using L = Limits;
  return std::tuple(field("learningRate", &L::learning_rate), field("batchSize", &L::batch_size),
                    field("epochs", &L::epochs), field("seed", &L::seed), field("threads", &L::threads),
                    field("momentum", &L::momentum), field("weightDecay", &L::weight_decay));
}
auto fields(tag<Defaults>) {
  using D = Defaults;
  return std::tuple(field("model", &D::model), field("optimizer", &D::optimizer),
                    field("learningRate", &D::learning_rate), field("sgdLearningRate", &D::sgd_learning_rate),
                    field("momentumLearningRate", &D::momentum_learning_rate), field("momentum", &D::momentum),
                    field("weightDecay", &D::weight_decay), field("batchSize", &D::batch_size),
                    field("epochs", &D::epochs), field("seed", &D::seed), field("threads", &D::threads),
                    field("augment", &D::augment), field("twoClasses", &D::two_classes),
                    field("evalBatch", &D::eval_batch));
}
auto fields(tag<Schedule>) {  // over_epochs() completes it
  using S = Schedule;
  return std::tuple(field("kind", &S::kind), field("epochs", &S::epochs), field("warmup", &S::warmup));
}
auto fields(tag<AugmentOptions>) { return std::tuple(field("enabled", &AugmentOptions::enabled)); }
// A preset's settings are these; setTraining (WasmTrainingOptions) takes them and kTrainingOnly.
auto fields(tag<TrainOptions>) {
  using T = TrainOptions;
  return std::tuple(field("optimizer", &T::optimizer), field("learningRate", &T::learning_rate),
                    field("batchSize", &T::batch_size), field("schedule", &T::schedule),
                    field("beta1", &T::beta1), field("beta2", &T::beta2), field("momentum", &T::momentum),
                    field("weightDecay", &T::weight_decay), field("labelSmoothing", &T::label_smoothing),
                    field("augment", &T::augment));
}
const std::tuple kTrainingOnly{field("seed", &TrainOptions::seed)};
const std::tuple kAugmentDetail{field("maxShift", &AugmentOptions::max_shift),
                                field("maxScale", &AugmentOptions::max_scale),
                                field("maxRotateDeg", &AugmentOptions::max_rotate_deg)};
auto fields(tag<sn::Dataset>) {
  using Dataset = sn::Dataset;
  return std::tuple(field("count", &Dataset::count), field("rows", &Dataset::rows),
                    field("cols", &Dataset::cols), field("classes", &Dataset::num_classes));
}
auto fields(tag<LayerInfo>) {
  using I = LayerInfo;
  return std::tuple(field("segment", &I::segment), field("text", &I::text), field("kind", &I::kind),
                    field("shape", &I::output_shape), field("params", &I::params), field("flops", &I::flops));
}
auto fields(tag<NetworkPlan>) {
  using P = NetworkPlan;
  return std::tuple(field("description", &P::description), field("params", &P::params),
                    field("flops", &P::flops), field("loss", &P::loss), field("classes", &P::num_classes));
}
auto fields(tag<Preset>) {
  return std::tuple(field("name", &Preset::name), field("description", &Preset::description),
                    field("summary", &Preset::summary), field("twoClass", &Preset::two_class));
}
auto fields(tag<ParameterView>) {
  using P = ParameterView;
  return std::tuple(field("segment", &P::segment), field("kind", &P::kind), field("name", &P::name),
                    field("shape", &P::shape), field("values", &P::values));
}
auto fields(tag<Activation>) {  // and its shape
  using A = Activation;
  return std::tuple(field("segment", &A::segment), field("kind", &A::kind), field("values", &A::values));
}
auto fields(tag<Evaluation>) {
  using E = Evaluation;
  return std::tuple(field("loss", &E::loss), field("accuracy", &E::accuracy), field("count", &E::count),
                    field("classes", &E::classes));
}
auto fields(tag<Trainer>) {  // and its current learning rate, as the float it is
  using T = Trainer;
  return std::tuple(field("epoch", &T::epoch), field("batch", &T::batch_in_epoch),
                    field("batchesPerEpoch", &T::batches_per_epoch), field("step", &T::step),
                    field("runningAccuracy", &T::running_accuracy));
}
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
  write(out, p, std::tuple(field("epochs", &sn::PresetSettings::epochs), field("why", &sn::PresetSettings::why)));
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
// out. Methods carry their JavaScript names; guard<> (js_values.h) turns engine errors into JS Errors.
struct Dataset : Live<Dataset> {
  std::shared_ptr<const sn::Dataset> data = std::make_shared<const sn::Dataset>();
  val parse(val images, val labels) {
    const auto i = to_vector<uint8_t>(images), l = to_vector<uint8_t>(labels);
    data = std::make_shared<const sn::Dataset>(sn::parse_idx(i.data(), i.size(), l.data(), l.size()));
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
    const val v = guarded([&] { return summary(sn::Network::summarize(description, rows, cols, 1, &plan), plan); });
    const bool ok = !v.instanceof(val::global("Error"));
    return object({{"ok", val(ok)}, {ok ? "summary" : "error", ok ? v : v["message"]}});
  }
  static val presets() {
    val out = val::array();
    for (const sn::Preset& p : sn::presets()) {
      val preset = to_js(p);
      if (const sn::PresetSettings* s = sn::preset_settings(p.name)) preset.set("settings", settings(*s));
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
    return object({{"trainCount", val(s.train_split().count())}, {"testCount", val(s.test_split().count())},
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
                 {"used", val(double(mallinfo().uordblks))}, {"datasets", val(Live<Dataset>::count)},
                 {"networks", val(Live<Network>::count)}});
}
// The bench: the loops `nn bench` runs natively (scratchnet/bench.h), here in wasm.
double peakGflops(double seconds) { return sn::measure_simd_peak_gflops(std::clamp(seconds, 0.01, 10.0)); }
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
