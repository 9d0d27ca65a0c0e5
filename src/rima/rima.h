// RIMA-II resilience capacity index (FAO), the descriptive module:
// pillars by principal-axis factor analysis -> RCI by a MIMIC model ->
// Resilience Structure Matrix. Reproduces psych 2.2.9 + lavaan 0.6.14 as
// FAO's Shiny RIMA uses them (../shared/docs/rima-spec.md; docs/rima.md).
//
//   MALCHIN_ASSIGN_OR_RETURN(ModelSpec spec, LoadSpec("spec.json"));
//   MALCHIN_ASSIGN_OR_RETURN(SurveyData survey, LoadSurvey("kobo.csv", spec));
//   MALCHIN_ASSIGN_OR_RETURN(RimaFit fit, FitRima(spec, survey, {}));
//   SaveModel(fit.model, "rci-2021.json");   // score later rounds with it
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "rima/model.h"
#include "rima/spec.h"
#include "rima/survey.h"

namespace malchin::rima {

struct FitOptions {
  std::string model_version;  // Empty: "rima-<created_on>-<content hash>".
  std::string created_on;     // YYYY-MM-DD; empty: today (UTC).
};

// RSM within one group of a profile column (or overall: profile "").
struct RsmGroup {
  std::string profile;
  std::string group;
  int64_t n = 0;
  std::vector<double> cor;        // corr(pillar, RCI), spec pillar order.
  std::vector<double> share_pct;  // 100 |r_g| / sum |r|.
  double mean_score_0_100 = 0;
};

struct VariableCorrelation {
  std::string pillar;
  std::string variable;
  double cor = 0;  // corr(variable, its pillar score).
};

// The Resilience Structure Matrix and profile views of a set of scores.
struct Structure {
  RsmGroup overall;
  std::vector<RsmGroup> by_profile;   // Groups with >= 3 households.
  std::vector<RsmGroup> by_quintile;  // Mean 0-100 score per quintile.
  std::vector<VariableCorrelation> variable_cor;
};

// The RSM (spec §6) of `scores` (ScoreSurvey(model, survey)): corr(pillar,
// RCI) overall and within each group of the spec's profile columns, and
// corr(variable, its pillar).
Structure ComputeStructure(const FrozenModel& model, const SurveyData& survey,
                           const std::vector<HouseholdScore>& scores);

struct RimaFit {
  FrozenModel model;
  std::vector<HouseholdScore> households;  // Survey order (kept ones).
  Structure structure;
};

// Fits the whole model on the survey's kept households. Errors
// (kInvalidArgument / kFailedPrecondition): fewer than 10 households, a
// constant variable or indicator, PA and MIMIC failures (Heywood cases,
// non-convergence), each naming the pillar or indicator.
Result<RimaFit> FitRima(const ModelSpec& spec, const SurveyData& survey,
                        const FitOptions& options);

// Type-7 quantile (R's default) of sorted values at probability p.
double Quantile7(const std::vector<double>& sorted, double p);

// Pearson correlation of two equal-length series (NaN if one is constant).
double Pearson(const double* a, const double* b, size_t n);

}  // namespace malchin::rima
