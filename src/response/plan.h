// Response plans: checking a plan, turning it into a rule, previewing it
// over the register and choosing the beneficiaries of its snapshot.
//
// A plan's rule is written in the rule language (src/rules, docs/rules.md).
// For a VERTICAL expansion the plan tops up a programme's caseload: a person
// qualifies when the programme's eligibility AND the plan's eligibility are
// both true (e.g. Child Money "age <= param("child_money.max_age")" and the
// plan's "age < 6 and event.severity >= high"). A HORIZONTAL expansion
// reaches new beneficiaries by the plan's rule alone. The plan's amount is
// MNT per beneficiary per installment (a number or a formula; a household
// cap may apply); every installment pays that amount.
//
// Thread-safety: functions are reentrant; results are plain values.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "geo/geography.h"
#include "params/parameters.h"
#include "registry/population.h"
#include "rules/evaluator.h"
#include "rules/rule.h"
#include "store/response_store.h"

namespace malchin::response {

// Programmes Malchin knows: "child_money" (the Child Money Programme: every
// child aged 0 to child_money.max_age, child_money.monthly MNT a month;
// both dated parameters). NotFound for another code.
Result<store::ProgrammeRecord> BuiltInProgramme(std::string_view code);

// Checks a plan before it is stored: code, kind (vertical needs a
// programme, horizontal none), unit, cap, dates (cut-off on or before the
// end, start not after the end) and installments (numbered 1..n in order,
// due dates strictly increasing, within start..end). Every problem is
// listed in one InvalidArgument.
Status ValidatePlan(const store::PlanRecord& plan);

// The rule of a plan: for a vertical plan the programme's eligibility and
// the plan's together. Compile errors point at the plan's own text
// ("eligibility:1:9: ...") with every problem listed.
// REQUIRES: `programme` is given for a vertical plan.
Result<rules::Rule> PlanRule(
    const store::PlanRecord& plan,
    const std::optional<store::ProgrammeRecord>& programme,
    std::shared_ptr<const params::ParameterSet> parameters);

// The event's soums as rules see them.
rules::EventContext EventContextOf(const store::ShockEventRecord& event);

// A plan bound to a register on its cut-off date. Keeps the Population's
// address: REQUIRES the Population outlives it and stays unchanged.
struct BoundPlan {
  std::shared_ptr<const rules::Frame> frame;
  std::shared_ptr<const rules::EventContext> event;
  std::optional<rules::Evaluator> evaluator;
};
Result<BoundPlan> BindPlan(
    const store::PlanRecord& plan,
    const std::optional<store::ProgrammeRecord>& programme,
    const store::ShockEventRecord& event,
    const registry::Population& population,
    std::shared_ptr<const params::ParameterSet> parameters,
    const geo::Geography* geography, int threads = 0);

// The beneficiaries of a bound plan with each one's payee: the beneficiary
// if they have a bank account, otherwise (a child) the caregiver who
// receives Child Money for them: the household's female head or spouse
// aged 18 or more with an account (the mother), else its head or spouse
// with one, else its oldest adult with one; else the beneficiary alone
// (the payment is then held back at export: no account).
// `has_account` is per person index of the bound Population.
std::vector<store::SnapshotChoice> ChooseBeneficiaries(
    const BoundPlan& bound, const std::vector<uint8_t>& has_account);

}  // namespace malchin::response
