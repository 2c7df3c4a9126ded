#pragma once
// The Network class JavaScript sees: a model plus what trains it (the class-filtered splits and
// a Trainer). Methods copy arguments in, call core/, and copy answers out; errors are returned
// as JS Error values (js_values.h).
#include <emscripten/val.h>

#include <algorithm>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "dataset_handle.h"
#include "js_values.h"
#include "scratchnet/data.h"
#include "scratchnet/description.h"
#include "scratchnet/network.h"
#include "scratchnet/onnx.h"
#include "scratchnet/preset_settings.h"
#include "scratchnet/schedule.h"
#include "scratchnet/trainer.h"

namespace snjs {

namespace detail {

inline val summary_of(const std::vector<sn::LayerInfo>& infos, const sn::NetworkPlan& plan) {
  val layers = val::array();
  int i = 0;
  for (const sn::LayerInfo& info : infos) {
    val layer = val::object();
    layer.set("segment", info.segment);
    layer.set("text", info.text);
    layer.set("kind", info.kind);
    layer.set("shape", number_array(std::vector<int>(info.output_shape.begin(), info.output_shape.end())));
    layer.set("params", static_cast<double>(info.params));
    layer.set("flops", static_cast<double>(info.flops));
    layers.set(i++, layer);
  }
  val summary = val::object();
  summary.set("description", plan.description);
  summary.set("layers", layers);
  summary.set("params", static_cast<double>(plan.params));
  summary.set("flops", static_cast<double>(plan.flops));
  summary.set("loss", std::string(sn::loss_name(plan.loss)));
  summary.set("classes", plan.num_classes);
  return summary;
}

inline val summary_of(const sn::Network& net) {
  sn::NetworkPlan plan;
  plan.description = net.description();
  plan.params = net.param_count();
  plan.flops = net.flops_per_sample();
  plan.loss = net.loss();
  plan.num_classes = net.num_classes();
  plan.num_outputs = net.num_outputs();
  return summary_of(net.summary(), plan);
}

inline val evaluation_of(const sn::Evaluation& e) {
  val out = val::object();
  out.set("loss", e.loss);
  out.set("accuracy", e.accuracy);
  out.set("count", e.count);
  out.set("classes", e.classes);
  out.set("confusion", int32_array(e.confusion.data(), e.confusion.size()));
  return out;
}

// {kind: 'constant' | 'step' | 'cosine' | 'onecycle', epochs, warmup} -> Schedule (absent
// fields keep their defaults; check_schedule tells what is out of range).
inline sn::Schedule schedule_from(const val& v) {
  sn::Schedule s;
  s.kind = sn::parse_schedule(v["kind"].as<std::string>());
  if (v["epochs"].isNumber()) s.epochs = v["epochs"].as<float>();
  if (v["warmup"].isNumber()) s.warmup = v["warmup"].as<float>();
  s.step_epochs = std::max(1.0f, s.epochs / 3.0f);
  return s;
}

// A preset's recommended settings, in setTraining's shape plus epochs and why.
inline val settings_of(const sn::PresetSettings& p) {
  const sn::TrainOptions& o = p.options;
  val out = val::object();
  out.set("optimizer", std::string(sn::optimizer_name(o.optimizer)));
  out.set("learningRate", o.learning_rate);
  out.set("batchSize", o.batch_size);
  out.set("epochs", p.epochs);
  val schedule = val::object();
  schedule.set("kind", std::string(sn::schedule_name(o.schedule.kind)));
  schedule.set("epochs", o.schedule.epochs);
  schedule.set("warmup", o.schedule.warmup);
  out.set("schedule", schedule);
  out.set("beta1", o.beta1);
  out.set("beta2", o.beta2);
  out.set("momentum", o.momentum);
  out.set("weightDecay", o.weight_decay);
  out.set("labelSmoothing", o.label_smoothing);
  val augment = val::object();
  augment.set("enabled", o.augment.enabled);
  out.set("augment", augment);
  out.set("why", p.why);
  return out;
}

}  // namespace detail

// A model plus what trains it: the (class-filtered) train and test splits and a Trainer.
class NetworkHandle {
 public:
  NetworkHandle() { ++live; }
  ~NetworkHandle() {
    trainer_.reset();  // refers to net_ and train_
    --live;
  }
  NetworkHandle(const NetworkHandle&) = delete;
  NetworkHandle& operator=(const NetworkHandle&) = delete;
  static inline int live = 0;  // for the leak tests

