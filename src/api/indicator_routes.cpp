// The results framework over HTTP (docs/indicators.md, "Routes and web
// page"): the framework, the value of one indicator or of all for a period
// and an area with the progress toward the target in force and the frozen
// value beside the live one, freezing a period, the frozen values, and the
// exports (DHIS2 dataValueSets JSON, ADX XML, CSV). Everything is an
// aggregate (read_stats); freezing needs freeze_indicators. The area asked
// for (?area=) is intersected with the caller's by the capability, as
// everywhere: an aimag officer computes her aimag only.
#include <nlohmann/json.hpp>

#include "api/api.h"
#include "api/coop_api.h"
#include "indicators/export.h"
#include "indicators/query.h"
#include "indicators/report.h"
#include "indicators/results.h"
#include "params/parameters.h"

namespace malchin::api {
namespace {

using auth::Permission;
using coopapi::Doc;
using coopapi::QueryParam;
using indicators::Cell;
using indicators::Indicator;
using indicators::IndicatorValue;
using indicators::Period;
using nlohmann::json;

constexpr const char* kTag = "indicators";

Result<indicators::Results> ResultsOf(Call& c) {
  MALCHIN_ASSIGN_OR_RETURN(auto params, params::ParameterSet::Embedded());
  return indicators::Results(c.reports, params);
}

// ?period= (required): 2020, 2020Q1, 2020-01 or 202001.
Result<Period> PeriodOf(const http::Request& r) {
  auto p = r.Query("period");
  if (!p) {
    return Status::InvalidArgument(
        "period: шаардлагатай, жишээ нь 2020, 2020Q1, 202001 / period: "
        "required, e.g. 2020, 2020Q1, 202001",
        "period");
  }
  return Period::Parse(*p);
}

// ?area= (0 or absent: the caller's whole area), an aimag or soum code.
Result<store::AreaFilter> AreaOf(Services& s, const http::Request& r) {
  MALCHIN_ASSIGN_OR_RETURN(auto code, QueryInt(r, "area", 0, 99999));
  if (!code || *code == 0) return store::AreaFilter{};
  if (!s.geo->Find(static_cast<int32_t>(*code))) {
    std::string v = std::to_string(*code);
    return Status::InvalidArgument(
        "area '" + v + "': аймаг (3 орон) эсвэл сумын (5 орон) код / area '" +
            v + "': expected an aimag (3 digits) or soum (5 digits) code",
        "area");
  }
  return store::AreaFilter::FromCode(static_cast<int32_t>(*code));
}

// The period and area a value route is asked for (no other parameter).
struct Asked {
  Period period;
  store::AreaFilter area;
};

Result<Asked> AskedOf(Services& s, const http::Request& r) {
  MALCHIN_RETURN_IF_ERROR(CheckQuery(r, {"period", "area"}));
  Asked a;
  MALCHIN_ASSIGN_OR_RETURN(a.period, PeriodOf(r));
  MALCHIN_ASSIGN_OR_RETURN(a.area, AreaOf(s, r));
  return a;
}

json TextJson(const indicators::Text& t) {
  return {{"mn", t.mn}, {"en", t.en}};
}

json IndicatorJson(const Indicator& i) {
  json dims = json::array(), targets = json::array(), baseline = nullptr;
  for (auto d : i.disaggregations) dims.push_back(indicators::DimensionName(d));
  for (const auto& t : i.targets) {
    targets.push_back({{"date", t.date.ToString()}, {"value", t.value}});
  }
  if (i.baseline) {
    const indicators::Baseline& b = *i.baseline;
    baseline = {
        {"value", b.value}, {"date", b.date.ToString()}, {"source", b.source}};
    if (b.numerator) baseline["numerator"] = *b.numerator;
    if (b.numerator_women) baseline["numerator_women"] = *b.numerator_women;
    if (b.denominator) baseline["denominator"] = *b.denominator;
  }
  return {{"code", i.code},
          {"name", TextJson(i.name)},
          {"definition", TextJson(i.definition)},
          {"unit", indicators::UnitName(i.unit)},
          {"computation", indicators::ComputationName(i.computation)},
          {"disaggregations", dims},
          {"baseline", baseline},
          {"targets", targets}};
}

json ByJson(const std::vector<std::pair<std::string, std::string>>& by) {
  json j = json::object();
  for (const auto& [d, v] : by) j[d] = v;
  return j;
}

json CellJson(const Cell& c) {
  return {{"by", ByJson(c.by)},
          {"numerator", c.numerator},
          {"denominator", c.denominator},
          {"value", c.value}};
}

json CellArray(const std::vector<Cell>& cells) {
  json out = json::array();
  for (const Cell& c : cells) out.push_back(CellJson(c));
  return out;
}

// The value with the target in force and the progress toward it, the
// frozen value (or null) and the differences; the cells when `cells`.
json ValueJson(const Indicator& ind, const indicators::Comparison& c,
               bool cells) {
  const IndicatorValue& v = c.live;
  const Cell total = v.cells.empty() ? Cell{} : v.cells[0];
  auto target = indicators::TargetInForce(ind, v.reference);
  auto progress = indicators::Progress(ind, v.reference, total.value);
  json j = {{"code", v.code},
            {"period", v.period.Name()},
            {"area", v.area},
            {"reference_date", v.reference.ToString()},
            {"unit", indicators::UnitName(v.unit)},
            {"total", CellJson(total)},
            {"target", nullptr},
            {"progress", nullptr},
            {"frozen", nullptr},
            {"differences", json::array()}};
  if (target) {
    j["target"] = {{"date", target->date.ToString()}, {"value", target->value}};
  }
  if (progress) j["progress"] = *progress;
  if (cells) j["cells"] = CellArray(v.cells);
  if (c.frozen) {
    const Cell ft = c.frozen_cells.empty() ? Cell{} : c.frozen_cells[0];
    j["frozen"] = {{"id", c.frozen->id},
                   {"frozen_by", c.frozen->frozen_by},
                   {"frozen_at", c.frozen->frozen_at},
                   {"register_version", c.frozen->register_version},
                   {"parameters_version", c.frozen->parameters_version},
                   {"total", CellJson(ft)}};
    if (auto fp = indicators::Progress(ind, v.reference, ft.value)) {
      j["frozen"]["progress"] = *fp;
    }
    if (cells) j["frozen"]["cells"] = CellArray(c.frozen_cells);
  }
  for (const auto& d : c.differences) {
    j["differences"].push_back({{"by", ByJson(d.by)},
                                {"frozen", d.frozen},
                                {"live", d.live},
                                {"delta", d.delta()}});
  }
  return j;
}

Result<http::Response> ListFramework(Call& c) {
  MALCHIN_RETURN_IF_ERROR(CheckQuery(c.request, {}));
  MALCHIN_ASSIGN_OR_RETURN(indicators::Results r, ResultsOf(c));
  MALCHIN_ASSIGN_OR_RETURN(indicators::Framework f, r.Indicators());
  json items = json::array();
  for (const Indicator& i : f.indicators) items.push_back(IndicatorJson(i));
  return JsonResponse(200, {{"items", items}});
}

Result<http::Response> OneValue(Services& s, Call& c) {
  MALCHIN_ASSIGN_OR_RETURN(Asked a, AskedOf(s, c.request));
  MALCHIN_ASSIGN_OR_RETURN(indicators::Results r, ResultsOf(c));
  MALCHIN_ASSIGN_OR_RETURN(indicators::Framework f, r.Indicators());
  const std::string code = c.request.params.at("code");
  MALCHIN_ASSIGN_OR_RETURN(indicators::Comparison cmp,
                           r.Recompute(code, a.period, a.area));
  return JsonResponse(200, ValueJson(*f.Find(code), cmp, true));
}

// Every indicator's total, progress and frozen total; an indicator whose
// computation cannot run here carries its message instead.
Result<http::Response> AllValues(Services& s, Call& c) {
  MALCHIN_ASSIGN_OR_RETURN(Asked a, AskedOf(s, c.request));
  MALCHIN_ASSIGN_OR_RETURN(indicators::Results r, ResultsOf(c));
  MALCHIN_ASSIGN_OR_RETURN(indicators::Framework f, r.Indicators());
  json items = json::array();
  for (const Indicator& i : f.indicators) {
    auto cmp = r.Recompute(i.code, a.period, a.area);
    if (!cmp.ok() && cmp.status().code() == StatusCode::kFailedPrecondition) {
      items.push_back({{"code", i.code}, {"error", cmp.status().message()}});
      continue;
    }
    MALCHIN_RETURN_IF_ERROR(cmp.status());
    items.push_back(ValueJson(i, *cmp, false));
  }
  return JsonResponse(200, {{"period", a.period.Name()},
                            {"area", c.session.Visible(a.area).code()},
                            {"items", items}});
}

// A frozen value as the routes show it: who, when, from what, its total.
Result<json> FrozenJson(const indicators::FrozenValue& v) {
  MALCHIN_ASSIGN_OR_RETURN(auto cells, indicators::ParseCellsJson(v.values));
  return json{{"id", v.id},
              {"code", v.indicator},
              {"period", v.period},
              {"area", v.area},
              {"frozen_by", v.frozen_by},
              {"frozen_at", v.frozen_at},
              {"register_version", v.register_version},
              {"parameters_version", v.parameters_version},
              {"total", CellJson(cells.empty() ? Cell{} : cells[0])}};
}

Result<http::Response> Freeze(Services& s, Call& c) {
  MALCHIN_ASSIGN_OR_RETURN(Asked a, AskedOf(s, c.request));
  MALCHIN_ASSIGN_OR_RETURN(auto params, params::ParameterSet::Embedded());
  // Freezing writes: on the primary, never on a read replica.
  indicators::Results r(c.session, params);
  MALCHIN_ASSIGN_OR_RETURN(
      indicators::FrozenValue v,
      r.Freeze(c.request.params.at("code"), a.period, a.area));
  MALCHIN_ASSIGN_OR_RETURN(json body, FrozenJson(v));
  return JsonResponse(201, body);
}

Result<http::Response> FrozenList(Call& c) {
  MALCHIN_RETURN_IF_ERROR(CheckQuery(c.request, {"code"}));
  MALCHIN_ASSIGN_OR_RETURN(indicators::Results r, ResultsOf(c));
  MALCHIN_ASSIGN_OR_RETURN(auto all,
                           r.Frozen(c.request.Query("code").value_or("")));
  json items = json::array();
  for (const indicators::FrozenValue& v : all) {
    MALCHIN_ASSIGN_OR_RETURN(json item, FrozenJson(v));
    items.push_back(std::move(item));
  }
  return JsonResponse(200, {{"items", items}});
}

http::Response Attachment(std::string body, const std::string& type,
                          const std::string& file) {
  http::Response r = http::Response::Text(200, std::move(body), type);
  r.SetHeader("Content-Disposition", "attachment; filename=\"" + file + "\"");
  return r;
}

// DHIS2 takes the indicators the mapping has a data element for; one asked
// for by ?code= without one is the export's own NotFound.
std::vector<IndicatorValue> Mapped(const indicators::Dhis2Mapping& m,
                                   std::vector<IndicatorValue> values,
                                   bool asked) {
  if (asked) return values;
  std::vector<IndicatorValue> out;
  for (auto& v : values) {
    if (m.data_elements.count(v.code)) out.push_back(std::move(v));
  }
  return out;
}

Result<http::Response> Export(Services& s, Call& c) {
  MALCHIN_RETURN_IF_ERROR(
      CheckQuery(c.request, {"format", "period", "area", "code"}));
  std::string format = c.request.Query("format").value_or("");
  if (format != "csv" && format != "dhis2-json" && format != "adx" &&
      format != "xlsx") {
    return Status::InvalidArgument(
        "format '" + format + "': dhis2-json, adx, csv эсвэл xlsx / format '" +
            format + "': expected dhis2-json, adx, csv or xlsx",
        "format");
  }
  MALCHIN_ASSIGN_OR_RETURN(Period p, PeriodOf(c.request));
  MALCHIN_ASSIGN_OR_RETURN(store::AreaFilter area, AreaOf(s, c.request));
  MALCHIN_ASSIGN_OR_RETURN(indicators::Results r, ResultsOf(c));
  std::vector<std::string> codes;
  if (auto code = c.request.Query("code")) codes.push_back(*code);
  if (format == "xlsx") {
    // The results framework workbook (both languages) for the period.
    MALCHIN_ASSIGN_OR_RETURN(indicators::FrameworkReport report,
                             indicators::BuildReport(r, codes, {p}, area));
    MALCHIN_ASSIGN_OR_RETURN(std::string xlsx,
                             indicators::FrameworkXlsx(report));
    return Attachment(std::move(xlsx),
                      "application/"
                      "vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                      "indicators_" + p.Name() + ".xlsx");
  }
  MALCHIN_ASSIGN_OR_RETURN(
      auto values, indicators::ReportedValues(r, codes, p, area, nullptr));
  const std::string file = "indicators_" + p.Name();
  if (format == "csv") {
    return CsvAttachment(indicators::ExportCsv(values), file + ".csv");
  }
  const indicators::Dhis2Mapping& m = indicators::EmbeddedDhis2Mapping();
  values = Mapped(m, std::move(values), !codes.empty());
  if (format == "adx") {
    MALCHIN_ASSIGN_OR_RETURN(
        std::string xml,
        indicators::ExportAdx(m, values, c.session.clock().NowIso()));
    return Attachment(std::move(xml), "application/adx+xml; charset=utf-8",
                      file + ".adx.xml");
  }
  MALCHIN_ASSIGN_OR_RETURN(std::string body,
                           indicators::ExportDataValueSets(m, values));
  return Attachment(std::move(body), "application/json", file + ".dhis2.json");
}

std::vector<http::Parameter> PeriodArea() {
  return {QueryParam("period", "2020, 2020Q1, 2020-01 or 202001 (required)"),
          QueryParam("area", "aimag or soum code; 0 or absent: your area",
                     "integer")};
}

void AddValueRoutes(Api* api) {
  Services* s = &api->services();
  api->Add("GET", "/api/v1/indicators/values",
           Doc("Every indicator's total for a period in the caller's area "
               "(or ?area= within it), with the target in force, the progress "
               "toward it and the frozen total when frozen",
               kTag, {{200, "The values"}, {400, "Bad period or area"}},
               PeriodArea()),
           Permission::kReadStats, [s](Call& c) { return AllValues(*s, c); });
  api->Add("GET", "/api/v1/indicators/{code}/value",
           Doc("One indicator's value with its disaggregation table, the "
               "frozen value and the differences cell by cell",
               kTag,
               {{200, "The value"},
                {400, "Bad period or area"},
                {404, "No such indicator"}},
               PeriodArea()),
           Permission::kReadStats, [s](Call& c) { return OneValue(*s, c); });
  api->Add("POST", "/api/v1/indicators/{code}/freeze",
           Doc("Freeze the indicator's value for the period and area (once; "
               "recorded with the register and parameters versions)",
               kTag,
               {{201, "Frozen"},
                {400, "Bad period or area"},
                {403, "No freeze_indicators"},
                {404, "No such indicator"},
                {409, "Already frozen"}},
               PeriodArea()),
           Permission::kFreezeIndicators,
           [s](Call& c) { return Freeze(*s, c); });
}

}  // namespace

void AddIndicatorRoutes(Api* api) {
  Services* s = &api->services();
  api->Add("GET", "/api/v1/indicators",
           Doc("The results framework: codes, names (mn, en), units, "
               "baselines and targets",
               kTag, {{200, "The indicators"}}),
           Permission::kReadStats, ListFramework);
  AddValueRoutes(api);
  api->Add("GET", "/api/v1/indicators/frozen",
           Doc("The frozen values in the caller's area (?code= one "
               "indicator's)",
               kTag, {{200, "The frozen values"}},
               {QueryParam("code", "indicator code")}),
           Permission::kReadStats, FrozenList);
  api->Add("GET", "/api/v1/indicators/export",
           Doc("The reported values (frozen when frozen, else live) as DHIS2 "
               "dataValueSets JSON, ADX XML, CSV or the XLSX workbook; DHIS2 "
               "formats leave out "
               "the indicators the mapping has no data element for",
               kTag,
               {{200, "The file"},
                {400, "Bad format, period or area"},
                {404, "Not in the mapping"}},
               {QueryParam("format", "dhis2-json, adx, csv or xlsx"),
                QueryParam("period", "2020, 2020Q1, 2020-01 or 202001"),
                QueryParam("area", "aimag or soum code", "integer"),
                QueryParam("code", "one indicator (default: all)")}),
           Permission::kReadStats, [s](Call& c) { return Export(*s, c); });
}

}  // namespace malchin::api
