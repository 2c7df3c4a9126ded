#pragma once
// Learning-rate schedules, stepped once per mini-batch. A schedule scales the base learning rate
// by a factor that depends only on the batch index, so a run can be resumed, plotted ahead of
// time (the page draws the curve before training) and reproduced bit for bit natively and in
// wasm (the cosine is computed by our own series, not libm).
//   constant   1
//   step       gamma^floor(e / step_epochs)                       e = batches done / per epoch
//   cosine     floor + (1 - floor) (1 + cos(pi p)) / 2            p = e / epochs, clamped to 1
//   one-cycle  start + (1 - start) p / warmup                     while p < warmup (linear warm-up)
//              floor + (1 - floor) (1 + cos(pi q)) / 2            q = (p - warmup) / (1 - warmup)
// One-cycle is Smith & Topin (2017), "Super-Convergence": a short warm-up to the peak rate then
// annealing to almost nothing; cosine is Loshchilov & Hutter (2017), SGDR, without restarts.
#include <cstdint>
#include <string>
#include <vector>

namespace sn {

enum class ScheduleKind { Constant, Step, Cosine, OneCycle };

struct Schedule {
  ScheduleKind kind = ScheduleKind::Constant;
  float epochs =
      0.0f;  // cosine, one-cycle: the run's length (> 0); after it the factor stays at floor
  float step_epochs = 1.0f;  // step: epochs between decays (> 0)
  float gamma = 0.5f;        // step: factor per decay (0 < gamma <= 1)
  float warmup = 0.25f;      // one-cycle: fraction of the run spent warming up (0 <= warmup < 1)
  float start = 0.04f;       // one-cycle: the warm-up starts at lr * start (0 < start <= 1)
  float floor = 0.0f;  // cosine, one-cycle: the factor at the end of the run (0 <= floor <= 1)
};

// "constant", "step", "cosine", "onecycle" (also "one-cycle"); throws Error otherwise.
ScheduleKind parse_schedule(const std::string& name);
const char* schedule_name(ScheduleKind kind);  // "constant", "step", "cosine", "onecycle"

// Throws Error naming the field when a value is out of its range (see Schedule).
void check_schedule(const Schedule& s);

// The factor for 0-based batch `step` of a run with batches_per_epoch (>= 1) batches an epoch.
double schedule_factor(const Schedule& s, int64_t step, int batches_per_epoch);

// The learning rate the trainer uses for that batch: float(base_lr * factor). With the constant
// schedule it is base_lr exactly.
float scheduled_lr(const Schedule& s, float base_lr, int64_t step, int batches_per_epoch);

// s spanning a run of `epochs`: cosine and one-cycle anneal over it, step decays every third of
// it (at least every epoch).
Schedule over_epochs(Schedule s, float epochs);

// The rate at `points` (clamped to 2..10000) evenly spaced batches of a run of s.epochs (at
// least 1) epochs, the last point being its last batch: the trainer's own rates, for plotting a
// schedule before training. Throws Error for a bad schedule.
std::vector<float> schedule_curve(const Schedule& s, float base_lr, int batches_per_epoch,
                                  int points);

}  // namespace sn
