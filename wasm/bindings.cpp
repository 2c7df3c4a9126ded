// Embind bindings: core's Session (scratchnet/session.h) as the JavaScript class Network, a parsed
// IDX data set as Dataset, the engine's defaults, limits and preset settings, and the bench loops.
// Each function copies its arguments in, calls core/ (public headers only) and copies the answer
// out; the engine's values cross as named fields (scratchnet/fields.h), so no name or logic of
// the engine is written here. The JavaScript API is typed in scratchnet.d.ts.
#include <emscripten/bind.h>
#include <malloc.h>

#include <memory>

#include "scratchnet/bench.h"
#include "scratchnet/error.h"
#include "scratchnet/fields.h"
#include "scratchnet/onnx.h"
#include "scratchnet/session.h"

using namespace emscripten;
using std::string;

namespace {

// A JS array-like of numbers (typed or plain) as a vector: TypedArray.set converts and copies.
template <class T>
std::vector<T> to_vector(const val& a) {
  return convertJSArrayToNumberVector<T>(a);
}
// A fresh typed array holding a copy (slice): a view into wasm memory goes stale when memory
// grows, and in the threads build it would be a SharedArrayBuffer view that cannot be transferred.
template <class T>
val typed(const std::vector<T>& v) {
  return val(typed_memory_view(v.size(), v.data())).call<val>("slice");
}
val object(std::initializer_list<std::pair<const char*, val>> fields) {
  val out = val::object();
  for (const auto& [key, value] : fields) out.set(key, value);
  return out;
}

// Fields as an object: numbers, booleans and strings as they are, a list of numbers as a plain
// array, bulk data as a typed array, a group as an object, groups as an array of objects.
val js(const sn::Fields& fields);
val js(double x) { return val(x); }
val js(bool x) { return val(x); }
val js(const string& x) { return val(x); }
val js(const std::vector<double>& list) { return val::array(list); }
val js(const std::vector<int>& data) { return typed(data); }
val js(const std::vector<float>& data) { return typed(data); }
val js(const std::vector<sn::Fields>& groups) {
  val out = val::array();
  for (const sn::Fields& group : groups) out.call<void>("push", js(group));
  return out;
}
val js(const sn::Fields& fields) {
  val out = val::object();
  for (const auto& [name, value] : fields)
    out.set(name, std::visit([](const auto& v) { return js(v); }, value));
  return out;
}
// The reverse, for settings: an object's numbers, booleans, strings and (at the top) objects as
// fields; undefined, null and other values are not given.
sn::Fields fields(const val& o, bool top = true) {
  sn::Fields out;
  for (const auto& key : vecFromJSArray<string>(val::global("Object").call<val>("keys", o))) {
    const val v = o[key];
    const std::string type = v.typeOf().as<std::string>();
    if (type == "number") out.push_back({key, v.as<double>()});
    if (type == "boolean") out.push_back({key, v.as<bool>()});
    if (type == "string") out.push_back({key, v.as<std::string>()});
    if (type == "object" && !v.isNull() && top) out.push_back({key, fields(v, false)});
  }
  return out;
}

// Engine errors cross the boundary as *returned* JS Errors (name = the engine's error type);
// throw_errors.js (a --post-js) throws them. Throwing from C++ with val::throw_() would unwind
// through wasm frames without their epilogues (the shadow-stack pointer is not restored) or
// Embind's argument destructors, slowly corrupting a page that validates on every keystroke.
val make_error(const char* name, const std::string& message) {
  val error = val::global("Error").new_(message);
  error.set("name", name);
  error.set("scratchnet", true);
  return error;
}
template <class F>
val guarded(F&& body) {
  try {
    return val(body());
  } catch (const std::bad_alloc&) {  // ABORTING_MALLOC=0: a failed allocation comes back here
    return make_error("OutOfMemoryError",
                      "out of memory: the model or data set does not fit in the browser's "
                      "WebAssembly memory (try fewer or smaller layers, or a smaller batch)");
  } catch (const std::exception& e) {
    return make_error(sn::error_name(e), e.what());
  }
}

// guard<&C::method>: the same method for Embind, with engine errors returned as JS Errors.
template <auto F>
struct Guard;
template <class C, class R, class... A, R (C::*F)(A...)>
struct Guard<F> {
  static val call(C& self, A... args) {
    return guarded([&] { return (self.*F)(args...); });
  }
};
template <auto F>
constexpr auto guard = &Guard<F>::call;
}  // namespace

// Every object JavaScript makes must be deleted: memoryStats() counts the live ones.
template <class T>
struct Live {
  Live() { ++count; }
  ~Live() { --count; }
  static inline int count = 0;
};

