// Post-distribution monitoring over HTTP (docs/pdm.md, "HTTP API"): draw
// the sample of a paid payroll, approve it (another officer), download the
// respondent list, upload a KoBoToolbox export, read the report. Writes
// need manage_response; the report is an aggregate (read_stats); the
// respondent list names beneficiaries (read_register, recorded as read).
#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

#include "api/api.h"
#include "api/coop_api.h"
#include "api/exports.h"
#include "api/grievance_json.h"
#include "api/json_input.h"
#include "params/parameters.h"
#include "pdm/follow_up.h"
#include "pdm/monitoring.h"
#include "pdm/report.h"
#include "pdm/xlsform.h"

namespace malchin::api {
namespace {

using auth::Permission;
using coopapi::Doc;
using coopapi::QueryParam;
using nlohmann::json;

constexpr const char* kTag = "pdm";

constexpr const char* kSampleSchema =
    R"({"type":"object","required":["plan","installment"],
"properties":{"plan":{"type":"string"},"installment":{"type":"integer"},
"margin":{"type":"number"},"response_rate":{"type":"number"},
"deff":{"type":"number"},"min_per_stratum":{"type":"integer"},
"confidence":{"type":"number"},
"seed":{"type":"integer"}}})";

Result<int64_t> SampleId(const http::Request& r) {
  auto it = r.params.find("id");
  const std::string v = it == r.params.end() ? "" : it->second;
  bool ok = !v.empty() && v.size() <= 18;
  for (char ch : v) ok = ok && ch >= '0' && ch <= '9';
  if (!ok) {
    return Status::InvalidArgument(
        "sample '" + v + "': expected a sample id 1, 2, ...", "id");
  }
  return std::stoll(v);
}

// The body's design over the defaults in force today.
Result<pdm::SampleDesign> DesignFrom(JsonInput& in, Date today) {
  MALCHIN_ASSIGN_OR_RETURN(auto params, params::ParameterSet::Embedded());
  MALCHIN_ASSIGN_OR_RETURN(pdm::SampleDesign d,
                           pdm::DefaultDesign(*params, today));
  MALCHIN_ASSIGN_OR_RETURN(auto margin, in.OptNumber("margin"));
  MALCHIN_ASSIGN_OR_RETURN(auto rate, in.OptNumber("response_rate"));
  MALCHIN_ASSIGN_OR_RETURN(auto deff, in.OptNumber("deff"));
  MALCHIN_ASSIGN_OR_RETURN(auto level, in.OptNumber("confidence"));
  MALCHIN_ASSIGN_OR_RETURN(auto min, in.OptInt("min_per_stratum", 0, 1000000));
  MALCHIN_ASSIGN_OR_RETURN(auto seed, in.OptInt("seed", 0, int64_t{1} << 53));
  if (margin) d.margin_of_error = *margin;
  if (rate) d.response_rate = *rate;
  if (deff) d.design_effect = *deff;
  if (level) d.confidence = *level;
  if (min) d.min_per_stratum = *min;
  if (seed) d.seed = static_cast<uint64_t>(*seed);
  MALCHIN_RETURN_IF_ERROR(pdm::ValidateDesign(d));
  return d;
}

// What the list of samples shows of one.
json SampleSummary(const pdm::SampleRecord& r) {
  return {{"id", r.id},
          {"plan", r.plan_code},
          {"installment", r.installment},
          {"status", pdm::Name(r.status)},
          {"drawn_by", r.drawn_by},
          {"drawn_at", r.drawn_at},
          {"approved_by", r.approved_by},
          {"approved_at", r.approved_at},
          {"frame_units", r.frame_units}};
}

json SampleJson(const pdm::SampleRecord& r, const pdm::Sample& s) {
  json strata = json::array();
  for (const pdm::Stratum& t : s.strata) {
    strata.push_back({{"stratum", t.label},
                      {"population", t.population},
                      {"interviews", t.size.completes},
                      {"selected", t.size.selected},
                      {"replacements", t.replacements.size()},
                      {"inclusion_probability", t.inclusion_probability},
                      {"design_weight", t.design_weight}});
  }
  json j = SampleSummary(r);
  j["frame_fingerprint"] = r.frame_fingerprint;
  j["confidence"] = s.design.confidence;
  j["margin_of_error"] = s.design.margin_of_error;
  j["strata"] = strata;
  return j;
}

