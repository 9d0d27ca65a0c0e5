#include "insurance/coverage.h"

#include <gtest/gtest.h>

#include "insurance/schemes.h"
#include "insurance/test_snapshot.h"

namespace malchin::insurance {
namespace {

using insurance::InsuranceScheme;
Date D(const char* s) { return *Date::Parse(s); }
const params::ParameterSet& P() { return **params::ParameterSet::Embedded(); }

TEST(CoverageTest, RatesBySoumSexAndAgeBandAgainstTargets) {
  testing::SnapshotBuilder b;
  int h1 = b.Household(18140), h2 = b.Household(18125);
  const int32_t jan = MakeMonth(2025, 1), jun = MakeMonth(2025, 6);
  // Soum 18140: two women 30-44, one socially insured Jan-Mar only.
  b.Person(h1, "A1", 0, D("1990-05-01"), {{jan, jan + 2}}, {{jan, jun}});
  b.Person(h1, "A2", 0, D("1985-05-01"));
  // A man of 70 (outside working age) and a child are not counted.
  b.Person(h1, "A3", 1, D("1955-05-01"), {{jan, jun}});
  b.Person(h1, "A4", 1, D("2015-05-01"));
  // Soum 18125: a young man insured all half-year.
  b.Person(h2, "B1", 1, D("2000-02-01"), {{jan, jun}}, {{jan, jun}});
  const auto& snap = b.Build();
  CoverageQuery q;
  q.months = {jan, MakeMonth(2025, 4)};
  auto t = ComputeCoverage(P(), snap, q);
  ASSERT_TRUE(t.ok()) << t.status().message();
  ASSERT_EQ(t->cells.size(), 4u);  // 2 months x 2 populated cells.
  const CoverageCell& a = t->cells[0];
  EXPECT_EQ(a.month, jan);
  EXPECT_EQ(a.area, 18125);
  EXPECT_EQ(a.sex, 1);
  EXPECT_EQ(a.age_band, registry::AgeBandOf(24));
  const CoverageCell& c = t->cells[1];
  EXPECT_EQ(c.area, 18140);
  EXPECT_EQ(c.persons, 2);
  EXPECT_EQ(c.insured[0], 1);
  EXPECT_DOUBLE_EQ(c.rate(InsuranceScheme::kSocial), 0.5);
  EXPECT_EQ(t->cells[3].insured[0], 0);  // April: the span ended in March.
  EXPECT_EQ(t->cells[3].insured[1], 1);
  EXPECT_DOUBLE_EQ(t->target[0][0], 0.20);
  EXPECT_DOUBLE_EQ(t->target[1][0], 0.50);
  // The list behind the 18140 figure.
  auto insured = PersonsInCell(P(), snap, q, c, InsuranceScheme::kSocial, true);
  ASSERT_EQ(insured->size(), 1u);
  EXPECT_EQ(snap.register_no[(*insured)[0]], "A1");
  auto not_insured =
      PersonsInCell(P(), snap, q, c, InsuranceScheme::kSocial, false);
  ASSERT_EQ(not_insured->size(), 1u);
  EXPECT_EQ(snap.register_no[(*not_insured)[0]], "A2");
}

TEST(CoverageTest, NationalTotalsAndWholePopulation) {
  testing::SnapshotBuilder b;
  int h1 = b.Household(18140), h2 = b.Household(18125), h3 = b.Household(11001);
  const int32_t m = MakeMonth(2024, 7);
  b.Person(h1, "A1", 0, D("1990-05-01"), {{m, m}});
  b.Person(h2, "B1", 1, D("1980-05-01"), {}, {}, true, true);
  b.Person(h3, "C1", 1, D("1950-05-01"), {{m, m}});
  const auto& snap = b.Build();
  CoverageQuery q;
  q.months = {m};
  q.level = registry::AreaLevel::kNation;
  q.by_sex = q.by_age_band = false;
  q.by_disability = true;
  auto t = ComputeCoverage(P(), snap, q);
  ASSERT_EQ(t->cells.size(), 2u);
  EXPECT_EQ(t->cells[0].disability, 0);
  EXPECT_EQ(t->cells[0].insured[0], 1);
  EXPECT_EQ(t->cells[1].disability, 1);
  EXPECT_EQ(t->cells[1].insured[0], 0);
  q.working_age = false;
  q.by_disability = false;
  q.level = registry::AreaLevel::kAimag;
  t = ComputeCoverage(P(), snap, q);
  ASSERT_EQ(t->cells.size(), 2u);  // Aimags 110 and 181.
  EXPECT_EQ(t->cells[0].area, 110);
  EXPECT_EQ(t->cells[1].area, 181);
  EXPECT_EQ(t->cells[1].persons, 2);
}

}  // namespace
}  // namespace malchin::insurance
