// The results framework workbook: written, read back with pdm::ReadXlsx,
// its sheets and cells checked against the values put in; progress toward
// the target and period ranges.
#include "indicators/report.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "indicators/query.h"
#include "pdm/xlsx.h"

namespace malchin::indicators {
namespace {

// SI coverage for 2020 (frozen) and 2021 (live, by sex); days to first
// payment for 2020 only (2021 not computable).
FrameworkReport KnownReport() {
  FrameworkReport r;
  r.periods = {*Period::Parse("2020"), *Period::Parse("2021")};
  const Framework& f = EmbeddedFramework();
  ReportRow si{*f.Find("SI_COVERAGE_HERDERS"), {}, {"", ""}};
  IndicatorValue v2020{"SI_COVERAGE_HERDERS",
                       r.periods[0],
                       0,
                       r.periods[0].Last(),
                       Unit::kPercent,
                       Tally(Unit::kPercent, {Dimension::kSex},
                             {{{"F"}, 9, 50}, {{"M"}, 8, 50}})};
  IndicatorValue v2021 = v2020;
  v2021.period = r.periods[1];
  v2021.cells = Tally(Unit::kPercent, {Dimension::kSex},
                      {{{"F"}, 10, 50}, {{"M"}, 9, 50}});
  si.values = {ReportedValue{v2020, true}, ReportedValue{v2021, false}};
  ReportRow days{*f.Find("DAYS_TO_FIRST_PAYMENT"), {}, {"", "no payments"}};
  IndicatorValue d{"DAYS_TO_FIRST_PAYMENT",
                   r.periods[0],
                   0,
                   r.periods[0].Last(),
                   Unit::kDays,
                   Tally(Unit::kDays, {}, {{{}, 45, 2}})};
  days.values = {ReportedValue{d, false}, std::nullopt};
  r.rows = {si, days};
  return r;
}

pdm::Workbook WriteAndRead(const FrameworkReport& r) {
  auto bytes = FrameworkXlsx(r);
  EXPECT_TRUE(bytes.ok()) << bytes.status().message();
  std::string path =
      (std::filesystem::temp_directory_path() /
       ("malchin-report-test-" + std::to_string(::getpid()) + ".xlsx"))
          .string();
  std::ofstream(path, std::ios::binary) << *bytes;
  auto wb = pdm::ReadXlsx(path);
  std::filesystem::remove(path);
  EXPECT_TRUE(wb.ok()) << wb.status().message();
  return wb.ok() ? *wb : pdm::Workbook{};
}

TEST(FrameworkXlsx, SheetsAndValuesReadBack) {
  pdm::Workbook wb = WriteAndRead(KnownReport());
  ASSERT_EQ(wb.sheets.size(), 4u);
  EXPECT_EQ(wb.sheets[0].name, "Хүрээ");
  EXPECT_EQ(wb.sheets[1].name, "Framework");
  EXPECT_EQ(wb.sheets[2].name, "SI_COVERAGE_HERDERS");
  EXPECT_EQ(wb.sheets[3].name, "DAYS_TO_FIRST_PAYMENT");
  const pdm::Sheet& en = wb.sheets[1];
  EXPECT_EQ(en.Cell(0, 7), "2020: value");
  EXPECT_EQ(en.Cell(0, 12), "2021: progress %");
  EXPECT_EQ(en.Cell(1, 0), "SI_COVERAGE_HERDERS");
  EXPECT_EQ(en.Cell(1, 1), "Herders covered by social insurance");
  EXPECT_EQ(en.Cell(1, 2), "percent");
  EXPECT_EQ(en.Cell(1, 3), "15");
  EXPECT_EQ(en.Cell(1, 4), "2019-09-30");
  EXPECT_EQ(en.Cell(1, 6), "20 (2022-12-31)");
  // 17 of 100 (frozen): 40% of the way from 15 to 20; 19 of 100 (live): 80%.
  EXPECT_EQ(en.Cell(1, 7), "17");
  EXPECT_EQ(en.Cell(1, 8), "frozen");
  EXPECT_EQ(en.Cell(1, 9), "40");
  EXPECT_EQ(en.Cell(1, 10), "19");
  EXPECT_EQ(en.Cell(1, 11), "live");
  EXPECT_EQ(en.Cell(1, 12), "80");
  EXPECT_EQ(en.Cell(2, 7), "22.5");
  EXPECT_EQ(en.Cell(2, 9), "");  // No baseline, no progress.
  EXPECT_EQ(en.Cell(2, 11), "not computable");
  const pdm::Sheet& mn = wb.sheets[0];
  EXPECT_EQ(mn.Cell(0, 0), "Код");
  EXPECT_EQ(mn.Cell(1, 1), "Нийгмийн даатгалд хамрагдсан малчдын хувь");
  EXPECT_EQ(mn.Cell(1, 2), "хувь");
  EXPECT_EQ(mn.Cell(1, 8), "царцаасан");
  EXPECT_EQ(mn.Cell(1, 10), "19");
  const pdm::Sheet& si = wb.sheets[2];
  EXPECT_EQ(si.Cell(1, 3), "Хүртэгч / Numerator");
  // 2020: total, F, M; then 2021.
  EXPECT_EQ(si.Cell(2, 0), "2020");
  EXPECT_EQ(si.Cell(2, 2), "total");
  EXPECT_EQ(si.Cell(3, 2), "sex=F");
  EXPECT_EQ(si.Cell(3, 3), "9");
  EXPECT_EQ(si.Cell(3, 4), "50");
  EXPECT_EQ(si.Cell(3, 5), "18");
  EXPECT_EQ(si.Cell(5, 0), "2021");
  EXPECT_EQ(si.Cell(5, 1), "шууд тооцоо / live");
  EXPECT_EQ(si.Cell(7, 5), "18");
  EXPECT_EQ(wb.sheets[3].Cell(3, 1), "no payments");
}

TEST(FrameworkXlsx, LongAndRepeatedCodesGetDistinctSheetNames) {
  FrameworkReport r = KnownReport();
  r.rows[0].indicator.code = std::string(40, 'A');
  r.rows[1].indicator.code = std::string(35, 'A');
  pdm::Workbook wb = WriteAndRead(r);
  ASSERT_EQ(wb.sheets.size(), 4u);
  EXPECT_EQ(wb.sheets[2].name, std::string(31, 'A'));
  EXPECT_EQ(wb.sheets[3].name, std::string(29, 'A') + "~2");
}

// The report measures progress on the period's last day (query.h).
TEST(Progress, TowardTheTargetOfThePeriod) {
  Indicator ind = *EmbeddedFramework().Find("HI_COVERAGE_HERDERS");
  ind.targets = {{Date::FromYmd(2021, 12, 31), 45},
                 {Date::FromYmd(2023, 12, 31), 60}};
  auto at = [](const char* p) { return Period::Parse(p)->Last(); };
  EXPECT_EQ(*Progress(ind, at("2021"), 42.5), 50);
  EXPECT_EQ(*Progress(ind, at("2022"), 45), 25);
  EXPECT_EQ(*Progress(ind, at("2025"), 30), -50);
}

TEST(PeriodRange, SameKindInOrder) {
  auto q = PeriodRange(*Period::Parse("2020Q3"), *Period::Parse("2021Q2"));
  ASSERT_TRUE(q.ok());
  ASSERT_EQ(q->size(), 4u);
  EXPECT_EQ((*q)[1].Name(), "2020Q4");
  EXPECT_EQ((*q)[2].Name(), "2021Q1");
  auto m = PeriodRange(*Period::Parse("2020-12"), *Period::Parse("2020-12"));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->size(), 1u);
  EXPECT_FALSE(
      PeriodRange(*Period::Parse("2021"), *Period::Parse("2020")).ok());
  EXPECT_FALSE(
      PeriodRange(*Period::Parse("2020"), *Period::Parse("2021Q1")).ok());
  EXPECT_FALSE(
      PeriodRange(*Period::Parse("2000-01"), *Period::Parse("2020-01")).ok());
}

}  // namespace
}  // namespace malchin::indicators