Result<http::Response> SampleResponse(pdm::Monitoring& m, int status,
                                      const pdm::SampleRecord& r) {
  MALCHIN_ASSIGN_OR_RETURN(pdm::Sample s, m.LoadSample(r.id));
  return JsonResponse(status, SampleJson(r, s));
}

Result<http::Response> Draw(Call& c) {
  MALCHIN_ASSIGN_OR_RETURN(JsonInput in, JsonInput::Parse(c.request.body));
  MALCHIN_ASSIGN_OR_RETURN(std::string plan, in.String("plan"));
  MALCHIN_ASSIGN_OR_RETURN(int64_t installment, in.Int("installment", 1, 999));
  MALCHIN_ASSIGN_OR_RETURN(pdm::SampleDesign d,
                           DesignFrom(in, c.session.clock().Today()));
  MALCHIN_RETURN_IF_ERROR(in.Finish());
  pdm::Monitoring m(c.session);
  bool created = false;
  MALCHIN_ASSIGN_OR_RETURN(
      pdm::SampleRecord r,
      m.DrawPayrollSample(plan, static_cast<int>(installment), d,
                          c.who.username, {}, &created));
  return SampleResponse(m, created ? 201 : 200, r);
}

Result<http::Response> Ingest(Call& c) {
  MALCHIN_ASSIGN_OR_RETURN(int64_t id, SampleId(c.request));
  MALCHIN_ASSIGN_OR_RETURN(pdm::Form form, pdm::StandardPdmForm());
  std::string name = c.request.Query("file").value_or("upload");
  pdm::Monitoring m(c.session);
  MALCHIN_ASSIGN_OR_RETURN(
      pdm::IngestResult r,
      m.Ingest(id, name, c.request.body, form, c.who.username));
  json problems = json::array();
  for (const pdm::Problem& p : r.problems) problems.push_back(p.Message());
  return JsonResponse(200, {{"accepted", r.accepted},
                            {"rejected", r.rejected},
                            {"unchanged", r.unchanged},
                            {"repeated_in_file", r.skipped},
                            {"problems", problems}});
}

// The client's language: ?lang=mn|en, else Accept-Language (English when
// it starts with "en"), else Mongolian.
Result<pdm::Lang> LangOf(const http::Request& r) {
  if (auto q = r.Query("lang")) return pdm::ParseLang(*q);
  return r.Header("accept-language").starts_with("en") ? pdm::Lang::kEn
                                                       : pdm::Lang::kMn;
}

// ?confidence= (e.g. 0.90), else pdm.sample.confidence_level in force.
Result<double> ConfidenceOf(const http::Request& r,
                            const params::ParameterSet& params, Date today) {
  auto q = r.Query("confidence");
  if (!q) return params.Value("pdm.sample.confidence_level", today);
  char* end = nullptr;
  double v = std::strtod(q->c_str(), &end);
  if (q->empty() || *end != '\0' || !(v >= 0.5 && v <= 0.9999)) {
    return Status::InvalidArgument(
        "confidence '" + *q +
            "': expected a level in [0.5, 0.9999], e.g. 0.90 (итгэх түвшин)",
        "confidence");
  }
  return v;
}

// Runs `write(dir)` in a private temporary folder and returns the bytes of
// the file it names; the folder is removed.
Result<std::string> WrittenBytes(
    const std::function<Result<std::string>(const std::string&)>& write) {
  namespace fs = std::filesystem;
  static std::atomic<int64_t> counter{0};
  std::error_code ec;
  fs::path dir = fs::temp_directory_path(ec) /
                 ("malchin-pdm-" +
                  std::to_string(std::hash<std::thread::id>()(
                      std::this_thread::get_id())) +
                  "-" + std::to_string(counter++));
  fs::create_directories(dir, ec);
  if (ec) return Status::Internal("cannot create " + dir.string());
  Result<std::string> path = write(dir.string());
  std::string bytes;
  if (path.ok()) {
    std::ifstream f(*path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(f), {});
  }
  fs::remove_all(dir, ec);
  MALCHIN_RETURN_IF_ERROR(path.status());
  return bytes;
}

