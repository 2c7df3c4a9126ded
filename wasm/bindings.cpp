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

// Every object JavaScript makes must be deleted: memoryStats() counts the live ones.
template <class T>
struct Live {
  Live() { ++count; }
  ~Live() { --count; }
  static inline int count = 0;
};
struct Dataset : Live<Dataset> {
  std::shared_ptr<const sn::Dataset> data = std::make_shared<const sn::Dataset>();
};
struct Network : sn::Session, Live<Network> {};

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

EMSCRIPTEN_BINDINGS(scratchnet) {
  using emscripten::class_, emscripten::function;
  using sn::kDefaults, sn::kLimits;
  class_<Dataset>("Dataset")
      .constructor<>()
      .function("parse", +[](Dataset& d, val images, val labels) {
        return guarded([&] {
          const auto i = to_vector<uint8_t>(images), l = to_vector<uint8_t>(labels);
          d.data = std::make_shared<const sn::Dataset>(sn::parse_idx(i.data(), i.size(), l.data(), l.size()));
          return to_js(*d.data);
        });
      })
      .function("info", +[](Dataset& d) { return to_js(*d.data); })
      .function("images", +[](Dataset& d, val i) { return guarded([&] { return typed(sn::images_at(*d.data, to_vector<int>(i))); }); })
      .function("labels", +[](Dataset& d, val i) { return guarded([&] { return typed(sn::labels_at(*d.data, to_vector<int>(i))); }); });
  class_<Network>("Network")
      .constructor<>()
      // Parses and shape-checks without building weights (wasm memory never shrinks, and the page
      // validates as the user types): {ok: true, summary} or {ok: false, error}.
      .class_function("validate", +[](const std::string& description, int rows, int cols) {
        sn::NetworkPlan plan;
        const val s = guarded([&] { return summary(sn::Network::summarize(description, rows, cols, 1, &plan), plan); });
        const bool ok = !s.instanceof(val::global("Error"));
        return object({{"ok", val(ok)}, {ok ? "summary" : "error", ok ? s : s["message"]}});
      })
      .class_function("presets", +[]() {
        val out = val::array();
        for (const sn::Preset& p : sn::presets()) {
          val preset = to_js(p);
          if (const sn::PresetSettings* s = sn::preset_settings(p.name)) preset.set("settings", settings(*s));
          out.call<void>("push", preset);
        }
        return out;
      })
      .class_function("presetSettings", +[](const std::string& name) {
        const sn::PresetSettings* s = sn::preset_settings(name);
        return s ? settings(*s) : val::null();
      })
      .class_function("defaults", +[]() { return to_js(kDefaults); })
      .class_function("limits", +[]() { return to_js(kLimits); })
      .class_function("scheduleCurve", +[](val s, double lr, int batches_per_epoch, int points) {
        return guarded([&] { return typed(sn::schedule_curve(schedule(s), float(lr), batches_per_epoch, points)); });
      })
      .function("build", +[](Network& s, const std::string& d, double seed) { return guarded([&] { return summary(s.build(d, uint64_t(seed))); }); })
      .function("summary", +[](Network& s) { return guarded([&] { return summary(s.network()); }); })
      .function("setData", +[](Network& s, const Dataset& train, const Dataset& test, val classes) {
        return guarded([&] {
          s.set_data(train.data, test.data, to_vector<int>(classes));
          return object({{"trainCount", val(s.train_split().count())}, {"testCount", val(s.test_split().count())},
                         {"classLabels", numbers(s.class_labels())}});
        });
      })
      .function("setTraining", +[](Network& s, val o) { return guarded([&] { return s.set_training(training(o)), progress(s); }); })
      .function("trainSteps", +[](Network& s, int n) { return guarded([&] { return typed(s.train_steps(n)); }); })
      .function("progress", +[](Network& s) { return guarded([&] { return progress(s); }); })
      .function("setLearningRate", +[](Network& s, float lr) { return guarded([&] { return s.trainer().set_learning_rate(lr), val::undefined(); }); })
      .function("setThreads", +[](Network& s, int n) { return s.set_threads(n); })
      .function("evaluate", +[](Network& s, bool on_train) {
        return guarded([&] {
          const sn::Evaluation e = s.evaluate(on_train);
          val out = to_js(e);  // and the int lists as typed arrays
          return out.set("confusion", typed(e.confusion)), out.set("predicted", typed(e.predicted)), out;
        });
      })
      .function("predict", +[](Network& s, val image) {
        return guarded([&] { const auto x = to_vector<float>(image); return typed(s.predict(x.data(), x.size()).probabilities); });
      })
      .function("predictTest", +[](Network& s, val idx) { return guarded([&] { return typed(s.predict_test(to_vector<int>(idx)).probabilities); }); })
      .function("testImages", +[](Network& s, val idx) { return guarded([&] { return typed(s.test_images(to_vector<int>(idx))); }); })
      .function("testClasses", +[](Network& s) { return guarded([&] { return typed(s.test_classes()); }); })
      .function("activations", +[](Network& s, val image) {
        return guarded([&] {
          const auto x = to_vector<float>(image);
          val out = val::array();
          for (const sn::Activation& a : s.activations(x.data(), x.size())) {
            val one = to_js(a);
            one.set("shape", numbers(std::array{a.h, a.w, a.c}));
            out.call<void>("push", one);
          }
          return out;
        });
      })
      .function("parameters", +[](Network& s) {
        return guarded([&] { return numbers(s.network().parameters()); });
      })
      .function("save", +[](Network& s) { return guarded([&] { return typed(s.save()); }); })
      .function("exportOnnx", +[](Network& s) { return guarded([&] { return typed(sn::export_onnx(s.network(), s.class_labels())); }); })
      .function("load", +[](Network& s, val bytes) {
        return guarded([&] {
          const auto b = to_vector<uint8_t>(bytes);
          return object({{"summary", summary(s.load(b.data(), b.size()))}, {"classLabels", numbers(s.class_labels())}});
        });
      })
      .function("classLabels", +[](Network& s) { return numbers(s.class_labels()); })
      .function("hasModel", +[](Network& s) { return s.has_model(); })
      .function("hasTrainer", +[](Network& s) { return s.has_trainer(); });
  function("memoryStats", +[]() {
    return object({{"heapSize", val(double(__builtin_wasm_memory_size(0)) * 65536.0)},
                   {"used", val(double(mallinfo().uordblks))}, {"datasets", val(Live<Dataset>::count)},
                   {"networks", val(Live<Network>::count)}});
  });
  // The bench: the loops `nn bench` runs natively (scratchnet/bench.h), here in wasm.
  function("measurePeakGflops", +[](double seconds) { return sn::measure_simd_peak_gflops(std::clamp(seconds, 0.01, 10.0)); });
  function("measureGemmGflops", +[](int m, int n, int k, bool ta, bool tb, double seconds) {
    return sn::measure_gemm_gflops(m, n, k, ta, tb, std::clamp(seconds, 0.01, 10.0));
  });
  function("simdDescription", +[]() { return std::string(sn::simd_description()); });
}
