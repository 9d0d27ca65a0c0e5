#include "poverty/decomposition.h"

#include <cmath>
#include <limits>

namespace malchin::poverty {

namespace {

constexpr Measure kFgt[3] = {Measure::kFgt0, Measure::kFgt1, Measure::kFgt2};
constexpr Measure kGe[3] = {Measure::kMld, Measure::kTheil, Measure::kGe2};

Result<const DomainEstimates*> Domain(const Estimates& e,
                                      const std::string& name) {
  const DomainEstimates* d = e.Find(name);
  if (d == nullptr) {
    return Status::InvalidArgument("no domain '" + name +
                                   "' in the estimates to decompose");
  }
  return d;
}

}  // namespace

Result<SubgroupDecomposition> DecomposeBySubgroup(
    const Estimates& estimates, const std::string& total,
    const std::vector<std::string>& groups) {
  if (groups.empty()) {
    return Status::InvalidArgument("a decomposition needs at least one group");
  }
  MALCHIN_ASSIGN_OR_RETURN(const DomainEstimates* whole,
                           Domain(estimates, total));
  const double n = (*whole)[Measure::kPopulation];
  const double mu = (*whole)[Measure::kMean];
  SubgroupDecomposition out;
  out.total_domain = total;
  double n_sum = 0;
  std::array<double, 3> weighted{};
  for (const std::string& name : groups) {
    MALCHIN_ASSIGN_OR_RETURN(const DomainEstimates* g, Domain(estimates, name));
    FgtGroup fg;
    fg.domain = name;
    const double ng = (*g)[Measure::kPopulation];
    n_sum += ng;
    fg.population_share = ng / n;
    for (int a = 0; a < 3; ++a) {
      fg.fgt[a] = (*g)[kFgt[a]];
      weighted[a] += fg.population_share * fg.fgt[a];
      const double f = (*whole)[kFgt[a]];
      fg.contribution[a] = f > 0 ? fg.population_share * fg.fgt[a] / f
                                 : std::numeric_limits<double>::quiet_NaN();
    }
    // GE: within and between, alpha = 0, 1, 2.
    const double s = fg.population_share;
    const double r = (*g)[Measure::kMean] / mu;
    out.ge.within[0] += s * (*g)[Measure::kMld];
    out.ge.within[1] += s * r * (*g)[Measure::kTheil];
    out.ge.within[2] += s * r * r * (*g)[Measure::kGe2];
    out.ge.between[0] += s * std::log(1 / r);
    out.ge.between[1] += s * r * std::log(r);
    out.ge.between[2] += s * r * r;
    out.groups.push_back(std::move(fg));
  }
  if (std::abs(n_sum - n) > 1e-9 * n) {
    return Status::InvalidArgument(
        "the groups' populations add up to " + std::to_string(n_sum) +
        " persons, not the " + std::to_string(n) + " of '" + total +
        "': they do not partition it");
  }
  out.ge.between[2] = (out.ge.between[2] - 1) / 2;
  for (int a = 0; a < 3; ++a) {
    out.ge.total[a] = (*whole)[kGe[a]];
    out.fgt_residual[a] = (*whole)[kFgt[a]] - weighted[a];
  }
  return out;
}

Result<std::array<GrowthRedistribution, 3>> DecomposeGrowthRedistribution(
    const Population& pop0, std::span<const double> y0, const Population& pop1,
    std::span<const double> y1, size_t domain) {
  if (domain >= pop0.domains().size() || domain >= pop1.domains().size()) {
    return Status::InvalidArgument("domain index " + std::to_string(domain) +
                                   " is not in both populations");
  }
  MALCHIN_ASSIGN_OR_RETURN(Estimates e0, pop0.Estimate(y0));
  MALCHIN_ASSIGN_OR_RETURN(Estimates e1, pop1.Estimate(y1));
  const DomainEstimates& d0 = e0.domains[domain];
  const DomainEstimates& d1 = e1.domains[domain];
  const double mu0 = d0[Measure::kMean];
  const double mu1 = d1[Measure::kMean];
  std::vector<double> scaled0(y0.begin(), y0.end());
  for (double& v : scaled0) v *= mu1 / mu0;
  std::vector<double> scaled1(y1.begin(), y1.end());
  for (double& v : scaled1) v *= mu0 / mu1;
  MALCHIN_ASSIGN_OR_RETURN(Estimates g, pop0.Estimate(scaled0));  // mu1, L0.
  MALCHIN_ASSIGN_OR_RETURN(Estimates r, pop1.Estimate(scaled1));  // mu0, L1.
  std::array<GrowthRedistribution, 3> out;
  for (int a = 0; a < 3; ++a) {
    GrowthRedistribution& x = out[a];
    x.domain = d0.domain;
    x.alpha = a;
    x.before = d0[kFgt[a]];
    x.after = d1[kFgt[a]];
    const double p_mu1_l0 = g.domains[domain][kFgt[a]];
    const double p_mu0_l1 = r.domains[domain][kFgt[a]];
    x.growth = p_mu1_l0 - x.before;
    x.redistribution = p_mu0_l1 - x.before;
    x.residual = x.after - x.before - x.growth - x.redistribution;
    x.shapley_growth = 0.5 * ((p_mu1_l0 - x.before) + (x.after - p_mu0_l1));
    x.shapley_redistribution =
        0.5 * ((p_mu0_l1 - x.before) + (x.after - p_mu1_l0));
    x.mean_before = mu0;
    x.mean_after = mu1;
  }
  return out;
}

}  // namespace malchin::poverty
