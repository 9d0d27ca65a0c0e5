// A person's statement for one scheme as JSON, the one encoding shared by
// `malchin insurance status --json` and the HTTP API:
//   {scheme, covered_months, partial_months, paid_twice_months, total_paid,
//    overpaid, paid_twice_excess, shortfall, reversed_entries,
//    covered: [{from, to}] (YYYY-MM),
//    months: [{month, due, paid, payments, state}]}
// with state one of "partial", "paid", "paid_twice". Amounts in MNT.
#pragma once

#include <nlohmann/json.hpp>

#include "insurance/ledger.h"

namespace malchin::insurance {

const char* MonthStateName(MonthState state);

nlohmann::json StatementJson(const Statement& statement);

}  // namespace malchin::insurance
