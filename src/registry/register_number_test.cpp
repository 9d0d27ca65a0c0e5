#include "registry/register_number.h"

#include <gtest/gtest.h>

namespace malchin::registry {
namespace {

Date D(const char* s) { return *Date::Parse(s); }

TEST(RegisterNumberTest, DecodesBirthDateAndSex) {
  // 1903-27-16 -> born 2003-07-16; digit 7 = 1 -> male.
  auto r = ParseRegisterNumber("УК03271614");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->birth_date, D("2003-07-16"));
  EXPECT_EQ(r->sex, Sex::kMale);
  auto old = ParseRegisterNumber("ИЗ85120320");
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(old->birth_date, D("1985-12-03"));
  EXPECT_EQ(old->sex, Sex::kFemale);  // 2 is even.
  auto zero = ParseRegisterNumber("ӨҮ00220105");
  ASSERT_TRUE(zero.ok());  // Ө and Ү are letters too; digit 0 is female.
  EXPECT_EQ(zero->birth_date, D("2000-02-01"));
  EXPECT_EQ(zero->sex, Sex::kFemale);
}

TEST(RegisterNumberTest, RejectsBadForms) {
  for (const char* bad :
       {"", "УК0327161", "УК032716145", "UK03271614", "У03271614", "ук03271614",
        "УК0327161A", "УК 3271614"}) {
    EXPECT_FALSE(ParseRegisterNumber(bad).ok()) << bad;
  }
  // Impossible dates: month 13 / 33, 30 February, day 00.
  for (const char* bad :
       {"УК03131614", "УК03331614", "УК04223014", "УК03270014"}) {
    auto r = ParseRegisterNumber(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find("birth date"), std::string::npos);
  }
}

TEST(RegisterNumberTest, NeverRejectsOnTheCheckDigit) {
  for (char c = '0'; c <= '9'; ++c) {
    std::string rn = std::string("УК0327161") + c;
    EXPECT_TRUE(ParseRegisterNumber(rn).ok()) << rn;
  }
}

TEST(RegisterNumberTest, DisagreementWithDeclaredValuesIsAClearError) {
  EXPECT_TRUE(
      CheckRegisterNumber("УК03271614", D("2003-07-16"), Sex::kMale).ok());
  Status date = CheckRegisterNumber("УК03271614", D("2003-07-17"), Sex::kMale);
  ASSERT_FALSE(date.ok());
  EXPECT_NE(date.message().find("encodes birth date 2003-07-16"),
            std::string::npos);
  EXPECT_NE(date.message().find("declared birth date is 2003-07-17"),
            std::string::npos);
  Status sex = CheckRegisterNumber("УК03271614", D("2003-07-16"), Sex::kFemale);
  ASSERT_FALSE(sex.ok());
  EXPECT_NE(sex.message().find("encodes sex male"), std::string::npos);
}

TEST(RegisterNumberTest, MakeRoundTrips) {
  for (const char* d :
       {"1950-01-31", "1999-12-31", "2000-01-01", "2019-12-15"}) {
    for (Sex s : {Sex::kFemale, Sex::kMale}) {
      std::string rn = MakeRegisterNumber("ИЗ", D(d), s, 7, 3);
      EXPECT_TRUE(CheckRegisterNumber(rn, D(d), s).ok()) << rn;
    }
  }
  EXPECT_EQ(NormalizeRegisterNumber(" ук03271614 "), "УК03271614");
}

}  // namespace
}  // namespace malchin::registry
