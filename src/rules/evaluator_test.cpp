// The evaluator on a small handmade register: ages on boundary dates,
// severity ordering, lists, household aggregates, extension columns and
// missing values, parameters, caps, household rules and the preview's
// aggregation.
#include "rules/evaluator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "params/parameters.h"
#include "rules/money.h"
#include "rules/test_util.h"

namespace malchin::rules {
namespace {

using namespace testing;  // NOLINT: test helpers.

// The register of the tests, on 2019-12-15 (the Zavkhan phase-1 cut-off).
//   H0 Tes 18149, herder, 150 sheep: p0 head F 34, p1 M born 2013-12-15
//      (6 on the day), p2 F 2013-12-16 (5), p3 F 2016-02-29 (3), p4 M
//      2019-11-15 (1 month, disability).
//   H1 Uliastai 18101: p5 head M, p6 spouse F, p7 F 2015-06-01 (4).
//   H2 Ikh-Uul 18125 now in Tes 18149, herder, 300 sheep: p8 head M
//      (herder), p9 M 2 years, p10 F 1 year, p11 born 2020 (not yet).
//   H3 Tosontsengel 18140, herder, 50 sheep: p12 head F (disability),
//      p13 F 2014-12-16 (4).
//   H4 Bayantes 18110, no head: p14 M 19.
registry::Population MakeRegister() {
  PopulationBuilder b;
  int h0 = b.Household(18149, true, 150);
  b.Person(h0, "1985-03-01", kF, kHead);
  b.Person(h0, "2013-12-15", kM);
  b.Person(h0, "2013-12-16", kF);
  b.Person(h0, "2016-02-29", kF);
  b.Person(h0, "2019-11-15", kM, kChild, /*disability=*/true);
  int h1 = b.Household(18101);
  b.Person(h1, "1970-01-01", kM, kHead);
  b.Person(h1, "1972-05-05", kF, kSpouse);
  b.Person(h1, "2015-06-01", kF);
  int h2 = b.Household(18125, true, 300, 18149);
  b.Person(h2, "1980-01-01", kM, kHead, false, /*herder=*/true);
  b.Person(h2, "2017-01-01", kM);
  b.Person(h2, "2018-01-01", kF);
  b.Person(h2, "2020-01-01", kM);
  int h3 = b.Household(18140, true, 50);
  b.Person(h3, "1990-01-01", kF, kHead, true);
  b.Person(h3, "2014-12-16", kF);
  int h4 = b.Household(18110);
  b.Person(h4, "2000-12-15", kM, registry::Relation::kOther);
  return b.pop();
}

EventContext ZavkhanEvent() {
  EventContext e;
  e.name = "Zavkhan dzud 2019-20";
  e.severity_by_soum = {{18149, Severity::kVeryHigh},
                        {18125, Severity::kHigh},
                        {18140, Severity::kMedium},
                        {18110, Severity::kLow}};
  return e;
}

class EvaluatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    pop_ = MakeRegister();
    frame_ = *Frame::Build(pop_, D("2019-12-15"), Factors());
    event_ = ZavkhanEvent();
    params_ = *params::ParameterSet::Embedded();
    // rci_quintile per household: H1 and H4 have none.
    ASSERT_TRUE(ext_.Add(ColumnSpec::Number("rci_quintile", "",
                                            Scope::kHousehold, true),
                         {1, 0, 3, 1, 0}, {1, 0, 1, 1, 0})
                    .ok());
    std::vector<double> enrolled(pop_.persons(), 0);
    for (int p : {1, 2, 3, 4, 7, 9, 10, 13}) enrolled[p] = 1;
    ASSERT_TRUE(
        ext_.Add(ColumnSpec::YesNo("enrolled", "child_money"), enrolled).ok());
  }

  Bindings Bind() {
    Bindings b;
    b.event = &event_;
    b.parameters = params_;
    b.extensions = &ext_;
    return b;
  }