http::Response XlsxAttachment(std::string bytes, const std::string& file) {
  http::Response r = http::Response::Text(
      200, std::move(bytes),
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  r.SetHeader("Content-Disposition", "attachment; filename=\"" + file + "\"");
  return r;
}

// The report as .xlsx; its follow-up sheet names persons: one bulk-read
// audit entry, durable before the file leaves (exports.h).
Result<http::Response> ReportXlsx(Call& c, const pdm::Report& r,
                                  pdm::Lang lang) {
  const std::string file =
      "pdm_report_" + std::to_string(r.sample.id) + ".xlsx";
  MALCHIN_ASSIGN_OR_RETURN(
      std::string bytes,
      WrittenBytes([&](const std::string& dir) -> Result<std::string> {
        std::string path = dir + "/" + file;
        MALCHIN_RETURN_IF_ERROR(pdm::WriteReportXlsx(r, lang, path));
        return path;
      }));
  if (!r.follow_up.empty()) {
    MALCHIN_RETURN_IF_ERROR(RecordBulkRead(
        c.session, "pdm.report.xlsx", file,
        static_cast<int64_t>(r.follow_up.size()), c.session.caller().area));
  }
  return XlsxAttachment(std::move(bytes), file);
}

Result<http::Response> ReportOf(Call& c) {
  MALCHIN_RETURN_IF_ERROR(
      CheckQuery(c.request, {"format", "lang", "confidence"}));
  MALCHIN_ASSIGN_OR_RETURN(int64_t id, SampleId(c.request));
  MALCHIN_ASSIGN_OR_RETURN(pdm::Lang lang, LangOf(c.request));
  MALCHIN_ASSIGN_OR_RETURN(pdm::Form form, pdm::StandardPdmForm());
  MALCHIN_ASSIGN_OR_RETURN(auto params, params::ParameterSet::Embedded());
  const Date today = c.session.clock().Today();
  MALCHIN_ASSIGN_OR_RETURN(
      int64_t tolerance,
      params->Money("pdm.crosscheck.shortfall_tolerance", today));
  pdm::FindingsOptions opt;
  MALCHIN_ASSIGN_OR_RETURN(opt.confidence,
                           ConfidenceOf(c.request, *params, today));
  pdm::Monitoring m(c.session);
  MALCHIN_ASSIGN_OR_RETURN(pdm::Report r,
                           m.MakeReport(id, form, tolerance, opt));
  std::string format = c.request.Query("format").value_or("json");
  if (format == "xlsx") return ReportXlsx(c, r, lang);
  if (format == "estimates.csv") return CsvResponse(pdm::EstimatesCsv(r));
  if (format == "strata.csv") return CsvResponse(pdm::StrataCsv(r));
  if (format == "follow_up.csv") {
    return CsvResponse(pdm::FollowUpCsv(r, lang));
  }
  if (format != "json") {
    return Status::InvalidArgument(
        "format '" + format +
            "': expected json, xlsx, estimates.csv, strata.csv or "
            "follow_up.csv",
        "format");
  }
  return JsonResponse(200, json::parse(pdm::ReportJson(r, lang)));
}

// The XLSForm of a sample, written in a private temporary folder and read
// back.
Result<http::Response> FormXlsx(Call& c) {
  MALCHIN_ASSIGN_OR_RETURN(int64_t id, SampleId(c.request));
  MALCHIN_ASSIGN_OR_RETURN(pdm::Form form, pdm::StandardPdmForm());
  pdm::Monitoring m(c.session);
  MALCHIN_ASSIGN_OR_RETURN(pdm::Sample s, m.LoadSample(id));
  MALCHIN_ASSIGN_OR_RETURN(
      std::string bytes,
      WrittenBytes([&](const std::string& dir) -> Result<std::string> {
        MALCHIN_ASSIGN_OR_RETURN(pdm::WrittenForm w,
                                 pdm::WritePdmForm(form, s, dir));
        return w.xlsx_path;
      }));
  return XlsxAttachment(std::move(bytes), form.id + ".xlsx");
}

// The samples with a sampled unit in the caller's area, newest first.
Result<http::Response> ListSamples(Call& c) {
  pdm::Monitoring m(c.session);
  MALCHIN_ASSIGN_OR_RETURN(auto records, m.ListSamples());
  json items = json::array();
  for (const pdm::SampleRecord& r : records) {
    items.push_back(SampleSummary(r));
  }
  return JsonResponse(200, {{"items", items}});
}

json RaisedJson(const pdm::FollowUpGrievance& g) {
  return {{"submission", g.submission_uuid},
          {"grievance_id", g.grievance_id},
          {"grievance_reference", g.grievance_reference},
          {"raised_by", g.raised_by},
          {"raised_at", g.raised_at}};
}

// Raises follow-up case {uuid} of the sample as a grievance (201), or
// returns the one raised before (200). Recording a complaint, and reading
// the report it comes from: record_grievance and read_stats.
Result<http::Response> RaiseGrievance(Call& c) {
  if (!c.who.Can(Permission::kReadStats)) {
    return Status::PermissionDenied(
        "the role " + std::string(auth::RoleName(c.who.role)) +
        " does not read PDM reports (read_stats; тайлан үзэх эрхгүй)");
  }
  MALCHIN_ASSIGN_OR_RETURN(int64_t id, SampleId(c.request));
  const std::string uuid = c.request.params.at("uuid");
  MALCHIN_ASSIGN_OR_RETURN(pdm::Form form, pdm::StandardPdmForm());
  MALCHIN_ASSIGN_OR_RETURN(auto params, params::ParameterSet::Embedded());
  MALCHIN_ASSIGN_OR_RETURN(int64_t tolerance,
                           params->Money("pdm.crosscheck.shortfall_tolerance",
                                         c.session.clock().Today()));
  MALCHIN_ASSIGN_OR_RETURN(grievance::Service g, GrievanceService(c));
  pdm::FollowUpGrievances cases(c.session, g);
  MALCHIN_ASSIGN_OR_RETURN(pdm::RaisedGrievance r,
                           cases.Raise(id, uuid, form, tolerance));
  json body = RaisedJson(r.link);
  body["beneficiary_id"] = r.link.beneficiary_id;
  body["created"] = r.created;
  return JsonResponse(r.created ? 201 : 200, body);
}

Result<http::Response> RaisedGrievances(Call& c) {
  MALCHIN_ASSIGN_OR_RETURN(int64_t id, SampleId(c.request));
  pdm::Monitoring m(c.session);
  MALCHIN_RETURN_IF_ERROR(m.FindSample(id).status());
  MALCHIN_ASSIGN_OR_RETURN(grievance::Service g, GrievanceService(c));
  pdm::FollowUpGrievances cases(c.session, g);
  MALCHIN_ASSIGN_OR_RETURN(auto raised, cases.Raised(id));
  json items = json::array();
  for (const pdm::FollowUpGrievance& r : raised) {
    items.push_back(RaisedJson(r));
  }
  return JsonResponse(200, {{"items", items}});
}

void AddFollowUpRoutes(Api* api) {
  api->Add("GET", "/api/v1/pdm/samples",
           Doc("The PDM samples with a sampled beneficiary in the caller's "
               "area, newest first",
               kTag, {{200, "The samples"}}),
           Permission::kReadStats, ListSamples);
  api->Add("POST", "/api/v1/pdm/samples/{id}/follow-up/{uuid}/grievance",
           Doc("Raise a follow-up case (the bank paid; the respondent says "
               "they got nothing or less) as a grievance, category "
               "payment_problem, recorded by the caller in the respondent's "
               "soum; again returns the same grievance (200)",
               kTag,
               {{201, "Raised"},
                {200, "Raised before"},
                {403, "Not your area, or no record_grievance / read_stats"},
                {404, "No such sample or follow-up case"},
                {412, "The bank did not pay this case"}}),
           Permission::kRecordGrievance, RaiseGrievance);
  api->Add("GET", "/api/v1/pdm/samples/{id}/grievances",
           Doc("The follow-up cases of a sample raised as grievances, in the "
               "order raised",
               kTag, {{200, "The raised cases"}, {404, "No sample"}}),
           Permission::kReadStats, RaisedGrievances);
}

void AddSampleRoutes(Api* api) {
  api->Add("POST", "/api/v1/pdm/samples",
           Doc("Draw the PDM sample of a payroll's paid beneficiaries "
               "(strata soum x caregiver sex). The same design from the same "
               "frame returns the stored sample (200)",
               kTag,
               {{201, "Drawn"},
                {200, "Already drawn"},
                {400, "Bad design (field named)"},
                {404, "No such payroll"},
                {412, "Nothing paid yet"}},
               {}, kSampleSchema),
           Permission::kManageResponse, Draw);
  api->Add("GET", "/api/v1/pdm/samples/{id}",
           Doc("A PDM sample: status, who drew and approved it, strata", kTag,
               {{200, "The sample"}, {404, "No such sample"}}),
           Permission::kReadStats, [](Call& c) -> Result<http::Response> {
             MALCHIN_ASSIGN_OR_RETURN(int64_t id, SampleId(c.request));
             pdm::Monitoring m(c.session);
             MALCHIN_ASSIGN_OR_RETURN(pdm::SampleRecord r, m.FindSample(id));
             return SampleResponse(m, 200, r);
           });
  api->Add("POST", "/api/v1/pdm/samples/{id}/approve",
           Doc("Approve (freeze) a PDM sample; not by who drew it", kTag,
               {{200, "Approved"}, {403, "You drew it"}, {404, "No sample"}}),
           Permission::kManageResponse, [](Call& c) -> Result<http::Response> {
             MALCHIN_ASSIGN_OR_RETURN(int64_t id, SampleId(c.request));
             pdm::Monitoring m(c.session);
             MALCHIN_ASSIGN_OR_RETURN(pdm::SampleRecord r,
                                      m.Approve(id, c.who.username));
             return SampleResponse(m, 200, r);
           });
}

}  // namespace

