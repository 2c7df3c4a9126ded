#pragma once
// Whether a data set fits a network: image size, and no label beyond the model's classes.
#include "scratchnet/data.h"
#include "scratchnet/network.h"

namespace sn {

// Throws Error naming `what` ("training", "evaluation") and both shapes when they differ.
void check_compatible(const Network& net, const Dataset& data, const char* what);

}  // namespace sn
