#include "grievance/stats.h"

#include <gtest/gtest.h>

namespace malchin::grievance {
namespace {

Date D(const char* s) { return *Date::Parse(s); }

CaseFact Fact(const char* category, Channel ch, registry::Sex sex,
              int birth_year, int32_t soum) {
  CaseFact f;
  f.header = {1, soum, false, ""};
  f.category = category;
  f.channel = ch;
  f.sex = sex;
  f.birth_year = birth_year;
  f.received_on = D("2026-12-01");
  f.acknowledge_by = D("2026-12-06");
  f.resolve_by = D("2026-12-31");
  return f;
}

TEST(StatsTest, CountsTimesAndShares) {
  std::vector<CaseFact> facts;
  CaseFact a = Fact("not_included", Channel::kOffice, registry::Sex::kFemale,
                    1990, 18140);
  a.state = CaseState::kResolved;
  a.acknowledged_on = D("2026-12-03");  // 2 days, in time.
  a.decided_on = D("2026-12-21");       // 20 days, in time.
  CaseFact b = Fact("not_included", Channel::kHotline, registry::Sex::kMale,
                    1950, 18140);
  b.state = CaseState::kAcknowledged;
  b.acknowledged_on = D("2026-12-09");  // 8 days: late.
  b.level = Level::kAimag;
  CaseFact c = Fact("feedback", Channel::kWeb, registry::Sex::kFemale, 0,
                    18125);  // Received, overdue on 2026-12-10.
  CaseFact masked;
  masked.header.soum_code = 18140;
  masked.category = "confidential";
  masked.state = CaseState::kUnderReview;
  masked.received_on = D("2026-12-02");
  masked.masked = true;
  facts = {a, b, c, masked};

  Stats all = Aggregate(facts, {}, D("2026-12-10"));
  ASSERT_EQ(all.rows.size(), 2u);  // Everything, and the masked bucket.
  EXPECT_EQ(all.total.cases, 4);
  EXPECT_EQ(all.total.masked, 1);
  EXPECT_EQ(all.total.open, 3);
  EXPECT_EQ(all.total.overdue, 1);
  EXPECT_EQ(all.total.acknowledged, 2);
  EXPECT_EQ(all.total.acknowledged_in_time, 1);
  EXPECT_DOUBLE_EQ(all.total.MeanDaysToAcknowledge(), 5.0);
  EXPECT_DOUBLE_EQ(all.total.ShareAcknowledgedInTime(), 0.5);
  EXPECT_EQ(all.total.decided, 1);
  EXPECT_DOUBLE_EQ(all.total.MeanDaysToDecide(), 20.0);
  EXPECT_EQ(all.total.resolved, 1);
  EXPECT_EQ(all.total.escalated, 1);

  Stats by = Aggregate(facts,
                       {StatsDim::kCategory, StatsDim::kSex, StatsDim::kAgeBand,
                        StatsDim::kSoum},
                       D("2026-12-10"));
  // not_included F 35-59? (36 in 2026) / M 60+ / feedback F unknown /
  // confidential in 18140 without sex or age.
  ASSERT_EQ(by.rows.size(), 4u);
  bool saw_masked = false;
  for (const StatsRow& r : by.rows) {
    if (r.category == "confidential") {
      saw_masked = true;
      EXPECT_EQ(r.area_code, 18140);
      EXPECT_EQ(r.sex, "");
      EXPECT_EQ(r.age_band, "");
      EXPECT_EQ(r.cases, 1);
    }
    if (r.category == "feedback") {
      EXPECT_EQ(r.age_band, "unknown");
    }
  }
  EXPECT_TRUE(saw_masked);
}

TEST(StatsTest, Dimensions) {
  auto d = ParseStatsDims("category,channel,aimag,sex,age_band");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->size(), 5u);
  EXPECT_EQ(ParseStatsDims("soum,aimag").status().field(), "by");
  EXPECT_EQ(ParseStatsDims("sex,sex").status().field(), "by");
  EXPECT_EQ(ParseStatsDims("colour").status().field(), "by");
  EXPECT_TRUE(ParseStatsDims("")->empty());
}

}  // namespace
}  // namespace malchin::grievance
