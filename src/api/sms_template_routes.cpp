// The SMS template catalogue over HTTP (docs/channel.md, "The broadcast
// page"): every template's id, description, parameters and both texts, so
// that the broadcast page builds its values form; and a preview of one
// template with values (the text, its coding, segments and cost on
// today's parameters). Both need manage_response, like the broadcast
// writes. Nothing is written.
#include <nlohmann/json.hpp>

#include "api/api.h"
#include "api/coop_api.h"
#include "api/json_input.h"
#include "channel/outbox.h"
#include "channel/templates.h"
#include "params/parameters.h"

namespace malchin::api {
namespace {

using auth::Permission;
using coopapi::Doc;
using nlohmann::json;

constexpr const char* kPreviewSchema =
    R"({"type":"object","required":["values"],
"properties":{"language":{"type":"string","enum":["mn","en"]},
"values":{"type":"object","additionalProperties":{"type":"string"}}}})";

json TemplateJson(const channel::MessageTemplate& t) {
  json parameters = json::array();
  for (const auto& p : t.parameters) {
    parameters.push_back({{"name", p.name},
                          {"description", p.description},
                          {"sample", p.sample},
                          {"max_length", p.max_length}});
  }
  json text = json::object();
  for (const auto& [language, body] : t.text) {
    text[std::string(channel::LanguageCode(language))] = body;
  }
  return {{"id", t.id},
          {"description", t.description},
          {"parameters", parameters},
          {"text", text}};
}

Result<http::Response> List(Call&) {
  MALCHIN_ASSIGN_OR_RETURN(auto catalogue,
                           channel::TemplateCatalogue::Embedded());
  json items = json::array();
  for (const std::string& id : catalogue->Ids()) {
    items.push_back(TemplateJson(*catalogue->Find(id)));
  }
  return JsonResponse(200,
                      {{"version", catalogue->version()}, {"items", items}});
}

// POST /api/v1/sms/templates/{id}/preview {"language", "values"}.
Result<http::Response> Preview(Call& c) {
  MALCHIN_ASSIGN_OR_RETURN(JsonInput in, JsonInput::Parse(c.request.body));
  MALCHIN_ASSIGN_OR_RETURN(auto code, in.OptString("language"));
  in.Ignore({"values"});
  MALCHIN_RETURN_IF_ERROR(in.Finish());
  MALCHIN_ASSIGN_OR_RETURN(channel::Language language,
                           channel::ParseLanguage(code.value_or("mn")));
  auto body = json::parse(c.request.body);
  MALCHIN_ASSIGN_OR_RETURN(
      auto values, channel::ParseTemplateValuesJson(body["values"].dump()));
  MALCHIN_ASSIGN_OR_RETURN(auto catalogue,
                           channel::TemplateCatalogue::Embedded());
  MALCHIN_ASSIGN_OR_RETURN(auto parameters, params::ParameterSet::Embedded());
  MALCHIN_ASSIGN_OR_RETURN(
      channel::SmsPreview p,
      channel::PreviewTemplate(*catalogue, c.request.params["id"], language,
                               values, *parameters, c.session.clock().Today()));
  return JsonResponse(200, {{"text", p.text},
                            {"coding", channel::SmsCodingName(p.plan.coding)},
                            {"characters", p.plan.characters},
                            {"segments", p.plan.segments},
                            {"units_left", p.plan.units_left},
                            {"cost", p.cost},
                            {"max_segments", p.max_segments},
                            {"fits", p.fits}});
}

}  // namespace

void AddSmsTemplateRoutes(Api* api) {
  api->Add("GET", "/api/v1/sms/templates",
           Doc("The SMS templates: id, description, parameters (name, "
               "description, sample, max_length) and the text in mn and en",
               "sms", {{200, "The catalogue"}}),
           Permission::kManageResponse, List);
  api->Add("POST", "/api/v1/sms/templates/{id}/preview",
           Doc("A template rendered with values: the text, its coding, "
               "segments and cost today; writes nothing",
               "sms",
               {{200, "The preview"},
                {400,
                 "A value missing, unknown or too long (field: the "
                 "parameter)"},
                {404, "No such template"}},
               {}, kPreviewSchema),
           Permission::kManageResponse, Preview);
}

}  // namespace malchin::api
