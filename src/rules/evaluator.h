// Evaluator: a compiled Rule bound to a register on a date, in the context
// of a shock event, ready to preview, select and explain.
//
//   auto frame = Frame::Build(population, cutoff, factors);   // Once.
//   Result<Rule> rule = Rule::Compile(spec, schema);
//   EventContext event = ...;                                  // Soum ->
//   severity. Bindings b{.event = &event, .parameters = params};
//   MALCHIN_ASSIGN_OR_RETURN(Evaluator ev, Evaluator::Bind(*rule, *frame, b));
//   Preview p = ev.ComputePreview();          // Counts and cost, whole
//   register. std::vector<Beneficiary> list = ev.Select();       // For the
//   payroll. Explanation why = *ev.Explain(person_index);       // For one
//   person.
//
// A person is a beneficiary when they are born on the reference date, the
// eligibility condition is true for them (not false, not unknown), their
// amount is known (see money.h for rounding) and, after the household cap
// (if any), above zero. With Unit::kHousehold the rule is tested on each
// household's payee (Frame::Payee) and the payee is the beneficiary.
//
// ComputePreview and Select use up to Bindings::threads threads (std::thread)
// and give identical results for any thread count. Explain follows the
// reference interpreter; tests check that the two always agree.
//
// Thread-safety: an Evaluator is immutable after Bind; all methods are const
// and may run concurrently.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "geo/geography.h"
#include "params/parameters.h"
#include "registry/population.h"
#include "rules/event.h"
#include "rules/frame.h"
#include "rules/rule.h"
#include "rules/schema.h"

namespace malchin::rules {

// What a rule is evaluated against, besides the Frame. Pointers must stay
// valid (and the data unchanged) for the Evaluator's lifetime.
struct Bindings {
  // The shock event; nullptr means no event (severity none everywhere, no
  // event soums).
  const EventContext* event = nullptr;
  // Needed if the rule uses param(...): values are taken on the frame's
  // reference date.
  std::shared_ptr<const params::ParameterSet> parameters;
  // Needed if the rule uses extension columns: their values for the
  // frame's Population.
  const Extensions* extensions = nullptr;
  // Optional: soum and aimag names in explanations.
  const geo::Geography* geography = nullptr;
  // Threads for ComputePreview/Select; 0 = hardware concurrency (at most 8).
  int threads = 0;
};

struct Beneficiary {
  int32_t person = 0;     // Index in the Population (the payee).
  int32_t household = 0;  // Index in the Population.
  int64_t amount = 0;     // MNT, after the household cap.
};

// Beneficiaries and amount by soum of registration x sex x age band x
// disability (the beneficiary's; for household rules, the payee's).
struct PreviewCell {
  int32_t soum_code = 0;   // 0 in Preview::aimag_cells.
  int32_t aimag_code = 0;  // geo::AimagOfSoum(soum_code) in Preview::cells.
  registry::Sex sex = registry::Sex::kFemale;
  int age_band = 0;  // registry::AgeBandOf(age on the reference date).
  bool disability = false;
  int64_t beneficiaries = 0;
  int64_t amount = 0;
};

struct AreaTotal {
  int32_t code = 0;           // Soum or aimag code; 0 for the nation.
  int64_t beneficiaries = 0;  // Persons paid (payees for household rules).
  int64_t households = 0;     // Households with at least one beneficiary.
  int64_t members = 0;        // Persons living in those households.
  int64_t amount = 0;         // MNT, after caps.
};

struct Preview {
  AreaTotal national;
  std::vector<AreaTotal> by_aimag;  // Areas with a beneficiary, by code.
  std::vector<AreaTotal> by_soum;
  std::vector<PreviewCell> cells;        // Non-empty cells, by soum, sex, band,
                                         // disability.
  std::vector<PreviewCell> aimag_cells;  // The same summed by aimag, by
                                         // aimag, sex, band, disability.
  // National beneficiaries and amount by [sex][age band][disability].
  int64_t beneficiaries_by_sex_band_disability[2][registry::kAgeBandCount][2] =
      {};
  int64_t amount_by_sex_band_disability[2][registry::kAgeBandCount][2] = {};
  // Tested (born, and the payee for household rules) and whose condition
  // was unknown because of a missing value: not beneficiaries.
  int64_t unknown_eligibility = 0;
  // Eligible, but the amount was unknown (missing value, division by zero,
  // above kMaxAmount): not beneficiaries.
  int64_t unknown_amount = 0;
  // Eligible with a known amount, but 0 MNT to pay (by the formula or
  // because the household cap was used up): not beneficiaries.
  int64_t zero_amount = 0;
  // Households whose claims exceeded the cap, and the total before caps.
  int64_t capped_households = 0;
  int64_t amount_before_cap = 0;
};

enum class Language { kEnglish, kMongolian };

struct Explanation {
  bool beneficiary = false;       // As Select() would say.
  std::optional<int64_t> amount;  // After the cap, if a beneficiary.
  std::string text;               // Human-readable trace, one step a line.
};

struct EvaluatorInternals;  // evaluator_internal.h (tests, benchmarks).

class Evaluator {
 public:
  // Binds `rule` to `frame` and `bindings`: resolves parameters on the
  // frame's date, the event's severities, extension columns (their row
  // counts must match the Population), and precomputes household counts
  // the rule uses. FailedPrecondition (naming what is missing) if the rule
  // needs a parameter set, a parameter value on that date, or an extension
  // column that `bindings` does not supply.
  static Result<Evaluator> Bind(const Rule& rule,
                                std::shared_ptr<const Frame> frame,
                                const Bindings& bindings);

  // Counts and cost over the whole register. Deterministic.
  Preview ComputePreview() const;
  // Every beneficiary with their amount, in household order (households by
  // index, members by index; for a Population that keeps households
  // together, that is ascending person index).
  std::vector<Beneficiary> Select() const;
  // Why `person` is or is not a beneficiary and how the amount was
  // computed. InvalidArgument if `person` is out of range.
  Result<Explanation> Explain(int32_t person,
                              Language language = Language::kEnglish) const;

  const Frame& frame() const;
  const Rule& rule() const;

 private:
  friend struct EvaluatorInternals;
  struct Impl;
  explicit Evaluator(std::shared_ptr<const Impl> impl)
      : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

}  // namespace malchin::rules
