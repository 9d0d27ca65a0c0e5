// CLI commands of the poverty engine: poverty measures, poverty simulate
// (survey or register), pmt fit, pmt score. docs/poverty.md describes them.
#include <cmath>
#include <fstream>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "cli/command.h"
#include "csv/csv.h"
#include "geo/geography.h"
#include "params/parameters.h"
#include "poverty/decomposition.h"
#include "poverty/measures.h"
#include "poverty/microsim.h"
#include "poverty/pmt.h"
#include "poverty/poverty_line.h"
#include "poverty/register_sim.h"
#include "poverty/report.h"
#include "poverty/scenario_file.h"
#include "poverty/survey.h"
#include "rules/frame.h"

namespace malchin::cli {
namespace {

using nlohmann::json;
namespace pv = poverty;

// ---- shared options --------------------------------------------------------

void SurveyOptions(po::options_description& d, bool persons_required) {
  auto persons = po::value<std::string>();
  if (persons_required) persons->required();
  d.add_options()("households", po::value<std::string>()->required(),
                  "households.csv of the survey (reference format)")(
      "persons", persons,
      "persons.csv (ages; needed for age rules, child poverty, domains)")(
      "id-column", po::value<std::string>()->default_value("hh_id"),
      "household id column")("weight-column",
                             po::value<std::string>()->default_value("weight"),
                             "household sampling weight column")(
      "size-column", po::value<std::string>()->default_value("hh_size"),
      "household size column")(
      "consumption-column",
      po::value<std::string>()->default_value("cons_total"),
      "total real household consumption column (MNT/month)");
}

Result<pv::Survey> LoadSurveyOption(const po::variables_map& vm) {
  pv::LoadOptions lo;
  lo.id = lo.person_household = vm["id-column"].as<std::string>();
  lo.weight = vm["weight-column"].as<std::string>();
  lo.size = vm["size-column"].as<std::string>();
  lo.consumption = vm["consumption-column"].as<std::string>();
  const std::string persons =
      vm.count("persons") ? vm["persons"].as<std::string>() : "";
  return pv::LoadSurvey(vm["households"].as<std::string>(), persons, lo);
}

void MeasureOptionsDesc(po::options_description& d) {
  d.add_options()("line", po::value<double>(),
                  "poverty line z, MNT per person (equivalent adult) per "
                  "month; poor iff welfare < z (default: the official line "
                  "in force on --line-date, poverty.line.per_capita in "
                  "data/parameters.json)")(
      "line-date", po::value<std::string>(),
      "date of the official poverty line (YYYY-MM-DD, default today)")(
      "by", po::value<std::vector<std::string>>()->composing(),
      "domains besides national: 'standard' (urban, rural, herder, "
      "nonherder, dzud_soum, hh_with_children, regions) or a household "
      "column (one domain per value); repeatable")(
      "scale", po::value<std::string>()->default_value("per_capita"),
      "equivalence scale: per_capita, oecd_modified, square_root")(
      "se", po::value<std::string>()->default_value("both"),
      "standard errors for a survey: none, linearization, jackknife, both")(
      "lonely-psu", po::value<std::string>()->default_value("fail"),
      "stratum with one PSU: fail, remove, adjust, average")(
      "quantile", po::value<std::string>()->default_value("laeken"),
      "quantile rule: laeken (0.5.2) or eurostat")(
      "threads", po::value<int>()->default_value(2), "worker threads");
}

void OutputOptions(po::options_description& d) {
  d.add_options()("json", "write JSON instead of CSV")(
      "out", po::value<std::string>(),
      "write the report to this file (temporary name, then renamed); "
      "default standard output");
}

Result<pv::EquivalenceScale> ScaleOption(const po::variables_map& vm) {
  const std::string s = vm["scale"].as<std::string>();
  if (s == "per_capita") return pv::EquivalenceScale::kPerCapita;
  if (s == "oecd_modified") return pv::EquivalenceScale::kOecdModified;
  if (s == "square_root") return pv::EquivalenceScale::kSquareRoot;
  return Status::InvalidArgument(
      "--scale '" + s + "': expected per_capita, oecd_modified or square_root");
}

// The poverty line: --line, or else the official line of the dated
// parameters in force on --line-date (default `on`: today, or the
// scenario's date) for `scale`.
Result<pv::OfficialLine> LineFrom(const po::variables_map& vm,
                                  pv::EquivalenceScale scale,
                                  Date on = Date::TodayUtc()) {
  if (vm.count("line")) {
    pv::OfficialLine given;
    given.mnt = vm["line"].as<double>();
    given.parameter = "--line";
    return given;
  }
  if (vm.count("line-date")) {
    auto d = Date::Parse(vm["line-date"].as<std::string>());
    if (!d.ok()) return d.status().WithContext("--line-date");
    on = *d;
  }
  MALCHIN_ASSIGN_OR_RETURN(auto params, params::ParameterSet::Embedded());
  return pv::OfficialPovertyLine(*params, on, scale);
}

json LineJson(const pv::OfficialLine& line) {
  if (line.parameter == "--line")
    return {{"mnt", line.mnt}, {"from", "--line"}};
  return {{"mnt", line.mnt},
          {"parameter", line.parameter},
          {"in_force_from", line.in_force_from.ToString()},
          {"on", line.on.ToString()},
          {"source", line.source},
          {"parameter_version", line.parameter_version}};
}

Result<pv::MeasureOptions> MeasureOptionsFrom(const po::variables_map& vm,
                                              bool has_design,
                                              Date line_on = Date::TodayUtc()) {
  pv::MeasureOptions o;
  MALCHIN_ASSIGN_OR_RETURN(pv::EquivalenceScale scale, ScaleOption(vm));
  MALCHIN_ASSIGN_OR_RETURN(pv::OfficialLine line, LineFrom(vm, scale, line_on));
  o.poverty_line = line.mnt;
  o.threads = vm["threads"].as<int>();
  const std::string se = vm["se"].as<std::string>();
  if (se == "none") {
    o.standard_errors = pv::StandardErrors::kNone;
  } else if (se == "linearization") {
    o.standard_errors = pv::StandardErrors::kLinearization;
  } else if (se == "jackknife") {
    o.standard_errors = pv::StandardErrors::kJackknife;
  } else if (se == "both") {
    o.standard_errors = pv::StandardErrors::kBoth;
  } else {
    return Status::InvalidArgument(
        "--se '" + se + "': expected none, linearization, jackknife or both");
  }
  if (!has_design && o.standard_errors != pv::StandardErrors::kNone) {
    if (!vm["se"].defaulted()) {
      return Status::InvalidArgument(
          "--se " + se +
          ": the data have no sample design (stratum and psu columns)");
    }
    o.standard_errors = pv::StandardErrors::kNone;
  }
  const std::string lp = vm["lonely-psu"].as<std::string>();
  if (lp == "fail") {
    o.lonely_psu = pv::LonelyPsu::kFail;
  } else if (lp == "remove") {
    o.lonely_psu = pv::LonelyPsu::kRemove;
  } else if (lp == "adjust") {
    o.lonely_psu = pv::LonelyPsu::kAdjust;
  } else if (lp == "average") {
    o.lonely_psu = pv::LonelyPsu::kAverage;
  } else {
    return Status::InvalidArgument("--lonely-psu '" + lp +
                                   "': expected fail, remove, adjust or "
                                   "average");
  }
  const std::string q = vm["quantile"].as<std::string>();
  if (q == "laeken") {
    o.quantile_rule = pv::QuantileRule::kLaeken;
  } else if (q == "eurostat") {
    o.quantile_rule = pv::QuantileRule::kEurostat;
  } else {
    return Status::InvalidArgument("--quantile '" + q +
                                   "': expected laeken or eurostat");
  }
  return o;
}

Result<pv::DomainSet> DomainsOption(const po::variables_map& vm,
                                    const pv::Survey& s) {
  pv::DomainSet d = pv::DomainSet::National(s.households());
  if (!vm.count("by")) return d;
  for (const std::string& by : vm["by"].as<std::vector<std::string>>()) {
    if (by == "standard") {
      MALCHIN_ASSIGN_OR_RETURN(pv::DomainSet std, pv::StandardDomains(s));
      for (size_t k = 1; k < std.size(); ++k) {
        std::vector<uint8_t> member(s.households());
        for (size_t h = 0; h < member.size(); ++h) {
          member[h] = (std.mask()[h] >> k) & 1;
        }
        MALCHIN_RETURN_IF_ERROR(d.Add(std.names()[k], member));
      }
    } else {
      MALCHIN_RETURN_IF_ERROR(pv::AddColumnDomains(s, by, &d));
    }
  }
  return d;
}

// Writes `text` to `path` under a temporary name, then renames it.
Status WriteFileAtomically(const std::string& path, Io& io,
                           const std::string& text) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) return Status::Internal("cannot write " + tmp);
    f << text;
    f.flush();
    if (!f) return Status::Internal("error writing " + tmp);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return Status::Internal("cannot rename " + tmp + " to " + path);
  }
  io.err << "wrote " << path << "\n";
  return Status::Ok();
}

