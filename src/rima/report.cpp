#include "rima/report.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "csv/csv.h"

namespace malchin::rima {
namespace {

using ojson = nlohmann::ordered_json;

std::string Fmt(double v, int digits = 10) {
  if (std::isnan(v)) return "NA";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  return buf;
}

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(c));
  return s;
}

// A number, or null for NaN (JSON has no NaN).
ojson JsonNum(double v) { return std::isnan(v) ? ojson(nullptr) : ojson(v); }

void Row(std::string* out, const std::vector<std::string>& fields) {
  std::vector<std::string_view> v(fields.begin(), fields.end());
  csv::AppendRow(out, v);
}

ojson GroupJson(const FrozenModel& model, const RsmGroup& g) {
  ojson j;
  if (!g.profile.empty()) {
    j["profile"] = g.profile;
    j["group"] = g.group;
  }
  j["n"] = g.n;
  j["mean_score_0_100"] = g.mean_score_0_100;
  for (size_t k = 0; k < model.pillars.size(); ++k) {
    j["pillars"][model.pillars[k].name] = {{"cor_with_rci", g.cor[k]},
                                           {"share_pct", g.share_pct[k]}};
  }
  return j;
}

// One MIMIC parameter as lavaan's parameterEstimates() lists it. `se` is
// lavaan's se = "robust.sem" (what FAO's tool reports); `se_standard` the
// normal-theory SE from the expected information (se = "standard").
struct Parameter {
  std::string lhs, op, rhs;
  double est = 0, se = NAN, se_standard = NAN, std_all = 0;
  bool fixed = false;  // The marker loading (se 0, no test).
  double z() const { return fixed ? NAN : est / se; }
  double pvalue() const {
    return fixed ? NAN : std::erfc(std::abs(z()) / std::sqrt(2.0));
  }
  double ci(int sign) const {
    return fixed ? est : est + sign * 1.959963984540054 * se;  // qnorm(.975)
  }
};

std::vector<Parameter> MimicParameters(const FrozenModel& model) {
  const MimicFit& m = model.mimic;
  const auto& fs = model.spec.food_security;
  std::vector<Parameter> out;
  // SE layout: lambda_2..m, gamma, psi, theta.
  auto add = [&](std::string lhs, const char* op, std::string rhs, double est,
                 int se_index, double std_all) {
    Parameter p{std::move(lhs), op, std::move(rhs), est};
    p.std_all = std_all;
    if (se_index < 0) {
      p.fixed = true;
      p.se = p.se_standard = 0;
    } else {
      p.se_standard = m.se[se_index];
      if (!m.se_robust.empty()) p.se = m.se_robust[se_index];
    }
    out.push_back(std::move(p));
  };
  for (int j = 0; j < m.m; ++j) {
    add("RES", "=~", fs[j].name, m.lambda[j], j - 1, m.std_lambda[j]);
  }
  for (int g = 0; g < m.q; ++g) {
    add("RES", "~", Lower(model.pillars[g].name), m.gamma[g], m.m - 1 + g,
        m.std_gamma[g]);
  }
  for (int j = 0; j < m.m; ++j) {
    double var_y = m.var_eta * m.lambda[j] * m.lambda[j] + m.theta[j];
    add(fs[j].name, "~~", fs[j].name, m.theta[j], m.m + m.q + j,
        m.theta[j] / var_y);
  }
  add("RES", "~~", "RES", m.psi, m.m - 1 + m.q, m.psi / m.var_eta);
  return out;
}

std::string MimicParametersCsv(const FrozenModel& model) {
  std::string out;
  Row(&out, {"lhs", "op", "rhs", "est", "se", "z", "pvalue", "ci.lower",
             "ci.upper", "se_standard", "std_all"});
  for (const Parameter& p : MimicParameters(model)) {
    Row(&out,
        {p.lhs, p.op, p.rhs, Fmt(p.est), Fmt(p.se), Fmt(p.z()), Fmt(p.pvalue()),
         Fmt(p.ci(-1)), Fmt(p.ci(1)), Fmt(p.se_standard), Fmt(p.std_all)});
  }
  return out;
}

