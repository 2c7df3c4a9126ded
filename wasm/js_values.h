#pragma once
// Copying between JavaScript values and engine types, and the error boundary. No logic here.
#include <emscripten/val.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <initializer_list>
#include <string>
#include <tuple>
#include <vector>

#include "scratchnet/error.h"
#include "scratchnet/network.h"
#include "scratchnet/preset_settings.h"

namespace snjs {

using emscripten::val;
using std::string;

// A JS array-like of numbers (typed or plain) as a vector: TypedArray.set converts and copies.
template <class T>
std::vector<T> to_vector(const val& array) {
  std::vector<T> out(array["length"].as<size_t>());
  if (!out.empty())
    val(emscripten::typed_memory_view(out.size(), out.data())).call<void>("set", array);
  return out;
}
// A fresh typed array holding a copy: a view into wasm memory goes stale when memory grows, and
// in the threads build it would be a SharedArrayBuffer view that cannot be transferred.
template <class T>
val typed(const std::vector<T>& v) {
  const char* type = sizeof(T) == 1             ? "Uint8Array"
                     : std::is_same_v<T, float> ? "Float32Array"
                                                : "Int32Array";
  return val::global(type).new_(emscripten::typed_memory_view(v.size(), v.data()));
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

// A field table: JavaScript names and the members (or getters) they are, one per engine struct,
// so each struct is read from and written to JavaScript by the same list of names.
template <class T>
struct tag {};
template <class S, class M>
struct Field {
  const char* name;
  M S::*member;
};
// table<S>("name", &S::member, ...): a tuple of Field.
template <class S>
std::tuple<> table() {
  return {};
}
template <class S, class M, class... Rest>
auto table(const char* name, M S::*member, Rest... rest) {
  return std::tuple_cat(std::tuple(Field<S, M>{name, member}), table<S>(rest...));
}
// SN_FIELDS(T, "name", &S::member, ...) defines T's table (S stands for T in the list).
#define SN_FIELDS(T, ...)         \
  inline auto fields(tag<T>) {    \
    using S = T;                  \
    return table<S>(__VA_ARGS__); \
  }

template <class S>
requires requires { fields(tag<S>{}); }
val to_js(const S& s);
template <class S>
requires requires { fields(tag<S>{}); }
void from_js(const val& in, S& s);

// One value as JavaScript: floats as their shortest decimal, enums by name, int lists as plain
// arrays, float and byte vectors as typed arrays, a struct with a field table as an object.
inline val to_js(float f) { return decimal(f); }
inline val to_js(const std::string& s) { return val(s); }
inline val to_js(const char* s) { return str(s); }
inline val to_js(sn::OptimizerKind k) { return str(sn::optimizer_name(k)); }
inline val to_js(sn::ScheduleKind k) { return str(sn::schedule_name(k)); }
inline val to_js(sn::LossKind k) { return str(sn::loss_name(k)); }
template <class T>
requires std::is_arithmetic_v<T> val to_js(T x) {
  if constexpr (std::is_same_v<T, bool>) return val(x);
  return val(double(x));
}
template <class List>
val numbers(const List& v) {  // a plain array
  val out = val::array();
  for (const auto& x : v) out.call<void>("push", to_js(x));
  return out;
}
template <class T, size_t N>
val to_js(const T (&v)[N]) {
  return numbers(v);
}
template <class T, size_t N>
val to_js(const std::array<T, N>& v) {
  return numbers(v);
}
template <class T>
val to_js(const std::vector<T>& v) {
  return std::is_same_v<T, int> ? numbers(v) : typed(v);
}

// The reverse, into a value that keeps its default when JavaScript does not give the field.
template <class T>  // a 64-bit seed comes as a double
requires std::is_arithmetic_v<T>
void from_js(const val& v, T& x) { x = T(v.as<std::conditional_t<sizeof(T) == 8, double, T>>()); }
inline void from_js(const val& v, sn::OptimizerKind& k) { k = sn::parse_optimizer(v.as<string>()); }
inline void from_js(const val& v, sn::ScheduleKind& k) { k = sn::parse_schedule(v.as<string>()); }

template <class S, class Table>
void write(val& out, const S& s, const Table& table) {
  std::apply([&](const auto&... f) { (out.set(f.name, to_js(std::invoke(f.member, s))), ...); },
             table);
}
template <class S, class Table>
void read(const val& in, S& s, const Table& table) {
  auto one = [&](const auto& f) {
    if (given(in[f.name])) from_js(in[f.name], s.*f.member);
  };
  std::apply([&](const auto&... f) { (one(f), ...); }, table);
}
template <class S>
requires requires { fields(tag<S>{}); }
val to_js(const S& s) {
  val out = val::object();
  write(out, s, fields(tag<S>{}));
  return out;
}
template <class S>
requires requires { fields(tag<S>{}); }
void from_js(const val& in, S& s) { read(in, s, fields(tag<S>{})); }

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
inline const char* error_name(const sn::Error& e) {
  if (dynamic_cast<const sn::DescriptionError*>(&e)) return "DescriptionError";
  if (dynamic_cast<const sn::FormatError*>(&e)) return "FormatError";
  if (dynamic_cast<const sn::DivergenceError*>(&e)) return "DivergenceError";
  if (dynamic_cast<const sn::LimitError*>(&e)) return "LimitError";
  if (dynamic_cast<const sn::StateError*>(&e)) return "StateError";
  return "EngineError";
}
template <class F>
val guarded(F&& body) {
  try {
    return val(body());
  } catch (const sn::Error& e) {
    return make_error(error_name(e), e.what());
  } catch (const std::bad_alloc&) {  // ABORTING_MALLOC=0: a failed allocation comes back here
    return make_error("OutOfMemoryError",
                      "out of memory: the model or data set does not fit in the browser's "
                      "WebAssembly memory (try fewer or smaller layers, or a smaller batch)");
  } catch (const std::exception& e) {
    return make_error("EngineError", e.what());
  }
}

// guard<&C::method> (or guard<&function>): the same function for Embind, with engine errors
// returned as JS Errors (guarded).
template <auto F>
struct Guard;
template <class C, class R, class... A, R (C::*F)(A...)>
struct Guard<F> {
  static val call(C& self, A... args) {
    return guarded([&] { return (self.*F)(args...); });
  }
};
template <class R, class... A, R (*F)(A...)>
struct Guard<F> {
  static val call(A... args) {
    return guarded([&] { return F(args...); });
  }
};
template <auto F>
constexpr auto guard = &Guard<F>::call;

}  // namespace snjs
