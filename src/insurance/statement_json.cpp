#include "insurance/statement_json.h"

#include "insurance/schemes.h"

namespace malchin::insurance {

const char* MonthStateName(MonthState state) {
  switch (state) {
    case MonthState::kPartial:
      return "partial";
    case MonthState::kPaid:
      return "paid";
    case MonthState::kPaidTwice:
      return "paid_twice";
  }
  return "partial";
}

nlohmann::json StatementJson(const Statement& st) {
  nlohmann::json j = {{"scheme", insurance::InsuranceSchemeName(st.scheme)},
                      {"covered_months", st.covered_months},
                      {"partial_months", st.partial_months},
                      {"paid_twice_months", st.paid_twice_months},
                      {"total_paid", st.total_paid},
                      {"overpaid", st.overpaid},
                      {"paid_twice_excess", st.paid_twice_excess},
                      {"shortfall", st.shortfall},
                      {"reversed_entries", st.reversed}};
  j["covered"] = nlohmann::json::array();
  for (const auto& s : st.covered) {
    j["covered"].push_back(
        {{"from", MonthName(s.first_month)}, {"to", MonthName(s.last_month)}});
  }
  j["months"] = nlohmann::json::array();
  for (const auto& m : st.months) {
    j["months"].push_back({{"month", MonthName(m.month)},
                           {"due", m.due},
                           {"paid", m.paid},
                           {"payments", m.payments},
                           {"state", MonthStateName(m.state)}});
  }
  return j;
}

}  // namespace malchin::insurance