// Writes `text` to --out, or to io.out.
Status Emit(const po::variables_map& vm, Io& io, const std::string& text) {
  if (!vm.count("out")) {
    io.out << text;
    return Status::Ok();
  }
  return WriteFileAtomically(vm["out"].as<std::string>(), io, text);
}

json InputsJson(const std::vector<pv::InputFile>& inputs) {
  json a = json::array();
  for (const auto& f : inputs) {
    a.push_back({{"name", f.name}, {"bytes", f.bytes}, {"sha256", f.sha256}});
  }
  return a;
}

// CSV reports carry the manifest as rows of scenario "manifest" whose
// measure names the fact and whose value is numeric where it can be; the
// checksums are in the measure name ("sha256:<file>:<digest>", value =
// bytes), so a CSV report alone still says what it was computed from.
void AppendInputRows(const std::vector<pv::InputFile>& inputs,
                     std::vector<pv::ReportRow>* rows) {
  for (const auto& f : inputs) {
    rows->push_back({"manifest", "inputs", "sha256:" + f.name + ":" + f.sha256,
                     static_cast<double>(f.bytes)});
  }
}

std::string Csv(const std::vector<pv::ReportRow>& rows) {
  std::ostringstream s;
  pv::WriteCsv(s, rows);
  return s.str();
}

// ---- poverty measures ------------------------------------------------------

