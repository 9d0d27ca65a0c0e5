// Old-age pension projection for a herder: when they can retire and how
// much they would get, from the ledger or from a what-if, with every
// assumption stated next to the number in Mongolian and English.
//
// Rules (all numbers are dated parameters, pension.*):
// - Normal retirement at pension.normal_age.{male,female} (60 / 55) with at
//   least pension.min_years (10) of contributions.
// - Herders' early retirement at pension.herder_early_age (55 / 50) with at
//   least pension.herder_early.min_years (20) of contributions of which
//   pension.herder_early.min_herding_years (15 / 12.5) as a herder.
// - Full pension with pension.full_years in force in the year of
//   retirement (20 before 2018, rising 3 months a year to 25 by 2037):
//   pension.base_rate (45%) of the average insured income, plus
//   pension.extra_rate_per_year (1.5%) per full year beyond the
//   requirement. With fewer years (from min_years) the pension is
//   proportional: 45% x years / requirement.
// - The average is over the best pension.average_window_months (60)
//   consecutive insured months within the last average_lookback_years (20)
//   before retirement; months without insured income are skipped (a stated
//   simplification when the ledger has gaps).
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "params/parameters.h"
#include "registry/register_number.h"

namespace malchin::insurance {

struct PensionInput {
  Date birth_date;
  registry::Sex sex = registry::Sex::kFemale;
  Date as_of;                     // "Today" for the projection.
  double past_years = 0;          // Contribution years until as_of.
  double past_herding_years = 0;  // Of which as a herder.
  // Insured monthly income by month (year*12+month-1), e.g. from the ledger;
  // empty for a what-if.
  std::vector<std::pair<int32_t, int64_t>> insured_income;
  // Declared monthly income for future contributions (and, for a what-if,
  // for the past ones); 0: the minimum wage in force on as_of.
  int64_t declared_income = 0;
  double more_years = 0;         // Years they will still contribute from as_of.
  bool future_as_herder = true;  // Future years count as herding years.
};

// A statement in both languages.
struct Assumption {
  std::string mn;
  std::string en;
};

struct PensionProjection {
  bool eligible = false;  // An insurance pension at some date.
  Date retirement_date;   // Earliest date it can start (if eligible).
  int retirement_age = 0;
  bool early_herder = false;  // Through herders' early retirement.
  double years_at_retirement = 0;
  double herding_years_at_retirement = 0;
  double required_years = 0;  // For a full pension, at retirement.
  bool proportional = false;
  double rate = 0;              // Share of the average income.
  int64_t average_income = 0;   // MNT per month.
  int64_t monthly_pension = 0;  // MNT per month (today's money).
  std::vector<Assumption> assumptions;
};

// Checks what a person typed for a projection (a what-if, or years added
// to a person's ledger): years, herding years and more years not negative;
// herding years at most the years; no more contribution years than have
// passed since pension.min_contribution_age (80 years for a 61-year-old is
// refused); more years not beyond pension.max_projection_age.
// InvalidArgument naming the field, the value and the limit (the rule's
// parameter).
Status CheckPensionInput(const params::ParameterSet& p,
                         const PensionInput& input);

// REQUIRES: input.as_of after input.birth_date.
// FailedPrecondition if a parameter is missing on a date concerned.
Result<PensionProjection> ProjectPension(const params::ParameterSet& p,
                                         const PensionInput& input);

}  // namespace malchin::insurance
