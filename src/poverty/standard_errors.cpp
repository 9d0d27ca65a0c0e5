// Standard errors: Taylor linearisation (with-replacement PSUs within
// strata, R survey::svyrecvar) and the delete-one-PSU jackknife (JKn,
// survey::as.svrepdesign(type = "JKn", mse = TRUE)).
//
// Both work from PSU-level quantities, so neither re-reads the households
// per replicate:
//  * measures that are functions of domain totals (FGT, Watts, mean, GE,
//    Atkinson, ...): PSU totals Z of the household contributions once; the
//    linearised variable is grad(theta) . Z (forward-mode AD), and a
//    replicate's totals are t - Z_s + f (Z_s - Z_p).
//  * the Gini: Langel & Tille (2013) influence function for linearisation;
//    for the jackknife, the replicate numerator sum v'y(2C'-v') expands into
//    pair sums over {other strata, rest of the stratum, deleted PSU}, all
//    precomputed in one pass (O(1) per replicate).
//  * quantiles, shares, Palma, QSR (jackknife only): a replicate's
//    cumulative weight at sorted position k is C_k + (f-1) C^s_k - f C^p_k,
//    with C^s, C^p from per-stratum / per-PSU position lists, so each
//    quantile is a binary search (O(log^2 n) per replicate).
#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

#include "poverty/internal/dual.h"
#include "poverty/internal/engine.h"
#include "poverty/internal/sorted_pass.h"
#include "poverty/internal/totals_measures.h"

namespace malchin::poverty::internal {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
size_t Idx(Measure m) { return static_cast<size_t>(m); }

bool IsTotalsBased(Measure m) {
  return !IsQuantileBased(m) && m != Measure::kGini && m != Measure::kGiniX100;
}

// Rows of one domain grouped by a key (stratum or PSU), positions ascending,
// with prefix sums of v and v*y, so that "sum over the group's rows before
// sorted position k" is one binary search.
struct Groups {
  std::vector<uint32_t> offset;  // size groups + 1
  std::vector<uint32_t> pos;     // sorted positions, grouped
  std::vector<double> cv, cl;    // inclusive prefix sums within the group

  void Build(const std::vector<int32_t>& key, int groups,
             const std::vector<double>& v, const std::vector<double>& y) {
    offset.assign(groups + 1, 0);
    for (int32_t g : key) ++offset[g + 1];
    for (int g = 0; g < groups; ++g) offset[g + 1] += offset[g];
    pos.resize(key.size());
    cv.resize(key.size());
    cl.resize(key.size());
    std::vector<uint32_t> fill(offset.begin(), offset.end() - 1);
    for (size_t k = 0; k < key.size(); ++k) {
      const uint32_t i = fill[key[k]]++;
      pos[i] = static_cast<uint32_t>(k);
      const bool first = i == offset[key[k]];
      cv[i] = (first ? 0 : cv[i - 1]) + v[k];
      cl[i] = (first ? 0 : cl[i - 1]) + v[k] * y[k];
    }
  }
  bool Empty(int g) const { return offset[g] == offset[g + 1]; }
  // Sums of v and v*y over the group's rows at sorted positions < k.
  void Before(int g, size_t k, double* sv, double* sl) const {
    const uint32_t* b = pos.data() + offset[g];
    const uint32_t* e = pos.data() + offset[g + 1];
    const size_t m = std::lower_bound(b, e, static_cast<uint32_t>(k)) - b;
    if (m == 0) {
      *sv = *sl = 0;
    } else {
      *sv = cv[offset[g] + m - 1];
      *sl = cl[offset[g] + m - 1];
    }
  }
  double BeforeV(int g, size_t k) const {
    const uint32_t* b = pos.data() + offset[g];
    const uint32_t* e = pos.data() + offset[g + 1];
    const size_t m = std::lower_bound(b, e, static_cast<uint32_t>(k)) - b;
    return m == 0 ? 0 : cv[offset[g] + m - 1];
  }
};

// One domain, sorted by welfare, with everything the sorted-measure
// standard errors need.
struct SortedDomain {
  std::vector<double> y, v;
  std::vector<int32_t> psu, stratum;
  std::vector<double> cx, lx;  // exclusive prefix sums, size n + 1
  std::vector<uint32_t> tie_end;
  Groups by_stratum, by_psu;
  // Gini pair sums (see file comment): A = sum_k v_k y_k C_k (inclusive C),
  // Q = sum v^2 y; per stratum and per PSU the partial sums.
  double a = 0, q = 0;
  struct StratumTerms {
    double n = 0, t = 0, q = 0, row = 0, col = 0, ss = 0;
  };
  struct PsuTerms {
    double n = 0, t = 0, q = 0, row = 0, col = 0, ii = 0, is = 0, si = 0;
    double is_excl = 0;
  };
  std::vector<StratumTerms> st;
  std::vector<PsuTerms> pt;

