#include "channel/template_texts.h"

#include <nlohmann/json.hpp>

#include "store/session.h"

namespace malchin::channel {
namespace {

// The shipped template `id`, or NotFound.
Status Exists(const TemplateCatalogue& shipped, std::string_view id) {
  if (shipped.Find(id) != nullptr) return Status::Ok();
  return Status::NotFound("SMS-ийн загвар '" + std::string(id) +
                          "' алга / no SMS template '" + std::string(id) + "'");
}

Status Record(store::Session& session, const TemplateTextEdit& e,
              std::string_view action) {
  nlohmann::json j = {{"template", e.template_id},
                      {"language", LanguageCode(e.language)},
                      {"note", e.note}};
  j["text"] = e.text ? nlohmann::json(*e.text) : nlohmann::json(nullptr);
  store::AuditEntry a;
  a.action = std::string(action);
  a.entity_type = "sms_template";
  a.entity_id = e.template_id + "." + std::string(LanguageCode(e.language));
  a.after_json = j.dump();
  return session.Audit(a).status();
}

// Appends `e` (by the caller, now) with its audit entry; REQUIRES a Write.
Status Append(store::Session& session, TemplateTextEdit e,
              std::string_view action) {
  e.edited_by = session.caller().actor;
  e.edited_at = session.clock().NowIso();
  MALCHIN_ASSIGN_OR_RETURN(e.id,
                           session.Get<TemplateTextRepository>().Append(e));
  return Record(session, e, action);
}

// The text of `id` in `language` now in force, and whether it is an edit.
Result<std::pair<std::string, bool>> TextInForce(store::Session& session,
                                                 std::string_view id,
                                                 Language language) {
  MALCHIN_ASSIGN_OR_RETURN(auto edits,
                           session.Get<TemplateTextRepository>().Current());
  for (const TemplateTextEdit& e : edits) {
    if (e.template_id == id && e.language == language && e.text) {
      return std::make_pair(*e.text, true);
    }
  }
  MALCHIN_ASSIGN_OR_RETURN(auto shipped, TemplateCatalogue::Embedded());
  return std::make_pair(shipped->Find(id)->text.at(language), false);
}

}  // namespace

Result<std::shared_ptr<const TemplateCatalogue>> CatalogueInForce(
    store::Session& session,
    const std::shared_ptr<const TemplateCatalogue>& shipped) {
  MALCHIN_ASSIGN_OR_RETURN(auto edits,
                           session.Get<TemplateTextRepository>().Current());
  std::shared_ptr<const TemplateCatalogue> out = shipped;
  for (const TemplateTextEdit& e : edits) {
    if (!e.text) continue;  // Back to the shipped text.
    auto edited = out->WithText(e.template_id, e.language, *e.text);
    if (edited.ok()) out = std::move(*edited);
  }
  return out;
}

Result<std::shared_ptr<const TemplateCatalogue>> CatalogueInForce(
    store::Session& session) {
  MALCHIN_ASSIGN_OR_RETURN(auto shipped, TemplateCatalogue::Embedded());
  return CatalogueInForce(session, shipped);
}

Result<TextCheck> CheckTemplateText(const params::ParameterSet& parameters,
                                    Date on, std::string_view id,
                                    Language language, std::string_view text) {
  MALCHIN_ASSIGN_OR_RETURN(auto shipped, TemplateCatalogue::Embedded());
  MALCHIN_RETURN_IF_ERROR(Exists(*shipped, id));
  MALCHIN_ASSIGN_OR_RETURN(auto edited, shipped->WithText(id, language, text));
  TextCheck check;
  MALCHIN_ASSIGN_OR_RETURN(TemplateValues samples,
                           edited->SampleValues(id, false));
  MALCHIN_ASSIGN_OR_RETURN(
      check.sample,
      PreviewTemplate(*edited, id, language, samples, parameters, on));
  MALCHIN_ASSIGN_OR_RETURN(TemplateValues longest,
                           edited->SampleValues(id, true));
  MALCHIN_ASSIGN_OR_RETURN(
      check.longest,
      PreviewTemplate(*edited, id, language, longest, parameters, on));
  return check;
}

Result<TextCheck> EditTemplateText(store::Session& session,
                                   const params::ParameterSet& parameters,
                                   Date on, std::string_view id,
                                   Language language, std::string_view text,
                                   std::string_view note) {
  MALCHIN_ASSIGN_OR_RETURN(
      TextCheck check, CheckTemplateText(parameters, on, id, language, text));
  if (!check.longest.fits) {
    return Status::InvalidArgument(
        "мессеж хэт урт: хамгийн урт утгуудтай " +
            std::to_string(check.longest.plan.segments) +
            " хэсэг, дээд тал нь " +
            std::to_string(check.longest.max_segments) +
            " / the text is too long: with its longest values it takes " +
            std::to_string(check.longest.plan.segments) +
            " SMS segments, at most " +
            std::to_string(check.longest.max_segments) +
            " are allowed (sms.max_segments)",
        "text");
  }
  TemplateTextEdit e;
  e.template_id = std::string(id);
  e.language = language;
  e.text = std::string(text);
  e.note = std::string(note);
  MALCHIN_RETURN_IF_ERROR(session.Write(
      [&]() -> Status { return Append(session, e, "sms_template.edit"); }));
  return check;
}

Status ResetTemplateText(store::Session& session, std::string_view id,
                         Language language, std::string_view note) {
  MALCHIN_ASSIGN_OR_RETURN(auto shipped, TemplateCatalogue::Embedded());
  MALCHIN_RETURN_IF_ERROR(Exists(*shipped, id));
  return session.Write([&]() -> Status {
    MALCHIN_ASSIGN_OR_RETURN(auto now, TextInForce(session, id, language));
    if (!now.second) {
      return Status::FailedPrecondition(
          "'" + std::string(id) + "' (" + std::string(LanguageCode(language)) +
          ") анхны текстээрээ байна / already has its shipped text");
    }
    TemplateTextEdit e;
    e.template_id = std::string(id);
    e.language = language;
    e.note = std::string(note);
    return Append(session, e, "sms_template.reset");
  });
}

Result<std::vector<TemplateTextEdit>> TemplateHistory(store::Session& session,
                                                      std::string_view id) {
  MALCHIN_ASSIGN_OR_RETURN(auto shipped, TemplateCatalogue::Embedded());
  MALCHIN_RETURN_IF_ERROR(Exists(*shipped, id));
  return session.Get<TemplateTextRepository>().History(id);
}

}  // namespace malchin::channel
