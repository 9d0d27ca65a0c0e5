#include "pdm/xlsform.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "csv/csv.h"
#include "pdm/xlsform_header.h"

namespace malchin::pdm {
namespace {

// One column per language ("label::Mongolian (mn)"), or one plain column.
std::vector<std::string> TranslatedColumns(const Form& form,
                                           const std::string& base) {
  std::vector<std::string> out;
  for (const Language& l : form.languages)
    out.push_back(base + "::" + l.Spelled());
  if (out.empty()) out.push_back(base);
  return out;
}

void AppendTexts(const Form& form, const Texts& texts,
                 std::vector<std::string>* row) {
  if (form.languages.empty()) {
    auto it = texts.find("");
    row->push_back(it == texts.end() ? "" : it->second);
    return;
  }
  for (const Language& l : form.languages) {
    auto it = texts.find(l.code);
    row->push_back(it == texts.end() ? "" : it->second);
  }
}

Sheet SurveySheet(const Form& form) {
  Sheet s{"survey", {}};
  std::vector<std::string> header = {"type", "name"};
  for (const char* base : {"label", "hint"}) {
    for (auto& c : TranslatedColumns(form, base)) header.push_back(c);
  }
  header.insert(header.end(), {"required", "relevant", "constraint"});
  for (auto& c : TranslatedColumns(form, "constraint_message")) {
    header.push_back(c);
  }
  header.insert(header.end(), {"appearance", "calculation"});
  s.rows.push_back(std::move(header));
  for (const Question& q : form.survey) {
    std::vector<std::string> row = {q.type, q.name};
    AppendTexts(form, q.label, &row);
    AppendTexts(form, q.hint, &row);
    row.insert(row.end(), {q.required ? "yes" : "", q.relevant, q.constraint});
    AppendTexts(form, q.constraint_message, &row);
    row.insert(row.end(), {q.appearance, q.calculation});
    s.rows.push_back(std::move(row));
  }
  return s;
}

Sheet ChoicesSheet(const Form& form) {
  Sheet s{"choices", {}};
  std::vector<std::string> header = {"list_name", "name"};
  for (auto& c : TranslatedColumns(form, "label")) header.push_back(c);
  s.rows.push_back(std::move(header));
  for (const ChoiceList& list : form.choices) {
    for (const Choice& c : list.choices) {
      std::vector<std::string> row = {list.name, c.name};
      AppendTexts(form, c.label, &row);
      s.rows.push_back(std::move(row));
    }
  }
  return s;
}

std::string ProblemList(const std::vector<Problem>& problems) {
  std::string out;
  size_t shown = 0;
  for (const Problem& p : problems) {
    if (p.severity != Problem::Severity::kError) continue;
    if (++shown > 20) {
      out += "; ...";
      break;
    }
    out += (out.empty() ? "" : "; ") + p.Message();
  }
  return out;
}

// Texts of row r from the translated columns `base`, keyed by code.
Texts ReadTexts(const Sheet& s, size_t r, const internal::SheetHeader& h,
                const std::string& base) {
  Texts out;
  auto it = h.columns.find(base);
  if (it == h.columns.end()) return out;
  for (const auto& [lang, col] : it->second) {
    std::string name, code = lang;
    internal::SplitLanguage(lang, &name, &code);
    if (!s.Cell(r, col).empty()) out[code] = std::string(s.Cell(r, col));
  }
  return out;
}

std::string Text(const Sheet& s, size_t r, const internal::SheetHeader& h,
                 std::string_view base) {
  const int c = h.Index(base);
  return c < 0 ? std::string() : std::string(s.Cell(r, c));
}

void ReadSettings(const Workbook& wb, const internal::SheetHeader& survey,
                  Form* form) {
  std::string default_language;
  if (const Sheet* st = wb.Find("settings"); st && st->rows.size() > 1) {
    internal::SheetHeader h = internal::SheetHeader::Parse(st->rows[0]);
    form->title = Text(*st, 1, h, "form_title");
    form->id = Text(*st, 1, h, "form_id");
    form->version = Text(*st, 1, h, "version");
    default_language = Text(*st, 1, h, "default_language");
  }
  std::vector<std::string> order = survey.label_languages;
  auto def = std::find(order.begin(), order.end(), default_language);
  if (def != order.end()) std::rotate(order.begin(), def, def + 1);
  for (const std::string& spelled : order) {
    if (spelled.empty()) continue;
    Language l{spelled, spelled};
    internal::SplitLanguage(spelled, &l.name, &l.code);
    form->languages.push_back(std::move(l));
  }
}

}  // namespace

Workbook FormToWorkbook(const Form& form) {
  Workbook wb;
  wb.sheets.push_back(SurveySheet(form));
  wb.sheets.push_back(ChoicesSheet(form));
  const std::string lang =
      form.languages.empty() ? "" : form.languages[0].Spelled();
  wb.sheets.push_back(
      {"settings",
       {{"form_title", "form_id", "version", "default_language"},
        {form.title, form.id, form.version, lang}}});
  return wb;
}

std::vector<Problem> CheckForm(const Form& form) {
  return ValidateWorkbook(FormToWorkbook(form), form.id + ".xlsx");
}

Result<std::vector<Problem>> ValidateXlsForm(const std::string& path) {
  MALCHIN_ASSIGN_OR_RETURN(Workbook wb, ReadXlsx(path));
  return ValidateWorkbook(wb, std::filesystem::path(path).filename().string());
}

Result<Form> FormFromWorkbook(const Workbook& wb, std::string_view file_name) {
  std::vector<Problem> problems = ValidateWorkbook(wb, file_name);
  if (HasErrors(problems)) {
    return Status::InvalidArgument(ProblemList(problems));
  }
  Form form;
  const Sheet& survey = *wb.Find("survey");
  const auto sh = internal::SheetHeader::Parse(survey.rows[0]);
  ReadSettings(wb, sh, &form);
  for (size_t r = 1; r < survey.rows.size(); ++r) {
    Question q;
    q.type = Text(survey, r, sh, "type");
    if (q.type.empty()) continue;
    ParseType(q.type, &q.kind, &q.list);
    q.name = Text(survey, r, sh, "name");
    q.label = ReadTexts(survey, r, sh, "label");
    q.hint = ReadTexts(survey, r, sh, "hint");
    std::string req = Text(survey, r, sh, "required");
    std::transform(req.begin(), req.end(), req.begin(), ::tolower);
    q.required = req == "yes" || req == "true" || req == "true()" || req == "1";
    q.relevant = Text(survey, r, sh, "relevant");
    q.constraint = Text(survey, r, sh, "constraint");
    q.constraint_message = ReadTexts(survey, r, sh, "constraint_message");
    q.appearance = Text(survey, r, sh, "appearance");
    q.calculation = Text(survey, r, sh, "calculation");
    form.survey.push_back(std::move(q));
  }
  if (const Sheet* ch = wb.Find("choices"); ch && !ch->rows.empty()) {
    const auto chh = internal::SheetHeader::Parse(ch->rows[0]);
    for (size_t r = 1; r < ch->rows.size(); ++r) {
      const std::string list = Text(*ch, r, chh, "list_name");
      if (list.empty()) continue;
      ChoiceList* target = nullptr;
      for (ChoiceList& l : form.choices) {
        if (l.name == list) target = &l;
      }
      if (target == nullptr) {
        form.choices.push_back({list, {}});
        target = &form.choices.back();
      }
      target->choices.push_back(
          {Text(*ch, r, chh, "name"), ReadTexts(*ch, r, chh, "label")});
    }
  }
  return form;
}

Result<Form> ReadXlsForm(const std::string& path) {
  MALCHIN_ASSIGN_OR_RETURN(Workbook wb, ReadXlsx(path));
  return FormFromWorkbook(wb, std::filesystem::path(path).filename().string());
}

std::string RespondentsCsv(const Sample& sample) {
  std::string out;
  csv::AppendRow(&out, {"name", "label", "household", "payee", "soum", "aimag",
                        "stratum", "rank", "replacement"});
  for (const SampledUnit& s : sample.units) {
    const Unit& u = s.unit;
    const std::string soum = std::to_string(u.soum_code);
    const std::string aimag = std::to_string(u.aimag_code);
    const std::string rank = std::to_string(s.rank);
    const std::string label = u.label.empty() ? u.beneficiary_id : u.label;
    csv::AppendRow(&out, {u.beneficiary_id, label, u.beneficiary_id, u.payee_id,
                          soum, aimag, sample.strata[s.stratum].label, rank,
                          s.replacement ? "1" : "0"});
  }
  return out;
}

Result<WrittenForm> WritePdmForm(const Form& form, const Sample& sample,
                                 const std::string& dir,
                                 std::string_view respondent_question) {
  std::vector<Problem> problems = CheckForm(form);
  if (!internal::IsNcName(form.id)) {
    problems.push_back({Problem::Severity::kError,
                        form.id + ".xlsx",
                        0,
                        {},
                        "settings.form_id",
                        form.id,
                        "a form id usable as a file name (letters, digits, "
                        "_, - or ., starting with a letter)"});
  }
  const Question* q = form.FindQuestion(respondent_question);
  if (q == nullptr || q->kind != QuestionType::kSelectOneFromFile ||
      !q->list.ends_with(".csv")) {
    problems.push_back({Problem::Severity::kError,
                        form.id + ".xlsx",
                        0,
                        {},
                        std::string(respondent_question),
                        q ? q->type : "",
                        "a question 'select_one_from_file <file>.csv' named " +
                            std::string(respondent_question)});
  }
  if (HasErrors(problems)) {
    return Status::InvalidArgument("the form cannot be written: " +
                                   ProblemList(problems));
  }
  WrittenForm out;
  out.xlsx_path = (std::filesystem::path(dir) / (form.id + ".xlsx")).string();
  out.respondents_path = (std::filesystem::path(dir) / q->list).string();
  const std::string tmp = out.respondents_path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f << RespondentsCsv(sample);
    if (!f.flush()) return Status::Internal("cannot write " + tmp);
  }
  std::error_code ec;
  std::filesystem::rename(tmp, out.respondents_path, ec);
  if (ec) return Status::Internal("cannot rename " + tmp + ": " + ec.message());
  MALCHIN_RETURN_IF_ERROR(WriteXlsx(FormToWorkbook(form), out.xlsx_path));
  return out;
}

}  // namespace malchin::pdm
