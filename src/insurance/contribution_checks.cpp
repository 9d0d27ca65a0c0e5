#include "insurance/contribution_checks.h"

#include <cmath>

#include "insurance/schemes.h"

namespace malchin::insurance {
namespace {

std::string Thousands(int64_t v) {
  std::string s = std::to_string(v);
  for (int i = static_cast<int>(s.size()) - 3; i > (v < 0 ? 1 : 0); i -= 3) {
    s.insert(static_cast<size_t>(i), ",");
  }
  return s;
}

}  // namespace

Status CheckPaymentDates(const params::ParameterSet& p, Date paid_on,
                         int32_t first_month, int32_t months, Date today) {
  if (paid_on > today) {
    return Status::InvalidArgument(
        "date " + paid_on.ToString() +
            ": a contribution is recorded when it is paid, on or before "
            "today (" +
            today.ToString() + ")",
        "date");
  }
  MALCHIN_ASSIGN_OR_RETURN(double through,
                           p.Value("insurance.rates_set_through", today));
  const int32_t set = static_cast<int32_t>(std::lround(through));
  const int32_t last_set = MakeMonth(set / 100, set % 100);
  const int32_t last = first_month + months - 1;
  if (last > last_set) {
    return Status::InvalidArgument(
        "months " + MonthName(first_month) + " to " + MonthName(last) +
            ": the rates and minimum wage are set through " +
            MonthName(last_set) +
            " (insurance.rates_set_through); a later month cannot be priced "
            "until an administrator adds its values",
        "months");
  }
  return Status::Ok();
}

Status CheckDeclaredIncome(const params::ParameterSet& p,
                           InsuranceScheme scheme, int32_t first_month,
                           int32_t months, int64_t declared_income) {
  if (scheme != InsuranceScheme::kSocial || declared_income <= 0) {
    return Status::Ok();
  }
  for (int32_t m = first_month; m < first_month + months; ++m) {
    Date on = FirstDayOf(m);
    MALCHIN_ASSIGN_OR_RETURN(int64_t wage, p.Money("minimum_wage.monthly", on));
    MALCHIN_ASSIGN_OR_RETURN(double ratio,
                             p.Value("insurance.social.min_base_ratio", on));
    const int64_t floor = std::llround(ratio * static_cast<double>(wage));
    if (declared_income < floor) {
      char r[32];
      std::snprintf(r, sizeof r, "%g", ratio);
      return Status::InvalidArgument(
          "income " + Thousands(declared_income) +
              ": below the insurable minimum of " + Thousands(floor) +
              " MNT for " + MonthName(m) +
              " (insurance.social.min_base_ratio " + r +
              " x minimum_wage.monthly " + Thousands(wage) +
              "); declare at least that, or no income to pay on the minimum",
          "income");
    }
  }
  return Status::Ok();
}

Status CheckContribution(const params::ParameterSet& p, const PaymentRequest& r,
                         Date today) {
  if (r.amount && *r.amount == 0) {
    return Status::InvalidArgument(
        "amount 0: expected a positive amount in MNT (a payment of nothing "
        "records nothing)",
        "amount");
  }
  MALCHIN_RETURN_IF_ERROR(
      CheckPaymentDates(p, r.paid_on, r.first_month, r.months, today));
  return CheckDeclaredIncome(p, r.scheme, r.first_month, r.months,
                             r.declared_income);
}

Status CheckRemittanceContributions(const params::ParameterSet& p,
                                    const RemittanceRequest& r, Date today) {
  for (size_t i = 0; i < r.members.size(); ++i) {
    const MemberRequest& m = r.members[i];
    Status st = CheckPaymentDates(p, r.paid_on, m.first_month, m.months, today);
    if (st.ok()) {
      st = CheckDeclaredIncome(p, m.scheme, m.first_month, m.months,
                               m.declared_income);
    }
    if (!st.ok()) {
      return st.WithContext("member " + std::to_string(i + 1) + " (" +
                            m.register_no + ")");
    }
  }
  return Status::Ok();
}

}  // namespace malchin::insurance
