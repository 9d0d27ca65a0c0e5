#include "poverty/report.h"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <ostream>

namespace malchin::poverty {
namespace {

std::string Number(double x) {
  if (std::isnan(x)) return "NA";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.15g", x);
  return buf;
}

// CSV field, quoted when needed (RFC 4180).
std::string Field(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
    return std::string(s);
  }
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

nlohmann::json JsonNumber(double x) {
  if (!std::isfinite(x)) return nullptr;
  return x;
}

nlohmann::json MeasureObject(const MeasureValues& v) {
  nlohmann::json o = nlohmann::json::object();
  for (size_t m = 0; m < kMeasureCount; ++m) {
    if (std::isnan(v[m])) continue;
    o[std::string(MeasureName(static_cast<Measure>(m)))] = JsonNumber(v[m]);
  }
  return o;
}

nlohmann::json EstimatesJson(const Estimates& e) {
  nlohmann::json j;
  j["design_df"] = e.design_df;
  j["domains"] = nlohmann::json::array();
  for (const DomainEstimates& d : e.domains) {
    nlohmann::json dj;
    dj["domain"] = d.domain;
    dj["values"] = MeasureObject(d.value);
    nlohmann::json lin = MeasureObject(d.se_lin);
    nlohmann::json jkn = MeasureObject(d.se_jkn);
    if (!lin.empty()) dj["se_lin"] = std::move(lin);
    if (!jkn.empty()) dj["se_jkn"] = std::move(jkn);
    j["domains"].push_back(std::move(dj));
  }
  return j;
}

}  // namespace

void AppendEstimates(std::string_view scenario, const Estimates& estimates,
                     std::vector<ReportRow>* rows) {
  const std::string sc(scenario);
  for (const DomainEstimates& d : estimates.domains) {
    for (size_t m = 0; m < kMeasureCount; ++m) {
      const std::string name(MeasureName(static_cast<Measure>(m)));
      rows->push_back({sc, d.domain, name, d.value[m]});
      if (!std::isnan(d.se_lin[m])) {
        rows->push_back({sc, d.domain, "se_lin_" + name, d.se_lin[m]});
      }
      if (!std::isnan(d.se_jkn[m])) {
        rows->push_back({sc, d.domain, "se_jkn_" + name, d.se_jkn[m]});
      }
    }
  }
}

void AppendScenario(const ScenarioResult& r, std::string_view baseline,
                    std::vector<ReportRow>* rows) {
  const std::string sc = r.name;
  auto add = [&](std::string measure, double value) {
    rows->push_back({sc, "national", std::move(measure), value});
  };
  add("cost_month_mnt", r.cost_month);
  add("cost_year_mnt", r.cost_year);
  add("benef_households", r.benef_households);
  add("benef_units", r.benef_units);
  add("persons_in_benef_households", r.persons_in_benef_households);
  add("loser_households", r.loser_households);
  add("persons_in_loser_households", r.persons_in_loser_households);
  add("poverty_gap_total_baseline_mnt_month", r.poverty_gap_baseline);
  add("gap_closed_per_mnt_spent", r.gap_closed_per_mnt_spent);
  add("cost_to_poor_share_pre", r.cost_to_poor_share_pre);
  for (size_t k = 0; k < 10; ++k) {
    add("spend_share_pre_decile_" + std::to_string(k + 1),
        r.spend_share_pre_decile[k]);
  }
  for (const ProgrammeResult& p : r.programmes) {
    add("programme_" + p.programme + "_cost_month_mnt", p.cost_month);
    add("programme_" + p.programme + "_cost_year_mnt", p.cost_year);
    add("programme_" + p.programme + "_benef_households",
        p.beneficiary_households);
    add("programme_" + p.programme + "_benef_units", p.beneficiary_units);
  }
  AppendEstimates(sc, r.measures.reform, rows);
  const std::string change = sc + "_minus_" + std::string(baseline);
  for (const DomainEstimates& d : r.measures.change.domains) {
    for (size_t m = 0; m < kMeasureCount; ++m) {
      const std::string name(MeasureName(static_cast<Measure>(m)));
      rows->push_back({change, d.domain, "delta_" + name, d.value[m]});
      if (!std::isnan(d.se_lin[m])) {
        rows->push_back(
            {change, d.domain, "se_lin_delta_" + name, d.se_lin[m]});
      }
      if (!std::isnan(d.se_jkn[m])) {
        rows->push_back(
            {change, d.domain, "se_jkn_delta_" + name, d.se_jkn[m]});
      }
    }
  }
}

void AppendTargeting(std::string_view scenario, std::string_view prefix,
                     const TargetingErrors& e, std::vector<ReportRow>* rows) {
  const std::string sc(scenario), p(prefix);
  auto add = [&](const char* name, double v) {
    rows->push_back({sc, "national", p + "_" + name, v});
  };
  add("inclusion_error_share_of_benef_nonpoor", e.inclusion_error);
  add("exclusion_error_share_of_poor_missed", e.exclusion_error);
  add("leakage_share_of_nonpoor_selected", e.nontarget_selected_share);
  add("coverage_of_poor", e.coverage);
  add("accuracy", e.accuracy);
  add("selected_share", e.selected_share);
}

void WriteCsv(std::ostream& out, std::span<const ReportRow> rows) {
  out << "scenario,domain,measure,value\n";
  for (const ReportRow& r : rows) {
    out << Field(r.scenario) << ',' << Field(r.domain) << ','
        << Field(r.measure) << ',' << Number(r.value) << '\n';
  }
}

void WriteEstimatesJson(std::ostream& out, const Estimates& estimates) {
  out << EstimatesJson(estimates).dump(1) << '\n';
}

void WriteScenarioJson(std::ostream& out, const ScenarioResult& r) {
  nlohmann::json j;
  const Manifest& m = r.manifest;
  nlohmann::json inputs = nlohmann::json::array();
  for (const InputFile& f : m.inputs) {
    inputs.push_back(
        {{"name", f.name}, {"bytes", f.bytes}, {"sha256", f.sha256}});
  }
  j["manifest"] = {
      {"engine", m.engine},
      {"inputs", inputs},
      {"data_fingerprint", m.data_fingerprint},
      {"baseline",
       {{"policy", m.baseline_policy},
        {"parameter_version", m.baseline_parameter_version},
        {"date", m.baseline_date}}},
      {"reform",
       {{"policy", m.reform_policy},
        {"parameter_version", m.reform_parameter_version},
        {"date", m.reform_date}}},
      {"poverty_line", m.poverty_line},
      {"mpc", m.mpc},
      {"equivalence_scale", m.scale},
      {"timing", m.timing},
      {"takeup_source", m.takeup_source},
      {"seed", m.seed},
      {"quantile_rule", m.quantile_rule},
      {"standard_errors", m.standard_errors},
      {"convention",
       "static, no behavioural response; baseline = observed consumption; "
       "benefit change added with the MPC; poor iff y < z; persons counted "
       "(weight w*s)"},
  };
  j["scenario"] = r.name;
  j["fiscal"] = {
      {"cost_month_mnt", JsonNumber(r.cost_month)},
      {"cost_year_mnt", JsonNumber(r.cost_year)},
      {"benef_households", JsonNumber(r.benef_households)},
      {"benef_units", JsonNumber(r.benef_units)},
      {"persons_in_benef_households",
       JsonNumber(r.persons_in_benef_households)},
      {"loser_households", JsonNumber(r.loser_households)},
      {"persons_in_loser_households",
       JsonNumber(r.persons_in_loser_households)},
      {"poverty_gap_baseline_mnt_month", JsonNumber(r.poverty_gap_baseline)},
      {"poverty_gap_reform_mnt_month", JsonNumber(r.poverty_gap_reform)},
      {"gap_closed_per_mnt_spent", JsonNumber(r.gap_closed_per_mnt_spent)},
      {"cost_to_poor_share_pre", JsonNumber(r.cost_to_poor_share_pre)},
  };
  nlohmann::json dec = nlohmann::json::array();
  for (double x : r.spend_share_pre_decile) dec.push_back(JsonNumber(x));
  j["fiscal"]["spend_share_pre_decile"] = dec;
  j["programmes"] = nlohmann::json::array();
  for (const ProgrammeResult& p : r.programmes) {
    j["programmes"].push_back(
        {{"programme", p.programme},
         {"cost_month_mnt", JsonNumber(p.cost_month)},
         {"cost_year_mnt", JsonNumber(p.cost_year)},
         {"benef_households", JsonNumber(p.beneficiary_households)},
         {"benef_units", JsonNumber(p.beneficiary_units)}});
  }
  j["baseline"] = EstimatesJson(r.measures.baseline);
  j["reform"] = EstimatesJson(r.measures.reform);
  j["change"] = EstimatesJson(r.measures.change);
  out << j.dump(1) << '\n';
}

namespace {

void AppendChange(const std::string& change, const Estimates& e,
                  std::vector<ReportRow>* rows) {
  for (const DomainEstimates& d : e.domains) {
    for (size_t m = 0; m < kMeasureCount; ++m) {
      const std::string name(MeasureName(static_cast<Measure>(m)));
      rows->push_back({change, d.domain, "delta_" + name, d.value[m]});
    }
  }
}

}  // namespace

void AppendRegister(const RegisterResult& r, std::vector<ReportRow>* rows) {
  const std::string sc = r.reform;
  auto add = [&](const std::string& domain, std::string measure, double v) {
    rows->push_back({sc, domain, std::move(measure), v});
  };
  auto d = [](int64_t x) { return static_cast<double>(x); };
  add("national", "households", d(r.households));
  add("national", "persons", d(r.persons));
  add("national", "cost_change_month_mnt", d(r.cost_change_month));
  add("national", "cost_change_year_mnt", d(r.cost_change_year));
  add("national", "gaining_households", d(r.gaining_households));
  add("national", "persons_in_gaining_households",
      d(r.persons_in_gaining_households));
  add("national", "losing_households", d(r.losing_households));
  add("national", "persons_in_losing_households",
      d(r.persons_in_losing_households));
  for (const RegisterProgrammeResult& p : r.programmes) {
    const std::string pre = "programme_" + p.programme + "_";
    add("national", pre + "baseline_month_mnt", d(p.baseline_month));
    add("national", pre + "reform_month_mnt", d(p.reform_month));
    add("national", pre + "change_month_mnt", d(p.change_month));
    add("national", pre + "change_year_mnt", d(p.change_year));
    add("national", pre + "beneficiaries_baseline",
        d(p.beneficiaries_baseline));
    add("national", pre + "beneficiaries_reform", d(p.beneficiaries_reform));
    add("national", pre + "gaining_households", d(p.gaining_households));
  }
  for (const RegisterAreaResult& a : r.by_aimag) {
    const std::string dom = "aimag_" + std::to_string(a.aimag);
    add(dom, "households", d(a.households));
    add(dom, "persons", d(a.persons));
    add(dom, "cost_change_month_mnt", d(a.change_month));
    add(dom, "gaining_households", d(a.gaining_households));
    add(dom, "persons_in_gaining_households",
        d(a.persons_in_gaining_households));
  }
  if (!r.has_measures) return;
  add("national", "gap_closed_per_mnt_spent", r.gap_closed_per_mnt_spent);
  add("national", "households_without_members",
      d(r.households_without_members));
  AppendEstimates(r.baseline, r.measures.baseline, rows);
  AppendEstimates(sc, r.measures.reform, rows);
  AppendChange(sc + "_minus_" + r.baseline, r.measures.change, rows);
}

void WriteRegisterJson(std::ostream& out, const RegisterResult& r,
                       std::span<const InputFile> inputs) {
  nlohmann::json j;
  nlohmann::json in = nlohmann::json::array();
  for (const InputFile& f : inputs) {
    in.push_back({{"name", f.name}, {"bytes", f.bytes}, {"sha256", f.sha256}});
  }
  j["manifest"] = {
      {"engine", Manifest().engine},
      {"run", "register"},
      {"inputs", in},
      {"register_fingerprint", r.data_fingerprint},
      {"as_of", r.as_of},
      {"baseline",
       {{"policy", r.baseline},
        {"parameter_version", r.baseline_parameter_version}}},
      {"reform",
       {{"policy", r.reform},
        {"parameter_version", r.reform_parameter_version}}},
      {"seed", r.seed},
      {"standard_errors", "none (full register, not a sample)"},
      {"convention",
       "static, no behavioural response; amounts by the rule language on "
       "the reference date; take-up of increases by a per-household draw"},
  };
  j["scenario"] = r.reform;
  j["register"] = {{"households", r.households}, {"persons", r.persons}};
  j["fiscal"] = {
      {"cost_change_month_mnt", r.cost_change_month},
      {"cost_change_year_mnt", r.cost_change_year},
      {"gaining_households", r.gaining_households},
      {"persons_in_gaining_households", r.persons_in_gaining_households},
      {"losing_households", r.losing_households},
      {"persons_in_losing_households", r.persons_in_losing_households},
  };
  j["programmes"] = nlohmann::json::array();
  for (const RegisterProgrammeResult& p : r.programmes) {
    j["programmes"].push_back(
        {{"programme", p.programme},
         {"baseline_month_mnt", p.baseline_month},
         {"reform_month_mnt", p.reform_month},
         {"change_month_mnt", p.change_month},
         {"change_year_mnt", p.change_year},
         {"beneficiaries_baseline", p.beneficiaries_baseline},
         {"beneficiaries_reform", p.beneficiaries_reform},
         {"gaining_households", p.gaining_households}});
  }
  j["by_aimag"] = nlohmann::json::array();
  for (const RegisterAreaResult& a : r.by_aimag) {
    j["by_aimag"].push_back(
        {{"aimag", a.aimag},
         {"households", a.households},
         {"persons", a.persons},
         {"change_month_mnt", a.change_month},
         {"gaining_households", a.gaining_households},
         {"persons_in_gaining_households", a.persons_in_gaining_households}});
  }
  if (r.has_measures) {
    j["poverty_line"] = r.poverty_line;
    j["households_without_members"] = r.households_without_members;
    j["fiscal"]["gap_closed_per_mnt_spent"] =
        JsonNumber(r.gap_closed_per_mnt_spent);
    j["baseline"] = EstimatesJson(r.measures.baseline);
    j["reform"] = EstimatesJson(r.measures.reform);
    j["change"] = EstimatesJson(r.measures.change);
  } else {
    j["measures"] =
        "not computed: the register does not record consumption; give "
        "--consumption, or simulate on the survey for the distributional "
        "impact";
  }
  out << j.dump(1) << '\n';
}

namespace {
constexpr const char* kGeNames[3] = {"mld_ge0", "theil_T_ge1", "ge2"};
}  // namespace

void AppendDecomposition(const SubgroupDecomposition& d,
                         std::vector<ReportRow>* rows) {
  for (const auto& g : d.groups) {
    rows->push_back(
        {"decomposition", g.domain, "population_share", g.population_share});
    for (int a = 0; a < 3; ++a) {
      rows->push_back({"decomposition", g.domain,
                       "contribution_fgt" + std::to_string(a),
                       g.contribution[a]});
    }
  }
  for (int a = 0; a < 3; ++a) {
    rows->push_back({"decomposition", d.total_domain,
                     std::string("within_") + kGeNames[a], d.ge.within[a]});
    rows->push_back({"decomposition", d.total_domain,
                     std::string("between_") + kGeNames[a], d.ge.between[a]});
  }
}

std::string DecompositionJson(const SubgroupDecomposition& d) {
  nlohmann::json groups = nlohmann::json::array();
  for (const auto& g : d.groups) {
    nlohmann::json fgt = nlohmann::json::object();
    nlohmann::json contribution = nlohmann::json::object();
    for (int a = 0; a < 3; ++a) {
      const std::string name = "fgt" + std::to_string(a);
      fgt[name] = JsonNumber(g.fgt[a]);
      contribution[name] = JsonNumber(g.contribution[a]);
    }
    groups.push_back({{"domain", g.domain},
                      {"population_share", JsonNumber(g.population_share)},
                      {"fgt", fgt},
                      {"contribution", contribution}});
  }
  nlohmann::json ge = nlohmann::json::object();
  for (int a = 0; a < 3; ++a) {
    ge[kGeNames[a]] = {{"total", JsonNumber(d.ge.total[a])},
                       {"within", JsonNumber(d.ge.within[a])},
                       {"between", JsonNumber(d.ge.between[a])}};
  }
  return nlohmann::json({{"of", d.total_domain},
                         {"groups", groups},
                         {"generalised_entropy", ge}})
      .dump();
}

namespace {
std::vector<std::pair<std::string, double>> Parts(
    const GrowthRedistribution& x) {
  return {{"before", x.before},
          {"after", x.after},
          {"growth", x.growth},
          {"redistribution", x.redistribution},
          {"residual", x.residual},
          {"shapley_growth", x.shapley_growth},
          {"shapley_redistribution", x.shapley_redistribution}};
}
}  // namespace

void AppendGrowthRedistribution(
    const std::array<GrowthRedistribution, 3>& parts,
    std::vector<ReportRow>* rows) {
  const std::string& domain = parts[0].domain;
  rows->push_back(
      {"growth_redistribution", domain, "mean_before", parts[0].mean_before});
  rows->push_back(
      {"growth_redistribution", domain, "mean_after", parts[0].mean_after});
  for (const GrowthRedistribution& x : parts) {
    for (const auto& [name, value] : Parts(x)) {
      rows->push_back({"growth_redistribution", domain,
                       name + "_fgt" + std::to_string(x.alpha), value});
    }
  }
}

std::string GrowthRedistributionJson(
    const std::array<GrowthRedistribution, 3>& parts) {
  nlohmann::json j = {{"domain", parts[0].domain},
                      {"mean_before", JsonNumber(parts[0].mean_before)},
                      {"mean_after", JsonNumber(parts[0].mean_after)},
                      {"method",
                       "Datt-Ravallion (1992): growth = P(mu1,L0) - "
                       "P(mu0,L0), redistribution = P(mu0,L1) - P(mu0,L0), "
                       "residual; Shapley: the average of both orders"}};
  for (const GrowthRedistribution& x : parts) {
    nlohmann::json o = nlohmann::json::object();
    for (const auto& [name, value] : Parts(x)) o[name] = JsonNumber(value);
    j["fgt" + std::to_string(x.alpha)] = o;
  }
  return j.dump();
}

}  // namespace malchin::poverty
