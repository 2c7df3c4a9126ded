// The model description language (grammar in scratchnet/description.h): text -> ModelSpec and
// back. Every error names the segment ("layer 3 'conv 16 5y5': ...") so a person can find it.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "description/tokens.h"
#include "scratchnet/description.h"
#include "scratchnet/error.h"

namespace sn {

namespace {

using desc::parse_count;
using desc::parse_decimal;

// Not in the contract header: a guard so a pasted megabyte is refused before it is split.
constexpr size_t kMaxDescriptionChars = 16384;
// Reshape sides: the same bound as an IDX image side; channels as conv filters.
constexpr int kMaxReshapeSide = 1024;

const char* const kLayerWords[] = {"dense", "conv",    "maxpool", "flatten", "reshape",   "dropout",
                                   "relu",  "sigmoid", "tanh",    "softmax", "batchnorm", "loss"};

// Each activation and loss with its word: parsing looks words up here, the canonical text
// writes them from here, and the error messages list them in this order.
template <class Kind>
struct Named {
  Kind kind;
  const char* word;
};
constexpr Named<LayerKind> kActivations[] = {{LayerKind::ReLU, "relu"},
                                             {LayerKind::Sigmoid, "sigmoid"},
                                             {LayerKind::Tanh, "tanh"},
                                             {LayerKind::Softmax, "softmax"}};
constexpr Named<LossKind> kLosses[] = {{LossKind::MSE, "mse"},
                                       {LossKind::BinaryCrossEntropy, "bce"},
                                       {LossKind::CrossEntropy, "xent"}};

const char* word_of(const char* word) { return word; }
template <class Kind>
const char* word_of(const Named<Kind>& named) {
  return named.word;
}

// The word of `kind` in `table`, or nullptr when it has none.
template <class Kind, size_t N>
const char* word_for(const Named<Kind> (&table)[N], Kind kind) {
  for (const Named<Kind>& n : table)
    if (n.kind == kind) return n.word;
  return nullptr;
}

// Sets *kind to the kind `word` names in `table`; false when it names none.
template <class Kind, size_t N>
bool kind_for(const Named<Kind> (&table)[N], const std::string& word, Kind* kind) {
  for (const Named<Kind>& n : table)
    if (word == n.word) return *kind = n.kind, true;
  return false;
}

// One segment being parsed: its tokens, its position, and the error formatter.
struct Segment {
  int number;                      // 1-based
  std::string text;                // as written, trimmed
  std::vector<std::string> words;  // lower-cased