  // description_or_preset against the data's image size (28x28x1 before any data is set).
  // A description that fails leaves the current model (and its training) as it was.
  val build(const std::string& description, double seed) {
    return guarded([&] {
      auto fresh = std::make_unique<sn::Network>(description, rows_, cols_, 1, static_cast<uint64_t>(seed));
      fresh->set_threads(threads_);
      trainer_.reset();
      net_ = std::move(fresh);
      default_labels();
      return detail::summary_of(*net_);
    });
  }

  // Parses and shape-checks; never throws for a bad description: {ok, error} / {ok, summary}.
  // Builds no weights (Network::summarize): called as the user types, and wasm memory never
  // shrinks, so building a large model here would keep its size for the page's life.
  static val validate(const std::string& description, int rows, int cols) {
    val out = val::object();
    val result = guarded([&] {
      sn::NetworkPlan plan;
      const std::vector<sn::LayerInfo> layers = sn::Network::summarize(description, rows, cols, 1, &plan);
      return detail::summary_of(layers, plan);
    });
    const bool ok = !result.instanceof(val::global("Error"));
    out.set("ok", ok);
    if (ok) out.set("summary", result);
    else out.set("error", result["message"]);
    return out;
  }

  static val presets() {
    val out = val::array();
    int i = 0;
    for (const sn::Preset& p : sn::presets()) {
      val preset = val::object();
      preset.set("name", p.name);
      preset.set("description", p.description);
      preset.set("summary", p.summary);
      preset.set("twoClass", p.two_class);
      if (const sn::PresetSettings* s = sn::preset_settings(p.name)) {
        preset.set("settings", detail::settings_of(*s));
      }
      out.set(i++, preset);
    }
    return out;
  }

  // The learning rate at `points` evenly spaced batches of a run (the last point is its last
  // batch), for plotting a schedule before training: the trainer's own formula.
  static val scheduleCurve(const val& schedule, double learning_rate, int batches_per_epoch,
                           int points) {
    return guarded([&] {
      const sn::Schedule s = detail::schedule_from(schedule);
      sn::check_schedule(s);
      batches_per_epoch = std::max(batches_per_epoch, 1);
      points = std::clamp(points, 2, 10000);
      const double total = std::max(1.0, double(s.epochs > 0 ? s.epochs : 1.0f) * batches_per_epoch);
      std::vector<float> lr(points);
      for (int i = 0; i < points; ++i) {
        const int64_t step = static_cast<int64_t>((total - 1) * i / (points - 1));
        lr[i] = sn::scheduled_lr(s, static_cast<float>(learning_rate), step, batches_per_epoch);
      }
      return float32_array(lr.data(), lr.size());
    });
  }

  val summary() const {
    return guarded([&] { return detail::summary_of(model()); });
  }

  // classes: labels to keep, in class order ([] = all). Resets training.
  val setData(const DatasetHandle& train, const DatasetHandle& test, const val& classes) {
    return guarded([&] {
      trainer_.reset();
      const std::vector<int> keep = to_vector<int>(classes);
      if (keep.empty()) {
        train_ = train.shared();
        test_ = test.shared();
      } else {
        train_ = std::make_shared<const sn::Dataset>(sn::filter_classes(*train.shared(), keep));
        test_ = std::make_shared<const sn::Dataset>(sn::filter_classes(*test.shared(), keep));
      }
      class_labels_ = keep;
      rows_ = train_->rows;
      cols_ = train_->cols;
      default_labels();
      val out = val::object();
      out.set("trainCount", train_->count());
      out.set("testCount", test_->count());
      out.set("classLabels", number_array(class_labels_));
      return out;
    });
  }