Status Measures(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(pv::Survey s, LoadSurveyOption(vm));
  MALCHIN_ASSIGN_OR_RETURN(pv::MeasureOptions opt,
                           MeasureOptionsFrom(vm, !s.psu.empty()));
  MALCHIN_ASSIGN_OR_RETURN(pv::EquivalenceScale scale, ScaleOption(vm));
  MALCHIN_ASSIGN_OR_RETURN(pv::OfficialLine line, LineFrom(vm, scale));
  MALCHIN_ASSIGN_OR_RETURN(pv::DomainSet domains, DomainsOption(vm, s));
  // --decompose COLUMN: the column's groups "<column>_<value>" (added
  // unless --by already lists the column).
  std::vector<std::string> groups;
  if (vm.count("decompose")) {
    const std::string column = vm["decompose"].as<std::string>();
    bool listed = false;
    if (vm.count("by")) {
      for (const auto& b : vm["by"].as<std::vector<std::string>>()) {
        listed = listed || b == column;
      }
    }
    const size_t before = domains.size();
    if (!listed) {
      MALCHIN_RETURN_IF_ERROR(pv::AddColumnDomains(s, column, &domains));
    }
    for (size_t k = 1; k < domains.size(); ++k) {
      const std::string& n = domains.names()[k];
      if ((listed || k >= before) && n.rfind(column + "_", 0) == 0) {
        groups.push_back(n);
      }
    }
  }
  MALCHIN_ASSIGN_OR_RETURN(std::vector<double> e,
                           pv::EquivalentSizes(s, scale));
  std::vector<double> y(s.households());
  for (size_t h = 0; h < y.size(); ++h) y[h] = s.consumption[h] / e[h];
  std::vector<int32_t> kids;
  if (s.has_persons()) kids = pv::CountMembers(s, 0, 17);
  pv::HouseholdView view{s.weight, s.size, kids, {}, {}};
  if (opt.standard_errors != pv::StandardErrors::kNone) {
    view.stratum = s.stratum;
    view.psu = s.psu;
  }
  MALCHIN_ASSIGN_OR_RETURN(pv::Population pop,
                           pv::Population::Make(view, domains, opt));
  MALCHIN_ASSIGN_OR_RETURN(pv::Estimates est, pop.Estimate(y));
  std::optional<pv::SubgroupDecomposition> dec;
  if (vm.count("decompose")) {
    MALCHIN_ASSIGN_OR_RETURN(dec,
                             pv::DecomposeBySubgroup(est, "national", groups));
  }
  if (vm.count("json")) {
    std::ostringstream body;
    pv::WriteEstimatesJson(body, est);
    json j;
    j["manifest"] = {
        {"engine", pv::Manifest().engine},
        {"inputs", InputsJson(s.inputs)},
        {"poverty_line", opt.poverty_line},
        {"poverty_line_source", LineJson(line)},
        {"equivalence_scale", pv::EquivalenceScaleName(scale)},
        {"standard_errors", vm["se"].as<std::string>()},
        {"quantile_rule", vm["quantile"].as<std::string>()},
        {"convention",
         "poor iff welfare < line; persons counted (weight w*s); welfare = "
         "consumption / equivalent size"}};
    j["estimates"] = json::parse(body.str());
    if (dec) {
      j["decomposition"] = json::parse(pv::DecompositionJson(*dec));
      j["decomposition"]["by"] = vm["decompose"].as<std::string>();
    }
    return Emit(vm, io, j.dump(1) + "\n");
  }
  std::vector<pv::ReportRow> rows;
  AppendInputRows(s.inputs, &rows);
  rows.push_back({"manifest", "options", "poverty_line", opt.poverty_line});
  if (line.parameter != "--line") {
    rows.push_back({"manifest", "options",
                    "poverty_line_parameter:" + line.parameter + "@" +
                        line.in_force_from.ToString(),
                    line.mnt});
  }
  pv::AppendEstimates("survey", est, &rows);
  if (dec) pv::AppendDecomposition(*dec, &rows);
  return Emit(vm, io, Csv(rows));
}

// ---- poverty change
// ----------------------------------------------------------

// Growth and redistribution components of the change in poverty between
// two survey rounds (--before-*, --after-*), national.
Status Change(const po::variables_map& vm, Io& io) {
  pv::LoadOptions lo;
  lo.id = lo.person_household = vm["id-column"].as<std::string>();
  lo.weight = vm["weight-column"].as<std::string>();
  lo.size = vm["size-column"].as<std::string>();
  lo.consumption = vm["consumption-column"].as<std::string>();
  auto persons = [&](const char* name) {
    return vm.count(name) ? vm[name].as<std::string>() : std::string();
  };
  MALCHIN_ASSIGN_OR_RETURN(
      pv::Survey s0, pv::LoadSurvey(vm["before-households"].as<std::string>(),
                                    persons("before-persons"), lo));
  MALCHIN_ASSIGN_OR_RETURN(
      pv::Survey s1, pv::LoadSurvey(vm["after-households"].as<std::string>(),
                                    persons("after-persons"), lo));
  MALCHIN_ASSIGN_OR_RETURN(pv::EquivalenceScale scale, ScaleOption(vm));
  MALCHIN_ASSIGN_OR_RETURN(pv::OfficialLine line, LineFrom(vm, scale));
  pv::MeasureOptions opt;
  opt.poverty_line = line.mnt;
  opt.threads = 1;
  std::vector<double> y[2];
  std::vector<pv::Population> pops;
  for (int k = 0; k < 2; ++k) {
    const pv::Survey& s = k == 0 ? s0 : s1;
    MALCHIN_ASSIGN_OR_RETURN(std::vector<double> e,
                             pv::EquivalentSizes(s, scale));
    y[k].resize(s.households());
    for (size_t h = 0; h < y[k].size(); ++h) {
      y[k][h] = s.consumption[h] / e[h];
    }
    pv::HouseholdView view{s.weight, s.size, {}, {}, {}};
    MALCHIN_ASSIGN_OR_RETURN(
        pv::Population pop,
        pv::Population::Make(view, pv::DomainSet::National(s.households()),
                             opt));
    pops.push_back(std::move(pop));
  }
  MALCHIN_ASSIGN_OR_RETURN(auto parts, pv::DecomposeGrowthRedistribution(
                                           pops[0], y[0], pops[1], y[1]));
  std::vector<pv::InputFile> inputs = s0.inputs;
  inputs.insert(inputs.end(), s1.inputs.begin(), s1.inputs.end());
  if (vm.count("json")) {
    json j;
    j["manifest"] = {{"engine", pv::Manifest().engine},
                     {"inputs", InputsJson(inputs)},
                     {"poverty_line", LineJson(line)},
                     {"equivalence_scale", pv::EquivalenceScaleName(scale)}};
    j["growth_redistribution"] =
        json::parse(pv::GrowthRedistributionJson(parts));
    return Emit(vm, io, j.dump(1) + "\n");
  }
  std::vector<pv::ReportRow> rows;
  AppendInputRows(inputs, &rows);
  rows.push_back({"manifest", "options", "poverty_line", line.mnt});
  pv::AppendGrowthRedistribution(parts, &rows);
  return Emit(vm, io, Csv(rows));
}

