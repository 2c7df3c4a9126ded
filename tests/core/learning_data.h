#pragma once
// The bundled digits for tests that learn: build/public/data/mnist (from `npm run data`), or
// the directory named by the SCRATCHNET_DATA_DIR environment variable.
#include <cstdlib>
#include <filesystem>
#include <string>

namespace sn::testing {

inline std::string data_dir() {
  if (const char* env = std::getenv("SCRATCHNET_DATA_DIR")) return env;
#ifdef SCRATCHNET_DATA_DIR
  return SCRATCHNET_DATA_DIR;
#else
  return "build/public/data/mnist";
#endif
}

// True when both the train and t10k files are present (gzipped or not).
inline bool have_digits() {
  namespace fs = std::filesystem;
  const std::string dir = data_dir();
  for (const char* name : {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                           "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}) {
    if (!fs::exists(dir + "/" + name) && !fs::exists(dir + "/" + name + ".gz")) return false;
  }
  return true;
}

}  // namespace sn::testing
