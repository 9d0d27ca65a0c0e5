// Poverty, inequality, benefit microsimulation and proxy means tests over
// HTTP (docs/poverty.md, "HTTP API"): the same engine as `malchin poverty`
// and `malchin pmt`, on surveys uploaded as CSV text (the reference format)
// or on the register of the caller's area.
//
// Permissions: fitting a PMT model needs kRunAnalytics; measures,
// simulations, PMT targeting errors and the official poverty line are
// aggregates and need kReadStats. No output names a person.
//
// The poverty line is the request's "line", or else the official line in
// force (poverty.line.per_capita in data/parameters.json) on "line_date"
// (default: the scenario's date, or today); every answer says which line
// it used and where it came from.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <sstream>

#include "api/api.h"
#include "api/json_input.h"
#include "params/parameters.h"
#include "poverty/decomposition.h"
#include "poverty/measures.h"
#include "poverty/microsim.h"
#include "poverty/pmt.h"
#include "poverty/poverty_line.h"
#include "poverty/report.h"
#include "poverty/scenario_file.h"
#include "poverty/survey.h"

namespace malchin::api {

using nlohmann::json;
namespace pv = poverty;

namespace {

constexpr size_t kMaxSurveyBody = 64u << 20;

Status Field(Status s, const std::string& field) {
  if (s.ok()) return s;
  return Status(s.code(), field + ": " + s.message(), field);
}

json RawBody(const std::string& body) {
  return json::parse(body, nullptr, false);
}

// An optional array of strings of the body.
Result<std::vector<std::string>> StringArray(JsonInput& in, const json& doc,
                                             const std::string& name,
                                             size_t max_items) {
  std::vector<std::string> out;
  if (!in.Has(name)) return out;
  in.Ignore({name.c_str()});
  const json& v = doc[name];
  if (!v.is_array() || v.size() > max_items) {
    return Status::InvalidArgument(name + ": expected an array of at most " +
                                       std::to_string(max_items) + " strings",
                                   name);
  }
  for (size_t i = 0; i < v.size(); ++i) {
    if (!v[i].is_string()) {
      return Status::InvalidArgument(
          name + "[" + std::to_string(i) + "]: expected a string", name);
    }
    out.push_back(v[i].get<std::string>());
  }
  return out;
}

// A survey of the body: households_csv and (optional) persons_csv.
Result<pv::Survey> SurveyOf(JsonInput& in, bool persons_required) {
  MALCHIN_ASSIGN_OR_RETURN(std::string households, in.String("households_csv"));
  std::string persons;
  if (persons_required || in.Has("persons_csv")) {
    MALCHIN_ASSIGN_OR_RETURN(persons, in.String("persons_csv"));
  }
  auto s = pv::ParseSurvey("households_csv", households,
                           persons.empty() ? "" : "persons_csv", persons);
  if (!s.ok()) return Field(s.status(), "households_csv");
  return s;
}

Result<pv::EquivalenceScale> ScaleOf(JsonInput& in) {
  MALCHIN_ASSIGN_OR_RETURN(auto s, in.OptString("scale"));
  const std::string scale = s.value_or("per_capita");
  if (scale == "per_capita") return pv::EquivalenceScale::kPerCapita;
  if (scale == "oecd_modified") return pv::EquivalenceScale::kOecdModified;
  if (scale == "square_root") return pv::EquivalenceScale::kSquareRoot;
  return Status::InvalidArgument(
      "scale '" + scale +
          "': expected per_capita, oecd_modified or square_root",
      "scale");
}

// "line" or the official line on "line_date" (default `on`).
Result<pv::OfficialLine> LineOf(JsonInput& in, pv::EquivalenceScale scale,
                                Date on) {
  MALCHIN_ASSIGN_OR_RETURN(auto line, in.OptNumber("line"));
  MALCHIN_ASSIGN_OR_RETURN(auto date, in.OptString("line_date"));
  if (line) {
    if (!(*line > 0) || !std::isfinite(*line)) {
      return Status::InvalidArgument(
          "line: expected a poverty line > 0 (MNT per person per month)",
          "line");
    }
    pv::OfficialLine given;
    given.mnt = *line;
    given.parameter = "request";
    return given;
  }
  if (date) {
    auto d = Date::Parse(*date);
    if (!d.ok()) {
      return Status::InvalidArgument("line_date: " + d.status().message(),
                                     "line_date");
    }
    on = *d;
  }
  MALCHIN_ASSIGN_OR_RETURN(auto params, params::ParameterSet::Embedded());
  auto official = pv::OfficialPovertyLine(*params, on, scale);
  if (!official.ok()) return Field(official.status(), "line");
  return official;
}

json LineJson(const pv::OfficialLine& line) {
  if (line.parameter == "request") {
    return {{"mnt", line.mnt}, {"source", "request"}};
  }
  return {{"mnt", line.mnt},
          {"parameter", line.parameter},
          {"in_force_from", line.in_force_from.ToString()},
          {"on", line.on.ToString()},
          {"source", line.source},
          {"parameter_version", line.parameter_version}};
}

// Measure options of the body (the line is set by the caller).
Result<pv::MeasureOptions> MeasureOptionsOf(JsonInput& in, bool has_design) {
  pv::MeasureOptions o;
  o.threads = 1;
  MALCHIN_ASSIGN_OR_RETURN(auto se, in.OptString("se"));
  const std::string s = se.value_or("none");
  if (s == "none") {
    o.standard_errors = pv::StandardErrors::kNone;
  } else if (s == "linearization") {
    o.standard_errors = pv::StandardErrors::kLinearization;
  } else if (s == "jackknife") {
    o.standard_errors = pv::StandardErrors::kJackknife;
  } else if (s == "both") {
    o.standard_errors = pv::StandardErrors::kBoth;
  } else {
    return Status::InvalidArgument(
        "se '" + s + "': expected none, linearization, jackknife or both",
        "se");
  }
  if (!has_design && o.standard_errors != pv::StandardErrors::kNone) {
    return Status::InvalidArgument(
        "se " + s +
            ": the survey has no sample design (stratum and psu "
            "columns)",
        "se");
  }
  MALCHIN_ASSIGN_OR_RETURN(auto lp, in.OptString("lonely_psu"));
  const std::string l = lp.value_or("fail");
  if (l == "fail") {
    o.lonely_psu = pv::LonelyPsu::kFail;
  } else if (l == "remove") {
    o.lonely_psu = pv::LonelyPsu::kRemove;
  } else if (l == "adjust") {
    o.lonely_psu = pv::LonelyPsu::kAdjust;
  } else if (l == "average") {
    o.lonely_psu = pv::LonelyPsu::kAverage;
  } else {
    return Status::InvalidArgument(
        "lonely_psu '" + l + "': expected fail, remove, adjust or average",
        "lonely_psu");
  }
  MALCHIN_ASSIGN_OR_RETURN(auto q, in.OptString("quantile"));
  const std::string qr = q.value_or("laeken");
  if (qr == "laeken") {
    o.quantile_rule = pv::QuantileRule::kLaeken;
  } else if (qr == "eurostat") {
    o.quantile_rule = pv::QuantileRule::kEurostat;
  } else {
    return Status::InvalidArgument(
        "quantile '" + qr + "': expected laeken or eurostat", "quantile");
  }
  return o;
}

// National plus the requested domains ("standard" or a household column).
Result<pv::DomainSet> DomainsOf(const std::vector<std::string>& by,
                                const pv::Survey& s) {
  pv::DomainSet d = pv::DomainSet::National(s.households());
  for (const std::string& b : by) {
    if (b == "standard") {
      auto std_domains = pv::StandardDomains(s);
      if (!std_domains.ok()) return Field(std_domains.status(), "by");
      for (size_t k = 1; k < std_domains->size(); ++k) {
        std::vector<uint8_t> member(s.households());
        for (size_t h = 0; h < member.size(); ++h) {
          member[h] = (std_domains->mask()[h] >> k) & 1;
        }
        MALCHIN_RETURN_IF_ERROR(
            Field(d.Add(std_domains->names()[k], member), "by"));
      }
    } else {
      MALCHIN_RETURN_IF_ERROR(Field(pv::AddColumnDomains(s, b, &d), "by"));
    }
  }
  return d;
}

json InputsJson(const std::vector<pv::InputFile>& inputs) {
  json a = json::array();
  for (const auto& f : inputs) {
    a.push_back({{"name", f.name}, {"bytes", f.bytes}, {"sha256", f.sha256}});
  }
  return a;
}

// A JSON number, or null for NaN (JSON has no NaN).
json Num(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

std::string CsvOf(const std::vector<pv::ReportRow>& rows) {
  std::ostringstream s;
  pv::WriteCsv(s, rows);
  return s.str();
}

// The headline of a simulated reform: what a minister asks first.
json Headline(const pv::ScenarioResult& r) {
  json j = {
      {"name", r.name},
      {"cost_month_mnt", r.cost_month},
      {"cost_year_mnt", r.cost_year},
      {"beneficiary_households", r.benef_households},
      {"beneficiary_units", r.benef_units},
      {"persons_in_beneficiary_households", r.persons_in_benef_households},
      {"loser_households", r.loser_households},
      {"poverty_gap_before_mnt_month", r.poverty_gap_baseline},
      {"poverty_gap_after_mnt_month", r.poverty_gap_reform},
      {"gap_closed_per_mnt_spent", Num(r.gap_closed_per_mnt_spent)},
      {"cost_to_poor_share", Num(r.cost_to_poor_share_pre)}};
  json domains = json::array();
  for (size_t d = 0; d < r.measures.baseline.domains.size(); ++d) {
    const auto& b = r.measures.baseline.domains[d];
    const auto& a = r.measures.reform.domains[d];
    json m = {{"domain", b.domain}};
    for (pv::Measure x : {pv::Measure::kFgt0, pv::Measure::kFgt1,
                          pv::Measure::kFgt2, pv::Measure::kPoorPersons,
                          pv::Measure::kGini, pv::Measure::kChildPovertyRate}) {
      m[std::string(pv::MeasureName(x))] = {{"before", Num(b[x])},
                                            {"after", Num(a[x])}};
    }
    domains.push_back(m);
  }
  j["domains"] = domains;
  return j;
}

}  // namespace

void AddPovertyRoutes(Api* api) {
  using auth::Permission;

  http::RouteDoc line;
  line.summary =
      "The official poverty line in force on a date (default today) for "
      "per-capita welfare, with its parameter, date and source";
  line.tag = "poverty";
  line.permission = "read_stats";
  line.query = {
      {"date", "query", "YYYY-MM-DD (default today)", false, "string"}};
  line.responses = {{200, "The line"}, {409, "No line in force on that date"}};
  api->Add("GET", "/api/v1/poverty/line", line, Permission::kReadStats,
           [](Call& c) -> Result<http::Response> {
             MALCHIN_RETURN_IF_ERROR(CheckQuery(c.request, {"date"}));
             Date on = Date::TodayUtc();
             if (auto d = c.request.Query("date")) {
               auto parsed = Date::Parse(*d);
               if (!parsed.ok()) {
                 return Status::InvalidArgument(
                     "date: " + parsed.status().message(), "date");
               }
               on = *parsed;
             }
             MALCHIN_ASSIGN_OR_RETURN(auto params,
                                      params::ParameterSet::Embedded());
             MALCHIN_ASSIGN_OR_RETURN(
                 pv::OfficialLine l,
                 pv::OfficialPovertyLine(*params, on,
                                         pv::EquivalenceScale::kPerCapita));
             return JsonResponse(200, LineJson(l));
           });

  http::RouteDoc measures;
  measures.summary =
      "Poverty and inequality measures of an uploaded survey by domain: "
      "{households_csv, persons_csv?, line?, line_date?, scale?, by?: "
      "[\"standard\" | household column], decompose_by?: a household "
      "column (FGT contributions of its groups, GE within and between), "
      "se?: none|linearization|jackknife|both, lonely_psu?, quantile?}. JSON "
      "(manifest with the "
      "line used and input checksums, estimates) or long CSV "
      "(scenario,domain,measure,value) by ?format= or Accept";
  measures.tag = "poverty";
  measures.permission = "read_stats";
  measures.request_schema =
      R"({"type":"object","required":["households_csv"],"properties":{"households_csv":{"type":"string"},"persons_csv":{"type":"string"},"line":{"type":"number"},"line_date":{"type":"string","format":"date"},"scale":{"type":"string"},"by":{"type":"array","items":{"type":"string"}},"decompose_by":{"type":"string"},"se":{"type":"string"},"lonely_psu":{"type":"string"},"quantile":{"type":"string"}}})";
  measures.query = {
      {"format", "query", "json (default) or csv", false, "string"}};
  measures.responses = {{200, "The measures"}};
  api->Add(
      "POST", "/api/v1/poverty/measures", measures, Permission::kReadStats,
      [](Call& c) -> Result<http::Response> {
        MALCHIN_RETURN_IF_ERROR(CheckQuery(c.request, {"format"}));
        MALCHIN_ASSIGN_OR_RETURN(bool csv, WantsCsv(c.request));
        MALCHIN_ASSIGN_OR_RETURN(JsonInput in,
                                 JsonInput::Parse(c.request.body));
        const json doc = RawBody(c.request.body);
        MALCHIN_ASSIGN_OR_RETURN(pv::Survey s, SurveyOf(in, false));
        MALCHIN_ASSIGN_OR_RETURN(pv::EquivalenceScale scale, ScaleOf(in));
        MALCHIN_ASSIGN_OR_RETURN(pv::OfficialLine z,
                                 LineOf(in, scale, Date::TodayUtc()));
        MALCHIN_ASSIGN_OR_RETURN(pv::MeasureOptions opt,
                                 MeasureOptionsOf(in, !s.psu.empty()));
        opt.poverty_line = z.mnt;
        MALCHIN_ASSIGN_OR_RETURN(auto by, StringArray(in, doc, "by", 16));
        MALCHIN_ASSIGN_OR_RETURN(auto decompose, in.OptString("decompose_by"));
        MALCHIN_RETURN_IF_ERROR(in.Finish());
        MALCHIN_ASSIGN_OR_RETURN(pv::DomainSet domains, DomainsOf(by, s));
        std::vector<std::string> groups;
        if (decompose) {
          // The column's groups ("<column>_<value>"), added unless "by"
          // already has them.
          const bool listed =
              std::find(by.begin(), by.end(), *decompose) != by.end();
          const size_t before = domains.size();
          if (!listed) {
            MALCHIN_RETURN_IF_ERROR(Field(
                pv::AddColumnDomains(s, *decompose, &domains), "decompose_by"));
          }
          for (size_t k = 1; k < domains.size(); ++k) {
            const std::string& n = domains.names()[k];
            if ((listed || k >= before) && n.rfind(*decompose + "_", 0) == 0) {
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
        if (decompose) {
          auto d = pv::DecomposeBySubgroup(est, "national", groups);
          if (!d.ok()) return Field(d.status(), "decompose_by");
          dec = std::move(*d);
        }
        if (csv) {
          std::vector<pv::ReportRow> rows;
          for (const auto& f : s.inputs) {
            rows.push_back({"manifest", "inputs",
                            "sha256:" + f.name + ":" + f.sha256,
                            static_cast<double>(f.bytes)});
          }
          rows.push_back({"manifest", "options", "poverty_line", z.mnt});
          pv::AppendEstimates("survey", est, &rows);
          if (dec) pv::AppendDecomposition(*dec, &rows);
          return CsvResponse(CsvOf(rows));
        }
        std::ostringstream body;
        pv::WriteEstimatesJson(body, est);
        json j;
        j["manifest"] = {
            {"engine", pv::Manifest().engine},
            {"inputs", InputsJson(s.inputs)},
            {"poverty_line", LineJson(z)},
            {"equivalence_scale", pv::EquivalenceScaleName(scale)},
            {"convention",
             "poor iff welfare < line; persons counted (weight w*s); welfare "
             "= consumption / equivalent size"}};
        j["estimates"] = json::parse(body.str(), nullptr, false);
        if (dec) {
          j["decomposition"] = json::parse(pv::DecompositionJson(*dec));
          j["decomposition"]["by"] = *decompose;
        }
        return JsonResponse(200, j);
      },
      kMaxSurveyBody);

  http::RouteDoc sim;
  sim.summary =
      "Simulate benefit reforms on an uploaded survey: {households_csv, "
      "persons_csv, scenario (the survey scenario file's JSON, "
      "docs/poverty.md), line?, line_date? (default: the scenario's date), "
      "by?, se?, takeup_column?, seed?, mpc?, timing?}. Per reform: the "
      "headline (cost per month and year, beneficiaries, poverty headcount, "
      "gap and severity before and after by domain, gap closed per MNT) "
      "and the full result; CSV: the long report";
  sim.tag = "poverty";
  sim.permission = "read_stats";
  sim.request_schema =
      R"({"type":"object","required":["households_csv","persons_csv","scenario"],"properties":{"households_csv":{"type":"string"},"persons_csv":{"type":"string"},"scenario":{"type":"object"},"line":{"type":"number"},"line_date":{"type":"string"},"by":{"type":"array","items":{"type":"string"}},"se":{"type":"string"},"takeup_column":{"type":"string"},"seed":{"type":"integer"},"mpc":{"type":"number"},"timing":{"type":"string"}}})";
  sim.query = {{"format", "query", "json (default) or csv", false, "string"}};
  sim.responses = {{200, "The simulation"},
                   {400, "Bad survey, scenario or option (named)"}};
  api->Add(
      "POST", "/api/v1/poverty/simulations", sim, Permission::kReadStats,
      [](Call& c) -> Result<http::Response> {
        MALCHIN_RETURN_IF_ERROR(CheckQuery(c.request, {"format"}));
        MALCHIN_ASSIGN_OR_RETURN(bool csv, WantsCsv(c.request));
        MALCHIN_ASSIGN_OR_RETURN(JsonInput in,
                                 JsonInput::Parse(c.request.body));
        const json doc = RawBody(c.request.body);
        MALCHIN_ASSIGN_OR_RETURN(pv::Survey s, SurveyOf(in, true));
        in.Ignore({"scenario"});
        if (!doc.contains("scenario") || !doc["scenario"].is_object()) {
          return Status::InvalidArgument(
              "scenario: expected the survey scenario as an object",
              "scenario");
        }
        const std::string scenario_text = doc["scenario"].dump();
        auto sc = pv::ParseSurveyScenario("scenario", scenario_text);
        if (!sc.ok()) return Field(sc.status(), "scenario");
        s.inputs.push_back(
            {"scenario", scenario_text.size(), pv::Sha256Hex(scenario_text)});
        pv::SimulationOptions opt;
        MALCHIN_ASSIGN_OR_RETURN(opt.scale, ScaleOf(in));
        MALCHIN_ASSIGN_OR_RETURN(pv::OfficialLine z,
                                 LineOf(in, opt.scale, sc->baseline.date));
        MALCHIN_ASSIGN_OR_RETURN(opt.measures,
                                 MeasureOptionsOf(in, !s.psu.empty()));
        opt.measures.poverty_line = z.mnt;
        MALCHIN_ASSIGN_OR_RETURN(auto mpc, in.OptNumber("mpc"));
        opt.mpc = mpc.value_or(1.0);
        MALCHIN_ASSIGN_OR_RETURN(auto timing, in.OptString("timing"));
        if (timing && *timing == "annual_average") {
          opt.timing = pv::Timing::kAnnualAverage;
        } else if (timing && *timing != "payment_month") {
          return Status::InvalidArgument(
              "timing '" + *timing +
                  "': expected payment_month or annual_average",
              "timing");
        }
        MALCHIN_ASSIGN_OR_RETURN(auto takeup, in.OptString("takeup_column"));
        if (takeup) opt.takeup_column = *takeup;
        MALCHIN_ASSIGN_OR_RETURN(auto seed,
                                 in.OptInt("seed", 0, INT64_C(1) << 62));
        opt.seed = static_cast<uint64_t>(seed.value_or(0));
        MALCHIN_ASSIGN_OR_RETURN(auto by, StringArray(in, doc, "by", 16));
        MALCHIN_RETURN_IF_ERROR(in.Finish());
        MALCHIN_ASSIGN_OR_RETURN(pv::DomainSet domains, DomainsOf(by, s));
        auto made = pv::Simulator::Make(s, domains, sc->baseline, opt);
        if (!made.ok()) return Field(made.status(), "scenario");
        std::vector<pv::ReportRow> rows;
        json scenarios = json::array();
        json headlines = json::array();
        if (csv)
          pv::AppendEstimates(sc->baseline.name, made->baseline(), &rows);
        for (const pv::Policy& reform : sc->reforms) {
          auto r = made->Run(reform);
          if (!r.ok()) return Field(r.status(), "scenario");
          if (csv) {
            pv::AppendScenario(*r, sc->baseline.name, &rows);
            continue;
          }
          headlines.push_back(Headline(*r));
          std::ostringstream d;
          pv::WriteScenarioJson(d, *r);
          scenarios.push_back(json::parse(d.str(), nullptr, false));
        }
        if (csv) {
          rows.insert(rows.begin(),
                      {"manifest", "options", "poverty_line", z.mnt});
          return CsvResponse(CsvOf(rows));
        }
        return JsonResponse(200, {{"poverty_line", LineJson(z)},
                                  {"baseline", sc->baseline.name},
                                  {"reforms", headlines},
                                  {"results", scenarios}});
      },
      kMaxSurveyBody);

  http::RouteDoc pmt_fit;
  pmt_fit.summary =
      "Fit a proxy-means-test model on an uploaded survey (WLS of log "
      "per-capita consumption, person weights): {households_csv, terms: "
      "[\"(Intercept)\", \"x\", \"factor(x)2\", \"log1p(x)\", ...], "
      "version, name?, sample_column?}. Returns the model file (CSV text) "
      "and its coefficients";
  pmt_fit.tag = "poverty";
  pmt_fit.permission = "run_analytics";
  pmt_fit.request_schema =
      R"({"type":"object","required":["households_csv","terms","version"],"properties":{"households_csv":{"type":"string"},"terms":{"type":"array","items":{"type":"string"}},"version":{"type":"string"},"name":{"type":"string"},"sample_column":{"type":"string"}}})";
  pmt_fit.responses = {{200, "The model"},
                       {409, "Rank deficient design (the term is named)"}};
  api->Add(
      "POST", "/api/v1/pmt/fits", pmt_fit, Permission::kRunAnalytics,
      [](Call& c) -> Result<http::Response> {
        MALCHIN_ASSIGN_OR_RETURN(JsonInput in,
                                 JsonInput::Parse(c.request.body));
        const json doc = RawBody(c.request.body);
        MALCHIN_ASSIGN_OR_RETURN(pv::Survey s, SurveyOf(in, false));
        MALCHIN_ASSIGN_OR_RETURN(auto names,
                                 StringArray(in, doc, "terms", 200));
        if (names.empty()) {
          return Status::InvalidArgument("terms: give at least one term",
                                         "terms");
        }
        std::vector<pv::PmtTerm> terms;
        for (const std::string& t : names) {
          auto term = pv::ParsePmtTerm(t);
          if (!term.ok()) return Field(term.status(), "terms");
          terms.push_back(std::move(*term));
        }
        MALCHIN_ASSIGN_OR_RETURN(std::string version, in.String("version"));
        MALCHIN_ASSIGN_OR_RETURN(auto name, in.OptString("name"));
        MALCHIN_ASSIGN_OR_RETURN(auto sample_col,
                                 in.OptString("sample_column"));
        MALCHIN_RETURN_IF_ERROR(in.Finish());
        std::vector<uint8_t> sample;
        if (sample_col) {
          const std::vector<double>* col = s.columns.Find(*sample_col);
          if (col == nullptr) {
            return Status::InvalidArgument(
                "sample_column: no household column '" + *sample_col + "'",
                "sample_column");
          }
          sample.resize(col->size());
          for (size_t h = 0; h < col->size(); ++h) sample[h] = (*col)[h] != 0;
        }
        auto fitted = pv::FitPmt(s, terms, sample, name.value_or("pmt"));
        if (!fitted.ok()) return Field(fitted.status(), "terms");
        fitted->version = version;
        std::ostringstream file;
        pv::WritePmtModels(file, std::span<const pv::PmtModel>(&*fitted, 1));
        json coefs = json::array();
        for (size_t k = 0; k < fitted->terms.size(); ++k) {
          coefs.push_back({{"term", fitted->terms[k].name},
                           {"estimate", fitted->coefficients[k]}});
        }
        return JsonResponse(200, {{"name", fitted->name},
                                  {"version", fitted->version},
                                  {"observations", fitted->observations},
                                  {"r_squared", Num(fitted->r_squared)},
                                  {"coefficients", coefs},
                                  {"model_csv", file.str()},
                                  {"inputs", InputsJson(s.inputs)}});
      },
      kMaxSurveyBody);

  http::RouteDoc pmt_score;
  pmt_score.summary =
      "Targeting errors of a PMT model on an uploaded survey: "
      "{households_csv, model_csv, model_name?, coverage? (default 0.3) | "
      "cutoff? | cutoff_ln_line?: true, line?, line_date?}. Inclusion error "
      "(share of beneficiaries not poor), exclusion error (share of the "
      "poor missed) and the World Bank 'leakage' (share of the non-poor "
      "selected), by persons and by households";
  pmt_score.tag = "poverty";
  pmt_score.permission = "read_stats";
  pmt_score.request_schema =
      R"({"type":"object","required":["households_csv","model_csv"],"properties":{"households_csv":{"type":"string"},"model_csv":{"type":"string"},"model_name":{"type":"string"},"coverage":{"type":"number"},"cutoff":{"type":"number"},"cutoff_ln_line":{"type":"boolean"},"line":{"type":"number"},"line_date":{"type":"string"}}})";
  pmt_score.responses = {{200, "The targeting errors"}};
  api->Add(
      "POST", "/api/v1/pmt/scores", pmt_score, Permission::kReadStats,
      [](Call& c) -> Result<http::Response> {
        MALCHIN_ASSIGN_OR_RETURN(JsonInput in,
                                 JsonInput::Parse(c.request.body));
        MALCHIN_ASSIGN_OR_RETURN(pv::Survey s, SurveyOf(in, false));
        MALCHIN_ASSIGN_OR_RETURN(std::string model_csv, in.String("model_csv"));
        auto models = pv::ParsePmtModels("model_csv", model_csv);
        if (!models.ok()) return Field(models.status(), "model_csv");
        MALCHIN_ASSIGN_OR_RETURN(auto model_name, in.OptString("model_name"));
        const pv::PmtModel* model = &models->front();
        if (model_name) {
          model = nullptr;
          for (const auto& m : *models) {
            if (m.name == *model_name) model = &m;
          }
          if (model == nullptr) {
            return Status::InvalidArgument(
                "model_name: no model '" + *model_name + "' in model_csv",
                "model_name");
          }
        }
        MALCHIN_ASSIGN_OR_RETURN(
            pv::OfficialLine z,
            LineOf(in, pv::EquivalenceScale::kPerCapita, Date::TodayUtc()));
        MALCHIN_ASSIGN_OR_RETURN(auto coverage, in.OptNumber("coverage"));
        MALCHIN_ASSIGN_OR_RETURN(auto cutoff_given, in.OptNumber("cutoff"));
        MALCHIN_ASSIGN_OR_RETURN(auto ln_line, in.OptBool("cutoff_ln_line"));
        MALCHIN_RETURN_IF_ERROR(in.Finish());
        const int choices = (coverage ? 1 : 0) + (cutoff_given ? 1 : 0) +
                            (ln_line.value_or(false) ? 1 : 0);
        if (choices > 1) {
          return Status::InvalidArgument(
              "give one of coverage, cutoff and cutoff_ln_line", "coverage");
        }
        auto score = pv::ScorePmt(*model, s);
        if (!score.ok()) return Field(score.status(), "households_csv");
        const size_t n = s.households();
        std::vector<double> pw(n);
        for (size_t h = 0; h < n; ++h) pw[h] = s.weight[h] * s.size[h];
        double cutoff;
        std::string rule;
        const bool strict = ln_line.value_or(false);
        if (cutoff_given) {
          cutoff = *cutoff_given;
          rule = "score <= cutoff";
        } else if (strict) {
          cutoff = std::log(z.mnt);
          rule = "score < ln(line)";
        } else {
          const double cov = coverage.value_or(0.3);
          auto cut = pv::CoverageCutoff(*score, pw, cov);
          if (!cut.ok()) return Field(cut.status(), "coverage");
          cutoff = *cut;
          rule = "score <= weighted quantile of the score at coverage " +
                 std::to_string(cov) + " (persons)";
        }
        std::vector<uint8_t> sel(n), poor(n);
        for (size_t h = 0; h < n; ++h) {
          sel[h] = strict ? (*score)[h] < cutoff : (*score)[h] <= cutoff;
          poor[h] = s.consumption[h] / s.size[h] < z.mnt;
        }
        MALCHIN_ASSIGN_OR_RETURN(pv::TargetingErrors persons,
                                 pv::EvaluateTargeting(sel, poor, pw));
        MALCHIN_ASSIGN_OR_RETURN(pv::TargetingErrors households,
                                 pv::EvaluateTargeting(sel, poor, s.weight));
        auto te = [](const pv::TargetingErrors& e) {
          return json{
              {"inclusion_error_share_of_benef_nonpoor",
               Num(e.inclusion_error)},
              {"exclusion_error_share_of_poor_missed", Num(e.exclusion_error)},
              {"leakage_share_of_nonpoor_selected",
               Num(e.nontarget_selected_share)},
              {"coverage_of_poor", Num(e.coverage)},
              {"accuracy", Num(e.accuracy)},
              {"selected_share", Num(e.selected_share)}};
        };
        return JsonResponse(
            200, {{"model", model->name},
                  {"model_version", model->version},
                  {"selection_rule", rule},
                  {"score_cutoff", cutoff},
                  {"poverty_line", LineJson(z)},
                  {"targeting",
                   {{"persons", te(persons)}, {"households", te(households)}}},
                  {"definitions",
                   {{"inclusion_error",
                     "FP/(TP+FP): share of beneficiaries not poor"},
                    {"exclusion_error",
                     "FN/(TP+FN): share of the poor not selected"},
                    {"leakage_share_of_nonpoor_selected",
                     "FP/(FP+TN): share of the non-poor selected"}}},
                  {"inputs", InputsJson(s.inputs)}});
      },
      kMaxSurveyBody);
}

}  // namespace malchin::api
