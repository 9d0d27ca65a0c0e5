// The XLSForm structural rules S1-S8 (xlsform.h).
#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "pdm/xlsform.h"
#include "pdm/xlsform_header.h"

namespace malchin::pdm {
namespace internal {

SheetHeader SheetHeader::Parse(const std::vector<std::string>& row) {
  SheetHeader h;
  for (size_t c = 0; c < row.size(); ++c) {
    std::string cell = row[c];
    if (cell.empty()) continue;
    if (cell.front() == ' ' || cell.back() == ' ') h.padded.push_back(cell);
    cell.erase(0, cell.find_first_not_of(' '));
    cell.erase(cell.find_last_not_of(' ') + 1);
    std::string base = cell, lang;
    if (size_t sep = cell.find("::"); sep != std::string::npos) {
      base = cell.substr(0, sep);
      lang = cell.substr(sep + 2);
      lang.erase(0, lang.find_first_not_of(' '));
    }
    if (base == "list name") base = "list_name";
    if (base == "label") h.label_languages.push_back(lang);
    h.columns[base].emplace(lang, c);
  }
  return h;
}

int SheetHeader::Index(std::string_view base) const {
  auto it = columns.find(base);
  if (it == columns.end()) return -1;
  auto l = it->second.find("");
  return l == it->second.end() ? -1 : static_cast<int>(l->second);
}

bool SplitLanguage(std::string_view s, std::string* name, std::string* code) {
  const size_t open = s.rfind(" (");
  if (open == std::string_view::npos || open == 0 || !s.ends_with(")")) {
    return false;
  }
  std::string_view c = s.substr(open + 2, s.size() - open - 3);
  const size_t primary = std::min(c.find('-'), c.size());
  if (primary < 2 || primary > 3) return false;
  for (size_t i = 0; i < primary; ++i) {
    if (c[i] < 'a' || c[i] > 'z') return false;
  }
  *name = std::string(s.substr(0, open));
  *code = std::string(c);
  return true;
}

bool IsKnownOtherType(std::string_view type) {
  static const std::set<std::string_view> kTypes = {"geopoint",
                                                    "geotrace",
                                                    "geoshape",
                                                    "time",
                                                    "datetime",
                                                    "image",
                                                    "audio",
                                                    "video",
                                                    "file",
                                                    "barcode",
                                                    "acknowledge",
                                                    "range",
                                                    "hidden",
                                                    "xml-external",
                                                    "csv-external",
                                                    "background-audio",
                                                    "begin_loop",
                                                    "end_loop",
                                                    "simserial",
                                                    "subscriberid",
                                                    "email",
                                                    "rank",
                                                    "select_one_external"};
  const std::string_view head = type.substr(0, type.find(' '));
  return kTypes.count(head) > 0;
}

std::vector<std::string> ScanReferences(std::string_view e) {
  std::vector<std::string> out;
  for (size_t at = e.find("${"); at != std::string_view::npos;
       at = e.find("${", at + 2)) {
    const size_t end = e.find('}', at + 2);
    if (end == std::string_view::npos) break;
    out.emplace_back(e.substr(at + 2, end - at - 2));
  }
  return out;
}

bool IsNcName(std::string_view n) {
  if (n.empty()) return false;
  auto letter = [](unsigned char c) {
    return std::isalpha(c) || c == '_' || c >= 0x80;  // UTF-8: any letter
  };
  if (!letter(static_cast<unsigned char>(n[0]))) return false;
  for (unsigned char c : n) {
    if (!letter(c) && !std::isdigit(c) && c != '-' && c != '.') return false;
  }
  return true;
}

}  // namespace internal

namespace {

using internal::SheetHeader;
constexpr Problem::Severity kWarn = Problem::Severity::kWarning;

bool Blank(const std::vector<std::string>& row) {
  return std::all_of(row.begin(), row.end(),
                     [](const std::string& c) { return c.empty(); });
}

class Checker {
 public:
  Checker(const Workbook& wb, std::string_view file) : wb_(wb), file_(file) {}

