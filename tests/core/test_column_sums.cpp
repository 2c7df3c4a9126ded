// column_sums: against the naive sequential sums, and bit for bit against its documented order
// (which the SIMD and scalar columns must both follow, whatever the lane count).
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "kernels/column_sums.h"

namespace sn {
namespace {

// ((s0 + s1) + (s2 + s3)) + leftover rows, s_k over rows r = k (mod 4).
float documented_order(const std::vector<float>& x, int rows, int ldx, int j) {
  float s[4] = {0.0f, 0.0f, 0.0f, 0.0f};
  const int rows4 = rows - rows % 4;
  for (int r = 0; r < rows4; ++r) s[r % 4] += x[size_t(r) * ldx + j];
  float total = (s[0] + s[1]) + (s[2] + s[3]);
  for (int r = rows4; r < rows; ++r) total += x[size_t(r) * ldx + j];
  return total;
}

TEST(ColumnSums, MatchNaiveAndTheirDocumentedOrder) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> rows_of(0, 300), cols_of(1, 37), extra(0, 5);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  for (int trial = 0; trial < 60; ++trial) {
    const int rows = rows_of(rng), cols = cols_of(rng), ldx = cols + extra(rng);
    std::vector<float> x(size_t(std::max(rows, 1)) * ldx);
    for (float& v : x) v = normal(rng);
    std::vector<float> got(cols, -1.0f), want(cols);
    column_sums(x.data(), rows, cols, ldx, got.data());
    column_sums_naive(x.data(), rows, cols, ldx, want.data());
    for (int j = 0; j < cols; ++j) {
      EXPECT_NEAR(got[j], want[j], 1e-4f * (1.0f + std::sqrt(float(rows))))
          << rows << "x" << cols << " column " << j;
      EXPECT_EQ(got[j], documented_order(x, rows, ldx, j))
          << rows << "x" << cols << " column " << j;
    }
  }
}

}  // namespace
}  // namespace sn
