#include "rima/model.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "csv/csv.h"

namespace malchin::rima {
namespace {

using nlohmann::json;

constexpr std::string_view kFormat = "malchin-rima-model";

json Vec(const std::vector<double>& v) { return json(v); }

json Columns(const Matrix& m) {
  json j = json::array();
  for (size_t c = 0; c < m.cols; ++c) {
    j.push_back(std::vector<double>(m.col(c), m.col(c) + m.rows));
  }
  return j;
}

struct Reader {
  std::string file;
  Status Err(const std::string& path, const std::string& what) const {
    return Status::InvalidArgument(file + ": " + path + ": " + what +
                                   " (damaged or hand-edited model file?)");
  }
  Result<const json*> Get(const json& j, const std::string& path,
                          const char* key) const {
    if (!j.is_object() || !j.contains(key)) {
      return Err(path + "." + key, "missing");
    }
    return &j[key];
  }
  Result<double> Num(const json& j, const std::string& path,
                     const char* key) const {
    MALCHIN_ASSIGN_OR_RETURN(const json* v, Get(j, path, key));
    if (!v->is_number()) return Err(path + "." + key, "expected a number");
    return v->get<double>();
  }
  Result<std::string> Str(const json& j, const std::string& path,
                          const char* key) const {
    MALCHIN_ASSIGN_OR_RETURN(const json* v, Get(j, path, key));
    if (!v->is_string()) return Err(path + "." + key, "expected a string");
    return v->get<std::string>();
  }
  Result<std::vector<double>> Nums(const json& j, const std::string& path,
                                   const char* key, size_t size) const {
    MALCHIN_ASSIGN_OR_RETURN(const json* v, Get(j, path, key));
    std::string p = path + "." + key;
    if (!v->is_array() || v->size() != size) {
      return Err(p,
                 "expected an array of " + std::to_string(size) + " numbers");
    }
    std::vector<double> out;
    for (const json& x : *v) {
      if (!x.is_number()) return Err(p, "expected numbers");
      out.push_back(x.get<double>());
    }
    return out;
  }
  Result<Matrix> Cols(const json& j, const std::string& path, const char* key,
                      size_t rows, size_t cols) const {
    MALCHIN_ASSIGN_OR_RETURN(const json* v, Get(j, path, key));
    std::string p = path + "." + key;
    if (!v->is_array() || v->size() != cols) {
      return Err(p, "expected " + std::to_string(cols) + " columns");
    }
    Matrix m(rows, cols);
    for (size_t c = 0; c < cols; ++c) {
      const json& col = (*v)[c];
      if (!col.is_array() || col.size() != rows) {
        return Err(p, "expected columns of " + std::to_string(rows));
      }
      for (size_t r = 0; r < rows; ++r) {
        if (!col[r].is_number()) return Err(p, "expected numbers");
        m(r, c) = col[r].get<double>();
      }
    }
    return m;
  }
};

void ComputeCoefficients(PillarFit* p) {
  double w_sum = 0;
  for (double w : p->factor_weight) w_sum += w;
  p->coefficient.assign(p->variables.size(), 0.0);
  for (size_t i = 0; i < p->variables.size(); ++i) {
    double c = 0;
    for (size_t k = 0; k < p->factor_weight.size(); ++k) {
      c += p->bartlett(i, k) * p->factor_weight[k];
    }
    p->coefficient[i] = c / w_sum;
  }
}

json ScreenJson(const MinresScreen& s) {
  return {{"factors", s.factors},
          {"ss_loadings", Vec(s.ss_loadings)},
          {"share", Vec(s.share)},
          {"cum_share", Vec(s.cum_share)},
          {"uniqueness", Vec(s.uniqueness)},
          {"iterations", s.iterations},
          {"evaluations", s.evaluations},
          {"convergence", s.convergence}};
}

Result<MinresScreen> ParseScreen(const Reader& r, const json& j,
                                 const std::string& path, size_t p) {
  MinresScreen s;
  MALCHIN_ASSIGN_OR_RETURN(double k, r.Num(j, path, "factors"));
  if (k < 1 || k > static_cast<double>(p)) {
    return r.Err(path + ".factors", "out of range");
  }
  s.factors = static_cast<int>(k);
  MALCHIN_ASSIGN_OR_RETURN(s.ss_loadings, r.Nums(j, path, "ss_loadings", p));
  MALCHIN_ASSIGN_OR_RETURN(s.share, r.Nums(j, path, "share", p));
  MALCHIN_ASSIGN_OR_RETURN(s.cum_share, r.Nums(j, path, "cum_share", p));
  MALCHIN_ASSIGN_OR_RETURN(s.uniqueness, r.Nums(j, path, "uniqueness", p));
  MALCHIN_ASSIGN_OR_RETURN(double it, r.Num(j, path, "iterations"));
  s.iterations = static_cast<int>(it);
  MALCHIN_ASSIGN_OR_RETURN(double ev, r.Num(j, path, "evaluations"));
  s.evaluations = static_cast<int>(ev);
  MALCHIN_ASSIGN_OR_RETURN(s.convergence, r.Str(j, path, "convergence"));
  return s;
}

}  // namespace

HouseholdScore ScoreOne(const FrozenModel& model,
                        const std::vector<const double*>& pillar_values,
                        const double* food_security) {
  HouseholdScore s;
  const MimicFit& mm = model.mimic;
  double mu = 0;
  for (size_t g = 0; g < model.pillars.size(); ++g) {
    const PillarFit& p = model.pillars[g];
    const double* x = pillar_values[g];
    double v = 0;
    for (size_t i = 0; i < p.coefficient.size(); ++i) {
      v += p.coefficient[i] * ((x[i] - p.mean[i]) / p.sd[i]);
    }
    s.pillars[g] = v;
    mu += mm.gamma[g] * (v - model.pillar_mean[g]);
  }
  double rci = mu, rb = mu;
  for (size_t f = 0; f < model.fs_mean.size(); ++f) {
    double e = ((food_security[f] - model.fs_mean[f]) / model.fs_sd[f] -
                model.fs_z_mean[f]) -
               mm.lambda[f] * mu;
    rci += mm.k_regression[f] * e;
    rb += mm.k_bartlett[f] * e;
  }
  s.rci = rci;
  s.rci_bartlett = rb;
  s.rci_structural = mu;
  double range = model.rci_max - model.rci_min;
  double sc = range > 0 ? 100.0 * (rci - model.rci_min) / range : 0.0;
  s.score_0_100 = std::clamp(sc, 0.0, 100.0);
  int q = 1;
  for (size_t k = 1; k + 1 < model.quintile_breaks.size(); ++k) {
    q += rci > model.quintile_breaks[k] ? 1 : 0;
  }
  s.quintile = q;
  return s;
}

std::vector<HouseholdScore> ScoreSurvey(const FrozenModel& model,
                                        const SurveyData& survey) {
  // Column by column (the same operations, in the same order, as ScoreOne,
  // so both give identical numbers), then one pass per household.
  const size_t n = survey.ids.size(), G = model.pillars.size();
  const size_t F = model.fs_mean.size();
  const MimicFit& mm = model.mimic;
  std::vector<std::vector<double>> pillar(G, std::vector<double>(n, 0.0));
  std::vector<double> mu(n, 0.0);
  for (size_t g = 0; g < G; ++g) {
    const PillarFit& p = model.pillars[g];
    double* v = pillar[g].data();
    for (size_t j = 0; j < p.coefficient.size(); ++j) {
      const double* x = survey.pillars[g].col(j);
      const double c = p.coefficient[j], mean = p.mean[j], sd = p.sd[j];
      for (size_t i = 0; i < n; ++i) v[i] += c * ((x[i] - mean) / sd);
    }
    const double gamma = mm.gamma[g], pbar = model.pillar_mean[g];
    for (size_t i = 0; i < n; ++i) mu[i] += gamma * (v[i] - pbar);
  }
  std::vector<double> rci(mu), rb(mu);
  for (size_t f = 0; f < F; ++f) {
    const double* y = survey.food_security.col(f);
    const double mean = model.fs_mean[f], sd = model.fs_sd[f],
                 zbar = model.fs_z_mean[f], lambda = mm.lambda[f],
                 kr = mm.k_regression[f], kb = mm.k_bartlett[f];
    for (size_t i = 0; i < n; ++i) {
      double e = ((y[i] - mean) / sd - zbar) - lambda * mu[i];
      rci[i] += kr * e;
      rb[i] += kb * e;
    }
  }
  const double range = model.rci_max - model.rci_min;
  std::vector<HouseholdScore> out(n);
  for (size_t i = 0; i < n; ++i) {
    HouseholdScore& s = out[i];
    s.id = survey.ids[i];
    for (size_t g = 0; g < G; ++g) s.pillars[g] = pillar[g][i];
    s.rci = rci[i];
    s.rci_bartlett = rb[i];
    s.rci_structural = mu[i];
    double sc = range > 0 ? 100.0 * (rci[i] - model.rci_min) / range : 0.0;
    s.score_0_100 = std::clamp(sc, 0.0, 100.0);
    int q = 1;
    for (size_t k = 1; k + 1 < model.quintile_breaks.size(); ++k) {
      q += rci[i] > model.quintile_breaks[k] ? 1 : 0;
    }
    s.quintile = q;
  }
  return out;
}

Result<Explanation> Explain(const FrozenModel& model, const SurveyData& survey,
                            std::string_view id) {
  auto it = std::find(survey.ids.begin(), survey.ids.end(), id);
  if (it == survey.ids.end()) {
    for (const DroppedHousehold& d : survey.dropped) {
      if (d.id == id) {
        std::string cols;
        for (const auto& c : d.missing_columns) {
          cols += (cols.empty() ? "" : ", ") + c;
        }
        return Status::NotFound(
            "household " + std::string(id) + " (" + survey.file + " line " +
            std::to_string(d.line) + ") has no score: blank " + cols);
      }
    }
    return Status::NotFound("household " + std::string(id) + " is not in " +
                            survey.file);
  }
  const size_t i = static_cast<size_t>(it - survey.ids.begin());
  const MimicFit& mm = model.mimic;
  Explanation ex;
  std::vector<std::vector<double>> xs(model.pillars.size());
  std::vector<const double*> ptr;
  for (size_t g = 0; g < model.pillars.size(); ++g) {
    for (size_t j = 0; j < survey.pillars[g].cols; ++j) {
      xs[g].push_back(survey.pillars[g](i, j));
    }
    ptr.push_back(xs[g].data());
  }
  std::vector<double> y;
  for (size_t f = 0; f < model.fs_mean.size(); ++f) {
    y.push_back(survey.food_security(i, f));
  }
  ex.score = ScoreOne(model, ptr, y.data());
  ex.score.id = std::string(id);
  double range = model.rci_max - model.rci_min;
  double to_points = range > 0 ? 100.0 / range : 0.0;
  ex.average_score_0_100 = -model.rci_min * to_points;
  // RCI = (1 - k'lambda) mu + k'(y_z - ybar_z).
  double kl = 0;
  for (size_t f = 0; f < mm.lambda.size(); ++f) {
    kl += mm.k_regression[f] * mm.lambda[f];
  }
  const double through = 1.0 - kl;
  for (size_t g = 0; g < model.pillars.size(); ++g) {
    const PillarFit& p = model.pillars[g];
    Explanation::Pillar ep;
    ep.name = p.name;
    ep.score = ex.score.pillars[g];
    ep.contribution = through * mm.gamma[g] * (ep.score - model.pillar_mean[g]);
    ep.points = ep.contribution * to_points;
    for (size_t j = 0; j < p.variables.size(); ++j) {
      Explanation::Variable v;
      v.name = p.variables[j];
      v.value = xs[g][j];
      v.z = (v.value - p.mean[j]) / p.sd[j];
      v.contribution = through * mm.gamma[g] * p.coefficient[j] * v.z;
      v.points = v.contribution * to_points;
      ep.variables.push_back(v);
    }
    ex.pillars.push_back(std::move(ep));
  }
  for (size_t f = 0; f < model.fs_mean.size(); ++f) {
    Explanation::Variable v;
    v.name = model.spec.food_security[f].name;
    v.value = y[f];
    v.z = (v.value - model.fs_mean[f]) / model.fs_sd[f];
    v.contribution = mm.k_regression[f] * (v.z - model.fs_z_mean[f]);
    v.points = v.contribution * to_points;
    ex.food_security.push_back(v);
  }
  return ex;
}

std::string ModelJson(const FrozenModel& model) {
  json j;
  j["format"] = std::string(kFormat);
  j["format_version"] = kModelFormatVersion;
  j["model_version"] = model.model_version;
  j["created_on"] = model.created_on;
  j["source"] = model.source;
  j["n"] = model.n;
  j["spec"] = json::parse(SpecJson(model.spec));
  j["pillars"] = json::array();
  for (const PillarFit& p : model.pillars) {
    json& pj = j["pillars"].emplace_back();
    pj = {{"name", p.name},
          {"variables", p.variables},
          {"factors", p.pa.factors},
          {"kaiser_factors", p.kaiser_factors},
          {"pa_iterations", p.pa.iterations},
          {"mean", Vec(p.mean)},
          {"sd", Vec(p.sd)},
          {"loadings", Columns(p.pa.loadings)},
          {"communality", Vec(p.pa.communality)},
          {"uniqueness", Vec(p.pa.uniqueness)},
          {"ss_loadings", Vec(p.pa.ss_loadings)},
          {"bartlett_weights", Columns(p.bartlett)},
          {"factor_weights", Vec(p.factor_weight)}};
    if (p.screen.factors > 0) pj["fao_minres_screen"] = ScreenJson(p.screen);
  }
  j["pillar_mean"] = Vec(model.pillar_mean);
  j["food_security"] = {{"mean", Vec(model.fs_mean)},
                        {"sd", Vec(model.fs_sd)},
                        {"z_mean", Vec(model.fs_z_mean)}};
  const MimicFit& m = model.mimic;
  j["mimic"] = {{"n", m.n},
                {"iterations", m.iterations},
                {"lambda", Vec(m.lambda)},
                {"gamma", Vec(m.gamma)},
                {"psi", m.psi},
                {"theta", Vec(m.theta)},
                {"k_regression", Vec(m.k_regression)},
                {"k_bartlett", Vec(m.k_bartlett)},
                {"var_eta", m.var_eta},
                {"std_lambda", Vec(m.std_lambda)},
                {"std_gamma", Vec(m.std_gamma)},
                {"se", Vec(m.se)},
                {"se_robust", Vec(m.se_robust)},
                {"fit",
                 {{"fmin", m.fmin},
                  {"npar", m.npar},
                  {"df", m.df},
                  {"chisq", m.chisq},
                  {"pvalue", m.pvalue},
                  {"baseline_chisq", m.baseline_chisq},
                  {"baseline_df", m.baseline_df},
                  {"cfi", m.cfi},
                  {"tli", m.tli},
                  {"rmsea", m.rmsea},
                  {"srmr", m.srmr},
                  {"logl", m.logl},
                  {"aic", m.aic},
                  {"bic", m.bic}}}};
  j["reference"] = {{"rci_min", model.rci_min},
                    {"rci_max", model.rci_max},
                    {"quintile_breaks", Vec(model.quintile_breaks)}};
  return j.dump(1) + "\n";
}

Result<FrozenModel> ParseModel(std::string_view file_name,
                               std::string_view text) {
  Reader r{std::string(file_name)};
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    return Status::InvalidArgument(r.file + ": not valid JSON (byte " +
                                   std::to_string(e.byte) +
                                   "); expected a RIMA model file");
  }
  MALCHIN_ASSIGN_OR_RETURN(std::string format, r.Str(j, "$", "format"));
  if (format != kFormat) {
    return r.Err("$.format", "value \"" + format + "\"; expected \"" +
                                 std::string(kFormat) + "\"");
  }
  MALCHIN_ASSIGN_OR_RETURN(double version, r.Num(j, "$", "format_version"));
  if (version > kModelFormatVersion) {
    return Status::DataLoss(r.file + ": model format version " +
                            std::to_string(static_cast<int>(version)) +
                            " is newer than this Malchin reads (" +
                            std::to_string(kModelFormatVersion) +
                            "); upgrade Malchin");
  }
  FrozenModel m;
  MALCHIN_ASSIGN_OR_RETURN(m.model_version, r.Str(j, "$", "model_version"));
  MALCHIN_ASSIGN_OR_RETURN(m.created_on, r.Str(j, "$", "created_on"));
  MALCHIN_ASSIGN_OR_RETURN(m.source, r.Str(j, "$", "source"));
  MALCHIN_ASSIGN_OR_RETURN(double n, r.Num(j, "$", "n"));
  m.n = static_cast<int64_t>(n);
  MALCHIN_ASSIGN_OR_RETURN(const json* spec, r.Get(j, "$", "spec"));
  MALCHIN_ASSIGN_OR_RETURN(m.spec, ParseSpec(r.file + " (spec)", spec->dump()));
  MALCHIN_ASSIGN_OR_RETURN(const json* pillars, r.Get(j, "$", "pillars"));
  if (!pillars->is_array() || pillars->size() != m.spec.pillars.size()) {
    return r.Err("$.pillars", "expected one entry per pillar of the spec");
  }
  for (size_t g = 0; g < m.spec.pillars.size(); ++g) {
    const json& pj = (*pillars)[g];
    const PillarSpec& ps = m.spec.pillars[g];
    std::string path = "$.pillars[" + std::to_string(g) + "]";
    PillarFit p;
    MALCHIN_ASSIGN_OR_RETURN(p.name, r.Str(pj, path, "name"));
    if (p.name != ps.name) return r.Err(path + ".name", "expected " + ps.name);
    for (const VariableSpec& v : ps.variables) p.variables.push_back(v.name);
    const size_t pv = p.variables.size();
    MALCHIN_ASSIGN_OR_RETURN(double k, r.Num(pj, path, "factors"));
    if (k < 1 || k >= static_cast<double>(pv)) {
      return r.Err(path + ".factors", "out of range");
    }
    p.pa.factors = static_cast<int>(k);
    const size_t kf = static_cast<size_t>(k);
    MALCHIN_ASSIGN_OR_RETURN(double kaiser, r.Num(pj, path, "kaiser_factors"));
    p.kaiser_factors = static_cast<int>(kaiser);
    MALCHIN_ASSIGN_OR_RETURN(double iters, r.Num(pj, path, "pa_iterations"));
    p.pa.iterations = static_cast<int>(iters);
    MALCHIN_ASSIGN_OR_RETURN(p.mean, r.Nums(pj, path, "mean", pv));
    MALCHIN_ASSIGN_OR_RETURN(p.sd, r.Nums(pj, path, "sd", pv));
    for (double sd : p.sd) {
      if (!(sd > 0)) return r.Err(path + ".sd", "expected positive SDs");
    }
    MALCHIN_ASSIGN_OR_RETURN(p.pa.loadings,
                             r.Cols(pj, path, "loadings", pv, kf));
    MALCHIN_ASSIGN_OR_RETURN(p.pa.communality,
                             r.Nums(pj, path, "communality", pv));
    MALCHIN_ASSIGN_OR_RETURN(p.pa.uniqueness,
                             r.Nums(pj, path, "uniqueness", pv));
    MALCHIN_ASSIGN_OR_RETURN(p.pa.ss_loadings,
                             r.Nums(pj, path, "ss_loadings", kf));
    MALCHIN_ASSIGN_OR_RETURN(p.bartlett,
                             r.Cols(pj, path, "bartlett_weights", pv, kf));
    MALCHIN_ASSIGN_OR_RETURN(p.factor_weight,
                             r.Nums(pj, path, "factor_weights", kf));
    if (pj.contains("fao_minres_screen")) {
      MALCHIN_ASSIGN_OR_RETURN(p.screen,
                               ParseScreen(r, pj["fao_minres_screen"],
                                           path + ".fao_minres_screen", pv));
    }
    ComputeCoefficients(&p);
    m.pillars.push_back(std::move(p));
  }
  const size_t G = m.pillars.size(), F = m.spec.food_security.size();
  MALCHIN_ASSIGN_OR_RETURN(m.pillar_mean, r.Nums(j, "$", "pillar_mean", G));
  MALCHIN_ASSIGN_OR_RETURN(const json* fs, r.Get(j, "$", "food_security"));
  MALCHIN_ASSIGN_OR_RETURN(m.fs_mean,
                           r.Nums(*fs, "$.food_security", "mean", F));
  MALCHIN_ASSIGN_OR_RETURN(m.fs_sd, r.Nums(*fs, "$.food_security", "sd", F));
  for (double sd : m.fs_sd) {
    if (!(sd > 0)) return r.Err("$.food_security.sd", "expected positive SDs");
  }
  MALCHIN_ASSIGN_OR_RETURN(m.fs_z_mean,
                           r.Nums(*fs, "$.food_security", "z_mean", F));
  MALCHIN_ASSIGN_OR_RETURN(const json* mj, r.Get(j, "$", "mimic"));
  const std::string mp = "$.mimic";
  MimicFit& mm = m.mimic;
  mm.m = static_cast<int>(F);
  mm.q = static_cast<int>(G);
  MALCHIN_ASSIGN_OR_RETURN(double mn, r.Num(*mj, mp, "n"));
  mm.n = static_cast<int64_t>(mn);
  MALCHIN_ASSIGN_OR_RETURN(double mit, r.Num(*mj, mp, "iterations"));
  mm.iterations = static_cast<int>(mit);
  MALCHIN_ASSIGN_OR_RETURN(mm.lambda, r.Nums(*mj, mp, "lambda", F));
  MALCHIN_ASSIGN_OR_RETURN(mm.gamma, r.Nums(*mj, mp, "gamma", G));
  MALCHIN_ASSIGN_OR_RETURN(mm.psi, r.Num(*mj, mp, "psi"));
  MALCHIN_ASSIGN_OR_RETURN(mm.theta, r.Nums(*mj, mp, "theta", F));
  MALCHIN_ASSIGN_OR_RETURN(mm.k_regression, r.Nums(*mj, mp, "k_regression", F));
  MALCHIN_ASSIGN_OR_RETURN(mm.k_bartlett, r.Nums(*mj, mp, "k_bartlett", F));
  MALCHIN_ASSIGN_OR_RETURN(mm.var_eta, r.Num(*mj, mp, "var_eta"));
  MALCHIN_ASSIGN_OR_RETURN(mm.std_lambda, r.Nums(*mj, mp, "std_lambda", F));
  MALCHIN_ASSIGN_OR_RETURN(mm.std_gamma, r.Nums(*mj, mp, "std_gamma", G));
  MALCHIN_ASSIGN_OR_RETURN(mm.se, r.Nums(*mj, mp, "se", 2 * F + G));
  if (mj->contains("se_robust") && !(*mj)["se_robust"].empty()) {
    MALCHIN_ASSIGN_OR_RETURN(mm.se_robust,
                             r.Nums(*mj, mp, "se_robust", 2 * F + G));
  }
  MALCHIN_ASSIGN_OR_RETURN(const json* fit, r.Get(*mj, mp, "fit"));
  const std::string fp = mp + ".fit";
  MALCHIN_ASSIGN_OR_RETURN(mm.fmin, r.Num(*fit, fp, "fmin"));
  MALCHIN_ASSIGN_OR_RETURN(double npar, r.Num(*fit, fp, "npar"));
  mm.npar = static_cast<int>(npar);
  MALCHIN_ASSIGN_OR_RETURN(double df, r.Num(*fit, fp, "df"));
  mm.df = static_cast<int>(df);
  MALCHIN_ASSIGN_OR_RETURN(mm.chisq, r.Num(*fit, fp, "chisq"));
  MALCHIN_ASSIGN_OR_RETURN(mm.pvalue, r.Num(*fit, fp, "pvalue"));
  MALCHIN_ASSIGN_OR_RETURN(mm.baseline_chisq,
                           r.Num(*fit, fp, "baseline_chisq"));
  MALCHIN_ASSIGN_OR_RETURN(double bdf, r.Num(*fit, fp, "baseline_df"));
  mm.baseline_df = static_cast<int>(bdf);
  MALCHIN_ASSIGN_OR_RETURN(mm.cfi, r.Num(*fit, fp, "cfi"));
  MALCHIN_ASSIGN_OR_RETURN(mm.tli, r.Num(*fit, fp, "tli"));
  MALCHIN_ASSIGN_OR_RETURN(mm.rmsea, r.Num(*fit, fp, "rmsea"));
  MALCHIN_ASSIGN_OR_RETURN(mm.srmr, r.Num(*fit, fp, "srmr"));
  MALCHIN_ASSIGN_OR_RETURN(mm.logl, r.Num(*fit, fp, "logl"));
  MALCHIN_ASSIGN_OR_RETURN(mm.aic, r.Num(*fit, fp, "aic"));
  MALCHIN_ASSIGN_OR_RETURN(mm.bic, r.Num(*fit, fp, "bic"));
  if (std::abs(mm.lambda[0] - 1.0) > 0 || !(mm.psi > 0)) {
    return r.Err("$.mimic", "expected lambda[0] = 1 and psi > 0");
  }
  MALCHIN_ASSIGN_OR_RETURN(const json* ref, r.Get(j, "$", "reference"));
  MALCHIN_ASSIGN_OR_RETURN(m.rci_min, r.Num(*ref, "$.reference", "rci_min"));
  MALCHIN_ASSIGN_OR_RETURN(m.rci_max, r.Num(*ref, "$.reference", "rci_max"));
  MALCHIN_ASSIGN_OR_RETURN(m.quintile_breaks,
                           r.Nums(*ref, "$.reference", "quintile_breaks", 6));
  if (!(m.rci_max > m.rci_min)) {
    return r.Err("$.reference", "expected rci_max > rci_min");
  }
  return m;
}

Result<FrozenModel> LoadModel(const std::string& path) {
  MALCHIN_ASSIGN_OR_RETURN(std::string text, csv::ReadFile(path));
  return ParseModel(path, text);
}

Status WriteFileAtomic(const std::string& path, std::string_view data) {
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Status::Internal("cannot write " + tmp);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    out.flush();
    if (!out) {
      std::filesystem::remove(tmp);
      return Status::Internal("error writing " + tmp);
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp);
    return Status::Internal("cannot rename " + tmp + " to " + path + ": " +
                            ec.message());
  }
  return Status::Ok();
}

Status SaveModel(const FrozenModel& model, const std::string& path) {
  return WriteFileAtomic(path, ModelJson(model));
}

}  // namespace malchin::rima
