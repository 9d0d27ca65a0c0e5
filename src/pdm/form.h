// A questionnaire as data: the PDM form, or any XLSForm read back.
//
// A Form is what an XLSForm says (survey rows, choice lists, settings) in
// plain structs. It is written from modules (JSON files, docs/pdm.md §2):
// the standard PDM module shipped in src/pdm/data/pdm_standard.json
// (embedded), and any module the ministry adds, appended after it. Labels
// and hints carry one text per language of the form.
//
// Module format ("malchin-pdm-module/1"):
//   {"format": "malchin-pdm-module/1",
//    "title": {"mn": "...", "en": "..."}, "id": "malchin_pdm",
//    "version": "2025.1",
//    "languages": [{"name": "Mongolian", "code": "mn"}, ...],  first = default
//    "questions": [{"type": "select_one yes_no", "name": "received",
//                   "label": {"mn": "...", "en": "..."}, "hint": {...},
//                   "required": true, "relevant": "${consent} = 'yes'",
//                   "constraint": ". >= 0", "constraint_message": {...},
//                   "appearance": "...", "calculation": "..."}, ...],
//    "choices": {"yes_no": [{"name": "yes", "label": {...}}, ...]}}
// An extension module may leave out format, title, id, version and
// languages; it inherits the form's.
//
// Thread-safety: plain values.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace malchin::pdm {

// One language of the form. XLSForm spells it "Mongolian (mn)" in column
// names (label::Mongolian (mn)) and in settings.default_language.
struct Language {
  std::string name;  // "Mongolian"
  std::string code;  // "mn" (an IANA subtag)
  std::string Spelled() const { return name + " (" + code + ")"; }
};

// A text in every language of the form, by language code.
using Texts = std::map<std::string, std::string, std::less<>>;

enum class QuestionType : uint8_t {
  kBeginGroup,
  kEndGroup,
  kBeginRepeat,  // read from an XLSForm; never written, not ingested
  kEndRepeat,
  kSelectOne,
  kSelectMultiple,
  kSelectOneFromFile,
  kSelectMultipleFromFile,
  kInteger,
  kDecimal,
  kDate,
  kText,
  kNote,
  kCalculate,
  kMetadata,  // start, end, today, deviceid, username, ... (no label)
  kOther,     // any other XLSForm type (geopoint, time, ...): kept as text
};

struct Question {
  QuestionType kind = QuestionType::kText;
  std::string type;  // as XLSForm writes it: "select_one yes_no", "integer"
  std::string list;  // the choice list (select_*) or file (*_from_file)
  std::string name;
  Texts label;
  Texts hint;
  bool required = false;
  std::string relevant;    // XLSForm expressions, as written
  std::string constraint;  // (pdm/expression.h evaluates a subset)
  Texts constraint_message;
  std::string appearance;
  std::string calculation;
};

// Splits an XLSForm type ("select_one yes_no", "begin group", "integer")
// into its kind and list/file. Unknown types are kOther; "select_one" with
// no list name is kOther too (the validator reports it).
void ParseType(std::string_view type, QuestionType* kind, std::string* list);
// True for the kinds whose answers are choice names.
bool IsSelect(QuestionType kind);

struct Choice {
  std::string name;
  Texts label;
};

struct ChoiceList {
  std::string name;
  std::vector<Choice> choices;
  const Choice* Find(std::string_view name) const;  // nullptr if absent
};

struct Form {
  std::string title;  // in the default language
  std::string id;     // settings.form_id
  std::string version;
  std::vector<Language> languages;  // languages[0] is the default
  std::vector<Question> survey;
  std::vector<ChoiceList> choices;

  // nullptr if there is no question / list of that name.
  const Question* FindQuestion(std::string_view name) const;
  const ChoiceList* FindList(std::string_view name) const;
};

// Parses a module (format above). InvalidArgument naming `file_name`, the
// JSON path (e.g. questions[4].label) and what was expected. Structure
// only: XLSForm rules are checked by CheckForm (pdm/xlsform.h).
Result<Form> ParseModule(std::string_view file_name, std::string_view json);

// The standard PDM questionnaire (data/pdm_standard.json, embedded).
Result<Form> StandardPdmForm();

// Appends `module`'s questions after the form's and adds its choice lists.
// InvalidArgument (form unchanged) if a question or list name is already
// used, or a label, hint or choice label lacks one of the form's languages.
Status AppendModule(const Form& module, Form* form);

}  // namespace malchin::pdm
