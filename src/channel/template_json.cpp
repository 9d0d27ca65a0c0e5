// JSON of the templates and their edits (template_texts.h).
#include <nlohmann/json.hpp>

#include "channel/template_texts.h"

namespace malchin::channel {
namespace {

using nlohmann::json;
constexpr Language kLanguages[] = {Language::kMongolian, Language::kEnglish};

json Texts(const MessageTemplate& shipped, const MessageTemplate& in_force) {
  json texts = json::object();
  for (Language l : kLanguages) {
    const std::string& now = in_force.text.at(l);
    texts[std::string(LanguageCode(l))] = {
        {"text", now}, {"edited", now != shipped.text.at(l)}};
  }
  return texts;
}

json Summary(const TemplateCatalogue& shipped,
             const TemplateCatalogue& in_force, const std::string& id) {
  const MessageTemplate& t = *shipped.Find(id);
  return {{"id", id},
          {"description", t.description},
          {"texts", Texts(t, *in_force.Find(id))}};
}

json Preview(const SmsPreview& p) {
  return {{"text", p.text},
          {"segments", p.plan.segments},
          {"characters", p.plan.characters},
          {"coding", SmsCodingName(p.plan.coding)},
          {"cost", p.cost},
          {"max_segments", p.max_segments},
          {"fits", p.fits}};
}

}  // namespace

std::string TemplatesToJson(const TemplateCatalogue& shipped,
                            const TemplateCatalogue& in_force) {
  json items = json::array();
  for (const std::string& id : shipped.Ids()) {
    items.push_back(Summary(shipped, in_force, id));
  }
  return json{{"items", items}}.dump();
}

std::string TemplateToJson(const TemplateCatalogue& shipped,
                           const TemplateCatalogue& in_force,
                           std::string_view id,
                           const std::vector<TemplateTextEdit>& history) {
  json j = Summary(shipped, in_force, std::string(id));
  const MessageTemplate& t = *shipped.Find(id);
  json params = json::array();
  for (const TemplateParameter& p : t.parameters) {
    params.push_back({{"name", p.name},
                      {"description", p.description},
                      {"sample", p.sample},
                      {"max_length", p.max_length}});
  }
  j["parameters"] = params;
  for (Language l : kLanguages) {
    j["shipped"][std::string(LanguageCode(l))] = t.text.at(l);
  }
  json edits = json::array();
  for (const TemplateTextEdit& e : history) {
    edits.push_back({{"id", e.id},
                     {"language", LanguageCode(e.language)},
                     {"text", e.text ? json(*e.text) : json(nullptr)},
                     {"reset", !e.text.has_value()},
                     {"edited_by", e.edited_by},
                     {"edited_at", e.edited_at},
                     {"note", e.note}});
  }
  j["history"] = edits;
  return j.dump();
}

std::string ToJson(const TextCheck& check) {
  return json{{"sample", Preview(check.sample)},
              {"longest", Preview(check.longest)}}
      .dump();
}

}  // namespace malchin::channel
