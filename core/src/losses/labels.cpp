#include "losses/labels.h"

#include <string>

#include "scratchnet/error.h"

namespace sn {

void check_labels(const uint8_t* labels, int n, int classes) {
  for (int s = 0; s < n; ++s) {
    if (labels[s] >= classes) {
      throw Error("label " + std::to_string(labels[s]) + " of sample " + std::to_string(s) +
                  " is out of range for " + std::to_string(classes) + " classes");
    }
  }
}

}  // namespace sn
