// What the results framework's readers (the API, the web page, exports)
// ask of the stored and live values, on top of results.h: the figure to
// report for a period (the frozen one when the period is frozen), the
// values of several indicators at once, and the progress of a value toward
// the target in force.
//
// Thread-safety: like the Results (and its session) they are given; the
// pure functions are thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "indicators/framework.h"
#include "indicators/results.h"
#include "indicators/value.h"

namespace malchin::indicators {

// The value to report for the period: the live value with its cells
// replaced by the frozen ones when the period is frozen in that area.
// Errors of Results::Recompute (NotFound for an unknown code). Changes
// nothing.
Result<IndicatorValue> Reported(Results& results, const std::string& code,
                                const Period& period,
                                const store::AreaFilter& area);

// The reported values of `codes` (every indicator of the framework when
// empty), in that order. When `codes` is empty, an indicator whose
// computation cannot run (FailedPrecondition) is left out and its message
// appended to `*skipped`; any other error, or any error of a code asked
// for, is returned. Changes nothing.
Result<std::vector<IndicatorValue>> ReportedValues(
    Results& results, const std::vector<std::string>& codes,
    const Period& period, const store::AreaFilter& area,
    std::vector<std::string>* skipped);

// The target in force on `reference`: the earliest target dated on or
// after it, else (every target past) the latest one; nullopt without
// targets.
std::optional<Target> TargetInForce(const Indicator& indicator, Date reference);

// How far `value` has come toward the target in force, in percent: with a
// baseline, 100 * (value - baseline) / (target - baseline) (the baseline is
// 0%, the target 100%); without one, 100 * value / target. Not clipped
// (below the baseline is negative, beyond the target above 100). nullopt
// without a target, or when the target equals the baseline (or is 0
// without a baseline). Rounded to 1 decimal.
std::optional<double> Progress(const Indicator& indicator, Date reference,
                               double value);

}  // namespace malchin::indicators
