#include "pdm/form.h"

#include <nlohmann/json.hpp>
#include <set>

namespace malchin::embedded {
extern const std::string_view kPdmStandardJson;
}  // namespace malchin::embedded

namespace malchin::pdm {
namespace {

using Json = nlohmann::ordered_json;

class ModuleReader {
 public:
  explicit ModuleReader(std::string_view file) : file_(file) {}

  Status Error(const std::string& path, const std::string& expected) const {
    return Status::InvalidArgument(
        file_ + ": " + path + ": expected " + expected, path);
  }

  Result<std::string> String(const Json& j, const std::string& path,
                             const char* key, bool required) const {
    auto it = j.find(key);
    if (it == j.end()) {
      if (required) return Error(path + "." + key, "a string");
      return std::string();
    }
    if (!it->is_string()) return Error(path + "." + key, "a string");
    return it->get<std::string>();
  }

  Result<Texts> TextsAt(const Json& j, const std::string& path,
                        const char* key) const {
    Texts out;
    auto it = j.find(key);
    if (it == j.end()) return out;
    if (!it->is_object()) {
      return Error(path + "." + key,
                   "an object of texts by language code, e.g. {\"mn\": ...}");
    }
    for (auto& [code, text] : it->items()) {
      if (!text.is_string()) {
        return Error(path + "." + key + "." + code, "a string");
      }
      out[code] = text.get<std::string>();
    }
    return out;
  }

  Result<Question> ReadQuestion(const Json& j, const std::string& path) const {
    if (!j.is_object()) return Error(path, "an object");
    Question q;
    MALCHIN_ASSIGN_OR_RETURN(q.type, String(j, path, "type", true));
    ParseType(q.type, &q.kind, &q.list);
    const bool end =
        q.kind == QuestionType::kEndGroup || q.kind == QuestionType::kEndRepeat;
    MALCHIN_ASSIGN_OR_RETURN(q.name, String(j, path, "name", !end));
    MALCHIN_ASSIGN_OR_RETURN(q.label, TextsAt(j, path, "label"));
    MALCHIN_ASSIGN_OR_RETURN(q.hint, TextsAt(j, path, "hint"));
    MALCHIN_ASSIGN_OR_RETURN(q.relevant, String(j, path, "relevant", false));
    MALCHIN_ASSIGN_OR_RETURN(q.constraint,
                             String(j, path, "constraint", false));
    MALCHIN_ASSIGN_OR_RETURN(q.constraint_message,
                             TextsAt(j, path, "constraint_message"));
    MALCHIN_ASSIGN_OR_RETURN(q.appearance,
                             String(j, path, "appearance", false));
    MALCHIN_ASSIGN_OR_RETURN(q.calculation,
                             String(j, path, "calculation", false));
    if (auto it = j.find("required"); it != j.end()) {
      if (!it->is_boolean()) return Error(path + ".required", "true or false");
      q.required = it->get<bool>();
    }
    static const std::set<std::string> kKeys = {
        "type",       "name",       "label",      "hint",
        "required",   "relevant",   "constraint", "constraint_message",
        "appearance", "calculation"};
    for (auto& [key, value] : j.items()) {
      if (!kKeys.count(key)) {
        return Error(path + "." + key,
                     "one of type, name, label, hint, required, relevant, "
                     "constraint, constraint_message, appearance, "
                     "calculation");
      }
    }
    return q;
  }

  Status ReadChoices(const Json& j, Form* form) const {
    if (!j.is_object()) {
      return Error("choices", "an object of choice lists by list name");
    }
    for (auto& [list_name, items] : j.items()) {
      const std::string path = "choices." + list_name;
      if (!items.is_array()) return Error(path, "an array of choices");
      ChoiceList list{list_name, {}};
      for (size_t i = 0; i < items.size(); ++i) {
        const std::string at = path + "[" + std::to_string(i) + "]";
        if (!items[i].is_object()) return Error(at, "an object");
        Choice c;
        MALCHIN_ASSIGN_OR_RETURN(c.name, String(items[i], at, "name", true));
        MALCHIN_ASSIGN_OR_RETURN(c.label, TextsAt(items[i], at, "label"));
        list.choices.push_back(std::move(c));
      }
      form->choices.push_back(std::move(list));
    }
    return Status::Ok();
  }

