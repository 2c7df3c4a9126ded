// `nn eval` and `nn predict`: load a saved model and run it on the test set of an IDX folder.
#include <cstdio>
#include <string>
#include <vector>

#include "args.h"
#include "commands.h"
#include "common.h"
#include "scratchnet/error.h"
#include "scratchnet/session.h"

namespace sn::cli {

namespace {

// The model and the test images it was trained for: the file's class labels say which labels
// it knows (all ten for most; {0, 1} or {3, 8} for cnn-binary), and the test set is reduced to
// those.
void load_model_and_data(Session& session, const Args& a) {
  const auto path = a.maybe("model-file");
  if (!path) throw UsageError("missing --model-file FILE (written by nn train --save)");
  const std::vector<uint8_t> bytes = read_bytes(*path);
  try {
    session.load(bytes.data(), bytes.size());
  } catch (const FormatError& e) {
    throw FormatError(*path + ": " + e.what());
  }
  session.set_threads(threads_flag(a));
  const std::vector<int> labels = session.class_labels();
  load_data(session, data_dir_or_default(a.str("data", "")), labels, false);
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
  Session session;
  load_model_and_data(session, a);
  const Evaluation ev = session.evaluate(
      false, static_cast<int>(a.integer("batch", kDefaults.eval_batch, kLimits.batch_size)));
  const std::vector<int>& labels = session.class_labels();
  std::printf("model: %s\n", session.network().description().c_str());
  std::printf("test loss %.4f  accuracy %.2f%%  (%d images)\n", ev.loss, ev.accuracy * 100,
              ev.count);
  std::printf("confusion (row = true, column = predicted):\n      ");
  for (int c = 0; c < ev.classes; ++c) std::printf("%6d", labels[c]);
  std::printf("\n");
  for (int r = 0; r < ev.classes; ++r) {
    std::printf("%6d", labels[r]);
    for (int c = 0; c < ev.classes; ++c) std::printf("%6d", ev.confusion[r * ev.classes + c]);
    std::printf("\n");
  }
  return 0;
}

int predict_main(const Words& words) {
  Args a("predict", words,
         {{"model-file", true},
          {"data", true},
          {"index", true},
          {"count", true},
          {"threads", true},
          {"show", false}});
  Session session;
  load_model_and_data(session, a);
  const Dataset& test = session.test_split();
  const int index = static_cast<int>(a.integer("index", 0, 0, test.count() - 1));
  const int count = static_cast<int>(a.integer("count", 1, 1, test.count() - index));
  std::vector<int> indices(count);
  for (int i = 0; i < count; ++i) indices[i] = index + i;
  const Predictions p = session.predict_test(indices);
  const std::vector<int>& labels = session.class_labels();
  for (int i = 0; i < count; ++i) {
    const int pred = p.predicted[i];
    if (count == 1) {
      if (a.has("show")) print_image(test.image(index), test.rows, test.cols);
      for (int c = 0; c < p.classes; ++c) {
        std::printf("  %d: %.4f%s\n", labels[c], static_cast<double>(p.probabilities[c]),
                    c == pred ? "  <" : "");
      }
    }
    // The report's format: "pred: 9, true: 7".
    std::printf("pred: %d, true: %d\n", labels[pred], labels[test.labels[index + i]]);
  }
  return 0;
}

}  // namespace sn::cli
