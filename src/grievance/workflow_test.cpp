// Every transition of the state machine, every deadline and the escalation
// rule, with dates given (no clock, no sleeps).
#include "grievance/workflow.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace malchin::grievance {
namespace {

using S = CaseState;
using A = Action;

Date D(const char* s) { return *Date::Parse(s); }

std::shared_ptr<const params::ParameterSet> Params() {
  auto p = params::ParameterSet::Embedded();
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return *p;
}

TEST(WorkflowTest, EveryTransitionOfTheTable) {
  // The whole table: (from, action) -> to; everything else is refused.
  const std::map<std::pair<S, A>, S> allowed = {
      {{S::kReceived, A::kAcknowledge}, S::kAcknowledged},
      {{S::kAcknowledged, A::kStartReview}, S::kUnderReview},
      {{S::kUnderReview, A::kResolve}, S::kResolved},
      {{S::kUnderReview, A::kRefer}, S::kReferred},
      {{S::kReceived, A::kReject}, S::kRejected},
      {{S::kAcknowledged, A::kReject}, S::kRejected},
      {{S::kUnderReview, A::kReject}, S::kRejected},
      {{S::kResolved, A::kClose}, S::kClosed},
      {{S::kReferred, A::kClose}, S::kClosed},
      {{S::kRejected, A::kClose}, S::kClosed},
      {{S::kResolved, A::kReopen}, S::kUnderReview},
      {{S::kReferred, A::kReopen}, S::kUnderReview},
      {{S::kRejected, A::kReopen}, S::kUnderReview},
      {{S::kClosed, A::kReopen}, S::kUnderReview},
  };
  int refused = 0;
  for (int s = 0; s < kCaseStateCount; ++s) {
    std::set<A> from_here;
    for (int a = 0; a <= static_cast<int>(A::kReopen); ++a) {
      auto state = static_cast<S>(s);
      auto action = static_cast<A>(a);
      auto got = NextState(state, action);
      auto want = allowed.find({state, action});
      if (want == allowed.end()) {
        ASSERT_FALSE(got.ok())
            << CaseStateName(state) << " " << ActionName(action);
        EXPECT_EQ(got.status().code(), StatusCode::kFailedPrecondition);
        ++refused;
      } else {
        ASSERT_TRUE(got.ok()) << got.status().ToString();
        EXPECT_EQ(*got, want->second);
        from_here.insert(action);
      }
    }
    auto listed = ActionsFrom(static_cast<S>(s));
    EXPECT_EQ(std::set<A>(listed.begin(), listed.end()), from_here);
  }
  EXPECT_EQ(refused, 7 * 7 - 14);
  // The refusal says what is allowed.
  auto closed = NextState(S::kClosed, A::kResolve);
  EXPECT_NE(closed.status().message().find("allowed: reopen"),
            std::string::npos)
      << closed.status().message();
}

TEST(WorkflowTest, WhatNeedsAText) {
  EXPECT_TRUE(NeedsText(A::kReject));
  EXPECT_TRUE(NeedsText(A::kResolve));
  EXPECT_TRUE(NeedsText(A::kReopen));
  EXPECT_FALSE(NeedsText(A::kAcknowledge));
  EXPECT_FALSE(NeedsText(A::kClose));
}

TEST(WorkflowTest, DeadlinesComeFromTheParametersInForce) {
  auto p = Params();
  auto d = DeadlinesFor(*p, D("2026-12-10"), false);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  int ack = static_cast<int>(
      *p->Value("grievance.acknowledge_days", D("2026-12-10")));
  int res =
      static_cast<int>(*p->Value("grievance.resolve_days", D("2026-12-10")));
  EXPECT_EQ(d->acknowledge_by, D("2026-12-10").AddDays(ack));
  EXPECT_EQ(d->resolve_by, D("2026-12-10").AddDays(res));
  auto conf = DeadlinesFor(*p, D("2026-12-10"), true);
  ASSERT_TRUE(conf.ok());
  EXPECT_LE(conf->acknowledge_by, d->acknowledge_by);
  // A later value of the parameter applies to cases received after it.
  auto later = p->Override("grievance.resolve_days",
                           {{D("2027-01-01"), 10, "test", "high"}});
  EXPECT_EQ(DeadlinesFor(*later, D("2026-12-31"), false)->resolve_by,
            D("2026-12-31").AddDays(res));
  EXPECT_EQ(DeadlinesFor(*later, D("2027-01-01"), false)->resolve_by,
            D("2027-01-11"));
  // Not in force yet: said plainly.
  auto early = DeadlinesFor(*p, D("1999-01-01"), false);
  EXPECT_EQ(early.status().code(), StatusCode::kFailedPrecondition);
}

TEST(WorkflowTest, HowFarBackAPaperFormMayBeDatedIsAParameter) {
  auto p = Params();
  auto earliest = EarliestReceivedOn(*p, D("2026-12-10"));
  ASSERT_TRUE(earliest.ok()) << earliest.status().ToString();
  EXPECT_EQ(*earliest, D("2025-12-09"));  // 366 days.
  auto later = p->Override("grievance.backdate_days",
                           {{D("2027-01-01"), 90, "test", "high"}});
  EXPECT_EQ(*EarliestReceivedOn(*later, D("2026-12-31")), D("2025-12-30"));
  EXPECT_EQ(*EarliestReceivedOn(*later, D("2027-01-01")), D("2026-10-03"));
  auto bad = p->Override("grievance.backdate_days",
                         {{D("2017-01-01"), -1, "test", "high"}});
  EXPECT_EQ(EarliestReceivedOn(*bad, D("2026-12-10")).status().code(),
            StatusCode::kFailedPrecondition);
}

Case OpenCase() {
  Case c;
  c.state = S::kReceived;
  c.level = Level::kSoum;
  c.received_on = D("2026-12-01");
  c.acknowledge_by = D("2026-12-04");
  c.resolve_by = D("2026-12-31");
  return c;
}

TEST(WorkflowTest, EscalationWhenTheAcknowledgementIsLate) {
  auto p = Params();
  Case c = OpenCase();
  // On the deadline itself nothing happens; the day after it does.
  EXPECT_FALSE(EscalationDue(c, D("2026-12-04"), *p)->has_value());
  auto e = EscalationDue(c, D("2026-12-05"), *p);
  ASSERT_TRUE(e.ok() && e->has_value());
  EXPECT_EQ((*e)->to, Level::kAimag);
  EXPECT_EQ((*e)->reason, "acknowledge_overdue");
  // Acknowledged in time: no escalation until the resolve deadline.
  c.state = S::kAcknowledged;
  c.acknowledged_on = D("2026-12-03");
  EXPECT_FALSE(EscalationDue(c, D("2026-12-20"), *p)->has_value());
}

TEST(WorkflowTest, EscalationLevelByLevelWithAWait) {
  auto p = Params();
  int wait =
      static_cast<int>(*p->Value("grievance.escalation_days", D("2026-12-01")));
  Case c = OpenCase();
  c.state = S::kUnderReview;
  c.level = Level::kAimag;
  c.escalated_on = D("2027-01-01");
  // Escalated on 1 January: the aimag has `wait` days.
  EXPECT_FALSE(
      EscalationDue(c, D("2027-01-01").AddDays(wait), *p)->has_value());
  auto e = EscalationDue(c, D("2027-01-01").AddDays(wait + 1), *p);
  ASSERT_TRUE(e.ok() && e->has_value());
  EXPECT_EQ((*e)->to, Level::kNational);
  EXPECT_EQ((*e)->reason, "resolve_overdue");
  // National is the top; decided and closed cases never escalate.
  c.level = Level::kNational;
  EXPECT_FALSE(EscalationDue(c, D("2028-01-01"), *p)->has_value());
  c.level = Level::kSoum;
  for (S s : {S::kResolved, S::kReferred, S::kRejected, S::kClosed}) {
    c.state = s;
    EXPECT_FALSE(EscalationDue(c, D("2028-01-01"), *p)->has_value());
  }
}

TEST(WorkflowTest, InTime) {
  Case c = OpenCase();
  EXPECT_FALSE(AcknowledgedInTime(c).has_value());
  c.acknowledged_on = D("2026-12-04");
  EXPECT_TRUE(*AcknowledgedInTime(c));
  c.acknowledged_on = D("2026-12-05");
  EXPECT_FALSE(*AcknowledgedInTime(c));
  c.decided_on = D("2027-01-01");
  EXPECT_FALSE(*DecidedInTime(c));
}

}  // namespace
}  // namespace malchin::grievance