  Status ReadLanguages(const Json& j, Form* form) const {
    if (!j.is_array()) return Error("languages", "an array");
    for (size_t i = 0; i < j.size(); ++i) {
      const std::string at = "languages[" + std::to_string(i) + "]";
      if (!j[i].is_object()) return Error(at, "an object");
      Language l;
      MALCHIN_ASSIGN_OR_RETURN(l.name, String(j[i], at, "name", true));
      MALCHIN_ASSIGN_OR_RETURN(l.code, String(j[i], at, "code", true));
      form->languages.push_back(std::move(l));
    }
    return Status::Ok();
  }

 private:
  std::string file_;
};

Status CheckTexts(const Form& form, const Texts& texts, bool needed,
                  const std::string& what) {
  if (!needed && texts.empty()) return Status::Ok();
  for (const Language& l : form.languages) {
    if (!texts.count(l.code)) {
      return Status::InvalidArgument(what + " has no text in " + l.Spelled() +
                                     "; expected one in every language of "
                                     "the form");
    }
  }
  return Status::Ok();
}

}  // namespace

void ParseType(std::string_view type, QuestionType* kind, std::string* list) {
  list->clear();
  std::string_view head = type, rest;
  if (size_t sp = type.find(' '); sp != std::string_view::npos) {
    head = type.substr(0, sp);
    rest = type.substr(sp + 1);
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    while (!rest.empty() && rest.back() == ' ') rest.remove_suffix(1);
    constexpr std::string_view kOrOther = " or_other";
    if (rest.ends_with(kOrOther)) rest.remove_suffix(kOrOther.size());
  }
  static const std::map<std::string_view, QuestionType> kListed = {
      {"select_one", QuestionType::kSelectOne},
      {"select_multiple", QuestionType::kSelectMultiple},
      {"select_one_from_file", QuestionType::kSelectOneFromFile},
      {"select_multiple_from_file", QuestionType::kSelectMultipleFromFile}};
  if (auto it = kListed.find(head); it != kListed.end()) {
    *kind = rest.empty() || rest.find(' ') != std::string_view::npos
                ? QuestionType::kOther
                : it->second;
    *list = std::string(rest);
    return;
  }
  static const std::map<std::string_view, QuestionType> kPlain = {
      {"begin_group", QuestionType::kBeginGroup},
      {"begin group", QuestionType::kBeginGroup},
      {"end_group", QuestionType::kEndGroup},
      {"end group", QuestionType::kEndGroup},
      {"begin_repeat", QuestionType::kBeginRepeat},
      {"begin repeat", QuestionType::kBeginRepeat},
      {"end_repeat", QuestionType::kEndRepeat},
      {"end repeat", QuestionType::kEndRepeat},
      {"integer", QuestionType::kInteger},
      {"decimal", QuestionType::kDecimal},
      {"date", QuestionType::kDate},
      {"text", QuestionType::kText},
      {"note", QuestionType::kNote},
      {"calculate", QuestionType::kCalculate},
      {"start", QuestionType::kMetadata},
      {"end", QuestionType::kMetadata},
      {"today", QuestionType::kMetadata},
      {"deviceid", QuestionType::kMetadata},
      {"username", QuestionType::kMetadata},
      {"phonenumber", QuestionType::kMetadata},
      {"audit", QuestionType::kMetadata}};
  auto it = kPlain.find(type);
  *kind = it == kPlain.end() ? QuestionType::kOther : it->second;
}

bool IsSelect(QuestionType kind) {
  return kind == QuestionType::kSelectOne ||
         kind == QuestionType::kSelectMultiple ||
         kind == QuestionType::kSelectOneFromFile ||
         kind == QuestionType::kSelectMultipleFromFile;
}

const Choice* ChoiceList::Find(std::string_view n) const {
  for (const Choice& c : choices) {
    if (c.name == n) return &c;
  }
  return nullptr;
}

const Question* Form::FindQuestion(std::string_view n) const {
  for (const Question& q : survey) {
    if (!q.name.empty() && q.name == n) return &q;
  }
  return nullptr;
}

const ChoiceList* Form::FindList(std::string_view n) const {
  for (const ChoiceList& l : choices) {
    if (l.name == n) return &l;
  }
  return nullptr;
}

Result<Form> ParseModule(std::string_view file_name, std::string_view json) {
  ModuleReader r(file_name);
  Json j = Json::parse(json, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return r.Error("$", "a JSON object (a PDM module)");
  }
  Form form;
  MALCHIN_ASSIGN_OR_RETURN(std::string format,
                           r.String(j, "$", "format", false));
  if (!format.empty() && format != "malchin-pdm-module/1") {
    return r.Error("format",
                   "\"malchin-pdm-module/1\", got \"" + format + "\"");
  }
  MALCHIN_ASSIGN_OR_RETURN(Texts title, r.TextsAt(j, "$", "title"));
  MALCHIN_ASSIGN_OR_RETURN(form.id, r.String(j, "$", "id", false));
  MALCHIN_ASSIGN_OR_RETURN(form.version, r.String(j, "$", "version", false));
  if (auto it = j.find("languages"); it != j.end()) {
    MALCHIN_RETURN_IF_ERROR(r.ReadLanguages(*it, &form));
  }
  if (!form.languages.empty() && title.count(form.languages[0].code)) {
    form.title = title[form.languages[0].code];
  }
  auto qs = j.find("questions");
  if (qs == j.end() || !qs->is_array()) {
    return r.Error("questions", "an array of questions");
  }
  for (size_t i = 0; i < qs->size(); ++i) {
    MALCHIN_ASSIGN_OR_RETURN(
        Question q,
        r.ReadQuestion((*qs)[i], "questions[" + std::to_string(i) + "]"));
    form.survey.push_back(std::move(q));
  }
  if (auto it = j.find("choices"); it != j.end()) {
    MALCHIN_RETURN_IF_ERROR(r.ReadChoices(*it, &form));
  }
  return form;
}

Result<Form> StandardPdmForm() {
  return ParseModule("pdm_standard.json", embedded::kPdmStandardJson);
}

Status AppendModule(const Form& module, Form* form) {
  for (const Question& q : module.survey) {
    if (!q.name.empty() && form->FindQuestion(q.name)) {
      return Status::InvalidArgument("question '" + q.name +
                                     "' is already in the form; expected a "
                                     "new name");
    }
    const bool labelled = q.kind != QuestionType::kEndGroup &&
                          q.kind != QuestionType::kEndRepeat &&
                          q.kind != QuestionType::kMetadata &&
                          q.kind != QuestionType::kCalculate;
    MALCHIN_RETURN_IF_ERROR(CheckTexts(
        *form, q.label, labelled, "the label of question '" + q.name + "'"));
    MALCHIN_RETURN_IF_ERROR(
        CheckTexts(*form, q.hint, false, "the hint of '" + q.name + "'"));
  }
  for (const ChoiceList& l : module.choices) {
    if (form->FindList(l.name)) {
      return Status::InvalidArgument("choice list '" + l.name +
                                     "' is already in the form; expected a "
                                     "new name");
    }
    for (const Choice& c : l.choices) {
      MALCHIN_RETURN_IF_ERROR(
          CheckTexts(*form, c.label, true,
                     "choice '" + c.name + "' of list '" + l.name + "'"));
    }
  }
  form->survey.insert(form->survey.end(), module.survey.begin(),
                      module.survey.end());
  form->choices.insert(form->choices.end(), module.choices.begin(),
                       module.choices.end());
  return Status::Ok();
}

}  // namespace malchin::pdm
