// Static microsimulation of a benefit reform over the national register
// (spec §3 applied to a full register, not a sample).
//
// The programmes are rules of the rule language (rules/rule.h), e.g. the
// Child Money Programme as
//   eligibility "age <= param(\"child_money.max_age\")"
//   amount      "param(\"child_money.monthly\")"
// so that a reform is a parameter patch (ParameterSet::Override) or another
// rule text, never a code change. Baseline and reform are evaluated on the
// same register snapshot and reference date; per household
//   Δ_h = Σ_programmes (reform amount - baseline amount),
// with partial take-up of increases by a deterministic per-household draw
// (TakeupDraw on the household id: common random numbers, independent of
// order). Costs are exact integer MNT: a register has no sampling weights.
//
// Consumption: the register does not record it, so by default a register
// run reports cost, beneficiaries, gainers/losers and coverage by aimag
// only; the poverty and inequality impact then needs the survey
// (Simulator in microsim.h). If the caller supplies a consumption value per
// household (an administrative or imputed welfare measure), every measure
// is also computed, baseline and reform, by domain, without standard errors
// (full-register run, spec §2.8).
//
//   auto frame = rules::Frame::Build(pop, date, factors);
//   RegisterPolicy base{"baseline", params, {cmp20}};
//   RegisterPolicy reform{"cmp100", params->Override(...), {cmp}};
//   MALCHIN_ASSIGN_OR_RETURN(RegisterResult r,
//                            SimulateRegister(frame, base, reform, opt));
//
// Take-up draws use TakeupDraw(seed, programme, RegisterUnitKey(id)).
//
// Thread-safety: SimulateRegister is a pure function of its arguments.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "params/parameters.h"
#include "poverty/measures.h"
#include "poverty/pmt.h"
#include "poverty/survey.h"
#include "registry/population.h"
#include "rules/event.h"
#include "rules/frame.h"
#include "rules/rule.h"
#include "rules/schema.h"

namespace malchin::poverty {

struct RegisterProgramme {
  // Stable id ("child_money"): matches the reform's programme with the
  // baseline's and keys the take-up draw.
  std::string programme;
  rules::RuleSpec rule;  // eligibility and monthly amount per beneficiary
  int months = 12;       // months paid per year (1 for a one-off)
  // Share of households that take up an increase, in [0,1]; those that do
  // not keep their baseline amount. Ignored in the baseline.
  double takeup = 1.0;
};

struct RegisterPolicy {
  std::string name;
  // Parameters for param(...) in the rules, on the frame's date; their
  // version() is recorded in the result. Required.
  std::shared_ptr<const params::ParameterSet> parameters;
  std::vector<RegisterProgramme> programmes;  // at most one per programme id
  // Appended to parameters->version() in results, to tell a patched set
  // from the shipped one (scenario files set "+patch-<hash>").
  std::string parameter_version_suffix;
};

struct RegisterOptions {
  uint64_t seed = 0;  // take-up draws
  int threads = 2;    // rule evaluation and measures
  // Optional shock event (event.severity in rules) and extension columns
  // (e.g. pmt_score, see PmtExtension) for the rules.
  const rules::EventContext* event = nullptr;
  const rules::Extensions* extensions = nullptr;
  // Optional total household consumption, MNT/month, one per household of
  // the frame's Population (> 0 for every household with a member); empty:
  // no poverty or inequality measures.
  std::span<const double> consumption;
  double poverty_line = 0;  // needed with consumption
  double mpc = 1.0;         // share of the benefit change consumed, [0,1]
  QuantileRule quantile_rule = QuantileRule::kLaeken;
};

struct RegisterProgrammeResult {
  std::string programme;
  int64_t baseline_month = 0;  // MNT paid per month under each policy
  int64_t reform_month = 0;    // (after take-up)
  int64_t change_month = 0;
  int64_t change_year = 0;  // change_month * months of the policy paying it
  int64_t beneficiaries_baseline = 0;  // persons paid (payees for
  int64_t beneficiaries_reform = 0;    // household rules)
  int64_t gaining_households = 0;
};

struct RegisterAreaResult {
  int32_t aimag = 0;  // NSO aimag code (soum of registration / 100)
  int64_t households = 0;
  int64_t persons = 0;
  int64_t change_month = 0;
  int64_t gaining_households = 0;
  int64_t persons_in_gaining_households = 0;
};

struct RegisterResult {
  std::string baseline, reform;
  std::string baseline_parameter_version, reform_parameter_version;
  std::string as_of;             // the frame's reference date
  std::string data_fingerprint;  // of the register columns used
  uint64_t seed = 0;
  int64_t households = 0, persons = 0;  // in the frame (persons born)
  int64_t cost_change_month = 0, cost_change_year = 0;
  int64_t gaining_households = 0, persons_in_gaining_households = 0;
  int64_t losing_households = 0, persons_in_losing_households = 0;
  std::vector<RegisterProgrammeResult> programmes;
  std::vector<RegisterAreaResult> by_aimag;  // ascending code
  // Only with consumption: all measures (no SEs) by domain (national,
  // herder, nonherder, hh_with_children, aimag_<code>), households with no
  // member on the date left out (counted here).
  bool has_measures = false;
  int64_t households_without_members = 0;
  double poverty_line = 0;
  double gap_closed_per_mnt_spent = 0;  // NaN if the cost is not > 0
  Comparison measures;
};

// Runs baseline and reform over `frame`. InvalidArgument for a rule that
// does not compile (the message is the rule's first diagnostic, prefixed
// with the policy and programme), a duplicate programme id, bad months or
// take-up, or bad consumption (wrong length, <= 0 for a household with
// members); FailedPrecondition for a parameter or column a rule needs that
// is not supplied.
Result<RegisterResult> SimulateRegister(
    const std::shared_ptr<const rules::Frame>& frame,
    const RegisterPolicy& baseline, const RegisterPolicy& reform,
    const RegisterOptions& options);

// The stable int64 key of a register household id for take-up draws
// (FNV-1a of the id's bytes).
int64_t RegisterUnitKey(std::string_view household_id);

// The register as survey-shaped household columns, so that PMT models
// (pmt.h) can be scored on it: one row per frame household with at least
// one member born on the frame's date, hh_id = the household's index in
// the Population, weight 1, size = those members, their ages as persons,
// and the numeric columns
//   hh_size, n_child_0_17, n_child_0_5, n_elderly_60, herder, livestock
//   (heads), sheep_units, camels, horses, cattle, sheep, goats,
//   head_female, head_age
// Consumption is unknown on a register and is set to 1 (ScorePmt does not
// read it). A model whose terms name other
// proxies (e.g. car, ger) fails to score with the missing column named:
// the register must record the same proxies as the survey (spec §4.1.6).
Survey RegisterAsSurvey(const rules::Frame& frame);

// A household-scope number column `name` with the model's score per
// household of the frame's Population, for rules such as
// "pmt_score <= 11.9"; households without members are missing (nullable).
Status AddPmtScoreColumn(const PmtModel& model, const rules::Frame& frame,
                         const std::string& name, rules::Extensions* ext);

}  // namespace malchin::poverty
