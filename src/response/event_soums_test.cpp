#include "response/event_soums.h"

#include <gtest/gtest.h>

namespace malchin::response {
namespace {

class EventSoumsTest : public ::testing::Test {
 protected:
  void SetUp() override { geo_ = *geo::Geography::Load(); }
  std::shared_ptr<const geo::Geography> geo_;
};

TEST_F(EventSoumsTest, ParsesCodesNamesAndSeverities) {
  auto s = ParseEventSoums(
      "soums.csv",
      "severity,soum_code\nvery_high,Bayantes\nvery high,18125\nHIGH,18140\n",
      *geo_);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ASSERT_EQ(s->size(), 3u);
  EXPECT_EQ((*s)[0],
            (response::EventSoum{18110, response::Severity::kVeryHigh}));
  EXPECT_EQ((*s)[1],
            (response::EventSoum{18125, response::Severity::kVeryHigh}));
  EXPECT_EQ((*s)[2], (response::EventSoum{18140, response::Severity::kHigh}));
}

TEST_F(EventSoumsTest, ReportsEveryBadRow) {
  auto s = ParseEventSoums("soums.csv",
                           "soum_code,severity\n"
                           "18110,extreme\n"  // line 2
                           "99999,high\n"     // line 3
                           "181,high\n"       // line 4: an aimag
                           "18140,low\n"
                           "18140,medium\n"  // line 6: repeated
                           "18149\n",        // line 7: short
                           *geo_);
  ASSERT_FALSE(s.ok());
  const std::string& m = s.status().message();
  EXPECT_NE(m.find("5 problem(s) in soums.csv, nothing imported"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("soums.csv:2: column severity, value 'extreme'"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("soums.csv:3: column soum_code, value '99999'"),
            std::string::npos);
  EXPECT_NE(m.find("soums.csv:4: column soum_code, value '181': is an aimag"),
            std::string::npos);
  EXPECT_NE(m.find("soums.csv:6: soum 18140 is listed again (first on line 5)"),
            std::string::npos);
  EXPECT_NE(m.find("soums.csv:7: 1 fields: expected 2"), std::string::npos);
  EXPECT_FALSE(ParseEventSoums("s.csv", "code,severity\n1,high\n", *geo_).ok());
}

TEST_F(EventSoumsTest, ValidatesEvents) {
  response::ShockEventRecord e;
  e.code = "Bad Code";
  e.type = "meteor";
  e.declared_on = Date::FromYmd(2020, 1, 2);
  e.starts_on = Date::FromYmd(2020, 1, 1);
  e.soums = {{18110, response::Severity::kHigh},
             {18110, response::Severity::kLow},
             {12345, response::Severity::kMedium}};
  Status st = ValidateEvent(e, *geo_);
  ASSERT_FALSE(st.ok());
  for (const char* part :
       {"code 'Bad Code'", "type 'meteor'", "name: expected", "declared",
        "soum 18110 is listed twice", "soum 12345: expected"}) {
    EXPECT_NE(st.message().find(part), std::string::npos) << part;
  }
  e.code = "zavkhan-2019";
  e.type = "dzud";
  e.name = "Zavkhan dzud";
  e.declared_on = e.starts_on;
  e.soums = {{18110, response::Severity::kVeryHigh}};
  EXPECT_TRUE(ValidateEvent(e, *geo_).ok());
}

}  // namespace
}  // namespace malchin::response
