#pragma once
// What several `nn` commands share: finding the data, loading it into a session, reading and
// writing files.
#include <string>
#include <vector>

#include "args.h"
#include "scratchnet/session.h"

namespace sn::cli {

// --data, or build/public/data/mnist found from the working directory or the executable's
// location upwards (so `nn` works from the repo root and from its build directory).
std::string data_dir_or_default(const std::string& given);

// The folder's train (when need_train; its first train_limit images when > 0) and test splits
// into the session, reduced to `classes` (relabelled 0..k-1 in that order) when given.
void load_data(Session& session, const std::string& dir, const std::vector<int>& classes,
               bool need_train, int train_limit = 0);

// --threads N (1..kLimits.threads.max); absent = one per hardware thread.
int threads_flag(const Args& a);

std::vector<uint8_t> read_bytes(const std::string& path);
void write_bytes(const std::string& path, const std::vector<uint8_t>& bytes);

}  // namespace sn::cli