ojson ParametersJson(const FrozenModel& model) {
  ojson a = ojson::array();
  for (const Parameter& p : MimicParameters(model)) {
    a.push_back({{"lhs", p.lhs},
                 {"op", p.op},
                 {"rhs", p.rhs},
                 {"est", p.est},
                 {"se", JsonNum(p.se)},
                 {"z", JsonNum(p.z())},
                 {"pvalue", JsonNum(p.pvalue())},
                 {"ci_lower", JsonNum(p.ci(-1))},
                 {"ci_upper", JsonNum(p.ci(1))},
                 {"se_standard", JsonNum(p.se_standard)},
                 {"std_all", p.std_all}});
  }
  return a;
}

// pillar_numf_screen.csv as rima_reference.R writes it.
std::string ScreenCsv(const FrozenModel& model) {
  std::string out;
  Row(&out, {"pillar", "factor", "ss_loading", "share", "cum_share"});
  for (const PillarFit& p : model.pillars) {
    const MinresScreen& s = p.screen;
    for (size_t k = 0; s.factors > 0 && k < s.ss_loadings.size(); ++k) {
      Row(&out, {p.name, std::to_string(k + 1), Fmt(s.ss_loadings[k]),
                 Fmt(s.share[k]), Fmt(s.cum_share[k])});
    }
  }
  return out;
}

std::vector<std::pair<std::string, double>> FitMeasures(const MimicFit& m) {
  return {{"npar", m.npar},
          {"chisq", m.chisq},
          {"df", m.df},
          {"pvalue", m.pvalue},
          {"baseline_chisq", m.baseline_chisq},
          {"baseline_df", m.baseline_df},
          {"cfi", m.cfi},
          {"tli", m.tli},
          {"rmsea", m.rmsea},
          {"srmr", m.srmr},
          {"aic", m.aic},
          {"bic", m.bic},
          {"logl", m.logl},
          {"iterations", m.iterations}};
}

}  // namespace

