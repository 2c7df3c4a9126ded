#include "common.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "scratchnet/error.h"
#include "scratchnet/parallel.h"

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

namespace {

// The first n images (n <= 0: all) among those whose label is one of `classes` (empty: any).
Dataset first_n(Dataset d, int n, const std::vector<int>& classes) {
  if (n <= 0 || n >= d.count()) return d;
  Dataset out;
  out.rows = d.rows;
  out.cols = d.cols;
  const size_t pixels = static_cast<size_t>(d.rows) * d.cols;
  for (int i = 0; i < d.count() && out.count() < n; ++i) {
    if (!classes.empty() && std::find(classes.begin(), classes.end(), d.labels[i]) == classes.end())
      continue;
    out.labels.push_back(d.labels[i]);
    out.images.insert(out.images.end(), d.image(i), d.image(i) + pixels);
  }
  return out;
}

}  // namespace

void load_data(Session& session, const std::string& dir, const std::vector<int>& classes,
               bool need_train, int train_limit) {
  auto train = std::make_shared<const Dataset>(
      need_train ? first_n(load_idx_dir(dir, "train"), train_limit, classes) : Dataset{});
  auto test = std::make_shared<const Dataset>(load_idx_dir(dir, "t10k"));
  session.set_data(std::move(train), std::move(test), classes);
}

int threads_flag(const Args& a) {
  return static_cast<int>(
      a.integer("threads", ThreadPool::hardware_threads(), 1, kLimits.threads.max));
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
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
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

}  // namespace sn::cli
