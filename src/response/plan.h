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
#include "response/model.h"
#include "response/payees.h"
#include "rima/repository.h"
#include "rules/evaluator.h"
#include "rules/rule.h"
#include "store/session.h"

namespace malchin::response {

// Programmes Malchin knows: "child_money" (the Child Money Programme: every
// child aged 0 to child_money.max_age, child_money.monthly MNT a month;
// both dated parameters). NotFound for another code.
Result<response::ProgrammeRecord> BuiltInProgramme(std::string_view code);

// Checks a plan before it is stored: code, kind (vertical needs a
// programme, horizontal none), unit, cap, amount (a plain number must be
// positive; a formula is judged by the preview), dates (cut-off on or
// before the end and on or before the first installment, start not after
// the end) and installments (numbered 1..n in order, due dates strictly
// increasing, within start..end). Every problem is listed in one
// InvalidArgument.
Status ValidatePlan(const response::PlanRecord& plan);

// Checks that every installment falls within the event's dates (from its
// start to its end, if it has one), unless the plan states why not
// (schedule_reason). InvalidArgument listing each installment outside.
Status ValidateSchedule(const response::PlanRecord& plan,
                        const response::ShockEventRecord& event);

// The extension column every plan's rule may use (docs/rules.md): a
// household's RIMA resilience quintile, 1 (least resilient) .. 5, from its
// latest score (rima::ScoreRepository::LatestQuintiles); missing for a
// household without a score. Rules say e.g. "has(rci_quintile) and rci_quintile
// == 1".
inline constexpr std::string_view kRciQuintile = "rci_quintile";
rules::ColumnSpec RciQuintileColumn();

// What plan rules compile against: the built-in fields, rci_quintile and
// `parameters`' names.
rules::Schema PlanSchema(
    std::shared_ptr<const params::ParameterSet> parameters);

// True if the plan's rule (with its programme's, for a vertical plan)
// mentions rci_quintile, i.e. needs its values to be bound.
bool PlanUsesRciQuintile(
    const response::PlanRecord& plan,
    const std::optional<response::ProgrammeRecord>& programme);

// The values of rci_quintile for `population`, aligned to its households
// by household id; a household absent from `quintiles` is missing (not 0).
// Quintiles of households not in `population` are ignored.
Result<rules::Extensions> PlanExtensions(
    const registry::Population& population,
    const std::vector<rima::RimaQuintile>& quintiles);

// The rule of a plan: for a vertical plan the programme's eligibility and
// the plan's together. Compile errors point at the plan's own text
// ("eligibility:1:9: ...") with every problem listed.
// REQUIRES: `programme` is given for a vertical plan.
Result<rules::Rule> PlanRule(
    const response::PlanRecord& plan,
    const std::optional<response::ProgrammeRecord>& programme,
    std::shared_ptr<const params::ParameterSet> parameters);

// The event's soums as rules see them.
rules::EventContext EventContextOf(const response::ShockEventRecord& event);

// The event `code` with its soums in the session's caller area, as rules
// see it (a broadcast's target reads it). NotFound naming the code.
Result<rules::EventContext> LoadEventContext(store::Session& session,
                                             std::string_view code);

// A plan bound to a register on its cut-off date. Keeps the Population's
// address: REQUIRES the Population outlives it and stays unchanged.
// `extensions` (PlanExtensions for that Population) supplies the values of
// rci_quintile; needed only if the rule uses it (FailedPrecondition
// otherwise). It is not copied: REQUIRES it outlives the BoundPlan.
struct BoundPlan {
  std::shared_ptr<const rules::Frame> frame;
  std::shared_ptr<const rules::EventContext> event;
  std::optional<rules::Evaluator> evaluator;
};
Result<BoundPlan> BindPlan(
    const response::PlanRecord& plan,
    const std::optional<response::ProgrammeRecord>& programme,
    const response::ShockEventRecord& event,
    const registry::Population& population,
    std::shared_ptr<const params::ParameterSet> parameters,
    const geo::Geography* geography, int threads = 0,
    const rules::Extensions* extensions = nullptr);

// Like BindPlan, on a frame already built from the register (e.g. by
// FrameCache), which the BoundPlan keeps alive. InvalidArgument if the
// frame is not on the plan's cut-off date.
Result<BoundPlan> BindPlanToFrame(
    const response::PlanRecord& plan,
    const std::optional<response::ProgrammeRecord>& programme,
    const response::ShockEventRecord& event,
    std::shared_ptr<const rules::Frame> frame,
    std::shared_ptr<const params::ParameterSet> parameters,
    const geo::Geography* geography, int threads = 0,
    const rules::Extensions* extensions = nullptr);

// The beneficiaries of a bound plan with each one's payee: the beneficiary
// if they have a bank account, otherwise (a child) the caregiver `order`
// chooses among the household's members with an account (payees.h: the
// mother, then the father, then the oldest adult as shipped); else the
// beneficiary alone (the payment is then held back at export: no account).
// `has_account` is per person index of the bound Population.
std::vector<response::SnapshotChoice> ChooseBeneficiaries(
    const BoundPlan& bound, const std::vector<uint8_t>& has_account,
    const PayeeOrder& order);

}  // namespace malchin::response