std::string SummaryJson(const FrozenModel& model, const SurveyData& survey,
                        const std::vector<HouseholdScore>& scores,
                        const Structure& structure) {
  ojson j;
  j["model_version"] = model.model_version;
  j["model_created_on"] = model.created_on;
  j["survey"] = {{"file", survey.file},
                 {"rows", survey.rows},
                 {"scored", scores.size()},
                 {"dropped", survey.dropped.size()}};
  ojson miss = ojson::object();
  for (const auto& [col, count] : survey.missing_by_column) miss[col] = count;
  j["survey"]["blank_model_values_by_column"] = miss;
  j["survey"]["warnings"] = survey.warnings;
  j["pillars"] = ojson::array();
  for (size_t g = 0; g < model.pillars.size(); ++g) {
    const PillarFit& p = model.pillars[g];
    const PillarSpec& ps = model.spec.pillars[g];
    ojson pj = {{"name", p.name},
                {"factor_rule", FactorRuleName(ps.rule.kind)},
                {"factors", p.pa.factors},
                {"kaiser_factors", p.kaiser_factors},
                {"pa_iterations", p.pa.iterations},
                {"ss_loadings", p.pa.ss_loadings},
                {"factor_weights", p.factor_weight}};
    if (p.screen.factors > 0) {
      pj["fao_minres_screen"] = {{"factors", p.screen.factors},
                                 {"ss_loadings", p.screen.ss_loadings},
                                 {"share", p.screen.share},
                                 {"cum_share", p.screen.cum_share},
                                 {"convergence", p.screen.convergence}};
    }
    pj["variables"] = ojson::array();
    for (size_t i = 0; i < p.variables.size(); ++i) {
      std::vector<double> l, w;
      for (int k = 0; k < p.pa.factors; ++k) {
        l.push_back(p.pa.loadings(i, k));
        w.push_back(p.bartlett(i, k));
      }
      pj["variables"].push_back({{"name", p.variables[i]},
                                 {"loadings", l},
                                 {"communality", p.pa.communality[i]},
                                 {"uniqueness", p.pa.uniqueness[i]},
                                 {"bartlett_weights", w},
                                 {"score_coefficient", p.coefficient[i]}});
    }
    j["pillars"].push_back(pj);
  }
  const MimicFit& m = model.mimic;
  ojson mj;
  for (int f = 0; f < m.m; ++f) {
    mj["loadings"][model.spec.food_security[f].name] = {
        {"est", m.lambda[f]}, {"std_all", m.std_lambda[f]}};
    mj["error_variances"][model.spec.food_security[f].name] = m.theta[f];
  }
  for (int g = 0; g < m.q; ++g) {
    mj["regressions"][model.pillars[g].name] = {{"est", m.gamma[g]},
                                                {"std_all", m.std_gamma[g]}};
  }
  mj["psi"] = m.psi;
  mj["standard_errors"] =
      m.se_robust.empty()
          ? "se: unavailable (model file written before robust SEs); "
            "se_standard: normal theory, expected information"
          : "se: robust.sem (lavaan; Satorra-Bentler sandwich, expected "
            "information), as FAO's tool reports; se_standard: normal "
            "theory, expected information";
  mj["parameters"] = ParametersJson(model);
  for (const auto& [name, v] : FitMeasures(m)) mj["fit"][name] = v;
  j["mimic"] = mj;
  j["reference_scale"] = {{"rci_min", model.rci_min},
                          {"rci_max", model.rci_max},
                          {"quintile_breaks", model.quintile_breaks}};
  j["rsm"] = GroupJson(model, structure.overall);
  j["rsm_by_profile"] = ojson::array();
  for (const RsmGroup& g : structure.by_profile) {
    j["rsm_by_profile"].push_back(GroupJson(model, g));
  }
  j["by_quintile"] = ojson::array();
  for (const RsmGroup& g : structure.by_quintile) {
    j["by_quintile"].push_back(GroupJson(model, g));
  }
  j["variable_pillar_cor"] = ojson::array();
  for (const VariableCorrelation& v : structure.variable_cor) {
    j["variable_pillar_cor"].push_back(
        {{"pillar", v.pillar}, {"variable", v.variable}, {"cor", v.cor}});
  }
  return j.dump(2) + "\n";
}

std::string ScoresCsv(const FrozenModel& model, const SurveyData& survey,
                      const std::vector<HouseholdScore>& scores) {
  std::string out;
  std::vector<std::string> head = {"hhid"};
  for (const std::string& p : model.spec.profiles) head.push_back(p);
  for (const PillarFit& p : model.pillars) head.push_back(p.name);
  for (const char* c : {"RCI", "RCI_bartlett", "RCI_structural", "RCI_0_100",
                        "RCI_quintile", "model_version"}) {
    head.push_back(c);
  }
  Row(&out, head);
  for (size_t i = 0; i < scores.size(); ++i) {
    const HouseholdScore& s = scores[i];
    std::vector<std::string> r = {s.id};
    for (size_t k = 0; k < model.spec.profiles.size(); ++k) {
      r.push_back(k < survey.profiles.size() && i < survey.profiles[k].size()
                      ? survey.profiles[k][i]
                      : "");
    }
    for (double p : s.pillars) r.push_back(Fmt(p, 12));
    r.push_back(Fmt(s.rci, 12));
    r.push_back(Fmt(s.rci_bartlett, 12));
    r.push_back(Fmt(s.rci_structural, 12));
    r.push_back(Fmt(s.score_0_100, 10));
    r.push_back(std::to_string(s.quintile));
    r.push_back(model.model_version);
    Row(&out, r);
  }
  return out;
}

