// Deadlines passing, with a fake clock (no sleeps): soum -> aimag ->
// national, once per day, after the wait, never for decided cases.
#include <gtest/gtest.h>

#include "grievance/service_test_fixture.h"

namespace malchin::grievance {
namespace {

using testing::ServiceTest;

class EscalationTest : public ServiceTest {
 protected:
  // Runs the job as the system (national, no role), as the CLI and the
  // server do.
  EscalationReport Run() {
    session().SetCaller({"system", "", {}});
    auto r = Grievances().Escalate();
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : EscalationReport{};
  }
  Case Read(int64_t id, const char* as = "nat") {
    As(as);
    auto v = Grievances().Get(id);
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    return v.ok() ? v->c : Case{};
  }
  void Days(int n) { clock_.Advance(std::chrono::hours(24 * n)); }
};

TEST_F(EscalationTest, LevelByLevelAsDeadlinesPass) {
  IntakeReceipt late = Record(Walkin());     // Never acknowledged.
  IntakeReceipt handled = Record(Walkin());  // Acknowledged in time.
  IntakeReceipt decided = Record(Walkin());  // Rejected at once.
  IntakeReceipt secret = Record(Walkin("gbv_disclosure"));  // 1-day ack.
  As("tos");
  ASSERT_TRUE(Grievances().Move(handled.id, Action::kAcknowledge).ok());
  ASSERT_TRUE(Grievances().Assign(handled.id, "tos").ok());
  ASSERT_TRUE(Grievances().Move(decided.id, Action::kReject, "Spam").ok());

  // 1 December + 1: the confidential one is already late.
  Days(2);
  EscalationReport r = Run();
  EXPECT_EQ(r.checked, 3);
  EXPECT_EQ(r.escalated, 1);
  EXPECT_EQ(Read(late.id).level, Level::kSoum);
  // 5 days to acknowledge: on 6 December nothing, on 7 December it goes up.
  Days(3);  // 6 December.
  EXPECT_EQ(Run().escalated, 0);
  Days(1);  // 7 December.
  r = Run();
  EXPECT_EQ(r.escalated, 1);
  EXPECT_EQ(r.to_aimag, 1);
  Case l = Read(late.id);
  EXPECT_EQ(l.level, Level::kAimag);
  EXPECT_EQ(*l.escalated_on, Date::FromYmd(2026, 12, 7));
  EXPECT_EQ(Run().escalated, 0);  // Twice a day changes nothing more.
  // The aimag has 7 days: the confidential one (aimag since 3 December)
  // goes national on 11 December; the late one on 15 December, not 14.
  Days(4);  // 11 December.
  r = Run();
  EXPECT_EQ(r.to_national, 1);
  EXPECT_EQ(Read(secret.id, "fp_nat").level, Level::kNational);
  Days(3);  // 14 December.
  EXPECT_EQ(Run().escalated, 0);
  Days(1);
  r = Run();
  EXPECT_EQ(r.to_national, 1);
  EXPECT_EQ(Read(late.id).level, Level::kNational);
  // The acknowledged one waits for its resolve deadline (31 December),
  // loses its assignee when it escalates; the decided one never moves.
  EXPECT_EQ(Read(handled.id).level, Level::kSoum);
  Days(17);  // 1 January.
  r = Run();
  EXPECT_EQ(r.escalated, 1);
  Case h = Read(handled.id);
  EXPECT_EQ(h.level, Level::kAimag);
  EXPECT_TRUE(h.assigned_to.empty());
  EXPECT_EQ(Read(decided.id).level, Level::kSoum);
  // A month on: the acknowledged one has gone national too; national is
  // the top.
  Days(30);
  EXPECT_EQ(Run().to_national, 1);
  EXPECT_EQ(Read(handled.id).level, Level::kNational);
  EXPECT_EQ(Run().escalated, 0);
  // Each escalation is in the timeline and the audit trail, by the system.
  EXPECT_EQ(Count("grievance.escalate"), 6);
  As("nat");
  auto view = Grievances().Get(late.id);
  ASSERT_TRUE(view.ok()) << view.status().ToString();
  int escalations = 0;
  for (const auto& e : view->events) {
    if (e.kind == EventKind::kEscalated) {
      ++escalations;
      EXPECT_EQ(e.actor, "system");
    }
  }
  EXPECT_EQ(escalations, 2);
}

TEST_F(EscalationTest, OnlyNationalJobsAndOnlyHigherLevelsAfter) {
  As("tos");
  EXPECT_EQ(Grievances().Escalate().status().code(),
            StatusCode::kPermissionDenied);
  IntakeReceipt c = Record(Walkin());
  Days(7);
  Run();
  // An aimag-level case is assigned to an aimag or national officer only.
  As("zav");
  EXPECT_EQ(Grievances().Assign(c.id, "tos").status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Grievances().Assign(c.id, "zav").ok());
}

}  // namespace
}  // namespace malchin::grievance
