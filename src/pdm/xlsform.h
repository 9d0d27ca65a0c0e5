// XLSForm: the PDM questionnaire as the .xlsx that KoBoToolbox deploys, the
// respondent list it preloads, and the structural checks of an XLSForm.
//
// Layout written (docs/pdm.md §2): sheet `survey` with type, name,
// label::<Language (code)> per language, hint::..., required, relevant,
// constraint, constraint_message::..., appearance, calculation; sheet
// `choices` with list_name, name, label::...; sheet `settings` with
// form_title, form_id, version, default_language.
//
// Rules ValidateWorkbook checks (each breach is one Problem naming the
// sheet, row, column and value):
//   S1 a sheet `survey`; a sheet `choices` when a select_one/select_multiple
//      uses a list; other sheet names must be choices, settings,
//      external_choices, osm, entities or start with "_" (warning).
//   S2 survey columns type, name, label; choices columns list_name (or
//      "list name"), name, label. A label may be split by language
//      (label::Mongolian (mn)). No header with a leading or trailing space;
//      no choices header with a space inside (but "list name").
//   S3 every non-empty survey row has a known type; select_one and
//      select_multiple name a list that exists in choices; a
//      *_from_file type names a .csv, .xml or .geojson file.
//   S4 every survey row but an end of group/repeat has a name; names follow
//      the XML NCName rule (a letter or _ first, then letters, digits, _, -
//      or .; letters may be any Unicode letter); names are unique in the
//      whole form (stricter than pyxform, which allows the same name in
//      different groups: KoBo exports without group paths would then
//      collide); `meta` is reserved.
//   S5 groups and repeats open and close in order.
//   S6 a question that shows text (not a group, calculate or metadata) has
//      a label; required is yes/no/true/false/TRUE()/FALSE()/1/0 or empty;
//      every ${name} in relevant, constraint, calculation and choice_filter
//      is a question of the form.
//   S7 every choice row has a list_name, a name and a label; a name is
//      unique within its list; the choice names of a list used by a
//      select_multiple contain no space.
//   S8 languages: every translated column (label, hint, constraint_message,
//      ...) of either sheet uses a language that survey's labels use;
//      choices' labels use the same languages as survey's; a language is
//      spelled "Name (code)" (warning otherwise); settings.default_language,
//      if set, is one of them; a labelled row has text in every language
//      (warning: the phone shows a dash).
//
// Thread-safety: pure functions, except that the writers create files.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "pdm/form.h"
#include "pdm/problem.h"
#include "pdm/sample.h"
#include "pdm/xlsx.h"

namespace malchin::pdm {

// The three sheets `form` becomes.
Workbook FormToWorkbook(const Form& form);

// The rules above. Empty when the workbook is a valid XLSForm. `file_name`
// goes into the problems.
std::vector<Problem> ValidateWorkbook(const Workbook& workbook,
                                      std::string_view file_name);

// Reads the .xlsx at `path` and validates it. The Result is an error only
// when the file cannot be read as an .xlsx (ReadXlsx); XLSForm problems are
// the value.
Result<std::vector<Problem>> ValidateXlsForm(const std::string& path);

// ValidateWorkbook(FormToWorkbook(form)): what writing `form` would break.
std::vector<Problem> CheckForm(const Form& form);

// A Form from an XLSForm workbook (e.g. the RIMA questionnaire, to ingest
// its KoBo exports). InvalidArgument listing the errors (up to 20) if the
// workbook breaks a rule; warnings are ignored. Languages are those of the
// survey labels, the default language first; an untranslated `label`
// column gives a form without languages whose texts are keyed "".
Result<Form> FormFromWorkbook(const Workbook& workbook,
                              std::string_view file_name);
// ReadXlsx then FormFromWorkbook.
Result<Form> ReadXlsForm(const std::string& path);

// The respondent list for select_one_from_file: CSV (comma, UTF-8, "\n")
// with columns name (beneficiary id), label (the unit's label, or its id),
// household, payee, soum, aimag, stratum, rank, replacement (0/1): the
// selected units and the replacements, in Sample::units order.
std::string RespondentsCsv(const Sample& sample);

struct WrittenForm {
  std::string xlsx_path;         // <dir>/<form.id>.xlsx
  std::string respondents_path;  // <dir>/<file of the respondent question>
};

// Writes the form and its respondent list into `dir` (which must exist).
// The respondent list goes to the file named by the form's
// select_one_from_file question called `respondent_question`. Checks first:
// InvalidArgument listing the problems, and nothing written, if the form
// breaks a rule, has no such question or an id that is not an NCName (it
// names the file); Internal if a file cannot be
// written (each file is written under a temporary name and renamed).
Result<WrittenForm> WritePdmForm(
    const Form& form, const Sample& sample, const std::string& dir,
    std::string_view respondent_question = "respondent");

}  // namespace malchin::pdm