Status WriteReport(const FrozenModel& model, const SurveyData& survey,
                   const std::vector<HouseholdScore>& scores,
                   const Structure& structure, const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::Internal("cannot create " + dir + ": " + ec.message());
  auto put = [&](const char* name, const std::string& data) {
    return WriteFileAtomic(dir + "/" + name, data);
  };
  MALCHIN_RETURN_IF_ERROR(
      put("summary.json", SummaryJson(model, survey, scores, structure)));
  MALCHIN_RETURN_IF_ERROR(
      put("rci_households.csv", ScoresCsv(model, survey, scores)));
  std::string fa, ld, bw;
  Row(&fa, {"pillar", "n_vars", "numf", "factor_rule", "kaiser_numf", "factor",
            "ss_loading", "weight", "pa_iterations"});
  Row(&ld,
      {"pillar", "variable", "factor", "loading", "communality", "uniqueness"});
  Row(&bw, {"pillar", "variable", "factor", "bartlett_weight"});
  for (size_t g = 0; g < model.pillars.size(); ++g) {
    const PillarFit& p = model.pillars[g];
    const std::string rule(FactorRuleName(model.spec.pillars[g].rule.kind));
    for (int k = 0; k < p.pa.factors; ++k) {
      Row(&fa,
          {p.name, std::to_string(p.variables.size()),
           std::to_string(p.pa.factors), rule, std::to_string(p.kaiser_factors),
           std::to_string(k + 1), Fmt(p.pa.ss_loadings[k]),
           Fmt(p.factor_weight[k]), std::to_string(p.pa.iterations)});
      for (size_t i = 0; i < p.variables.size(); ++i) {
        Row(&ld, {p.name, p.variables[i], std::to_string(k + 1),
                  Fmt(p.pa.loadings(i, k)), Fmt(p.pa.communality[i]),
                  Fmt(p.pa.uniqueness[i])});
        Row(&bw, {p.name, p.variables[i], std::to_string(k + 1),
                  Fmt(p.bartlett(i, k))});
      }
    }
  }
  MALCHIN_RETURN_IF_ERROR(put("pillar_fa_summary.csv", fa));
  MALCHIN_RETURN_IF_ERROR(put("pillar_loadings.csv", ld));
  MALCHIN_RETURN_IF_ERROR(put("pillar_bartlett_weights.csv", bw));
  MALCHIN_RETURN_IF_ERROR(put("pillar_numf_screen.csv", ScreenCsv(model)));
  MALCHIN_RETURN_IF_ERROR(
      put("mimic_parameters.csv", MimicParametersCsv(model)));
  std::string fit;
  Row(&fit, {"measure", "value"});
  for (const auto& [name, v] : FitMeasures(model.mimic)) {
    Row(&fit, {name, Fmt(v)});
  }
  MALCHIN_RETURN_IF_ERROR(put("mimic_fit.csv", fit));
  std::string rsm, byp, prof, vc, dropped;
  Row(&rsm, {"pillar", "cor_with_RCI", "abs_cor_share_pct", "mimic_gamma",
             "mimic_gamma_std_all"});
  for (size_t g = 0; g < model.pillars.size(); ++g) {
    Row(&rsm, {model.pillars[g].name, Fmt(structure.overall.cor[g]),
               Fmt(structure.overall.share_pct[g]), Fmt(model.mimic.gamma[g]),
               Fmt(model.mimic.std_gamma[g])});
  }
  Row(&byp,
      {"profile", "group", "n", "pillar", "cor_with_RCI", "abs_cor_share_pct"});
  Row(&prof, {"group", "mean_RCI_0_100", "n"});
  for (const auto* list : {&structure.by_profile, &structure.by_quintile}) {
    for (const RsmGroup& g : *list) {
      for (size_t k = 0; k < model.pillars.size(); ++k) {
        Row(&byp, {g.profile, g.group, std::to_string(g.n),
                   model.pillars[k].name, Fmt(g.cor[k]), Fmt(g.share_pct[k])});
      }
      Row(&prof, {g.profile + "=" + g.group, Fmt(g.mean_score_0_100),
                  std::to_string(g.n)});
    }
  }
  Row(&vc, {"pillar", "variable", "cor_with_pillar"});
  for (const VariableCorrelation& v : structure.variable_cor) {
    Row(&vc, {v.pillar, v.variable, Fmt(v.cor)});
  }
  Row(&dropped, {"line", "hhid", "blank_columns"});
  for (const DroppedHousehold& d : survey.dropped) {
    std::string cols;
    for (const auto& c : d.missing_columns)
      cols += (cols.empty() ? "" : ";") + c;
    Row(&dropped, {std::to_string(d.line), d.id, cols});
  }
  MALCHIN_RETURN_IF_ERROR(put("rsm.csv", rsm));
  MALCHIN_RETURN_IF_ERROR(put("rsm_by_profile.csv", byp));
  MALCHIN_RETURN_IF_ERROR(put("rci_by_profile.csv", prof));
  MALCHIN_RETURN_IF_ERROR(put("variable_pillar_cor.csv", vc));
  return put("dropped_households.csv", dropped);
}

