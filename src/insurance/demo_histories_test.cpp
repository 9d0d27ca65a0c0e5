#include "insurance/demo_histories.h"

#include <gtest/gtest.h>

#include "insurance/schemes.h"
#include "insurance/test_snapshot.h"

namespace malchin::insurance {
namespace {

const params::ParameterSet& P() { return **params::ParameterSet::Embedded(); }

insurance::InsuranceSnapshot& Register(testing::SnapshotBuilder& b, int n) {
  const int32_t soums[] = {18140, 18125, 16101, 14301, 21301, 11001};
  for (int i = 0; i < n; ++i) {
    int h = b.Household(soums[i % 6]);
    int year = 1960 + (i * 7919) % 45;
    b.Person(h, "ТТ" + std::to_string(10000000 + i), i % 2,
             Date::FromYmd(year, 1 + i % 12, 1 + i % 28));
  }
  return b.Build();
}

TEST(DemoHistoriesTest, ReproducesThe2019BaselineDeterministically) {
  testing::SnapshotBuilder b;
  const auto& snap = Register(b, 20000);
  DemoHistoryOptions o;
  o.seed = 7;
  o.as_of = *Date::Parse("2025-06-30");
  insurance::Repository::SeedRows rows;
  auto sum = BuildDemoHistories(P(), snap, o, &rows);
  ASSERT_TRUE(sum.ok()) << sum.status().message();
  double social = static_cast<double>(sum->social_2019) / sum->herders_2019;
  double health = static_cast<double>(sum->health_2019) / sum->herders_2019;
  EXPECT_NEAR(social, 0.142, 0.015);
  EXPECT_NEAR(health, 0.397, 0.02);
  EXPECT_EQ(sum->entries, static_cast<int64_t>(rows.entries.size()));
  // Every demo entry pays exactly what is due, so coverage = entry months.
  for (size_t i = 0; i < rows.entries.size(); i += 97) {
    EXPECT_EQ(rows.entries[i].amount, rows.entries[i].due);
    EXPECT_GT(rows.entries[i].amount, 0);
  }
  // Men more often socially insured than women; older more than younger.
  int64_t n[2] = {0, 0}, ins[2] = {0, 0}, young[2] = {0, 0}, old[2] = {0, 0};
  std::vector<uint8_t> covered(snap.persons(), 0);
  const int32_t jan = MakeMonth(2019, 1);
  for (size_t k = 0; k < rows.coverage.size(); ++k) {
    if (rows.coverage[k].scheme != insurance::InsuranceScheme::kSocial)
      continue;
    for (const auto& s : rows.coverage[k].spans) {
      if (s.first_month <= jan && jan <= s.last_month) {
        covered[rows.coverage_person[k]] = 1;
      }
    }
  }
  const Date d = FirstDayOf(jan);
  for (size_t i = 0; i < snap.persons(); ++i) {
    int age = Date::FromDays(snap.birth_days[i]).AgeOn(d);
    if (age < 18 || age >= (snap.sex[i] ? 60 : 55)) continue;
    n[snap.sex[i]]++;
    ins[snap.sex[i]] += covered[i];
    if (age < 30) {
      young[0]++;
      young[1] += covered[i];
    } else if (age >= 45) {
      old[0]++;
      old[1] += covered[i];
    }
  }
  EXPECT_GT(static_cast<double>(ins[1]) / n[1],
            static_cast<double>(ins[0]) / n[0]);
  EXPECT_GT(static_cast<double>(old[1]) / old[0],
            static_cast<double>(young[1]) / young[0]);
  // Same seed, same rows; another seed, other rows.
  insurance::Repository::SeedRows again, other;
  ASSERT_TRUE(BuildDemoHistories(P(), snap, o, &again).ok());
  EXPECT_EQ(again.entries, rows.entries);
  EXPECT_EQ(again.entry_person, rows.entry_person);
  o.seed = 8;
  ASSERT_TRUE(BuildDemoHistories(P(), snap, o, &other).ok());
  EXPECT_NE(other.entry_person, rows.entry_person);
}

}  // namespace
}  // namespace malchin::insurance
