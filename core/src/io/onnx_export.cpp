// ONNX export (scratchnet/onnx.h): the network's layers, in order, as ONNX operators.
//
// Layout. The engine's activations are NHWC, so one sample's values are a flat run of h*w*c
// floats in (y, x, c) order; flatten and reshape only relabel that run. ONNX convolutions and
// pools want NCHW, and ONNX Flatten of an NCHW tensor gives (c, y, x) order: channel-major.
// Every ONNX value therefore carries the (h, w, c) its values are ordered by: an NCHW tensor
// or a flattened one in channel-major order over `order`. That order differs from the engine's
// only when c > 1 and h*w > 1. The common "conv ... | flatten | dense" becomes Flatten + Gemm
// with the dense weight rows permuted to channel-major; Transpose nodes appear only where the
// engine's order itself is needed (a reshape between spatial layers, a spatial output).
#include <algorithm>
#include <cstring>
#include <set>
#include <string>
#include <vector>

#include "io/onnx_proto.h"
#include "layers/batchnorm.h"
#include "layers/layer.h"
#include "scratchnet/error.h"
#include "scratchnet/network.h"
#include "scratchnet/onnx.h"

namespace sn {

namespace {

using onnx::Message;

// An ONNX value: rank 4 (N, c, h, w) or rank 2 (N, h*w*c), values in channel-major order over
// `order` (which for rank 4 is its shape).
struct Value {
  std::string name;
  bool rank4;
  Dims order;
  // True when channel-major order over `order` is not the engine's (y, x, c) order.
  bool permuted() const { return order.c > 1 && int64_t(order.h) * order.w > 1; }
};

struct Node {
  std::string op;
  std::vector<std::string> inputs, outputs;
  std::vector<Message> attributes;
};

class Graph {
 public:
  std::vector<Node> nodes;
  std::vector<Message> initializers;

  // A new value name "base", "base_2", ... (names must be unique in the graph).
  std::string fresh(const std::string& base) {
    std::string name = base;
    for (int k = 2; used_.count(name); ++k) name = base + "_" + std::to_string(k);
    used_.insert(name);
    return name;
  }

  std::string add(const std::string& op, std::vector<std::string> inputs, const std::string& out,
                  std::vector<Message> attributes = {}) {
    const std::string name = fresh(out);
    nodes.push_back(Node{op, std::move(inputs), {name}, std::move(attributes)});
    return name;
  }

  std::string constant(const std::string& base, const std::vector<int64_t>& dims,
                       const std::vector<float>& values) {
    const std::string name = fresh(base);
    initializers.push_back(onnx::float_tensor(name, dims, values));
    return name;
  }

  // A 1-D int64 initializer holding a Reshape target shape; -1 is the batch.
  std::string shape(const std::vector<int64_t>& dims) {
    const std::string name = fresh("shape");
    initializers.push_back(onnx::int64_tensor(name, dims));
    return name;
  }

  // (N, h*w*c) in the engine's (y, x, c) order.
  Value engine_flat(const Value& v) {
    const Dims d = v.order;
    const Dims flat{1, 1, static_cast<int>(d.size())};
    if (!v.permuted()) {
      if (!v.rank4) return Value{v.name, false, flat};
      return Value{add("Flatten", {v.name}, v.name + "_flat", {onnx::int_attribute("axis", 1)}),
                   false, flat};
    }
    std::string x = v.name;
    if (!v.rank4) x = add("Reshape", {x, shape({-1, d.c, d.h, d.w})}, v.name + "_nchw");
    x = add("Transpose", {x}, v.name + "_nhwc", {onnx::ints_attribute("perm", {0, 2, 3, 1})});
    return Value{add("Flatten", {x}, v.name + "_flat", {onnx::int_attribute("axis", 1)}), false,
                 flat};
  }

