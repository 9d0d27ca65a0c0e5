#include "core/date.h"

#include <gtest/gtest.h>

namespace malchin {
namespace {

TEST(DateTest, ParsesAndFormats) {
  auto d = Date::Parse("2019-12-15");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->year(), 2019);
  EXPECT_EQ(d->month(), 12);
  EXPECT_EQ(d->day(), 15);
  EXPECT_EQ(d->ToString(), "2019-12-15");
  EXPECT_EQ(Date::FromYmd(1970, 1, 1).days(), 0);
  EXPECT_EQ(
      Date::FromYmd(2000, 3, 1).days() - Date::FromYmd(2000, 2, 28).days(), 2);
}

TEST(DateTest, RejectsMalformedAndImpossibleDates) {
  for (const char* bad :
       {"", "2019-1-15", "2019/12/15", "15.12.2019", "2019-13-01", "2019-02-29",
        "2019-04-31", "1899-12-31", "20x9-01-01", "2019-12-155"}) {
    auto r = Date::Parse(bad);
    EXPECT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find("'" + std::string(bad) + "'"),
              std::string::npos);
  }
  EXPECT_TRUE(Date::Parse("2020-02-29").ok());
  EXPECT_TRUE(Date::Parse("2000-02-29").ok());
  EXPECT_FALSE(Date::Parse("2100-02-29").ok());
}

TEST(DateTest, AgeOnCountsCompletedYears) {
  Date born = Date::FromYmd(2014, 12, 16);
  EXPECT_EQ(born.AgeOn(Date::FromYmd(2019, 12, 15)), 4);
  EXPECT_EQ(born.AgeOn(Date::FromYmd(2019, 12, 16)), 5);
  Date leap = Date::FromYmd(2004, 2, 29);
  EXPECT_EQ(leap.AgeOn(Date::FromYmd(2005, 2, 28)), 0);
  EXPECT_EQ(leap.AgeOn(Date::FromYmd(2005, 3, 1)), 1);
}

TEST(DateTest, AddMonthsClampsToMonthEnd) {
  EXPECT_EQ(Date::FromYmd(2020, 1, 31).AddMonths(1).ToString(), "2020-02-29");
  EXPECT_EQ(Date::FromYmd(2019, 12, 15).AddMonths(2).ToString(), "2020-02-15");
  EXPECT_EQ(Date::FromYmd(2020, 3, 15).AddMonths(-3).ToString(), "2019-12-15");
}

}  // namespace
}  // namespace malchin
