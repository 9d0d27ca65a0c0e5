#include "insurance/outreach.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "insurance/schemes.h"
#include "insurance/test_snapshot.h"

namespace malchin::insurance {
namespace {

Date D(const char* s) { return *Date::Parse(s); }
const params::ParameterSet& P() { return **params::ParameterSet::Embedded(); }

TEST(OutreachTest, PrioritisesYoungNearThresholdAndUninsuredHouseholds) {
  testing::SnapshotBuilder b;
  const int32_t m = MakeMonth(2025, 6);
  int h1 = b.Household(18140), h2 = b.Household(18140), h3 = b.Household(18140);
  // h1: an insured adult; a 40-year-old uninsured herder.
  b.Person(h1, "P_INSURED", 1, D("1980-01-01"), {{m, m}}, {{m, m}});
  int older = b.Person(h1, "P_40", 0, D("1985-01-01"), {}, {{m, m}});
  // h2: nobody insured; a 20-year-old herder.
  b.Person(h2, "P_20", 1, D("2005-01-01"));
  // h3: a 50-year-old man with 8.5 years of credits (near 10).
  int near = b.Person(h3, "P_50", 1, D("1975-01-01"), {}, {{m, m}});
  // Not candidates: a child, a non-herder, a pensioner.
  b.Person(h3, "P_CHILD", 0, D("2015-01-01"));
  b.Person(h3, "P_NONHERDER", 0, D("1990-01-01"), {}, {}, false);
  b.Person(h3, "P_OLD", 1, D("1960-01-01"));
  auto& snap = b.Build();
  snap.credit_months[near] = 102;
  snap.credit_herding_months[near] = 102;
  OutreachOptions o;
  o.as_of = D("2025-06-15");
  auto list = BuildOutreachList(P(), snap, o);
  ASSERT_TRUE(list.ok()) << list.status().message();
  ASSERT_EQ(list->items.size(), 3u);
  EXPECT_EQ(snap.register_no[list->items[0].person], "P_20");  // 38+20+10.
  EXPECT_EQ(list->items[0].score, 38 + 20 + 10);
  EXPECT_EQ(snap.register_no[list->items[1].person], "P_50");  // 9+30.
  EXPECT_NEAR(list->items[1].contribution_years, 8.5, 1e-9);
  EXPECT_EQ(snap.register_no[list->items[2].person], "P_40");
  EXPECT_EQ(list->items[0].reasons_en.size(), list->items[0].reasons_mn.size());

  // Visits are used by the next list: a recent refusal is left out, an old
  // one lowers the priority.
  snap.last_visit_outcome[near] =
      static_cast<int8_t>(insurance::VisitOutcome::kRefused);
  snap.last_visit_days[near] = D("2025-05-01").days();
  list = BuildOutreachList(P(), snap, o);
  ASSERT_EQ(list->items.size(), 2u);
  EXPECT_EQ(list->skipped_recent_refusal, 1);
  snap.last_visit_days[near] = D("2024-06-01").days();
  list = BuildOutreachList(P(), snap, o);
  ASSERT_EQ(list->items.size(), 3u);
  EXPECT_EQ(snap.register_no[list->items[1].person], "P_50");
  EXPECT_EQ(list->items[1].score, 9 + 30 - 15);
  snap.last_visit_outcome[older] =
      static_cast<int8_t>(insurance::VisitOutcome::kEnrolled);
  snap.last_visit_days[older] = D("2025-06-01").days();
  o.limit = 1;
  list = BuildOutreachList(P(), snap, o);
  EXPECT_EQ(list->skipped_recent_enrolment, 1);
  EXPECT_EQ(list->candidates, 2);
  EXPECT_EQ(list->items.size(), 1u);
}

TEST(OutreachTest, CsvHasOneRowPerItemWithReasonsAndLastVisit) {
  testing::SnapshotBuilder b;
  int h = b.Household(18140, "2");
  int young = b.Person(h, "P_20", 1, D("2005-01-01"));
  b.Person(h, "P_40, \"Jr\"", 0, D("1985-01-01"));
  auto& snap = b.Build();
  snap.last_visit_outcome[young] =
      static_cast<int8_t>(insurance::VisitOutcome::kNotFound);
  snap.last_visit_days[young] = D("2024-01-01").days();
  OutreachOptions o;
  o.as_of = D("2025-06-15");
  auto list = BuildOutreachList(P(), snap, o);
  ASSERT_TRUE(list.ok()) << list.status().message();
  ASSERT_EQ(list->items.size(), 2u);
  std::string en = OutreachCsv(snap, *list, false);
  std::string mn = OutreachCsv(snap, *list, true);
  EXPECT_EQ(en.substr(0, en.find('\n')),
            "rank,score,register_no,name,sex,age,contribution_years,bag,"
            "household_id,phone,lat,lon,reasons,last_visit_on,"
            "last_visit_outcome");
  EXPECT_EQ(std::count(en.begin(), en.end(), '\n'), 3);
  // Priority order, the household's phone and camp, the last visit.
  std::string row1 = en.substr(en.find('\n') + 1);
  row1 = row1.substr(0, row1.find('\n'));
  EXPECT_EQ(row1.rfind("1,", 0), 0u) << row1;
  EXPECT_NE(row1.find(",P_20,Name P_20,M,20,0.0,2,H0,99001,47.00000,"
                      "100.00000,age 20 (+"),
            std::string::npos)
      << row1;
  EXPECT_EQ(row1.substr(row1.size() - 21), ",2024-01-01,not_found");
  // Quoted as RFC 4180 requires; never visited: empty columns.
  EXPECT_NE(en.find("\"P_40, \"\"Jr\"\"\""), std::string::npos) << en;
  EXPECT_EQ(en.substr(en.size() - 3), ",,\n");
  // Mongolian reasons, the same rows otherwise.
  EXPECT_NE(mn.find("настай"), std::string::npos);
  EXPECT_EQ(std::count(mn.begin(), mn.end(), '\n'), 3);
}

}  // namespace
}  // namespace malchin::insurance
