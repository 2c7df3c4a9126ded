#pragma once
// Labels arrive from outside (data files); a label the output cannot represent is an error, not
// an out-of-bounds read.
#include <cstdint>

namespace sn {

// Throws Error "label 12 of sample 3 is out of range for 10 classes".
void check_labels(const uint8_t* labels, int n, int classes);

}  // namespace sn
