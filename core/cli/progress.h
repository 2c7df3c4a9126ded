#pragma once
// Training progress on the terminal: a bar redrawn in place (at most 10 times a second) when
// stdout is a terminal; nothing per batch when it is a pipe or file, so logs stay clean.
#include <chrono>
#include <string>

#include "scratchnet/trainer.h"

namespace sn::cli {

class ProgressBar {
 public:
  ProgressBar(int epochs, int batch_size);
  void begin_epoch();  // starts the clock for this epoch's samples/s
  void update(const StepProgress& p);
  void clear();  // erase the bar before a normal line is printed
  bool enabled() const { return tty_; }

 private:
  int epochs_, batch_size_;
  bool tty_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point epoch_start_, last_draw_;
};

}  // namespace sn::cli
