// The six sections of the herder's page (herder/sections.h) and the
// household at a glance: GET /api/v1/herder/{section}?lang=mn|en. The
// household is the session's (herder_api.h), never the request's.
#include <nlohmann/json.hpp>

#include "api/herder_api.h"
#include "herder/sections.h"
#include "params/parameters.h"

namespace malchin::api {
namespace {

constexpr const char* kTag = "herder";

Result<herder::SectionRequest> RequestOf(http::Request& req,
                                         const herder::HerderPrincipal& who) {
  MALCHIN_RETURN_IF_ERROR(CheckQuery(req, {"lang"}));
  herder::SectionRequest r;
  r.who = who;
  MALCHIN_ASSIGN_OR_RETURN(
      r.language, channel::ParseLanguage(req.Query("lang").value_or("mn")));
  MALCHIN_ASSIGN_OR_RETURN(auto parameters, params::ParameterSet::Embedded());
  r.parameters = parameters.get();  // Embedded: lives as long as the process.
  return r;
}

}  // namespace

void AddHerderSectionsRoutes(Api* api) {
  Services* services = &api->services();
  http::RouteDoc me;
  me.summary = "The signed-in herder's household at a glance";
  me.tag = kTag;
  me.authenticated = false;
  me.permission = "a herder's session (malchin_herder cookie)";
  me.query = {{"lang", "query", "mn (default) or en", false, "string"}};
  me.responses = {{200, "The household"}, {401, "Not signed in"}};
  api->AddPublic(
      "GET", "/api/v1/herder/me", me,
      [services](http::Request& req) -> Result<http::Response> {
        MALCHIN_ASSIGN_OR_RETURN(auto call, HerderCall(req, *services));
        MALCHIN_ASSIGN_OR_RETURN(auto r, RequestOf(req, call.second));
        MALCHIN_ASSIGN_OR_RETURN(auto j, herder::Overview(*call.first, r));
        return JsonResponse(200, j);
      });
  http::RouteDoc section = me;
  section.summary =
      "A section of the herder's page: insurance, payments, dzud, prices, "
      "bank or services";
  section.responses = {
      {200, "The section"}, {401, "Not signed in"}, {404, "No such section"}};
  api->AddPublic(
      "GET", "/api/v1/herder/sections/{name}", section,
      [services](http::Request& req) -> Result<http::Response> {
        MALCHIN_ASSIGN_OR_RETURN(auto call, HerderCall(req, *services));
        MALCHIN_ASSIGN_OR_RETURN(auto r, RequestOf(req, call.second));
        MALCHIN_ASSIGN_OR_RETURN(
            auto j, herder::Section(*call.first, req.params["name"], r));
        return JsonResponse(200, j);
      });
}

}  // namespace malchin::api