  size_t size() const { return y.size(); }

  void Prepare(int num_strata, int num_psu,
               const std::vector<int32_t>& stratum_of_psu) {
    const size_t n = y.size();
    cx.assign(n + 1, 0);
    lx.assign(n + 1, 0);
    for (size_t k = 0; k < n; ++k) {
      cx[k + 1] = cx[k] + v[k];
      lx[k + 1] = lx[k] + v[k] * y[k];
    }
    tie_end.resize(n);
    for (size_t k = n; k-- > 0;) {
      tie_end[k] = (k + 1 < n && y[k + 1] == y[k])
                       ? tie_end[k + 1]
                       : static_cast<uint32_t>(k + 1);
    }
    by_stratum.Build(stratum, num_strata, v, y);
    by_psu.Build(psu, num_psu, v, y);
    // Gini pair sums, one pass with running within-stratum / within-PSU sums.
    st.assign(num_strata, {});
    pt.assign(num_psu, {});
    std::vector<double> cs(num_strata, 0), ls(num_strata, 0), ci(num_psu, 0);
    const double t = lx[n];
    a = q = 0;
    for (size_t k = 0; k < n; ++k) {
      const int s = stratum[k], p = psu[k];
      const double vy = v[k] * y[k];
      const double c_incl = cx[k + 1];
      const double suffix = t - lx[k];  // sum of v*y at positions >= k
      const double ls_excl = ls[s];
      cs[s] += v[k];
      ls[s] += vy;
      ci[p] += v[k];
      a += vy * c_incl;
      q += v[k] * vy;
      StratumTerms& S = st[s];
      S.n += v[k];
      S.t += vy;
      S.q += v[k] * vy;
      S.row += vy * c_incl;
      S.col += v[k] * suffix;
      S.ss += vy * cs[s];
      PsuTerms& P = pt[p];
      P.n += v[k];
      P.t += vy;
      P.q += v[k] * vy;
      P.row += vy * c_incl;
      P.col += v[k] * suffix;
      P.ii += vy * ci[p];
      P.si += vy * cs[s];
      P.is_excl += v[k] * ls_excl;
    }
    // P(I,S) = sum_{j in I} v_j (LS_total - LS_excl_j).
    for (int p = 0; p < num_psu; ++p) {
      pt[p].is = pt[p].n * st[stratum_of_psu[p]].t - pt[p].is_excl;
    }
  }
};

// The sorted measures for one jackknife replicate: PSU p of stratum s
// deleted, the rest of s scaled by f. Writes value[Measure] for the Gini and
// every quantile-based measure.
void SortedReplicate(const SortedDomain& dom, int s, int p, double f,
                     QuantileRule rule, double* value) {
  const size_t n = dom.size();
  auto cum = [&](size_t k, double* c, double* l) {
    double sv, sl, pv, pl;
    dom.by_stratum.Before(s, k, &sv, &sl);
    dom.by_psu.Before(p, k, &pv, &pl);
    *c = dom.cx[k] + (f - 1) * sv - f * pv;
    *l = dom.lx[k] + (f - 1) * sl - f * pl;
  };
  auto cum_v = [&](size_t k) {
    return dom.cx[k] + (f - 1) * dom.by_stratum.BeforeV(s, k) -
           f * dom.by_psu.BeforeV(p, k);
  };
  double nr, tr;
  cum(n, &nr, &tr);
  if (!(nr > 0) || !(tr > 0)) {
    value[Idx(Measure::kGini)] = value[Idx(Measure::kGiniX100)] = kNaN;
    for (size_t m = 0; m < kMeasureCount; ++m) {
      if (IsQuantileBased(static_cast<Measure>(m))) value[m] = kNaN;
    }
    return;
  }
  // First sorted row k whose inclusive cumulative share exceeds (strict) or
  // reaches prob; it exists because the share of the last row is 1.
  auto first_reaching = [&](double prob, bool strict) {
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
      const size_t mid = lo + (hi - lo) / 2;
      const double share = cum_v(mid + 1) / nr;
      if (strict ? share > prob : share >= prob) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  };
  std::array<double, kNumProbs> q, cut, lor;
  for (size_t j = 0; j < kNumProbs; ++j) {
    const double prob = kProbs[j];
    const size_t k = first_reaching(prob, rule == QuantileRule::kLaeken);
    q[j] = dom.y[k];
    if (rule == QuantileRule::kEurostat && k + 1 < n &&
        cum_v(k + 1) / nr == prob) {
      q[j] = 0.5 * (dom.y[k] + dom.y[k + 1]);
    }
    double c, l;
    cum(dom.tie_end[k], &c, &l);
    cut[j] = l;
    const size_t k2 =
        rule == QuantileRule::kEurostat ? k : first_reaching(prob, false);
    cum(k2, &c, &l);
    lor[j] = (l + (prob * nr - c) * dom.y[k2]) / tr;
  }
  // Gini: numerator 2 A' - Q' from the pair sums.
  const SortedDomain::StratumTerms& S = dom.st[s];
  const SortedDomain::PsuTerms& P = dom.pt[p];
  const double phh = S.ss - P.is - P.si + P.ii;
  const double poh = (S.row - P.row) - (S.ss - P.si);
  const double pho = (S.col - P.col) - (S.ss - P.is);
  const double poo = dom.a - S.col - S.row + S.ss;
  const double ar = poo + f * (poh + pho) + f * f * phh;
  const double qr = dom.q - S.q + f * f * (S.q - P.q);
  const double gini = (2 * ar - qr) / (nr * tr) - 1;
  FillSortedMeasures(q, cut, lor, tr, gini, value);
}

}  // namespace

