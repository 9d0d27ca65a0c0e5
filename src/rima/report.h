// RIMA-II reports as CSV and JSON: the fitted model (pillars, MIMIC, fit
// indices), household scores, the RSM by profile, dropped households.
// Column names follow the R reference outputs where they exist.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "rima/model.h"
#include "rima/rima.h"
#include "rima/survey.h"

namespace malchin::rima {

// A JSON summary: survey accounting (rows, used, dropped and why), model
// version, per pillar (rule, Kaiser count, the FAO screen when it chose the
// factors, factors, PA iterations, loadings, weights), MIMIC (parameters
// with robust.sem SEs, z, p, 95% CI and the normal-theory SEs,
// standardised, fit indices), RSM overall and by profile,
// variable-to-pillar correlations. NaN becomes null.
std::string SummaryJson(const FrozenModel& model, const SurveyData& survey,
                        const std::vector<HouseholdScore>& scores,
                        const Structure& structure);

// household scores as CSV: hhid, the profile columns, ABS, AST, SSN, AC,
// RCI, RCI_bartlett, RCI_structural, RCI_0_100, RCI_quintile,
// model_version.
std::string ScoresCsv(const FrozenModel& model, const SurveyData& survey,
                      const std::vector<HouseholdScore>& scores);

// Writes into `dir` (created if missing), each file atomically:
// summary.json, rci_households.csv, pillar_fa_summary.csv,
// pillar_loadings.csv, pillar_bartlett_weights.csv, pillar_numf_screen.csv
// (header only unless a pillar used the FAO screen), mimic_parameters.csv
// (lavaan's columns: est, se = robust.sem, z, pvalue, ci.lower, ci.upper;
// then se_standard, std_all),
// mimic_fit.csv, rsm.csv, rsm_by_profile.csv, variable_pillar_cor.csv,
// rci_by_profile.csv, dropped_households.csv.
Status WriteReport(const FrozenModel& model, const SurveyData& survey,
                   const std::vector<HouseholdScore>& scores,
                   const Structure& structure, const std::string& dir);

// A household's explanation as JSON, and as text for a caseworker.
std::string ExplanationJson(const Explanation& e, const FrozenModel& model);
std::string ExplanationText(const Explanation& e, const FrozenModel& model);

}  // namespace malchin::rima
