// Choosing classes: keeps the images of the given labels and renumbers them in the given order,
// so a two-class model sees labels 0 and 1 whatever digits were picked.
#include <array>
#include <string>

#include "scratchnet/data.h"
#include "scratchnet/error.h"

namespace sn {

Dataset filter_classes(const Dataset& data, const std::vector<int>& classes) {
  if (classes.empty()) throw Error("choose at least one class");
  std::array<int, 256> new_label;
  new_label.fill(-1);
  std::string names;
  for (size_t i = 0; i < classes.size(); ++i) {
    const int c = classes[i];
    if (c < 0 || c > 255) throw Error("class " + std::to_string(c) + " is not a label (0..255)");
    if (new_label[c] >= 0) throw Error("class " + std::to_string(c) + " is listed twice");
    new_label[c] = static_cast<int>(i);
    names += (i ? ", " : "") + std::to_string(c);
  }
  Dataset out;
  out.rows = data.rows;
  out.cols = data.cols;
  const size_t pixels = static_cast<size_t>(data.rows) * data.cols;
  for (int i = 0; i < data.count(); ++i) {
    const int relabel = new_label[data.labels[i]];
    if (relabel < 0) continue;
    out.labels.push_back(static_cast<uint8_t>(relabel));
    out.images.insert(out.images.end(), data.image(i), data.image(i) + pixels);
  }
  if (out.labels.empty()) throw Error("no images have the classes " + names);
  return out;
}

}  // namespace sn
