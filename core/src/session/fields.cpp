// The engine's values as named fields (scratchnet/fields.h). The settings read back are listed
// once, in functions that visit (name, member) pairs: writing and reading walk the same list.
#include "scratchnet/fields.h"

#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iterator>

#include "scratchnet/error.h"
#include "scratchnet/session.h"

namespace sn {

double shortest_decimal(float f) {
  char text[32];
  for (int digits = 1; digits <= 9; ++digits) {  // 9 significant digits identify every float
    std::snprintf(text, sizeof text, "%.*g", digits, static_cast<double>(f));
    if (std::strtof(text, nullptr) == f) break;
  }
  return std::strtod(text, nullptr);
}

namespace {

// The names, each with the member it is; `prefix` names the group ("schedule.").
template <class S, class Visit>
void each_field(S& s, const std::string& prefix, Visit&& visit) {  // S: Schedule, maybe const
  visit(prefix + "kind", s.kind);
  visit(prefix + "epochs", s.epochs);
  visit(prefix + "warmup", s.warmup);
}
template <class A, class Visit>
void each_field_of_augment(A& a, const std::string& prefix, Visit&& visit) {  // AugmentOptions
  visit(prefix + "enabled", a.enabled);
  visit(prefix + "maxShift", a.max_shift);
  visit(prefix + "maxScale", a.max_scale);
  visit(prefix + "maxRotateDeg", a.max_rotate_deg);
  visit(prefix + "mirror", a.mirror);
}
template <class O, class Visit>
void each_option(O& o, Visit&& visit) {  // O: TrainOptions, maybe const
  visit("optimizer", o.optimizer);
  visit("learningRate", o.learning_rate);
  visit("batchSize", o.batch_size);
  each_field(o.schedule, "schedule.", visit);
  visit("beta1", o.beta1);
  visit("beta2", o.beta2);
  visit("momentum", o.momentum);
  visit("weightDecay", o.weight_decay);
  visit("labelSmoothing", o.label_smoothing);
  each_field_of_augment(o.augment, "augment.", visit);
}

// ---- Writing: each member as a FieldValue.
FieldValue value_of(float f) { return shortest_decimal(f); }
FieldValue value_of(double d) { return d; }
FieldValue value_of(int i) { return static_cast<double>(i); }
FieldValue value_of(int64_t i) { return static_cast<double>(i); }
FieldValue value_of(uint64_t u) { return static_cast<double>(u); }
FieldValue value_of(bool b) { return b; }
FieldValue value_of(const char* s) { return std::string(s); }
FieldValue value_of(const std::string& s) { return s; }
FieldValue value_of(OptimizerKind k) { return std::string(optimizer_name(k)); }
FieldValue value_of(ScheduleKind k) { return std::string(schedule_name(k)); }
FieldValue value_of(const std::vector<double>& list) { return list; }
FieldValue value_of(const std::vector<int>& data) { return data; }
FieldValue value_of(const std::vector<float>& data) { return data; }
FieldValue value_of(const Fields& group) { return group; }
FieldValue value_of(const std::vector<Fields>& groups) { return groups; }

// A short list of ints (a shape, the two classes) as numbers.
template <class Ints>
std::vector<double> list(const Ints& ints) {
  return std::vector<double>(std::begin(ints), std::end(ints));
}

// Fields in the order they are written by w(name, value); "group.name" writes into the group
// (whose fields are written one after another). Also the visitor for each_option.
struct Writer {
  Fields out;
  template <class T>
  void operator()(const std::string& name, const T& value) {
    const size_t dot = name.find('.');
    if (dot == std::string::npos) {
      out.push_back({name, value_of(value)});
    } else {
      const std::string group = name.substr(0, dot);
      if (out.empty() || out.back().name != group) out.push_back({group, Fields{}});
      std::get<Fields>(out.back().value).push_back({name.substr(dot + 1), value_of(value)});
    }
  }
};

// ---- Reading: a FieldValue into a member, or an Error that names the setting and the value.
std::string text_of(const FieldValue& v) {
  if (const double* d = std::get_if<double>(&v)) {
    char text[32];  // the shortest that reads back: 0.1, not 0.10000000000000001
    for (int digits = 1; digits <= 17; ++digits) {
      std::snprintf(text, sizeof text, "%.*g", digits, *d);
      if (std::strtod(text, nullptr) == *d) break;
    }
    return text;
  }
  if (const bool* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  if (const std::string* s = std::get_if<std::string>(&v)) return "\"" + *s + "\"";
  return "a list or a group";
}
[[noreturn]] void wrong(const std::string& name, const char* expected, const FieldValue& v) {
  throw Error(name + " must be " + expected + ", got " + text_of(v));
}
double number(const std::string& name, const FieldValue& v) {
  if (const double* d = std::get_if<double>(&v)) return *d;
  wrong(name, "a number", v);
}
// A count: whole and within [lo, hi] so that the conversion is exact.
double whole(const std::string& name, const FieldValue& v, double lo, double hi) {
  const double d = number(name, v);
  if (!(d == std::floor(d) && d >= lo && d <= hi)) wrong(name, "a whole number", v);
  return d;
}
std::string text(const std::string& name, const FieldValue& v) {
  if (const std::string* s = std::get_if<std::string>(&v)) return *s;
  wrong(name, "a name", v);
}

void read(const std::string& name, const FieldValue& v, float& out) {
  out = static_cast<float>(number(name, v));
}
void read(const std::string& name, const FieldValue& v, double& out) { out = number(name, v); }
void read(const std::string& name, const FieldValue& v, int& out) {
  out = static_cast<int>(whole(name, v, -2147483648.0, 2147483647.0));
}
void read(const std::string& name, const FieldValue& v, uint64_t& out) {
  out = static_cast<uint64_t>(whole(name, v, 0, 9007199254740992.0));  // 2^53: exact as a double
}
void read(const std::string& name, const FieldValue& v, bool& out) {
  const bool* b = std::get_if<bool>(&v);
  if (!b) wrong(name, "true or false", v);
  out = *b;
}
void read(const std::string& name, const FieldValue& v, OptimizerKind& out) {
  out = parse_optimizer(text(name, v));
}
void read(const std::string& name, const FieldValue& v, ScheduleKind& out) {
  out = parse_schedule(text(name, v));
}

// The fields and each group's fields as "group.name" (one level deep), as each_option names
// them; a group stays too, so that a group given for a number is read, and rejected.
Fields flat(const Fields& in) {
  Fields out;
  for (const Field& f : in) {
    out.push_back(f);
    if (const Fields* group = std::get_if<Fields>(&f.value)) {
      for (const Field& g : *group) out.push_back({f.name + "." + g.name, g.value});
    }
  }
  return out;
}

// Reads the members whose names are given (the last value given for a name wins); `given`
// counts them.
struct Reader {
  const Fields& in;
  int given = 0;
  template <class T>
  void operator()(const std::string& name, T& member) {
    for (const Field& s : in) {
      if (s.name != name) continue;
      read(name, s.value, member);
      ++given;
    }
  }
};

}  // namespace

Fields fields(const TrainOptions& options) {
  Writer w;
  each_option(options, w);
  return w.out;
}

Fields fields(const AugmentOptions& augment) {
  Writer w;
  each_field_of_augment(augment, "", w);
  return w.out;
}

Fields fields(const PresetSettings& preset) {
  Writer w{fields(preset.options)};
  w("epochs", preset.epochs), w("why", preset.why);
  return w.out;
}

Fields fields(const Defaults& d) {
  Writer w;
  w("model", d.model), w("optimizer", d.optimizer), w("learningRate", d.learning_rate);
  w("sgdLearningRate", d.sgd_learning_rate), w("momentumLearningRate", d.momentum_learning_rate);
  w("momentum", d.momentum), w("weightDecay", d.weight_decay), w("batchSize", d.batch_size);
  w("epochs", d.epochs), w("seed", d.seed), w("threads", d.threads), w("augment", d.augment);
  w("twoClasses", list(d.two_classes)), w("evalBatch", d.eval_batch);
  return w.out;
}

Fields fields(const Limits& l) {
  Writer w;
  for (const auto& [name, range] : {std::pair{"learningRate", l.learning_rate},
                                    {"batchSize", l.batch_size},
                                    {"epochs", l.epochs},
                                    {"seed", l.seed},
                                    {"threads", l.threads},
                                    {"momentum", l.momentum},
                                    {"weightDecay", l.weight_decay}}) {
    w(std::string(name) + ".min", range.min), w(std::string(name) + ".max", range.max);
  }
  return w.out;
}

Fields fields(const Preset& p) {
  Writer w;
  w("name", p.name), w("description", p.description), w("summary", p.summary);
  w("twoClass", p.two_class);
  if (const PresetSettings* settings = preset_settings(p.name)) w("settings", fields(*settings));
  return w.out;
}

Fields fields(const Dataset& d) {
  Writer w;
  w("count", d.count()), w("rows", d.rows), w("cols", d.cols), w("classes", d.num_classes());
  return w.out;
}

Fields fields(const NetworkPlan& p, const std::vector<LayerInfo>& layers) {
  std::vector<Fields> each;
  for (const LayerInfo& l : layers) {
    Writer w;
    w("segment", l.segment), w("text", l.text), w("kind", l.kind);
    w("shape", list(l.output_shape)), w("params", l.params), w("flops", l.flops);
    each.push_back(w.out);
  }
  Writer w;
  w("description", p.description), w("params", p.params), w("flops", p.flops);
  w("loss", loss_name(p.loss)), w("classes", p.num_classes), w("layers", each);
  return w.out;
}

Fields fields(const Network& network) { return fields(network.plan(), network.summary()); }

Fields fields(const Activation& a) {
  Writer w;
  w("segment", a.segment), w("kind", a.kind), w("values", a.values);
  w("shape", list(std::array{a.h, a.w, a.c}));
  return w.out;
}

Fields fields(const ParameterView& p) {
  Writer w;
  w("segment", p.segment), w("kind", p.kind), w("name", p.name), w("shape", list(p.shape));
  w("values", p.values);
  return w.out;
}

Fields fields(const Evaluation& e) {
  Writer w;
  w("loss", e.loss), w("accuracy", e.accuracy), w("count", e.count), w("classes", e.classes);
  w("confusion", e.confusion), w("predicted", e.predicted);
  return w.out;
}

Fields fields(const Trainer& t) {
  Writer w;
  w("epoch", t.epoch()), w("batch", t.batch_in_epoch());
  w("batchesPerEpoch", t.batches_per_epoch()), w("step", t.step());
  w("runningAccuracy", t.running_accuracy());
  w("learningRate", static_cast<double>(t.current_learning_rate()));  // exact, not shortest
  return w.out;
}

TrainOptions training_options(const Fields& settings) {
  const Fields in = flat(settings);
  TrainOptions t;
  Reader from{in};
  from("optimizer", t.optimizer);
  t.learning_rate = default_learning_rate(t.optimizer);
  each_option(t, from);
  from("seed", t.seed);
  Reader schedule{in};
  each_field(t.schedule, "schedule.", schedule);
  if (schedule.given > 0) t.schedule = over_epochs(t.schedule, t.schedule.epochs);
  return t;
}

Schedule schedule_of(const Fields& settings) {
  Schedule s;
  each_field(s, "", Reader{settings});
  return over_epochs(s, s.epochs);
}

}  // namespace sn
