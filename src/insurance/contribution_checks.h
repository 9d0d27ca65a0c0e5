// What a contribution must be before it is recorded (issue #15, "insurance
// that refuses the impossible"), one place for RecordPayment and
// RecordRemittance (ledger_service.h):
// - It is dated on or before today: a payment is recorded when it is paid.
// - Its months are not beyond the rates that are set: the last month whose
//   rates and minimum wage are known is the dated parameter
//   insurance.rates_set_through (YYYYMM), so months are never priced at
//   rates that were not decided for them.
// - A declared income below the insurable floor (the social scheme's
//   insurance.social.min_base_ratio x minimum_wage.monthly) is refused,
//   naming the rule and the floor, never silently raised; no income
//   declared (0) means the floor.
// - An amount given is positive (a payment of nothing records nothing).
// Each problem is an InvalidArgument naming the field, the value and what
// was expected.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>

#include "core/date.h"
#include "core/status.h"
#include "insurance/ledger_service.h"
#include "params/parameters.h"

namespace malchin::insurance {

Status CheckPaymentDates(const params::ParameterSet& p, Date paid_on,
                         int32_t first_month, int32_t months, Date today);
Status CheckDeclaredIncome(const params::ParameterSet& p,
                           InsuranceScheme scheme, int32_t first_month,
                           int32_t months, int64_t declared_income);
Status CheckContribution(const params::ParameterSet& p, const PaymentRequest& r,
                         Date today);
Status CheckRemittanceContributions(const params::ParameterSet& p,
                                    const RemittanceRequest& r, Date today);

}  // namespace malchin::insurance