// ---- poverty simulate ------------------------------------------------------

Result<std::string> ReadText(const std::string& path) {
  return csv::ReadFile(path);
}

Status SimulateSurvey(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(pv::Survey s, LoadSurveyOption(vm));
  const std::string scenario_path = vm["scenario"].as<std::string>();
  MALCHIN_ASSIGN_OR_RETURN(std::string text, ReadText(scenario_path));
  MALCHIN_ASSIGN_OR_RETURN(pv::SurveyScenario sc,
                           pv::ParseSurveyScenario(scenario_path, text));
  s.inputs.push_back({scenario_path, text.size(), pv::Sha256Hex(text)});
  pv::SimulationOptions opt;
  MALCHIN_ASSIGN_OR_RETURN(
      opt.measures, MeasureOptionsFrom(vm, !s.psu.empty(), sc.baseline.date));
  MALCHIN_ASSIGN_OR_RETURN(opt.scale, ScaleOption(vm));
  opt.mpc = vm["mpc"].as<double>();
  const std::string timing = vm["timing"].as<std::string>();
  if (timing == "payment_month") {
    opt.timing = pv::Timing::kPaymentMonth;
  } else if (timing == "annual_average") {
    opt.timing = pv::Timing::kAnnualAverage;
  } else {
    return Status::InvalidArgument(
        "--timing '" + timing + "': expected payment_month or annual_average");
  }
  if (vm.count("takeup-column")) {
    opt.takeup_column = vm["takeup-column"].as<std::string>();
  }
  opt.seed = vm["seed"].as<uint64_t>();
  MALCHIN_ASSIGN_OR_RETURN(pv::DomainSet domains, DomainsOption(vm, s));
  MALCHIN_ASSIGN_OR_RETURN(pv::Simulator sim,
                           pv::Simulator::Make(s, domains, sc.baseline, opt));
  std::vector<pv::ReportRow> rows;
  std::string json_docs;
  AppendInputRows(s.inputs, &rows);
  pv::AppendEstimates(sc.baseline.name, sim.baseline(), &rows);
  for (const pv::Policy& reform : sc.reforms) {
    MALCHIN_ASSIGN_OR_RETURN(pv::ScenarioResult r, sim.Run(reform));
    if (vm.count("json")) {
      std::ostringstream d;
      pv::WriteScenarioJson(d, r);
      json_docs += (json_docs.empty() ? "[\n" : ",\n") + d.str();
    } else {
      pv::AppendScenario(r, sc.baseline.name, &rows);
    }
  }
  if (vm.count("json")) return Emit(vm, io, json_docs + "]\n");
  return Emit(vm, io, Csv(rows));
}

// household_id,consumption per register household; others are missing.
Result<std::vector<double>> ReadRegisterConsumption(
    const std::string& path, const registry::Population& pop,
    pv::InputFile* input) {
  MALCHIN_ASSIGN_OR_RETURN(std::string text, csv::ReadFile(path));
  *input = {path, text.size(), pv::Sha256Hex(text)};
  std::unordered_map<std::string_view, size_t> index;
  for (size_t h = 0; h < pop.households(); ++h) {
    index.emplace(pop.household_id[h], h);
  }
  std::vector<double> out(pop.households(), std::nan(""));
  int c_id = -1, c_value = -1;
  bool header = true;
  MALCHIN_RETURN_IF_ERROR(
      csv::ReadRecords(path, text, {}, [&](const csv::Record& r) -> Status {
        if (header) {
          header = false;
          MALCHIN_ASSIGN_OR_RETURN(
              csv::Header h,
              csv::Header::Make(path, r, {"household_id", "consumption"}, {}));
          c_id = h.Index("household_id");
          c_value = h.Index("consumption");
          return Status::Ok();
        }
        const std::string where = path + " line " + std::to_string(r.line);
        if (r.fields.size() <= static_cast<size_t>(std::max(c_id, c_value))) {
          return Status::InvalidArgument(where + ": too few fields");
        }
        auto it = index.find(r.fields[c_id]);
        if (it == index.end()) {
          return Status::InvalidArgument(
              where + ", column 'household_id': value '" + r.fields[c_id] +
              "' is not an active household in the register (area)");
        }
        char* end = nullptr;
        const double v = std::strtod(r.fields[c_value].c_str(), &end);
        if (end == r.fields[c_value].c_str() || *end != '\0' || !(v > 0) ||
            !std::isfinite(v)) {
          return Status::InvalidArgument(
              where + ", column 'consumption': value '" + r.fields[c_value] +
              "' is not a number > 0 (total household MNT per month)");
        }
        out[it->second] = v;
        return Status::Ok();
      }));
  return out;
}

