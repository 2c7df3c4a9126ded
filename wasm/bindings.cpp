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

namespace {

val info(const sn::Dataset& d) {
  return object({{"count", val(d.count())}, {"rows", val(d.rows)}, {"cols", val(d.cols)}, {"classes", val(d.num_classes())}});
}

val summary(const std::vector<sn::LayerInfo>& infos, const sn::NetworkPlan& plan) {
  val layers = val::array();
  for (const sn::LayerInfo& l : infos) {
    layers.call<void>("push", object({{"segment", val(l.segment)}, {"text", val(l.text)}, {"kind", val(l.kind)},
                                      {"shape", numbers(l.output_shape)}, {"params", val(double(l.params))},
                                      {"flops", val(double(l.flops))}}));
  }
  return object({{"description", val(plan.description)}, {"layers", layers}, {"params", val(double(plan.params))},
                 {"flops", val(double(plan.flops))}, {"loss", str(sn::loss_name(plan.loss))},
                 {"classes", val(plan.num_classes)}});
}
val summary(const sn::Network& n) { return summary(n.summary(), n.plan()); }

val progress(const sn::Session& s) {
  const sn::Trainer& t = s.trainer();
  return object({{"epoch", val(t.epoch())}, {"batch", val(t.batch_in_epoch())},
                 {"batchesPerEpoch", val(t.batches_per_epoch())}, {"step", val(double(t.step()))},
                 {"runningAccuracy", val(t.running_accuracy())}, {"learningRate", val(t.current_learning_rate())}});
}

sn::Schedule schedule(const val& v) {  // {kind, epochs?, warmup?}
  sn::Schedule s{sn::parse_schedule(v["kind"].as<std::string>())};
  s.warmup = option(v, "warmup", s.warmup);
  return sn::over_epochs(s, option(v, "epochs", s.epochs));
}

// WasmTrainingOptions (scratchnet.d.ts); an absent field keeps TrainOptions' default.
sn::TrainOptions training(const val& o) {
  sn::TrainOptions t;
  t.optimizer = sn::parse_optimizer(option<std::string>(o, "optimizer", sn::kDefaults.optimizer));
  t.learning_rate = option(o, "learningRate", sn::default_learning_rate(t.optimizer));
  t.momentum = option(o, "momentum", t.momentum);
  t.weight_decay = option(o, "weightDecay", t.weight_decay);
  t.batch_size = option(o, "batchSize", t.batch_size);
  t.seed = static_cast<uint64_t>(option(o, "seed", double(t.seed)));
  t.beta1 = option(o, "beta1", t.beta1);
  t.beta2 = option(o, "beta2", t.beta2);
  t.label_smoothing = option(o, "labelSmoothing", t.label_smoothing);
  if (given(o["schedule"])) t.schedule = schedule(o["schedule"]);
  const val a = o["augment"];
  if (!given(a)) return t;
  t.augment.enabled = option(a, "enabled", false);
  t.augment.max_shift = option(a, "maxShift", t.augment.max_shift);
  t.augment.max_scale = option(a, "maxScale", t.augment.max_scale);
  t.augment.max_rotate_deg = option(a, "maxRotateDeg", t.augment.max_rotate_deg);
  return t;
}

// A preset's recommended settings: setTraining's fields plus epochs and why.
val settings(const sn::PresetSettings& p) {
  const sn::TrainOptions& o = p.options;
  return object({{"optimizer", str(sn::optimizer_name(o.optimizer))}, {"learningRate", decimal(o.learning_rate)},
                 {"batchSize", val(o.batch_size)}, {"epochs", val(p.epochs)},
                 {"schedule", object({{"kind", str(sn::schedule_name(o.schedule.kind))},
                                      {"epochs", decimal(o.schedule.epochs)}, {"warmup", decimal(o.schedule.warmup)}})},
                 {"beta1", val(o.beta1)}, {"beta2", val(o.beta2)}, {"momentum", decimal(o.momentum)},
                 {"weightDecay", decimal(o.weight_decay)}, {"labelSmoothing", decimal(o.label_smoothing)},
                 {"augment", object({{"enabled", val(o.augment.enabled)}})}, {"why", val(p.why)}});
}

val range(sn::Range r) { return object({{"min", val(r.min)}, {"max", val(r.max)}}); }
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
          return info(*d.data);
        });
      })
      .function("info", +[](Dataset& d) { return info(*d.data); })
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
          val preset = object({{"name", val(p.name)}, {"description", val(p.description)},
                               {"summary", val(p.summary)}, {"twoClass", val(p.two_class)}});
          if (const sn::PresetSettings* s = sn::preset_settings(p.name)) preset.set("settings", settings(*s));
          out.call<void>("push", preset);
        }
        return out;
      })
      .class_function("presetSettings", +[](const std::string& name) {
        const sn::PresetSettings* s = sn::preset_settings(name);
        return s ? settings(*s) : val::null();
      })
      .class_function("defaults", +[]() {
        return object({{"model", str(kDefaults.model)}, {"optimizer", str(kDefaults.optimizer)},
                       {"learningRate", decimal(kDefaults.learning_rate)}, {"sgdLearningRate", decimal(kDefaults.sgd_learning_rate)},
                       {"momentumLearningRate", decimal(kDefaults.momentum_learning_rate)}, {"momentum", decimal(kDefaults.momentum)},
                       {"weightDecay", decimal(kDefaults.weight_decay)}, {"batchSize", val(kDefaults.batch_size)},
                       {"epochs", val(kDefaults.epochs)}, {"seed", val(double(kDefaults.seed))},
                       {"threads", val(kDefaults.threads)}, {"augment", val(kDefaults.augment)},
                       {"twoClasses", numbers(kDefaults.two_classes)}, {"evalBatch", val(kDefaults.eval_batch)}});
      })
      .class_function("limits", +[]() {
        return object({{"learningRate", range(kLimits.learning_rate)}, {"batchSize", range(kLimits.batch_size)},
                       {"epochs", range(kLimits.epochs)}, {"seed", range(kLimits.seed)}, {"threads", range(kLimits.threads)},
                       {"momentum", range(kLimits.momentum)}, {"weightDecay", range(kLimits.weight_decay)}});
      })
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
          return object({{"loss", val(e.loss)}, {"accuracy", val(e.accuracy)}, {"count", val(e.count)},
                         {"classes", val(e.classes)}, {"confusion", typed(e.confusion)}, {"predicted", typed(e.predicted)}});
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
            out.call<void>("push", object({{"segment", val(a.segment)}, {"kind", val(a.kind)},
                                           {"shape", numbers(std::vector<int>{a.h, a.w, a.c})}, {"values", typed(a.values)}}));
          }
          return out;
        });
      })
      .function("parameters", +[](Network& s) {
        return guarded([&] {
          val out = val::array();
          for (const sn::ParameterView& p : s.network().parameters()) {
            out.call<void>("push", object({{"segment", val(p.segment)}, {"kind", val(p.kind)}, {"name", val(p.name)},
                                           {"shape", numbers(p.shape)}, {"values", typed(p.values)}}));
          }
          return out;
        });
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