  // options: {optimizer, learningRate, momentum, weightDecay, batchSize, seed,
  //           augment: {enabled, maxShift, maxScale, maxRotateDeg},
  //           schedule: {kind, epochs, warmup}, beta1, beta2, labelSmoothing}. Starts at epoch 0.
  val setTraining(const val& options) {
    return guarded([&] {
      model();
      if (!train_) throw StateError("no training data: load a data set first");
      trainer_.reset();
      sn::TrainOptions o;
      o.optimizer = sn::parse_optimizer(options["optimizer"].as<std::string>());
      o.learning_rate = options["learningRate"].as<float>();
      if (options["momentum"].as<bool>()) o.momentum = options["momentum"].as<float>();
      if (options["weightDecay"].as<bool>()) o.weight_decay = options["weightDecay"].as<float>();
      o.batch_size = options["batchSize"].as<int>();
      o.seed = static_cast<uint64_t>(options["seed"].as<double>());
      if (options["schedule"].as<bool>()) o.schedule = detail::schedule_from(options["schedule"]);
      if (options["beta1"].isNumber()) o.beta1 = options["beta1"].as<double>();
      if (options["beta2"].isNumber()) o.beta2 = options["beta2"].as<double>();
      if (options["labelSmoothing"].isNumber()) o.label_smoothing = options["labelSmoothing"].as<float>();
      const val augment = options["augment"];
      if (augment.as<bool>()) {
        o.augment.enabled = augment["enabled"].as<bool>();
        if (augment["maxShift"].as<bool>()) o.augment.max_shift = augment["maxShift"].as<float>();
        if (augment["maxScale"].as<bool>()) o.augment.max_scale = augment["maxScale"].as<float>();
        if (augment["maxRotateDeg"].as<bool>()) o.augment.max_rotate_deg = augment["maxRotateDeg"].as<float>();
      }
      trainer_ = std::make_unique<sn::Trainer>(*net_, *train_, o);
      return progress();
    });
  }

  val trainSteps(int n) {
    return guarded([&] {
      const std::vector<float> losses = trainer().train_steps(n);
      return float32_array(losses.data(), losses.size());
    });
  }

  // Where training is: {epoch, batch, batchesPerEpoch, step, runningAccuracy}.
  val progress() const {
    return guarded([&] {
      const sn::Trainer& t = trainer();
      val out = val::object();
      out.set("epoch", t.epoch());
      out.set("batch", t.batch_in_epoch());
      out.set("batchesPerEpoch", t.batches_per_epoch());
      out.set("step", static_cast<double>(t.step()));
      out.set("runningAccuracy", t.running_accuracy());
      out.set("learningRate", t.current_learning_rate());
      return out;
    });
  }

  val setLearningRate(float lr) {
    return guarded([&] {
      trainer().set_learning_rate(lr);
      return val::undefined();
    });
  }

  val setThreads(int n) {
    return guarded([&] {
      threads_ = n < 1 ? 1 : n;
      if (net_) net_->set_threads(threads_);
      return val(threads_);
    });
  }

  // {loss, accuracy, count, classes, confusion} on the test split (or the train split).
  val evaluate(bool on_train) {
    return guarded([&] {
      const sn::Dataset& data = split(on_train);
      return detail::evaluation_of(sn::evaluate(model(), data, 256));
    });
  }

  // image: rows*cols floats in [0, 1]. Returns num_classes probabilities.
  val predict(const val& image) {
    return guarded([&] {
      sn::Network& net = model();
      const std::vector<float> pixels = to_vector<float>(image);
      check_image(pixels.size());
      std::vector<float> probs(net.num_classes());
      net.predict(pixels.data(), 1, probs.data());
      return float32_array(probs.data(), probs.size());
    });
  }

  // Probabilities (n x classes) for test-split images by index; batches of 256.
  val predictTest(const val& indices) {
    return guarded([&] {
      sn::Network& net = model();
      const sn::Dataset& data = split(false);
      const std::vector<int> idx = to_vector<int>(indices);
      for (int i : idx) {
        if (i < 0 || i >= data.count()) throw sn::Error("test index " + std::to_string(i) + " is out of range");
      }
      const int classes = net.num_classes();
      const size_t size = static_cast<size_t>(data.rows) * data.cols;
      constexpr int kChunk = 256;
      std::vector<float> probs(idx.size() * classes);
      std::vector<float> images(kChunk * size);
      std::vector<uint8_t> labels(kChunk);
      std::mt19937_64 unused_rng(0);  // augmentation is off: no random draws
      for (size_t first = 0; first < idx.size(); first += kChunk) {
        const int n = static_cast<int>(std::min<size_t>(kChunk, idx.size() - first));
        sn::gather_batch(data, idx.data() + first, n, images.data(), labels.data(), sn::AugmentOptions{},
                         unused_rng);
        net.predict(images.data(), n, probs.data() + first * classes);
      }
      return float32_array(probs.data(), probs.size());
    });
  }

  // Test-split images (0..255) and original labels, for the gallery.
  val testImages(const val& indices) const {
    return guarded([&] {
      const sn::Dataset& data = split(false);
      const std::vector<int> idx = to_vector<int>(indices);
      const size_t size = static_cast<size_t>(data.rows) * data.cols;
      std::vector<uint8_t> out(idx.size() * size);
      for (size_t i = 0; i < idx.size(); ++i) {
        if (idx[i] < 0 || idx[i] >= data.count()) throw sn::Error("test index " + std::to_string(idx[i]) + " is out of range");
        std::copy_n(data.image(idx[i]), size, out.data() + i * size);
      }
      return uint8_array(out.data(), out.size());
    });
  }
  // Class index of every test image (map through classLabels for original labels).
  val testClasses() const {
    return guarded([&] {
      const sn::Dataset& data = split(false);
      std::vector<int> out(data.labels.begin(), data.labels.end());
      return int32_array(out.data(), out.size());
    });
  }