Result<store::AreaFilter> RegisterArea(const po::variables_map& vm) {
  store::AreaFilter area;
  if (!vm.count("aimag") && !vm.count("soum")) return area;
  MALCHIN_ASSIGN_OR_RETURN(auto geo, geo::Geography::Load());
  if (vm.count("aimag") && vm.count("soum")) {
    return Status::InvalidArgument("give --soum or --aimag, not both");
  }
  if (vm.count("aimag")) {
    MALCHIN_ASSIGN_OR_RETURN(const geo::Unit* u,
                             geo->Resolve(vm["aimag"].as<std::string>()));
    if (!u->is_aimag_level()) {
      return Status::InvalidArgument("--aimag " +
                                     vm["aimag"].as<std::string>() +
                                     " is a soum; use --soum");
    }
    area.aimag_code = u->code;
  } else {
    MALCHIN_ASSIGN_OR_RETURN(const geo::Unit* u,
                             geo->Resolve(vm["soum"].as<std::string>()));
    if (u->is_aimag_level()) {
      return Status::InvalidArgument("--soum " + vm["soum"].as<std::string>() +
                                     " is an aimag; use --aimag");
    }
    area.soum_code = u->code;
  }
  return area;
}

Status SimulateRegisterCmd(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(auto params, params::ParameterSet::Embedded());
  const std::string scenario_path = vm["scenario"].as<std::string>();
  MALCHIN_ASSIGN_OR_RETURN(std::string text, ReadText(scenario_path));
  MALCHIN_ASSIGN_OR_RETURN(
      pv::RegisterScenario sc,
      pv::ParseRegisterScenario(scenario_path, text, params));
  std::vector<pv::InputFile> inputs = {
      {scenario_path, text.size(), pv::Sha256Hex(text)}};
  MALCHIN_ASSIGN_OR_RETURN(store::AreaFilter area, RegisterArea(vm));
  MALCHIN_ASSIGN_OR_RETURN(auto store, OpenStore(vm, false));
  MALCHIN_ASSIGN_OR_RETURN(registry::Population pop,
                           store->Register().LoadPopulation(area));
  if (pop.households() == 0) {
    return Status::FailedPrecondition(
        "the register has no active household " +
        std::string(area.aimag_code || area.soum_code ? "in that area" : ""));
  }
  MALCHIN_ASSIGN_OR_RETURN(auto factors,
                           registry::SheepUnitFactors::On(*params, sc.date));
  MALCHIN_ASSIGN_OR_RETURN(auto frame,
                           rules::Frame::Build(pop, sc.date, factors));
  pv::RegisterOptions opt;
  opt.seed = vm["seed"].as<uint64_t>();
  opt.threads = vm["threads"].as<int>();
  opt.mpc = vm["mpc"].as<double>();
  if (sc.has_event) opt.event = &sc.event;
  rules::Extensions ext;
  ext.set_parameters(params);
  if (vm.count("pmt-model")) {
    const std::string path = vm["pmt-model"].as<std::string>();
    MALCHIN_ASSIGN_OR_RETURN(std::string model_text, csv::ReadFile(path));
    inputs.push_back({path, model_text.size(), pv::Sha256Hex(model_text)});
    MALCHIN_ASSIGN_OR_RETURN(auto models, pv::ParsePmtModels(path, model_text));
    const pv::PmtModel* model = &models.front();
    if (vm.count("pmt-name")) {
      model = nullptr;
      for (const auto& m : models) {
        if (m.name == vm["pmt-name"].as<std::string>()) model = &m;
      }
      if (model == nullptr) {
        return Status::NotFound(
            "no model '" + vm["pmt-name"].as<std::string>() + "' in " + path);
      }
    }
    MALCHIN_RETURN_IF_ERROR(
        pv::AddPmtScoreColumn(*model, *frame, "pmt_score", &ext));
    opt.extensions = &ext;
  }
  std::vector<double> consumption;
  if (vm.count("consumption")) {
    MALCHIN_ASSIGN_OR_RETURN(
        pv::OfficialLine line,
        LineFrom(vm, pv::EquivalenceScale::kPerCapita, sc.date));
    opt.poverty_line = line.mnt;
    pv::InputFile in;
    MALCHIN_ASSIGN_OR_RETURN(
        consumption,
        ReadRegisterConsumption(vm["consumption"].as<std::string>(), pop, &in));
    inputs.push_back(in);
    for (size_t h = 0; h < consumption.size(); ++h) {
      if (std::isnan(consumption[h]) && frame->Size(h) > 0) {
        return Status::InvalidArgument(
            vm["consumption"].as<std::string>() +
            ": no consumption for household " + pop.household_id[h] +
            " (every household with a member needs one)");
      }
      if (std::isnan(consumption[h])) consumption[h] = 1;  // no members
    }
    opt.consumption = consumption;
  }
  std::vector<pv::ReportRow> rows;
  std::string json_docs;
  AppendInputRows(inputs, &rows);
  for (const pv::RegisterPolicy& reform : sc.reforms) {
    MALCHIN_ASSIGN_OR_RETURN(
        pv::RegisterResult r,
        pv::SimulateRegister(frame, sc.baseline, reform, opt));
    if (vm.count("json")) {
      std::ostringstream d;
      pv::WriteRegisterJson(d, r, inputs);
      json_docs += (json_docs.empty() ? "[\n" : ",\n") + d.str();
    } else {
      rows.push_back({"manifest", "register",
                      "fingerprint:" + r.data_fingerprint,
                      static_cast<double>(r.households)});
      pv::AppendRegister(r, &rows);
    }
  }
  if (vm.count("json")) return Emit(vm, io, json_docs + "]\n");
  return Emit(vm, io, Csv(rows));
}

