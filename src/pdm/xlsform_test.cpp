#include "pdm/xlsform.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>

#include "csv/csv.h"

namespace malchin::pdm {
namespace {

namespace fs = std::filesystem;

class XlsFormTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("pdm_xlsform_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto form = StandardPdmForm();
    ASSERT_TRUE(form.ok()) << form.status().ToString();
    form_ = *form;
    std::vector<Unit> frame;
    for (int i = 0; i < 30; ++i) {
      frame.push_back({"HH" + std::to_string(100 + i), "P" + std::to_string(i),
                       i == 0 ? "Батбаяр, Хонгорзул" : "", 181, 18101 + i % 2,
                       i % 3 ? Sex::kFemale : Sex::kMale, Sex::kMale, false,
                       300000});
    }
    SampleDesign d;
    d.margin_of_error = 0.2;
    auto s = DrawSample(frame, d);
    ASSERT_TRUE(s.ok());
    sample_ = *s;
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Writes `wb` and validates the file read back.
  std::vector<Problem> ValidateOnDisk(const Workbook& wb) {
    const std::string path = (dir_ / "broken.xlsx").string();
    Status st = WriteXlsx(wb, path);
    EXPECT_TRUE(st.ok()) << st.ToString();
    auto problems = ValidateXlsForm(path);
    EXPECT_TRUE(problems.ok()) << problems.status().ToString();
    return problems.ok() ? *problems : std::vector<Problem>{};
  }

  // The standard form's workbook after `edit`, validated from disk; expects
  // an error about `field` whose expectation mentions `expected`.
  void ExpectBroken(const std::function<void(Workbook&)>& edit,
                    const std::string& field, const std::string& expected) {
    Workbook wb = FormToWorkbook(form_);
    edit(wb);
    bool found = false;
    std::string all;
    for (const Problem& p : ValidateOnDisk(wb)) {
      all += p.Message() + "\n";
      if (p.severity == Problem::Severity::kError && p.field == field &&
          p.expected.find(expected) != std::string::npos) {
        found = true;
      }
    }
    EXPECT_TRUE(found) << "wanted " << field << " / " << expected << "; got:\n"
                       << all;
  }

  static Sheet& Get(Workbook& wb, const std::string& name) {
    for (Sheet& s : wb.sheets) {
      if (s.name == name) return s;
    }
    throw std::runtime_error("no sheet " + name);
  }
  static size_t Row(const Sheet& s, const std::string& name) {
    for (size_t r = 0; r < s.rows.size(); ++r) {
      if (s.rows[r].size() > 1 && s.rows[r][1] == name) return r;
    }
    throw std::runtime_error("no row " + name);
  }
  // An edit setting the survey cell of question `row` in column `header`.
  static std::function<void(Workbook&)> SetSurvey(std::string row,
                                                  std::string header,
                                                  std::string value) {
    return [=](Workbook& wb) {
      Sheet& s = Get(wb, "survey");
      s.rows[Row(s, row)][Col(s, header)] = value;
    };
  }
  static size_t Col(const Sheet& s, const std::string& header) {
    for (size_t c = 0; c < s.rows[0].size(); ++c) {
      if (s.rows[0][c] == header) return c;
    }
    throw std::runtime_error("no column " + header);
  }

  fs::path dir_;
  Form form_;
  Sample sample_;
};

TEST_F(XlsFormTest, WritesAValidBilingualFormAndItsRespondentList) {
  auto written = WritePdmForm(form_, sample_, dir_.string());
  ASSERT_TRUE(written.ok()) << written.status().ToString();
  EXPECT_EQ(fs::path(written->xlsx_path).filename(), "malchin_pdm.xlsx");
  EXPECT_EQ(fs::path(written->respondents_path).filename(), "respondents.csv");

  auto problems = ValidateXlsForm(written->xlsx_path);
  ASSERT_TRUE(problems.ok()) << problems.status().ToString();
  for (const Problem& p : *problems) ADD_FAILURE() << p.Message();

  auto wb = ReadXlsx(written->xlsx_path);
  ASSERT_TRUE(wb.ok()) << wb.status().ToString();
  ASSERT_EQ(wb->sheets.size(), 3u);
  EXPECT_EQ(wb->sheets[0].name, "survey");
  EXPECT_EQ(wb->sheets[1].name, "choices");
  EXPECT_EQ(wb->sheets[2].name, "settings");
  const Sheet& survey = wb->sheets[0];
  EXPECT_EQ(survey.Cell(0, 0), "type");
  EXPECT_EQ(survey.Cell(0, 2), "label::Mongolian (mn)");
  EXPECT_EQ(survey.Cell(0, 3), "label::English (en)");
  const size_t received = Row(survey, "received");
  EXPECT_EQ(survey.Cell(received, 2),
            "Таны өрх энэ мөнгөн тусламжийг авсан уу?");
  EXPECT_EQ(wb->sheets[2].Cell(1, 3), "Mongolian (mn)");

  // The form read back is the form written.
  auto back = FormFromWorkbook(*wb, "malchin_pdm.xlsx");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->languages[0].code, "mn");
  ASSERT_EQ(back->survey.size(), form_.survey.size());
  for (size_t i = 0; i < form_.survey.size(); ++i) {
    EXPECT_EQ(back->survey[i].type, form_.survey[i].type);
    EXPECT_EQ(back->survey[i].name, form_.survey[i].name);
    EXPECT_EQ(back->survey[i].label, form_.survey[i].label);
    EXPECT_EQ(back->survey[i].required, form_.survey[i].required);
    EXPECT_EQ(back->survey[i].constraint, form_.survey[i].constraint);
  }
  ASSERT_EQ(back->choices.size(), form_.choices.size());
  EXPECT_EQ(back->FindList("uses")->choices[1].label.at("mn"), "Өвс, тэжээл");

