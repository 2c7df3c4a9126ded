#pragma once
// Data sets of small grey images with integer labels, read from the standard IDX format
// (MNIST, Fashion-MNIST, EMNIST), and deterministic, optionally augmented mini-batches.
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace sn {

// Images are stored once as uint8 (0..255), row-major, count * rows * cols bytes.
struct Dataset {
  int rows = 0;
  int cols = 0;
  std::vector<uint8_t> images;
  std::vector<uint8_t> labels;  // one class index per image
  int count() const { return static_cast<int>(labels.size()); }
  int num_classes() const;  // 1 + largest label (0 when empty)
  const uint8_t* image(int i) const { return images.data() + static_cast<size_t>(i) * rows * cols; }
};

// Limits that protect against absurd headers (checked before any allocation).
inline constexpr int64_t kMaxIdxItems = 10'000'000;
inline constexpr int kMaxIdxSide = 1024;

// Parses IDX bytes (not gzipped). Throws FormatError naming what is wrong: magic number,
// element type, dimension count, sizes, length mismatch, counts of images vs labels.
Dataset parse_idx(const uint8_t* image_bytes, size_t image_size, const uint8_t* label_bytes,
                  size_t label_size);

// The whole length (header + items) an IDX header declares, from the file's first bytes (at
// most kIdxMaxHeaderBytes are looked at), or 0 when they do not hold a complete header
// parse_idx accepts. Lets a reader stop inflating once it has what the header promised.
inline constexpr size_t kIdxMaxHeaderBytes = 16;
uint64_t idx_declared_size(const uint8_t* bytes, size_t size);

// Reads an IDX file. One that starts with the gzip magic is inflated (native builds with zlib;
// elsewhere a clear FormatError) only as far as its header declares plus one byte, so a small
// file that inflates to gigabytes is refused early. Throws Error on missing/unreadable files.
std::vector<uint8_t> read_idx_file(const std::string& path);

// Loads "<dir>/<prefix>-images-idx3-ubyte[.gz]" and "<dir>/<prefix>-labels-idx1-ubyte[.gz]",
// prefix "train" or "t10k" (also accepts the "train-images.idx3-ubyte" spelling).
Dataset load_idx_dir(const std::string& dir, const std::string& prefix);

// Keeps only images whose label is in `classes` and relabels them 0..classes.size()-1 in the
// given order (for two-class models: {3, 8} -> 3 becomes 0, 8 becomes 1).
Dataset filter_classes(const Dataset& data, const std::vector<int>& classes);

// Random small affine distortions of training images, seeded: what makes hand-drawn digits work.
struct AugmentOptions {
  bool enabled = false;
  float max_shift = 2.0f;        // pixels, each axis
  float max_scale = 0.10f;       // +-10 %
  float max_rotate_deg = 10.0f;  // +-degrees
  bool mirror = false;           // left-right flip with probability 1/2 (clothes, not digits)
};

// The distortions that keep a data set's labels, by the data set's name (its folder's name:
// "mnist-full", "fashion", ...). Clothes (a name containing "fashion", in any case, as the
// page's class names go) are flipped left to right and not warped:
// a shirt's mirror image is a shirt, and interpolated shifts blur the textures that tell a
// shirt from a pullover. Everything else is taken for digits, which a flip would turn into
// other shapes: small shifts, scalings and rotations (the defaults above).
AugmentOptions augmentation_for(const std::string& data_set, bool enabled = true);

// Deterministic order: shuffles the indices 0..count-1 once per epoch from (seed, epoch).
class BatchSampler {
 public:
  BatchSampler(int count, int batch_size, uint64_t seed);
  // Indices of the next batch (shorter at the end of an epoch). Starts a new shuffled epoch
  // automatically; epoch() and batch_in_epoch() say where it is. The roll-over is eager: right
  // after an epoch's last batch, epoch() is already the next epoch and batch_in_epoch() is 0.
  // The order is the same on every platform (own draws from mt19937_64, not std::shuffle).
  const std::vector<int>& next();
  int epoch() const { return epoch_; }
  int batch_in_epoch() const { return batch_in_epoch_; }
  int batches_per_epoch() const;
  int batch_size() const { return batch_size_; }
  void reset();  // back to epoch 0, batch 0

 private:
  void shuffle();
  int count_, batch_size_;
  uint64_t seed_;
  int epoch_ = 0, batch_in_epoch_ = 0, cursor_ = 0;
  std::vector<int> order_, batch_;
};

// Writes n images as floats in [0, 1], layout (n, rows, cols, 1), and their labels.
// With augmentation enabled each image gets a random distortion drawn from rng.
void gather_batch(const Dataset& data, const int* indices, int n, float* images_out,
                  uint8_t* labels_out, const AugmentOptions& augment, std::mt19937_64& rng);

}  // namespace sn
