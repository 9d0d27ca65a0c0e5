// A small dense matrix of doubles for the public RIMA interfaces, so that
// callers do not need Eigen (a private dependency of malchin::rima).
// Column-major: element (r, c) is data[c * rows + r].
#pragma once

#include <cstddef>
#include <vector>

namespace malchin::rima {

struct Matrix {
  size_t rows = 0;
  size_t cols = 0;
  std::vector<double> data;

  Matrix() = default;
  Matrix(size_t r, size_t c) : rows(r), cols(c), data(r * c, 0.0) {}
  double& operator()(size_t r, size_t c) { return data[c * rows + r]; }
  double operator()(size_t r, size_t c) const { return data[c * rows + r]; }
  // Column c as a contiguous range of `rows` values.
  double* col(size_t c) { return data.data() + c * rows; }
  const double* col(size_t c) const { return data.data() + c * rows; }
};

}  // namespace malchin::rima
