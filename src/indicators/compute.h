// Computing an indicator for a period and an area, over the capabilities'
// own repositories (never SQL in the indicator file). The reference date
// is the period's last day. Area scoping: `area` is intersected with the
// session's caller area by the repositories, as everywhere.
//
// What each computation counts (docs/indicators.md says it for readers):
//  * insurance_coverage_social / _health: exactly what `malchin insurance
//    coverage` gives for the month of the reference date (herders of
//    working age on the month's 1st, insurance::ComputeCoverage); numerator
//    the insured, denominator the herders; percent.
//  * grievances_resolved_in_time: the grievance cases received in the
//    period in the area that the caller sees in detail (grievance::
//    Repository::Facts; confidential cases it may not see are left out);
//    numerator those decided on or before their resolution deadline.
//  * children_top_up / children_top_up_amount: the payments the bank
//    reported paid, of every plan's installments DUE in the period
//    (response::Repository::InstallmentsDue, PaymentCounts), to
//    beneficiaries aged 0-17 by the age band of the plan's frozen
//    snapshot, in the area: their number (a child paid in two installments
//    due in the period counts twice) or their amount in MNT.
//  * female_headed_reached / young_herder_reached: herder households (the
//    register's flag now) with a payment reported paid, of every plan's
//    installments due in the period, in the area, each counted once, whose
//    head is a woman (the plan's snapshot) / is younger than the parameter
//    indicators.young_herder.head_age_below on the reference date (the
//    register's active head).
//  * days_to_first_payment: per event and aimag (entitlements' soums in
//    the area) whose first payment reported paid (still paid) was imported
//    from the bank within the period, the days from the event's
//    declaration to that import's date; the value is their mean.
//  * pdm_full_amount: the weighted share answering that the amount they
//    received is at least the amount paid ("amount_received>=paid" of
//    pdm/findings.h, the standard form), over every approved PDM sample
//    with a sampled unit in the area of a payroll whose installment is due
//    in the period; samples combine by their weighted counts. Numerator
//    and denominator are weighted counts in thousandths of a household
//    (1000 x estimated units, rounded); by head's sex the domains' counts.
//
// Reads only; changes nothing. Thread-safety: like its session.
#pragma once

#include "indicators/framework.h"
#include "indicators/value.h"
#include "params/parameters.h"
#include "store/area.h"
#include "store/session.h"

namespace malchin::indicators {

// The indicator's value with its disaggregation table (Tally). Errors of
// the repositories and parameters.
Result<IndicatorValue> Compute(store::Session& session,
                               const params::ParameterSet& params,
                               const Indicator& indicator, const Period& period,
                               const store::AreaFilter& area);

}  // namespace malchin::indicators
