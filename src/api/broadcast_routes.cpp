// SMS broadcasts over HTTP (docs/channel.md, "Broadcasts"): draft, preview,
// approve (a second officer), send, cancel, progress and the delivery
// report by soum x sex of head. Writes need manage_response; the report
// is an aggregate (read_stats). The caller's area scopes everything.
#include <nlohmann/json.hpp>

#include "api/api.h"
#include "api/coop_api.h"
#include "api/grievance_json.h"
#include "api/json_input.h"
#include "channel/broadcast.h"
#include "channel/outbox.h"
#include "channel/template_texts.h"
#include "params/parameters.h"
#include "response/plan.h"

namespace malchin::api {
namespace {

using auth::Permission;
using coopapi::Doc;

constexpr const char* kTag = "sms";

constexpr const char* kDraftSchema =
    R"({"type":"object","required":["title","target","template","values"],
"properties":{"title":{"type":"string"},"target":{"type":"string"},
"event":{"type":"string"},"template":{"type":"string"},
"values":{"type":"object","additionalProperties":{"type":"string"}}}})";

// What a broadcast reads, with the event of `event_code` bound.
struct Context {
  channel::BroadcastContext ctx;
  std::optional<rules::EventContext> event;
};

Result<std::unique_ptr<Context>> ContextFor(store::Session& session,
                                            const std::string& event_code) {
  auto c = std::make_unique<Context>();
  MALCHIN_ASSIGN_OR_RETURN(c->ctx.catalogue,
                           channel::CatalogueInForce(session));
  MALCHIN_ASSIGN_OR_RETURN(c->ctx.parameters, params::ParameterSet::Embedded());
  if (!event_code.empty()) {
    MALCHIN_ASSIGN_OR_RETURN(c->event,
                             response::LoadEventContext(session, event_code));
    c->ctx.event = &*c->event;
  }
  return c;
}

Result<int64_t> BroadcastId(http::Request& r) {
  return PathId(r.params["id"], "id");
}

http::Response Json(int status, const std::string& text) {
  return JsonResponse(status, nlohmann::json::parse(text));
}

Result<http::Response> Draft(Call& c) {
  MALCHIN_ASSIGN_OR_RETURN(JsonInput in, JsonInput::Parse(c.request.body));
  channel::DraftRequest r;
  MALCHIN_ASSIGN_OR_RETURN(r.title, in.String("title"));
  MALCHIN_ASSIGN_OR_RETURN(r.target, in.String("target"));
  MALCHIN_ASSIGN_OR_RETURN(r.template_id, in.String("template"));
  MALCHIN_ASSIGN_OR_RETURN(auto event, in.OptString("event"));
  r.event_code = event.value_or("");
  in.Ignore({"values"});
  MALCHIN_RETURN_IF_ERROR(in.Finish());
  auto body = nlohmann::json::parse(c.request.body);
  MALCHIN_ASSIGN_OR_RETURN(
      r.values, channel::ParseTemplateValuesJson(body["values"].dump()));
  MALCHIN_ASSIGN_OR_RETURN(auto ctx, ContextFor(c.session, r.event_code));
  MALCHIN_ASSIGN_OR_RETURN(auto b,
                           channel::DraftBroadcast(c.session, ctx->ctx, r));
  return Json(201, channel::ToJson(b));
}

// The broadcast {id} and what it reads.
struct Loaded {
  channel::Broadcast broadcast;
  std::unique_ptr<Context> context;
};
Result<Loaded> Load(Call& c) {
  MALCHIN_ASSIGN_OR_RETURN(int64_t id, BroadcastId(c.request));
  Loaded l;
  MALCHIN_ASSIGN_OR_RETURN(l.broadcast, channel::FindBroadcast(c.session, id));
  MALCHIN_ASSIGN_OR_RETURN(l.context,
                           ContextFor(c.session, l.broadcast.event_code));
  return l;
}