  std::vector<Problem> Run() {
    CheckSheets();
    const Sheet* survey = wb_.Find("survey");
    if (survey == nullptr) return std::move(problems_);
    const Sheet* choices = wb_.Find("choices");
    survey_ = SheetHeader::Parse(
        survey->rows.empty() ? std::vector<std::string>{} : survey->rows[0]);
    CheckHeader("survey", survey_, {"type", "name", "label"});
    if (choices != nullptr && !choices->rows.empty()) {
      choices_ = SheetHeader::Parse(choices->rows[0]);
      CheckHeader("choices", choices_, {"list_name", "name", "label"});
    }
    CheckLanguages(choices != nullptr);
    CheckSurvey(*survey);
    if (choices != nullptr) CheckChoices(*choices);
    CheckListsExist(choices != nullptr);
    return std::move(problems_);
  }

 private:
  void Add(size_t row, std::string field, std::string value,
           std::string expected,
           Problem::Severity s = Problem::Severity::kError) {
    problems_.push_back({s,
                         file_,
                         row,
                         {},
                         std::move(field),
                         std::move(value),
                         std::move(expected)});
  }

  void CheckSheets() {
    static const std::set<std::string_view> kKnown = {
        "survey", "choices", "settings", "external_choices", "osm", "entities"};
    if (wb_.Find("survey") == nullptr) {
      Add(0, "sheet", "", "a sheet named 'survey'");
    }
    for (const Sheet& s : wb_.sheets) {
      if (!kKnown.count(s.name) && !s.name.starts_with("_")) {
        Add(0, "sheet", s.name,
            "one of survey, choices, settings, external_choices, osm, "
            "entities (or a name starting with _)",
            kWarn);
      }
    }
  }

  void CheckHeader(const std::string& sheet, const SheetHeader& h,
                   std::initializer_list<const char*> required) {
    for (const char* col : required) {
      if (!h.Has(col)) Add(1, sheet, "", std::string("a column '") + col + "'");
    }
    for (const std::string& p : h.padded) {
      Add(1, sheet, p, "a column name without leading or trailing spaces");
    }
    if (sheet != "choices") return;
    for (const auto& [base, langs] : h.columns) {
      if (base.find(' ') != std::string::npos) {
        Add(1, sheet, base, "a column name without spaces");
      }
    }
  }

  // S8 at the header level.
  void CheckLanguages(bool has_choices) {
    std::set<std::string> langs(survey_.label_languages.begin(),
                                survey_.label_languages.end());
    for (const std::string& l : langs) {
      std::string name, code;
      if (!l.empty() && !internal::SplitLanguage(l, &name, &code)) {
        Add(1, "survey.label::" + l, l,
            "a language spelled 'Name (code)', e.g. 'Mongolian (mn)'", kWarn);
      }
    }
    auto check_sheet = [&](const char* sheet, const SheetHeader& h) {
      for (const auto& [base, by_lang] : h.columns) {
        for (const auto& [lang, col] : by_lang) {
          if (!lang.empty() && !langs.count(lang)) {
            Add(1, std::string(sheet) + "." + base + "::" + lang, lang,
                "a language that survey's label columns use");
          }
        }
      }
    };
    check_sheet("survey", survey_);
    if (has_choices) {
      check_sheet("choices", choices_);
      std::set<std::string> cl(choices_.label_languages.begin(),
                               choices_.label_languages.end());
      for (const std::string& l : langs) {
        if (!cl.empty() && !cl.count(l)) {
          Add(1, "choices.label", l.empty() ? "label" : "label::" + l,
              "the same label languages as the survey sheet");
        }
      }
    }
    const Sheet* settings = wb_.Find("settings");
    if (settings && settings->rows.size() > 1) {
      SheetHeader sh = SheetHeader::Parse(settings->rows[0]);
      const int col = sh.Index("default_language");
      const std::string_view dl =
          col < 0 ? std::string_view() : settings->Cell(1, col);
      if (!dl.empty() && !langs.count(std::string(dl))) {
        Add(2, "settings.default_language", std::string(dl),
            "one of the languages of the label columns");
      }
    }
  }

