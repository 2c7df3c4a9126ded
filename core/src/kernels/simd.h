#pragma once
// The one SIMD mapping header: a float vector `vf` of kLanes lanes and the handful of
// operations the kernels need. Kernels are written once against it; this file picks the
// instruction set at compile time:
//   __wasm_simd128__      -> wasm SIMD128, 4 lanes (emcc -msimd128)
//   __AVX2__ && __FMA__   -> AVX2 + FMA, 8 lanes (native -march=native on x86-64)
//   __SSE2__              -> SSE2, 4 lanes, multiply + add (no FMA)
//   otherwise             -> scalar, 1 lane
// AVX-512 is deliberately not used: the layers' GEMMs are narrow (N = 8..128), where 16-lane
// tiles would mostly multiply padding.
#include <cstddef>

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#define SN_SIMD_WASM 1
#elif defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>
#define SN_SIMD_AVX2 1
#elif defined(__SSE2__)
#include <immintrin.h>
#define SN_SIMD_SSE2 1
#else
#define SN_SIMD_SCALAR 1
#endif

namespace sn::simd {

#if defined(SN_SIMD_WASM)

using vf = v128_t;
inline constexpr int kLanes = 4;
inline constexpr const char* kName = "wasm SIMD128 (4 lanes)";
inline vf zero() { return wasm_f32x4_splat(0.0f); }
inline vf broadcast(float x) { return wasm_f32x4_splat(x); }
inline vf load(const float* p) { return wasm_v128_load(p); }
inline void store(float* p, vf v) { wasm_v128_store(p, v); }
inline vf add(vf a, vf b) { return wasm_f32x4_add(a, b); }
inline vf mul(vf a, vf b) { return wasm_f32x4_mul(a, b); }
// max: NaN handling differs between targets (wasm propagates NaN, x86 returns b); callers
// must not depend on it.
inline vf max(vf a, vf b) { return wasm_f32x4_max(a, b); }
// No fused multiply-add in baseline SIMD128 (relaxed-simd has one, not enabled here).
inline vf fmadd(vf a, vf b, vf c) { return wasm_f32x4_add(wasm_f32x4_mul(a, b), c); }

#elif defined(SN_SIMD_AVX2)

using vf = __m256;
inline constexpr int kLanes = 8;
inline constexpr const char* kName = "AVX2+FMA (8 lanes)";
inline vf zero() { return _mm256_setzero_ps(); }
inline vf broadcast(float x) { return _mm256_set1_ps(x); }
inline vf load(const float* p) { return _mm256_loadu_ps(p); }
inline void store(float* p, vf v) { _mm256_storeu_ps(p, v); }
inline vf add(vf a, vf b) { return _mm256_add_ps(a, b); }
inline vf mul(vf a, vf b) { return _mm256_mul_ps(a, b); }
inline vf max(vf a, vf b) { return _mm256_max_ps(a, b); }
inline vf fmadd(vf a, vf b, vf c) { return _mm256_fmadd_ps(a, b, c); }  // a * b + c, one rounding

#elif defined(SN_SIMD_SSE2)

using vf = __m128;
inline constexpr int kLanes = 4;
inline constexpr const char* kName = "SSE2 (4 lanes)";
inline vf zero() { return _mm_setzero_ps(); }
inline vf broadcast(float x) { return _mm_set1_ps(x); }
inline vf load(const float* p) { return _mm_loadu_ps(p); }
inline void store(float* p, vf v) { _mm_storeu_ps(p, v); }
inline vf add(vf a, vf b) { return _mm_add_ps(a, b); }
inline vf mul(vf a, vf b) { return _mm_mul_ps(a, b); }
inline vf max(vf a, vf b) { return _mm_max_ps(a, b); }
inline vf fmadd(vf a, vf b, vf c) { return _mm_add_ps(_mm_mul_ps(a, b), c); }

#else

struct vf {
  float x;
};
inline constexpr int kLanes = 1;
inline constexpr const char* kName = "scalar (1 lane)";
inline vf zero() { return {0.0f}; }
inline vf broadcast(float x) { return {x}; }
inline vf load(const float* p) { return {*p}; }
inline void store(float* p, vf v) { *p = v.x; }
inline vf add(vf a, vf b) { return {a.x + b.x}; }
inline vf mul(vf a, vf b) { return {a.x * b.x}; }
inline vf max(vf a, vf b) { return {a.x > b.x ? a.x : b.x}; }
inline vf fmadd(vf a, vf b, vf c) { return {a.x * b.x + c.x}; }

#endif

}  // namespace sn::simd
