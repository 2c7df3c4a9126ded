// `nn eval` and `nn predict`: load a saved model and run it on the test set of an IDX folder.
#include <algorithm>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "args.h"
#include "commands.h"
#include "common.h"
#include "scratchnet/error.h"
#include "scratchnet/network.h"
#include "scratchnet/parallel.h"
#include "scratchnet/trainer.h"

namespace sn::cli {

namespace {

struct Loaded {
  Network net;
  std::vector<int> class_labels;  // original label of each output class
  DataSets data;
};

// The model and the test images it was trained for: a two-class model's file says which
// digits it knows, and the test set is reduced to those.
Loaded load_model_and_data(const Args& a) {
  const auto path = a.maybe("model-file");
  if (!path) throw UsageError("missing --model-file FILE (written by nn train --save)");
  const std::vector<uint8_t> bytes = read_bytes(*path);
  std::vector<int> labels;
  Network net = [&] {
    try {
      return Network::load(bytes.data(), bytes.size(), &labels);
    } catch (const FormatError& e) {
      throw FormatError(*path + ": " + e.what());
    }
  }();
  net.set_threads(static_cast<int>(a.integer("threads", ThreadPool::hardware_threads(), 1, 256)));
  // The labels index the model's outputs: a file with a different number is refused here
  // rather than read past the end of the list later.
  if (!labels.empty() && labels.size() != static_cast<size_t>(net.num_classes())) {
    throw FormatError(*path + ": lists " + std::to_string(labels.size()) + " class labels but the model has " +
                      std::to_string(net.num_classes()) + " classes");
  }
  labels = labels_or_identity(labels, net.num_classes());
  // Evaluate on the classes the model knows (all ten for most; {0, 1} or {3, 8} for cnn-binary).
  DataSets data = load_data(data_dir_or_default(a.str("data", "")), labels, false);
  const auto shape = net.input_shape();
  if (shape[0] != data.test.rows || shape[1] != data.test.cols || shape[2] != 1) {
    throw Error("the model expects " + std::to_string(shape[0]) + "x" + std::to_string(shape[1]) + "x" +
                std::to_string(shape[2]) + " images but the data has " + std::to_string(data.test.rows) +
                "x" + std::to_string(data.test.cols) + "x1");
  }
  return Loaded{std::move(net), labels, std::move(data)};
}

// A grey image as text, darkest to brightest, so `nn predict` shows what it looked at.
void print_image(const uint8_t* px, int rows, int cols) {
  static const char kRamp[] = " .:-=+*#%@";
  for (int y = 0; y < rows; ++y) {
    std::string line;
    for (int x = 0; x < cols; ++x) line += kRamp[px[y * cols + x] * 9 / 255];
    while (!line.empty() && line.back() == ' ') line.pop_back();
    std::printf("%s%s\n", line.empty() ? "" : "  ", line.c_str());
  }
}

}  // namespace

int eval_main(const Words& words) {
  Args a("eval", words, {{"model-file", true}, {"data", true}, {"threads", true}, {"batch", true}});
  Loaded m = load_model_and_data(a);
  const Evaluation ev = evaluate(m.net, m.data.test, static_cast<int>(a.integer("batch", 256, 1, 65536)));
  std::printf("model: %s\n", m.net.description().c_str());
  std::printf("test loss %.4f  accuracy %.2f%%  (%d images)\n", ev.loss, ev.accuracy * 100, ev.count);
  // Confusion matrix: rows are the true class, columns the prediction.
  std::printf("confusion (row = true, column = predicted):\n      ");
  for (int c = 0; c < ev.classes; ++c) std::printf("%6d", m.class_labels[c]);
  std::printf("\n");
  for (int r = 0; r < ev.classes; ++r) {
    std::printf("%6d", m.class_labels[r]);
    for (int c = 0; c < ev.classes; ++c) std::printf("%6d", ev.confusion[r * ev.classes + c]);
    std::printf("\n");
  }
  return 0;
}

int predict_main(const Words& words) {
  Args a("predict", words,
         {{"model-file", true}, {"data", true}, {"index", true}, {"count", true}, {"threads", true},
          {"show", false}});
  Loaded m = load_model_and_data(a);
  const Dataset& test = m.data.test;
  const int index = static_cast<int>(a.integer("index", 0, 0, test.count() - 1));
  const int count = static_cast<int>(a.integer("count", 1, 1, test.count() - index));
  const int classes = m.net.num_classes();
  const size_t pixels = static_cast<size_t>(test.rows) * test.cols;
  std::vector<float> image(pixels), probs(static_cast<size_t>(classes));
  std::mt19937_64 unused_rng(0);
  for (int i = index; i < index + count; ++i) {
    uint8_t label;
    gather_batch(test, &i, 1, image.data(), &label, AugmentOptions{}, unused_rng);
    m.net.predict(image.data(), 1, probs.data());
    const int pred = static_cast<int>(std::max_element(probs.begin(), probs.end()) - probs.begin());
    if (count == 1) {
      if (a.has("show")) print_image(test.image(i), test.rows, test.cols);
      for (int c = 0; c < classes; ++c) {
        std::printf("  %d: %.4f%s\n", m.class_labels[c], static_cast<double>(probs[c]), c == pred ? "  <" : "");
      }
    }
    // The report's format: "pred: 9, true: 7".
    std::printf("pred: %d, true: %d\n", m.class_labels[pred], m.class_labels[label]);
  }
  return 0;
}

}  // namespace sn::cli
