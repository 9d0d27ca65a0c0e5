// Internal to the API: what the shock-response routes share
// (response_routes.cpp, response_cases_routes.cpp): the workflow on a
// worker's session, decoding, the caller's area, jobs and route docs.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "api/api.h"
#include "api/json_input.h"
#include "response/catalog.h"
#include "response/transfers.h"
#include "response/workflow.h"

namespace malchin::api::response_api {

using nlohmann::json;

// What every handler shares: the shipped parameters, soums and banks.
struct Shared {
  Status status;  // Why the context could not be built, if it could not.
  response::Context context;
};

// The repositories and the workflow on one worker's session.
struct Session {
  response::Transfers* response = nullptr;
  response::Catalog* catalog = nullptr;
  std::unique_ptr<response::Workflow> workflow;
};

inline Result<Session> Open(store::Session& db, const Shared& shared) {
  MALCHIN_RETURN_IF_ERROR(shared.status);
  Session s;
  s.catalog = &db.Get<response::Catalog>();
  s.workflow = std::make_unique<response::Workflow>(db, shared.context);
  s.response = &s.workflow->transfers();
  return s;
}

inline bool National(const store::AreaFilter& a) {
  return a.aimag_code == 0 && a.soum_code == 0;
}

inline Result<Date> DateField(JsonInput& in, const std::string& name) {
  MALCHIN_ASSIGN_OR_RETURN(std::string s, in.String(name));
  auto d = Date::Parse(s);
  if (!d.ok()) {
    return Status::InvalidArgument(name + " '" + s + "': expected a date " +
                                       "YYYY-MM-DD (" + d.status().message() +
                                       ")",
                                   name);
  }
  return *d;
}

inline Result<std::optional<Date>> OptDateField(JsonInput& in,
                                                const std::string& name) {
  if (!in.Has(name)) return std::optional<Date>();
  MALCHIN_ASSIGN_OR_RETURN(auto s, in.OptString(name));
  if (!s) return std::optional<Date>();
  MALCHIN_ASSIGN_OR_RETURN(Date d, DateField(in, name));
  return std::optional<Date>(d);
}

inline Result<std::string> TextField(JsonInput& in, const std::string& name,
                                     size_t max, bool required) {
  std::string v;
  if (required) {
    MALCHIN_ASSIGN_OR_RETURN(v, in.String(name));
  } else {
    MALCHIN_ASSIGN_OR_RETURN(auto o, in.OptString(name));
    v = o.value_or("");
  }
  if ((required && v.empty()) || v.size() > max) {
    return Status::InvalidArgument(
        name + ": expected " + (required ? "1" : "0") + "-" +
            std::to_string(max) + " bytes of text, got " +
            std::to_string(v.size()),
        name);
  }
  return v;
}

inline Result<int> InstallmentParam(const http::Request& r) {
  auto it = r.params.find("installment");
  const std::string v = it == r.params.end() ? "" : it->second;
  bool ok = !v.empty() && v.size() <= 4;
  for (char c : v) ok = ok && c >= '0' && c <= '9';
  int n = ok ? std::stoi(v) : 0;
  if (n < 1) {
    return Status::InvalidArgument(
        "installment '" + v + "': expected a number 1, 2, ...", "installment");
  }
  return n;
}

inline json UnitName(const geo::Geography& geo, int32_t code) {
  const geo::Unit* u = geo.Find(code);
  if (!u) return {{"en", std::to_string(code)}, {"mn", std::to_string(code)}};
  return {{"en", u->name_en}, {"mn", u->name_mn}};
}

inline json DateOrNull(const std::optional<Date>& d) {
  return d ? json(d->ToString()) : json();
}

inline http::Response Accepted(const std::string& id) {
  http::Response r =
      JsonResponse(202, {{"job_id", id}, {"poll", "/api/v1/jobs/" + id}});
  r.SetHeader("Location", "/api/v1/jobs/" + id);
  return r;
}

// A long workflow step as a job of `kind` run for `user` on the job pool:
// `step` gets its own session on the job worker's store, with the
// workflow's progress reported to the job. Answers 202 with the job's id.
using JobStep =
    std::function<Result<std::string>(Session&, http::JobProgress&)>;
inline Result<http::Response> SubmitStep(Services& services,
                                         std::shared_ptr<const Shared> shared,
                                         std::string kind,
                                         const auth::Principal& who,
                                         JobStep step) {
  if (!services.jobs) return Status::Unavailable("no job pool");
  MALCHIN_ASSIGN_OR_RETURN(
      std::string id,
      services.jobs->Submit(
          std::move(kind), who.username,
          [shared, who, step = std::move(step)](
              http::WorkerContext& ctx,
              http::JobProgress& progress) -> Result<std::string> {
            MALCHIN_ASSIGN_OR_RETURN(store::Session * db, JobSession(ctx, who));
            MALCHIN_ASSIGN_OR_RETURN(Session js, Open(*db, *shared));
            js.workflow->SetProgress(
                [&progress](double f, const std::string& what) {
                  progress.Set(f, what);
                });
            return step(js, progress);
          }));
  return Accepted(id);
}

// The event as the caller's area sees it; NotFound outside it.
inline Result<response::ShockEventRecord> VisibleEvent(
    Session& s, const std::string& code, const store::AreaFilter& area) {
  MALCHIN_ASSIGN_OR_RETURN(auto e, s.response->FindEvent(code, area));
  if (!e || (!National(area) && e->soums.empty())) {
    return Status::NotFound("no event '" + code + "' in your area");
  }
  return std::move(*e);
}

inline Result<response::PlanRecord> VisiblePlan(Session& s,
                                                const std::string& code,
                                                const store::AreaFilter& area) {
  MALCHIN_ASSIGN_OR_RETURN(auto p, s.response->FindPlan(code));
  if (!p) return Status::NotFound("no plan '" + code + "'");
  if (!National(area)) {
    auto e = VisibleEvent(s, p->event_code, area);
    if (!e.ok()) return Status::NotFound("no plan '" + code + "' in your area");
  }
  return std::move(*p);
}

// The area a read covers: ?aimag= or ?soum=, which must lie inside the
// caller's own area (403 otherwise); by default the caller's area.
inline Result<store::AreaFilter> ReadArea(const Call& c) {
  store::AreaFilter mine = c.who.area();
  MALCHIN_ASSIGN_OR_RETURN(auto aimag, QueryInt(c.request, "aimag", 1, 999));
  MALCHIN_ASSIGN_OR_RETURN(auto soum, QueryInt(c.request, "soum", 1, 99999));
  if (!aimag && !soum) return mine;
  store::AreaFilter asked;
  if (soum) {
    asked.soum_code = static_cast<int32_t>(*soum);
    if (!mine.Matches(asked.soum_code)) {
      return Status::PermissionDenied("soum " + std::to_string(*soum) +
                                      " is outside your area");
    }
    return asked;
  }
  asked.aimag_code = static_cast<int32_t>(*aimag);
  if (mine.soum_code ||
      (mine.aimag_code && mine.aimag_code != asked.aimag_code)) {
    return Status::PermissionDenied("aimag " + std::to_string(*aimag) +
                                    " is outside your area");
  }
  return asked;
}

inline http::RouteDoc Doc(std::string summary,
                          std::map<int, std::string> responses,
                          std::vector<http::Parameter> query = {},
                          std::string schema = {}) {
  http::RouteDoc d;
  d.summary = std::move(summary);
  d.tag = "response";
  d.responses = std::move(responses);
  d.query = std::move(query);
  d.request_schema = std::move(schema);
  return d;
}

inline std::vector<http::Parameter> AreaParams() {
  return {
      {"aimag", "query", "only this aimag (inside your area)", false,
       "integer"},
      {"soum", "query", "only this soum (inside your area)", false, "integer"}};
}

}  // namespace malchin::api::response_api