  // Every layer's output for one image: [{segment, kind, shape: [h, w, c], values}].
  val activations(const val& image) {
    return guarded([&] {
      const std::vector<float> pixels = to_vector<float>(image);
      check_image(pixels.size());
      val out = val::array();
      int i = 0;
      for (const sn::Activation& a : model().activations(pixels.data())) {
        val layer = val::object();
        layer.set("segment", a.segment);
        layer.set("kind", a.kind);
        layer.set("shape", number_array(std::vector<int>{a.h, a.w, a.c}));
        layer.set("values", float32_array(a.values.data(), a.values.size()));
        out.set(i++, layer);
      }
      return out;
    });
  }

  // Parameter tensors: [{segment, kind, name, shape, values}].
  val parameters() const {
    return guarded([&] {
      val out = val::array();
      int i = 0;
      for (const sn::ParameterView& p : model().parameters()) {
        val tensor = val::object();
        tensor.set("segment", p.segment);
        tensor.set("kind", p.kind);
        tensor.set("name", p.name);
        tensor.set("shape", number_array(p.shape));
        tensor.set("values", float32_array(p.values.data(), p.values.size()));
        out.set(i++, tensor);
      }
      return out;
    });
  }

  val save() const {
    return guarded([&] {
      const std::vector<uint8_t> bytes = model().save(class_labels_);
      return uint8_array(bytes.data(), bytes.size());
    });
  }

  // The model as ONNX (scratchnet/onnx.h): input "image" (N, 1, 28, 28), output "probabilities".
  val exportOnnx() const {
    return guarded([&] {
      const std::vector<uint8_t> bytes = sn::export_onnx(model(), class_labels_);
      return uint8_array(bytes.data(), bytes.size());
    });
  }

  // Replaces the model with a file's; returns {summary, classLabels}. The old model stays
  // when the bytes are refused. Training must be set up again (setData / setTraining).
  val load(const val& bytes) {
    return guarded([&] {
      const std::vector<uint8_t> data = to_vector<uint8_t>(bytes);
      std::vector<int> labels;
      auto loaded = std::make_unique<sn::Network>(sn::Network::load(data.data(), data.size(), &labels));
      trainer_.reset();
      net_ = std::move(loaded);
      net_->set_threads(threads_);
      class_labels_ = labels;
      default_labels();
      val out = val::object();
      out.set("summary", detail::summary_of(*net_));
      out.set("classLabels", number_array(class_labels_));
      return out;
    });
  }

  val classLabels() const { return number_array(class_labels_); }
  bool hasModel() const { return net_ != nullptr; }
  bool hasTrainer() const { return trainer_ != nullptr; }

 private:
  sn::Network& model() const {
    if (!net_) throw StateError("no model: build one first");
    return *net_;
  }
  sn::Trainer& trainer() const {
    if (!trainer_) throw StateError("training is not set up: build a model and load data first");
    return *trainer_;
  }
  const sn::Dataset& split(bool train) const {
    const auto& data = train ? train_ : test_;
    if (!data) throw StateError("no data set loaded");
    return *data;
  }
  void check_image(size_t size) const {
    const auto shape = model().input_shape();
    const size_t want = static_cast<size_t>(shape[0]) * shape[1] * shape[2];
    if (size != want) {
      throw sn::Error("expected an image of " + std::to_string(want) + " values (" + std::to_string(shape[0]) +
                      "x" + std::to_string(shape[1]) + "), got " + std::to_string(size));
    }
  }
  // Without a class filter, class i is label i.
  void default_labels() {
    if (!class_labels_.empty() || !net_) return;
    for (int i = 0; i < net_->num_classes(); ++i) class_labels_.push_back(i);
  }

  std::unique_ptr<sn::Network> net_;
  std::shared_ptr<const sn::Dataset> train_, test_;
  std::vector<int> class_labels_;
  std::unique_ptr<sn::Trainer> trainer_;  // last: refers to net_ and train_
  int rows_ = 28, cols_ = 28;
  int threads_ = 1;
};

}  // namespace snjs
