// Forward-mode automatic differentiation over a fixed number of inputs:
// the engine writes each measure once as a function of domain totals and
// gets both its value and its gradient (for the linearised variance).
#pragma once

#include <array>
#include <cmath>
#include <cstddef>

namespace malchin::poverty::internal {

template <size_t K>
struct Dual {
  double v = 0;
  std::array<double, K> d{};

  Dual() = default;
  Dual(double value) : v(value) {}  // NOLINT: constants promote implicitly.
  static Dual Var(double value, size_t i) {
    Dual x(value);
    x.d[i] = 1;
    return x;
  }
};

template <size_t K>
Dual<K> operator+(const Dual<K>& a, const Dual<K>& b) {
  Dual<K> r(a.v + b.v);
  for (size_t i = 0; i < K; ++i) r.d[i] = a.d[i] + b.d[i];
  return r;
}
template <size_t K>
Dual<K> operator-(const Dual<K>& a, const Dual<K>& b) {
  Dual<K> r(a.v - b.v);
  for (size_t i = 0; i < K; ++i) r.d[i] = a.d[i] - b.d[i];
  return r;
}
template <size_t K>
Dual<K> operator*(const Dual<K>& a, const Dual<K>& b) {
  Dual<K> r(a.v * b.v);
  for (size_t i = 0; i < K; ++i) r.d[i] = a.d[i] * b.v + a.v * b.d[i];
  return r;
}
template <size_t K>
Dual<K> operator/(const Dual<K>& a, const Dual<K>& b) {
  Dual<K> r(a.v / b.v);
  const double inv = 1.0 / b.v;
  for (size_t i = 0; i < K; ++i) r.d[i] = (a.d[i] - r.v * b.d[i]) * inv;
  return r;
}
template <size_t K>
Dual<K> operator+(const Dual<K>& a, double b) {
  return a + Dual<K>(b);
}
template <size_t K>
Dual<K> operator-(const Dual<K>& a, double b) {
  return a - Dual<K>(b);
}
template <size_t K>
Dual<K> operator-(double a, const Dual<K>& b) {
  return Dual<K>(a) - b;
}
template <size_t K>
Dual<K> operator*(double a, const Dual<K>& b) {
  return Dual<K>(a) * b;
}
template <size_t K>
Dual<K> operator*(const Dual<K>& a, double b) {
  return a * Dual<K>(b);
}
template <size_t K>
Dual<K> operator+(double a, const Dual<K>& b) {
  return Dual<K>(a) + b;
}
template <size_t K>
Dual<K> operator/(const Dual<K>& a, double b) {
  return a / Dual<K>(b);
}
template <size_t K>
Dual<K> operator/(double a, const Dual<K>& b) {
  return Dual<K>(a) / b;
}
template <size_t K>
Dual<K> log(const Dual<K>& a) {
  Dual<K> r(std::log(a.v));
  for (size_t i = 0; i < K; ++i) r.d[i] = a.d[i] / a.v;
  return r;
}
template <size_t K>
Dual<K> exp(const Dual<K>& a) {
  Dual<K> r(std::exp(a.v));
  for (size_t i = 0; i < K; ++i) r.d[i] = a.d[i] * r.v;
  return r;
}

inline double Value(double x) { return x; }
template <size_t K>
double Value(const Dual<K>& x) {
  return x.v;
}

}  // namespace malchin::poverty::internal
