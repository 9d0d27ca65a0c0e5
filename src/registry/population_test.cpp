#include "registry/population.h"

#include <gtest/gtest.h>

namespace malchin::registry {
namespace {

Date D(const char* s) { return *Date::Parse(s); }

TEST(PopulationTest, StatsDisaggregateBySexAgeDisabilityAndArea) {
  Population pop;
  Household a;
  a.id = "A";
  a.soum_code = 18140;
  a.current_soum_code = 18140;
  a.herder = true;
  a.herd[Species::kSheep] = 100;
  a.herd[Species::kHorse] = 10;
  Household b = a;
  b.id = "B";
  b.soum_code = 18125;
  b.herder = false;
  b.herd = Herd{};
  pop.AddHousehold(a);
  pop.AddHousehold(b);
  auto person = [&](const char* born, Sex s, Relation r, bool dis, int hh) {
    Person p;
    p.birth_date = D(born);
    p.sex = s;
    p.relation = r;
    p.disability = dis;
    p.herder = r == Relation::kHead && hh == 0;
    pop.AddPerson(p, hh);
  };
  person("1980-05-01", Sex::kFemale, Relation::kHead, false, 0);
  person("2016-01-02", Sex::kMale, Relation::kChild, true, 0);
  person("2002-01-01", Sex::kFemale, Relation::kChild, false, 0);  // 17 -> 18
  person("1950-01-01", Sex::kMale, Relation::kHead, false, 1);
  person("2030-01-01", Sex::kMale, Relation::kChild, false, 1);  // Not born.

  auto factors = *SheepUnitFactors::On(**params::ParameterSet::Embedded(),
                                       D("2020-01-01"));
  auto soums = ComputeStats(pop, D("2019-12-31"), AreaLevel::kSoum, factors);
  ASSERT_EQ(soums.size(), 3u);  // 18125, 18140, total.
  EXPECT_EQ(soums[0].code, 18125);
  EXPECT_EQ(soums[1].code, 18140);
  const AreaStats& t = soums[1];
  EXPECT_EQ(t.households, 1);
  EXPECT_EQ(t.herder_households, 1);
  EXPECT_EQ(t.female_headed_households, 1);
  EXPECT_EQ(t.persons, 3);
  EXPECT_EQ(t.children, 2);  // Born 2002-01-01 is 17 on 2019-12-31.
  EXPECT_EQ(t.with_disability, 1);
  EXPECT_DOUBLE_EQ(t.sheep_units, 170);
  EXPECT_EQ(t.cells[1][AgeBandOf(3)].persons, 1);
  EXPECT_EQ(t.cells[1][AgeBandOf(3)].with_disability, 1);
  EXPECT_EQ(t.cells[0][3].persons, 1);  // 15-17
  EXPECT_EQ(soums[2].persons, 4);
  EXPECT_EQ(soums[2].households, 2);

  auto later = ComputeStats(pop, D("2020-01-01"), AreaLevel::kNation, factors);
  ASSERT_EQ(later.size(), 1u);
  EXPECT_EQ(later[0].children, 1);  // Now 18.
  auto aimags = ComputeStats(pop, D("2020-01-01"), AreaLevel::kAimag, factors);
  ASSERT_EQ(aimags.size(), 2u);
  EXPECT_EQ(aimags[0].code, 181);
}

TEST(PopulationTest, AgeBands) {
  EXPECT_EQ(AgeBandName(AgeBandOf(0)), "0-4");
  EXPECT_EQ(AgeBandName(AgeBandOf(17)), "15-17");
  EXPECT_EQ(AgeBandName(AgeBandOf(18)), "18-29");
  EXPECT_EQ(AgeBandName(AgeBandOf(95)), "60+");
}

}  // namespace
}  // namespace malchin::registry
