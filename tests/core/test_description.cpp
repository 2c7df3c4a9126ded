// The description language: grammar, canonical text, error messages, limits and presets.
#include <gtest/gtest.h>

#include <string>
#include <tuple>

#include "scratchnet/description.h"
#include "scratchnet/error.h"

namespace sn {
namespace {

// The message of the DescriptionError that parsing `text` throws ("" when it does not throw).
std::string error_of(const std::string& text) {
  try {
    parse_description(text);
  } catch (const DescriptionError& e) {
    return e.what();
  }
  return "";
}

// What parsing sets in a layer spec (all but its text), as one comparable tuple.
auto parsed_fields(const LayerSpec& s) {
  return std::tie(s.kind, s.segment, s.units, s.filters, s.kernel_h, s.kernel_w, s.stride,
                  s.same_padding, s.pool, s.rate, s.shape_h, s.shape_w, s.shape_c);
}

void expect_same(const ModelSpec& a, const ModelSpec& b) {
  ASSERT_EQ(a.layers.size(), b.layers.size());
  EXPECT_EQ(a.loss, b.loss);
  EXPECT_EQ(a.loss_given, b.loss_given);
  for (size_t i = 0; i < a.layers.size(); ++i) {
    EXPECT_TRUE(parsed_fields(a.layers[i]) == parsed_fields(b.layers[i])) << "layer " << i;
  }
}

// A conv layer with `filters` kernels of kh x kw, moved by `stride`, with same or valid padding.
void expect_conv(const LayerSpec& l, int filters, int kh, int kw, int stride, bool same) {
  EXPECT_EQ(l.kind, LayerKind::Conv);
  EXPECT_EQ(std::tie(l.filters, l.kernel_h, l.kernel_w, l.stride, l.same_padding),
            std::tie(filters, kh, kw, stride, same))
      << l.text;
}

// A max-pooling layer over pool x pool windows moved by `stride`, in segment `segment`.
void expect_pool(const LayerSpec& l, int pool, int stride, int segment) {
  EXPECT_EQ(l.kind, LayerKind::MaxPool);
  EXPECT_EQ(std::tie(l.pool, l.stride, l.segment), std::tie(pool, stride, segment)) << l.text;
}

TEST(Description, ParsesLenet) {
  ModelSpec s = parse_description(
      "conv 8 5x5 relu | maxpool 2 | conv 16 5x5 relu | maxpool 2 | flatten | dense 10 softmax");
  ASSERT_EQ(s.layers.size(), 9u);
  expect_conv(s.layers[0], 8, 5, 5, 1, false);
  EXPECT_EQ(s.layers[1].kind, LayerKind::ReLU);
  EXPECT_EQ(s.layers[1].segment, 1);  // the trailing activation keeps its segment number
  EXPECT_EQ(s.layers[1].text, "conv 8 5x5 relu");
  expect_pool(s.layers[2], 2, 2, 2);
  EXPECT_EQ(s.layers[6].kind, LayerKind::Flatten);
  EXPECT_EQ(s.layers[7].kind, LayerKind::Dense);
  EXPECT_EQ(s.layers[7].units, 10);
  EXPECT_EQ(s.layers[8].kind, LayerKind::Softmax);
  EXPECT_EQ(s.loss, LossKind::CrossEntropy);
  EXPECT_FALSE(s.loss_given);
}

TEST(Description, CaseInsensitiveAndSpacing) {
  ModelSpec s = parse_description("  CONV 4 3 Stride 2 SAME Tanh|DENSE 1   sigmoid  ");
  ASSERT_EQ(s.layers.size(), 4u);
  expect_conv(s.layers[0], 4, 3, 3, 2, true);  // "3" alone means 3x3
  EXPECT_EQ(s.layers[1].kind, LayerKind::Tanh);
  EXPECT_EQ(s.layers[0].text, "CONV 4 3 Stride 2 SAME Tanh");
  EXPECT_EQ(s.loss, LossKind::BinaryCrossEntropy);  // 1-unit sigmoid output
}

TEST(Description, OtherLayers) {
  ModelSpec s = parse_description(
      "reshape 28x28x1 | conv 2 3x5 valid | maxpool 3 stride 2 | relu | dropout 0.25 | "
      "dense 3 | loss mse");
  ASSERT_EQ(s.layers.size(), 6u);
  EXPECT_EQ(s.layers[0].kind, LayerKind::Reshape);
  EXPECT_EQ(s.layers[0].shape_h, 28);
  EXPECT_EQ(s.layers[0].shape_c, 1);
  expect_conv(s.layers[1], 2, 3, 5, 1, false);
  expect_pool(s.layers[2], 3, 2, 3);
  EXPECT_EQ(s.layers[3].kind, LayerKind::ReLU);
  EXPECT_EQ(s.layers[3].segment, 4);
  EXPECT_FLOAT_EQ(s.layers[4].rate, 0.25f);
  EXPECT_EQ(s.loss, LossKind::MSE);
  EXPECT_TRUE(s.loss_given);
}

TEST(Description, InferredLoss) {
  EXPECT_EQ(parse_description("dense 10 softmax").loss, LossKind::CrossEntropy);
  EXPECT_EQ(parse_description("dense 1 sigmoid").loss, LossKind::BinaryCrossEntropy);
  EXPECT_EQ(parse_description("dense 10 sigmoid").loss, LossKind::MSE);
  EXPECT_EQ(parse_description("dense 10 tanh").loss, LossKind::MSE);
  EXPECT_EQ(parse_description("dense 10 | loss xent").loss, LossKind::CrossEntropy);
}

TEST(Description, ErrorsNameTheSegment) {
  EXPECT_EQ(error_of("dense 10 relu | flatten | conv 16 5y5"),
            "layer 3 'conv 16 5y5': expected a kernel size like 5x5, got '5y5'");
  std::string e = error_of("dense 10 | dens 5");
  EXPECT_NE(e.find("layer 2 'dens 5'"), std::string::npos) << e;
  EXPECT_NE(e.find("did you mean 'dense'"), std::string::npos) << e;
  e = error_of("dense 10 relux");
  EXPECT_NE(e.find("did you mean 'relu'"), std::string::npos) << e;
  EXPECT_NE(e.find("sigmoid"), std::string::npos) << e;  // lists the valid words
  e = error_of("dense 10 | loss cross");
  EXPECT_NE(e.find("mse, bce or xent"), std::string::npos) << e;
  EXPECT_NE(error_of("dense abc").find("expected units, got 'abc'"), std::string::npos);
  EXPECT_NE(error_of("dense 0").find("at least 1"), std::string::npos);
  EXPECT_NE(error_of("dense -3").find("got '-3'"), std::string::npos);
  EXPECT_NE(error_of("dropout 1").find("[0, 1)"), std::string::npos);
  EXPECT_NE(error_of("dropout x").find("dropout rate"), std::string::npos);
  EXPECT_NE(error_of("loss mse | dense 10").find("last segment"), std::string::npos);
  EXPECT_NE(error_of("loss mse").find("no layers"), std::string::npos);
  EXPECT_NE(error_of("").find("empty"), std::string::npos);
  EXPECT_NE(error_of("dense 10 ||dense 2").find("layer 2 '': empty segment"), std::string::npos);
  EXPECT_NE(error_of("dense 10 |").find("empty segment"), std::string::npos);
  EXPECT_NE(error_of("flatten 3").find("unexpected '3'"), std::string::npos);
  EXPECT_NE(error_of("conv 8 5x5 stride").find("after 'stride'"), std::string::npos);
  EXPECT_NE(error_of("conv 8 5x5 same valid").find("twice"), std::string::npos);
  EXPECT_NE(error_of("reshape 28x28").find("28x28x1"), std::string::npos);
}

TEST(Description, LimitsAreEnforcedWithTheLimitInTheMessage) {
  EXPECT_NE(error_of("dense 16385").find("16384"), std::string::npos);
  EXPECT_NO_THROW(parse_description("dense 16384"));
  EXPECT_NE(error_of("conv 1025 3x3").find("1024"), std::string::npos);
  EXPECT_NE(error_of("conv 8 65x3").find("64"), std::string::npos);
  EXPECT_NE(error_of("dense 99999999999999999999999").find("16384"), std::string::npos);
  std::string many = "relu";
  for (int i = 1; i < kMaxSegments; ++i) many += " | relu";
  EXPECT_NO_THROW(parse_description(many));
  many += " | relu";
  EXPECT_NE(error_of(many).find("limit is 64"), std::string::npos);
  EXPECT_NE(error_of(std::string(100000, 'a')).find("limit"), std::string::npos);
}

TEST(Description, CanonicalTextRoundTrips) {
  const char* texts[] = {
      "conv 8 5x5 relu | maxpool 2 | conv 16 5x5 relu | maxpool 2 | flatten | dense 10 softmax",
      "CONV 4 3 stride 2 same tanh | dense 1 sigmoid",
      "reshape 28x28x1 | conv 2 3x5 | maxpool 3 stride 2 | relu | dropout 0.3 | dense 3 | loss mse",
      "dense 10 | softmax | loss xent",
      "dropout 0.1 | dropout 0 | dense 5 tanh",
  };
  for (const char* t : texts) {
    ModelSpec a = parse_description(t);
    std::string canonical = to_description(a);
    ModelSpec b = parse_description(canonical);
    expect_same(a, b);
    EXPECT_EQ(to_description(b), canonical);
  }
  EXPECT_EQ(to_description(parse_description("CONV 4 3 Stride 2 SAME Tanh|DENSE 1 sigmoid")),
            "conv 4 3x3 stride 2 same tanh | dense 1 sigmoid");
  EXPECT_EQ(to_description(parse_description("dense 10 | softmax")), "dense 10 | softmax");
  EXPECT_EQ(to_description(parse_description("dropout 0.3 | dense 1")), "dropout 0.3 | dense 1");
  // Tiny rates need many places in fixed notation (found by fuzz_description).
  for (const char* tiny :
       {"dropout 0.0000000001", "dropout 0.00000000000000000000000000000000000000000001",
        "dropout 0.99999994"}) {
    ModelSpec a = parse_description(tiny);
    expect_same(a, parse_description(to_description(a)));
  }
}

TEST(Description, PresetsParseAndResolve) {
  ASSERT_GE(presets().size(), 6u);
  const char* names[] = {"mlp-mse", "cnn-binary", "cnn-full", "mlp", "lenet", "cnn-deep"};
  for (const char* n : names) {
    std::string d = resolve_preset(n);
    EXPECT_NE(d, n) << n;
    EXPECT_NO_THROW(parse_description(d)) << n;
  }
  EXPECT_EQ(resolve_preset(" LeNet "), resolve_preset("lenet"));
  EXPECT_EQ(resolve_preset("dense 10 softmax"), "dense 10 softmax");
  for (const Preset& p : presets()) {
    // Presets are written in canonical form, so the page shows exactly what the engine uses.
    EXPECT_EQ(to_description(parse_description(p.description)), p.description) << p.name;
    EXPECT_FALSE(p.summary.empty());
    EXPECT_EQ(p.two_class, p.name == "cnn-binary");
  }
  EXPECT_EQ(parse_description(resolve_preset("mlp-mse")).loss, LossKind::MSE);
  EXPECT_EQ(parse_description(resolve_preset("cnn-binary")).loss, LossKind::BinaryCrossEntropy);
  EXPECT_EQ(parse_description(resolve_preset("cnn-full")).loss, LossKind::CrossEntropy);
  EXPECT_STREQ(loss_name(LossKind::BinaryCrossEntropy), "bce");
}

}  // namespace
}  // namespace sn