  // Persons selected by `eligibility` (amount 1 each).
  std::vector<int> Who(const std::string& eligibility,
                       Unit unit = Unit::kPerson) {
    RuleSpec spec;
    spec.eligibility = eligibility;
    spec.amount = "1";
    spec.unit = unit;
    Evaluator ev = MustBind(MustCompile(spec, ext_.schema()), frame_, Bind());
    std::vector<int> out;
    for (const Beneficiary& b : ev.Select()) out.push_back(b.person);
    return out;
  }

  Preview PreviewOf(const RuleSpec& spec) {
    return MustBind(MustCompile(spec, ext_.schema()), frame_, Bind())
        .ComputePreview();
  }

  registry::Population pop_;
  std::shared_ptr<const Frame> frame_;
  EventContext event_;
  std::shared_ptr<const params::ParameterSet> params_;
  Extensions ext_;
};

using V = std::vector<int>;

TEST_F(EvaluatorTest, AgeOnTheCutOffDate) {
  // p1 turns 6 on the cut-off day itself; p11 is not born yet.
  EXPECT_EQ(Who("age < 6"), (V{2, 3, 4, 7, 9, 10, 13}));
  EXPECT_EQ(Who("age == 6"), (V{1}));
  EXPECT_EQ(Who("age_months < 72"), (V{2, 3, 4, 7, 9, 10, 13}));
  EXPECT_EQ(Who("age_months == 1"), (V{4}));
  EXPECT_EQ(Who("age <= 5 and age >= 4"), (V{2, 7, 13}));
  EXPECT_EQ(Who("birth_date >= 2014-12-16"), (V{3, 4, 7, 9, 10, 13}));
  EXPECT_EQ(Who("age < 0"), V{});
}

TEST(FrameTest, AgesMatchTheCalendarIncludingLeapDays) {
  PopulationBuilder b;
  int h = b.Household(18149);
  std::vector<Date> births;
  for (Date d = D("2011-12-20"); d <= D("2020-03-05"); d = d.AddDays(17)) {
    births.push_back(d);
  }
  for (const char* s : {"2012-02-29", "2016-02-29", "2016-02-28", "2016-03-01",
                        "2013-12-15", "2013-12-16"}) {
    births.push_back(D(s));
  }
  for (Date d : births) {
    b.Person(h, d.ToString().c_str(), kF);
  }
  for (const char* on : {"2019-02-28", "2019-03-01", "2020-02-28", "2020-02-29",
                         "2020-03-01", "2019-12-15"}) {
    auto frame = *Frame::Build(b.pop(), D(on), Factors());
    for (size_t p = 0; p < births.size(); ++p) {
      Date born = births[p];
      int months = (D(on).year() - born.year()) * 12 +
                   (D(on).month() - born.month()) -
                   (D(on).day() < born.day() ? 1 : 0);
      ASSERT_EQ(frame->Age(p), born.AgeOn(D(on)))
          << born.ToString() << " " << on;
      ASSERT_EQ(frame->AgeMonths(p), months) << born.ToString() << " " << on;
      if (born <= D(on)) {
        ASSERT_EQ(frame->AgeMonths(p) / 12, frame->Age(p));
      }
    }
  }
  // 29 February: 2 on 28 Feb 2019, 3 on 1 Mar 2019, 4 on 29 Feb 2020.
  auto on = [&](const char* d) {
    return (*Frame::Build(b.pop(), D(d), Factors()))->Age(births.size() - 5);
  };
  EXPECT_EQ(on("2019-02-28"), 2);
  EXPECT_EQ(on("2019-03-01"), 3);
  EXPECT_EQ(on("2020-02-28"), 3);
  EXPECT_EQ(on("2020-02-29"), 4);
}

