// Proxy means test (spec §4): weighted least squares of log per-capita
// consumption on observable proxies, scoring, a cut-off, and targeting
// errors. Coefficients are data (a model file), never code: Mongolia's
// actual PMT formula is not public, and it will be supplied by the
// ministry as a versioned file.
//
// Terms are named as R names them, so a coefficient file written by R
// (lm), Stata or statsmodels maps one to one:
//   "(Intercept)"      1
//   "x"                column x
//   "factor(x)2"       1 if column x == 2, else 0
//   "log1p(x)"         log(1 + x)
//   "log(x)"           log(x)
//   "I(x/10)"          x / 10
// Model file (CSV): header "term,estimate,model[,version]"; several models
// may share one file (the model column names them), e.g.
// pmt_coefficients.csv; the version (free text, e.g. "mof-2026-03") is
// recorded in every report that uses the model.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "poverty/measures.h"
#include "poverty/survey.h"

namespace malchin::poverty {

struct PmtTerm {
  enum class Kind : uint8_t {
    kIntercept,
    kLinear,
    kLevel,
    kLog1p,
    kLog,
    kScaled
  };
  Kind kind = Kind::kIntercept;
  std::string column;  // household column (not for kIntercept)
  double level = 0;    // kLevel: the dummy is column == level
  double divisor = 1;  // kScaled: column / divisor
  std::string name;    // canonical R-style name (see file comment)
};

// Parses an R-style term name. InvalidArgument says which forms exist.
Result<PmtTerm> ParsePmtTerm(std::string_view name);

struct PmtModel {
  std::string name;     // e.g. "full_sample_wls"
  std::string version;  // free text, recorded in reports
  std::vector<PmtTerm> terms;
  std::vector<double> coefficients;  // one per term
  // Fit statistics (NaN when the model was loaded from a file).
  double r_squared = 0;  // weighted, as R summary.lm
  double observations = 0;
};

// Fits ln(consumption / size) on `terms` by WLS with person weights
// w * s (R: lm(..., weights = w * s)), over the households with
// sample[h] != 0 (all if empty), by a column-pivoted QR decomposition.
// InvalidArgument if a column is missing or a value is invalid (log of a
// value <= 0, ...); FailedPrecondition if the design is rank deficient
// (names the term that is collinear) or has fewer rows than terms.
Result<PmtModel> FitPmt(const Survey& survey, std::span<const PmtTerm> terms,
                        std::span<const uint8_t> sample = {},
                        std::string name = "pmt");

// Linear predictor x'b per household (log scale), for every household of
// `survey` (survey or register: same column definitions!).
Result<std::vector<double>> ScorePmt(const PmtModel& model,
                                     const Survey& survey);

// Score cut-off for a coverage target: the weighted quantile of the scores
// at `coverage` (0 < coverage < 1) with the given counting weights (persons
// w*s by default in the reference), so that "score <= cut-off" selects
// about that share. Same quantile definition as the measures.
Result<double> CoverageCutoff(std::span<const double> score,
                              std::span<const double> weight, double coverage,
                              QuantileRule rule = QuantileRule::kLaeken);

// Weighted confusion counts of selection against a target group (e.g. the
// poor), and the error rates, with both definitions of "leakage":
struct TargetingErrors {
  double tp = 0, fp = 0, fn = 0, tn = 0;  // weighted counts
  // Inclusion error, share of beneficiaries not in the target group:
  // FP/(TP+FP) (Coady-Grosh-Hoddinott; "leakage" in the CGH sense).
  double inclusion_error = 0;
  // Exclusion error (undercoverage), share of the target group not
  // selected: FN/(TP+FN).
  double exclusion_error = 0;
  // Share of the non-target group selected: FP/(FP+TN) (what some World
  // Bank code, wbEPL/PMT-Senegal, calls "leakage").
  double nontarget_selected_share = 0;
  double coverage = 0;        // TP/(TP+FN)
  double accuracy = 0;        // (TP+TN)/total
  double selected_share = 0;  // (TP+FP)/total
};
// InvalidArgument if the lengths differ, a weight is not > 0, or the
// total is 0. Rates with a zero denominator are NaN.
Result<TargetingErrors> EvaluateTargeting(std::span<const uint8_t> selected,
                                          std::span<const uint8_t> target,
                                          std::span<const double> weight);

// Model files. Parse: all models in the file, in order of first
// appearance; errors name the line. Write: the same format, %.17g.
Result<std::vector<PmtModel>> ParsePmtModels(std::string_view file_name,
                                             std::string_view text);
void WritePmtModels(std::ostream& out, std::span<const PmtModel> models);

}  // namespace malchin::poverty
