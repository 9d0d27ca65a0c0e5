// Explain: the trace says each sub-condition with its value and the data
// it read, the amount's computation and the cap, in English and Mongolian.
#include <gtest/gtest.h>

#include "geo/geography.h"
#include "params/parameters.h"
#include "rules/test_util.h"

namespace malchin::rules {
namespace {

using namespace testing;  // NOLINT: test helpers.

class ExplainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    PopulationBuilder b;
    int h0 = b.Household(18149, true, 150);
    b.Person(h0, "1985-03-01", kF, kHead);  // p0
    b.Person(h0, "2015-06-01", kM);         // p1, 4
    b.Person(h0, "2018-06-01", kF);         // p2, 1
    b.Person(h0, "2020-06-01", kF);         // p3, not born
    int h1 = b.Household(18101);
    b.Person(h1, "1970-01-01", kM, kHead);  // p4
    pop_ = b.pop();
    frame_ = *Frame::Build(pop_, D("2019-12-15"), Factors());
    event_.name = "Zavkhan dzud 2019-20";
    event_.severity_by_soum[18149] = Severity::kHigh;
    geo_ = *geo::Geography::Load();
    bind_.event = &event_;
    bind_.geography = geo_.get();
    bind_.parameters = *params::ParameterSet::Embedded();
    ASSERT_TRUE(ext_.Add(ColumnSpec::Number("rci_quintile", "",
                                            Scope::kHousehold, true),
                         {0, 2}, {0, 1})
                    .ok());
    bind_.extensions = &ext_;
  }

  Evaluator Make(const std::string& elig, const std::string& amount,
                 std::optional<int64_t> cap = std::nullopt,
                 Unit unit = Unit::kPerson) {
    RuleSpec spec;
    spec.eligibility = elig;
    spec.amount = amount;
    spec.cap_per_household = cap;
    spec.unit = unit;
    return MustBind(MustCompile(spec, ext_.schema()), frame_, bind_);
  }

  registry::Population pop_;
  std::shared_ptr<const Frame> frame_;
  EventContext event_;
  std::shared_ptr<const geo::Geography> geo_;
  Bindings bind_;
  Extensions ext_;
};

TEST_F(ExplainTest, EligibleWithAmountAndCap) {
  Evaluator e = Make("age < 6 and event.severity >= high",
                     "if age < 3 then 30000 else 20000", 40000);
  Explanation x = *e.Explain(1);
  EXPECT_TRUE(x.beneficiary);
  EXPECT_EQ(x.amount, 10000);
  EXPECT_EQ(x.text,
            "Person #1, household H0 (Tes (18149)), reference date "
            "2019-12-15, event: Zavkhan dzud 2019-20\n"
            "Eligibility:\n"
            "  [yes] age < 6 and event.severity >= high\n"
            "    [yes] age < 6 — age on 2019-12-15 = 4\n"
            "    [yes] event.severity >= high — event severity in Tes "
            "(18149) = high\n"
            "→ eligible\n"
            "Amount:\n"
            "  [no] age < 3 — age on 2019-12-15 = 4\n"
            "  → else:\n"
            "    20000\n"
            "→ 20000 MNT\n"
            "Household cap 40000 MNT (youngest first): 2 eligible member(s) "
            "claim 50000 → this person receives 10000\n"
            "Result: beneficiary, 10000 MNT\n");
}

TEST_F(ExplainTest, Mongolian) {
  Evaluator e = Make("age < 6 and event.severity >= high", "40000");
  Explanation x = *e.Explain(2, Language::kMongolian);
  EXPECT_EQ(x.text,
            "Иргэн #2, өрх H0 (Тэс (18149)), тооцох огноо 2019-12-15, "
            "гамшиг: Zavkhan dzud 2019-20\n"
            "Хамрагдах нөхцөл:\n"
            "  [тийм] age < 6 and event.severity >= high\n"
            "    [тийм] age < 6 — 2019-12-15 өдрийн байдлаар нас = 1\n"
            "    [тийм] event.severity >= high — Тэс (18149) сумын гамшгийн "
            "зэрэг = өндөр\n"
            "→ хамрагдана\n"
            "Дүн:\n"
            "  40000\n"
            "→ 40000 ₮\n"
            "Дүгнэлт: хамрагдана, 40000 ₮\n");
}

