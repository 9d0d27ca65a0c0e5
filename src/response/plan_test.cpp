#include "response/plan.h"

#include <gtest/gtest.h>

namespace malchin::response {
namespace {

Date D(const char* s) { return *Date::Parse(s); }

response::PlanRecord Phase2() {
  response::PlanRecord p;
  p.code = "zavkhan-phase2";
  p.event_code = "zavkhan-2019";
  p.programme_code = "child_money";
  p.kind = response::PlanKind::kVertical;
  p.name = "Zavkhan phase 2";
  p.eligibility = "age < 6 and event.severity >= high";
  p.amount = "20000";
  p.unit = response::Unit::kPerson;
  p.cutoff_on = D("2020-02-01");
  p.starts_on = D("2020-02-01");
  p.ends_on = D("2020-04-30");
  p.installments = {
      {1, D("2020-02-15")}, {2, D("2020-03-15")}, {3, D("2020-04-15")}};
  return p;
}

TEST(PlanTest, ValidatesKindDatesAndSchedule) {
  EXPECT_TRUE(ValidatePlan(Phase2()).ok());
  response::PlanRecord p = Phase2();
  p.kind = response::PlanKind::kHorizontal;  // With a programme.
  p.installments = {
      {1, D("2020-03-15")}, {3, D("2020-02-15")}, {3, D("2020-06-01")}};
  p.cap_per_household = 0;
  Status st = ValidatePlan(p);
  ASSERT_FALSE(st.ok());
  for (const char* part :
       {"kind horizontal: a new caseload has no programme",
        "cap 0: expected a positive amount",
        "installment 2 (2020-02-15): numbered 3, expected 2",
        "installment 2 (2020-02-15): expected after the installment before",
        "installment 3 (2020-06-01): expected a due date within the plan"}) {
    EXPECT_NE(st.message().find(part), std::string::npos) << part << "\n"
                                                          << st.message();
  }
}

// Plans that cannot pay by mistake (#15): no amount of nothing or less, no
// cut-off after an installment, no installment outside the event's dates
// without a stated reason.
TEST(PlanTest, RefusesZeroAmountsLateCutoffsAndStrayInstallments) {
  for (const char* amount : {"0", "-20000", " 0.0 "}) {
    response::PlanRecord p = Phase2();
    p.amount = amount;
    Status st = ValidatePlan(p);
    ASSERT_EQ(st.code(), StatusCode::kInvalidArgument) << amount;
    EXPECT_NE(st.message().find("expected a positive MNT amount"),
              std::string::npos)
        << st.message();
  }
  response::PlanRecord formula = Phase2();
  formula.amount = "param(\"child_money.monthly\") - 20000";
  EXPECT_TRUE(ValidatePlan(formula).ok());  // Checked when evaluated.
  response::PlanRecord late = Phase2();
  late.cutoff_on = D("2020-02-20");
  Status st = ValidatePlan(late);
  ASSERT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("cut-off 2020-02-20: expected on or before the "
                              "first installment (2020-02-15)"),
            std::string::npos)
      << st.message();

  response::ShockEventRecord dzud;
  dzud.code = "zavkhan-2019";
  dzud.starts_on = D("2019-11-01");
  dzud.ends_on = D("2020-03-31");
  st = ValidateSchedule(Phase2(), dzud);  // April's installment is after.
  ASSERT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(st.field(), "installments");
  EXPECT_NE(st.message().find("installment 3 (2020-04-15): expected within "
                              "event zavkhan-2019"),
            std::string::npos)
      << st.message();
  EXPECT_EQ(st.message().find("installment 2"), std::string::npos);
  response::PlanRecord reasoned = Phase2();
  reasoned.schedule_reason = "the herds recover only in spring";
  EXPECT_TRUE(ValidateSchedule(reasoned, dzud).ok());
  dzud.ends_on.reset();  // Open: nothing after its start is outside.
  EXPECT_TRUE(ValidateSchedule(Phase2(), dzud).ok());
}

TEST(PlanTest, RuleErrorsPointIntoThePlansText) {
  auto params = *params::ParameterSet::Embedded();
  response::PlanRecord p = Phase2();
  p.eligibility = "age < 6 and";
  auto r = PlanRule(p, *BuiltInProgramme("child_money"), params);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("eligibility:1:"), std::string::npos)
      << r.status().message();
  p = Phase2();
  auto ok = PlanRule(p, *BuiltInProgramme("child_money"), params);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_NE(ok->eligibility().source().find("child_money.max_age"),
            std::string::npos);
  EXPECT_FALSE(BuiltInProgramme("pension").ok());
}

// Children without an account are paid through their mother.
TEST(PlanTest, ChoosesTheCaregiverAsPayee) {
  registry::Population pop;
  registry::Household h;
  h.id = "H1";
  h.soum_code = h.current_soum_code = 18149;
  pop.AddHousehold(h);
  auto person = [&](const char* born, registry::Sex sex,
                    registry::Relation rel) {
    registry::Person p;
    p.birth_date = D(born);
    p.sex = sex;
    p.relation = rel;
    pop.AddPerson(p, 0);
  };
  person("1980-01-01", registry::Sex::kMale, registry::Relation::kHead);
  person("1982-01-01", registry::Sex::kFemale, registry::Relation::kSpouse);
  person("2016-01-01", registry::Sex::kMale, registry::Relation::kChild);
  person("2002-01-01", registry::Sex::kFemale, registry::Relation::kChild);
  response::ShockEventRecord e;
  e.code = "zavkhan-2019";
  e.soums = {{18149, response::Severity::kVeryHigh}};
  response::PlanRecord p = Phase2();
  p.eligibility = "age < 18 and event.severity >= high";
  auto params = *params::ParameterSet::Embedded();
  auto bound =
      BindPlan(p, *BuiltInProgramme("child_money"), e, pop, params, nullptr, 1);
  ASSERT_TRUE(bound.ok()) << bound.status().ToString();
  auto order = *PayeeOrder::Embedded();
  // Father and mother have accounts; the 18-year-old daughter too.
  auto chosen = ChooseBeneficiaries(*bound, {1, 1, 0, 1}, order);
  ASSERT_EQ(chosen.size(), 1u);  // The boy; the daughter is 18.
  EXPECT_EQ(chosen[0].person, 2);
  EXPECT_EQ(chosen[0].payee, 1);  // The mother.
  EXPECT_EQ(chosen[0].amount, 20000);
  // Without the mother's account, the head.
  EXPECT_EQ(ChooseBeneficiaries(*bound, {1, 0, 0, 1}, order)[0].payee, 0);
  // Only the adult sister has one.
  EXPECT_EQ(ChooseBeneficiaries(*bound, {0, 0, 0, 1}, order)[0].payee, 3);
  // Nobody: the child alone (held back at export).
  EXPECT_EQ(ChooseBeneficiaries(*bound, {0, 0, 0, 0}, order)[0].payee, 2);
}

}  // namespace
}  // namespace malchin::response
