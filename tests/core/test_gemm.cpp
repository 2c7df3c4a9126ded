// gemm against gemm_naive over awkward shapes, every transpose combination and both betas;
// bit-identical results for any thread count; beta = 0 overwrites garbage.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "scratchnet/gemm.h"
#include "scratchnet/parallel.h"

namespace {

struct Case {
  int M, N, K;
  bool ta, tb;
  float beta;
  int pad;  // extra leading-dimension slack: lda > K etc.
};

struct Operands {
  std::vector<float> A, B, C;
  int lda, ldb, ldc;
};

Operands make(const Case& c, std::mt19937& rng) {
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  Operands o;
  o.lda = (c.ta ? c.M : c.K) + c.pad;
  o.ldb = (c.tb ? c.K : c.N) + c.pad;
  o.ldc = c.N + c.pad;
  o.A.resize(static_cast<size_t>(c.ta ? c.K : c.M) * o.lda + 1);
  o.B.resize(static_cast<size_t>(c.tb ? c.N : c.K) * o.ldb + 1);
  o.C.resize(static_cast<size_t>(c.M) * o.ldc + 1);
  for (float& x : o.A) x = dist(rng);
  for (float& x : o.B) x = dist(rng);
  for (float& x : o.C) x = dist(rng);
  return o;
}

// Error bound for a float dot product of length K: proportional to sum |a_k * b_k| (+ |C|).
void expect_close(const Case& c, const Operands& o, const std::vector<float>& got,
                  const std::vector<float>& want) {
  for (int i = 0; i < c.M; ++i)
    for (int j = 0; j < c.N; ++j) {
      double scale = c.beta != 0 ? std::abs(o.C[static_cast<size_t>(i) * o.ldc + j]) : 0.0;
      for (int k = 0; k < c.K; ++k) {
        const float a = c.ta ? o.A[static_cast<size_t>(k) * o.lda + i]
                             : o.A[static_cast<size_t>(i) * o.lda + k];
        const float b = c.tb ? o.B[static_cast<size_t>(j) * o.ldb + k]
                             : o.B[static_cast<size_t>(k) * o.ldb + j];
        scale += std::abs(static_cast<double>(a) * b);
      }
      const size_t at = static_cast<size_t>(i) * o.ldc + j;
      ASSERT_NEAR(got[at], want[at], 1e-5 * (scale + 1e-3))
          << "M" << c.M << " N" << c.N << " K" << c.K << " ta" << c.ta << " tb" << c.tb << " beta"
          << c.beta << " at (" << i << "," << j << ")";
    }
  // Slack between rows (and past the end) must be untouched.
  for (int i = 0; i < c.M; ++i)
    for (int j = c.N; j < o.ldc && static_cast<size_t>(i) * o.ldc + j < got.size(); ++j) {
      const size_t at = static_cast<size_t>(i) * o.ldc + j;
      ASSERT_EQ(got[at], o.C[at]) << "wrote outside C at (" << i << "," << j << ")";
    }
  ASSERT_EQ(got.back(), o.C.back());
}

std::vector<Case> shapes() {
  const int dims[][3] = {
      {1, 1, 1},      {1, 7, 3},     {7, 1, 3},       {2, 3, 1},     {13, 17, 19}, {6, 16, 256},
      {12, 8, 257},   {31, 37, 41},  {97, 5, 300},    {5, 97, 300},  {300, 3, 7},  {3, 300, 7},
      {64, 10, 128},  {25, 8, 600},  {130, 129, 513}, {200, 16, 64}, {64, 8, 25},  {1, 300, 1},
      {300, 1, 1},    {7, 16, 4000}, {25, 8, 3000},  // these two split K over threads
      {64, 128, 784}, {48, 100, 300}};               // these two split columns only
  std::vector<Case> out;
  int n = 0;
  for (const auto& d : dims)
    for (bool ta : {false, true})
      for (bool tb : {false, true})
        for (float beta : {0.0f, 1.0f})
          out.push_back({d[0], d[1], d[2], ta, tb, beta, (n++ % 3) * 3});
  return out;
}

TEST(Gemm, MatchesNaiveOnAwkwardShapes) {
  std::mt19937 rng(42);
  sn::ThreadPool pool(3);
  for (const Case& c : shapes()) {
    const Operands o = make(c, rng);
    std::vector<float> want = o.C, got = o.C, got_mt = o.C;
    sn::gemm_naive(c.ta, c.tb, c.M, c.N, c.K, o.A.data(), o.lda, o.B.data(), o.ldb, c.beta,
                   want.data(), o.ldc);
    sn::gemm(c.ta, c.tb, c.M, c.N, c.K, o.A.data(), o.lda, o.B.data(), o.ldb, c.beta, got.data(),
             o.ldc);
    expect_close(c, o, got, want);
    sn::gemm(c.ta, c.tb, c.M, c.N, c.K, o.A.data(), o.lda, o.B.data(), o.ldb, c.beta, got_mt.data(),
             o.ldc, &pool);
    expect_close(c, o, got_mt, want);
  }
}

// Every ragged row-tile size of every kernel (tile heights are up to 12 rows) and 1-3 column
// slivers, each transpose combination.
TEST(Gemm, EveryTailSize) {
  std::mt19937 rng(3);
  for (int M = 1; M <= 25; ++M)
    for (int N : {3, 8, 16, 24, 40})
      for (bool ta : {false, true})
        for (bool tb : {false, true}) {
          const Case c{M, N, 37, ta, tb, (M + N) % 2 ? 1.0f : 0.0f, M % 2};
          const Operands o = make(c, rng);
          std::vector<float> want = o.C, got = o.C;
          sn::gemm_naive(c.ta, c.tb, c.M, c.N, c.K, o.A.data(), o.lda, o.B.data(), o.ldb, c.beta,
                         want.data(), o.ldc);
          sn::gemm(c.ta, c.tb, c.M, c.N, c.K, o.A.data(), o.lda, o.B.data(), o.ldb, c.beta,
                   got.data(), o.ldc);
          expect_close(c, o, got, want);
        }
}

// A thread keeps its packed op(B) between calls and skips packing when it is still the call's
// own. Narrow (N <= one vector) and wide tiles are separate code paths; if each counted its
// calls separately, a wide call could take a narrow call's packing for its own whenever the two
// counts met, and multiply the wrong B. Bursts of 1 narrow + 2 wide calls, then 2 narrow + 1
// wide, move the two counts past each other one step at a time, so any such meeting happens
// here; every call is checked against the reference.
TEST(Gemm, NarrowAndWideCallsNeverShareAPacking) {
  std::mt19937 rng(9);
  const Case narrow{8, 3, 16, false, true, 0.0f, 0}, wide{8, 20, 16, false, true, 0.0f, 0};
  const Operands on = make(narrow, rng), ow = make(wide, rng);
  std::vector<float> want_n = on.C, want_w = ow.C;
  sn::gemm_naive(false, true, 8, 3, 16, on.A.data(), on.lda, on.B.data(), on.ldb, 0.0f,
                 want_n.data(), on.ldc);
  sn::gemm_naive(false, true, 8, 20, 16, ow.A.data(), ow.lda, ow.B.data(), ow.ldb, 0.0f,
                 want_w.data(), ow.ldc);
  auto run = [&](const Case& c, const Operands& o, const std::vector<float>& want) {
    std::vector<float> got = o.C;
    sn::gemm(false, true, c.M, c.N, c.K, o.A.data(), o.lda, o.B.data(), o.ldb, 0.0f, got.data(),
             o.ldc);
    expect_close(c, o, got, want);
  };
  // Whatever the two counts are at the start (earlier tests in this process made calls too),
  // their difference sweeps 5,000 below to 5,000 above it.
  for (int phase = 0; phase < 2; ++phase) {
    for (int burst = 0; burst < (phase == 0 ? 5000 : 10000) && !HasFatalFailure(); ++burst) {
      for (int i = 0; i < (phase == 0 ? 1 : 2); ++i) run(narrow, on, want_n);
      for (int i = 0; i < (phase == 0 ? 2 : 1); ++i) run(wide, ow, want_w);
    }
  }
}

TEST(Gemm, BitIdenticalForAnyThreadCount) {
  std::mt19937 rng(5);
  sn::ThreadPool pool2(2), pool3(3);
  const Case cases[] = {
      {256, 256, 256, false, false, 0.0f, 0},
      {36864 / 8, 8, 25, false, false, 0.0f, 0},
      {4096, 16, 200, false, false, 1.0f, 0},
      {200, 16, 4096, true, false, 1.0f, 0},
      {64, 784, 128, false, true, 0.0f, 0},
      {784, 128, 64, true, false, 0.0f, 0},
      {517, 130, 1030, true, true, 1.0f, 2},
      {25, 8, 36864, true, false, 1.0f, 0},
      {25, 8, 36864, true, false, 0.0f, 0},
      {9, 40, 3000, false, true, 1.0f, 1},
      // few rows, many columns: split by columns only (Dense forward and dW of a small layer)
      {64, 128, 784, false, false, 0.0f, 0},
      {128, 64, 64, true, false, 1.0f, 0},
      {48, 100, 300, false, true, 0.0f, 3}};
  for (const Case& c : cases) {
    const Operands o = make(c, rng);
    std::vector<float> one = o.C, two = o.C, three = o.C;
    sn::gemm(c.ta, c.tb, c.M, c.N, c.K, o.A.data(), o.lda, o.B.data(), o.ldb, c.beta, one.data(),
             o.ldc, nullptr);
    sn::gemm(c.ta, c.tb, c.M, c.N, c.K, o.A.data(), o.lda, o.B.data(), o.ldb, c.beta, two.data(),
             o.ldc, &pool2);
    sn::gemm(c.ta, c.tb, c.M, c.N, c.K, o.A.data(), o.lda, o.B.data(), o.ldb, c.beta, three.data(),
             o.ldc, &pool3);
    EXPECT_EQ(0, std::memcmp(one.data(), two.data(), one.size() * sizeof(float)))
        << "M" << c.M << " N" << c.N << " K" << c.K;
    EXPECT_EQ(0, std::memcmp(one.data(), three.data(), one.size() * sizeof(float)))
        << "M" << c.M << " N" << c.N << " K" << c.K;
  }
}

TEST(Gemm, BetaZeroOverwritesNaN) {
  std::mt19937 rng(9);
  sn::ThreadPool pool(2);
  for (auto [M, N, K] : {std::array<int, 3>{1, 1, 1}, {7, 9, 300}, {64, 8, 25}, {50, 40, 30}}) {
    for (sn::ThreadPool* p : {static_cast<sn::ThreadPool*>(nullptr), &pool}) {
      const Case c{M, N, K, false, false, 0.0f, 0};
      Operands o = make(c, rng);
      std::vector<float> got(o.C.size(), std::numeric_limits<float>::quiet_NaN());
      sn::gemm(false, false, M, N, K, o.A.data(), o.lda, o.B.data(), o.ldb, 0.0f, got.data(), o.ldc,
               p);
      for (int i = 0; i < M * N; ++i) ASSERT_FALSE(std::isnan(got[i])) << i;
    }
  }
}

TEST(Gemm, EmptyKGivesBetaTimesC) {
  std::vector<float> C = {1, 2, 3, 4};
  sn::gemm(false, false, 2, 2, 0, nullptr, 1, nullptr, 2, 1.0f, C.data(), 2);
  EXPECT_EQ(C, (std::vector<float>{1, 2, 3, 4}));
  sn::gemm(false, false, 2, 2, 0, nullptr, 1, nullptr, 2, 0.0f, C.data(), 2);
  EXPECT_EQ(C, (std::vector<float>{0, 0, 0, 0}));
}

TEST(Gemm, HandComputed) {
  // [1 2; 3 4] * [5 6; 7 8] = [19 22; 43 50]
  const float A[] = {1, 2, 3, 4}, B[] = {5, 6, 7, 8};
  float C[4] = {1, 1, 1, 1};
  sn::gemm(false, false, 2, 2, 2, A, 2, B, 2, 1.0f, C, 2);
  EXPECT_EQ(std::vector<float>(C, C + 4), (std::vector<float>{20, 23, 44, 51}));
  sn::gemm(true, true, 2, 2, 2, A, 2, B, 2, 0.0f, C, 2);  // A^T B^T = (BA)^T
  EXPECT_EQ(std::vector<float>(C, C + 4), (std::vector<float>{23, 31, 34, 46}));
}

}  // namespace
