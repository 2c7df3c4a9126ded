// The kind of an error by name (scratchnet/error.h).
#include "scratchnet/error.h"

namespace sn {

const char* error_name(const std::exception& e) {
  if (dynamic_cast<const DescriptionError*>(&e)) return "DescriptionError";
  if (dynamic_cast<const FormatError*>(&e)) return "FormatError";
  if (dynamic_cast<const DivergenceError*>(&e)) return "DivergenceError";
  if (dynamic_cast<const LimitError*>(&e)) return "LimitError";
  if (dynamic_cast<const StateError*>(&e)) return "StateError";
  return "EngineError";
}

}  // namespace sn