void AddPdmRoutes(Api* api) {
  AddSampleRoutes(api);
  AddFollowUpRoutes(api);
  Services* services = &api->services();
  api->Add("GET", "/api/v1/pdm/samples/{id}/respondents.csv",
           Doc("The respondent list of the form (select_one_from_file)", kTag,
               {{200, "CSV"}, {404, "No sample"}}),
           Permission::kReadRegister,
           [services](Call& c) -> Result<http::Response> {
             MALCHIN_ASSIGN_OR_RETURN(int64_t id, SampleId(c.request));
             pdm::Monitoring m(c.session);
             MALCHIN_ASSIGN_OR_RETURN(pdm::Sample s, m.LoadSample(id));
             std::vector<registry::Person> read;
             for (const pdm::SampledUnit& u : s.units) {
               registry::Person p;
               p.register_no = u.unit.beneficiary_id;
               read.push_back(std::move(p));
             }
             MALCHIN_RETURN_IF_ERROR(
                 RecordReads(*services, c, read,
                             "GET /api/v1/pdm/samples/{id}/respondents.csv"));
             return CsvAttachment(pdm::RespondentsCsv(s), "respondents.csv");
           });
  api->Add("GET", "/api/v1/pdm/samples/{id}/form.xlsx",
           Doc("The questionnaire as an XLSForm (the standard PDM module) "
               "for KoBoToolbox; upload respondents.csv beside it",
               kTag, {{200, "The .xlsx"}, {404, "No sample"}}),
           Permission::kReadStats, FormXlsx);
  api->Add("POST", "/api/v1/pdm/samples/{id}/submissions",
           Doc("Ingest a KoBoToolbox export (CSV, either separator, or a "
               "data API JSON page) into an approved sample; re-sending it "
               "changes nothing",
               kTag,
               {{200, "Counts and problems"},
                {400, "Not a readable export"},
                {412, "Sample not approved"}},
               {QueryParam("file", "the file's name, for messages")}),
           Permission::kManageResponse, Ingest, size_t{8} << 20);
  api->Add("GET", "/api/v1/pdm/samples/{id}/report",
           Doc("Weighted findings, response and the cases the bank paid "
               "that say they got nothing or less",
               kTag, {{200, "The report"}, {404, "No sample"}},
               {QueryParam("format",
                           "json (default), xlsx (findings, response and "
                           "follow-up sheets; a bulk read when it names "
                           "persons), estimates.csv, strata.csv, "
                           "follow_up.csv"),
                QueryParam("lang",
                           "mn or en: headings and follow-up reasons "
                           "(default: Accept-Language, else mn)"),
                QueryParam("confidence",
                           "level of the intervals, e.g. 0.90 (default "
                           "pdm.sample.confidence_level)")}),
           Permission::kReadStats, ReportOf);
}

}  // namespace malchin::api
