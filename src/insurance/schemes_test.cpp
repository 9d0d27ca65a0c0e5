#include "insurance/schemes.h"

#include <gtest/gtest.h>

#include <cmath>

namespace malchin::insurance {
namespace {

using insurance::InsuranceScheme;

Date D(const char* s) { return *Date::Parse(s); }
const params::ParameterSet& P() { return **params::ParameterSet::Embedded(); }

TEST(SchemesTest, MonthsParseAndPrint) {
  EXPECT_EQ(*ParseMonth("2025-03"), MakeMonth(2025, 3));
  EXPECT_EQ(MonthName(MakeMonth(2025, 3)), "2025-03");
  EXPECT_EQ(MonthOf(D("2025-03-31")), MakeMonth(2025, 3));
  EXPECT_EQ(FirstDayOf(MakeMonth(2024, 12)), D("2024-12-01"));
  EXPECT_FALSE(ParseMonth("2025-13").ok());
  EXPECT_FALSE(ParseMonth("2025-3").ok());
  EXPECT_NE(ParseMonth("x").status().message().find("YYYY-MM"),
            std::string::npos);
}

// Parameter dating: March 2025 uses the March 2025 minimum wage (660,000),
// April 2025 the new one (792,000).
TEST(SchemesTest, HealthPremiumIsOnePercentOfTheMinimumWageInForce) {
  auto mar = DueFor(P(), InsuranceScheme::kHealth, MakeMonth(2025, 3), 0);
  ASSERT_TRUE(mar.ok()) << mar.status().message();
  EXPECT_EQ(mar->minimum_wage, 660000);
  EXPECT_EQ(mar->amount, 6600);
  EXPECT_EQ(
      DueFor(P(), InsuranceScheme::kHealth, MakeMonth(2025, 4), 0)->amount,
      7920);
  EXPECT_EQ(
      DueFor(P(), InsuranceScheme::kHealth, MakeMonth(2019, 1), 0)->amount,
      3200);
  EXPECT_EQ(
      DueFor(P(), InsuranceScheme::kHealth, MakeMonth(2022, 6), 0)->amount,
      4200);
  EXPECT_EQ(
      DueFor(P(), InsuranceScheme::kHealth, MakeMonth(2023, 6), 0)->amount,
      5500);
  // Before 2019: the flat premiums.
  EXPECT_EQ(
      DueFor(P(), InsuranceScheme::kHealth, MakeMonth(2018, 5), 0)->amount,
      2000);
  EXPECT_EQ(DueFor(P(), InsuranceScheme::kHealth, MakeMonth(2016, 5), 0)
                .status()
                .code(),
            StatusCode::kFailedPrecondition);  // No minimum wage before 2017.
  EXPECT_EQ(
      *DueForMonths(P(), InsuranceScheme::kHealth, MakeMonth(2025, 2), 4, 0),
      6600 * 2 + 7920 * 2);
}

TEST(SchemesTest, SocialContributionOnDeclaredIncomeNotBelowMinimumWage) {
  auto mar = DueFor(P(), InsuranceScheme::kSocial, MakeMonth(2025, 3), 0);
  ASSERT_TRUE(mar.ok()) << mar.status().message();
  EXPECT_EQ(mar->income_base, 660000);
  EXPECT_DOUBLE_EQ(mar->rate, 0.125);
  EXPECT_EQ(mar->amount, 82500);
  auto low = DueFor(P(), InsuranceScheme::kSocial, MakeMonth(2025, 4), 500000);
  EXPECT_EQ(low->income_base, 792000);
  EXPECT_EQ(low->amount, 99000);
  auto high =
      DueFor(P(), InsuranceScheme::kSocial, MakeMonth(2025, 4), 1000000);
  EXPECT_EQ(high->amount, 125000);
  // An administrator's later rate applies from its date only.
  auto p = P().Override("insurance.social.voluntary.pension_rate",
                        {{D("2026-01-01"), 0.095, "test", "low"}});
  EXPECT_EQ(
      DueFor(*p, InsuranceScheme::kSocial, MakeMonth(2025, 12), 0)->amount,
      99000);
  EXPECT_EQ(DueFor(*p, InsuranceScheme::kSocial, MakeMonth(2026, 1), 0)->amount,
            std::llround(0.105 * 792000));
}

TEST(SchemesTest, InKindValuedAtTheDatedPriceOfTheAimag) {
  insurance::InKindValuation v;
  EXPECT_EQ(*ValueInKind(P(), 181, "sheep", 2, D("2023-12-31"), &v), 300000);
  EXPECT_EQ(v.unit_price, 150000);
  EXPECT_EQ(v.price_from, D("2019-01-01"));
  EXPECT_EQ(*ValueInKind(P(), 181, "sheep", 2, D("2024-01-01"), &v), 360000);
  EXPECT_EQ(v.price_from, D("2024-01-01"));
  EXPECT_NE(v.price_source.find("insurance.in_kind.sheep"), std::string::npos);
  EXPECT_EQ(*ValueInKind(P(), 181, "cashmere", 0.75, D("2025-05-01"), &v),
            90000);
  // An aimag's own price table takes precedence from its date.
  auto p = P().Override("insurance.in_kind.cashmere.aimag_181",
                        {{D("2025-01-01"), 140000, "Zavkhan SIGO", "high"}});
  EXPECT_EQ(*ValueInKind(*p, 181, "cashmere", 1, D("2025-05-01"), &v), 140000);
  EXPECT_EQ(v.price_from, D("2025-01-01"));
  EXPECT_EQ(*ValueInKind(*p, 181, "cashmere", 1, D("2024-05-01"), &v),
            120000);  // Before the aimag's table: the national one.
  EXPECT_EQ(*ValueInKind(*p, 182, "cashmere", 1, D("2025-05-01"), &v), 120000);
  EXPECT_EQ(
      ValueInKind(P(), 181, "yak", 1, D("2025-05-01"), &v).status().field(),
      "item");
  EXPECT_EQ(
      ValueInKind(P(), 181, "goat", 1.5, D("2025-05-01"), &v).status().field(),
      "quantity");
  EXPECT_FALSE(ValueInKind(P(), 181, "cashmere", 0, D("2025-05-01"), &v).ok());
}

TEST(SchemesTest, ShippedPensionParameters) {
  const auto& p = P();
  EXPECT_EQ(*p.Value("pension.full_years", D("2017-12-31")), 20);
  EXPECT_EQ(*p.Value("pension.full_years", D("2024-06-01")), 21.75);
  EXPECT_EQ(*p.Value("pension.full_years", D("2037-01-01")), 25);
  EXPECT_EQ(*p.Value("pension.full_years", D("2050-01-01")), 25);
  EXPECT_EQ(*p.Value("pension.herder_early.min_herding_years.female",
                     D("2020-01-01")),
            12.5);
  EXPECT_FALSE(p.Value("pension.herder_early_age.male", D("2017-12-31")).ok());
  for (const auto& name : p.Names()) {
    if (name.rfind("insurance.", 0) && name.rfind("pension.", 0)) continue;
    for (const auto& v : p.History(name)) {
      EXPECT_FALSE(v.source.empty()) << name;
      EXPECT_FALSE(v.confidence.empty()) << name;
    }
  }
}

}  // namespace
}  // namespace malchin::insurance
