// Scenario files: a baseline and reforms as data (JSON), so a reform is
// written down, versioned and re-run, never coded (docs/poverty.md,
// "Scenario files").
//
// Survey scenarios (Simulator, microsim.h): programmes as BenefitRule
//   {"parameter_version": "study-2024-1", "date": "2024-01-01",
//    "baseline": {"name": "baseline", "rules": [RULE, ...]},
//    "reforms": [{"name": "cmp100", "rules": [RULE, ...]}, ...]}
//   RULE = {"programme": "cmp", "unit": "person" | "household",
//           "min_age": 0, "max_age": 17, "areas": [soum codes],
//           "household_flags": ["dzud_soum"],
//           "amount": 100000 | [{"from": "2012-10-01", "mnt": 20000}, ...],
//           "cap_per_household": 0, "months": 12, "takeup": 1}
//
// Register scenarios (SimulateRegister, register_sim.h): programmes in the
// rule language, parameters as patches of the shipped parameter set
//   {"date": "2024-06-01",
//    "event": {"name": "dzud 2024", "severity_by_soum": {"18110": "high"}},
//    "baseline": {"name": "baseline", "parameters": {PATCH},
//                 "programmes": [PROGRAMME, ...]},
//    "reforms": [{"name": "cmp120", "parameters": {PATCH},
//                 "programmes": [PROGRAMME, ...]}]}
//   PATCH = {"child_money.monthly": [{"from": "2024-01-01",
//                                     "value": 120000}], ...}
//   PROGRAMME = {"programme": "child_money",
//                "eligibility": "age <= param(\"child_money.max_age\")",
//                "amount": "param(\"child_money.monthly\")",
//                "unit": "person" | "household",
//                "cap_per_household": 200000, "cap_order": "youngest_first"
//                | "proportional", "months": 12, "takeup": 1}
//
// Parsing is strict: unknown keys, wrong types and bad dates are errors that
// name the file and the JSON path (e.g. "reforms[1].rules[0].max_age").
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "params/parameters.h"
#include "poverty/microsim.h"
#include "poverty/register_sim.h"
#include "rules/event.h"

namespace malchin::poverty {

struct SurveyScenario {
  Policy baseline;
  std::vector<Policy> reforms;  // at least one
};

Result<SurveyScenario> ParseSurveyScenario(std::string_view file_name,
                                           std::string_view json);

struct RegisterScenario {
  Date date;  // ages, membership and parameters on this date
  bool has_event = false;
  rules::EventContext event;
  RegisterPolicy baseline;
  std::vector<RegisterPolicy> reforms;  // at least one
};

// Parameter patches are applied to `parameters` (ParameterSet::Override);
// a patched policy's parameter version is "<version>+patch-<16 hex>"
// (a hash of the patch), so the result says exactly what was used.
Result<RegisterScenario> ParseRegisterScenario(
    std::string_view file_name, std::string_view json,
    const std::shared_ptr<const params::ParameterSet>& parameters);

}  // namespace malchin::poverty
