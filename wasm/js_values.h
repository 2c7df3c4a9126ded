#pragma once
// Conversions between JavaScript values and engine types for the bindings, and the error
// boundary. No maths here: only copying in and out of wasm memory.
#include <emscripten/val.h>

#include <cstdint>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

#include "scratchnet/error.h"

namespace snjs {

using emscripten::val;

// Copies a JS array-like of numbers (a typed array or a plain array) into a vector.
// TypedArray.prototype.set converts element types and copies in one call.
template <class T>
std::vector<T> to_vector(const val& array) {
  const size_t n = array["length"].as<size_t>();
  std::vector<T> out(n);
  if (n > 0) val(emscripten::typed_memory_view(n, out.data())).call<void>("set", array);
  return out;
}

// A fresh JS typed array holding a copy of [data, data + n). The copy matters: a view into
// wasm memory goes stale when memory grows, and in the threads build it would be a
// SharedArrayBuffer view that cannot be transferred to the page.
inline val float32_array(const float* data, size_t n) {
  return val::global("Float32Array").new_(emscripten::typed_memory_view(n, data));
}
inline val int32_array(const int* data, size_t n) {
  return val::global("Int32Array").new_(emscripten::typed_memory_view(n, data));
}
inline val uint8_array(const uint8_t* data, size_t n) {
  return val::global("Uint8Array").new_(emscripten::typed_memory_view(n, data));
}
template <class T>
val number_array(const std::vector<T>& v) {
  val out = val::array();
  for (size_t i = 0; i < v.size(); ++i) out.set(i, static_cast<double>(v[i]));
  return out;
}

// Engine errors cross the boundary as *returned* JS Error objects (name = the engine's error
// type, message = its text); wasm/throw_errors.js (a --post-js) wraps every bound method so
// that such a result is thrown. Why not throw from C++ with val::throw_()? A JS exception
// unwinding through wasm frames skips their epilogues (the shadow-stack pointer is not
// restored) and Embind's argument destructors (the copied strings leak), so a page that
// validates on every keystroke would slowly corrupt the stack. Returning keeps every frame
// normal, and works the same on Emscripten 3.1.6 and current releases.
inline val make_error(const char* name, const std::string& message) {
  val error = val::global("Error").new_(message);
  error.set("name", name);
  error.set("scratchnet", true);
  return error;
}

// A call that is not valid in the current state (predict before build, ...).
struct StateError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

template <class F>
val guarded(F&& body) {
  try {
    return body();
  } catch (const sn::DescriptionError& e) {
    return make_error("DescriptionError", e.what());
  } catch (const sn::FormatError& e) {
    return make_error("FormatError", e.what());
  } catch (const sn::DivergenceError& e) {
    return make_error("DivergenceError", e.what());
  } catch (const sn::LimitError& e) {
    return make_error("LimitError", e.what());
  } catch (const sn::Error& e) {
    return make_error("EngineError", e.what());
  } catch (const StateError& e) {
    return make_error("StateError", e.what());
  } catch (const std::bad_alloc&) {
    // ABORTING_MALLOC=0 makes a failed allocation come back here instead of aborting.
    return make_error("OutOfMemoryError",
                      "out of memory: the model or data set does not fit in the browser's "
                      "WebAssembly memory (try fewer or smaller layers, or a smaller batch)");
  } catch (const std::exception& e) {
    return make_error("EngineError", e.what());
  }
}

}  // namespace snjs
