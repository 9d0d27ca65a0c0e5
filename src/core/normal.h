// The standard normal distribution's quantile, for the z of a confidence
// interval (z = NormalQuantile(1 - (1 - level) / 2): 1.644854 at 90%,
// 1.959964 at 95%, 2.575829 at 99%).
//
// Thread-safety: pure functions.
#pragma once

namespace malchin {

// The p-quantile of N(0, 1): Wichura's algorithm AS 241 (PPND16, Applied
// Statistics 37, 1988), relative error about 1e-16.
// REQUIRES: 0 < p < 1 (returns NaN otherwise).
double NormalQuantile(double p);

// The z of a two-sided interval at `level` (e.g. 0.95), that is
// NormalQuantile((1 + level) / 2). REQUIRES: 0 < level < 1 (NaN otherwise).
double TwoSidedZ(double level);

}  // namespace malchin
