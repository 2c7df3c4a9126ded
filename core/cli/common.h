#pragma once
// What several `nn` commands share: finding the data, choosing classes, reading and writing
// model files.
#include <string>
#include <vector>

#include "scratchnet/data.h"

namespace sn::cli {

// --data, or build/public/data/mnist found from the working directory or the executable's
// location upwards (so `nn` works from the repo root and from its build directory).
std::string data_dir_or_default(const std::string& given);

// Train and test sets, optionally reduced to `classes` (relabelled 0..k-1 in that order).
struct DataSets {
  Dataset train, test;
  std::vector<int> class_labels;  // original label of each class index
};
DataSets load_data(const std::string& dir, const std::vector<int>& classes, bool need_train);

std::vector<uint8_t> read_bytes(const std::string& path);
void write_bytes(const std::string& path, const std::vector<uint8_t>& bytes);

// "0,1,...,n-1" when labels is empty (a model trained on all classes).
std::vector<int> labels_or_identity(const std::vector<int>& labels, int classes);

}  // namespace sn::cli
