// `nn summary` (a model's layers, shapes, parameters and FLOPs) and `nn presets`.
#include <array>
#include <cstdio>
#include <string>

#include "args.h"
#include "commands.h"
#include "scratchnet/description.h"
#include "scratchnet/preset_settings.h"
#include "scratchnet/network.h"

namespace sn::cli {

namespace {

// "28x28x1" -> {28, 28, 1}
std::array<int, 3> parse_shape(const std::string& s) {
  std::array<int, 3> out{};
  int part = 0;
  long v = -1;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == 'x') {
      if (v < 1 || v > 4096 || part > 2)
        throw UsageError("nn summary: --input expects HxWxC like 28x28x1, got '" + s + "'");
      out[part++] = static_cast<int>(v);
      v = -1;
    } else if (s[i] >= '0' && s[i] <= '9') {
      v = (v < 0 ? 0 : v) * 10 + (s[i] - '0');
      if (v > 4096) v = 4097;
    } else {
      throw UsageError("nn summary: --input expects HxWxC like 28x28x1, got '" + s + "'");
    }
  }
  if (part != 3)
    throw UsageError("nn summary: --input expects HxWxC like 28x28x1, got '" + s + "'");
  return out;
}

// 1234567 -> "1,234,567"
std::string grouped(int64_t v) {
  std::string digits = std::to_string(v < 0 ? -v : v), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return v < 0 ? "-" + out : out;
}

}  // namespace

int summary_main(const Words& words) {
  Args a("summary", words, {{"model", true}, {"input", true}});
  const auto model = a.maybe("model");
  if (!model) throw UsageError("nn summary: missing --model PRESET_OR_DESCRIPTION");
  const auto in = parse_shape(a.str("input", "28x28x1"));
  Network net(*model, in[0], in[1], in[2], 1);
  std::printf("model: %s\n", net.description().c_str());
  std::printf("input: %dx%dx%d, loss: %s, classes: %d\n\n", in[0], in[1], in[2],
              loss_name(net.loss()), net.num_classes());
  std::printf("%-4s %-34s %-14s %12s %14s\n", "#", "layer", "output", "params", "FLOPs");
  int previous_segment = -1;
  for (const LayerInfo& l : net.summary()) {
    const std::string shape = std::to_string(l.output_shape[0]) + "x" +
                              std::to_string(l.output_shape[1]) + "x" +
                              std::to_string(l.output_shape[2]);
    // A segment's first layer shows the segment as written; its trailing activation is indented.
    const std::string label = l.segment == previous_segment ? "  + " + l.kind : l.text;
    previous_segment = l.segment;
    std::printf("%-4d %-34.34s %-14s %12s %14s\n", l.segment, label.c_str(), shape.c_str(),
                grouped(l.params).c_str(), grouped(l.flops).c_str());
  }
  std::printf("\ntotal: %s parameters, %s FLOPs per image (forward)\n",
              grouped(net.param_count()).c_str(), grouped(net.flops_per_sample()).c_str());
  return 0;
}

int presets_main(const Words& words) {
  Args a("presets", words, {});
  for (const Preset& p : presets()) {
    std::printf("%-11s %s%s\n            %s\n", p.name.c_str(), p.summary.c_str(),
                p.two_class ? " [two classes]" : "", p.description.c_str());
    if (const PresetSettings* s = preset_settings(p.name)) {
      const TrainOptions& o = s->options;
      std::printf("            trains with %s, lr %g (%s), batch %d, %d epoch%s%s\n",
                  optimizer_name(o.optimizer), double(o.learning_rate),
                  schedule_name(o.schedule.kind), o.batch_size, s->epochs,
                  s->epochs == 1 ? "" : "s", o.augment.enabled ? ", augmented" : "");
    }
  }
  return 0;
}

}  // namespace sn::cli