  std::string_view At(const Sheet& s, size_t r, const SheetHeader& h,
                      std::string_view base) const {
    const int c = h.Index(base);
    return c < 0 ? std::string_view() : s.Cell(r, c);
  }

  // Label texts of row r: present languages and missing ones.
  void CheckLabel(const Sheet& s, size_t r, const SheetHeader& h,
                  const std::string& sheet, const std::string& name,
                  bool needed) {
    auto it = h.columns.find("label");
    if (it == h.columns.end()) return;
    std::vector<std::string> missing;
    for (const auto& [lang, col] : it->second) {
      if (s.Cell(r, col).empty())
        missing.push_back(lang.empty() ? "label" : lang);
    }
    if (missing.size() == it->second.size()) {
      if (needed) Add(r + 1, sheet + ".label", name, "a label");
    } else if (!missing.empty()) {
      std::string list;
      for (const std::string& m : missing)
        list += (list.empty() ? "" : ", ") + m;
      Add(r + 1, sheet + ".label", name, "a label in " + list, kWarn);
    }
  }

  void CheckSurvey(const Sheet& s);
  void CheckSurveyRow(const Sheet& s, size_t r, std::vector<size_t>* groups);
  void CheckChoices(const Sheet& s);
  void CheckListsExist(bool has_choices);

