#include "insurance/pension.h"

#include <gtest/gtest.h>

#include <cmath>

#include "insurance/schemes.h"

namespace malchin::insurance {
namespace {

using registry::Sex;

Date D(const char* s) { return *Date::Parse(s); }
const params::ParameterSet& P() { return **params::ParameterSet::Embedded(); }

PensionInput Herder(Sex sex, const char* birth, const char* as_of, double years,
                    double herding) {
  PensionInput in;
  in.sex = sex;
  in.birth_date = D(birth);
  in.as_of = D(as_of);
  in.past_years = years;
  in.past_herding_years = herding;
  in.declared_income = 792000;
  return in;
}

TEST(PensionTest, HerderManRetiresEarlyAt55With20And15Years) {
  auto r = ProjectPension(
      P(), Herder(Sex::kMale, "1970-03-15", "2025-03-15", 20, 15));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->eligible);
  EXPECT_TRUE(r->early_herder);
  EXPECT_EQ(r->retirement_date, D("2025-03-15"));
  EXPECT_EQ(r->retirement_age, 55);
  EXPECT_DOUBLE_EQ(r->required_years, 22.0);  // 2025: 21y9m + 3 months.
  EXPECT_TRUE(r->proportional);
  EXPECT_NEAR(r->rate, 0.45 * 20 / 22.0, 1e-12);
  EXPECT_EQ(r->average_income, 792000);
  EXPECT_EQ(r->monthly_pension, std::llround(0.45 * 20 / 22.0 * 792000));
  EXPECT_GE(r->assumptions.size(), 5u);
  for (const auto& a : r->assumptions) {
    EXPECT_FALSE(a.mn.empty());
    EXPECT_FALSE(a.en.empty());
  }
}

TEST(PensionTest, EarlyRetirementBoundaries) {
  // One day short of 55: not yet.
  auto r = ProjectPension(
      P(), Herder(Sex::kMale, "1970-03-16", "2025-03-15", 20, 15));
  EXPECT_EQ(r->retirement_date, D("2025-03-16"));
  // 14.9 herding years and no more contributions: normal age 60 instead.
  r = ProjectPension(P(),
                     Herder(Sex::kMale, "1970-03-15", "2025-03-15", 20, 14.9));
  EXPECT_FALSE(r->early_herder);
  EXPECT_EQ(r->retirement_date, D("2030-03-15"));
  EXPECT_EQ(r->retirement_age, 60);
  // ... unless they herd 2 more months (rounded up).
  PensionInput in = Herder(Sex::kMale, "1970-03-15", "2025-03-15", 20, 14.9);
  in.more_years = 1;
  r = ProjectPension(P(), in);
  EXPECT_TRUE(r->early_herder);
  EXPECT_EQ(r->retirement_date, D("2025-05-15"));
  // Women: 50 with 20 years of which 12.5 herding.
  r = ProjectPension(
      P(), Herder(Sex::kFemale, "1975-01-01", "2025-01-01", 20, 12.5));
  EXPECT_TRUE(r->early_herder);
  EXPECT_EQ(r->retirement_age, 50);
  r = ProjectPension(
      P(), Herder(Sex::kFemale, "1975-01-01", "2025-01-01", 19.9, 19.9));
  EXPECT_FALSE(r->early_herder);
  EXPECT_EQ(r->retirement_age, 55);
}

TEST(PensionTest, ProportionalAndFullPension) {
  // Exactly 10 years: the smallest proportional pension.
  auto r = ProjectPension(
      P(), Herder(Sex::kFemale, "1970-06-01", "2025-06-01", 10, 0));
  ASSERT_TRUE(r->eligible);
  EXPECT_FALSE(r->early_herder);
  EXPECT_TRUE(r->proportional);
  EXPECT_NEAR(r->rate, 0.45 * 10 / 22.0, 1e-12);
  // 9.9 years and nothing more: no insurance pension.
  r = ProjectPension(P(),
                     Herder(Sex::kFemale, "1970-06-01", "2025-06-01", 9.9, 0));
  EXPECT_FALSE(r->eligible);
  // Exactly the requirement: 45%; three full years more: +4.5%.
  r = ProjectPension(P(),
                     Herder(Sex::kMale, "1965-01-01", "2025-01-01", 22, 0));
  EXPECT_FALSE(r->proportional);
  EXPECT_NEAR(r->rate, 0.45, 1e-12);
  r = ProjectPension(P(),
                     Herder(Sex::kMale, "1965-01-01", "2025-01-01", 25.5, 0));
  EXPECT_NEAR(r->rate, 0.45 + 3 * 0.015, 1e-12);
}

TEST(PensionTest, RisingRequirementAndMoreYears) {
  // A 30-year-old woman with 5 years who contributes 20 more: retires at
  // 55 in 2050 under the 25-year rule.
  PensionInput in = Herder(Sex::kFemale, "1995-01-01", "2025-01-01", 5, 5);
  in.more_years = 20;
  auto r = ProjectPension(P(), in);
  ASSERT_TRUE(r->eligible);
  EXPECT_EQ(r->required_years, 25);
  EXPECT_NEAR(r->years_at_retirement, 25, 1e-9);
  EXPECT_TRUE(r->early_herder);  // 25 >= 20 years, 25 >= 12.5 herding at 50.
  EXPECT_EQ(r->retirement_age, 50);
  EXPECT_NEAR(r->years_at_retirement, 25, 1e-9);
  EXPECT_FALSE(r->proportional);
  // With 10 more years instead of 20: no early retirement, a proportional
  // pension at 55.
  in.more_years = 10;
  auto fewer = ProjectPension(P(), in);
  EXPECT_FALSE(fewer->early_herder);
  EXPECT_EQ(fewer->retirement_age, 55);
  EXPECT_TRUE(fewer->proportional);
  EXPECT_NEAR(fewer->rate, 0.45 * 15 / 25, 1e-12);
  EXPECT_LT(fewer->monthly_pension, r->monthly_pension);
}

TEST(PensionTest, BestSixtyConsecutiveMonthsOfTheLedger) {
  PensionInput in = Herder(Sex::kMale, "1965-01-01", "2025-01-01", 22, 0);
  // 120 months: 60 at 500,000 then 60 at 900,000 then 1 at 100,000.
  int32_t m0 = MakeMonth(2014, 12);
  for (int i = 0; i < 121; ++i) {
    in.insured_income.push_back(
        {m0 + i, i < 60 ? 500000 : (i < 120 ? 900000 : 100000)});
  }
  auto r = ProjectPension(P(), in);
  EXPECT_EQ(r->average_income, 900000);
  EXPECT_EQ(r->monthly_pension, std::llround(0.45 * 900000));
}

}  // namespace
}  // namespace malchin::insurance