void ComputeStandardErrors(const Population::Impl& pop,
                           std::span<const double> welfare,
                           ScenarioState* state) {
  constexpr size_t K = kNumTotals;
  const bool want_lin = pop.WantLin(), want_jkn = pop.WantJkn();
  const size_t nd = pop.domains.size();
  const int np = pop.num_psu, ns = pop.num_strata;
  const double z = pop.options.poverty_line, log_z = std::log(z);
  const bool has_children = !pop.children_w.empty();
  const uint64_t* mask = pop.domains.mask().data();
  state->lin.assign(nd, std::vector<std::vector<double>>(kMeasureCount));
  state->rep.assign(nd, std::vector<std::vector<double>>(kMeasureCount));

  // PSU totals of the household contributions, per domain.
  std::vector<double> zt(nd * np * K, 0.0);
  double x[K];
  for (size_t h = 0; h < pop.n; ++h) {
    Contributions(welfare[h], pop.person_w[h], pop.weight[h],
                  has_children ? pop.children_w[h] : 0.0, z, log_z, x);
    for (uint64_t m = mask[h]; m; m &= m - 1) {
      double* dst =
          &zt[(static_cast<size_t>(std::countr_zero(m)) * np + pop.psu_of[h]) *
              K];
      for (size_t j = 0; j < K; ++j) dst[j] += x[j];
    }
  }

  for (size_t d = 0; d < nd; ++d) {
    DomainEstimates& e = state->estimates.domains[d];
    const double* zd = &zt[d * np * K];
    std::array<double, K> t{};
    std::vector<std::array<double, K>> zs(ns);
    for (auto& a : zs) a.fill(0);
    for (int p = 0; p < np; ++p) {
      for (size_t j = 0; j < K; ++j) {
        t[j] += zd[p * K + j];
        zs[pop.stratum_of_psu[p]][j] += zd[p * K + j];
      }
    }
    if (want_lin) {
      std::array<Dual<K>, K> td;
      for (size_t j = 0; j < K; ++j) td[j] = Dual<K>::Var(t[j], j);
      MeasuresFromTotals<Dual<K>>(
          td, z, has_children, [&](Measure m, const Dual<K>& v) {
            if (!std::isfinite(v.v)) return;
            std::vector<double> u(np);
            for (int p = 0; p < np; ++p) {
              double s = 0;
              for (size_t j = 0; j < K; ++j) s += v.d[j] * zd[p * K + j];
              u[p] = s;
            }
            e.se_lin[Idx(m)] = std::sqrt(LinearizedVariance(pop, u));
            state->lin[d][Idx(m)] = std::move(u);
          });
    }
    if (want_jkn) {
      for (size_t m = 0; m < kMeasureCount; ++m) {
        if (IsTotalsBased(static_cast<Measure>(m)) &&
            std::isfinite(e.value[m])) {
          state->rep[d][m].assign(np, e.value[m]);
        }
      }
      for (int p = 0; p < np; ++p) {
        const int s = pop.stratum_of_psu[p];
        const int nh = pop.psus_in_stratum[s];
        if (nh < 2) continue;
        const double f = nh / (nh - 1.0);
        std::array<double, K> tr;
        for (size_t j = 0; j < K; ++j) {
          tr[j] = t[j] - zs[s][j] + f * (zs[s][j] - zd[p * K + j]);
        }
        MeasuresFromTotals<double>(tr, z, has_children,
                                   [&](Measure m, double v) {
                                     auto& r = state->rep[d][Idx(m)];
                                     if (!r.empty()) r[p] = v;
                                   });
      }
      for (size_t m = 0; m < kMeasureCount; ++m) {
        if (!state->rep[d][m].empty()) {
          e.se_jkn[m] =
              std::sqrt(JackknifeVariance(pop, state->rep[d][m], e.value[m]));
        }
      }
    }
  }

  // Sorted measures, one domain at a time.
  for (size_t d = 0; d < nd; ++d) {
    DomainEstimates& e = state->estimates.domains[d];
    const uint64_t bit = uint64_t{1} << d;
    SortedDomain dom;
    for (uint32_t h : state->order) {
      if (!(mask[h] & bit)) continue;
      dom.y.push_back(welfare[h]);
      dom.v.push_back(pop.person_w[h]);
      dom.psu.push_back(pop.psu_of[h]);
      dom.stratum.push_back(pop.stratum_of_psu[pop.psu_of[h]]);
    }
    const size_t n = dom.size();
    dom.Prepare(ns, np, pop.stratum_of_psu);
    if (want_lin) {
      // Langel & Tille (2013), ties: cumulative sums to the end of the block.
      const double nn = dom.cx[n], tt = dom.lx[n];
      const double g = e.value[Idx(Measure::kGini)];
      std::vector<double> u(np, 0.0);
      for (size_t k = 0; k < n; ++k) {
        const size_t te = dom.tie_end[k];
        const double nk = dom.cx[te], yk = dom.lx[te], y = dom.y[k];
        u[dom.psu[k]] += dom.v[k] *
                         (2 * (nk * y - yk) + tt - nn * y - g * (tt + nn * y)) /
                         (nn * tt);
      }
      const double var = LinearizedVariance(pop, u);
      e.se_lin[Idx(Measure::kGini)] = std::sqrt(var);
      e.se_lin[Idx(Measure::kGiniX100)] = 100 * std::sqrt(var);
      std::vector<double> u100(u);
      for (double& x100 : u100) x100 *= 100;
      state->lin[d][Idx(Measure::kGini)] = std::move(u);
      state->lin[d][Idx(Measure::kGiniX100)] = std::move(u100);
    }
    if (want_jkn) {
      std::vector<size_t> sorted_measures;
      for (size_t m = 0; m < kMeasureCount; ++m) {
        if (!IsTotalsBased(static_cast<Measure>(m))) {
          sorted_measures.push_back(m);
          state->rep[d][m].assign(np, e.value[m]);
        }
      }
      ParallelFor(np, pop.options.threads, [&](size_t b, size_t end) {
        MeasureValues value;
        for (size_t p = b; p < end; ++p) {
          const int s = pop.stratum_of_psu[p];
          const int nh = pop.psus_in_stratum[s];
          if (nh < 2 || dom.by_stratum.Empty(s)) continue;
          SortedReplicate(dom, s, static_cast<int>(p), nh / (nh - 1.0),
                          pop.options.quantile_rule, value.data());
          for (size_t m : sorted_measures) state->rep[d][m][p] = value[m];
        }
      });
      for (size_t m : sorted_measures) {
        e.se_jkn[m] =
            std::sqrt(JackknifeVariance(pop, state->rep[d][m], e.value[m]));
      }
    }
  }
}

