// The RIMA-II model specification: which survey columns make which pillar
// variable and food-security indicator, how each is transformed and
// oriented, and how many factors each pillar keeps. A JSON file
// (format "malchin-rima-spec/1"; documented in docs/rima.md):
//
//   {
//     "format": "malchin-rima-spec/1",
//     "id_column": "hhid",
//     "profiles": ["region", "head_female"],
//     "factor_rule": "kaiser",
//     "pillars": [
//       {"name": "ABS", "factors": "fao_minres_screen", "variables": [
//         {"name": "abs_water", "column": "min_water",
//          "transform": "log1p", "orientation": -1}, ...]},
//       {"name": "AST", ...}, {"name": "SSN", ...}, {"name": "AC", ...}],
//     "food_security": [
//       {"name": "FS1", "column": "fcs"},
//       {"name": "FS3", "column": "food_exp_pc", "transform": "log"}]
//   }
//
// A variable's value is orientation * transform(column / divide_by), with
// transform one of identity, log, log1p and orientation +1 or -1 (so that
// higher = more capacity, or more food secure). Exactly the four pillars
// ABS, AST, SSN, AC, each with at least 3 variables; 2 or 3 food-security
// indicators (the first is the MIMIC marker); names unique. "factors"
// (per pillar) and "factor_rule" (the default) are "kaiser" (default),
// "fao_minres_screen" (FAO Shiny RIMA's rule, FaoMinresScreen) or a number.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "rima/factor_analysis.h"

namespace malchin::rima {

enum class Transform { kIdentity, kLog, kLog1p };

std::string_view TransformName(Transform t);

// "kaiser", "fixed" or "fao_minres_screen" (the spec's "factors" values;
// a fixed rule is written as its number).
std::string_view FactorRuleName(FactorRule::Kind kind);

struct VariableSpec {
  std::string name;
  std::string column;
  std::string divide_by;  // Empty: none.
  Transform transform = Transform::kIdentity;
  int orientation = 1;  // +1 or -1.
};

struct PillarSpec {
  std::string name;  // ABS, AST, SSN or AC.
  FactorRule rule;
  std::vector<VariableSpec> variables;
};

struct ModelSpec {
  std::string id_column;
  std::vector<std::string> profiles;  // Columns for the RSM by profile.
  std::vector<PillarSpec> pillars;    // Always ABS, AST, SSN, AC in order.
  std::vector<VariableSpec> food_security;

  // Every survey column the model reads (id, variables, divisors, FS), once.
  std::vector<std::string> ModelColumns() const;
};

// Parses a specification. `file_name` is used in messages, which name the
// JSON path and what was expected (e.g. "spec.json: pillars[2] (SSN) has 2
// variables; expected at least 3").
Result<ModelSpec> ParseSpec(std::string_view file_name, std::string_view text);
Result<ModelSpec> LoadSpec(const std::string& path);

// The specification as JSON text (ParseSpec(SpecJson(s)) == s).
std::string SpecJson(const ModelSpec& spec);

// Applies the transform and orientation to a raw value (already divided).
// InvalidArgument-free: callers check DomainOk first.
double ApplyTransform(const VariableSpec& v, double raw);
// Whether `raw` is in the transform's domain (log: > 0; log1p: > -1).
bool DomainOk(Transform t, double raw);

}  // namespace malchin::rima
