#include "insurance/outreach.h"

#include <gtest/gtest.h>

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
      static_cast<int8_t>(store::VisitOutcome::kRefused);
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
      static_cast<int8_t>(store::VisitOutcome::kEnrolled);
  snap.last_visit_days[older] = D("2025-06-01").days();
  o.limit = 1;
  list = BuildOutreachList(P(), snap, o);
  EXPECT_EQ(list->skipped_recent_enrolment, 1);
  EXPECT_EQ(list->candidates, 2);
  EXPECT_EQ(list->items.size(), 1u);
}

}  // namespace
}  // namespace malchin::insurance
