#include "registry/model.h"

#include <gtest/gtest.h>

namespace malchin::registry {
namespace {

Date D(const char* s) { return *Date::Parse(s); }

Person GoodPerson() {
  Person p;
  p.register_no = "ИЗ85120320";
  p.household_id = "H001";
  p.family_name = "Боржигин";
  p.father_name = "Батбаяр";
  p.given_name = "Оюунчимэг";
  p.sex = Sex::kFemale;
  p.birth_date = D("1985-12-03");
  p.relation = Relation::kHead;
  p.phone = "99112233";
  p.bank_account = "5001234567";
  return p;
}

TEST(ModelTest, SheepUnitsUseDatedFactors) {
  auto set = params::ParameterSet::Embedded();
  auto f = SheepUnitFactors::On(**set, D("2020-01-01"));
  ASSERT_TRUE(f.ok());
  Herd h;
  h[Species::kCamel] = 2;
  h[Species::kHorse] = 10;
  h[Species::kCattle] = 5;
  h[Species::kSheep] = 100;
  h[Species::kGoat] = 50;
  EXPECT_DOUBLE_EQ(f->Of(h), 2 * 5 + 10 * 7 + 5 * 6 + 100 + 50 * 0.9);
  EXPECT_EQ(h.total(), 167);
}

TEST(ModelTest, ValidPersonHasNoErrors) {
  EXPECT_TRUE(ValidatePerson(GoodPerson(), D("2020-01-01")).empty());
}

TEST(ModelTest, ReportsEveryBadFieldOfAPerson) {
  Person p = GoodPerson();
  p.given_name = "Oyunchimeg";
  p.phone = "123";
  p.bank_account = "abc";
  p.sex = Sex::kMale;  // Disagrees with the register number.
  auto errs = ValidatePerson(p, D("2020-01-01"));
  std::vector<std::string> fields;
  for (auto& e : errs) fields.push_back(e.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"given_name", "register_no",
                                              "phone", "bank_account"}));
}

TEST(ModelTest, FutureBirthIsAnError) {
  auto errs = ValidatePerson(GoodPerson(), D("1980-01-01"));
  ASSERT_FALSE(errs.empty());
  EXPECT_EQ(errs[0].field, "birth_date");
}

TEST(ModelTest, HouseholdNeedsRealSoums) {
  auto geo = *geo::Geography::Load();
  Household h;
  h.id = "H001";
  h.soum_code = 18140;
  h.current_soum_code = 18125;
  EXPECT_TRUE(ValidateHousehold(h, *geo).empty());
  h.current_soum_code = 181;  // An aimag, not a soum.
  h.id = "bad id!";
  h.lat = 10;
  auto errs = ValidateHousehold(h, *geo);
  std::vector<std::string> fields;
  for (auto& e : errs) fields.push_back(e.field);
  EXPECT_EQ(fields, (std::vector<std::string>{
                        "household_id", "current_soum_code", "lon", "lat"}));
}

TEST(ModelTest, EnumsParseAndPrint) {
  EXPECT_EQ(*ParseRelation("grandchild"), Relation::kGrandchild);
  EXPECT_EQ(RelationName(Relation::kSpouse), "spouse");
  EXPECT_FALSE(ParseRelation("cousin").ok());
  EXPECT_EQ(*ParseSex("F"), Sex::kFemale);
  EXPECT_FALSE(ParseSex("X").ok());
}

}  // namespace
}  // namespace malchin::registry