Status SetFiniteCorrection(const HouseholdView& hh, Population::Impl* pop) {
  const std::span<const double> f = hh.sampling_fraction;
  pop->fpc_of_stratum.assign(pop->num_strata, 1.0);
  if (f.empty()) return Status::Ok();
  if (f.size() != pop->n) {
    return Status::InvalidArgument(
        "sample design: sampling fractions must have one value per household",
        "sampling_fraction");
  }
  std::vector<double> seen(pop->num_strata, -1.0);
  for (size_t h = 0; h < f.size(); ++h) {
    const int s = pop->stratum_of_psu[pop->psu_of[h]];
    if (!(f[h] >= 0 && f[h] <= 1)) {
      return Status::InvalidArgument(
          "household row " + std::to_string(h) + ": sampling fraction " +
              std::to_string(f[h]) + " is not in [0, 1]",
          "sampling_fraction");
    }
    if (seen[s] >= 0 && seen[s] != f[h]) {
      return Status::InvalidArgument(
          "household row " + std::to_string(h) + ": sampling fraction " +
              std::to_string(f[h]) + " differs from " +
              std::to_string(seen[s]) + " given earlier in its stratum",
          "sampling_fraction");
    }
    seen[s] = f[h];
    pop->fpc_of_stratum[s] = 1.0 - f[h];
  }
  return Status::Ok();
}

