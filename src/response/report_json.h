// The payment report as JSON, one encoding for the CLI and the API
// (header-only: a template over the JSON type, nlohmann::json where used).
//
//   json j = response::BreakdownJson<json>(breakdown, name_of);
//
// `name_of(code)` gives the JSON name of a soum or aimag code (0: the
// total). Cells carry soum_code/aimag_code, sex, age_band, disability,
// payee_sex, head_sex where they apply, then owed lines and every status
// with its amount.
#pragma once

#include "response/model.h"

namespace malchin::response {

template <class Json, class NameOf>
Json TotalsJson(const PaymentTotals& t, const NameOf& name_of) {
  Json j = Json::object();
  if (t.aimag_code) {
    j["aimag_code"] = t.aimag_code;
    j["name"] = name_of(t.aimag_code);
  } else {
    j["soum_code"] = t.soum_code;
    j["name"] = name_of(t.soum_code);
  }
  j["sex"] = t.sex;
  if (!t.age_band.empty()) j["age_band"] = t.age_band;
  if (t.disability >= 0) j["disability"] = t.disability == 1;
  if (!t.payee_sex.empty()) j["payee_sex"] = t.payee_sex;
  if (!t.head_sex.empty()) j["head_sex"] = t.head_sex;
  j["lines"] = t.lines;
  j["lines_amount"] = t.lines_amount;
  j["not_issued"] = t.not_issued;
  j["issued"] = t.issued;
  j["issued_amount"] = t.issued_amount;
  j["paid"] = t.paid;
  j["paid_amount"] = t.paid_amount;
  j["failed"] = t.failed;
  j["failed_amount"] = t.failed_amount;
  j["returned"] = t.returned;
  j["returned_amount"] = t.returned_amount;
  j["pending"] = t.pending;
  j["pending_amount"] = t.pending_amount;
  return j;
}

template <class Json, class NameOf>
Json BreakdownJson(const PaymentBreakdown& b, const NameOf& name_of) {
  auto list = [&](const std::vector<PaymentTotals>& rows) {
    Json a = Json::array();
    for (const PaymentTotals& t : rows)
      a.push_back(TotalsJson<Json>(t, name_of));
    return a;
  };
  const PaymentTotals& t = b.total;
  return Json{
      {"items", list(b.by_soum_sex)},
      {"soum_cells", list(b.soum_cells)},
      {"aimag_cells", list(b.aimag_cells)},
      {"by_payee_sex", list(b.by_payee_sex)},
      {"by_head_sex", list(b.by_head_sex)},
      {"total", TotalsJson<Json>(t, name_of)},
      {"balances", t.issued == t.paid + t.failed + t.returned + t.pending &&
                       t.issued_amount == t.paid_amount + t.failed_amount +
                                              t.returned_amount +
                                              t.pending_amount}};
}

}  // namespace malchin::response
