// The target in force and the progress toward it (query.h), on
// indicators written here.
#include "indicators/query.h"

#include <gtest/gtest.h>

namespace malchin::indicators {
namespace {

Indicator WithTargets(std::optional<double> baseline,
                      std::vector<std::pair<const char*, double>> targets) {
  Indicator i;
  i.code = "X";
  if (baseline) {
    i.baseline = Baseline{};
    i.baseline->value = *baseline;
    i.baseline->date = *Date::Parse("2019-09-30");
  }
  for (auto [d, v] : targets) i.targets.push_back({*Date::Parse(d), v});
  return i;
}

Date D(const char* s) { return *Date::Parse(s); }

TEST(TargetInForceTest, TheNextTargetElseTheLast) {
  Indicator i = WithTargets(15, {{"2024-12-31", 30}, {"2022-12-31", 20}});
  EXPECT_EQ(TargetInForce(i, D("2020-06-30"))->value, 20);
  EXPECT_EQ(TargetInForce(i, D("2022-12-31"))->value, 20);
  EXPECT_EQ(TargetInForce(i, D("2023-01-01"))->value, 30);
  EXPECT_EQ(TargetInForce(i, D("2030-01-01"))->value, 30);
  EXPECT_FALSE(TargetInForce(WithTargets(15, {}), D("2020-06-30")));
}

TEST(ProgressTest, FromTheBaselineToTheTarget) {
  Indicator i = WithTargets(15, {{"2022-12-31", 20}});
  Date ref = D("2020-06-30");
  EXPECT_EQ(*Progress(i, ref, 15), 0);
  EXPECT_EQ(*Progress(i, ref, 17.5), 50);
  EXPECT_EQ(*Progress(i, ref, 20), 100);
  EXPECT_EQ(*Progress(i, ref, 21.23), 124.6);
  EXPECT_EQ(*Progress(i, ref, 10), -100);
  EXPECT_EQ(
      *Progress(WithTargets(std::nullopt, {{"2022-12-31", 200}}), ref, 50), 25);
  EXPECT_FALSE(Progress(WithTargets(15, {}), ref, 17));
  EXPECT_FALSE(Progress(WithTargets(20, {{"2022-12-31", 20}}), ref, 17));
}

}  // namespace
}  // namespace malchin::indicators
