// The SMS templates' wording over HTTP (docs/channel.md, "Editing the
// templates"): one template with its parameters, texts in force and
// shipped, and every edit; an edit of one language's text, checked and
// priced before it is kept; back to the shipped text. Reading needs
// manage_response (those who send broadcasts); editing edit_templates (the
// ministry, national).
#include <nlohmann/json.hpp>

#include "api/api.h"
#include "api/coop_api.h"
#include "api/json_input.h"
#include "channel/template_texts.h"
#include "params/parameters.h"

namespace malchin::api {
namespace {

using auth::Permission;
using coopapi::Doc;

constexpr const char* kTag = "sms";

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

}  // namespace

void AddTemplateRoutes(Api* api) {
  api->Add("GET", "/api/v1/sms/templates/{id}",
           Doc("An SMS template: parameters, texts in force and shipped, "
               "every edit (newest first)",
               kTag, {{200, "The template"}, {404, "No such template"}}),
           Permission::kManageResponse, Show);
  api->Add("PUT", "/api/v1/sms/templates/{id}/texts/{lang}",
           Doc("Replace the template's text in one language (mn or en): it "
               "must use every parameter and no other, and fit "
               "sms.max_segments at its longest; what it sends",
               kTag,
               {{200, "Kept: the text with samples and at its longest"},
                {400, "Bad text"},
                {403, "No edit_templates"},
                {404, "No such template"}},
               {}, kEditSchema),
           Permission::kEditTemplates, Edit);
  api->Add("POST", "/api/v1/sms/templates/{id}/texts/{lang}/reset",
           Doc("Go back to the shipped text in one language", kTag,
               {{200, "Reset"},
                {403, "No edit_templates"},
                {404, "No such template"},
                {409, "Already the shipped text"}},
               {}, kResetSchema),
           Permission::kEditTemplates, Reset);
}

}  // namespace malchin::api