// The JavaScript classes, each method under its JavaScript name (bound below, most by guard<>).
struct Dataset : Live<Dataset> {
  std::shared_ptr<const sn::Dataset> data = std::make_shared<const sn::Dataset>();
  val parse(val images, val labels) {
    const auto i = to_vector<uint8_t>(images), l = to_vector<uint8_t>(labels);
    data = std::make_shared<sn::Dataset>(sn::parse_idx(i.data(), i.size(), l.data(), l.size()));
    return info();
  }
  val info() { return js(sn::fields(*data)); }
  val images(val i) { return typed(sn::images_at(*data, to_vector<int>(i))); }
  val labels(val i) { return typed(sn::labels_at(*data, to_vector<int>(i))); }
};

struct Network : Live<Network> {
  sn::Session s;
  // Parses and shape-checks without building weights (wasm memory never shrinks, and the page
  // validates as the user types): {ok: true, summary} or {ok: false, error}.
  static val validate(const string& description, int rows, int cols) {
    sn::NetworkPlan plan;
    const val v = guarded([&] {
      const auto layers = sn::Network::summarize(description, rows, cols, 1, &plan);
      return js(sn::fields(plan, layers));
    });
    const bool ok = !v.instanceof (val::global("Error"));
    return object({{"ok", val(ok)}, {ok ? "summary" : "error", ok ? v : v["message"]}});
  }
  static val presets() { return js(sn::fields(sn::presets())); }
  static val presetSettings(const string& name) {
    const sn::PresetSettings* p = sn::preset_settings(name);
    return p ? js(sn::fields(*p)) : val::null();
  }
  // The distortions that keep the labels of the data set called `name` (scratchnet/data.h).
  static val augmentationFor(const string& name) {
    return js(sn::fields(sn::augmentation_for(name)));
  }
  static val defaults() { return js(sn::fields(sn::kDefaults)); }
  static val limits() { return js(sn::fields(sn::kLimits)); }
  static val scheduleCurve(val schedule, double lr, int batches_per_epoch, int points) {
    return guarded([&] {
      const sn::Schedule s = sn::schedule_of(fields(schedule));
      return typed(sn::schedule_curve(s, float(lr), batches_per_epoch, points));
    });
  }
  val build(const string& d, double seed) { return js(sn::fields(s.build(d, uint64_t(seed)))); }
  val summary() { return js(sn::fields(s.network())); }
  val setData(const Dataset& train, const Dataset& test, val classes) {
    s.set_data(train.data, test.data, to_vector<int>(classes));
    return object({{"trainCount", val(s.train_split().count())},
                   {"testCount", val(s.test_split().count())},
                   {"classLabels", val::array(s.class_labels())}});
  }
  val setTraining(val o) { return js(sn::fields(s.set_training(sn::training_options(fields(o))))); }
  val trainSteps(int n) { return typed(s.train_steps(n)); }
  val progress() { return js(sn::fields(s.trainer())); }
  val setLearningRate(float lr) { return s.trainer().set_learning_rate(lr), val::undefined(); }
  val evaluate(bool on_train) { return js(sn::fields(s.evaluate(on_train))); }
  val predict(val image) {
    const auto x = to_vector<float>(image);
    return typed(s.predict(x.data(), x.size()).probabilities);
  }
  val predictTest(val idx) { return typed(s.predict_test(to_vector<int>(idx)).probabilities); }
  val testImages(val idx) { return typed(s.test_images(to_vector<int>(idx))); }
  val testClasses() { return typed(s.test_classes()); }
  val activations(val image) {
    const auto x = to_vector<float>(image);
    return js(sn::fields(s.activations(x.data(), x.size())));
  }
  val parameters() { return js(sn::fields(s.network().parameters())); }
  val save() { return typed(s.save()); }
  val exportOnnx() { return typed(sn::export_onnx(s.network(), s.class_labels())); }
  val load(val bytes) {
    const auto b = to_vector<uint8_t>(bytes);
    const val summary = js(sn::fields(s.load(b.data(), b.size())));
    return object({{"summary", summary}, {"classLabels", val::array(s.class_labels())}});
  }
  val classLabels() { return val::array(s.class_labels()); }
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
double gemmGflops(int m, int n, int k, bool ta, bool tb, double seconds) {
  return sn::measure_gemm_gflops(m, n, k, ta, tb, seconds);  // one thread
}
std::string simdDescription() { return sn::simd_description(); }

EMSCRIPTEN_BINDINGS(scratchnet) {
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
      .class_function("augmentationFor", &Network::augmentationFor)
      .class_function("defaults", &Network::defaults)
      .class_function("limits", &Network::limits)
      .class_function("scheduleCurve", &Network::scheduleCurve)
      .function("build", guard<&Network::build>)
      .function("summary", guard<&Network::summary>)
      .function("setData", guard<&Network::setData>)
      .function("setTraining", guard<&Network::setTraining>)
      .function("trainSteps", guard<&Network::trainSteps>)
      .function("progress", guard<&Network::progress>)
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
  function("measurePeakGflops", &sn::measure_simd_peak_gflops);
  function("measureGemmGflops", &gemmGflops);
  function("simdDescription", &simdDescription);
}
