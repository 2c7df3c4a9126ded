#pragma once
// Every failure the engine reports is one of these, with a message written for a person.
// The bindings turn them into JavaScript exceptions; the CLI prints what() on one line.
#include <stdexcept>
#include <string>

namespace sn {

struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};
// A model description that cannot be parsed or whose shapes do not fit.
struct DescriptionError : Error {
  using Error::Error;
};
// Bytes from outside (IDX files, model files) that are malformed, truncated or too large.
struct FormatError : Error {
  using Error::Error;
};
// A loss that became NaN or infinite during training.
struct DivergenceError : Error {
  using Error::Error;
};
// A request that would exceed a stated resource limit (layer size, data set size, ...).
struct LimitError : Error {
  using Error::Error;
};
// A call that is not valid in the current state (predict before a model is built, ...).
struct StateError : Error {
  using Error::Error;
};

// The kind of an error as its class name, for programs that report it by kind (the bindings'
// Error.name): "DescriptionError", "FormatError", "DivergenceError", "LimitError", "StateError",
// else "EngineError".
const char* error_name(const std::exception& e);

}  // namespace sn