std::string ExplanationJson(const Explanation& e, const FrozenModel& model) {
  ojson j;
  j["household"] = e.score.id;
  j["model_version"] = model.model_version;
  j["rci"] = e.score.rci;
  j["score_0_100"] = e.score.score_0_100;
  j["quintile"] = e.score.quintile;
  j["average_score_0_100"] = e.average_score_0_100;
  j["pillars"] = ojson::array();
  for (const auto& p : e.pillars) {
    ojson pj = {{"name", p.name},
                {"score", p.score},
                {"contribution", p.contribution},
                {"points", p.points}};
    pj["variables"] = ojson::array();
    for (const auto& v : p.variables) {
      pj["variables"].push_back({{"name", v.name},
                                 {"value", v.value},
                                 {"z", v.z},
                                 {"contribution", v.contribution},
                                 {"points", v.points}});
    }
    j["pillars"].push_back(pj);
  }
  j["food_security"] = ojson::array();
  for (const auto& v : e.food_security) {
    j["food_security"].push_back({{"name", v.name},
                                  {"value", v.value},
                                  {"z", v.z},
                                  {"contribution", v.contribution},
                                  {"points", v.points}});
  }
  return j.dump(2) + "\n";
}

std::string ExplanationText(const Explanation& e, const FrozenModel& model) {
  std::string out;
  char buf[200];
  std::snprintf(buf, sizeof buf,
                "household %s: resilience score %.1f of 100 (quintile %d; "
                "model %s)\nthe average household of the reference survey "
                "scores %.1f; points above (+) or below (-) it:\n",
                e.score.id.c_str(), e.score.score_0_100, e.score.quintile,
                model.model_version.c_str(), e.average_score_0_100);
  out += buf;
  for (const auto& p : e.pillars) {
    std::snprintf(buf, sizeof buf, "  %-4s %+7.2f\n", p.name.c_str(), p.points);
    out += buf;
    for (const auto& v : p.variables) {
      std::snprintf(buf, sizeof buf,
                    "      %-20s %+7.2f  (value %g, z %+.2f)\n", v.name.c_str(),
                    v.points, v.value, v.z);
      out += buf;
    }
  }
  out += "  food security now (the MIMIC indicators):\n";
  for (const auto& v : e.food_security) {
    std::snprintf(buf, sizeof buf, "      %-20s %+7.2f  (value %g, z %+.2f)\n",
                  v.name.c_str(), v.points, v.value, v.z);
    out += buf;
  }
  return out;
}

}  // namespace malchin::rima
