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
#include "insurance/repository.h"

namespace malchin::insurance {

const char* MonthStateName(MonthState state);

nlohmann::json StatementJson(const Statement& statement);

// The valuation of an in-kind payment as JSON, the one encoding of the
// audit trail, the CLI and the API: {item, quantity, unit_price,
// price_from, price_source}, in that order when `Json` keeps order
// (nlohmann::ordered_json, as the audit trail does).
template <class Json>
Json InKindJson(const InKindValuation& v) {
  return Json{{"item", v.item},
              {"quantity", v.quantity},
              {"unit_price", v.unit_price},
              {"price_from", v.price_from.ToString()},
              {"price_source", v.price_source}};
}

}  // namespace malchin::insurance