Status Simulate(const po::variables_map& vm, Io& io) {
  if (vm.count("db") && vm.count("households")) {
    return Status::InvalidArgument(
        "give a survey (--households/--persons) or a register (--db), not "
        "both");
  }
  if (vm.count("db")) return SimulateRegisterCmd(vm, io);
  if (!vm.count("households")) {
    return Status::InvalidArgument(
        "give a survey (--households, --persons) or a register (--db)");
  }
  return SimulateSurvey(vm, io);
}

// ---- pmt fit / pmt score ---------------------------------------------------

Result<std::vector<pv::PmtTerm>> TermsOption(const po::variables_map& vm) {
  std::vector<pv::PmtTerm> terms;
  if (vm.count("terms") == vm.count("terms-from")) {
    return Status::InvalidArgument(
        "give the model's terms with --terms \"(Intercept),x,...\" or "
        "--terms-from MODEL_FILE");
  }
  if (vm.count("terms")) {
    std::string list = vm["terms"].as<std::string>();
    std::stringstream ss(list);
    std::string t;
    while (std::getline(ss, t, ',')) {
      if (t.empty()) continue;
      MALCHIN_ASSIGN_OR_RETURN(pv::PmtTerm term, pv::ParsePmtTerm(t));
      terms.push_back(std::move(term));
    }
    return terms;
  }
  const std::string path = vm["terms-from"].as<std::string>();
  MALCHIN_ASSIGN_OR_RETURN(std::string text, csv::ReadFile(path));
  MALCHIN_ASSIGN_OR_RETURN(auto models, pv::ParsePmtModels(path, text));
  return models.front().terms;
}

Status PmtFit(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(pv::Survey s, LoadSurveyOption(vm));
  MALCHIN_ASSIGN_OR_RETURN(std::vector<pv::PmtTerm> terms, TermsOption(vm));
  std::vector<uint8_t> sample;
  if (vm.count("sample-column")) {
    const std::string c = vm["sample-column"].as<std::string>();
    const std::vector<double>* col = s.columns.Find(c);
    if (col == nullptr) {
      return Status::InvalidArgument("--sample-column: no household column '" +
                                     c + "'");
    }
    sample.resize(col->size());
    for (size_t h = 0; h < col->size(); ++h) sample[h] = (*col)[h] != 0;
  }
  MALCHIN_ASSIGN_OR_RETURN(
      pv::PmtModel m,
      pv::FitPmt(s, terms, sample, vm["name"].as<std::string>()));
  m.version = vm["version"].as<std::string>();
  std::ostringstream model;
  pv::WritePmtModels(model, std::span<const pv::PmtModel>(&m, 1));
  io.err << "model " << m.name << " (version " << m.version
         << "): " << m.terms.size() << " terms, " << m.observations
         << " households, weighted R^2 " << std::setprecision(6) << m.r_squared
         << "; fitted on";
  for (const auto& f : s.inputs) {
    io.err << " " << f.name << " (sha256 " << f.sha256 << ")";
  }
  io.err << "\n";
  if (!vm.count("json")) return Emit(vm, io, model.str());
  // JSON doubles are written with enough digits to round-trip
  // (max_digits10), so R^2 and the estimates keep full precision.
  json term_rows = json::array();
  for (size_t t = 0; t < m.terms.size(); ++t) {
    term_rows.push_back(
        {{"term", m.terms[t].name}, {"estimate", m.coefficients[t]}});
  }
  json j;
  j["manifest"] = {{"engine", pv::Manifest().engine},
                   {"inputs", InputsJson(s.inputs)}};
  j["model"] = {{"name", m.name},
                {"version", m.version},
                {"observations", m.observations},
                {"r_squared", m.r_squared},
                {"terms", term_rows}};
  return Emit(vm, io, j.dump(1) + "\n");
}

