// The measures that are smooth functions of domain totals (FGT, Watts,
// mean, GE, Atkinson, ...), written once for double and for Dual so that
// the same code gives point values, jackknife replicates and gradients.
#pragma once

#include <array>
#include <cmath>
#include <limits>

#include "poverty/internal/dual.h"
#include "poverty/internal/engine.h"
#include "poverty/measures.h"

namespace malchin::poverty::internal {

// Calls set(Measure, T) for every totals-based measure.
template <typename T, typename Set>
void MeasuresFromTotals(const std::array<T, kNumTotals>& t, double z,
                        bool has_children, Set&& set) {
  using std::exp;
  using std::log;
  const T& n = t[kTN];
  const T& tot = t[kTT];
  const T mu = tot / n;
  set(Measure::kPopulation, n);
  set(Measure::kHouseholds, t[kTW]);
  set(Measure::kMean, mu);
  set(Measure::kFgt0, t[kTPoor] / n);
  set(Measure::kFgt1, t[kTGap] / n);
  set(Measure::kFgt2, t[kTGap2] / n);
  set(Measure::kWatts, t[kTWatts] / n);
  set(Measure::kPoorPersons, t[kTPoor]);
  set(Measure::kPovertyGapTotal, z * t[kTGap]);
  set(Measure::kTheil, t[kTYLogY] / tot - log(mu));
  set(Measure::kMld, log(mu) - t[kTLogY] / n);
  set(Measure::kGe2, (t[kTY2] * n / (tot * tot) - 1.0) * 0.5);
  const T e05 = t[kTSqrtY] / n;
  set(Measure::kAtkinson05, 1.0 - e05 * e05 / mu);
  set(Measure::kAtkinson1, 1.0 - exp(t[kTLogY] / n) / mu);
  set(Measure::kAtkinson2, 1.0 - 1.0 / (mu * (t[kTInvY] / n)));
  if (has_children && Value(t[kTChild]) > 0) {
    set(Measure::kChildPovertyRate, t[kTChildPoor] / t[kTChild]);
  } else {
    set(Measure::kChildPovertyRate,
        T(std::numeric_limits<double>::quiet_NaN()));
  }
  set(Measure::kFgt0Households, t[kTHhPoor] / t[kTW]);
}

}  // namespace malchin::poverty::internal
