// The same ingestion feeds RIMA: a KoBo export of a (small) RIMA
// questionnaire becomes the table rima::ReadSurvey reads, select_multiple
// detail columns included.
#include <gtest/gtest.h>

#include "pdm/kobo.h"
#include "rima/survey.h"

namespace malchin::pdm {
namespace {

constexpr char kRimaModule[] = R"json({
  "languages": [{"name": "Mongolian", "code": "mn"}, {"name": "English", "code": "en"}],
  "questions": [
    {"type": "text", "name": "hhid", "required": true,
     "label": {"mn": "Өрхийн дугаар", "en": "Household id"}},
    {"type": "begin_group", "name": "abs", "label": {"mn": "Хүртээмж", "en": "Access"}},
    {"type": "integer", "name": "min_water", "constraint": ". >= 0",
     "label": {"mn": "Ус хүртэл, минут", "en": "Minutes to water"}},
    {"type": "end_group"},
    {"type": "decimal", "name": "tlu", "label": {"mn": "Мал, TLU", "en": "Livestock, TLU"}},
    {"type": "select_multiple assets", "name": "assets",
     "label": {"mn": "Хөрөнгө", "en": "Assets"}},
    {"type": "integer", "name": "formal_tr", "label": {"mn": "Шилжүүлэг", "en": "Transfers"}},
    {"type": "select_one educ", "name": "educ_head",
     "label": {"mn": "Боловсрол", "en": "Education of the head"}},
    {"type": "integer", "name": "fcs", "label": {"mn": "FCS", "en": "Food consumption score"}}],
  "choices": {
    "assets": [{"name": "car", "label": {"mn": "Машин", "en": "Car"}},
               {"name": "moto", "label": {"mn": "Мотоцикл", "en": "Motorbike"}}],
    "educ": [{"name": "0", "label": {"mn": "Байхгүй", "en": "None"}},
             {"name": "1", "label": {"mn": "Бага", "en": "Primary"}},
             {"name": "2", "label": {"mn": "Дунд", "en": "Secondary"}},
             {"name": "3", "label": {"mn": "Дээд", "en": "Higher"}}]}})json";

TEST(KoboToRima, ExportBecomesTheSurveyTableRimaReads) {
  auto form = ParseModule("rima_module.json", kRimaModule);
  ASSERT_TRUE(form.ok()) << form.status().ToString();
  const std::string csv =
      "\"hhid\";\"abs/min_water\";\"tlu\";\"assets\";\"assets/car\";"
      "\"assets/moto\";\"formal_tr\";\"educ_head\";\"fcs\";\"_id\";\"_uuid\";"
      "\"_submission_time\";\"_index\"\r\n"
      "\"H1\";\"30\";\"12.5\";\"car moto\";\"1\";\"1\";\"200000\";\"2\";"
      "\"45\";\"1\";\"u1\";\"2025-05-01T02:00:00\";\"1\"\r\n"
      "\"H2\";\"120\";\"3\";\"moto\";\"0\";\"1\";\"0\";\"1\";\"38\";\"2\";"
      "\"u2\";\"2025-05-01T03:00:00\";\"2\"\r\n"
      "\"H3\";\"-4\";\"7\";\"\";\"\";\"\";\"50000\";\"3\";\"52\";\"3\";"
      "\"u3\";\"2025-05-01T04:00:00\";\"3\"\r\n";
  IngestOptions options;
  options.respondent_question = "";  // a survey, not a PDM: no sample
  auto in = ReadKoboCsv("rima_export.csv", csv, *form, options);
  ASSERT_TRUE(in.ok()) << in.status().ToString();
  ASSERT_EQ(in->accepted(), 3u);
  ASSERT_EQ(in->problems.size(), 1u);  // H3's min_water breaks ". >= 0"
  EXPECT_EQ(in->problems[0].field, "min_water");

  const std::string table = TableCsv(ToTable(in->submissions, *form));
  rima::ModelSpec spec;
  spec.id_column = "hhid";
  auto var = [](std::string column) {
    rima::VariableSpec v;
    v.name = column;
    v.column = std::move(column);
    return v;
  };
  spec.pillars = {{"ABS", {}, {var("min_water")}},
                  {"AST", {}, {var("tlu"), var("assets/car")}},
                  {"SSN", {}, {var("formal_tr")}},
                  {"AC", {}, {var("educ_head"), var("assets/moto")}}};
  spec.food_security = {var("fcs")};
  auto survey = rima::ReadSurvey("pdm_table.csv", table, spec);
  ASSERT_TRUE(survey.ok()) << survey.status().ToString();
  // H3's failed min_water is blank, so RIMA drops H3 and says why.
  EXPECT_EQ(survey->ids, (std::vector<std::string>{"H1", "H2"}));
  ASSERT_EQ(survey->dropped.size(), 1u);
  EXPECT_EQ(survey->dropped[0].id, "H3");
  EXPECT_EQ(survey->pillars[1](0, 1), 1);  // H1 has a car
  EXPECT_EQ(survey->pillars[1](1, 1), 0);  // H2 has none
  EXPECT_EQ(survey->pillars[3](1, 0), 1);  // H2's education
  EXPECT_EQ(survey->food_security(0, 0), 45);
}

}  // namespace
}  // namespace malchin::pdm