Status PmtScore(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(pv::Survey s, LoadSurveyOption(vm));
  const std::string path = vm["model"].as<std::string>();
  MALCHIN_ASSIGN_OR_RETURN(std::string text, csv::ReadFile(path));
  MALCHIN_ASSIGN_OR_RETURN(auto models, pv::ParsePmtModels(path, text));
  s.inputs.push_back({path, text.size(), pv::Sha256Hex(text)});
  const pv::PmtModel* model = &models.front();
  if (vm.count("model-name")) {
    model = nullptr;
    for (const auto& m : models) {
      if (m.name == vm["model-name"].as<std::string>()) model = &m;
    }
    if (model == nullptr) {
      return Status::NotFound(
          "no model '" + vm["model-name"].as<std::string>() + "' in " + path);
    }
  }
  MALCHIN_ASSIGN_OR_RETURN(std::vector<double> score, pv::ScorePmt(*model, s));
  const size_t n = s.households();
  std::vector<double> pw(n), y(n);
  for (size_t h = 0; h < n; ++h) {
    pw[h] = s.weight[h] * s.size[h];
    y[h] = s.consumption[h] / s.size[h];
  }
  double cutoff;
  std::string rule;
  if (vm.count("cutoff")) {
    cutoff = vm["cutoff"].as<double>();
    rule = "score <= " + std::to_string(cutoff);
  } else if (vm.count("cutoff-ln-line")) {
    if (!vm.count("line")) {
      return Status::InvalidArgument("--cutoff-ln-line needs --line");
    }
    cutoff = std::log(vm["line"].as<double>());
    rule = "score < ln(line)";
  } else {
    const double coverage = vm["coverage"].as<double>();
    MALCHIN_ASSIGN_OR_RETURN(cutoff, pv::CoverageCutoff(score, pw, coverage));
    rule = "score <= weighted quantile of the score at coverage " +
           std::to_string(coverage) + " (persons)";
  }
  const bool strict = vm.count("cutoff-ln-line") > 0;
  std::vector<uint8_t> sel(n);
  for (size_t h = 0; h < n; ++h) {
    sel[h] = strict ? score[h] < cutoff : score[h] <= cutoff;
  }
  if (vm.count("scores")) {
    std::string out = "hh_id,score,selected\n";
    for (size_t h = 0; h < n; ++h) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.17g", score[h]);
      out += std::to_string(s.hh_id[h]) + "," + buf + "," +
             (sel[h] ? "1" : "0") + "\n";
    }
    MALCHIN_RETURN_IF_ERROR(
        WriteFileAtomically(vm["scores"].as<std::string>(), io, out));
  }
  std::vector<pv::ReportRow> rows;
  AppendInputRows(s.inputs, &rows);
  rows.push_back({"pmt", "national", "score_cutoff", cutoff});
  json j;
  j["manifest"] = {{"engine", pv::Manifest().engine},
                   {"inputs", InputsJson(s.inputs)},
                   {"model", model->name},
                   {"model_version", model->version},
                   {"selection_rule", rule}};
  j["score_cutoff"] = cutoff;
  if (vm.count("line")) {
    const double z = vm["line"].as<double>();
    std::vector<uint8_t> poor(n);
    for (size_t h = 0; h < n; ++h) poor[h] = y[h] < z;
    MALCHIN_ASSIGN_OR_RETURN(pv::TargetingErrors persons,
                             pv::EvaluateTargeting(sel, poor, pw));
    MALCHIN_ASSIGN_OR_RETURN(pv::TargetingErrors households,
                             pv::EvaluateTargeting(sel, poor, s.weight));
    pv::AppendTargeting("pmt", "persons", persons, &rows);
    pv::AppendTargeting("pmt", "households", households, &rows);
    auto te = [](const pv::TargetingErrors& e) {
      return json{
          {"inclusion_error_share_of_benef_nonpoor", e.inclusion_error},
          {"exclusion_error_share_of_poor_missed", e.exclusion_error},
          {"leakage_share_of_nonpoor_selected", e.nontarget_selected_share},
          {"coverage_of_poor", e.coverage},
          {"accuracy", e.accuracy},
          {"selected_share", e.selected_share}};
    };
    j["poverty_line"] = z;
    j["targeting"] = {{"persons", te(persons)}, {"households", te(households)}};
    j["definitions"] = {
        {"inclusion_error",
         "FP/(TP+FP): share of beneficiaries not poor "
         "(Coady-Grosh-Hoddinott leakage)"},
        {"exclusion_error", "FN/(TP+FN): share of the poor not selected"},
        {"leakage_share_of_nonpoor_selected",
         "FP/(FP+TN): share of the non-poor selected (wbEPL/PMT-Senegal "
         "'leakage')"}};
  }
  if (vm.count("json")) return Emit(vm, io, j.dump(1) + "\n");
  return Emit(vm, io, Csv(rows));
}

}  // namespace