TEST(FrameTest, HouseholdColumnsAndMembership) {
  registry::Population pop = MakeRegister();
  auto f = *Frame::Build(pop, D("2019-12-15"), Factors());
  EXPECT_TRUE(f->identity());
  EXPECT_EQ(f->Size(0), 5);
  EXPECT_EQ(f->Size(2), 3);  // p11 is not born yet.
  EXPECT_EQ(f->Payee(0), 0);
  EXPECT_EQ(f->Payee(4), 14);  // No head: the first member.
  EXPECT_TRUE(f->FemaleHead(0));
  EXPECT_FALSE(f->FemaleHead(1));
  EXPECT_FALSE(f->FemaleHead(4));
  EXPECT_DOUBLE_EQ(f->SheepUnits(2), 300);
  EXPECT_EQ(std::vector<int32_t>(f->Members(2).begin(), f->Members(2).end()),
            (std::vector<int32_t>{8, 9, 10, 11}));
  EXPECT_EQ(f->soum_codes(),
            (std::vector<int32_t>{18101, 18110, 18125, 18140, 18149}));

  // Persons out of household order: members are still grouped.
  registry::Population mixed = pop;
  std::swap(mixed.household[1], mixed.household[5]);  // p1 <-> p5 homes.
  auto g = *Frame::Build(mixed, D("2019-12-15"), Factors());
  EXPECT_FALSE(g->identity());
  EXPECT_EQ(std::vector<int32_t>(g->Members(0).begin(), g->Members(0).end()),
            (std::vector<int32_t>{0, 2, 3, 4, 5}));
  EXPECT_EQ(g->PersonAt(4), 5);

  registry::Population bad = pop;
  bad.household[3] = 9;
  EXPECT_EQ(Frame::Build(bad, D("2019-12-15"), Factors()).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(EvaluatorTest, SeverityIsOrdered) {
  EXPECT_EQ(Who("age < 6 and event.severity >= high"), (V{2, 3, 4, 9, 10}));
  EXPECT_EQ(Who("event.severity == medium"), (V{12, 13}));
  EXPECT_EQ(Who("event.severity > none and event.severity < medium"), (V{14}));
  EXPECT_EQ(Who("event.severity == none"), (V{5, 6, 7}));
  EXPECT_EQ(Who("event.current_severity >= very_high"),
            (V{0, 1, 2, 3, 4, 8, 9, 10}));
  EXPECT_EQ(Who("event.severity in [low, \"medium\"]"), (V{12, 13, 14}));
}

TEST_F(EvaluatorTest, ListsAndAreas) {
  EXPECT_EQ(Who("current_soum in event.soums"),
            (V{0, 1, 2, 3, 4, 8, 9, 10, 12, 13, 14}));
  EXPECT_EQ(Who("soum not in event.soums"), (V{5, 6, 7}));
  EXPECT_EQ(Who("soum in [18110, 18125, 18140, 18149] and age <= 5"),
            (V{2, 3, 4, 9, 10, 13}));
  EXPECT_EQ(Who("aimag == 181 and soum != 18101"),
            (V{0, 1, 2, 3, 4, 8, 9, 10, 12, 13, 14}));
  EXPECT_EQ(Who("current_aimag == 181 and current_soum == 18149"),
            (V{0, 1, 2, 3, 4, 8, 9, 10}));
  EXPECT_EQ(Who("soum in []"), V{});
  // Elements that vary by person.
  EXPECT_EQ(Who("age in [household.size, 3]"), (V{2, 3}));
}

TEST_F(EvaluatorTest, PersonFields) {
  EXPECT_EQ(Who("sex == \"F\""), (V{0, 2, 3, 6, 7, 10, 12, 13}));
  EXPECT_EQ(Who("sex == female"), (V{0, 2, 3, 6, 7, 10, 12, 13}));
  EXPECT_EQ(Who("sex != \"F\" and age > 18"), (V{5, 8, 14}));
  EXPECT_EQ(Who("relation == head"), (V{0, 5, 8, 12}));
  EXPECT_EQ(Who("relation in [\"spouse\", other]"), (V{6, 14}));
  EXPECT_EQ(Who("disability"), (V{4, 12}));
  EXPECT_EQ(Who("disability == false and age < 2"), (V{10}));
  EXPECT_EQ(Who("herder"), (V{8}));
}

TEST_F(EvaluatorTest, HouseholdHeadSexAndAge) {
  // Heads: H0 p0 F 34, H1 p5 M 49, H2 p8 M 39, H3 p12 F 29; H4 has none.
  EXPECT_EQ(Who("household.head.sex == F"), (V{0, 1, 2, 3, 4, 12, 13}));
  EXPECT_EQ(Who("household.head.sex == \"M\""), (V{5, 6, 7, 8, 9, 10}));
  EXPECT_EQ(Who("household.head.age < 40"),
            (V{0, 1, 2, 3, 4, 8, 9, 10, 12, 13}));
  // No head: unknown, so neither condition nor its negation holds.
  EXPECT_EQ(Who("not has(household.head.age)"), (V{14}));
  EXPECT_EQ(Who("household.head.sex != F and age > 18"), (V{5, 6, 8}));
  // The rams example of the programme (issue #21), per household.
  EXPECT_EQ(Who("household.sheep_units < 200 and (household.head.sex == F or "
                "household.head.age < 35)",
                Unit::kHousehold),
            (V{0, 12}));
}

TEST_F(EvaluatorTest, HouseholdAggregates) {
  EXPECT_EQ(Who("household.herder and household.sheep_units < 200"),
            (V{0, 1, 2, 3, 4, 12, 13}));
  EXPECT_EQ(Who("household.female_head"), (V{0, 1, 2, 3, 4, 12, 13}));
  EXPECT_EQ(Who("household.size >= 5"), (V{0, 1, 2, 3, 4}));
  EXPECT_EQ(Who("household.size == 3 and relation == head"), (V{5, 8}));
  EXPECT_EQ(Who("household.children(under: 6) >= 2"),
            (V{0, 1, 2, 3, 4, 8, 9, 10}));
  EXPECT_EQ(Who("household.children(under: 1) == 1"), (V{0, 1, 2, 3, 4}));
  EXPECT_EQ(Who("household.count(disability) >= 1 and age > 18"), (V{0, 12}));
  EXPECT_EQ(Who("household.count(sex == female and age >= 18) == 0"),
            (V{8, 9, 10, 14}));
  EXPECT_EQ(Who("household.sheep >= 300 and household.livestock == 300"),
            (V{8, 9, 10}));
  EXPECT_EQ(
      Who("household.herder and household.sheep_units < 200", Unit::kHousehold),
      (V{0, 12}));
  // A household rule with person fields reads the payee's.
  EXPECT_EQ(Who("sex == male", Unit::kHousehold), (V{5, 8, 14}));
}

TEST_F(EvaluatorTest, ExtensionsAndMissingValues) {
  EXPECT_EQ(Who("has(rci_quintile) and rci_quintile == 1"),
            (V{0, 1, 2, 3, 4, 12, 13}));
  EXPECT_EQ(Who("rci_quintile == 1"), (V{0, 1, 2, 3, 4, 12, 13}));
  // Unknown stays unknown through 'not': the missing are never selected.
  EXPECT_EQ(Who("not (rci_quintile == 1)"), (V{8, 9, 10}));
  EXPECT_EQ(Who("not has(rci_quintile)"), (V{5, 6, 7, 14}));
  // ... unless another part decides: false and unknown is false, true or
  // unknown is true.
  EXPECT_EQ(Who("rci_quintile == 1 or age > 40"),
            (V{0, 1, 2, 3, 4, 5, 6, 12, 13}));
  EXPECT_EQ(Who("enrolled(\"child_money\") and age < 6"),
            (V{2, 3, 4, 7, 9, 10, 13}));

  RuleSpec spec;
  spec.eligibility = "rci_quintile == 1";
  spec.amount = "1";
  Preview p = PreviewOf(spec);
  EXPECT_EQ(p.national.beneficiaries, 7);
  EXPECT_EQ(p.unknown_eligibility, 4);  // p5, p6, p7, p14.

  spec.eligibility = "age >= 18";
  spec.amount = "100 / rci_quintile";  // Missing -> unknown amount.
  p = PreviewOf(spec);
  EXPECT_EQ(p.national.beneficiaries, 3);  // p0, p8, p12.
  EXPECT_EQ(p.national.amount, 100 + 33 + 100);
  EXPECT_EQ(p.unknown_amount, 3);  // p5, p6, p14.
}

TEST_F(EvaluatorTest, AmountsAndParameters) {
  RuleSpec spec;
  spec.eligibility = "age < 6";
  spec.amount = "param(\"child_money.monthly\") * 0.8";
  Preview p = PreviewOf(spec);
  EXPECT_EQ(p.national.beneficiaries, 7);
  EXPECT_EQ(p.national.amount, 7 * 16000);

  auto april = *Frame::Build(pop_, D("2020-04-15"), Factors());
  Evaluator ev = MustBind(MustCompile(spec), april, Bind());
  EXPECT_EQ(ev.Select().front().amount, 80000);

  spec.amount = "if age < 3 then 30000 else 20000";
  ev = MustBind(MustCompile(spec), frame_, Bind());
  std::vector<std::pair<int, int64_t>> got;
  for (const Beneficiary& b : ev.Select()) got.emplace_back(b.person, b.amount);
  EXPECT_EQ(got, (std::vector<std::pair<int, int64_t>>{{2, 20000},
                                                       {3, 20000},
                                                       {4, 30000},
                                                       {7, 20000},
                                                       {9, 30000},
                                                       {10, 30000},
                                                       {13, 20000}}));
  // Formulas giving 0 pay nobody.
  spec.amount = "if age < 3 then 30000 else 0";
  p = PreviewOf(spec);
  EXPECT_EQ(p.national.beneficiaries, 3);
  EXPECT_EQ(p.zero_amount, 4);
}

TEST_F(EvaluatorTest, CapsYoungestFirstAndProportional) {
  RuleSpec spec;
  spec.eligibility = "age < 6";
  spec.amount = "if age < 3 then 30000 else 20000";
  spec.cap_per_household = 50000;
  Evaluator ev = MustBind(MustCompile(spec), frame_, Bind());
  std::vector<std::pair<int, int64_t>> got;
  for (const Beneficiary& b : ev.Select()) got.emplace_back(b.person, b.amount);
  // H0 claims 70000: p4 (youngest) 30000, p3 20000, p2 nothing left.
  // H2 claims 60000: p10 30000, p9 20000.
  EXPECT_EQ(got, (std::vector<std::pair<int, int64_t>>{{3, 20000},
                                                       {4, 30000},
                                                       {7, 20000},
                                                       {9, 20000},
                                                       {10, 30000},
                                                       {13, 20000}}));
  Preview p = ev.ComputePreview();
  EXPECT_EQ(p.national.amount, 140000);
  EXPECT_EQ(p.amount_before_cap, 170000);
  EXPECT_EQ(p.capped_households, 2);
  EXPECT_EQ(p.zero_amount, 1);

  spec.cap_order = CapOrder::kProportional;
  ev = MustBind(MustCompile(spec), frame_, Bind());
  got.clear();
  for (const Beneficiary& b : ev.Select()) {
    if (b.household == 0) got.emplace_back(b.person, b.amount);
  }
  // 50000 shared 20:20:30; the 2 tögrög left go to the largest remainders.
  EXPECT_EQ(got, (std::vector<std::pair<int, int64_t>>{
                     {2, 14286}, {3, 14286}, {4, 21428}}));
}

TEST_F(EvaluatorTest, PreviewAggregatesByAreaSexBandAndDisability) {
  RuleSpec spec;
  spec.eligibility = "age < 6";
  spec.amount = "if age < 3 then 30000 else 20000";
  spec.cap_per_household = 50000;
  Preview p = PreviewOf(spec);
  EXPECT_EQ(p.national.beneficiaries, 6);
  EXPECT_EQ(p.national.households, 4);
  EXPECT_EQ(p.national.members, 5 + 3 + 3 + 2);
  ASSERT_EQ(p.by_aimag.size(), 1u);
  EXPECT_EQ(p.by_aimag[0].code, 181);
  EXPECT_EQ(p.by_aimag[0].amount, 140000);
  std::vector<std::tuple<int32_t, int64_t, int64_t>> soums;
  for (const AreaTotal& t : p.by_soum) {
    soums.emplace_back(t.code, t.beneficiaries, t.amount);
  }
  EXPECT_EQ(soums, (std::vector<std::tuple<int32_t, int64_t, int64_t>>{
                       {18101, 1, 20000},
                       {18125, 2, 50000},
                       {18140, 1, 20000},
                       {18149, 2, 50000}}));
  // Tes: p3 (F, 0-4) 20000 and p4 (M, 0-4, disability) 30000.
  std::vector<PreviewCell> tes;
  for (const PreviewCell& c : p.cells) {
    if (c.soum_code == 18149) tes.push_back(c);
  }
  ASSERT_EQ(tes.size(), 2u);
  EXPECT_EQ(tes[0].sex, kF);
  EXPECT_EQ(tes[0].age_band, 0);
  EXPECT_FALSE(tes[0].disability);
  EXPECT_EQ(tes[0].amount, 20000);
  EXPECT_EQ(tes[1].sex, kM);
  EXPECT_TRUE(tes[1].disability);
  EXPECT_EQ(tes[1].amount, 30000);
  EXPECT_EQ(p.beneficiaries_by_sex_band_disability[0][0][0], 4);  // F 0-4.
  EXPECT_EQ(p.beneficiaries_by_sex_band_disability[1][0][1], 1);  // p4.
  EXPECT_EQ(p.beneficiaries_by_sex_band_disability[1][0][0], 1);  // p9.
  int64_t sum = 0;
  for (const PreviewCell& c : p.cells) sum += c.amount;
  EXPECT_EQ(sum, p.national.amount);
}

TEST_F(EvaluatorTest, SameResultsWhenPersonsAreOutOfHouseholdOrder) {
  // The same register with persons listed in reverse.
  registry::Population rev;
  rev.household_id = pop_.household_id;
  rev.soum_code = pop_.soum_code;
  rev.current_soum_code = pop_.current_soum_code;
  rev.household_herder = pop_.household_herder;
  rev.herd = pop_.herd;
  const size_t n = pop_.persons();
  for (size_t k = 0; k < n; ++k) {
    size_t p = n - 1 - k;
    rev.household.push_back(pop_.household[p]);
    rev.birth_days.push_back(pop_.birth_days[p]);
    rev.sex.push_back(pop_.sex[p]);
    rev.relation.push_back(pop_.relation[p]);
    rev.disability.push_back(pop_.disability[p]);
    rev.herder.push_back(pop_.herder[p]);
  }
  auto rframe = *Frame::Build(rev, D("2019-12-15"), Factors());
  EXPECT_FALSE(rframe->identity());
  RuleSpec spec;
  spec.eligibility =
      "age < 6 and household.children(under: 6) >= 1 and "
      "event.severity >= medium";
  spec.amount = "if age < 3 then 30000 else 20000";
  spec.cap_per_household = 50000;
  Bindings b;
  b.event = &event_;
  Rule rule = MustCompile(spec);
  Preview a = MustBind(rule, frame_, b).ComputePreview();
  Preview r = MustBind(rule, rframe, b).ComputePreview();
  EXPECT_EQ(a.national.beneficiaries, r.national.beneficiaries);
  EXPECT_EQ(a.national.amount, r.national.amount);
  EXPECT_EQ(a.cells.size(), r.cells.size());
  std::set<std::pair<int, int64_t>> sa, sr;
  for (const Beneficiary& x : MustBind(rule, frame_, b).Select()) {
    sa.emplace(x.person, x.amount);
  }
  for (const Beneficiary& x : MustBind(rule, rframe, b).Select()) {
    sr.emplace(static_cast<int>(n - 1 - x.person), x.amount);
  }
  EXPECT_EQ(sa, sr);
}

TEST_F(EvaluatorTest, BindNamesWhatIsMissing) {
  RuleSpec spec;
  spec.eligibility = "age < 6";
  spec.amount = "param(\"child_money.monthly\")";
  Rule rule = MustCompile(spec);
  auto r = Evaluator::Bind(rule, frame_, {});
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("no parameter set"), std::string::npos);

  auto old = *Frame::Build(pop_, D("2010-01-01"), Factors());
  r = Evaluator::Bind(rule, old, Bind());
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("on 2010-01-01"), std::string::npos);

  spec.amount = "1";
  spec.eligibility = "rci_quintile == 1";
  rule = MustCompile(spec, ext_.schema());
  r = Evaluator::Bind(rule, frame_, {});
  EXPECT_EQ(r.status().message(),
            "the rule uses rci_quintile but no values were supplied");
  Extensions short_ext;
  ASSERT_TRUE(
      short_ext
          .Add(ColumnSpec::Number("rci_quintile", "", Scope::kHousehold, true),
               {1, 2})
          .ok());
  Bindings b;
  b.extensions = &short_ext;
  r = Evaluator::Bind(rule, frame_, b);
  EXPECT_EQ(r.status().message(),
            "rci_quintile has 2 values but the register has 5 households");
  EventContext bad;
  bad.severity_by_soum[123456] = Severity::kHigh;
  b.event = &bad;
  RuleSpec simple;
  simple.eligibility = "age < 6";
  simple.amount = "1";
  EXPECT_EQ(Evaluator::Bind(MustCompile(simple), frame_, b).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(EvaluatorTest, NoEventMeansSeverityNone) {
  RuleSpec spec;
  spec.eligibility = "event.severity == none and not (soum in event.soums)";
  spec.amount = "1";
  Evaluator ev = MustBind(MustCompile(spec), frame_, {});
  EXPECT_EQ(ev.ComputePreview().national.beneficiaries, 14);
}

TEST(MoneyTest, RoundingIsDefined) {
  EXPECT_EQ(RoundMoney(40000), 40000);
  EXPECT_EQ(RoundMoney(0.5), 1);
  EXPECT_EQ(RoundMoney(2.5), 3);
  EXPECT_EQ(RoundMoney(2.4999), 2);
  EXPECT_EQ(RoundMoney(30 * 0.15), 5);  // 4.499999... in binary.
  EXPECT_EQ(RoundMoney(20000 * 0.8), 16000);
  EXPECT_EQ(RoundMoney(100.0 / 3), 33);
  EXPECT_EQ(RoundMoney(-5), 0);
  EXPECT_EQ(RoundMoney(std::nan("")), std::nullopt);
  EXPECT_EQ(RoundMoney(INFINITY), std::nullopt);
  EXPECT_EQ(RoundMoney(1e13), std::nullopt);
  EXPECT_EQ(RoundMoney(1e12), kMaxAmount);
}

TEST(MoneyTest, CapSharingProperties) {
  uint64_t x = 7;
  auto next = [&] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  };
  for (int round = 0; round < 2000; ++round) {
    std::vector<Claim> claims;
    int n = 1 + static_cast<int>(next() % 6);
    int64_t total = 0;
    for (int i = 0; i < n; ++i) {
      Claim c{i, static_cast<int32_t>(17000 + next() % 3),
              static_cast<int64_t>(next() % 100000)};
      total += c.amount;
      claims.push_back(c);
    }
    int64_t cap = 1 + static_cast<int64_t>(next() % 150000);
    for (CapOrder order : {CapOrder::kYoungestFirst, CapOrder::kProportional}) {
      std::vector<Claim> a = claims;
      ApplyCap(a, cap, order);
      std::vector<Claim> b(claims.rbegin(), claims.rend());
      ApplyCap(b, cap, order);
      int64_t sum = 0;
      for (size_t i = 0; i < a.size(); ++i) {
        EXPECT_LE(a[i].amount, claims[i].amount);
        EXPECT_GE(a[i].amount, 0);
        EXPECT_EQ(a[i].amount, b[a.size() - 1 - i].amount);  // Order-free.
        sum += a[i].amount;
      }
      EXPECT_EQ(sum, std::min(total, cap));
    }
  }
}

}  // namespace
}  // namespace malchin::rules
