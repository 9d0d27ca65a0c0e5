#include "insurance/ledger.h"

#include <algorithm>
#include <map>
#include <unordered_set>

#include "insurance/schemes.h"

namespace malchin::insurance {

std::vector<insurance::CoverageSpan> MergeMonths(
    const std::vector<int32_t>& months) {
  std::vector<insurance::CoverageSpan> out;
  for (int32_t m : months) {
    if (!out.empty() && out.back().last_month + 1 >= m) {
      out.back().last_month = std::max(out.back().last_month, m);
    } else {
      out.push_back({m, m});
    }
  }
  return out;
}

Result<Statement> ComputeStatement(
    const params::ParameterSet& p, insurance::InsuranceScheme scheme,
    const std::vector<insurance::LedgerEntry>& entries) {
  Statement st;
  st.scheme = scheme;
  std::unordered_set<int64_t> reversed;
  for (const auto& e : entries) {
    if (e.scheme == scheme && e.reverses) {
      reversed.insert(e.reverses);
      st.reversed.push_back(e.reverses);
    }
  }
  struct Acc {
    int64_t due = 0;
    int64_t paid = 0;
    int payments = 0;
    int64_t income = 0;
  };
  std::map<int32_t, Acc> months;
  for (const auto& e : entries) {
    if (e.scheme != scheme || e.reverses || reversed.count(e.id)) continue;
    st.total_paid += e.amount;
    int64_t left = e.amount;
    for (int32_t m = e.first_month; m < e.first_month + e.months; ++m) {
      MALCHIN_ASSIGN_OR_RETURN(MonthlyDue d,
                               DueFor(p, scheme, m, e.income_base));
      int64_t give = std::min(left, d.amount);
      Acc& a = months[m];
      a.due = std::max(a.due, d.amount);
      a.income = std::max(a.income, d.income_base);
      if (give > 0) {
        a.paid += give;
        a.payments++;
        left -= give;
      }
    }
    st.overpaid += left;
  }
  std::vector<int32_t> covered;
  for (const auto& [m, a] : months) {
    MonthLine line{m, a.due, a.paid, a.payments, MonthState::kPartial};
    if (a.paid < a.due) {
      st.partial_months++;
      st.shortfall += a.due - a.paid;
    } else {
      line.state = a.paid > a.due ? MonthState::kPaidTwice : MonthState::kPaid;
      if (a.paid > a.due) {
        st.paid_twice_months++;
        st.paid_twice_excess += a.paid - a.due;
      }
      covered.push_back(m);
      st.insured_income.push_back({m, a.income});
    }
    st.months.push_back(line);
  }
  st.covered_months = static_cast<int>(covered.size());
  st.covered = MergeMonths(covered);
  return st;
}

}  // namespace malchin::insurance
