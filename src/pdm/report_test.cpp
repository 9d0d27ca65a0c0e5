// The report's .xlsx: written with libxlsxwriter, read back with the
// project's own reader (xlsx.h), in both languages.
#include "pdm/report.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "pdm/xlsx.h"

namespace malchin::pdm {
namespace {

namespace fs = std::filesystem;

Report HandReport() {
  Report r;
  r.sample.id = 7;
  r.sample.plan_code = "p1";
  r.sample.installment = 1;
  r.confidence = 0.90;
  Findings& f = r.findings;
  f.selected = 10;
  f.responded = 8;
  f.response_rate = 0.8;
  f.strata = {{"soum=18140 caregiver=F", 40, 10, 8, 1, 0.8, 5.0}};
  f.estimates = {{"all",
                  "received=yes",
                  8,
                  40,
                  0.875,
                  0.1,
                  0.7,
                  1.0,
                  {{"mn", "Авсан уу: Тийм"}, {"en", "Received: Yes"}}}};
  r.follow_up = {{BankMismatch::Reason::kPaidButNothingReceived, "ИЗ17220122",
                  "ИЗ17220123", 18140, "u1", BankStatus::kPaid, 300000, -1}};
  return r;
}

class ReportXlsx : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("malchin-pdm-report-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  Workbook WriteAndRead(Lang lang) {
    const std::string path = (dir_ / "report.xlsx").string();
    Status st = WriteReportXlsx(HandReport(), lang, path);
    EXPECT_TRUE(st.ok()) << st.ToString();
    auto wb = ReadXlsx(path);
    EXPECT_TRUE(wb.ok()) << wb.status().ToString();
    return wb.ok() ? *wb : Workbook{};
  }
  fs::path dir_;
};

TEST_F(ReportXlsx, EnglishSheetsHeadersAndCells) {
  Workbook wb = WriteAndRead(Lang::kEn);
  ASSERT_EQ(wb.sheets.size(), 3u);
  EXPECT_EQ(wb.sheets[0].name, "Findings");
  EXPECT_EQ(wb.sheets[1].name, "Response");
  EXPECT_EQ(wb.sheets[2].name, "Follow-up");
  const Sheet& f = wb.sheets[0];
  EXPECT_EQ(f.Cell(0, 0), "Domain");
  EXPECT_EQ(f.Cell(0, 6), "CI low (90%)");
  EXPECT_EQ(f.Cell(1, 1), "received=yes");
  EXPECT_EQ(f.Cell(1, 2), "8");      // n, as a number
  EXPECT_EQ(f.Cell(1, 4), "0.875");  // estimate
  EXPECT_EQ(f.Cell(1, 5), "0.1");    // SE
  const Sheet& resp = wb.sheets[1];
  EXPECT_EQ(resp.Cell(1, 0), "all");
  EXPECT_EQ(resp.Cell(1, 5), "0.8");
  EXPECT_EQ(resp.Cell(2, 0), "soum=18140 caregiver=F");
  const Sheet& fu = *wb.Find("Follow-up");
  EXPECT_EQ(fu.Cell(1, 0), "bank paid, says received nothing");
  EXPECT_EQ(fu.Cell(1, 1), "ИЗ17220122");
  EXPECT_EQ(fu.Cell(1, 5), "paid");
  EXPECT_EQ(fu.Cell(1, 6), "300000");
  EXPECT_EQ(fu.Cell(1, 7), "");  // not reported
}

TEST_F(ReportXlsx, MongolianSheetsAndHeaders) {
  Workbook wb = WriteAndRead(Lang::kMn);
  ASSERT_EQ(wb.sheets.size(), 3u);
  EXPECT_EQ(wb.sheets[0].name, "Үр дүн");
  EXPECT_EQ(wb.sheets[1].name, "Хариу өгөлт");
  EXPECT_EQ(wb.sheets[2].name, "Дахин шалгах");
  EXPECT_EQ(wb.sheets[0].Cell(0, 4), "Үнэлгээ");
  EXPECT_EQ(wb.sheets[0].Cell(0, 6), "Итгэх интервал доод (90%)");
  EXPECT_EQ(wb.sheets[1].Cell(1, 0), "бүгд");
  EXPECT_EQ(wb.sheets[2].Cell(1, 0), "банк олгосон, юу ч аваагүй гэж хэлсэн");
  EXPECT_EQ(wb.sheets[2].Cell(1, 5), "олгосон");
  EXPECT_NE(wb.sheets[2].Cell(1, 8).find("юу ч аваагүй"), std::string::npos);
}

TEST(ReportJson, FollowUpTextInTheChosenLanguage) {
  auto mn = nlohmann::json::parse(ReportJson(HandReport(), Lang::kMn));
  auto en = nlohmann::json::parse(ReportJson(HandReport(), Lang::kEn));
  EXPECT_EQ(mn["confidence"], 0.9);
  EXPECT_EQ(mn["estimates"][0]["label"], "Авсан уу: Тийм");
  EXPECT_EQ(en["estimates"][0]["label"], "Received: Yes");
  EXPECT_EQ(en["estimates"][0]["indicator"], "received=yes");
  EXPECT_EQ(mn["follow_up"][0]["reason"], "paid_but_nothing_received");
  EXPECT_EQ(mn["follow_up"][0]["reason_text"],
            "банк олгосон, юу ч аваагүй гэж хэлсэн");
  EXPECT_EQ(en["follow_up"][0]["reason_text"],
            "bank paid, says received nothing");
  EXPECT_NE(FollowUpCsv(HandReport(), Lang::kMn).find("төгрөг олгосон"),
            std::string::npos);
  EXPECT_NE(ReportText(HandReport(), false, Lang::kMn).find("90% CI"),
            std::string::npos);
}

}  // namespace
}  // namespace malchin::pdm
