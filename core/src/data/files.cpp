// Reading data files from disk: whole-file reads, gzip inflation bounded by the IDX header, and
// the two IDX file-name spellings found in the wild ("train-images-idx3-ubyte" and
// "train-images.idx3-ubyte").
#include <filesystem>
#include <fstream>
#include <string>

#include "data/gzip.h"
#include "scratchnet/data.h"
#include "scratchnet/error.h"

namespace sn {

namespace fs = std::filesystem;

std::vector<uint8_t> read_idx_file(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) throw Error(path + ": no such file");
  if (fs::is_directory(path, ec)) throw Error(path + ": is a directory, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path + ": cannot open for reading");
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size < 0) throw Error(path + ": cannot read");
  if (static_cast<uint64_t>(size) > kMaxInflatedBytes) {
    throw Error(path + ": " + std::to_string(size >> 20) + " MiB is larger than the 1 GiB limit");
  }
  in.seekg(0, std::ios::beg);
  std::vector<uint8_t> bytes(static_cast<size_t>(size));
  if (size > 0 && !in.read(reinterpret_cast<char*>(bytes.data()), size)) {
    throw Error(path + ": read failed");
  }
  if (!is_gzip(bytes)) return bytes;
#ifdef SCRATCHNET_HAVE_ZLIB
  return gunzip_idx(bytes, path);
#else
  throw FormatError(path + ": gzip not supported in this build; pass raw IDX bytes");
#endif
}

namespace {

// The first existing file among the spellings, or "" (and `tried` lists what was looked for).
std::string find_idx_file(const fs::path& dir, const std::string& prefix, const char* kind,
                          const char* idx, std::string* tried) {
  const std::string names[] = {prefix + "-" + kind + "-" + idx + "-ubyte",
                               prefix + "-" + kind + "." + idx + "-ubyte"};
  *tried = names[0] + "[.gz] or " + names[1] + "[.gz]";
  for (const std::string& name : names) {
    for (const char* ext : {".gz", ""}) {
      std::error_code ec;
      fs::path p = dir / (name + ext);
      if (fs::is_regular_file(p, ec)) return p.string();
    }
  }
  return "";
}

}  // namespace

Dataset load_idx_dir(const std::string& dir, const std::string& prefix) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    throw Error("data directory '" + dir + "' does not exist or is not a directory");
  }
  std::string tried_images, tried_labels;
  std::string images = find_idx_file(dir, prefix, "images", "idx3", &tried_images);
  std::string labels = find_idx_file(dir, prefix, "labels", "idx1", &tried_labels);
  if (images.empty())
    throw Error("no " + prefix + " images in '" + dir + "' (looked for " + tried_images + ")");
  if (labels.empty())
    throw Error("no " + prefix + " labels in '" + dir + "' (looked for " + tried_labels + ")");
  auto image_bytes = read_idx_file(images);
  auto label_bytes = read_idx_file(labels);
  try {
    return parse_idx(image_bytes.data(), image_bytes.size(), label_bytes.data(),
                     label_bytes.size());
  } catch (const FormatError& e) {
    // Name the files: "images: bad magic" alone does not say which directory was wrong.
    throw FormatError(dir + " (" + prefix + "): " + e.what());
  }
}

}  // namespace sn