  const Workbook& wb_;
  std::string file_;
  SheetHeader survey_, choices_;
  std::vector<Problem> problems_;
  std::map<std::string, size_t> names_;       // question name -> row
  std::map<std::string, size_t> lists_used_;  // list -> first row using it
  std::set<std::string> multiple_lists_;      // used by select_multiple
  std::vector<std::pair<size_t, std::string>> references_;  // row, name
};

void Checker::CheckSurvey(const Sheet& s) {
  std::vector<size_t> groups;  // rows of the open begin_group/repeat
  for (size_t r = 1; r < s.rows.size(); ++r) CheckSurveyRow(s, r, &groups);
  for (size_t row : groups) {
    Add(row + 1, "survey.type", std::string(At(s, row, survey_, "type")),
        "an end_group / end_repeat closing this group");
  }
  for (const auto& [row, name] : references_) {
    if (!names_.count(name)) {
      Add(row + 1, "survey", "${" + name + "}",
          "a reference to a question of the form");
    }
  }
}

void Checker::CheckSurveyRow(const Sheet& s, size_t r,
                             std::vector<size_t>* groups) {
  if (Blank(s.rows[r])) return;
  const std::string type(At(s, r, survey_, "type"));
  const std::string name(At(s, r, survey_, "name"));
  QuestionType kind;
  std::string list;
  ParseType(type, &kind, &list);
  if (type.empty()) {
    Add(r + 1, "survey.type", "", "a question type");
    return;
  }
  if (kind == QuestionType::kOther && !internal::IsKnownOtherType(type)) {
    Add(r + 1, "survey.type", type,
        "an XLSForm type (select_one <list>, integer, text, begin_group, ...)");
  }
  const bool end =
      kind == QuestionType::kEndGroup || kind == QuestionType::kEndRepeat;
  if (kind == QuestionType::kBeginGroup || kind == QuestionType::kBeginRepeat) {
    groups->push_back(r);
  } else if (end) {
    const bool repeat = kind == QuestionType::kEndRepeat;
    QuestionType open_kind = QuestionType::kOther;
    std::string unused;
    if (!groups->empty()) {
      ParseType(At(s, groups->back(), survey_, "type"), &open_kind, &unused);
    }
    if (groups->empty() ||
        (open_kind == QuestionType::kBeginRepeat) != repeat) {
      Add(r + 1, "survey.type", type,
          "a matching begin_group / begin_repeat "
          "above it");
    } else {
      groups->pop_back();
    }
  }
  if (!end) {
    if (!internal::IsNcName(name)) {
      Add(r + 1, "survey.name", name,
          "a name starting with a letter or _, then letters, digits, _, - "
          "or .");
    } else if (name == "meta") {
      Add(r + 1, "survey.name", name, "a name other than 'meta' (reserved)");
    } else if (auto [it, fresh] = names_.emplace(name, r + 1); !fresh) {
      Add(r + 1, "survey.name", name,
          "a unique name (row " + std::to_string(it->second) + " has it)");
    }
  }
  if (kind == QuestionType::kSelectOne ||
      kind == QuestionType::kSelectMultiple) {
    lists_used_.emplace(list, r + 1);
    if (kind == QuestionType::kSelectMultiple) multiple_lists_.insert(list);
  }
  if (kind == QuestionType::kSelectOneFromFile ||
      kind == QuestionType::kSelectMultipleFromFile) {
    if (!list.ends_with(".csv") && !list.ends_with(".xml") &&
        !list.ends_with(".geojson")) {
      Add(r + 1, "survey.type", type, "a file ending .csv, .xml or .geojson");
    }
  }
  const bool shows_text = !end && kind != QuestionType::kBeginGroup &&
                          kind != QuestionType::kBeginRepeat &&
                          kind != QuestionType::kCalculate &&
                          kind != QuestionType::kMetadata && type != "hidden";
  CheckLabel(s, r, survey_, "survey", name, shows_text);
  std::string req(At(s, r, survey_, "required"));
  std::transform(req.begin(), req.end(), req.begin(), ::tolower);
  static const std::set<std::string> kBool = {
      "", "yes", "no", "true", "false", "true()", "false()", "1", "0"};
  if (!kBool.count(req)) {
    Add(r + 1, "survey.required", std::string(At(s, r, survey_, "required")),
        "yes, no, true, false, TRUE(), FALSE(), 1, 0 or empty");
  }
  for (const char* col :
       {"relevant", "constraint", "calculation", "choice_filter"}) {
    for (std::string& ref : internal::ScanReferences(At(s, r, survey_, col))) {
      references_.emplace_back(r, std::move(ref));
    }
  }
}

void Checker::CheckChoices(const Sheet& s) {
  std::set<std::pair<std::string, std::string>> seen;
  for (size_t r = 1; r < s.rows.size(); ++r) {
    if (Blank(s.rows[r])) continue;
    const std::string list(At(s, r, choices_, "list_name"));
    const std::string name(At(s, r, choices_, "name"));
    if (list.empty()) Add(r + 1, "choices.list_name", "", "a list name");
    if (name.empty()) {
      Add(r + 1, "choices.name", "", "a choice name");
      continue;
    }
    if (!seen.emplace(list, name).second) {
      Add(r + 1, "choices.name", name,
          "a choice name unique in list '" + list + "'");
    }
    if (multiple_lists_.count(list) && name.find(' ') != std::string::npos) {
      Add(r + 1, "choices.name", name,
          "no space in a choice name of list '" + list +
              "' (select_multiple answers are separated by spaces)");
    }
    CheckLabel(s, r, choices_, "choices", name, true);
  }
}

void Checker::CheckListsExist(bool has_choices) {
  std::set<std::string> lists;
  if (const Sheet* c = wb_.Find("choices"); c != nullptr) {
    for (size_t r = 1; r < c->rows.size(); ++r) {
      lists.emplace(At(*c, r, choices_, "list_name"));
    }
  }
  for (const auto& [list, row] : lists_used_) {
    if (!lists.count(list)) {
      Add(row, "survey.type", list,
          has_choices ? "a list that exists in the choices sheet"
                      : "a choices sheet with list '" + list + "'");
    }
  }
}

}  // namespace

std::vector<Problem> ValidateWorkbook(const Workbook& workbook,
                                      std::string_view file_name) {
  return Checker(workbook, file_name).Run();
}

}  // namespace malchin::pdm