  [[noreturn]] void fail(const std::string& what) const {
    throw DescriptionError("layer " + std::to_string(number) + " '" + text + "': " + what);
  }
};

template <class Word, size_t N>
std::string join_words(const Word (&words)[N]) {
  std::string out;
  for (size_t i = 0; i < N; ++i) {
    if (i) out += (i + 1 == N) ? " or " : ", ";
    out += word_of(words[i]);
  }
  return out;
}

// "unknown layer 'dens'; did you mean 'dense'? (expected one of ...)"
template <class Word, size_t N>
std::string unknown_word(const std::string& kind, const std::string& word, const Word (&valid)[N]) {
  std::string best;
  int best_distance = 3;  // only suggest close matches
  for (const Word& valid_word : valid) {
    const char* v = word_of(valid_word);
    int d = desc::edit_distance(word, v);
    if (d < best_distance) best_distance = d, best = v;
  }
  std::string msg = "unknown " + kind + " '" + word + "'";
  if (!best.empty()) msg += "; did you mean '" + best + "'?";
  return msg + " (expected " + join_words(valid) + ")";
}

bool activation_kind(const std::string& word, LayerKind* kind) {
  return kind_for(kActivations, word, kind);
}

int count_in_range(const Segment& seg, const std::string& word, const char* what, long long lo,
                   long long hi, const char* limit_name) {
  auto v = parse_count(word, hi);
  if (!v) seg.fail(std::string("expected ") + what + ", got '" + word + "'");
  if (*v > hi) {
    seg.fail(word + " " + what + " exceeds the limit of " + std::to_string(hi) + " (" + limit_name +
             ")");
  }
  if (*v < lo)
    seg.fail(std::string(what) + " must be at least " + std::to_string(lo) + ", got " + word);
  return static_cast<int>(*v);
}

// "5x5", "3x5" or "5" -> (h, w).
void parse_kernel(const Segment& seg, const std::string& word, LayerSpec* spec) {
  auto expected = [&] { seg.fail("expected a kernel size like 5x5, got '" + word + "'"); };
  auto x = word.find('x');
  std::string hs = x == std::string::npos ? word : word.substr(0, x);
  std::string ws = x == std::string::npos ? word : word.substr(x + 1);
  auto h = parse_count(hs, kMaxKernel);
  auto w = parse_count(ws, kMaxKernel);
  if (!h || !w) expected();
  if (*h > kMaxKernel || *w > kMaxKernel) {
    seg.fail("kernel " + word + " exceeds the limit of " + std::to_string(kMaxKernel) +
             " (kMaxKernel)");
  }
  if (*h < 1 || *w < 1) seg.fail("kernel sides must be at least 1, got '" + word + "'");
  spec->kernel_h = static_cast<int>(*h);
  spec->kernel_w = static_cast<int>(*w);
}

// Parses "stride S" starting at words[i] == "stride"; returns the index after it.
size_t parse_stride(const Segment& seg, size_t i, bool* seen, LayerSpec* spec) {
  if (*seen) seg.fail("stride given twice");
  *seen = true;
  if (i + 1 >= seg.words.size()) seg.fail("expected a number after 'stride'");
  spec->stride = count_in_range(seg, seg.words[i + 1], "stride", 1, kMaxKernel, "kMaxKernel");
  return i + 2;
}

// An optional activation as word `at`, the segment's last word.
void parse_last_activation(const Segment& seg, size_t at, std::vector<LayerSpec>* out) {
  const auto& w = seg.words;
  if (w.size() > at) {
    LayerKind act;
    if (!activation_kind(w[at], &act)) seg.fail(unknown_word("activation", w[at], kActivations));
    out->push_back(LayerSpec{act, seg.number, seg.text});
  }
  if (w.size() > at + 1) seg.fail("unexpected '" + w[at + 1] + "' after the activation");
}

// dense UNITS [ACT]
void parse_dense(const Segment& seg, std::vector<LayerSpec>* out) {
  const auto& w = seg.words;
  if (w.size() < 2) seg.fail("expected the number of units, like 'dense 10'");
  LayerSpec spec{LayerKind::Dense, seg.number, seg.text};
  spec.units = count_in_range(seg, w[1], "units", 1, kMaxUnits, "kMaxUnits");
  out->push_back(spec);
  parse_last_activation(seg, 2, out);
}

// conv FILTERS KxK [stride S] [same|valid] [ACT]; the optional parts may come in any order.
void parse_conv(const Segment& seg, std::vector<LayerSpec>* out) {
  const auto& w = seg.words;
  if (w.size() < 3) seg.fail("expected filters and a kernel size, like 'conv 8 5x5'");
  LayerSpec spec{LayerKind::Conv, seg.number, seg.text};
  spec.filters = count_in_range(seg, w[1], "filters", 1, kMaxFilters, "kMaxFilters");
  parse_kernel(seg, w[2], &spec);
  bool stride_seen = false, padding_seen = false, act_seen = false;
  LayerKind act = LayerKind::ReLU;
  for (size_t i = 3; i < w.size();) {
    if (w[i] == "stride") {
      i = parse_stride(seg, i, &stride_seen, &spec);
    } else if (w[i] == "same" || w[i] == "valid") {
      if (padding_seen) seg.fail("padding given twice");
      padding_seen = true;
      spec.same_padding = w[i] == "same";
      ++i;
    } else if (activation_kind(w[i], &act)) {
      if (act_seen) seg.fail("activation given twice");
      act_seen = true;
      ++i;
    } else {
      static const char* const kConvOptions[] = {"stride",  "same", "valid",  "relu",
                                                 "sigmoid", "tanh", "softmax"};
      seg.fail(unknown_word("option", w[i], kConvOptions));
    }
  }
  out->push_back(spec);
  if (act_seen) out->push_back(LayerSpec{act, seg.number, seg.text});
}

// maxpool SIZE [stride S]
void parse_maxpool(const Segment& seg, std::vector<LayerSpec>* out) {
  const auto& w = seg.words;
  if (w.size() < 2) seg.fail("expected a pool size, like 'maxpool 2'");
  LayerSpec spec{LayerKind::MaxPool, seg.number, seg.text};
  spec.pool = count_in_range(seg, w[1], "pool size", 1, kMaxKernel, "kMaxKernel");
  spec.stride = spec.pool;
  bool stride_seen = false;
  for (size_t i = 2; i < w.size();) {
    if (w[i] != "stride") seg.fail("unexpected '" + w[i] + "' (expected 'stride S')");
    i = parse_stride(seg, i, &stride_seen, &spec);
  }
  out->push_back(spec);
}

// reshape HxWxC
void parse_reshape(const Segment& seg, std::vector<LayerSpec>* out) {
  const auto& w = seg.words;
  if (w.size() != 2) seg.fail("expected a shape like 'reshape 28x28x1'");
  auto parts = desc::split_on(w[1], 'x');
  if (parts.size() != 3) seg.fail("expected a shape like 28x28x1, got '" + w[1] + "'");
  LayerSpec spec{LayerKind::Reshape, seg.number, seg.text};
  const std::string hs(parts[0]), ws(parts[1]), cs(parts[2]);
  spec.shape_h = count_in_range(seg, hs, "height", 1, kMaxReshapeSide, "1024");
  spec.shape_w = count_in_range(seg, ws, "width", 1, kMaxReshapeSide, "1024");
  spec.shape_c = count_in_range(seg, cs, "channels", 1, kMaxFilters, "kMaxFilters");
  out->push_back(spec);
}

// dropout RATE, 0 <= RATE < 1
void parse_dropout(const Segment& seg, std::vector<LayerSpec>* out) {
  const auto& w = seg.words;
  if (w.size() != 2) seg.fail("expected a rate, like 'dropout 0.25'");
  auto rate = parse_decimal(w[1]);
  if (!rate) seg.fail("expected a dropout rate like 0.25, got '" + w[1] + "'");
  if (!(*rate >= 0.0f && *rate < 1.0f)) seg.fail("dropout rate must be in [0, 1), got " + w[1]);
  LayerSpec spec{LayerKind::Dropout, seg.number, seg.text};
  spec.rate = *rate;
  out->push_back(spec);
}

LossKind parse_loss(const Segment& seg) {
  const auto& w = seg.words;
  if (w.size() != 2) seg.fail("expected 'loss mse', 'loss bce' or 'loss xent'");
  LossKind loss;
  if (kind_for(kLosses, w[1], &loss)) return loss;
  seg.fail(unknown_word("loss", w[1], kLosses));
}

// When no loss is written: softmax output -> xent, a 1-unit sigmoid output -> bce, else mse.
LossKind infer_loss(const std::vector<LayerSpec>& layers) {
  const LayerSpec& last = layers.back();
  if (last.kind == LayerKind::Softmax) return LossKind::CrossEntropy;
  if (last.kind == LayerKind::Sigmoid) {
    // The width of the output is set by the last dense/conv before the sigmoid.
    for (auto it = layers.rbegin(); it != layers.rend(); ++it) {
      if (it->kind == LayerKind::Dense)
        return it->units == 1 ? LossKind::BinaryCrossEntropy : LossKind::MSE;
      if (it->kind == LayerKind::Conv) return LossKind::MSE;
    }
  }
  return LossKind::MSE;
}

}  // namespace

ModelSpec parse_description(const std::string& text) {
  // Segments are counted first (a cheap scan) so "10000 layers" is reported as such, not as
  // a long text.
  const size_t segments = 1 + static_cast<size_t>(std::count(text.begin(), text.end(), '|'));
  if (segments > static_cast<size_t>(kMaxSegments)) {
    throw DescriptionError("the description has " + std::to_string(segments) +
                           " segments; the limit is " + std::to_string(kMaxSegments) +
                           " (kMaxSegments)");
  }
  if (text.size() > kMaxDescriptionChars) {
    throw DescriptionError("the description is " + std::to_string(text.size()) +
                           " characters long; the limit is " +
                           std::to_string(kMaxDescriptionChars));
  }
  auto pieces = desc::split_on(text, '|');
  if (pieces.size() == 1 && desc::trim(pieces[0]).empty()) {
    throw DescriptionError(
        "the description is empty; try e.g. 'dense 128 relu | dense 10 softmax'");
  }

  ModelSpec spec;
  for (size_t i = 0; i < pieces.size(); ++i) {
    Segment seg{static_cast<int>(i + 1), std::string(desc::trim(pieces[i])), {}};
    seg.words = desc::split_words(desc::to_lower(seg.text));
    if (seg.words.empty()) seg.fail("empty segment (two '|' in a row, or one at an end?)");
    const std::string& head = seg.words[0];
    LayerKind act;
    if (head == "dense") {
      parse_dense(seg, &spec.layers);
    } else if (head == "conv") {
      parse_conv(seg, &spec.layers);
    } else if (head == "maxpool") {
      parse_maxpool(seg, &spec.layers);
    } else if (head == "flatten") {
      if (seg.words.size() > 1) seg.fail("unexpected '" + seg.words[1] + "' after 'flatten'");
      spec.layers.push_back(LayerSpec{LayerKind::Flatten, seg.number, seg.text});
    } else if (head == "reshape") {
      parse_reshape(seg, &spec.layers);
    } else if (head == "batchnorm") {  // batchnorm [ACT]
      spec.layers.push_back(LayerSpec{LayerKind::BatchNorm, seg.number, seg.text});
      parse_last_activation(seg, 1, &spec.layers);
    } else if (head == "dropout") {
      parse_dropout(seg, &spec.layers);
    } else if (activation_kind(head, &act)) {
      if (seg.words.size() > 1) seg.fail("unexpected '" + seg.words[1] + "' after '" + head + "'");
      spec.layers.push_back(LayerSpec{act, seg.number, seg.text});
    } else if (head == "loss") {
      if (i + 1 != pieces.size()) seg.fail("the loss must be the last segment");
      spec.loss = parse_loss(seg);
      spec.loss_given = true;
    } else {
      seg.fail(unknown_word("layer", head, kLayerWords));
    }
  }
  if (spec.layers.empty()) throw DescriptionError("the description has no layers, only a loss");
  if (!spec.loss_given) spec.loss = infer_loss(spec.layers);
  return spec;
}

namespace {

const char* activation_word(LayerKind kind) { return word_for(kActivations, kind); }

std::string layer_text(const LayerSpec& l) {
  switch (l.kind) {
    case LayerKind::Dense:
      return "dense " + std::to_string(l.units);
    case LayerKind::Conv: {
      std::string s = "conv " + std::to_string(l.filters) + " " + std::to_string(l.kernel_h) + "x" +
                      std::to_string(l.kernel_w);
      if (l.stride != 1) s += " stride " + std::to_string(l.stride);
      if (l.same_padding) s += " same";
      return s;
    }
    case LayerKind::MaxPool: {
      std::string s = "maxpool " + std::to_string(l.pool);
      if (l.stride != l.pool) s += " stride " + std::to_string(l.stride);
      return s;
    }
    case LayerKind::Flatten:
      return "flatten";
    case LayerKind::Reshape:
      return "reshape " + std::to_string(l.shape_h) + "x" + std::to_string(l.shape_w) + "x" +
             std::to_string(l.shape_c);
    case LayerKind::Dropout:
      return "dropout " + desc::format_decimal(l.rate);
    case LayerKind::BatchNorm:
      return "batchnorm";
    default:
      return activation_word(l.kind);
  }
}

}  // namespace

std::string to_description(const ModelSpec& spec) {
  std::string out;
  const auto& layers = spec.layers;
  for (size_t i = 0; i < layers.size(); ++i) {
    if (!out.empty()) out += " | ";
    out += layer_text(layers[i]);
    // A dense/conv followed by an activation from the same segment was written "dense 10 relu".
    bool has_weights = layers[i].kind == LayerKind::Dense || layers[i].kind == LayerKind::Conv ||
                       layers[i].kind == LayerKind::BatchNorm;
    if (has_weights && i + 1 < layers.size() && activation_word(layers[i + 1].kind) &&
        layers[i + 1].segment == layers[i].segment) {
      out += " ";
      out += activation_word(layers[i + 1].kind);
      ++i;
    }
  }
  if (spec.loss_given) out += std::string(" | loss ") + loss_name(spec.loss);
  return out;
}

const char* loss_name(LossKind loss) {
  const char* word = word_for(kLosses, loss);
  return word ? word : "mse";
}

}  // namespace sn
