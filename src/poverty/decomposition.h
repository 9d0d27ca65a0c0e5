// Decompositions of poverty and inequality (spec §2.1, §2.4; issue #7):
//
// - FGT by subgroup: over a partition of the population into groups g,
//   FGT_a = sum_g (N_g/N) FGT_a,g, and group g's contribution is
//   N_g FGT_a,g / (N FGT_a) (shares add up to 1).
// - Generalised entropy between and within groups:
//   GE(a) = sum_g w_g GE_g(a) + GE_between(a), w_g = (N_g/N)(mu_g/mu)^a,
//   GE_between = GE of the vector in which everybody has their group's mean.
// - Growth and redistribution (Datt & Ravallion 1992) of the change in
//   poverty between two welfare distributions (two survey rounds, or a
//   baseline and a reform on the same households): the growth component
//   P(mu1, L0) - P(mu0, L0) (mean changes, inequality as before), the
//   redistribution component P(mu0, L1) - P(mu0, L0) (inequality changes,
//   mean as before) and the residual; and the Shapley split, which has no
//   residual (the average of the two orders).
//
// All of them are computed from the engine's own estimates, so they carry
// its conventions (person weights w*s, poor iff y < z, laeken quantiles).
// Thread-safety: pure functions.
#pragma once

#include <array>
#include <span>
#include <string>
#include <vector>

#include "core/status.h"
#include "poverty/measures.h"

namespace malchin::poverty {

struct FgtGroup {
  std::string domain;
  double population_share = 0;           // N_g / N.
  std::array<double, 3> fgt{};           // FGT_0, FGT_1, FGT_2 of the group.
  std::array<double, 3> contribution{};  // N_g FGT_a,g / (N FGT_a); NaN if
                                         // FGT_a = 0.
};

struct GeDecomposition {
  // alpha = 0 (MLD), 1 (Theil T), 2 (half the squared CV), in that order.
  std::array<double, 3> total{};    // GE(a) of the whole population.
  std::array<double, 3> within{};   // sum_g w_g GE_g(a).
  std::array<double, 3> between{};  // GE_between(a).
};

struct SubgroupDecomposition {
  std::string total_domain;
  std::vector<FgtGroup> groups;
  GeDecomposition ge;
  // FGT_a of the whole minus the population-weighted sum over the groups:
  // zero up to rounding when the groups partition the whole.
  std::array<double, 3> fgt_residual{};
};

// Decomposes the estimates of domain `total` over the domains `groups`,
// which must partition it (the caller's DomainSet defines them, e.g. one
// domain per value of a column, AddColumnDomains). InvalidArgument if a
// domain is missing, or if the groups' populations do not add up to the
// total's (relative 1e-9): they would not be a partition.
Result<SubgroupDecomposition> DecomposeBySubgroup(
    const Estimates& estimates, const std::string& total,
    const std::vector<std::string>& groups);

struct GrowthRedistribution {
  std::string domain;
  int alpha = 0;              // FGT_alpha.
  double before = 0;          // P(mu0, L0).
  double after = 0;           // P(mu1, L1).
  double growth = 0;          // P(mu1, L0) - P(mu0, L0).
  double redistribution = 0;  // P(mu0, L1) - P(mu0, L0).
  double residual = 0;        // after - before - growth - redistribution.
  double shapley_growth = 0;
  double shapley_redistribution = 0;  // shapley_growth + this = change.
  double mean_before = 0, mean_after = 0;
};

// Datt-Ravallion decomposition of the change in FGT_0..2 of domain
// `domain` (an index into both populations' DomainSets) from welfare y0 on
// pop0 to y1 on pop1 (pop0 and pop1 may be the same Population). The
// counterfactual distributions are y0 * mu1/mu0 and y1 * mu0/mu1, with the
// domain's person-weighted means. Errors as Population::Estimate.
Result<std::array<GrowthRedistribution, 3>> DecomposeGrowthRedistribution(
    const Population& pop0, std::span<const double> y0, const Population& pop1,
    std::span<const double> y1, size_t domain = 0);

}  // namespace malchin::poverty
