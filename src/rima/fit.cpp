#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "core/date.h"
#include "rima/rima.h"

namespace malchin::rima {
namespace {

uint64_t Fnv1a(std::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

void FillRsm(const std::vector<HouseholdScore>& hh,
             const std::vector<size_t>& members, size_t pillars, RsmGroup* g) {
  const size_t n = members.size();
  g->n = static_cast<int64_t>(n);
  std::vector<double> rci(n), p(n);
  double mean = 0;
  for (size_t i = 0; i < n; ++i) {
    rci[i] = hh[members[i]].rci;
    mean += hh[members[i]].score_0_100;
  }
  g->mean_score_0_100 = n ? mean / n : NAN;
  double total = 0;
  for (size_t k = 0; k < pillars; ++k) {
    for (size_t i = 0; i < n; ++i) p[i] = hh[members[i]].pillars[k];
    g->cor.push_back(Pearson(p.data(), rci.data(), n));
    total += std::abs(g->cor.back());
  }
  for (double r : g->cor) g->share_pct.push_back(100.0 * std::abs(r) / total);
}

}  // namespace

Structure ComputeStructure(const FrozenModel& model, const SurveyData& survey,
                           const std::vector<HouseholdScore>& hh) {
  Structure out;
  const size_t n = hh.size(), G = model.pillars.size();
  const ModelSpec& spec = model.spec;
  std::vector<size_t> all(n);
  for (size_t i = 0; i < n; ++i) all[i] = i;
  FillRsm(hh, all, G, &out.overall);
  for (size_t k = 0; k < spec.profiles.size() && k < survey.profiles.size();
       ++k) {
    if (survey.profiles[k].size() != n) continue;
    std::map<std::string, std::vector<size_t>> groups;
    for (size_t i = 0; i < n; ++i) groups[survey.profiles[k][i]].push_back(i);
    for (auto& [value, members] : groups) {
      if (members.size() < 3) continue;
      RsmGroup g;
      g.profile = spec.profiles[k];
      g.group = value;
      FillRsm(hh, members, G, &g);
      out.by_profile.push_back(std::move(g));
    }
  }
  for (int q = 1; q <= 5; ++q) {
    std::vector<size_t> members;
    for (size_t i = 0; i < n; ++i) {
      if (hh[i].quintile == q) members.push_back(i);
    }
    if (members.size() < 3) continue;
    RsmGroup g;
    g.profile = "RCI_quintile";
    g.group = std::to_string(q);
    FillRsm(hh, members, G, &g);
    out.by_quintile.push_back(std::move(g));
  }
  std::vector<double> p(n);
  for (size_t g = 0; g < G; ++g) {
    for (size_t i = 0; i < n; ++i) p[i] = hh[i].pillars[g];
    for (size_t j = 0; j < survey.pillars[g].cols; ++j) {
      out.variable_cor.push_back(
          {spec.pillars[g].name, model.pillars[g].variables[j],
           Pearson(survey.pillars[g].col(j), p.data(), n)});
    }
  }
  return out;
}

double Quantile7(const std::vector<double>& sorted, double p) {
  const size_t n = sorted.size();
  double h = (static_cast<double>(n) - 1.0) * p;
  size_t lo = static_cast<size_t>(std::floor(h));
  if (lo + 1 >= n) return sorted[n - 1];
  return sorted[lo] +
         (h - static_cast<double>(lo)) * (sorted[lo + 1] - sorted[lo]);
}

double Pearson(const double* a, const double* b, size_t n) {
  double ma = 0, mb = 0;
  for (size_t i = 0; i < n; ++i) {
    ma += a[i];
    mb += b[i];
  }
  ma /= static_cast<double>(n);
  mb /= static_cast<double>(n);
  double sab = 0, saa = 0, sbb = 0;
  for (size_t i = 0; i < n; ++i) {
    double da = a[i] - ma, db = b[i] - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return sab / std::sqrt(saa * sbb);
}

Result<RimaFit> FitRima(const ModelSpec& spec, const SurveyData& survey,
                        const FitOptions& options) {
  const size_t n = survey.ids.size();
  if (n < 10) {
    return Status::InvalidArgument(
        survey.file + ": " + std::to_string(n) + " complete households (of " +
        std::to_string(survey.rows) +
        " rows); expected at least 10 to fit a RIMA model");
  }
  RimaFit out;
  FrozenModel& model = out.model;
  model.spec = spec;
  model.source = survey.file;
  model.n = static_cast<int64_t>(n);
  model.created_on = options.created_on.empty() ? Date::TodayUtc().ToString()
                                                : options.created_on;
  const size_t G = spec.pillars.size(), m = spec.food_security.size();
  std::vector<std::vector<double>> scores(G);
  for (size_t g = 0; g < G; ++g) {
    const PillarSpec& ps = spec.pillars[g];
    std::vector<std::string> names;
    for (const VariableSpec& v : ps.variables) names.push_back(v.name);
    MALCHIN_ASSIGN_OR_RETURN(
        PillarFit pf,
        FitPillar(ps.name, names, survey.pillars[g], ps.rule, &scores[g]));
    model.pillars.push_back(std::move(pf));
  }
  // Standardised food-security indicators, then the (y, x) moments.
  Matrix z(n, m + G);
  for (size_t f = 0; f < m; ++f) {
    const double* y = survey.food_security.col(f);
    double mean = 0;
    for (size_t i = 0; i < n; ++i) mean += y[i];
    mean /= static_cast<double>(n);
    double ss = 0;
    for (size_t i = 0; i < n; ++i) ss += (y[i] - mean) * (y[i] - mean);
    double sd = std::sqrt(ss / static_cast<double>(n - 1));
    if (!(sd > 1e-12 * std::max(1.0, std::abs(mean)))) {
      return Status::InvalidArgument(
          "food-security indicator " + spec.food_security[f].name +
          " is constant; expected an indicator that varies between "
          "households");
    }
    model.fs_mean.push_back(mean);
    model.fs_sd.push_back(sd);
    for (size_t i = 0; i < n; ++i) z(i, f) = (y[i] - mean) / sd;
  }
  for (size_t g = 0; g < G; ++g) {
    std::copy(scores[g].begin(), scores[g].end(), z.col(m + g));
  }
  std::vector<double> mean(m + G, 0.0);
  for (size_t c = 0; c < m + G; ++c) {
    for (size_t i = 0; i < n; ++i) mean[c] += z(i, c);
    mean[c] /= static_cast<double>(n);
  }
  Matrix s(m + G, m + G);
  for (size_t a = 0; a < m + G; ++a) {
    for (size_t b = 0; b <= a; ++b) {
      double acc = 0;
      const double* za = z.col(a);
      const double* zb = z.col(b);
      for (size_t i = 0; i < n; ++i) {
        acc += (za[i] - mean[a]) * (zb[i] - mean[b]);
      }
      s(a, b) = s(b, a) = acc / static_cast<double>(n);
    }
  }
  model.fs_z_mean.assign(mean.begin(), mean.begin() + m);
  model.pillar_mean.assign(mean.begin() + m, mean.end());
  MALCHIN_ASSIGN_OR_RETURN(
      model.mimic, FitMimic(s, static_cast<int>(m), static_cast<int64_t>(n)));
  MALCHIN_ASSIGN_OR_RETURN(model.mimic.se_robust,
                           RobustStandardErrors(model.mimic, z));

  // Reference scale: min, max and quintile cut points of this sample.
  model.rci_min = 0;
  model.rci_max = 1;
  model.quintile_breaks.assign(6, 0.0);
  std::vector<HouseholdScore> first = ScoreSurvey(model, survey);
  std::vector<double> sorted;
  sorted.reserve(n);
  for (const HouseholdScore& h : first) sorted.push_back(h.rci);
  std::sort(sorted.begin(), sorted.end());
  model.rci_min = sorted.front();
  model.rci_max = sorted.back();
  if (!(model.rci_max > model.rci_min)) {
    return Status::FailedPrecondition("every household has the same RCI");
  }
  for (int k = 0; k <= 5; ++k) {
    model.quintile_breaks[k] = Quantile7(sorted, k / 5.0);
  }
  if (options.model_version.empty()) {
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx",
                  static_cast<unsigned long long>(Fnv1a(ModelJson(model))));
    model.model_version =
        "rima-" + model.created_on + "-" + std::string(hex, 8);
  } else {
    model.model_version = options.model_version;
  }
  out.households = ScoreSurvey(model, survey);

  out.structure = ComputeStructure(model, survey, out.households);
  return out;
}

}  // namespace malchin::rima