void AddWrites(Api* api) {
  api->Add("POST", "/api/v1/sms/broadcasts",
           Doc("Draft a broadcast: a household condition in the rule "
               "language, a template and its values",
               kTag, {{201, "The draft"}, {400, "Bad target or values"}}, {},
               kDraftSchema),
           Permission::kManageResponse, Draft);
  api->Add("POST", "/api/v1/sms/broadcasts/{id}/approve",
           Doc("Approve a draft; not by its maker", kTag,
               {{200, "Approved"}, {403, "You made it"}, {404, "None"}}),
           Permission::kManageResponse, [](Call& c) -> Result<http::Response> {
             MALCHIN_ASSIGN_OR_RETURN(int64_t id, BroadcastId(c.request));
             MALCHIN_ASSIGN_OR_RETURN(auto b,
                                      channel::ApproveBroadcast(c.session, id));
             return Json(200, channel::ToJson(b));
           });
  api->Add("POST", "/api/v1/sms/broadcasts/{id}/send",
           Doc("Freeze the recipients and queue each message once (again: "
               "continues an interrupted broadcast)",
               kTag,
               {{200, "Queued"},
                {409, "Needs a second officer's approval, or cancelled"}}),
           Permission::kManageResponse, [](Call& c) -> Result<http::Response> {
             MALCHIN_ASSIGN_OR_RETURN(Loaded l, Load(c));
             MALCHIN_ASSIGN_OR_RETURN(
                 auto b, channel::SendBroadcast(c.session, l.context->ctx,
                                                l.broadcast.id));
             return Json(200, channel::ToJson(b));
           });
  api->Add("POST", "/api/v1/sms/broadcasts/{id}/cancel",
           Doc("Cancel a draft or approved broadcast", kTag,
               {{200, "Cancelled"}, {409, "Already sending"}}),
           Permission::kManageResponse, [](Call& c) -> Result<http::Response> {
             MALCHIN_ASSIGN_OR_RETURN(int64_t id, BroadcastId(c.request));
             MALCHIN_ASSIGN_OR_RETURN(auto b,
                                      channel::CancelBroadcast(c.session, id));
             return Json(200, channel::ToJson(b));
           });
}

// GET /api/v1/sms/broadcasts?before=&limit=: newest first.
Result<http::Response> List(Call& c) {
  MALCHIN_RETURN_IF_ERROR(CheckQuery(c.request, {"before", "limit"}));
  MALCHIN_ASSIGN_OR_RETURN(auto before,
                           QueryInt(c.request, "before", 1, INT64_MAX / 2));
  MALCHIN_ASSIGN_OR_RETURN(auto limit, QueryInt(c.request, "limit", 1, 200));
  MALCHIN_ASSIGN_OR_RETURN(
      auto list, channel::ListBroadcasts(c.session, before.value_or(0),
                                         static_cast<int>(limit.value_or(50))));
  nlohmann::json items = nlohmann::json::array();
  for (const auto& b : list) {
    items.push_back(nlohmann::json::parse(channel::ToJson(b)));
  }
  nlohmann::json body = {{"items", items}};
  if (!list.empty()) body["next_before"] = list.back().id;
  return JsonResponse(200, body);
}

}  // namespace

void AddBroadcastRoutes(Api* api) {
  AddWrites(api);
  api->Add(
      "GET", "/api/v1/sms/broadcasts",
      Doc("The broadcasts the caller's area covers, newest first; page "
          "with before=<next_before>",
          kTag, {{200, "The broadcasts"}, {400, "Bad before or limit"}},
          {coopapi::QueryParam("before", "broadcasts with a smaller id",
                               "integer"),
           coopapi::QueryParam("limit", "1..200 (default 50)", "integer")}),
      Permission::kManageResponse, List);
  api->Add("GET", "/api/v1/sms/broadcasts/{id}",
           Doc("A broadcast", kTag, {{200, "The broadcast"}, {404, "None"}}),
           Permission::kManageResponse, [](Call& c) -> Result<http::Response> {
             MALCHIN_ASSIGN_OR_RETURN(int64_t id, BroadcastId(c.request));
             MALCHIN_ASSIGN_OR_RETURN(auto b,
                                      channel::FindBroadcast(c.session, id));
             return Json(200, channel::ToJson(b));
           });
  api->Add("GET", "/api/v1/sms/broadcasts/{id}/preview",
           Doc("Recipients now, cost, counts by soum x sex of head, whether "
               "a second officer must approve",
               kTag, {{200, "The preview"}, {404, "None"}}),
           Permission::kManageResponse, [](Call& c) -> Result<http::Response> {
             MALCHIN_ASSIGN_OR_RETURN(Loaded l, Load(c));
             MALCHIN_ASSIGN_OR_RETURN(
                 auto p, channel::PreviewBroadcast(c.session, l.context->ctx,
                                                   l.broadcast.id));
             return Json(200, channel::ToJson(p));
           });
  api->Add("GET", "/api/v1/sms/broadcasts/{id}/report",
           Doc("Progress (not_queued, queued, sending, sent, delivered, "
               "failed, expired, unknown) and delivery by soum x sex of head",
               kTag, {{200, "The report"}, {404, "None"}}),
           Permission::kReadStats, [](Call& c) -> Result<http::Response> {
             MALCHIN_ASSIGN_OR_RETURN(int64_t id, BroadcastId(c.request));
             MALCHIN_ASSIGN_OR_RETURN(auto r,
                                      channel::ReportBroadcast(c.session, id));
             return Json(200, channel::ToJson(r));
           });
}

}  // namespace malchin::api
