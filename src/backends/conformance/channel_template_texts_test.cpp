// The ministry's wording of the SMS templates on every engine
// (channel/template_texts.h): an edit is in force for every sender at once
// (the notices included), a reset goes back to the shipped text, a bad text
// is refused with nothing written, the history keeps every edit newest
// first with its editor and note, and the database itself refuses to change
// or delete an edit.
#include <gtest/gtest.h>

#include "backends/conformance/outbox_count.h"
#include "backends/testing/test_database.h"
#include "channel/notices.h"
#include "channel/outbox.h"
#include "channel/template_texts.h"
#include "registry/repository.h"
#include "store/audit.h"

namespace malchin::conformance {
namespace {

using backends::testing::EngineTest;
using backends::testing::RawSqlRefused;
using channel::Language;

constexpr const char* kMn =
    "Даатгал: {person}, {scheme}. Төлсөн: {amount} төгрөг ({months}). "
    "Баярлалаа!";

class TemplateTextsTest : public EngineTest {
 protected:
  Result<channel::TextCheck> Edit(std::string_view id, Language l,
                                  std::string_view text) {
    return channel::EditTemplateText(
        session(), **params::ParameterSet::Embedded(),
        *Date::Parse("2026-03-01"), id, l, text, "clearer wording");
  }
  std::string InForce(std::string_view id, Language l) {
    auto c = channel::CatalogueInForce(session());
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() ? (*c)->Find(id)->text.at(l) : "";
  }
  std::string Shipped(std::string_view id, Language l) {
    return (*channel::TemplateCatalogue::Embedded())->Find(id)->text.at(l);
  }
};

TEST_P(TemplateTextsTest, AnEditIsInForceAndAResetGoesBack) {
  const char* id = "insurance.contribution_recorded";
  auto check = Edit(id, Language::kMongolian, kMn);
  ASSERT_TRUE(check.ok()) << check.status().ToString();
  EXPECT_NE(check->sample.text.find("Баярлалаа!"), std::string::npos);
  EXPECT_TRUE(check->longest.fits);
  EXPECT_EQ(InForce(id, Language::kMongolian), kMn);
  EXPECT_EQ(InForce(id, Language::kEnglish), Shipped(id, Language::kEnglish));
  ASSERT_TRUE(
      channel::ResetTemplateText(session(), id, Language::kMongolian, "back")
          .ok());
  EXPECT_EQ(InForce(id, Language::kMongolian),
            Shipped(id, Language::kMongolian));
  // Nothing to go back from now.
  EXPECT_EQ(channel::ResetTemplateText(session(), id, Language::kMongolian, "")
                .code(),
            StatusCode::kFailedPrecondition);
  auto history = channel::TemplateHistory(session(), id);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_FALSE((*history)[0].text.has_value());  // The reset, newest.
  EXPECT_EQ((*history)[0].note, "back");
  EXPECT_EQ((*history)[1].text.value_or(""), kMn);
  EXPECT_EQ((*history)[1].note, "clearer wording");
  EXPECT_FALSE((*history)[1].edited_by.empty());
  store::AuditQuery q;
  q.action = "sms_template";
  auto audit = session().ListAudit(q);
  ASSERT_TRUE(audit.ok());
  EXPECT_EQ(audit->size(), 2u);
}

TEST_P(TemplateTextsTest, ABadTextIsRefusedAndNothingWritten) {
  const char* id = "payment.failed";
  struct Case {
    std::string text, says;
  } cases[] = {
      {"", "empty"},
      {"{programme}: {amount} төгрөг амжилтгүй.", "{phone}"},  // One left out.
      {"{programme} {amount} {phone} {bank}", "{bank}"},       // Undeclared.
      {"{programme} {amount} {phone} }", "'}'"},
      {std::string("{programme} {amount} {phone} ") + std::string(400, 'x'),
       "too long"},
  };
  for (const Case& c : cases) {
    auto r = Edit(id, Language::kMongolian, c.text);
    ASSERT_EQ(r.status().code(), StatusCode::kInvalidArgument) << c.text;
    EXPECT_EQ(r.status().field(), "text");
    EXPECT_NE(r.status().message().find(c.says), std::string::npos)
        << r.status().message();
  }
  EXPECT_EQ(Edit("no.such", Language::kMongolian, "x").status().code(),
            StatusCode::kNotFound);
  auto history = channel::TemplateHistory(session(), id);
  ASSERT_TRUE(history.ok());
  EXPECT_TRUE(history->empty());
  EXPECT_EQ(InForce(id, Language::kMongolian),
            Shipped(id, Language::kMongolian));
}

TEST_P(TemplateTextsTest, TheNoticesSendTheEditedWording) {
  registry::Household h;
  h.id = "H1";
  h.phone = "88001122";
  h.soum_code = h.current_soum_code = 18140;
  registry::Person p;
  p.register_no = "ИЗ85120320";
  p.household_id = "H1";
  p.father_name = "Бат";
  p.given_name = "Сүх";
  p.birth_date = *Date::Parse("1985-12-03");
  p.relation = registry::Relation::kHead;
  ASSERT_TRUE(Get<registry::Repository>().Upsert({h}, {p}, {"t", ""}).ok());
  ASSERT_TRUE(
      Edit("insurance.contribution_recorded", Language::kMongolian, kMn).ok());
  channel::OutboxNotices notices(*channel::TemplateCatalogue::Embedded(),
                                 *params::ParameterSet::Embedded());
  store::Notice n;
  n.key = "test.1";
  n.household_id = "H1";
  n.template_id = "insurance.contribution_recorded";
  n.values = {{"person", p.register_no},
              {"scheme", "эрүүл мэндийн даатгал"},
              {"months", "2025-03..2025-04"}};
  n.amounts = {{"amount", 12000}};
  ASSERT_TRUE(
      session()
          .Write([&]() -> Status { return notices.Notify(session(), n); })
          .ok());
  auto m = Get<channel::Repository>().FindByKey("test.1");
  ASSERT_TRUE(m.ok() && m->has_value());
  EXPECT_NE((*m)->text.find("Баярлалаа!"), std::string::npos) << (*m)->text;
  EXPECT_EQ(OutboxMessages(session()), 1);
}

TEST_P(TemplateTextsTest, TheDatabaseKeepsEveryEdit) {
  ASSERT_TRUE(
      Edit("insurance.contribution_recorded", Language::kMongolian, kMn).ok());
  EXPECT_TRUE(RawSqlRefused(database(),
                            "UPDATE sms_template_texts SET text = 'x {person} "
                            "{scheme} {amount} {months}'"));
  EXPECT_TRUE(RawSqlRefused(database(), "DELETE FROM sms_template_texts"));
}

INSTANTIATE_TEST_SUITE_P(Engines, TemplateTextsTest,
                         ::testing::ValuesIn(backends::testing::TestEngines()),
                         backends::testing::EngineName);

}  // namespace
}  // namespace malchin::conformance
