#include "params/parameters.h"

#include <gtest/gtest.h>

namespace malchin::params {
namespace {

Date D(const char* s) { return *Date::Parse(s); }

TEST(ParametersTest, ValueInForceOnADate) {
  auto set = ParameterSet::Embedded();
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  const ParameterSet& p = **set;
  EXPECT_EQ(*p.Money("minimum_wage.monthly", D("2025-03-31")), 660000);
  EXPECT_EQ(*p.Money("minimum_wage.monthly", D("2025-04-01")), 792000);
  EXPECT_EQ(*p.Money("child_money.monthly", D("2020-03-31")), 20000);
  EXPECT_EQ(*p.Money("child_money.monthly", D("2020-04-01")), 100000);
  EXPECT_DOUBLE_EQ(*p.Value("sheep_units.goat", D("2020-01-01")), 0.9);
}

TEST(ParametersTest, MissingAndNotYetInForceAreErrors) {
  const ParameterSet& p = **ParameterSet::Embedded();
  EXPECT_EQ(p.Value("no.such", D("2020-01-01")).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(p.Value("minimum_wage.monthly", D("2016-12-31")).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(p.Money("sheep_units.goat", D("2020-01-01")).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(ParametersTest, OverrideAddsALaterValue) {
  auto p = (*ParameterSet::Embedded())
               ->Override("minimum_wage.monthly",
                          {{D("2026-01-01"), 1000000, "test", "low"}});
  EXPECT_EQ(*p->Money("minimum_wage.monthly", D("2025-12-31")), 792000);
  EXPECT_EQ(*p->Money("minimum_wage.monthly", D("2026-01-01")), 1000000);
}

TEST(ParametersTest, BadFilesAreRejectedWithTheEntryNamed) {
  auto r = ParameterSet::Parse(
      R"({"parameters":{"x":{"values":[{"from":"2020-13-01","value":1}]}}})");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("parameter 'x' value 1"),
            std::string::npos);
  EXPECT_FALSE(ParameterSet::Parse("not json").ok());
}

}  // namespace
}  // namespace malchin::params
