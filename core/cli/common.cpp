#include "common.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "scratchnet/error.h"

namespace sn::cli {

namespace fs = std::filesystem;

namespace {

constexpr const char* kBundled = "build/public/data/mnist";

std::string search_up(fs::path from) {
  std::error_code ec;
  for (int depth = 0; depth < 8 && !from.empty(); ++depth) {
    fs::path candidate = from / kBundled;
    if (fs::is_directory(candidate, ec)) return candidate.string();
    if (from == from.parent_path()) break;
    from = from.parent_path();
  }
  return "";
}

}  // namespace

std::string data_dir_or_default(const std::string& given) {
  if (!given.empty()) return given;
  std::error_code ec;
  if (std::string found = search_up(fs::current_path(ec)); !found.empty()) return found;
  // /proc/self/exe: Linux only, and that is fine for a native tool; elsewhere we fall through.
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    if (std::string found = search_up(exe.parent_path()); !found.empty()) return found;
  }
  throw Error("no --data given and " + std::string(kBundled) +
              " not found here or above; run `npm run data` in the repository, or pass --data DIR");
}

DataSets load_data(const std::string& dir, const std::vector<int>& classes, bool need_train) {
  DataSets d;
  if (need_train) d.train = load_idx_dir(dir, "train");
  d.test = load_idx_dir(dir, "t10k");
  if (!classes.empty()) {
    if (need_train) d.train = filter_classes(d.train, classes);
    d.test = filter_classes(d.test, classes);
    d.class_labels = classes;
  } else {
    int n = std::max(d.test.num_classes(), need_train ? d.train.num_classes() : 0);
    d.class_labels = labels_or_identity({}, n);
  }
  return d;
}

std::vector<uint8_t> read_bytes(const std::string& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) throw Error(path + ": no such file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path + ": cannot open for reading");
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

void write_bytes(const std::string& path, const std::vector<uint8_t>& bytes) {
  // Write beside the target and rename: an interrupted save never leaves half a model.
  const std::string tmp = path + ".tmp" + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(path + ": cannot open for writing");
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw Error(path + ": write failed");
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    const std::string why = ec.message();
    fs::remove(tmp, ec);
    throw Error(path + ": cannot write (" + why + ")");
  }
}

std::vector<int> labels_or_identity(const std::vector<int>& labels, int classes) {
  if (!labels.empty()) return labels;
  std::vector<int> out(static_cast<size_t>(classes));
  for (int i = 0; i < classes; ++i) out[i] = i;
  return out;
}

}  // namespace sn::cli
