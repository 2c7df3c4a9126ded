#pragma once
// Copying between JavaScript values and engine types, and the error boundary. No logic here.
#include <emscripten/val.h>

#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <string>
#include <vector>

#include "scratchnet/error.h"

namespace snjs {

using emscripten::val;

// A JS array-like of numbers (typed or plain) as a vector: TypedArray.set converts and copies.
template <class T>
std::vector<T> to_vector(const val& array) {
  std::vector<T> out(array["length"].as<size_t>());
  if (!out.empty()) val(emscripten::typed_memory_view(out.size(), out.data())).call<void>("set", array);
  return out;
}
// A fresh typed array holding a copy: a view into wasm memory goes stale when memory grows, and
// in the threads build it would be a SharedArrayBuffer view that cannot be transferred.
template <class T>
val typed(const std::vector<T>& v) {
  const char* type = sizeof(T) == 1 ? "Uint8Array" : std::is_same_v<T, float> ? "Float32Array" : "Int32Array";
  return val::global(type).new_(emscripten::typed_memory_view(v.size(), v.data()));
}
template <class T>
val numbers(const T& v) {  // a plain array
  val out = val::array();
  for (const auto& x : v) out.call<void>("push", static_cast<double>(x));
  return out;
}
inline val object(std::initializer_list<std::pair<const char*, val>> fields) {
  val out = val::object();
  for (const auto& [key, value] : fields) out.set(key, value);
  return out;
}
inline val str(const char* s) { return val(std::string(s)); }
// The shortest decimal that is the same float: a setting of 0.002f reads 0.002 in JavaScript
// (not 0.0020000000949949026) and becomes the same float again when it is passed back.
inline val decimal(float f) {
  char text[32];
  for (int digits = 1; digits <= 9; ++digits) {
    std::snprintf(text, sizeof text, "%.*g", digits, double(f));
    if (std::strtof(text, nullptr) == f) break;
  }
  return val(std::strtod(text, nullptr));
}
inline bool given(const val& v) { return !v.isUndefined() && !v.isNull(); }
template <class T>
T option(const val& options, const char* key, T fallback) {  // options[key] if given
  const val v = options[key];
  return given(v) ? v.as<T>() : fallback;
}

// Engine errors cross the boundary as *returned* JS Errors (name = the engine's error type);
// throw_errors.js (a --post-js) throws them. Throwing from C++ with val::throw_() would unwind
// through wasm frames without their epilogues (the shadow-stack pointer is not restored) or
// Embind's argument destructors, slowly corrupting a page that validates on every keystroke.
inline val make_error(const char* name, const std::string& message) {
  val error = val::global("Error").new_(message);
  error.set("name", name);
  error.set("scratchnet", true);
  return error;
}
template <class F>
val guarded(F&& body) {
  try {
    return val(body());
  } catch (const sn::DescriptionError& e) {
    return make_error("DescriptionError", e.what());
  } catch (const sn::FormatError& e) {
    return make_error("FormatError", e.what());
  } catch (const sn::DivergenceError& e) {
    return make_error("DivergenceError", e.what());
  } catch (const sn::LimitError& e) {
    return make_error("LimitError", e.what());
  } catch (const sn::StateError& e) {
    return make_error("StateError", e.what());
  } catch (const std::bad_alloc&) {  // ABORTING_MALLOC=0: a failed allocation comes back here
    return make_error("OutOfMemoryError", "out of memory: the model or data set does not fit in the browser's "
                                          "WebAssembly memory (try fewer or smaller layers, or a smaller batch)");
  } catch (const std::exception& e) {
    return make_error("EngineError", e.what());
  }
}

}  // namespace snjs
