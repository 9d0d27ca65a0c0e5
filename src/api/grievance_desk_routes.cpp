// Grievance redress over HTTP, the desk: measures and the CSV export (the
// confidential cases counted without detail), the paper/KoBo batch import,
// escalation as a job, and the catalogue the ministry extends (categories,
// referral directory). docs/grievance.md, "HTTP API".
#include <nlohmann/json.hpp>

#include "api/api.h"
#include "api/grievance_json.h"
#include "api/json_input.h"
#include "grievance/batch.h"
#include "grievance/service.h"
#include "grievance/stats.h"

namespace malchin::api {

using nlohmann::json;

namespace {

Result<grievance::FactQuery> FactsFrom(const http::Request& r) {
  grievance::FactQuery q;
  MALCHIN_ASSIGN_OR_RETURN(q.area, AreaQuery(r));
  if (auto from = r.Query("from")) {
    MALCHIN_ASSIGN_OR_RETURN(q.from, DateField(*from, "from"));
  }
  if (auto to = r.Query("to")) {
    MALCHIN_ASSIGN_OR_RETURN(q.to, DateField(*to, "to"));
  }
  return q;
}

json RowJson(const grievance::StatsRow& r) {
  return {{"category", r.category},
          {"channel", r.channel},
          {"area_code", r.area_code},
          {"sex", r.sex},
          {"age_band", r.age_band},
          {"cases", r.cases},
          {"open", r.open},
          {"overdue", r.overdue},
          {"acknowledged", r.acknowledged},
          {"acknowledged_in_time", r.acknowledged_in_time},
          {"decided", r.decided},
          {"decided_in_time", r.decided_in_time},
          {"resolved", r.resolved},
          {"referred", r.referred},
          {"rejected", r.rejected},
          {"closed", r.closed},
          {"escalated", r.escalated},
          {"masked", r.masked},
          {"mean_days_to_acknowledge", r.MeanDaysToAcknowledge()},
          {"mean_days_to_decide", r.MeanDaysToDecide()},
          {"share_acknowledged_in_time", r.ShareAcknowledgedInTime()},
          {"share_decided_in_time", r.ShareDecidedInTime()}};
}

json BatchJson(const grievance::BatchReport& b) {
  json problems = json::array();
  for (const auto& p : b.problems) {
    problems.push_back({{"line", p.line},
                        {"field", p.field},
                        {"value", p.value},
                        {"expected", p.expected}});
  }
  return {{"file", b.file},         {"rows", b.rows},
          {"imported", b.imported}, {"already_imported", b.already_imported},
          {"problems", problems},   {"references", b.references}};
}

void AddMeasures(Api* api) {
  http::RouteDoc stats = GrievanceDoc(
      "Complaint counts, times to acknowledge and decide, share within the "
      "deadlines and outcomes, by category, channel, soum or aimag, sex and "
      "age band; confidential cases counted without detail",
      {{200, "The measures"}});
  stats.query = {
      {"by", "query", "category,channel,soum|aimag,sex,age_band", false,
       "string"},
      {"from", "query", "received on or after", false, "string"},
      {"to", "query", "received on or before", false, "string"},
      {"as_of", "query", "date for 'overdue' (default today)", false, "string"},
      {"soum", "query", "soum code", false, "integer"},
      {"aimag", "query", "aimag code", false, "integer"}};
  api->Add("GET", "/api/v1/grievances/stats", stats,
           auth::Permission::kReadGrievanceStats,
           [](Call& c) -> Result<http::Response> {
             const http::Request& r = c.request;
             MALCHIN_RETURN_IF_ERROR(
                 CheckQuery(r, {"by", "from", "to", "as_of", "soum", "aimag"}));
             grievance::StatsQuery q;
             MALCHIN_ASSIGN_OR_RETURN(q.facts, FactsFrom(r));
             MALCHIN_ASSIGN_OR_RETURN(
                 q.by, grievance::ParseStatsDims(r.Query("by").value_or("")));
             if (auto d = r.Query("as_of")) {
               MALCHIN_ASSIGN_OR_RETURN(q.as_of, DateField(*d, "as_of"));
             }
             MALCHIN_ASSIGN_OR_RETURN(grievance::Service g,
                                      GrievanceService(c));
             MALCHIN_ASSIGN_OR_RETURN(grievance::Stats s, g.Measure(q));
             json rows = json::array();
             for (const auto& row : s.rows) rows.push_back(RowJson(row));
             return JsonResponse(200, {{"as_of", s.as_of.ToString()},
                                       {"total", RowJson(s.total)},
                                       {"rows", rows}});
           });
  http::RouteDoc exp = GrievanceDoc(
      "The complaints of the area as CSV, one row each (confidential ones "
      "as a masked row: month, area, state)",
      {{200, "text/csv"}});
  exp.query = {{"from", "query", "received on or after", false, "string"},
               {"to", "query", "received on or before", false, "string"},
               {"soum", "query", "soum code", false, "integer"},
               {"aimag", "query", "aimag code", false, "integer"}};
  api->Add(
      "GET", "/api/v1/grievances/export", exp,
      auth::Permission::kReadGrievanceStats,
      [](Call& c) -> Result<http::Response> {
        MALCHIN_RETURN_IF_ERROR(
            CheckQuery(c.request, {"from", "to", "soum", "aimag"}));
        MALCHIN_ASSIGN_OR_RETURN(grievance::FactQuery q, FactsFrom(c.request));
        MALCHIN_ASSIGN_OR_RETURN(grievance::Service g, GrievanceService(c));
        MALCHIN_ASSIGN_OR_RETURN(std::string csv, g.ExportCsv(q));
        return CsvAttachment(std::move(csv), "grievances.csv");
      });
}

void AddImportAndEscalation(Api* api) {
  Services* services = &api->services();
  http::RouteDoc import = GrievanceDoc(
      "Import paper forms or KoBo submissions (CSV body; ?name= the file's "
      "name): all or nothing, every problem listed with its line",
      {{200, "The report (problems: nothing was imported)"}});
  import.query = {{ "name", "query", "the file's name", false, "string" }};
  api->Add(
      "POST", "/api/v1/grievances/import", import,
      auth::Permission::kRecordGrievance,
      [](Call& c) -> Result<http::Response> {
        MALCHIN_RETURN_IF_ERROR(CheckQuery(c.request, {"name"}));
        MALCHIN_ASSIGN_OR_RETURN(grievance::Service g, GrievanceService(c));
        MALCHIN_ASSIGN_OR_RETURN(
            grievance::BatchReport b,
            g.ImportBatch(c.request.Query("name").value_or("upload.csv"),
                          c.request.body));
        return JsonResponse(200, BatchJson(b));
      },
      size_t{8} << 20);
  api->Add(
      "POST", "/api/v1/grievances/escalations",
      GrievanceDoc(
          "Escalate every overdue complaint now, as a job (the server also "
          "runs it periodically); national officers",
          {{202, "The job (GET /api/v1/jobs/{id})"}}),
      auth::Permission::kHandleGrievance,
      [services](Call& c) -> Result<http::Response> {
        if (!c.who.area().national()) {
          return Status::PermissionDenied(
              "escalation runs over the whole country: national officers");
        }
        if (!services->jobs) return Status::Unavailable("no job pool");
        auth::Principal who = c.who;
        MALCHIN_ASSIGN_OR_RETURN(
            std::string id,
            services->jobs->Submit(
                "grievance.escalate", who.username,
                [who](http::WorkerContext& ctx,
                      http::JobProgress&) -> Result<std::string> {
                  MALCHIN_ASSIGN_OR_RETURN(store::Session * s,
                                           JobSession(ctx, who));
                  MALCHIN_ASSIGN_OR_RETURN(const grievance::Context* gc,
                                           GrievanceContext());
                  grievance::Service g(*s, *gc);
                  MALCHIN_ASSIGN_OR_RETURN(grievance::EscalationReport r,
                                           g.Escalate());
                  return json({{"on", r.on.ToString()},
                               {"checked", r.checked},
                               {"escalated", r.escalated},
                               {"to_aimag", r.to_aimag},
                               {"to_national", r.to_national}})
                      .dump();
                }));
        http::Response r = JsonResponse(202, {{"job_id", id}});
        r.SetHeader("Location", "/api/v1/jobs/" + id);
        return r;
      });
}

void AddCatalogue(Api* api) {
  api->Add("GET", "/api/v1/grievances/categories",
           GrievanceDoc("The categories (shipped and the ministry's)",
                        {{200, "The categories"}}),
           std::nullopt, [](Call& c) -> Result<http::Response> {
             MALCHIN_ASSIGN_OR_RETURN(grievance::Service g,
                                      GrievanceService(c));
             MALCHIN_ASSIGN_OR_RETURN(auto all, g.Categories());
             json items = json::array();
             for (const auto& k : all) items.push_back(CategoryJson(k));
             return JsonResponse(200, {{"items", items}});
           });
  api->Add(
      "PUT", "/api/v1/grievances/categories",
      GrievanceDoc("Add or replace categories (the format of categories.json); "
                   "national officers and focal points",
                   {{200, "How many were stored"}}),
      std::nullopt, [](Call& c) -> Result<http::Response> {
        MALCHIN_ASSIGN_OR_RETURN(
            auto cats, grievance::ParseCategories(c.request.body, "body"));
        for (auto& k : cats) k.source = "api:" + c.who.username;
        MALCHIN_ASSIGN_OR_RETURN(grievance::Service g, GrievanceService(c));
        MALCHIN_ASSIGN_OR_RETURN(int n, g.PutCategories(cats));
        return JsonResponse(200, {{"stored", n}});
      });
  http::RouteDoc dir = GrievanceDoc(
      "The referral directory (shipped and the ministry's); ?soum= the "
      "services a case of that soum can be referred to",
      {{200, "The services"}});
  dir.query = {{"soum", "query", "soum code", false, "integer"}};
  api->Add("GET", "/api/v1/grievances/directory", dir, std::nullopt,
           [](Call& c) -> Result<http::Response> {
             MALCHIN_RETURN_IF_ERROR(CheckQuery(c.request, {"soum"}));
             MALCHIN_ASSIGN_OR_RETURN(
                 auto soum, QueryInt(c.request, "soum", 10000, 99999));
             MALCHIN_ASSIGN_OR_RETURN(grievance::Service g,
                                      GrievanceService(c));
             MALCHIN_ASSIGN_OR_RETURN(auto all, g.Directory());
             if (soum) all = grievance::ServicesFor(all, *soum);
             json items = json::array();
             for (const auto& s : all) items.push_back(ServiceJson(s));
             return JsonResponse(200, {{"items", items}});
           });
  api->Add(
      "PUT", "/api/v1/grievances/directory",
      GrievanceDoc(
          "Add or replace services (the format of referral_directory.json); "
          "national officers and focal points",
          {{200, "How many were stored"}}),
      std::nullopt, [](Call& c) -> Result<http::Response> {
        MALCHIN_ASSIGN_OR_RETURN(const grievance::Context* ctx,
                                 GrievanceContext());
        MALCHIN_ASSIGN_OR_RETURN(
            auto services,
            grievance::ParseDirectory(c.request.body, "body", *ctx->geo));
        MALCHIN_ASSIGN_OR_RETURN(grievance::Service g, GrievanceService(c));
        MALCHIN_ASSIGN_OR_RETURN(int n, g.PutServices(services));
        return JsonResponse(200, {{"stored", n}});
      });
}

}  // namespace

void AddGrievanceDeskRoutes(Api* api) {
  AddMeasures(api);
  AddImportAndEscalation(api);
  AddCatalogue(api);
}

}  // namespace malchin::api
