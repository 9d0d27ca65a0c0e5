// Insurance schemes and their dated parameters: what a herder owes for a
// month, and what an in-kind payment is worth.
//
// Every amount comes from params::ParameterSet (data/parameters.json) in
// force on the first day of the month concerned, so a contribution for
// March 2025 uses the March 2025 minimum wage (660,000) and one for April
// 2025 the April one (792,000). Nothing here holds a legal amount.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/date.h"
#include "core/status.h"
#include "insurance/repository.h"
#include "params/parameters.h"

namespace malchin::insurance {

using insurance::InsuranceScheme;

// Months are integers year * 12 + (month - 1).
inline int32_t MonthOf(Date d) { return d.year() * 12 + (d.month() - 1); }
inline int32_t MakeMonth(int year, int month) {
  return year * 12 + (month - 1);
}
inline Date FirstDayOf(int32_t month) {
  return Date::FromYmd(month / 12, month % 12 + 1, 1);
}
// "YYYY-MM".
std::string MonthName(int32_t month);
// Parses "YYYY-MM"; the error says what was expected.
Result<int32_t> ParseMonth(std::string_view text);

// The contribution due for one month.
struct MonthlyDue {
  int64_t amount = 0;        // MNT.
  int64_t minimum_wage = 0;  // In force on the month's first day.
  int64_t income_base = 0;   // Social: max(declared, floor); health: 0.
  double rate = 0;           // Social: pension + benefit rate; health: the
                             // share of the minimum wage (0 if flat).
  std::string basis;         // How it was computed, in English.
};

// Health: round(premium_rate x minimum wage) when a rate is in force and
// positive, else the flat insurance.health.premium_monthly.
// Social (voluntary): round((pension_rate + benefit_rate) x base), base =
// max(declared_income, min_base_ratio x minimum wage).
// FailedPrecondition if a parameter has no value in force in that month.
Result<MonthlyDue> DueFor(const params::ParameterSet& p, InsuranceScheme s,
                          int32_t month, int64_t declared_income);

// Sum of DueFor over `months` consecutive months from `first`.
Result<int64_t> DueForMonths(const params::ParameterSet& p, InsuranceScheme s,
                             int32_t first, int32_t months,
                             int64_t declared_income);

// Values `quantity` of `item` (camel, horse, cattle, sheep, goat: head;
// sheep_wool, camel_wool, cashmere: kg) at the price in force on `on` for
// the aimag: parameter insurance.in_kind.<item>.aimag_<code> if present,
// else the national insurance.in_kind.<item>. Returns the amount in MNT
// (rounded to the nearest tugrik) and fills `valuation` (kept with the
// entry). InvalidArgument for an unknown item or a quantity that is not
// positive (or not whole, for livestock).
Result<int64_t> ValueInKind(const params::ParameterSet& p, int32_t aimag_code,
                            std::string_view item, double quantity, Date on,
                            insurance::InKindValuation* valuation);

}  // namespace malchin::insurance