void AddPovertyCommands(std::vector<Command>* commands) {
  commands->push_back(
      {"poverty measures",
       "poverty and inequality measures of a survey, by domain, with SEs",
       [](po::options_description& d) {
         SurveyOptions(d, false);
         MeasureOptionsDesc(d);
         d.add_options()("decompose", po::value<std::string>(),
                         "decompose by the groups of this household column: "
                         "FGT 0-2 contributions, GE(0,1,2) within and "
                         "between");
         OutputOptions(d);
       },
       Measures,
       "\nEvery measure of docs/poverty.md (FGT 0-2, Watts, Gini, Theil, MLD, "
       "GE(2),\nAtkinson, quantiles, quintile shares A/B, Palma, S80/S20, "
       "child poverty),\nperson-weighted; standard errors by linearisation "
       "and the delete-one-PSU\njackknife when the data have stratum and psu "
       "columns. Output: long CSV\n(scenario,domain,measure,value; input "
       "checksums as 'manifest' rows) or JSON.\n\nExample:\n  malchin "
       "poverty measures --households households.csv --persons persons.csv "
       "\\\n    --line 200000 --by standard --json --out measures.json\n"});
  commands->push_back(
      {"poverty change",
       "growth and redistribution components of a change in poverty",
       [](po::options_description& d) {
         d.add_options()("before-households",
                         po::value<std::string>()->required(),
                         "households.csv of the earlier round")(
             "before-persons", po::value<std::string>(),
             "persons.csv of the earlier round")(
             "after-households", po::value<std::string>()->required(),
             "households.csv of the later round")(
             "after-persons", po::value<std::string>(),
             "persons.csv of the later round")(
             "id-column", po::value<std::string>()->default_value("hh_id"),
             "household id column")(
             "weight-column", po::value<std::string>()->default_value("weight"),
             "household sampling weight column")(
             "size-column", po::value<std::string>()->default_value("hh_size"),
             "household size column")(
             "consumption-column",
             po::value<std::string>()->default_value("cons_total"),
             "total household consumption column (in the prices of one "
             "year)")("line", po::value<double>(),
                      "poverty line (default: the official line on "
                      "--line-date)")(
             "line-date", po::value<std::string>(),
             "date of the official poverty line (default today)")(
             "scale", po::value<std::string>()->default_value("per_capita"),
             "equivalence scale: per_capita, oecd_modified, square_root");
         OutputOptions(d);
       },
       Change,
       "\nDatt-Ravallion (1992): growth = P(mu1, L0) - P(mu0, L0) (the mean "
       "changes,\ninequality as before), redistribution = P(mu0, L1) - "
       "P(mu0, L0), and the\nresidual; the Shapley split averages both "
       "orders (no residual). FGT 0-2,\nnational, person-weighted. Both "
       "rounds must be in the same prices.\n"});
  commands->push_back(
      {"poverty simulate",
       "cost and poverty impact of a benefit reform (survey or register)",
       [](po::options_description& d) {
         d.add_options()("scenario", po::value<std::string>()->required(),
                         "scenario file (JSON; docs/poverty.md)")(
             "households", po::value<std::string>(),
             "survey households.csv (survey mode)")(
             "persons", po::value<std::string>(), "survey persons.csv")(
             "id-column", po::value<std::string>()->default_value("hh_id"),
             "household id column")(
             "weight-column", po::value<std::string>()->default_value("weight"),
             "household sampling weight column")(
             "size-column", po::value<std::string>()->default_value("hh_size"),
             "household size column")(
             "consumption-column",
             po::value<std::string>()->default_value("cons_total"),
             "total household consumption column")(
             "line", po::value<double>(),
             "poverty line, MNT/person/month (default: the official line on "
             "--line-date)")("line-date", po::value<std::string>(),
                             "date of the official poverty line (default "
                             "today)")(
             "by", po::value<std::vector<std::string>>()->composing(),
             "survey domains: 'standard' or a household column; repeatable")(
             "scale", po::value<std::string>()->default_value("per_capita"),
             "equivalence scale: per_capita, oecd_modified, square_root")(
             "se", po::value<std::string>()->default_value("both"),
             "survey SEs: none, linearization, jackknife, both")(
             "lonely-psu", po::value<std::string>()->default_value("fail"),
             "stratum with one PSU: fail, remove, adjust, average")(
             "quantile", po::value<std::string>()->default_value("laeken"),
             "quantile rule: laeken or eurostat")(
             "mpc", po::value<double>()->default_value(1.0),
             "share of the benefit change consumed (0..1)")(
             "timing", po::value<std::string>()->default_value("payment_month"),
             "payment_month or annual_average (months/12)")(
             "takeup-column", po::value<std::string>(),
             "survey column with each household's take-up draw in [0,1)")(
             "seed", po::value<uint64_t>()->default_value(0),
             "seed of the take-up draws")(
             "threads", po::value<int>()->default_value(2), "worker threads")(
             "db", po::value<std::string>(),
             "register database (register mode)")(
             "aimag", po::value<std::string>(), "register: only this aimag")(
             "soum", po::value<std::string>(), "register: only this soum")(
             "consumption", po::value<std::string>(),
             "register: CSV household_id,consumption (MNT/month) for poverty "
             "measures")("pmt-model", po::value<std::string>(),
                         "register: PMT model file; rules may use pmt_score")(
             "pmt-name", po::value<std::string>(),
             "register: model name in the file (default: the first)");
         OutputOptions(d);
       },
       Simulate,
       "\nSurvey mode (--households): baseline vs each reform of the "
       "scenario file,\nall measures with SEs of levels and changes, cost, "
       "beneficiaries, gainers,\ndecile incidence, gap closed per MNT.\n"
       "Register mode (--db): programmes in the rule language over the "
       "whole register\n(or --aimag/--soum): exact cost in MNT, "
       "beneficiaries, gainers and losers,\nby aimag; poverty measures "
       "only with --consumption (the register does not\nrecord "
       "consumption). Every report carries input checksums and "
       "parameter\nversions.\n"});
  commands->push_back(
      {"pmt fit",
       "fit a proxy-means-test model (WLS of log per-capita consumption)",
       [](po::options_description& d) {
         SurveyOptions(d, false);
         d.add_options()("terms", po::value<std::string>(),
                         "comma-separated R-style terms: (Intercept), x, "
                         "factor(x)2, log1p(x), log(x), I(x/10)")(
             "terms-from", po::value<std::string>(),
             "take the terms of the first model in this model file")(
             "sample-column", po::value<std::string>(),
             "fit only on households where this column is not 0")(
             "name", po::value<std::string>()->default_value("pmt"),
             "model name written to the file")(
             "version", po::value<std::string>()->required(),
             "version label of this coefficient set (recorded in reports)");
         OutputOptions(d);
       },
       PmtFit,
       "\nWrites the model file (term,estimate,model,version), the file "
       "pmt score\nreads; with --json a JSON report instead (model, terms, "
       "weighted R^2 and\ninput checksums, full precision). Weights are "
       "persons (w * hh_size), as\nR lm(..., weights = w * s).\n"});
  commands->push_back(
      {"pmt score", "score households with a PMT model; targeting errors",
       [](po::options_description& d) {
         SurveyOptions(d, false);
         d.add_options()("model", po::value<std::string>()->required(),
                         "model file (term,estimate,model[,version])")(
             "model-name", po::value<std::string>(),
             "model in the file (default: the first)")(
             "coverage", po::value<double>()->default_value(0.3),
             "select score <= the weighted quantile at this share of "
             "persons")("cutoff", po::value<double>(),
                        "select score <= this value instead")(
             "cutoff-ln-line", "select score < ln(--line) instead")(
             "line", po::value<double>(),
             "poverty line: report inclusion/exclusion errors against the "
             "poor")("scores", po::value<std::string>(),
                     "write hh_id,score,selected to this CSV file");
         OutputOptions(d);
       },
       PmtScore,
       "\nInclusion error = share of beneficiaries not poor; exclusion error "
       "= share of\nthe poor not selected; leakage (World Bank sense) = "
       "share of the non-poor\nselected. All weighted by persons and by "
       "households.\n"});
}

}  // namespace malchin::cli
