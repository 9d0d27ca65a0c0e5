// Internals shared by the poverty engine's modules (measures, standard
// errors, microsimulation). Not part of the public API.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "core/status.h"
#include "poverty/domains.h"
#include "poverty/internal/big_buffer.h"
#include "poverty/measures.h"

namespace malchin::poverty {

struct Population::Impl {
  size_t n = 0;
  internal::BigVector<double> weight;      // w_h
  internal::BigVector<double> person_w;    // v_h = w_h * s_h
  internal::BigVector<double> children_w;  // w_h * c_h (empty: no counts)
  DomainSet domains;
  MeasureOptions options;
  // Design (empty unless standard errors are asked for).
  bool has_design = false;
  internal::BigVector<int32_t> psu_of;   // household -> dense PSU index
  std::vector<int32_t> stratum_of_psu;   // PSU -> dense stratum index
  std::vector<int32_t> psus_in_stratum;  // stratum -> number of PSUs
  std::vector<double> fpc_of_stratum;    // stratum -> 1 - f (1: no FPC)
  int num_psu = 0;
  int num_strata = 0;
  int lonely_strata = 0;

  bool WantLin() const {
    return has_design &&
           (options.standard_errors == StandardErrors::kLinearization ||
            options.standard_errors == StandardErrors::kBoth);
  }
  bool WantJkn() const {
    return has_design &&
           (options.standard_errors == StandardErrors::kJackknife ||
            options.standard_errors == StandardErrors::kBoth);
  }
};

namespace internal {

// Probabilities evaluated in the sorted pass, ascending.
inline constexpr std::array<double, 11> kProbs = {0.1, 0.2, 0.25, 0.3, 0.4, 0.5,
                                                  0.6, 0.7, 0.75, 0.8, 0.9};
inline constexpr size_t kNumProbs = kProbs.size();
// Indices into kProbs.
inline constexpr size_t kIdxP20 = 1, kIdxP40 = 4, kIdxP50 = 5, kIdxP60 = 6,
                        kIdxP80 = 9, kIdxP90 = 10;

// Household totals per domain that every non-sorted measure is a function of.
enum TotalIndex : int {
  kTN,          // sum v
  kTW,          // sum w
  kTT,          // sum v y
  kTPoor,       // sum v [y<z]
  kTGap,        // sum v [y<z] (z-y)/z
  kTGap2,       // sum v [y<z] ((z-y)/z)^2
  kTWatts,      // sum v [y<z] ln(z/y)
  kTYLogY,      // sum v y ln y
  kTLogY,       // sum v ln y
  kTY2,         // sum v y^2
  kTSqrtY,      // sum v sqrt(y)
  kTInvY,       // sum v / y
  kTChild,      // sum w c
  kTChildPoor,  // sum w c [y<z]
  kTHhPoor,     // sum w [y<z]
  kNumTotals
};

// One household's weighted contributions x[kNumTotals] to the totals.
void Contributions(double y, double v, double w, double c_w, double z,
                   double log_z, double* x);

// Everything one scenario (one welfare vector) produces: public estimates
// plus what the change estimates and the microsimulation reuse.
struct ScenarioState {
  Estimates estimates;
  // Households sorted by welfare ascending (stable).
  BigVector<uint32_t> order;
  // Per domain, the weighted quantiles at kProbs; and over all households.
  std::vector<std::array<double, kNumProbs>> cuts;
  std::array<double, kNumProbs> all_cuts{};
  // Per domain and measure: PSU totals of the linearised variable, and
  // jackknife replicate estimates (one per PSU). Empty when not computed.
  std::vector<std::vector<std::vector<double>>> lin;
  std::vector<std::vector<std::vector<double>>> rep;
};

Result<ScenarioState> Evaluate(const Population::Impl& pop,
                               std::span<const double> welfare);
// Change reform - baseline with paired standard errors.
Estimates Change(const Population::Impl& pop, const ScenarioState& base,
                 const ScenarioState& reform);

// Fills se_lin / se_jkn and state->lin / state->rep (standard_errors.cpp).
void ComputeStandardErrors(const Population::Impl& pop,
                           std::span<const double> welfare,
                           ScenarioState* state);
// Fills pop->fpc_of_stratum from households.sampling_fraction (all 1 when
// it is empty). REQUIRES: the design fields of *pop are set. InvalidArgument
// naming the household row for a fraction outside [0, 1] or one that
// differs within a stratum.
Status SetFiniteCorrection(const HouseholdView& households,
                           Population::Impl* pop);
// Variance of a statistic from PSU totals of its linearised variable.
double LinearizedVariance(const Population::Impl& pop,
                          std::span<const double> psu_totals);
// Jackknife (JKn) variance from replicate estimates and the full estimate.
double JackknifeVariance(const Population::Impl& pop,
                         std::span<const double> replicates, double theta);

// Runs fn(begin, end) over [0, n) split into `threads` contiguous parts.
void ParallelFor(size_t n, int threads,
                 const std::function<void(size_t, size_t)>& fn);

// Stable sort of indices 0..n-1 by key (ascending); keys must not be NaN.
void SortIndicesByKey(std::span<const double> key, BigVector<uint32_t>* order);

}  // namespace internal
}  // namespace malchin::poverty
