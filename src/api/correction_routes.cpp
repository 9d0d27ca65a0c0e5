// The checkers' side of corrections that come from outside an officer's own
// editing (a complaint's resolution, docs/grievance.md "Fixes"): register
// correction proposals (registry/corrections.h) and insurance correction
// requests (insurance/corrections.h), listed for the caller's area and
// approved or rejected by a second officer. Approving applies the change
// through the owning capability's normal write path.
#include <nlohmann/json.hpp>

#include "api/api.h"
#include "api/json_input.h"
#include "insurance/corrections.h"
#include "params/parameters.h"
#include "registry/corrections.h"

namespace malchin::api {

using nlohmann::json;

namespace {

http::RouteDoc Doc(std::string summary, std::string tag,
                   std::map<int, std::string> responses) {
  http::RouteDoc d;
  d.summary = std::move(summary);
  d.tag = std::move(tag);
  d.responses = std::move(responses);
  return d;
}

Result<int64_t> Id(Call& c) {
  const std::string& t = c.request.params["id"];
  if (t.empty() || t.size() > 18 ||
      t.find_first_not_of("0123456789") != std::string::npos) {
    return Status::InvalidArgument("id '" + t + "': expected a number", "id");
  }
  return std::stoll(t);
}

// The note of an approval or a rejection ({"note": text}, optional).
Result<std::string> Note(Call& c) {
  if (c.request.body.empty()) return std::string();
  MALCHIN_ASSIGN_OR_RETURN(JsonInput in, JsonInput::Parse(c.request.body));
  MALCHIN_ASSIGN_OR_RETURN(auto note, in.OptString("note"));
  MALCHIN_RETURN_IF_ERROR(in.Finish());
  if (note && note->size() > 2000) {
    return Status::InvalidArgument("note: at most 2000 bytes", "note");
  }
  return note.value_or("");
}

template <class State>
Result<std::optional<State>> StateQuery(
    const http::Request& r, Result<State> (*parse)(std::string_view)) {
  MALCHIN_RETURN_IF_ERROR(CheckQuery(r, {"state"}));
  auto s = r.Query("state");
  if (!s) return std::optional<State>();
  MALCHIN_ASSIGN_OR_RETURN(State state, parse(*s));
  return std::optional<State>(state);
}

json Parsed(const std::string& text) { return json::parse(text); }

void AddRegister(Api* api) {
  Services* services = &api->services();
  http::RouteDoc list =
      Doc("Register correction proposals of your area, newest first",
          "registry", {{200, "The proposals"}});
  list.query = {{"state", "query", "pending, applied, rejected, withdrawn",
                 false, "string"}};
  api->Add(
      "GET", "/api/v1/register/corrections", list,
      auth::Permission::kReadRegister, [](Call& c) -> Result<http::Response> {
        MALCHIN_ASSIGN_OR_RETURN(
            auto state, StateQuery(c.request, &registry::ParseCorrectionState));
        MALCHIN_ASSIGN_OR_RETURN(
            auto all, c.session.Get<registry::CorrectionRepository>().List(
                          {}, state, 500));
        json items = json::array();
        for (const auto& p : all) {
          items.push_back(Parsed(registry::CorrectionJson(p)));
        }
        return JsonResponse(200, {{"items", items}});
      });
  for (bool approve : {true, false}) {
    api->Add(
        "POST",
        std::string("/api/v1/register/corrections/{id}/") +
            (approve ? "approve" : "reject"),
        Doc(approve ? "Approve a proposal (not its proposer): the changes go "
                      "through the register's normal write path"
                    : "Reject a proposal (another officer, with a note), or "
                      "withdraw it (its proposer)",
            "registry", {{200, "The proposal after"}}),
        auth::Permission::kWriteRegister,
        [services, approve](Call& c) -> Result<http::Response> {
          MALCHIN_ASSIGN_OR_RETURN(int64_t id, Id(c));
          MALCHIN_ASSIGN_OR_RETURN(std::string note, Note(c));
          Result<registry::CorrectionProposal> p =
              approve ? registry::ApproveCorrection(c.session, id, note,
                                                    *services->geo,
                                                    c.session.clock().Today())
                      : registry::RejectCorrection(c.session, id, note);
          MALCHIN_RETURN_IF_ERROR(p.status());
          return JsonResponse(200, Parsed(registry::CorrectionJson(*p)));
        });
  }
}

void AddInsurance(Api* api) {
  http::RouteDoc list =
      Doc("Insurance correction requests of your area, newest first",
          "insurance", {{200, "The requests"}});
  list.query = {{"state", "query", "pending, applied, rejected, withdrawn",
                 false, "string"}};
  api->Add(
      "GET", "/api/v1/insurance/corrections", list,
      auth::Permission::kWriteInsurance, [](Call& c) -> Result<http::Response> {
        MALCHIN_ASSIGN_OR_RETURN(
            auto state,
            StateQuery(c.request, &insurance::ParseCorrectionState));
        MALCHIN_ASSIGN_OR_RETURN(
            auto all, c.session.Get<insurance::CorrectionRepository>().List(
                          {}, state, 500));
        json items = json::array();
        for (const auto& r : all) {
          items.push_back(Parsed(insurance::CorrectionJson(r)));
        }
        return JsonResponse(200, {{"items", items}});
      });
  for (bool approve : {true, false}) {
    api->Add(
        "POST",
        std::string("/api/v1/insurance/corrections/{id}/") +
            (approve ? "approve" : "reject"),
        Doc(approve ? "Approve a request (not its requester): the entry is "
                      "reversed and coverage recomputed"
                    : "Reject a request (another officer, with a note), or "
                      "withdraw it (its requester)",
            "insurance", {{200, "The request after"}}),
        auth::Permission::kWriteInsurance,
        [approve](Call& c) -> Result<http::Response> {
          MALCHIN_ASSIGN_OR_RETURN(int64_t id, Id(c));
          MALCHIN_ASSIGN_OR_RETURN(std::string note, Note(c));
          MALCHIN_ASSIGN_OR_RETURN(auto params,
                                   params::ParameterSet::Embedded());
          Result<insurance::CorrectionRequest> r =
              approve
                  ? insurance::ApproveCorrection(c.session, *params, id, note,
                                                 c.session.clock().Today())
                  : insurance::RejectCorrection(c.session, id, note);
          MALCHIN_RETURN_IF_ERROR(r.status());
          return JsonResponse(200, Parsed(insurance::CorrectionJson(*r)));
        });
  }
}

}  // namespace

void AddCorrectionRoutes(Api* api) {
  AddRegister(api);
  AddInsurance(api);
}

}  // namespace malchin::api
