#include "progress.h"

#include <unistd.h>

#include <cstdio>

namespace sn::cli {

ProgressBar::ProgressBar(int epochs, int batch_size)
    : epochs_(epochs), batch_size_(batch_size), tty_(::isatty(STDOUT_FILENO) == 1) {}

void ProgressBar::begin_epoch() { epoch_start_ = std::chrono::steady_clock::now(); }

void ProgressBar::update(const StepProgress& p) {
  if (!tty_) return;
  const auto now = std::chrono::steady_clock::now();
  const bool last = p.batch_in_epoch >= p.batches_per_epoch;
  if (!last && drawn_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  const double secs = std::chrono::duration<double>(now - epoch_start_).count();
  const double frac = p.batches_per_epoch > 0 ? double(p.batch_in_epoch) / p.batches_per_epoch : 0;
  constexpr int kWidth = 30;
  char bar[kWidth + 1];
  const int filled = static_cast<int>(frac * kWidth);
  for (int i = 0; i < kWidth; ++i) bar[i] = i < filled ? '=' : (i == filled ? '>' : ' ');
  bar[kWidth] = '\0';
  const double rate = secs > 0 ? p.batch_in_epoch * double(batch_size_) / secs : 0;
  std::printf("\r\033[Kepoch %d/%d [%s] %3.0f%%  loss %.4f  acc %5.1f%%  %.0f samples/s",
              p.epoch + 1, epochs_, bar, frac * 100, static_cast<double>(p.loss),
              p.running_accuracy * 100, rate);
  std::fflush(stdout);
  drawn_ = true;
}

void ProgressBar::clear() {
  if (!tty_ || !drawn_) return;
  std::printf("\r\033[K");
  std::fflush(stdout);
  drawn_ = false;
}

}  // namespace sn::cli
