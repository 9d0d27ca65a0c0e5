#include "pdm/form.h"

#include <gtest/gtest.h>

#include "pdm/expression.h"
#include "pdm/xlsform.h"

namespace malchin::pdm {
namespace {

TEST(Form, StandardModuleIsAValidBilingualForm) {
  auto form = StandardPdmForm();
  ASSERT_TRUE(form.ok()) << form.status().ToString();
  ASSERT_EQ(form->languages.size(), 2u);
  EXPECT_EQ(form->languages[0].Spelled(), "Mongolian (mn)");
  EXPECT_EQ(form->languages[1].Spelled(), "English (en)");
  EXPECT_EQ(form->id, "malchin_pdm");
  for (const char* name :
       {"respondent", "consent", "received", "amount_received", "date_received",
        "collect_minutes", "collect_cost", "payee", "decided_use", "uses",
        "problems", "knows_complaint", "satisfaction"}) {
    const Question* q = form->FindQuestion(name);
    ASSERT_NE(q, nullptr) << name;
    EXPECT_TRUE(q->required) << name;
    EXPECT_FALSE(q->label.at("mn").empty()) << name;
    EXPECT_FALSE(q->label.at("en").empty()) << name;
  }
  EXPECT_EQ(form->FindQuestion("respondent")->kind,
            QuestionType::kSelectOneFromFile);
  EXPECT_EQ(form->FindQuestion("respondent")->list, "respondents.csv");
  EXPECT_EQ(form->FindQuestion("uses")->kind, QuestionType::kSelectMultiple);
  EXPECT_EQ(form->FindList("uses")->choices.size(), 9u);
  const std::vector<Problem> problems = CheckForm(*form);
  for (const Problem& p : problems) ADD_FAILURE() << p.Message();
}

// Ingestion checks every relevance and constraint of the standard form, so
// all of them must be in the subset pdm/expression.h evaluates.
TEST(Form, StandardExpressionsAreAllEvaluable) {
  auto form = StandardPdmForm();
  ASSERT_TRUE(form.ok());
  int count = 0;
  for (const Question& q : form->survey) {
    for (const std::string* e : {&q.relevant, &q.constraint}) {
      if (e->empty()) continue;
      ++count;
      auto parsed = Expression::Parse(*e);
      EXPECT_TRUE(parsed.ok()) << q.name << ": " << parsed.status().ToString();
    }
  }
  EXPECT_GE(count, 12);
}

TEST(Form, ParseTypeSplitsKindAndList) {
  QuestionType k;
  std::string list;
  ParseType("select_one yes_no", &k, &list);
  EXPECT_EQ(k, QuestionType::kSelectOne);
  EXPECT_EQ(list, "yes_no");
  ParseType("select_multiple  uses ", &k, &list);
  EXPECT_EQ(k, QuestionType::kSelectMultiple);
  EXPECT_EQ(list, "uses");
  ParseType("select_one yes_no or_other", &k, &list);
  EXPECT_EQ(list, "yes_no");
  ParseType("select_one", &k, &list);
  EXPECT_EQ(k, QuestionType::kOther);
  ParseType("begin group", &k, &list);
  EXPECT_EQ(k, QuestionType::kBeginGroup);
  ParseType("geopoint", &k, &list);
  EXPECT_EQ(k, QuestionType::kOther);
  ParseType("today", &k, &list);
  EXPECT_EQ(k, QuestionType::kMetadata);
}

TEST(Form, ModuleErrorsNameThePath) {
  EXPECT_NE(ParseModule("m.json", "{").status().message().find("m.json"),
            std::string::npos);
  auto bad_label = ParseModule(
      "m.json",
      R"({"questions": [{"type": "text", "name": "a", "label": "x"}]})");
  ASSERT_FALSE(bad_label.ok());
  EXPECT_EQ(bad_label.status().field(), "questions[0].label");
  auto unknown = ParseModule(
      "m.json",
      R"({"questions": [{"type": "text", "name": "a", "lable": {}}]})");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().field(), "questions[0].lable");
  auto no_name =
      ParseModule("m.json", R"({"questions": [{"type": "integer"}]})");
  EXPECT_EQ(no_name.status().field(), "questions[0].name");
  auto format = ParseModule("m.json", R"({"format": "x", "questions": []})");
  EXPECT_EQ(format.status().field(), "format");
}

TEST(Form, MinistryModuleIsAppended) {
  auto form = StandardPdmForm();
  ASSERT_TRUE(form.ok());
  const size_t before = form->survey.size();
  auto extra = ParseModule("dzud.json", R"({
    "questions": [
      {"type": "select_one yes_no", "name": "hay_enough",
       "label": {"mn": "Өвс хүрэлцэх үү?", "en": "Is the hay enough?"},
       "relevant": "${consent} = 'yes'"},
      {"type": "select_one animals", "name": "animal_lost",
       "label": {"mn": "Ямар мал хорогдсон бэ?", "en": "Which animals died?"}}],
    "choices": {"animals": [
      {"name": "sheep", "label": {"mn": "Хонь", "en": "Sheep"}},
      {"name": "goat", "label": {"mn": "Ямаа", "en": "Goat"}}]}})");
  ASSERT_TRUE(extra.ok()) << extra.status().ToString();
  ASSERT_TRUE(AppendModule(*extra, &*form).ok());
  EXPECT_EQ(form->survey.size(), before + 2);
  EXPECT_EQ(form->survey.back().name, "animal_lost");
  EXPECT_NE(form->FindList("animals"), nullptr);
  EXPECT_TRUE(CheckForm(*form).empty());
  // A clash or a missing language leaves the form as it was.
  const size_t now = form->survey.size();
  EXPECT_FALSE(AppendModule(*extra, &*form).ok());
  auto english_only =
      ParseModule("x.json", R"({"questions": [{"type": "text", "name": "note1",
                    "label": {"en": "Only English"}}]})");
  ASSERT_TRUE(english_only.ok());
  Status st = AppendModule(*english_only, &*form);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("Mongolian (mn)"), std::string::npos)
      << st.message();
  EXPECT_EQ(form->survey.size(), now);
}

}  // namespace
}  // namespace malchin::pdm
