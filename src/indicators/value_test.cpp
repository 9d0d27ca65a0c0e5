// Periods, their reference dates and DHIS2 names; the tally of facts into
// a total and its disaggregations; the values' JSON round trip.
#include "indicators/value.h"

#include <gtest/gtest.h>

namespace malchin::indicators {
namespace {

TEST(PeriodTest, ParsesAndNamesEveryKind) {
  struct Case {
    const char *text, *name, *first, *last;
  } cases[] = {{"2020", "2020", "2020-01-01", "2020-12-31"},
               {"2020Q1", "2020Q1", "2020-01-01", "2020-03-31"},
               {"2020Q4", "2020Q4", "2020-10-01", "2020-12-31"},
               {"2020-02", "202002", "2020-02-01", "2020-02-29"},
               {"202112", "202112", "2021-12-01", "2021-12-31"}};
  for (const Case& c : cases) {
    auto p = Period::Parse(c.text);
    ASSERT_TRUE(p.ok()) << c.text;
    EXPECT_EQ(p->Name(), c.name);
    EXPECT_EQ(p->First().ToString(), c.first);
    EXPECT_EQ(p->Last().ToString(), c.last);
  }
  for (const char* bad : {"", "20", "2020Q5", "2020-13", "2020-1", "x020"}) {
    auto p = Period::Parse(bad);
    ASSERT_FALSE(p.ok()) << bad;
    EXPECT_NE(p.status().message().find("expected 2020, 2020Q1"),
              std::string::npos);
  }
}

TEST(TallyTest, TotalSinglesAndCross) {
  std::vector<Fact> facts = {
      {{"F", "18-29"}, 1, 4}, {{"M", "18-29"}, 2, 4}, {{"F", "30-44"}, 1, 2}};
  auto cells =
      Tally(Unit::kPercent, {Dimension::kSex, Dimension::kAgeBand}, facts);
  ASSERT_EQ(cells.size(), 1u + 2u + 2u + 3u);
  EXPECT_TRUE(cells[0].by.empty());
  EXPECT_EQ(cells[0].numerator, 4);
  EXPECT_EQ(cells[0].denominator, 10);
  EXPECT_DOUBLE_EQ(cells[0].value, 40.0);
  EXPECT_EQ(cells[1].by, (decltype(cells[1].by){{"sex", "F"}}));
  EXPECT_DOUBLE_EQ(cells[1].value, 33.33);
  auto counts = Tally(Unit::kPersons, {}, facts);
  ASSERT_EQ(counts.size(), 1u);
  EXPECT_DOUBLE_EQ(counts[0].value, 4);
  auto none = Tally(Unit::kPercent, {Dimension::kSex}, {});
  ASSERT_EQ(none.size(), 1u);
  EXPECT_DOUBLE_EQ(none[0].value, 0);
}

TEST(TallyTest, CellsJsonRoundTrips) {
  auto cells = Tally(Unit::kDays, {Dimension::kAimag},
                     {{{"181"}, 10, 3}, {{"182"}, 5, 1}});
  auto back = ParseCellsJson(CellsJson(cells));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, cells);
  EXPECT_DOUBLE_EQ(cells[1].value, 3.3);
  EXPECT_FALSE(ParseCellsJson("{}").ok());
  EXPECT_FALSE(ParseCellsJson("[{\"by\": 1}]").ok());
}

}  // namespace
}  // namespace malchin::indicators