  // (N, d.c, d.h, d.w) for the engine's current shape d.
  Value nchw(const Value& v, Dims d) {
    if (v.rank4 && v.order == d) return v;
    const Value flat = engine_flat(v);
    const Value want{"", true, d};
    if (!want.permuted()) {
      return Value{add("Reshape", {flat.name, shape({-1, d.c, d.h, d.w})}, v.name + "_nchw"), true,
                   d};
    }
    const std::string x = add("Reshape", {flat.name, shape({-1, d.h, d.w, d.c})}, v.name + "_nhwc");
    return Value{
        add("Transpose", {x}, v.name + "_nchw", {onnx::ints_attribute("perm", {0, 3, 1, 2})}), true,
        d};
  }

  // Rank 2, same order (Flatten of an NCHW tensor is channel-major); `out` names the result.
  Value rank2(const Value& v, const std::string& out = "") {
    if (!v.rank4) return v;
    return Value{add("Flatten", {v.name}, out.empty() ? v.name + "_flat" : out,
                     {onnx::int_attribute("axis", 1)}),
                 false, v.order};
  }

 private:
  std::set<std::string> used_;
};

[[noreturn]] void fail_layer(const LayerSpec& spec, const std::string& what) {
  throw Error("layer " + std::to_string(spec.segment) + " '" + spec.text + "': " + what);
}

// Takes the next parameter tensor, checking it is the one this layer owns.
const ParameterView& next_param(const std::vector<ParameterView>& params, size_t* at,
                                const LayerSpec& spec, const char* name, int64_t size) {
  if (*at >= params.size() || params[*at].segment != spec.segment || params[*at].name != name ||
      static_cast<int64_t>(params[*at].values.size()) != size) {
    fail_layer(spec,
               std::string("ONNX export: its ") + name + " is not where the network lists it");
  }
  return params[(*at)++];
}

// Dense: Gemm(x, W, b) with x flattened; when x is in channel-major order over (h, w, c), row
// (c, y, x) of the ONNX weight is the engine's row (y, x, c).
Value dense(Graph& g, const Value& in, const LayerSpec& spec, const std::string& base,
            const std::vector<ParameterView>& params, size_t* at) {
  const Value x = g.rank2(in);
  const Dims d = x.order;
  const int64_t fin = d.size(), fout = spec.units;
  const ParameterView& w = next_param(params, at, spec, "weight", fin * fout);
  const ParameterView& b = next_param(params, at, spec, "bias", fout);
  std::vector<float> weight(w.values.size());
  for (int y = 0; y < d.h; ++y) {
    for (int xx = 0; xx < d.w; ++xx) {
      for (int c = 0; c < d.c; ++c) {
        const int64_t engine_row = (int64_t(y) * d.w + xx) * d.c + c;
        const int64_t onnx_row = x.permuted() ? (int64_t(c) * d.h + y) * d.w + xx : engine_row;
        std::memcpy(&weight[onnx_row * fout], &w.values[engine_row * fout], fout * sizeof(float));
      }
    }
  }
  const std::string wn = g.constant(base + "_weight", {fin, fout}, weight);
  const std::string bn = g.constant(base + "_bias", {fout}, b.values);
  return Value{g.add("Gemm", {x.name, wn, bn}, base), false, Dims{1, 1, static_cast<int>(fout)}};
}

// Conv: engine weight (KH, KW, Cin, Cout) -> ONNX (Cout, Cin, KH, KW); "same" padding as the
// engine pads (total (OH - 1) * stride + KH - H, the odd pixel at the bottom/right).
Value conv(Graph& g, const Value& in, Dims din, Dims dout, const LayerSpec& spec,
           const std::string& base, const std::vector<ParameterView>& params, size_t* at) {
  const Value x = g.nchw(in, din);
  const int kh = spec.kernel_h, kw = spec.kernel_w, s = spec.stride, cin = din.c, cout = dout.c;
  const ParameterView& w = next_param(params, at, spec, "weight", int64_t(kh) * kw * cin * cout);
  const ParameterView& b = next_param(params, at, spec, "bias", cout);
  std::vector<float> weight(w.values.size());
  for (int ky = 0; ky < kh; ++ky) {
    for (int kx = 0; kx < kw; ++kx) {
      for (int ci = 0; ci < cin; ++ci) {
        for (int co = 0; co < cout; ++co) {
          weight[((int64_t(co) * cin + ci) * kh + ky) * kw + kx] =
              w.values[((int64_t(ky) * kw + kx) * cin + ci) * cout + co];
        }
      }
    }
  }
  int64_t top = 0, left = 0, bottom = 0, right = 0;
  if (spec.same_padding) {
    const int64_t total_h = std::max<int64_t>(int64_t(dout.h - 1) * s + kh - din.h, 0);
    const int64_t total_w = std::max<int64_t>(int64_t(dout.w - 1) * s + kw - din.w, 0);
    top = total_h / 2, bottom = total_h - top;
    left = total_w / 2, right = total_w - left;
  }
  const std::string wn = g.constant(base + "_weight", {cout, cin, kh, kw}, weight);
  const std::string bn = g.constant(base + "_bias", {cout}, b.values);
  const std::string out = g.add(
      "Conv", {x.name, wn, bn}, base,
      {onnx::ints_attribute("kernel_shape", {kh, kw}), onnx::ints_attribute("strides", {s, s}),
       onnx::ints_attribute("pads", {top, left, bottom, right})});
  return Value{out, true, dout};
}

// BatchNorm at inference: BatchNormalization(x, gamma, beta, running mean, running variance)
// over ONNX's axis 1, which is the engine's channel c: NCHW when the input is spatial, else the
// (N, C) values in the engine's own order (after a dense or flatten layer every unit is a
// channel).
Value batchnorm(Graph& g, const Value& in, Dims d, const LayerSpec& spec, const std::string& base,
                const std::vector<ParameterView>& params, size_t* at,
                const std::vector<ParameterView>& state, size_t* state_at, float epsilon) {
  const int64_t c = d.c;
  const Value x = int64_t(d.h) * d.w > 1 ? g.nchw(in, d) : g.engine_flat(in);
  const ParameterView& gamma = next_param(params, at, spec, "gamma", c);
  const ParameterView& beta = next_param(params, at, spec, "beta", c);
  const ParameterView& mean = next_param(state, state_at, spec, "running_mean", c);
  const ParameterView& var = next_param(state, state_at, spec, "running_var", c);
  const std::string out = g.add(
      "BatchNormalization",
      {x.name, g.constant(base + "_scale", {c}, gamma.values),
       g.constant(base + "_bias", {c}, beta.values), g.constant(base + "_mean", {c}, mean.values),
       g.constant(base + "_var", {c}, var.values)},
      base, {onnx::float_attribute("epsilon", epsilon)});
  return Value{out, x.rank4, x.order};
}

}  // namespace

std::vector<uint8_t> export_onnx(const Network& net, const std::vector<int>& class_labels) {
  const ModelSpec& spec = net.spec();
  const std::vector<LayerInfo> layers = net.summary();
  const std::vector<ParameterView> params = net.parameters();
  const std::vector<ParameterView> state = net.state();
  if (layers.size() != spec.layers.size())
    throw Error("ONNX export: the network's layers do not match its description");
  const auto in_shape = net.input_shape();
  const Dims input{in_shape[0], in_shape[1], in_shape[2]};

  Graph g;
  g.fresh(kOnnxInputName);
  g.fresh(kOnnxOutputName);
  Value v{kOnnxInputName, true, input};
  Dims d = input;
  size_t at = 0, state_at = 0;
  for (size_t i = 0; i < spec.layers.size(); ++i) {
    const LayerSpec& l = spec.layers[i];
    const Dims out{layers[i].output_shape[0], layers[i].output_shape[1], layers[i].output_shape[2]};
    const std::string base = "layer" + std::to_string(l.segment) + "_" + layers[i].kind;
    switch (l.kind) {
      case LayerKind::Dense:
        v = dense(g, v, l, base, params, &at);
        break;
      case LayerKind::Conv:
        v = conv(g, v, d, out, l, base, params, &at);
        break;
      case LayerKind::MaxPool: {
        const Value x = g.nchw(v, d);
        v = Value{g.add("MaxPool", {x.name}, base,
                        {onnx::ints_attribute("kernel_shape", {l.pool, l.pool}),
                         onnx::ints_attribute("strides", {l.stride, l.stride})}),
                  true, out};
        break;
      }
      // Flatten and reshape relabel the engine's shape; the values stay where they are, and the
      // next layer asks for the layout it needs (nchw(), rank2(), engine_flat()).
      case LayerKind::BatchNorm:
        v = batchnorm(g, v, d, l, base, params, &at, state, &state_at, BatchNorm::kEpsilon);
        break;
      case LayerKind::Flatten:
        v = g.rank2(v, base);
        break;
      case LayerKind::Reshape:
        break;
      case LayerKind::Dropout:
        break;  // identity at inference
      case LayerKind::ReLU:
        v.name = g.add("Relu", {v.name}, base);
        break;
      case LayerKind::Sigmoid:
        v.name = g.add("Sigmoid", {v.name}, base);
        break;
      case LayerKind::Tanh:
        v.name = g.add("Tanh", {v.name}, base);
        break;
      case LayerKind::Softmax: {
        // The engine's softmax spans all of a sample's values: any order of them gives the
        // same probabilities in the same places.
        v = g.rank2(v);
        v.name = g.add("Softmax", {v.name}, base, {onnx::int_attribute("axis", 1)});
        break;
      }
      default:
        fail_layer(l, "ONNX export does not support this layer");
    }
    d = out;
  }
  if (state_at != state.size()) throw Error("ONNX export: the network has state no layer used");
  if (at != params.size()) throw Error("ONNX export: the network has parameters no layer used");

  // The output in the engine's order; a 1-unit output p becomes {1 - p, p} as predict() writes.
  v = g.engine_flat(v);
  std::string result = v.name;
  if (net.num_outputs() == 1) {
    const std::string one = g.constant("one", {}, {1.0f});
    const std::string other = g.add("Sub", {one, v.name}, "class0");
    result = g.add("Concat", {other, v.name}, "binary", {onnx::int_attribute("axis", 1)});
  }
  if (result == kOnnxInputName) {
    result = g.add("Identity", {result}, "output");
  }
  // The last value takes the output's name.
  for (Node& n : g.nodes) {
    for (std::string& name : n.outputs) name = name == result ? kOnnxOutputName : name;
    for (std::string& name : n.inputs) name = name == result ? kOnnxOutputName : name;
  }

  Message graph;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node& n = g.nodes[i];
    graph.message(1, onnx::node(n.op, n.inputs, n.outputs, n.outputs[0], n.attributes));
  }
  graph.string(2, "scratchnet");
  for (const Message& t : g.initializers) graph.message(5, t);
  graph.string(10, net.description());
  graph.message(11, onnx::float_value_info(kOnnxInputName, {-1, input.c, input.h, input.w}, "N"));
  graph.message(12, onnx::float_value_info(kOnnxOutputName, {-1, net.num_classes()}, "N"));

  std::string labels;
  for (size_t i = 0; i < class_labels.size(); ++i) {
    if (i) labels += ',';
    labels += std::to_string(class_labels[i]);
  }

  // ModelProto: ir_version = 1, producer_name = 2, graph = 7, opset_import = 8,
  // metadata_props = 14.
  Message model;
  model.varint(1, kOnnxIrVersion);
  model.string(2, "ScratchNet");
  model.message(7, graph);
  model.message(8, onnx::opset(kOnnxOpset));
  model.message(14, onnx::string_entry("description", net.description()));
  if (!labels.empty()) model.message(14, onnx::string_entry("class_labels", labels));
  model.message(14, onnx::string_entry("input", "NCHW float32, pixels 0..1"));
  // Protobuf messages are limited to 2 GiB.
  if (model.size() >= (size_t(1) << 31)) {
    throw LimitError("ONNX export: the model is " + std::to_string(model.size() >> 20) +
                     " MiB, over protobuf's 2 GiB limit for one file");
  }
  return model.take();
}

}  // namespace sn
