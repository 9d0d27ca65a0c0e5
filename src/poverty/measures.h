// Poverty and inequality measures over household microdata, by domain, with
// design-based standard errors.
//
// Welfare is a per-household value y_h (per-capita or equivalised
// consumption, MNT per month) shared by all s_h members; every statistic is
// person-weighted with v_h = w_h * s_h (docs/poverty.md §2, spec §1.2). The
// formulas, names and conventions are those of the R reference
// (laeken 0.5.2, survey 4.1): poor iff y < z (strict), midpoint Gini,
// laeken weighted quantiles, quintile shares with whole-household cut
// points (A) and Lorenz interpolation (B).
//
//   DomainSet domains = DomainSet::National(n);
//   MeasureOptions opt;
//   opt.poverty_line = 200000;
//   opt.standard_errors = StandardErrors::kBoth;
//   MALCHIN_ASSIGN_OR_RETURN(Population pop,
//                            Population::Make(view, domains, opt));
//   MALCHIN_ASSIGN_OR_RETURN(Estimates est, pop.Estimate(welfare));
//   double headcount = est.domains[0][Measure::kFgt0];
//
// Scale: a Population is built once (O(n)); each Estimate sorts the welfare
// once (radix sort) and makes two linear passes for all measures and all
// domains together, so a national register (10 million persons, ~2.7
// million households) takes a fraction of a second. Standard errors are for
// samples only (surveys): leave the design empty for full-register runs.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "poverty/domains.h"

namespace malchin::poverty {

// Every measure the engine reports. Names (MeasureName) are those of the
// reference file reference_values.csv where it has them.
enum class Measure : uint8_t {
  kPopulation,       // "population": persons, sum of w*s
  kHouseholds,       // "households": sum of w
  kMean,             // "mean_pc": mean welfare per person
  kMedian,           // "median_pc"
  kFgt0,             // "fgt0": headcount ratio
  kFgt1,             // "fgt1": poverty gap index
  kFgt2,             // "fgt2": squared gap (severity)
  kWatts,            // "watts"
  kPoorPersons,      // "poor_persons"
  kPovertyGapTotal,  // "poverty_gap_total_mnt_month": sum v*max(z-y,0)
  kGini,             // "gini_midpoint", in [0,1]
  kGiniX100,         // "gini_laeken_x100" (= laeken::gini)
  kTheil,            // "theil_T_ge1": GE(1)
  kMld,              // "mld_ge0": GE(0), mean log deviation
  kGe2,              // "ge2": GE(2), half the squared coefficient of variation
  kAtkinson05,       // "atkinson_e0.5"
  kAtkinson1,        // "atkinson_e1"
  kAtkinson2,        // "atkinson_e2"
  kP10,              // "weighted_quantile_p10" ... laeken weighted quantiles
  kP20,
  kP25,
  kP30,
  kP40,
  kP60,
  kP70,
  kP75,
  kP80,
  kP90,
  kShareA1,  // "quintile_share_A_q1" .. q5: whole households, laeken cuts
  kShareA2,
  kShareA3,
  kShareA4,
  kShareA5,
  kShareB1,  // "quintile_share_B_q1" .. q5: Lorenz interpolation
  kShareB2,
  kShareB3,
  kShareB4,
  kShareB5,
  kPalmaA,            // "palma_A": T(y > Q.9) / T(y <= Q.4)
  kPalmaB,            // "palma_B": (1 - L(.9)) / L(.4)
  kQsr,               // "qsr_laeken": S80/S20 ratio of totals (= laeken::qsr)
  kChildPovertyRate,  // "child_poverty_rate_0_17": children counted, w*c
  kFgt0Households,    // "fgt0_hh_weighted": households counted, w
  kCount
};
inline constexpr size_t kMeasureCount = static_cast<size_t>(Measure::kCount);
using MeasureValues = std::array<double, kMeasureCount>;

std::string_view MeasureName(Measure m);
// The measure called `name` (as MeasureName spells it), if any.
std::optional<Measure> MeasureFromName(std::string_view name);
// True for the measures whose standard error needs the jackknife
// (quantiles, shares, Palma, QSR): no linearised SE is reported for them.
bool IsQuantileBased(Measure m);

// Quantile definition (spec §2.6). kLaeken (default): Q(p) = y_(k),
// k = min{i : C_i/N > p}, as laeken 0.5.2. kEurostat: k = min{i : C_i/N >= p}
// and, if C_k/N == p exactly, the mean of y_(k) and y_(k+1). They differ only
// when a cumulative weight share equals p exactly (unit or round weights).
enum class QuantileRule : uint8_t { kLaeken, kEurostat };

// What to do with a stratum that has a single PSU, whose variance cannot be
// estimated (R survey option survey.lonely.psu):
//   kFail    (survey default "fail"): Population::Make returns an error
//            naming the stratum.
//   kRemove  ("remove" / "certainty"): the stratum contributes nothing.
//   kAdjust  ("adjust"): the lonely PSU's total is centred at zero (the
//            overall mean of the estimating function) instead of at the
//            stratum mean; contributes z^2.
//   kAverage ("average"): the variance is scaled by #strata / #strata with
//            more than one PSU.
// The jackknife cannot delete the only PSU of a stratum: with any option but
// kFail such strata contribute nothing to jackknife variances (and kAverage
// rescales them in the same way).
enum class LonelyPsu : uint8_t { kFail, kRemove, kAdjust, kAverage };

enum class StandardErrors : uint8_t {
  kNone,           // full-register runs: no sampling variance
  kLinearization,  // Taylor linearisation, with-replacement PSUs in strata
  kJackknife,      // delete-one-PSU jackknife (JKn), all measures
  kBoth,
};

struct MeasureOptions {
  // Absolute poverty line z > 0, same units as welfare.
  double poverty_line = 0;
  QuantileRule quantile_rule = QuantileRule::kLaeken;
  StandardErrors standard_errors = StandardErrors::kNone;
  LonelyPsu lonely_psu = LonelyPsu::kFail;
  // Worker threads (1 = run on the caller's thread). Results do not depend
  // on the number of threads.
  int threads = 1;
};

// Non-owning view of the household columns that do not change between
// scenarios. All non-empty spans have one entry per household.
struct HouseholdView {
  std::span<const double> weight;     // w_h > 0, finite (households)
  std::span<const int32_t> size;      // s_h >= 1 persons
  std::span<const int32_t> children;  // optional c_h >= 0 (child poverty)
  // Optional sample design. Needed iff standard errors are asked for. A PSU
  // is identified by the pair (stratum, psu), i.e. PSUs are nested in strata
  // (survey's nest=TRUE; with globally unique PSU codes this is the same).
  std::span<const int32_t> stratum;
  std::span<const int32_t> psu;
  // Optional finite population correction (R survey's `fpc` given as a
  // fraction): for each household, the sampling fraction f of its stratum,
  // PSUs sampled / PSUs in the population stratum, in [0, 1] and equal
  // within a stratum. Each stratum's variance contribution is multiplied by
  // 1 - f (linearisation and jackknife alike). Empty: PSUs drawn with
  // replacement, no correction.
  std::span<const double> sampling_fraction = {};
};

// All measures for one domain. value[m] is NaN where a measure is not
// defined (e.g. child poverty without children); se_lin / se_jkn are NaN
// where not computed or not available (no linearised SE for quantile-based
// measures; a jackknife replicate that empties the domain makes it NaN).
struct DomainEstimates {
  std::string domain;
  MeasureValues value;
  MeasureValues se_lin;
  MeasureValues se_jkn;
  double operator[](Measure m) const { return value[static_cast<size_t>(m)]; }
  double SeLin(Measure m) const { return se_lin[static_cast<size_t>(m)]; }
  double SeJkn(Measure m) const { return se_jkn[static_cast<size_t>(m)]; }
};

struct Estimates {
  std::vector<DomainEstimates> domains;  // in DomainSet order
  // Design degrees of freedom (#PSU - #strata) for t-based intervals; 0 when
  // there is no design.
  int design_df = 0;
  const DomainEstimates* Find(std::string_view domain) const;
};

// Two scenarios on the same households (baseline and reform): both sets of
// estimates, and the change reform - baseline with the standard error of the
// paired difference (influence u_R - u_B; jackknife replicate differences).
struct Comparison {
  Estimates baseline;
  Estimates reform;
  Estimates change;
};

// The prepared, immutable population: weights, sizes, domains and design.
// Thread-safety: const methods may be called concurrently.
class Population {
 public:
  // Validates and copies what it needs from `households`. InvalidArgument
  // naming the household row (0-based) for a non-positive or non-finite
  // weight, a size < 1, a negative child count, mismatched lengths, an
  // empty domain, a design given only in part, or a bad poverty line;
  // FailedPrecondition for a stratum with one PSU when SEs are asked for
  // and options.lonely_psu is kFail.
  static Result<Population> Make(const HouseholdView& households,
                                 DomainSet domains,
                                 const MeasureOptions& options);