double LinearizedVariance(const Population::Impl& pop,
                          std::span<const double> z) {
  const int ns = pop.num_strata;
  std::vector<double> sum(ns, 0), ss(ns, 0);
  for (int p = 0; p < pop.num_psu; ++p) sum[pop.stratum_of_psu[p]] += z[p];
  for (int s = 0; s < ns; ++s) sum[s] /= pop.psus_in_stratum[s];
  const bool adjust = pop.options.lonely_psu == LonelyPsu::kAdjust;
  for (int p = 0; p < pop.num_psu; ++p) {
    const int s = pop.stratum_of_psu[p];
    const double d =
        (pop.psus_in_stratum[s] == 1 && adjust) ? z[p] : z[p] - sum[s];
    ss[s] += d * d;
  }
  double v = 0;
  for (int s = 0; s < ns; ++s) {
    const int nh = pop.psus_in_stratum[s];
    if (nh > 1) {
      v += pop.fpc_of_stratum[s] * nh / (nh - 1.0) * ss[s];
    } else if (adjust) {
      v += pop.fpc_of_stratum[s] * ss[s];
    }
  }
  if (pop.options.lonely_psu == LonelyPsu::kAverage && pop.lonely_strata > 0) {
    v *= static_cast<double>(ns) / (ns - pop.lonely_strata);
  }
  return v;
}

double JackknifeVariance(const Population::Impl& pop,
                         std::span<const double> rep, double theta) {
  double v = 0;
  for (int p = 0; p < pop.num_psu; ++p) {
    const int s = pop.stratum_of_psu[p];
    const int nh = pop.psus_in_stratum[s];
    if (nh < 2) continue;
    const double d = rep[p] - theta;
    v += pop.fpc_of_stratum[s] * (nh - 1.0) / nh * d * d;
  }
  if (pop.options.lonely_psu == LonelyPsu::kAverage && pop.lonely_strata > 0) {
    v *= static_cast<double>(pop.num_strata) /
         (pop.num_strata - pop.lonely_strata);
  }
  return v;
}

}  // namespace malchin::poverty::internal
