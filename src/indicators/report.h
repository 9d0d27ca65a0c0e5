// The results framework report: every indicator's baseline, targets and
// value for several periods (the frozen value where the period is frozen,
// marked so, else the live one), with the progress toward the target; and
// that report as an XLSX workbook (libxlsxwriter through pdm/xlsx.h) in
// Mongolian and English.
//
// Progress toward a target: indicators::Progress (query.h) on the period's
// last day.
//
// Thread-safety: BuildReport like its Results (one thread); the others
// are pure functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "indicators/framework.h"
#include "indicators/results.h"
#include "indicators/value.h"

namespace malchin::indicators {

// The figure to report for one period: the frozen one when frozen.
struct ReportedValue {
  IndicatorValue value;
  bool frozen = false;
};

struct ReportRow {
  Indicator indicator;
  // One per period of the report; absent when the indicator cannot be
  // computed for it (its computation's data is not there), then `missing`
  // says why (bilingual), same index.
  std::vector<std::optional<ReportedValue>> values;
  std::vector<std::string> missing;
};

struct FrameworkReport {
  std::vector<Period> periods;
  std::vector<ReportRow> rows;
};

// The report for `codes` (every indicator when empty) and `periods` in the
// area (intersected with the caller's). An indicator that cannot be
// computed (kFailedPrecondition) for a period is kept with that cell
// missing; any other error is returned. Reads only.
Result<FrameworkReport> BuildReport(Results& results,
                                    const std::vector<std::string>& codes,
                                    const std::vector<Period>& periods,
                                    const store::AreaFilter& area);

// The periods from `first` to `last` inclusive, of the same kind ("2019"
// to "2021": three years). InvalidArgument (bilingual) when the kinds
// differ, `last` is before `first`, or there would be more than 120.
Result<std::vector<Period>> PeriodRange(const Period& first,
                                        const Period& last);

// The workbook's bytes (.xlsx). Sheets: "Хүрээ" (the framework in
// Mongolian), "Framework" (in English), then one per indicator named by
// its code (cut to Excel's 31 characters) with its disaggregation table
// (numerator, denominator, value per cell and period), headers in both
// languages. Internal when the file cannot be written.
Result<std::string> FrameworkXlsx(const FrameworkReport& report);

}  // namespace malchin::indicators
