#include "poverty/register_sim.h"

#include <gtest/gtest.h>

#include <cmath>

#include "poverty/microsim.h"

namespace malchin::poverty {
namespace {

// A tiny register: 4 households in two aimags (181 Zavkhan, 111 UB).
//   H1 (18110, herder): parents 40 and 38, children 10, 4, 1
//   H2 (18149, herder): one adult 70
//   H3 (11101): adult 30, child 17, child born after the reference date
//   H4 (11101): nobody born on the reference date
const Date kAsOf = Date::FromYmd(2019, 6, 1);

registry::Person P(int year, registry::Relation rel,
                   registry::Sex sex = registry::Sex::kFemale) {
  registry::Person p;
  p.birth_date = Date::FromYmd(year, 3, 15);
  p.relation = rel;
  p.sex = sex;
  return p;
}

struct Fixture {
  registry::Population pop;
  std::shared_ptr<const rules::Frame> frame;
  std::shared_ptr<const params::ParameterSet> params;

  Fixture() {
    auto add_hh = [&](std::string id, int32_t soum, bool herder) {
      registry::Household h;
      h.id = std::move(id);
      h.soum_code = h.current_soum_code = soum;
      h.herder = herder;
      if (herder) h.herd[registry::Species::kSheep] = 120;
      pop.AddHousehold(h);
      return static_cast<int32_t>(pop.households() - 1);
    };
    using R = registry::Relation;
    int32_t h1 = add_hh("H1", 18110, true);
    pop.AddPerson(P(1979, R::kHead, registry::Sex::kMale), h1);
    pop.AddPerson(P(1981, R::kSpouse), h1);
    pop.AddPerson(P(2009, R::kChild), h1);
    pop.AddPerson(P(2015, R::kChild), h1);
    pop.AddPerson(P(2018, R::kChild), h1);
    int32_t h2 = add_hh("H2", 18149, true);
    pop.AddPerson(P(1949, R::kHead), h2);
    int32_t h3 = add_hh("H3", 11101, false);
    pop.AddPerson(P(1989, R::kHead), h3);
    pop.AddPerson(P(2002, R::kChild), h3);
    pop.AddPerson(P(2020, R::kChild), h3);
    int32_t h4 = add_hh("H4", 11101, false);
    pop.AddPerson(P(2021, R::kHead), h4);
    params = *params::ParameterSet::Embedded();
    auto factors = registry::SheepUnitFactors::On(*params, kAsOf);
    EXPECT_TRUE(factors.ok());
    auto f = rules::Frame::Build(pop, kAsOf, *factors);
    EXPECT_TRUE(f.ok()) << f.status().ToString();
    frame = *f;
  }
};

RegisterProgramme ChildMoney() {
  RegisterProgramme p;
  p.programme = "child_money";
  p.rule.eligibility = "age <= param(\"child_money.max_age\")";
  p.rule.amount = "param(\"child_money.monthly\")";
  return p;
}

TEST(RegisterSimulation, ChildMoneyIncreaseCostsTheDifferencePerChild) {
  Fixture fx;
  // Baseline: the law in force in June 2019 (20,000). Reform: a parameter
  // patch to 100,000 from 2019-01-01; the rule text is the same.
  RegisterPolicy base{"baseline", fx.params, {ChildMoney()}, ""};
  auto patched = fx.params->Override(
      "child_money.monthly", {{Date::FromYmd(2019, 1, 1), 100000, "test", ""}});
  RegisterPolicy reform{"cmp100", patched, {ChildMoney()}, ""};
  auto r = SimulateRegister(fx.frame, base, reform, {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  // Children 0-17 born on the date: 10, 4, 1 in H1 and 17 in H3.
  EXPECT_EQ(r->persons, 8);  // born on the date: 5 + 1 + 2 + 0
  EXPECT_EQ(r->households, 4);
  ASSERT_EQ(r->programmes.size(), 1u);
  EXPECT_EQ(r->programmes[0].beneficiaries_baseline, 4);
  EXPECT_EQ(r->programmes[0].beneficiaries_reform, 4);
  EXPECT_EQ(r->programmes[0].baseline_month, 4 * 20000);
  EXPECT_EQ(r->programmes[0].reform_month, 4 * 100000);
  EXPECT_EQ(r->cost_change_month, 4 * 80000);
  EXPECT_EQ(r->cost_change_year, 12 * 4 * 80000);
  EXPECT_EQ(r->gaining_households, 2);
  EXPECT_EQ(r->persons_in_gaining_households, 5 + 2);
  EXPECT_EQ(r->losing_households, 0);
  ASSERT_EQ(r->by_aimag.size(), 2u);
  EXPECT_EQ(r->by_aimag[0].aimag, 111);
  EXPECT_EQ(r->by_aimag[0].change_month, 80000);
  EXPECT_EQ(r->by_aimag[1].aimag, 181);
  EXPECT_EQ(r->by_aimag[1].change_month, 3 * 80000);
  EXPECT_EQ(r->baseline_parameter_version, fx.params->version());
  EXPECT_FALSE(r->has_measures);
  EXPECT_EQ(r->data_fingerprint.size(), 16u);
}

TEST(RegisterSimulation, TakeUpAndAbolitionAndOneOffs) {
  Fixture fx;
  RegisterPolicy base{"baseline", fx.params, {ChildMoney()}, ""};
  // No take-up of the increase: nothing changes.
  RegisterProgramme cmp = ChildMoney();
  cmp.rule.amount = "100000";
  cmp.takeup = 0;
  auto none = SimulateRegister(fx.frame, base,
                               {"cmp100_no_takeup", fx.params, {cmp}, ""}, {});
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_EQ(none->cost_change_month, 0);
  // Take-up 0.5: each household takes up by its own stable draw.
  cmp.takeup = 0.5;
  RegisterOptions opt;
  opt.seed = 11;
  auto half =
      SimulateRegister(fx.frame, base, {"half", fx.params, {cmp}, ""}, opt);
  ASSERT_TRUE(half.ok());
  int64_t expected = 0;
  if (TakeupDraw(11, "child_money", RegisterUnitKey("H1")) < 0.5) {
    expected += 3 * 80000;
  }
  if (TakeupDraw(11, "child_money", RegisterUnitKey("H3")) < 0.5) {
    expected += 80000;
  }
  EXPECT_EQ(half->cost_change_month, expected);
  // Abolition, and a one-off dzud top-up for children 0-5 in event soums.
  RegisterProgramme dzud;
  dzud.programme = "dzud_topup";
  dzud.rule.eligibility = "age <= 5 and event.severity >= high";
  dzud.rule.amount = "40000";
  dzud.months = 1;
  rules::EventContext event;
  event.severity_by_soum = {{18110, rules::Severity::kHigh}};
  opt.event = &event;
  auto r =
      SimulateRegister(fx.frame, base, {"swap", fx.params, {dzud}, ""}, opt);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->programmes.size(), 2u);
  EXPECT_EQ(r->programmes[0].programme, "dzud_topup");
  EXPECT_EQ(r->programmes[0].change_month, 2 * 40000);  // ages 4 and 1
  EXPECT_EQ(r->programmes[0].change_year, 2 * 40000);
  EXPECT_EQ(r->programmes[1].programme, "child_money");
  EXPECT_EQ(r->programmes[1].change_month, -4 * 20000);
  EXPECT_EQ(r->cost_change_month, 2 * 40000 - 4 * 20000);
  EXPECT_EQ(r->cost_change_year, 2 * 40000 - 12 * 4 * 20000);
  EXPECT_EQ(r->losing_households, 1);  // H3 loses its child money
}

TEST(RegisterSimulation, MeasuresWhenConsumptionIsSupplied) {
  Fixture fx;
  RegisterPolicy base{"baseline", fx.params, {ChildMoney()}, ""};
  RegisterProgramme cmp = ChildMoney();
  cmp.rule.amount = "100000";
  RegisterOptions opt;
  std::vector<double> cons = {5 * 150000.0, 400000, 2 * 180000.0, 1};
  opt.consumption = cons;
  opt.poverty_line = 200000;
  auto r =
      SimulateRegister(fx.frame, base, {"cmp100", fx.params, {cmp}, ""}, opt);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_TRUE(r->has_measures);
  EXPECT_EQ(r->households_without_members, 1);
  const auto* nat = r->measures.baseline.Find("national");
  ASSERT_NE(nat, nullptr);
  EXPECT_DOUBLE_EQ((*nat)[Measure::kPopulation], 8);
  EXPECT_DOUBLE_EQ((*nat)[Measure::kFgt0], 7.0 / 8);
  const auto* after = r->measures.reform.Find("national");
  // H1: (750,000 + 240,000)/5 = 198,000 < z; H3: (360,000+80,000)/2 > z.
  EXPECT_DOUBLE_EQ((*after)[Measure::kFgt0], 5.0 / 8);
  EXPECT_TRUE(std::isnan(nat->SeLin(Measure::kFgt0)));  // full register
  EXPECT_NE(r->measures.baseline.Find("aimag_181"), nullptr);
  const double gap_b = 5 * 50000.0 + 2 * 20000.0;
  const double gap_r = 5 * 2000.0;
  EXPECT_NEAR(r->gap_closed_per_mnt_spent, (gap_b - gap_r) / 320000, 1e-12);
}

TEST(RegisterSimulation, PmtScoreIsUsableInRules) {
  Fixture fx;
  PmtModel m;
  m.name = "register_test";
  for (const char* t : {"(Intercept)", "hh_size", "log1p(sheep_units)"}) {
    m.terms.push_back(*ParsePmtTerm(t));
  }
  m.coefficients = {12.0, -0.1, 0.05};
  rules::Extensions ext;
  ASSERT_TRUE(AddPmtScoreColumn(m, *fx.frame, "pmt_score", &ext).ok());
  // H1: 12 - 0.5 + 0.05 log(121) = 11.74; H2: 11.9 + 0.24 = 12.14;
  // H3: 11.8; H4: missing.
  RegisterProgramme cash;
  cash.programme = "pmt_cash";
  cash.rule.eligibility = "has(pmt_score) and pmt_score <= 11.85";
  cash.rule.amount = "30000";
  cash.rule.unit = rules::Unit::kHousehold;
  RegisterOptions opt;
  opt.extensions = &ext;
  auto r = SimulateRegister(fx.frame, {"baseline", fx.params, {}, ""},
                            {"pmt", fx.params, {cash}, ""}, opt);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->cost_change_month, 2 * 30000);  // H1 and H3
  // A model naming a proxy the register does not hold fails clearly.
  m.terms.push_back(*ParsePmtTerm("car"));
  m.coefficients.push_back(0.3);
  rules::Extensions ext2;
  Status st = AddPmtScoreColumn(m, *fx.frame, "pmt_score", &ext2);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("'car'"), std::string::npos) << st.message();
}

TEST(RegisterSimulation, BadRulesAreNamed) {
  Fixture fx;
  RegisterProgramme bad = ChildMoney();
  bad.rule.eligibility = "agee <= 17";
  auto r = SimulateRegister(fx.frame, {"baseline", fx.params, {}, ""},
                            {"typo", fx.params, {bad}, ""}, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("programme 'child_money'"),
            std::string::npos)
      << r.status().message();
  RegisterProgramme twice = ChildMoney();
  auto d = SimulateRegister(fx.frame, {"baseline", fx.params, {}, ""},
                            {"dup", fx.params, {twice, twice}, ""}, {});
  ASSERT_FALSE(d.ok());
}

}  // namespace
}  // namespace malchin::poverty
