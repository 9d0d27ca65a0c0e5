// The frozen RIMA-II model (spec §7): everything needed to score new
// households and later survey rounds on the scale of the reference round,
// as a versioned JSON file (format "malchin-rima-model/1"): the
// specification, per-variable means and SDs, Bartlett weights and factor
// weights, pillar means, MIMIC parameters (lambda, gamma, psi, Theta), FS
// means and SDs, and the reference RCI's min, max and quintile cut points.
//
// Scoring is closed form: pillar_g = sum_i c_gi z_i, mu = gamma'(P - Pbar),
// RCI = mu + k'(y_z - ybar_z - lambda mu); RCI_0_100 = 100 (RCI - min) /
// (max - min) clipped to [0, 100]; the quintile uses the reference cut
// points (1 = least resilient). Thread-safe (pure functions on const data).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "rima/factor_analysis.h"
#include "rima/mimic.h"
#include "rima/spec.h"
#include "rima/survey.h"

namespace malchin::rima {

inline constexpr int kModelFormatVersion = 1;

struct FrozenModel {
  std::string model_version;  // Stored with every score.
  std::string created_on;     // YYYY-MM-DD.
  std::string source;         // Survey file it was fitted on.
  int64_t n = 0;              // Households used.
  ModelSpec spec;
  std::vector<PillarFit> pillars;   // spec order: ABS, AST, SSN, AC.
  std::vector<double> pillar_mean;  // Pbar (reference sample).
  std::vector<double> fs_mean;      // Of the transformed indicators.
  std::vector<double> fs_sd;        // Divisor n - 1.
  std::vector<double> fs_z_mean;    // ybar of the standardised indicators.
  MimicFit mimic;                   // Parameters, fit and k weights.
  double rci_min = 0;
  double rci_max = 0;
  std::vector<double> quintile_breaks;  // 6 type-7 quantiles (0..1 by .2).
};

// One household's result.
struct HouseholdScore {
  std::string id;
  std::array<double, 4> pillars{};  // ABS, AST, SSN, AC (spec order).
  double rci = 0;                   // Regression (lavPredict) score.
  double rci_bartlett = 0;
  double rci_structural = 0;  // gamma'(P - Pbar): no FS data used.
  double score_0_100 = 0;
  int quintile = 0;
};

// Scores every household of `survey` (read with model.spec). Pure.
std::vector<HouseholdScore> ScoreSurvey(const FrozenModel& model,
                                        const SurveyData& survey);

// Scores one household from its transformed pillar variables (per pillar,
// in spec order) and food-security indicators. The fast path for bulk
// scoring. REQUIRES: sizes as in the spec.
HouseholdScore ScoreOne(const FrozenModel& model,
                        const std::vector<const double*>& pillar_values,
                        const double* food_security);

// What makes up one household's score, relative to the reference average
// household (whose RCI is 0). Contributions add up to the RCI; `points`
// are the same on the 0-100 scale.
struct Explanation {
  HouseholdScore score;
  double average_score_0_100 = 0;  // The reference average household.
  struct Variable {
    std::string name;
    double value = 0;  // Transformed and oriented.
    double z = 0;
    double contribution = 0;
    double points = 0;
  };
  struct Pillar {
    std::string name;
    double score = 0;
    double contribution = 0;
    double points = 0;
    std::vector<Variable> variables;
  };
  std::vector<Pillar> pillars;
  std::vector<Variable> food_security;
};

// NotFound if `id` is not among the survey's kept households (the message
// says if it was dropped for missing values).
Result<Explanation> Explain(const FrozenModel& model, const SurveyData& survey,
                            std::string_view id);

// JSON text of the model (doubles round-trip exactly).
std::string ModelJson(const FrozenModel& model);
// Parses a model file; kDataLoss for a newer format version, kInvalidArgument
// for a damaged or inconsistent file (naming the field).
Result<FrozenModel> ParseModel(std::string_view file_name,
                               std::string_view text);
Result<FrozenModel> LoadModel(const std::string& path);
// Writes the model to `path` atomically (temporary file + rename).
Status SaveModel(const FrozenModel& model, const std::string& path);

// Writes `data` to `path` atomically (temporary file + rename).
Status WriteFileAtomic(const std::string& path, std::string_view data);

}  // namespace malchin::rima
