// Mini-batch order: a Fisher-Yates shuffle per epoch from an engine seeded by (seed, epoch), so
// epoch k's order can be reproduced without replaying epochs 0..k-1, and is the same natively
// and in the browser (see random.h).
#include <algorithm>
#include <numeric>
#include <string>

#include "data/random.h"
#include "scratchnet/data.h"
#include "scratchnet/error.h"

namespace sn {

BatchSampler::BatchSampler(int count, int batch_size, uint64_t seed)
    : count_(count), batch_size_(batch_size), seed_(seed) {
  if (count < 1) throw Error("cannot sample batches from an empty data set");
  if (batch_size < 1)
    throw Error("batch size must be at least 1, got " + std::to_string(batch_size));
  order_.resize(static_cast<size_t>(count));
  reset();
}

void BatchSampler::reset() {
  epoch_ = 0;
  batch_in_epoch_ = 0;
  cursor_ = 0;
  shuffle();
}

int BatchSampler::batches_per_epoch() const { return (count_ + batch_size_ - 1) / batch_size_; }

void BatchSampler::shuffle() {
  std::iota(order_.begin(), order_.end(), 0);
  std::mt19937_64 rng(mix_seed(seed_, static_cast<uint64_t>(epoch_)));
  // Fisher-Yates (Knuth, TAOCP vol. 2, Algorithm P): every permutation equally likely.
  for (int i = count_ - 1; i > 0; --i) {
    const int j = static_cast<int>(draw_below(rng, static_cast<uint64_t>(i) + 1));
    std::swap(order_[i], order_[j]);
  }
}

const std::vector<int>& BatchSampler::next() {
  const int n = std::min(batch_size_, count_ - cursor_);
  batch_.assign(order_.begin() + cursor_, order_.begin() + cursor_ + n);
  cursor_ += n;
  ++batch_in_epoch_;
  // Roll over eagerly: after an epoch's last batch, epoch() already names the next epoch and
  // batch_in_epoch() is 0, so "batch_in_epoch() == 0" means "an epoch just ended".
  if (cursor_ >= count_) {
    ++epoch_;
    batch_in_epoch_ = 0;
    cursor_ = 0;
    shuffle();
  }
  return batch_;
}

}  // namespace sn
