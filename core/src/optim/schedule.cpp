// Learning-rate schedules: the factor per batch (formulas in scratchnet/schedule.h).
#include "scratchnet/schedule.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>

#include "scratchnet/error.h"

namespace sn {

namespace {

constexpr double kPi = 3.14159265358979323846;

// cos(pi t) for t in [0, 1]: a Taylor series on x = pi u with u = min(t, 1 - t) <= 1/2 (14 terms:
// the rest is below 1e-25), negated past the middle. Written out so native libm and wasm libm
// cannot disagree in the last bit and make the two builds' learning rates (and weights) differ.
double cos_pi(double t) {
  const bool upper = t > 0.5;
  const double x = kPi * (upper ? 1.0 - t : t), x2 = x * x;
  double term = 1.0, c = 1.0;
  for (int k = 1; k <= 14; ++k) {
    term *= -x2 / ((2 * k - 1) * (2 * k));
    c += term;
  }
  return upper ? -c : c;
}

std::string num(float v) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", double(v));
  return text;
}

void check_range(float v, float lo, float hi, bool lo_open, const char* what) {
  const bool ok = std::isfinite(v) && (lo_open ? v > lo : v >= lo) && v <= hi;
  if (!ok) {
    throw Error(std::string("schedule ") + what + " must be in " + (lo_open ? "(" : "[") + num(lo) +
                ", " + num(hi) + "], got " + num(v));
  }
}

}  // namespace

// Each schedule's name, once: parse_schedule and schedule_name both read it.
constexpr std::pair<ScheduleKind, const char*> kScheduleNames[] = {
    {ScheduleKind::Constant, "constant"},
    {ScheduleKind::Step, "step"},
    {ScheduleKind::Cosine, "cosine"},
    {ScheduleKind::OneCycle, "onecycle"}};

ScheduleKind parse_schedule(const std::string& name) {
  for (const auto& [kind, text] : kScheduleNames) {
    if (name == text) return kind;
  }
  if (name == "one-cycle") return ScheduleKind::OneCycle;
  throw Error("unknown schedule '" + name + "' (expected constant, step, cosine or onecycle)");
}

const char* schedule_name(ScheduleKind kind) {
  for (const auto& [k, text] : kScheduleNames) {
    if (k == kind) return text;
  }
  return "constant";
}

void check_schedule(const Schedule& s) {
  switch (s.kind) {
    case ScheduleKind::Constant:
      return;
    case ScheduleKind::Step:
      check_range(s.step_epochs, 0.0f, 1e6f, true, "step epochs");
      check_range(s.gamma, 0.0f, 1.0f, true, "gamma");
      return;
    case ScheduleKind::OneCycle:
      check_range(s.warmup, 0.0f, 0.999f, false, "warm-up fraction");
      check_range(s.start, 0.0f, 1.0f, true, "start factor");
      [[fallthrough]];
    case ScheduleKind::Cosine:
      check_range(s.epochs, 0.0f, 1e6f, true, "length in epochs");
      check_range(s.floor, 0.0f, 1.0f, false, "final factor");
      return;
  }
}

double schedule_factor(const Schedule& s, int64_t step, int batches_per_epoch) {
  const double epoch = double(std::max<int64_t>(step, 0)) / std::max(batches_per_epoch, 1);
  const double floor = s.floor;
  switch (s.kind) {
    case ScheduleKind::Constant:
      return 1.0;
    case ScheduleKind::Step: {
      // gamma^k by repeated products: the same bits everywhere (k is small: one per decay).
      const int64_t k = static_cast<int64_t>(std::floor(epoch / s.step_epochs));
      double f = 1.0;
      for (int64_t i = 0; i < k && f > 1e-30; ++i) f *= s.gamma;
      return f;
    }
    case ScheduleKind::Cosine: {
      const double p = std::min(epoch / s.epochs, 1.0);
      return floor + (1.0 - floor) * 0.5 * (1.0 + cos_pi(p));
    }
    case ScheduleKind::OneCycle: {
      const double p = std::min(epoch / s.epochs, 1.0), w = s.warmup;
      if (p < w) return s.start + (1.0 - s.start) * (p / w);
      const double q = (p - w) / (1.0 - w);
      return floor + (1.0 - floor) * 0.5 * (1.0 + cos_pi(q));
    }
  }
  return 1.0;
}

float scheduled_lr(const Schedule& s, float base_lr, int64_t step, int batches_per_epoch) {
  if (s.kind == ScheduleKind::Constant) return base_lr;
  return static_cast<float>(double(base_lr) * schedule_factor(s, step, batches_per_epoch));
}

Schedule over_epochs(Schedule s, float epochs) {
  s.epochs = epochs;
  s.step_epochs = std::max(1.0f, epochs / 3.0f);
  return s;
}

std::vector<float> schedule_curve(const Schedule& s, float base_lr, int batches_per_epoch,
                                  int points) {
  check_schedule(s);
  batches_per_epoch = std::max(batches_per_epoch, 1);
  points = std::clamp(points, 2, 10000);
  const double total = std::max(1.0, double(s.epochs > 0 ? s.epochs : 1.0f) * batches_per_epoch);
  std::vector<float> lr(points);
  for (int i = 0; i < points; ++i) {
    const int64_t step = static_cast<int64_t>((total - 1) * i / (points - 1));
    lr[i] = scheduled_lr(s, base_lr, step, batches_per_epoch);
  }
  return lr;
}

}  // namespace sn