  // respondents.csv: name,label + extras, one row per sampled unit.
  auto text = csv::ReadFile(written->respondents_path);
  ASSERT_TRUE(text.ok());
  std::vector<csv::Record> rows;
  ASSERT_TRUE(
      csv::ReadRecords("respondents.csv", *text, {}, [&](const csv::Record& r) {
        rows.push_back(r);
        return Status::Ok();
      }).ok());
  ASSERT_EQ(rows.size(), sample_.units.size() + 1);
  EXPECT_EQ(rows[0].fields[0], "name");
  EXPECT_EQ(rows[0].fields[1], "label");
  EXPECT_EQ(rows[1].fields[0], sample_.units[0].unit.beneficiary_id);
  bool quoted_name = false;
  for (const auto& r : rows) quoted_name |= r.fields[1] == "Батбаяр, Хонгорзул";
  EXPECT_EQ(quoted_name,
            sample_.units.end() !=
                std::find_if(sample_.units.begin(), sample_.units.end(),
                             [](const SampledUnit& u) {
                               return u.unit.beneficiary_id == "HH100";
                             }));
}

TEST_F(XlsFormTest, RejectsEachBrokenRule) {
  ExpectBroken([](Workbook& wb) { Get(wb, "survey").name = "Survey"; }, "sheet",
               "a sheet named 'survey'");
  ExpectBroken([](Workbook& wb) { Get(wb, "survey").rows[0][1] = "nme"; },
               "survey", "a column 'name'");
  ExpectBroken([](Workbook& wb) { Get(wb, "choices").rows[0][0] = "list"; },
               "choices", "a column 'list_name'");
  ExpectBroken([](Workbook& wb) { Get(wb, "survey").rows[0][1] = "name "; },
               "survey", "without leading or trailing spaces");
  ExpectBroken(SetSurvey("payee", "name", "received"), "survey.name",
               "a unique name");
  ExpectBroken(SetSurvey("payee", "name", "1st_payee"), "survey.name",
               "a name starting with a letter");
  ExpectBroken(SetSurvey("payee", "name", "who paid"), "survey.name",
               "a name starting with a letter");
  ExpectBroken(SetSurvey("payee", "type", "select_one payees"), "survey.type",
               "a list that exists");
  ExpectBroken(
      [](Workbook& wb) {
        Sheet& c = Get(wb, "choices");
        for (auto& row : c.rows) {
          if (row[0] == "uses" && row[1] == "school") row[1] = "school fees";
        }
      },
      "choices.name", "no space");
  ExpectBroken(
      [](Workbook& wb) {
        Sheet& c = Get(wb, "choices");
        for (auto& row : c.rows) {
          if (row[0] == "payee" && row[1] == "spouse") row[1] = "self";
        }
      },
      "choices.name", "unique in list 'payee'");
  ExpectBroken(
      [](Workbook& wb) {
        Get(wb, "choices").rows[0][3] = "label::French (fr)";
      },
      "choices.label::French (fr)", "a language that survey");
  ExpectBroken(
      [](Workbook& wb) { Get(wb, "settings").rows[1][3] = "German (de)"; },
      "settings.default_language", "one of the languages");
  ExpectBroken(
      [](Workbook& wb) {
        Sheet& s = Get(wb, "survey");
        s.rows.pop_back();  // the final end_group
      },
      "survey.type", "an end_group");
  ExpectBroken(
      SetSurvey("uses_other", "relevant", "selected(${usage}, 'other')"),
      "survey", "a reference to a question");
  ExpectBroken(SetSurvey("payee", "required", "maybe"), "survey.required",
               "yes, no");
  ExpectBroken(SetSurvey("collect_cost", "type", "integr"), "survey.type",
               "an XLSForm type");
  ExpectBroken(SetSurvey("respondent", "type", "select_one_from_file resp.txt"),
               "survey.type", ".csv, .xml or .geojson");
  ExpectBroken(
      [](Workbook& wb) {
        Sheet& s = Get(wb, "survey");
        for (size_t c = 2; c <= 3; ++c) s.rows[Row(s, "payee")][c].clear();
      },
      "survey.label", "a label");
  ExpectBroken(
      [](Workbook& wb) {
        Sheet& c = Get(wb, "choices");
        c.rows[1][2].clear();
        c.rows[1][3].clear();
      },
      "choices.label", "a label");
}

TEST_F(XlsFormTest, MissingTranslationAndOddSheetAreWarnings) {
  Workbook wb = FormToWorkbook(form_);
  Sheet& s = Get(wb, "survey");
  const size_t payee = Row(s, "payee");
  s.rows[payee][3].clear();  // English label
  wb.sheets.push_back({"notes", {{"anything"}}});
  wb.sheets.push_back({"_scratch", {{"anything"}}});
  std::vector<Problem> problems = ValidateOnDisk(wb);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_FALSE(HasErrors(problems));
  EXPECT_EQ(problems[0].value, "notes");
  EXPECT_EQ(problems[1].field, "survey.label");
  EXPECT_EQ(problems[1].line, payee + 1);
}

TEST_F(XlsFormTest, BrokenFormIsNotWritten) {
  form_.survey[3].name = "bad name";
  auto written = WritePdmForm(form_, sample_, dir_.string());
  ASSERT_FALSE(written.ok());
  EXPECT_NE(written.status().message().find("bad name"), std::string::npos);
  EXPECT_TRUE(fs::is_empty(dir_));
}

TEST_F(XlsFormTest, UnreadableFilesAreErrors) {
  EXPECT_EQ(ReadXlsx((dir_ / "none.xlsx").string()).status().code(),
            StatusCode::kNotFound);
  const std::string junk = (dir_ / "junk.xlsx").string();
  std::ofstream(junk) << "not a zip";
  auto r = ReadXlsx(junk);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("junk.xlsx"), std::string::npos);
  EXPECT_FALSE(ParseWorksheet("s.xml", "<worksheet><sheetData>", {}).ok());
  EXPECT_FALSE(
      ParseWorksheet(
          "s.xml",
          R"(<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>4</v></c></row></sheetData></worksheet>)",
          {"only one"})
          .ok());
}

TEST(Xlsx, ReadsInlineRichAndSparseCells) {
  auto shared = ParseSharedStrings(
      "ss.xml",
      R"(<sst><si><t>plain</t></si><si><r><t>ri</t></r><r><t>ch</t></r><rPh><t>x</t></rPh></si></sst>)");
  ASSERT_TRUE(shared.ok());
  EXPECT_EQ(*shared, (std::vector<std::string>{"plain", "rich"}));
  auto rows = ParseWorksheet(
      "s.xml",
      R"(<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
      <row r="1"><c r="A1" t="s"><v>1</v></c><c r="C1" t="inlineStr"><is><t>in</t></is></c></row>
      <row r="3"><c r="B3"><v>2.5</v></c><c r="AA3" t="b"><v>1</v></c></row>
      </sheetData></worksheet>)",
      *shared);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[0], (std::vector<std::string>{"rich", "", "in"}));
  EXPECT_TRUE((*rows)[1].empty());
  EXPECT_EQ((*rows)[2][1], "2.5");
  EXPECT_EQ((*rows)[2][26], "TRUE");
}

}  // namespace
}  // namespace malchin::pdm
