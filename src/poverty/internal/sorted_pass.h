// The sorted pass: one walk over households in ascending welfare order
// gives, per domain, the midpoint Gini, the laeken/Eurostat quantiles at
// kProbs, the totals of v*y up to each quantile (whole households, tie
// blocks included) and the Lorenz curve at kProbs.
#pragma once

#include <array>
#include <cstddef>
#include <limits>

#include "poverty/internal/engine.h"
#include "poverty/measures.h"

namespace malchin::poverty::internal {

class SortedAccumulator {
 public:
  // n, t: the domain's sum v and sum v*y (from the totals pass).
  SortedAccumulator(double n, double t, QuantileRule rule)
      : n_(n), t_(t), eurostat_(rule == QuantileRule::kEurostat) {
    q_thr_ = Threshold(0);
    lz_thr_ = q_thr_;
  }

  // Adds the next household in ascending welfare order.
  void Add(double y, double v) {
    if (pend_begin_ < pend_end_) {  // Eurostat: average with this y.
      for (size_t j = pend_begin_; j < pend_end_; ++j)
        q_[j] = 0.5 * (q_[j] + y);
      pend_begin_ = pend_end_ = 0;
    }
    while (closed_ < found_ && y > q_[closed_]) cut_[closed_++] = l_;
    const double c_prev = c_, l_prev = l_;
    c_ += v;
    l_ += v * y;
    gini_sum_ += v * y * (2 * c_ - v);
    if (c_ >= lz_thr_) AdvanceLorenz(c_prev, l_prev);
    if (c_ >= q_thr_) AdvanceQuantiles(y);
  }

  // Call once after the last Add.
  void Finish() {
    while (closed_ < found_) cut_[closed_++] = l_;
    for (size_t j = found_; j < kNumProbs; ++j) {  // only if rounding
      q_[j] = std::numeric_limits<double>::quiet_NaN();
      cut_[j] = l_;
    }
    for (size_t j = lz_; j < kNumProbs; ++j) lorenz_[j] = 1.0;
  }

  double gini() const { return gini_sum_ / (n_ * t_) - 1.0; }
  const std::array<double, kNumProbs>& quantiles() const { return q_; }
  // cut()[j] = sum of v*y over households with y <= quantile j.
  const std::array<double, kNumProbs>& cut() const { return cut_; }
  // lorenz()[j] = L(kProbs[j]), linear interpolation of the Lorenz curve.
  const std::array<double, kNumProbs>& lorenz() const { return lorenz_; }

 private:
  double Threshold(size_t j) const {
    // A safe lower bound for "C/N reaches p"; the exact test follows.
    return j < kNumProbs ? kProbs[j] * n_ * (1 - 1e-9)
                         : std::numeric_limits<double>::infinity();
  }

  void AdvanceQuantiles(double y) {
    while (found_ < kNumProbs) {
      const double share = c_ / n_;
      const double p = kProbs[found_];
      if (eurostat_ ? share < p : share <= p) break;
      q_[found_] = y;
      if (eurostat_ && share == p) {
        if (pend_begin_ == pend_end_) pend_begin_ = found_;
        pend_end_ = found_ + 1;
      }
      ++found_;
    }
    q_thr_ = Threshold(found_);
  }

  void AdvanceLorenz(double c_prev, double l_prev) {
    while (lz_ < kNumProbs) {
      const double p = kProbs[lz_];
      const double cc = c_ / n_;
      if (cc < p) break;
      const double cp = c_prev / n_;
      double value;
      if (cc == p) {
        value = l_ / t_;
      } else if (cp == p) {
        value = l_prev / t_;
      } else {
        value = l_prev / t_ + (l_ / t_ - l_prev / t_) * ((p - cp) / (cc - cp));
      }
      lorenz_[lz_++] = value;
    }
    lz_thr_ = Threshold(lz_);
  }

  double n_, t_;
  bool eurostat_;
  double c_ = 0, l_ = 0, gini_sum_ = 0;
  double q_thr_, lz_thr_;
  size_t found_ = 0, closed_ = 0, lz_ = 0;
  size_t pend_begin_ = 0, pend_end_ = 0;
  std::array<double, kNumProbs> q_{}, cut_{}, lorenz_{};
};

// Measure for each entry of kProbs (the median is p50).
inline constexpr std::array<Measure, kNumProbs> kQuantileMeasure = {
    Measure::kP10, Measure::kP20,    Measure::kP25, Measure::kP30,
    Measure::kP40, Measure::kMedian, Measure::kP60, Measure::kP70,
    Measure::kP75, Measure::kP80,    Measure::kP90};

// Writes the sorted (order-based) measures into value[Measure] from the
// quantiles q, the cut totals (sum v*y up to each quantile), the Lorenz
// ordinates at kProbs, the total t = sum v*y and the Gini.
inline void FillSortedMeasures(const std::array<double, kNumProbs>& q,
                               const std::array<double, kNumProbs>& cut,
                               const std::array<double, kNumProbs>& lz,
                               double t, double gini, double* value) {
  auto at = [&](Measure m) -> double& { return value[static_cast<size_t>(m)]; };
  at(Measure::kGini) = gini;
  at(Measure::kGiniX100) = 100 * gini;
  for (size_t j = 0; j < kNumProbs; ++j) at(kQuantileMeasure[j]) = q[j];
  const std::array<double, 6> cum = {
      0, cut[kIdxP20], cut[kIdxP40], cut[kIdxP60], cut[kIdxP80], t};
  const std::array<double, 6> lor = {0,           lz[kIdxP20], lz[kIdxP40],
                                     lz[kIdxP60], lz[kIdxP80], 1};
  for (size_t k = 0; k < 5; ++k) {
    value[static_cast<size_t>(Measure::kShareA1) + k] =
        (cum[k + 1] - cum[k]) / t;
    value[static_cast<size_t>(Measure::kShareB1) + k] = lor[k + 1] - lor[k];
  }
  at(Measure::kPalmaA) = (t - cut[kIdxP90]) / cut[kIdxP40];
  at(Measure::kPalmaB) = (1 - lz[kIdxP90]) / lz[kIdxP40];
  at(Measure::kQsr) = (t - cut[kIdxP80]) / cut[kIdxP20];
}

}  // namespace malchin::poverty::internal
