// Evaluation and prediction: images gathered from a data set in batches (the last one shorter),
// run forward in inference mode, and classified by the one prediction rule.
#include <algorithm>
#include <random>
#include <string>

#include "model/compatible.h"
#include "scratchnet/error.h"
#include "scratchnet/session.h"

namespace sn {

int predicted_class(const float* probabilities, int classes) {
  int best = 0;
  for (int j = 1; j < classes; ++j) best = probabilities[j] > probabilities[best] ? j : best;
  return best;
}

namespace {

void check_indices(const Dataset& data, const std::vector<int>& indices) {
  for (int i : indices) {
    if (i < 0 || i >= data.count()) {
      throw Error("index " + std::to_string(i) + " is outside the data set (0.." +
                  std::to_string(data.count() - 1) + ")");
    }
  }
}

// Calls run(images, labels, n, first) for consecutive batches of at most `batch` of the
// images at indices[0..count), as floats in [0, 1] without augmentation.
template <class Run>
void for_each_batch(const Dataset& data, const int* indices, int count, int batch, Run run) {
  batch = std::clamp(std::min(batch, count), 1, 4096);
  std::vector<float> images(static_cast<size_t>(batch) * data.rows * data.cols);
  std::vector<uint8_t> labels(batch);
  std::mt19937_64 unused_rng(0);  // augmentation is off: no random draws
  for (int first = 0; first < count; first += batch) {
    const int n = std::min(batch, count - first);
    gather_batch(data, indices + first, n, images.data(), labels.data(), AugmentOptions{},
                 unused_rng);
    run(images.data(), labels.data(), n, first);
  }
}

}  // namespace

Evaluation evaluate(Network& net, const Dataset& data, int batch_size) {
  check_compatible(net, data, "evaluation");
  Evaluation ev;
  ev.classes = net.num_classes();
  ev.count = data.count();
  ev.confusion.assign(size_t(ev.classes) * ev.classes, 0);
  ev.predicted.resize(data.count());
  if (data.count() == 0) return ev;
  std::vector<int> all(data.count());
  for (int i = 0; i < data.count(); ++i) all[i] = i;
  double loss_sum = 0.0;
  int64_t correct = 0;
  for_each_batch(data, all.data(), data.count(), batch_size,
                 [&](const float* images, const uint8_t* labels, int n, int first) {
                   loss_sum += double(net.loss_and_predict(images, labels, n, nullptr)) * n;
                   for (int i = 0; i < n; ++i) {
                     const int predicted = net.last_prediction(i);
                     ev.predicted[first + i] = predicted;
                     correct += predicted == labels[i] ? 1 : 0;
                     ++ev.confusion[size_t(labels[i]) * ev.classes + predicted];
                   }
                 });
  ev.loss = loss_sum / data.count();
  ev.accuracy = double(correct) / data.count();
  return ev;
}

Predictions predict_images(Network& net, const Dataset& data, const std::vector<int>& indices,
                           int batch) {
  check_indices(data, indices);
  const auto in = net.input_shape();
  if (in[0] != data.rows || in[1] != data.cols || in[2] != 1)
    check_compatible(net, data, "prediction");
  Predictions out;
  out.classes = net.num_classes();
  out.probabilities.resize(indices.size() * out.classes);
  out.predicted.resize(indices.size());
  for_each_batch(
      data, indices.data(), static_cast<int>(indices.size()), batch,
      [&](const float* images, const uint8_t*, int n, int first) {
        float* probs = out.probabilities.data() + static_cast<size_t>(first) * out.classes;
        net.predict(images, n, probs);
        for (int i = 0; i < n; ++i) {
          out.predicted[first + i] = predicted_class(probs + i * out.classes, out.classes);
        }
      });
  return out;
}

std::vector<uint8_t> images_at(const Dataset& data, const std::vector<int>& indices) {
  check_indices(data, indices);
  const size_t size = static_cast<size_t>(data.rows) * data.cols;
  std::vector<uint8_t> out(indices.size() * size);
  for (size_t i = 0; i < indices.size(); ++i)
    std::copy_n(data.image(indices[i]), size, out.data() + i * size);
  return out;
}

std::vector<int> labels_at(const Dataset& data, const std::vector<int>& indices) {
  check_indices(data, indices);
  std::vector<int> out(indices.size());
  for (size_t i = 0; i < indices.size(); ++i) out[i] = data.labels[indices[i]];
  return out;
}

Evaluation Session::evaluate(bool on_train, int batch) const {
  return sn::evaluate(network(), on_train ? train_split() : test_split(), batch);
}

Predictions Session::predict(const float* image, size_t values) const {
  Network& net = network();
  check_image(values);
  Predictions out;
  out.classes = net.num_classes();
  out.probabilities.resize(out.classes);
  net.predict(image, 1, out.probabilities.data());
  out.predicted = {predicted_class(out.probabilities.data(), out.classes)};
  return out;
}

Predictions Session::predict_test(const std::vector<int>& indices) const {
  Network& net = network();
  return predict_images(net, test_split(), indices);
}

std::vector<Activation> Session::activations(const float* image, size_t values) const {
  Network& net = network();
  check_image(values);
  return net.activations(image);
}

std::vector<uint8_t> Session::test_images(const std::vector<int>& indices) const {
  return images_at(test_split(), indices);
}

std::vector<int> Session::test_classes() const {
  const Dataset& test = test_split();
  return std::vector<int>(test.labels.begin(), test.labels.end());
}

void Session::check_image(size_t values) const {
  const auto shape = network().input_shape();
  const size_t want = static_cast<size_t>(shape[0]) * shape[1] * shape[2];
  if (values != want) {
    throw Error("expected an image of " + std::to_string(want) + " values (" +
                std::to_string(shape[0]) + "x" + std::to_string(shape[1]) + "), got " +
                std::to_string(values));
  }
}

}  // namespace sn