  // All measures for every domain, for per-household welfare `welfare`
  // (one finite value > 0 per household; an error names the first row
  // that is not, because Watts, MLD, Theil and Atkinson need logs and
  // negative powers).
  Result<Estimates> Estimate(std::span<const double> welfare) const;

  // Baseline and reform welfare on the same households, and the change.
  // With options.threads >= 2 the two scenarios run in parallel.
  Result<Comparison> Compare(std::span<const double> baseline,
                             std::span<const double> reform) const;

  size_t households() const;
  const DomainSet& domains() const;
  const MeasureOptions& options() const;

  struct Impl;
  // For the engine's own modules (microsimulation).
  const Impl& impl() const { return *impl_; }

 private:
  explicit Population(std::shared_ptr<const Impl> impl)
      : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

// ---- Single-vector helpers (no domains, no design) -------------------------
// They validate like Population (weights > 0 and finite, equal lengths, at
// least one row) and return InvalidArgument otherwise.

// Weighted quantile Q(p), p in [0,1]; Q(0) = min, Q(1) = max.
Result<double> WeightedQuantile(std::span<const double> y,
                                std::span<const double> weight, double p,
                                QuantileRule rule = QuantileRule::kLaeken);
// Midpoint Gini (spec §2.3), in [0,1]; y >= 0 with a positive total.
Result<double> Gini(std::span<const double> y, std::span<const double> weight);
// convey's point formula sum((2C_i - 1) v_i y_i)/(N T) - 1: NOT the engine's
// Gini (differs by O(1/n) and changes when households are split into
// persons); provided only to document and test that difference.
Result<double> GiniConveyFormula(std::span<const double> y,
                                 std::span<const double> weight);

}  // namespace malchin::poverty
