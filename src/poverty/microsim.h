// Static ("morning-after") microsimulation of cash benefits on household
// microdata (spec §3): baseline and reform rules on the same households,
// no behavioural response, the benefit change added to consumption.
//
//   C_h^r = C_h + MPC * Δ_h,  Δ_h = Σ_programmes (B_h^reform - B_h^baseline)
//
// The baseline is the observed data (consumption already contains what the
// baseline rules paid), so only the change is simulated. A rule is a small
// struct (target group by age range, areas and household flags, amount per
// person or per household, cap, months, take-up); amounts are dated,
// picked on the policy's date. Surveys carry completed ages, not birth
// dates or NSO soum codes, so survey programmes are these structs (from a
// scenario file, scenario_file.h); over the register, programmes are
// written in the rule language instead (register_sim.h).
//
// Money is integer MNT: per-household amounts are int64; weighted
// aggregates (costs, beneficiaries) are doubles because weights are not
// whole numbers.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "poverty/domains.h"
#include "poverty/measures.h"
#include "poverty/survey.h"

namespace malchin::poverty {

// An amount in force from `from` until the next entry.
struct DatedAmount {
  Date from;
  int64_t mnt = 0;  // MNT per unit per month, >= 0
};

struct BenefitRule {
  // Stable programme id ("cmp", "dzud_topup"): matches a reform rule with
  // the baseline rule of the same programme, and keys the take-up draw.
  std::string programme;
  enum class Unit : uint8_t {
    kPerson,     // amount per eligible member
    kHousehold,  // amount per eligible household
  };
  Unit unit = Unit::kPerson;
  // Persons counted: min_age <= age <= max_age (completed years at the
  // survey). For kHousehold rules the household needs at least one member
  // in the range (with the default range: any household). Ages need the
  // persons file unless the range is the default.
  int min_age = 0;
  int max_age = kAnyAge;
  // Household conditions, all must hold: area code (soum) in `areas`
  // (empty: everywhere) and every column in `household_flags` non-zero
  // (e.g. "dzud_soum", or a PMT selection column).
  std::vector<int32_t> areas;
  std::vector<std::string> household_flags;
  // Dated amounts; the one in force on the policy's date applies.
  std::vector<DatedAmount> amount;
  // Most a household can get from this rule per month; 0 = no cap.
  int64_t cap_per_household = 0;
  // Months paid per year: 12 for a monthly benefit, 1 for a one-off.
  int months = 12;
  // Share of eligible households that take up an increase (0..1]. A unit
  // takes up iff its draw u < takeup (see SimulationOptions); one that does
  // not keeps its baseline entitlement. Decreases apply to everybody.
  // Ignored in the baseline policy (the baseline is observed).
  double takeup = 1.0;

  static constexpr int kAnyAge = 200;
};

struct Policy {
  std::string name;                // "baseline", "cmp100", ...
  std::string parameter_version;   // version of the parameter set used
  Date date;                       // rules and amounts in force on this date
  std::vector<BenefitRule> rules;  // at most one rule per programme
};

// How a payment for m months enters monthly welfare (spec §3.1 item 5).
enum class Timing : uint8_t {
  kPaymentMonth,   // Δ as paid in a payment month (reference convention)
  kAnnualAverage,  // Δ * months / 12
};

struct SimulationOptions {
  // Poverty line, SEs, quantile rule, threads for the distribution measures.
  MeasureOptions measures;
  EquivalenceScale scale = EquivalenceScale::kPerCapita;
  double mpc = 1.0;  // share of the benefit change consumed, in [0,1]
  Timing timing = Timing::kPaymentMonth;
  // Take-up draws. If takeup_column is set, u_h is that household column
  // (values in [0,1); the reference data ship one as "u_takeup"), the same
  // for every programme. Otherwise u = hash(seed, programme, household id)
  // / 2^64 (SplitMix64): deterministic, independent of the order of
  // households or rules, and identical across scenarios (common random
  // numbers).
  std::string takeup_column;
  uint64_t seed = 0;
  // Fill ScenarioResult::household_delta (8 bytes per household).
  bool keep_household_delta = false;
};

// The draw used for household `hh_id` and `programme` when no column is
// given: in [0,1), a pure function of its arguments.
double TakeupDraw(uint64_t seed, std::string_view programme, int64_t hh_id);

// Reproducibility record printed in every report.
struct Manifest {
  std::string engine = "malchin-poverty 1";
  std::vector<InputFile> inputs;
  // Content hash of the household and person columns actually used
  // (SplitMix-based 64-bit, hex): identifies in-memory data too.
  std::string data_fingerprint;
  std::string baseline_policy, baseline_parameter_version, baseline_date;
  std::string reform_policy, reform_parameter_version, reform_date;
  double poverty_line = 0;
  double mpc = 1;
  std::string scale, timing, takeup_source, quantile_rule, standard_errors;
  uint64_t seed = 0;
};

struct ProgrammeResult {
  std::string programme;
  double cost_month = 0;              // Σ w Δ_programme, MNT per month
  double cost_year = 0;               // cost_month * months
  double beneficiary_units = 0;       // Σ w * units gaining
  double beneficiary_households = 0;  // Σ w [Δ_programme > 0]
};

struct ScenarioResult {
  std::string name;  // reform policy name
  double cost_month = 0;
  double cost_year = 0;
  double benef_households = 0;  // Σ w [Δ > 0] (gaining households)
  double benef_units = 0;       // Σ w * units gaining, over programmes
  double persons_in_benef_households = 0;  // Σ w s [Δ > 0]
  double loser_households = 0;             // Σ w [Δ < 0]
  double persons_in_loser_households = 0;
  // Pre-reform poverty gap Σ v max(z - y, 0) and after the reform.
  double poverty_gap_baseline = 0;
  double poverty_gap_reform = 0;
  // (gap_baseline - gap_reform) / cost_month: share of each MNT that closes
  // the poverty gap (1 = perfect targeting). NaN if the cost is not > 0.
  double gap_closed_per_mnt_spent = 0;
  // Share of spending reaching the pre-reform poor; NaN if cost <= 0.
  double cost_to_poor_share_pre = 0;
  // Share of spending by pre-reform per-capita decile (persons, laeken cut
  // points, whole households); NaN if cost <= 0.
  std::array<double, 10> spend_share_pre_decile{};
  std::vector<ProgrammeResult> programmes;
  Comparison measures;  // baseline, reform and change, by domain
  // Monthly benefit change per household, MNT, in input order; only with
  // SimulationOptions::keep_household_delta.
  std::vector<int64_t> household_delta;
  Manifest manifest;
};

// A prepared simulation: validated survey, domains, design and the
// baseline's measures, reused by every reform.
// REQUIRES: `survey` outlives the Simulator. Thread-safety: Run is const
// and may be called concurrently.
class Simulator {
 public:
  // Validates the survey, the baseline policy and the options (an error
  // names the programme and field). Computes the baseline measures once.
  static Result<Simulator> Make(const Survey& survey, DomainSet domains,
                                Policy baseline, SimulationOptions options);

  // Simulates `reform` against the baseline. InvalidArgument /
  // FailedPrecondition for a bad rule (unknown flag column, ages without
  // persons, no amount in force on the date, ...), or if a household's
  // consumption becomes <= 0.
  Result<ScenarioResult> Run(const Policy& reform) const;

  const Estimates& baseline() const;

  struct State;

 private:
  explicit Simulator(std::shared_ptr<const State> s) : state_(std::move(s)) {}
  std::shared_ptr<const State> state_;
};

}  // namespace malchin::poverty