TEST_F(ExplainTest, NotEligibleNotBornAndUnknown) {
  Evaluator e = Make("age < 6 and (soum in [18101, 18110] or herder)", "1");
  Explanation x = *e.Explain(0);
  EXPECT_FALSE(x.beneficiary);
  EXPECT_EQ(x.amount, std::nullopt);
  EXPECT_NE(x.text.find("    [no] age < 6 — age on 2019-12-15 = 34\n"),
            std::string::npos);
  EXPECT_NE(x.text.find("    [no] soum in [18101, 18110] or herder\n"
                        "      [no] soum in [18101, 18110] — soum of "
                        "registration = Tes (18149)\n"
                        "      [no] herder — herder = no\n"),
            std::string::npos)
      << x.text;
  EXPECT_NE(x.text.find("→ not eligible\nResult: not a beneficiary\n"),
            std::string::npos);

  x = *e.Explain(3);
  EXPECT_NE(x.text.find("Not yet born on 2019-12-15 → not a beneficiary."),
            std::string::npos);

  e = Make("rci_quintile == 1", "1");
  x = *e.Explain(0);
  EXPECT_NE(x.text.find("  [unknown] rci_quintile == 1 — rci_quintile = "
                        "missing\n→ unknown (a value is missing) → not "
                        "eligible\n"),
            std::string::npos)
      << x.text;
  EXPECT_EQ(e.Explain(5).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(e.Explain(-1).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(ExplainTest, AmountFactsShowParametersAndHouseholdCounts) {
  Evaluator e =
      Make("household.children(under: 6) >= 2",
           "param(\"child_money.monthly\") * 0.8 + household.size * 100");
  Explanation x = *e.Explain(1);
  EXPECT_TRUE(x.beneficiary);
  EXPECT_EQ(x.amount, 16300);
  EXPECT_NE(x.text.find("  [yes] household.children(under: 6) >= 2 — "
                        "household members under 6 = 2\n"),
            std::string::npos)
      << x.text;
  EXPECT_NE(x.text.find("  param(\"child_money.monthly\") * 0.8 + "
                        "household.size * 100 = 16300 — "
                        "param(\"child_money.monthly\") on 2019-12-15 = "
                        "20000; household size = 3\n"),
            std::string::npos)
      << x.text;
}

TEST_F(ExplainTest, HouseholdRuleNamesThePayee) {
  Evaluator e =
      Make("household.herder", "50000", std::nullopt, Unit::kHousehold);
  Explanation x = *e.Explain(1);
  EXPECT_FALSE(x.beneficiary);
  EXPECT_NE(x.text.find("Household rule, tested on the payee #0\n"),
            std::string::npos);
  EXPECT_NE(x.text.find("The household is eligible; the payment goes to "
                        "the payee #0, not this person."),
            std::string::npos);
  x = *e.Explain(0);
  EXPECT_TRUE(x.beneficiary);
  EXPECT_EQ(x.amount, 50000);
}

TEST_F(ExplainTest, ZeroAfterTheCap) {
  // Both children claim 30000; the younger takes the whole cap.
  Evaluator e = Make("age < 6", "30000", 30000);
  Explanation x = *e.Explain(1);
  EXPECT_FALSE(x.beneficiary);
  EXPECT_NE(x.text.find("this person receives 0\nNothing to pay (0 MNT) → "
                        "not a beneficiary."),
            std::string::npos)
      << x.text;
  EXPECT_TRUE(e.Explain(2)->beneficiary);
}

}  // namespace
}  // namespace malchin::rules
