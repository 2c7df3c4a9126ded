#pragma once
// The Dataset class JavaScript sees: IDX bytes parsed once into wasm memory (uint8), shared
// with the networks that train on it.
#include <emscripten/val.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "js_values.h"
#include "scratchnet/data.h"

namespace snjs {

// A data set parsed from IDX bytes, held in wasm memory once as uint8.
class DatasetHandle {
 public:
  DatasetHandle() : data_(std::make_shared<sn::Dataset>()) { ++live; }
  ~DatasetHandle() { --live; }
  DatasetHandle(const DatasetHandle&) = delete;
  DatasetHandle& operator=(const DatasetHandle&) = delete;
  static inline int live = 0;  // for the leak tests: every object JS creates must be deleted

  // images, labels: Uint8Array of raw (already gunzipped) IDX files.
  val parse(const val& images, const val& labels) {
    return guarded([&] {
      const std::vector<uint8_t> image_bytes = to_vector<uint8_t>(images);
      const std::vector<uint8_t> label_bytes = to_vector<uint8_t>(labels);
      data_ = std::make_shared<sn::Dataset>(sn::parse_idx(image_bytes.data(), image_bytes.size(),
                                                          label_bytes.data(), label_bytes.size()));
      return info();
    });
  }
  val info() const {
    val out = val::object();
    out.set("count", data_->count());
    out.set("rows", data_->rows);
    out.set("cols", data_->cols);
    out.set("classes", data_->num_classes());
    return out;
  }
  // Images (n x rows x cols, 0..255) and labels of the given indices.
  val images(const val& indices) const {
    return guarded([&] {
      const std::vector<int> idx = checked(indices);
      const size_t size = static_cast<size_t>(data_->rows) * data_->cols;
      std::vector<uint8_t> out(idx.size() * size);
      for (size_t i = 0; i < idx.size(); ++i) {
        std::copy_n(data_->image(idx[i]), size, out.data() + i * size);
      }
      return uint8_array(out.data(), out.size());
    });
  }
  val labels(const val& indices) const {
    return guarded([&] {
      const std::vector<int> idx = checked(indices);
      std::vector<int> out(idx.size());
      for (size_t i = 0; i < idx.size(); ++i) out[i] = data_->labels[idx[i]];
      return int32_array(out.data(), out.size());
    });
  }
  const std::shared_ptr<const sn::Dataset> shared() const { return data_; }

 private:
  std::vector<int> checked(const val& indices) const {
    std::vector<int> idx = to_vector<int>(indices);
    for (int i : idx) {
      if (i < 0 || i >= data_->count()) {
        throw sn::Error("index " + std::to_string(i) + " is outside the data set (0.." +
                        std::to_string(data_->count() - 1) + ")");
      }
    }
    return idx;
  }
  std::shared_ptr<sn::Dataset> data_;
};

}  // namespace snjs
