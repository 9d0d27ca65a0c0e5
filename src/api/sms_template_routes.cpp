// The SMS template catalogue over HTTP (docs/channel.md, "The broadcast
// page"): every template's id, description, parameters and both texts, so
// that the broadcast page builds its values form; and a preview of one
// template with values (the text, its coding, segments and cost on
// today's parameters), both with the ministry's wording in force
// (channel/template_texts.h); one template with its shipped texts and every
// edit; an edit of one language's text, checked and priced before it is
// kept; back to the shipped text. Reading needs manage_response (those who
// send broadcasts); editing edit_templates (the ministry, national).
#include <nlohmann/json.hpp>

#include "api/api.h"
#include "api/coop_api.h"
#include "api/json_input.h"
#include "channel/outbox.h"
#include "channel/template_texts.h"
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

json TemplateJson(const channel::MessageTemplate& t,
                  const channel::MessageTemplate& shipped) {
  json parameters = json::array();
  for (const auto& p : t.parameters) {
    parameters.push_back({{"name", p.name},
                          {"description", p.description},
                          {"sample", p.sample},
                          {"max_length", p.max_length}});
  }
  json text = json::object(), edited = json::object();
  for (const auto& [language, body] : t.text) {
    const std::string code(channel::LanguageCode(language));
    text[code] = body;
    edited[code] = body != shipped.text.at(language);
  }
  return {{"id", t.id},
          {"description", t.description},
          {"parameters", parameters},
          {"text", text},
          {"edited", edited}};
}

Result<http::Response> List(Call& c) {
  MALCHIN_ASSIGN_OR_RETURN(auto shipped,
                           channel::TemplateCatalogue::Embedded());
  MALCHIN_ASSIGN_OR_RETURN(auto catalogue,
                           channel::CatalogueInForce(c.session, shipped));
  json items = json::array();
  for (const std::string& id : catalogue->Ids()) {
    items.push_back(TemplateJson(*catalogue->Find(id), *shipped->Find(id)));
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
                           channel::CatalogueInForce(c.session));
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

constexpr const char* kEditSchema =
    R"({"type":"object","required":["text"],
"properties":{"text":{"type":"string"},"note":{"type":"string"}}})";
constexpr const char* kResetSchema =
    R"({"type":"object","properties":{"note":{"type":"string"}}})";

Result<http::Response> Show(Call& c) {
  const std::string id = c.request.params["id"];
  MALCHIN_ASSIGN_OR_RETURN(auto shipped,
                           channel::TemplateCatalogue::Embedded());
  MALCHIN_ASSIGN_OR_RETURN(auto history,
                           channel::TemplateHistory(c.session, id));
  MALCHIN_ASSIGN_OR_RETURN(auto in_force,
                           channel::CatalogueInForce(c.session, shipped));
  return JsonResponse(200, nlohmann::json::parse(channel::TemplateToJson(
                               *shipped, *in_force, id, history)));
}

Result<http::Response> Edit(Call& c) {
  MALCHIN_ASSIGN_OR_RETURN(JsonInput in, JsonInput::Parse(c.request.body));
  MALCHIN_ASSIGN_OR_RETURN(std::string text, in.String("text"));
  MALCHIN_ASSIGN_OR_RETURN(auto note, in.OptString("note"));
  MALCHIN_RETURN_IF_ERROR(in.Finish());
  MALCHIN_ASSIGN_OR_RETURN(auto language,
                           channel::ParseLanguage(c.request.params["lang"]));
  MALCHIN_ASSIGN_OR_RETURN(auto parameters, params::ParameterSet::Embedded());
  MALCHIN_ASSIGN_OR_RETURN(
      channel::TextCheck check,
      channel::EditTemplateText(
          c.session, *parameters, c.session.clock().Today(),
          c.request.params["id"], language, text, note.value_or("")));
  return JsonResponse(200, nlohmann::json::parse(channel::ToJson(check)));
}

// POST .../texts/{lang}/check {"text"}: what the draft would send.
Result<http::Response> Check(Call& c) {
  MALCHIN_ASSIGN_OR_RETURN(JsonInput in, JsonInput::Parse(c.request.body));
  MALCHIN_ASSIGN_OR_RETURN(std::string text, in.String("text"));
  MALCHIN_RETURN_IF_ERROR(in.Finish());
  MALCHIN_ASSIGN_OR_RETURN(auto language,
                           channel::ParseLanguage(c.request.params["lang"]));
  MALCHIN_ASSIGN_OR_RETURN(auto parameters, params::ParameterSet::Embedded());
  MALCHIN_ASSIGN_OR_RETURN(
      channel::TextCheck check,
      channel::CheckTemplateText(*parameters, c.session.clock().Today(),
                                 c.request.params["id"], language, text));
  return JsonResponse(200, nlohmann::json::parse(channel::ToJson(check)));
}

Result<http::Response> Reset(Call& c) {
  std::optional<std::string> note;
  if (!c.request.body.empty()) {
    MALCHIN_ASSIGN_OR_RETURN(JsonInput in, JsonInput::Parse(c.request.body));
    MALCHIN_ASSIGN_OR_RETURN(note, in.OptString("note"));
    MALCHIN_RETURN_IF_ERROR(in.Finish());
  }
  MALCHIN_ASSIGN_OR_RETURN(auto language,
                           channel::ParseLanguage(c.request.params["lang"]));
  MALCHIN_RETURN_IF_ERROR(channel::ResetTemplateText(
      c.session, c.request.params["id"], language, note.value_or("")));
  return JsonResponse(200, {{"reset", true}});
}

void AddEdits(Api* api) {
  api->Add("GET", "/api/v1/sms/templates/{id}",
           Doc("An SMS template: parameters, texts in force and shipped, "
               "every edit (newest first)",
               "sms", {{200, "The template"}, {404, "No such template"}}),
           Permission::kManageResponse, Show);
  api->Add("PUT", "/api/v1/sms/templates/{id}/texts/{lang}",
           Doc("Replace the template's text in one language (mn or en): it "
               "must use every parameter and no other, and fit "
               "sms.max_segments at its longest; what it sends",
               "sms",
               {{200, "Kept: the text with samples and at its longest"},
                {400, "Bad text"},
                {403, "No edit_templates"},
                {404, "No such template"}},
               {}, kEditSchema),
           Permission::kEditTemplates, Edit);
  api->Add("POST", "/api/v1/sms/templates/{id}/texts/{lang}/check",
           Doc("What a draft text would send, priced, without keeping it "
               "(the editor's live preview): the text with samples and at "
               "its longest; longest.fits false when it is too long",
               "sms",
               {{200, "The check"},
                {400, "Bad text"},
                {403, "No edit_templates"},
                {404, "No such template"}},
               {}, R"({"type":"object","required":["text"],
"properties":{"text":{"type":"string"}}})"),
           Permission::kEditTemplates, Check);
  api->Add("POST", "/api/v1/sms/templates/{id}/texts/{lang}/reset",
           Doc("Go back to the shipped text in one language", "sms",
               {{200, "Reset"},
                {403, "No edit_templates"},
                {404, "No such template"},
                {409, "Already the shipped text"}},
               {}, kResetSchema),
           Permission::kEditTemplates, Reset);
}

}  // namespace

void AddSmsTemplateRoutes(Api* api) {
  AddEdits(api);
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
