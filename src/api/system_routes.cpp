// /health, /ready and the long-job endpoints.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/api.h"

namespace malchin::api {

using nlohmann::json;

void AddSystemRoutes(Api* api) {
  Services* services = &api->services();
  http::RouteDoc health;
  health.summary = "Liveness: the process answers";
  health.tag = "system";
  health.responses = {{200, "Alive"}};
  api->AddPublic(
      "GET", "/health", health,
      [](http::Request&) -> Result<http::Response> {
        return JsonResponse(200, {{"status", "ok"}});
      },
      http::Dispatch::kInline);

  http::RouteDoc ready;
  ready.summary =
      "Readiness: accepting requests (503 while starting or shutting down)";
  ready.tag = "system";
  ready.responses = {{200, "Ready"}, {503, "Not ready"}};
  api->AddPublic(
      "GET", "/ready", ready,
      [services](http::Request&) -> Result<http::Response> {
        const http::ServerState* s = services->state;
        bool ok = s && s->ready && !s->draining;
        json body = {{"status", ok ? "ready" : "not ready"}};
        if (s) {
          body["connections"] = s->connections.load();
          body["queued"] = s->queued.load();
          body["in_flight"] = s->in_flight.load();
          body["workers"] = s->workers;
          body["queue_capacity"] = s->queue_capacity;
          body["rejected"] = s->rejected.load();
        }
        http::Response r = JsonResponse(ok ? 200 : 503, body);
        if (!ok) r.SetHeader("Retry-After", "1");
        return r;
      },
      http::Dispatch::kInline);

  http::RouteDoc job;
  job.summary =
      "A long job's state and progress (queued, running, done, failed) and, "
      "when done, its result; only its owner sees it";
  job.tag = "jobs";
  job.responses = {{200, "The job"}, {404, "No such job of yours"}};
  api->Add("GET", "/api/v1/jobs/{job_id}", job, std::nullopt,
           [services](Call& c) -> Result<http::Response> {
             if (!services->jobs) return Status::NotFound("no such job");
             auto info = services->jobs->Get(c.request.params["job_id"]);
             if (!info || info->owner != c.who.username) {
               return Status::NotFound("no job " + c.request.params["job_id"] +
                                       " of yours");
             }
             json j = {{"job_id", info->id},
                       {"kind", info->kind},
                       {"state", info->state},
                       {"progress", info->progress},
                       {"phase", info->phase}};
             if (info->state == "done") {
               j["result"] = json::parse(info->result_json, nullptr, false);
             }
             if (info->state == "failed" && !info->result_json.empty()) {
               j["result"] = json::parse(info->result_json, nullptr, false);
             }
             if (info->state == "failed") {
               j["error"] = {{"code", StatusCodeName(info->error.code())},
                             {"message", info->error.message()},
                             {"field", info->error.field().empty()
                                           ? json(nullptr)
                                           : json(info->error.field())}};
             }
             return JsonResponse(200, j);
           });

  http::RouteDoc file;
  file.summary =
      "Download a file a job made (an export's households.csv or "
      "persons.csv); only the job's owner may";
  file.tag = "jobs";
  file.responses = {{200, "The file (text/csv)"}, {404, "No such file"}};
  api->Add(
      "GET", "/api/v1/jobs/{job_id}/files/{name}", file, std::nullopt,
      [services](Call& c) -> Result<http::Response> {
        const std::string& id = c.request.params["job_id"];
        const std::string& name = c.request.params["name"];
        auto info = services->jobs ? services->jobs->Get(id) : std::nullopt;
        if (!info || info->owner != c.who.username || info->state != "done" ||
            (name != "households.csv" && name != "persons.csv")) {
          return Status::NotFound("no file " + name + " for job " + id);
        }
        std::ifstream in(
            std::filesystem::path(services->export_dir) / id / name,
            std::ios::binary);
        if (!in) return Status::NotFound("the file " + name + " is gone");
        std::ostringstream ss;
        ss << in.rdbuf();
        http::Response r =
            http::Response::Text(200, ss.str(), "text/csv; charset=utf-8");
        r.SetHeader("Content-Disposition",
                    "attachment; filename=\"" + name + "\"");
        return r;
      });
}

}  // namespace malchin::api
