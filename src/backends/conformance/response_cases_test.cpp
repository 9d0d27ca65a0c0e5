// Payments as cases on every engine (#15): holds, cancellations, releases
// and payee changes by one officer confirmed by another, re-issues only
// when decided (never a second payment), beneficiaries deactivated after
// the snapshot flagged, the follow-up list, plans of the same event and
// programme that cannot pay twice by mistake, batches numbered per payroll
// and the payment report's disaggregation.
#include <gtest/gtest.h>

#include <algorithm>

#include "backends/conformance/response_fixture.h"

namespace malchin::conformance {
namespace {

using backends::testing::RawSqlRefused;
using response::ActionStatus;
using response::CaseAction;
using response::CaseState;
using response::FollowUpReason;
using response::OverlapChoice;
constexpr auto kFailed = response::PaymentStatus::kFailed;

constexpr const char* kBoy = "ИЗ15220111";    // H1, paid to his mother.
constexpr const char* kGirl = "ИЗ17220122";   // H1.
constexpr const char* kOther = "ИЗ18220111";  // H2, paid to his father.

class ResponseCasesTest : public ResponseFixture {
 protected:
  response::Transfers::CaseRequest Ask(CaseAction kind, const char* rn,
                                       int installment = 1) {
    response::Transfers::CaseRequest r;
    r.plan_code = "p1";
    r.installment = installment;
    r.register_no = rn;
    r.kind = kind;
    r.reason = std::string(response::Name(kind)) + " for the test";
    return r;
  }
  // Requested by the maker, confirmed by the checker.
  void Decided(const response::Transfers::CaseRequest& r) {
    auto a = rs_->RequestAction(r, "maker", {});
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    auto c = rs_->DecideAction("p1", a->id, true, "seen", "checker", {});
    ASSERT_TRUE(c.ok()) << c.status().ToString();
  }
  std::vector<IssuedPayment> Batch(int batch) {
    std::vector<IssuedPayment> out;
    EXPECT_TRUE(rs_->ForEachIssued("p1", 1, batch,
                                   [&](const IssuedPayment& p) {
                                     out.push_back(p);
                                     return Status::Ok();
                                   })
                    .ok());
    return out;
  }
  static bool Has(const std::vector<IssuedPayment>& b, const char* rn) {
    return std::any_of(b.begin(), b.end(), [&](const IssuedPayment& p) {
      return p.beneficiary_register_no == rn;
    });
  }
};

TEST_P(ResponseCasesTest, HeldPaymentIsNotInTheFileAndReleaseSendsItNext) {
  ApproveAndPay();
  auto hold = rs_->RequestAction(Ask(CaseAction::kHold, kBoy), "maker", {});
  ASSERT_TRUE(hold.ok()) << hold.status().ToString();
  EXPECT_EQ(hold->status, ActionStatus::kRequested);
  // Maker-checker: not by whoever asked; in the database too.
  EXPECT_EQ(
      rs_->DecideAction("p1", hold->id, true, "", "maker", {}).status().code(),
      StatusCode::kPermissionDenied);
  EXPECT_TRUE(RawSqlRefused(database(),
                            "UPDATE response_payment_actions SET status = "
                            "'confirmed', decided_by = requested_by"));
  // While the hold awaits confirmation the payment is kept out already.
  auto first = rs_->IssuePayments("p1", 1, "maker", FirstFour);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->batch, 1);
  EXPECT_EQ(first->issued, 2);
  EXPECT_FALSE(Has(Batch(1), kBoy));
  ASSERT_TRUE(
      rs_->DecideAction("p1", hold->id, true, "ok", "checker", {}).ok());
  auto held = rs_->Case("p1", 1, kBoy, {});
  ASSERT_TRUE(held.ok()) << held.status().ToString();
  EXPECT_EQ(held->view.state, CaseState::kHeld);
  EXPECT_EQ(rs_->IssuePayments("p1", 1, "maker", FirstFour)->issued, 0);
  // A decided action never changes, and nothing is deleted.
  EXPECT_TRUE(RawSqlRefused(
      database(), "UPDATE response_payment_actions SET reason = 'other'"));
  EXPECT_TRUE(
      RawSqlRefused(database(), "DELETE FROM response_payment_actions"));
  Decided(Ask(CaseAction::kRelease, kBoy));
  auto next = rs_->IssuePayments("p1", 1, "maker", FirstFour);
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->batch, 2);
  EXPECT_EQ(next->issued, 1);
  EXPECT_TRUE(Has(Batch(2), kBoy));
  // Every request and decision is in the audit trail.
  auto trail = session().ListAudit({});
  ASSERT_TRUE(trail.ok());
  int64_t holds = std::count_if(
      trail->begin(), trail->end(),
      [](const store::AuditRecord& r) { return r.action == "payment.hold"; });
  EXPECT_EQ(holds, 1);
}

TEST_P(ResponseCasesTest, OneRequestAtATimeAndCancellationIsFinal) {
  ApproveAndPay();
  ASSERT_TRUE(
      rs_->RequestAction(Ask(CaseAction::kHold, kBoy), "maker", {}).ok());
  auto twice = rs_->RequestAction(Ask(CaseAction::kCancel, kBoy), "other", {});
  EXPECT_EQ(twice.status().code(), StatusCode::kFailedPrecondition);
  // The database allows one open request per payment.
  EXPECT_TRUE(RawSqlRefused(
      database(),
      "INSERT INTO response_payment_actions (plan_id, entitlement_id, "
      "installment, kind, reason, effective_on, status, requested_by, "
      "requested_at) SELECT plan_id, entitlement_id, installment, 'cancel', "
      "'x', effective_on, 'requested', 'x', 'x' FROM "
      "response_payment_actions"));
  auto pending = rs_->Case("p1", 1, kBoy, {});
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->actions.size(), 1u);
  ASSERT_TRUE(rs_->DecideAction("p1", pending->actions[0].id, false,
                                "not needed", "checker", {})
                  .ok());
  Decided(Ask(CaseAction::kCancel, kBoy));
  EXPECT_EQ(rs_->RequestAction(Ask(CaseAction::kRelease, kBoy), "maker", {})
                .status()
                .code(),
            StatusCode::kFailedPrecondition);
  auto c = rs_->Case("p1", 1, kBoy, {});
  EXPECT_EQ(c->view.state, CaseState::kCancelled);
  EXPECT_EQ(rs_->IssuePayments("p1", 1, "maker", FirstFour)->issued, 2);
  // Unknown person, wrong installment, no reason, flags by hand: refused.
  EXPECT_EQ(
      rs_->RequestAction(Ask(CaseAction::kHold, "ИЗ85120320"), "maker", {})
          .status()
          .code(),
      StatusCode::kNotFound);
  EXPECT_EQ(rs_->RequestAction(Ask(CaseAction::kHold, kGirl, 2), "maker", {})
                .status()
                .code(),
            StatusCode::kNotFound);
  auto bare = Ask(CaseAction::kHold, kGirl);
  bare.reason.clear();
  EXPECT_EQ(rs_->RequestAction(bare, "maker", {}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(rs_->RequestAction(Ask(CaseAction::kFlag, kGirl), "maker", {})
                .status()
                .code(),
            StatusCode::kInvalidArgument);
  // An officer of another soum sees no such beneficiary.
  EXPECT_EQ(rs_->RequestAction(Ask(CaseAction::kHold, kGirl), "maker",
                               AreaFilter{0, 18101})
                .status()
                .code(),
            StatusCode::kNotFound);
}

TEST_P(ResponseCasesTest, SentPaymentIsNotHeldHere) {
  ApproveAndPay();
  ASSERT_TRUE(rs_->IssuePayments("p1", 1, "maker", FirstFour).ok());
  auto hold = rs_->RequestAction(Ask(CaseAction::kHold, kBoy), "maker", {});
  ASSERT_EQ(hold.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(hold.status().message().find("ask the bank to return it"),
            std::string::npos)
      << hold.status().message();
}

TEST_P(ResponseCasesTest, DeactivatedAfterTheSnapshotIsFlaggedNotPaid) {
  ASSERT_TRUE(rs_->CreatePlan(plan_, "maker").ok());
  ASSERT_TRUE(rs_->ApprovePlan("p1", "checker", {}, TesChildren).ok());
  ASSERT_TRUE(reg().DeactivatePerson(kBoy, {D("2019-12-18"), "deceased"}).ok());
  ASSERT_TRUE(rs_->GeneratePayroll("p1", 1, "maker").ok());
  ASSERT_TRUE(rs_->ApprovePayroll("p1", 1, "checker").ok());
  auto c = rs_->Case("p1", 1, kBoy, {});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->view.state, CaseState::kFlagged);
  ASSERT_EQ(c->actions.size(), 1u);
  EXPECT_EQ(c->actions[0].kind, CaseAction::kFlag);
  EXPECT_NE(c->actions[0].reason.find("deceased"), std::string::npos);
  auto issued = rs_->IssuePayments("p1", 1, "maker", FirstFour);
  ASSERT_TRUE(issued.ok());
  EXPECT_EQ(issued->issued, 2);
  EXPECT_EQ(issued->flagged, 0);  // Flagged once, at generation.
  ASSERT_EQ(issued->kept_out.size(), 1u);
  EXPECT_EQ(issued->kept_out[0].first, "flagged");
  // The officer decides to pay it after all (the family will receive it).
  Decided(Ask(CaseAction::kRelease, kBoy));
  auto next = rs_->IssuePayments("p1", 1, "maker", FirstFour);
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->issued, 1);
  EXPECT_EQ(next->flagged, 0);  // Never flagged twice.
}

TEST_P(ResponseCasesTest, FailedPaymentIsReissuedToTheCorrectedAccount) {
  ApproveAndPay();
  ASSERT_TRUE(rs_->IssuePayments("p1", 1, "maker", FirstFour).ok());
  auto sent = Batch(1);
  auto it = std::find_if(sent.begin(), sent.end(), [](const IssuedPayment& p) {
    return p.beneficiary_register_no == kOther;
  });
  ASSERT_NE(it, sent.end());
  ASSERT_TRUE(
      rs_->ApplyResults("khan.csv",
                        {{2, it->reference, kFailed, 40000, "account closed"}},
                        "maker")
          .ok());
  // Not re-sent to the closed account.
  EXPECT_EQ(rs_->IssuePayments("p1", 1, "maker", FirstFour)->issued, 0);
  auto change = Ask(CaseAction::kPayee, kOther, 0);
  change.payee_register_no = "ИЗ80010111";
  change.payee_name = "Батбаяр Сүхээ";
  change.account = "00327777777777";
  auto asked = rs_->RequestAction(change, "maker", {});
  ASSERT_TRUE(asked.ok()) << asked.status().ToString();
  // Nothing is sent while the new account awaits a second officer.
  EXPECT_EQ(rs_->IssuePayments("p1", 1, "maker", FirstFour)->issued, 0);
  ASSERT_TRUE(rs_->DecideAction("p1", asked->id, true, "", "checker", {}).ok());
  auto again = rs_->IssuePayments("p1", 1, "maker", FirstFour);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->issued, 1);
  EXPECT_EQ(again->reissued, 1);
  auto second = Batch(again->batch);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].account, "00327777777777");
  EXPECT_EQ(second[0].bank_code, "0032");
  // One payment, two attempts, the history visible.
  auto c = rs_->Case("p1", 1, kOther, {});
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c->attempts.size(), 2u);
  EXPECT_EQ(c->attempts[0].status, kFailed);
  EXPECT_EQ(c->attempts[0].reason, "account closed");
  EXPECT_EQ(c->attempts[0].account, "00151234567890");
  EXPECT_EQ(c->attempts[1].account, "00327777777777");
  EXPECT_EQ(c->attempts[1].attempt, 2);
  EXPECT_EQ(c->account, "00327777777777");
  auto report = rs_->PaymentReport("p1", 1, {});
  EXPECT_EQ(report->back().lines, 3);  // Still three payments owed.
  // The same payee and account again is no change.
  EXPECT_EQ(rs_->RequestAction(change, "maker", {}).status().code(),
            StatusCode::kFailedPrecondition);
  // What a herder texting ТӨЛБӨР learns: the newest attempt, not the failed.
  auto& rows = session().Get<response::Repository>();
  auto latest = rows.LatestPaymentOf(kOther);
  ASSERT_TRUE(latest.ok()) << latest.status().ToString();
  ASSERT_TRUE(latest->has_value());
  EXPECT_EQ((*latest)->status, response::PaymentStatus::kPending);
  EXPECT_EQ((*latest)->installment, 1);
  EXPECT_EQ((*latest)->amount, second[0].amount);
  EXPECT_FALSE((*latest)->plan_name.empty());
  EXPECT_FALSE(rows.LatestPaymentOf("ИЗ99999999")->has_value());
}

TEST_P(ResponseCasesTest, FollowUpListsWhatAnOfficerMustDo) {
  // A household in Tes with a child and no account anywhere.
  ASSERT_TRUE(reg()
                  .Upsert({Hh("H4", 18149)},
                          {P("ИЗ90010111", "H4", "1990-01-01", Sex::kFemale,
                             Relation::kHead, ""),
                           P("ИЗ18220199", "H4", "2018-03-01", Sex::kFemale,
                             Relation::kChild, "")},
                          {"test", "t"})
                  .ok());
  ApproveAndPay();
  ASSERT_TRUE(reg().DeactivatePerson(kGirl, {D("2019-12-18"), "moved"}).ok());
  Decided(Ask(CaseAction::kHold, kBoy));
  auto issued = rs_->IssuePayments("p1", 1, "maker", FirstFour);
  ASSERT_TRUE(issued.ok());
  ASSERT_EQ(issued->issued, 1);  // kOther only.
  ASSERT_EQ(issued->unroutable.size(), 1u);
  ASSERT_TRUE(rs_->ApplyResults("b.csv",
                                {{2, Batch(1)[0].reference, kFailed, 40000,
                                  "account closed"}},
                                "maker")
                  .ok());
  auto list = rs_->FollowUp("p1", 1, AreaFilter{0, 18149}, FirstFour);
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  std::map<std::string, FollowUpReason> why;
  for (const auto& i : *list) why[i.register_no] = i.reason;
  ASSERT_EQ(why.size(), 4u);
  EXPECT_EQ(why[kBoy], FollowUpReason::kHeld);
  EXPECT_EQ(why[kGirl], FollowUpReason::kFlagged);
  EXPECT_EQ(why[kOther], FollowUpReason::kFailed);
  EXPECT_EQ(why["ИЗ18220199"], FollowUpReason::kNoAccount);
  for (const auto& i : *list) {
    EXPECT_EQ(i.soum_code, 18149);
    if (i.reason == FollowUpReason::kFailed) {
      EXPECT_EQ(i.detail, "account closed");
    }
    if (i.reason == FollowUpReason::kHeld) {
      ASSERT_TRUE(i.last_action.has_value());
      EXPECT_EQ(i.last_action->decided_by, "checker");
    }
  }
  // Another soum's officer sees none of them.
  auto theirs = rs_->FollowUp("p1", 1, AreaFilter{0, 18101}, FirstFour);
  ASSERT_TRUE(theirs.ok());
  EXPECT_TRUE(theirs->empty());
}

TEST_P(ResponseCasesTest, SamePlanTwiceLeavesTheCoveredOutUnlessAccepted) {
  ApproveAndPay();
  PlanRecord again = plan_;
  again.code = "p1-again";
  ASSERT_TRUE(rs_->CreatePlan(again, "maker").ok());
  auto roster = reg().LoadRoster({});
  ASSERT_TRUE(roster.ok());
  auto covered = rs_->AlreadyCovered(rs_->FindPlan("p1-again")->value(),
                                     *roster, *TesChildren(*roster));
  ASSERT_TRUE(covered.ok());
  ASSERT_EQ(covered->size(), 1u);
  EXPECT_EQ((*covered)[0].first, "p1");
  EXPECT_EQ((*covered)[0].second, 3);
  // Accepting needs a reason.
  EXPECT_EQ(rs_->ApprovePlan("p1-again", "checker", {}, TesChildren, nullptr,
                             {OverlapChoice::kAccept, ""})
                .status()
                .code(),
            StatusCode::kInvalidArgument);
  // By default the three children already paid are left out.
  auto a = rs_->ApprovePlan("p1-again", "checker", {}, TesChildren);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->beneficiaries, 0);
  EXPECT_EQ(a->overlap_choice, OverlapChoice::kExclude);
  EXPECT_EQ(a->overlap_count, 3);
  // Accepted knowingly: paid again, the count and reason recorded.
  PlanRecord third = plan_;
  third.code = "p1-topup";
  ASSERT_TRUE(rs_->CreatePlan(third, "maker").ok());
  auto b = rs_->ApprovePlan("p1-topup", "checker", {}, TesChildren, nullptr,
                            {OverlapChoice::kAccept, "second top-up"});
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->beneficiaries, 3);
  EXPECT_EQ(b->overlap_choice, OverlapChoice::kAccept);
  EXPECT_EQ(b->overlap_count, 3);
  EXPECT_EQ(b->overlap_reason, "second top-up");
  EXPECT_EQ(rs_->FindPlan("p1-topup")->value().overlap_reason, "second top-up");
  // The database refuses an accepted overlap without a reason.
  EXPECT_TRUE(RawSqlRefused(database(),
                            "UPDATE response_plans SET overlap_reason = '' "
                            "WHERE overlap_choice = 'accept'"));
}

TEST_P(ResponseCasesTest, BatchesAreNumberedPerPayroll) {
  ApproveAndPay();
  PlanRecord other = plan_;
  other.code = "p9";
  other.event_code = "tes-dzud";
  ASSERT_TRUE(rs_->CreatePlan(other, "maker").ok());
  ASSERT_TRUE(rs_->ApprovePlan("p9", "checker", {}, TesChildren, nullptr,
                               {OverlapChoice::kAccept, "test"})
                  .ok());
  ASSERT_TRUE(rs_->GeneratePayroll("p9", 1, "maker").ok());
  ASSERT_TRUE(rs_->ApprovePayroll("p9", 1, "checker").ok());
  EXPECT_EQ(rs_->IssuePayments("p1", 1, "maker", FirstFour)->batch, 1);
  EXPECT_EQ(rs_->IssuePayments("p9", 1, "maker", FirstFour)->batch, 1);
}

TEST_P(ResponseCasesTest, ReportIsDisaggregatedLikeThePreview) {
  ApproveAndPay();
  ASSERT_TRUE(rs_->IssuePayments("p1", 1, "maker", FirstFour).ok());
  auto b = rs_->Breakdown("p1", 1, {});
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(b->total.lines, 3);
  // H1's children are paid to their mother, head of a female-headed
  // household; H2's boy to his father.
  std::map<std::string, int64_t> payee, head;
  for (const auto& t : b->by_payee_sex) payee[t.payee_sex] = t.lines;
  for (const auto& t : b->by_head_sex) head[t.head_sex] = t.lines;
  EXPECT_EQ(payee["F"], 2);
  EXPECT_EQ(payee["M"], 1);
  EXPECT_EQ(head["F"], 2);
  EXPECT_EQ(head["M"], 1);
  int64_t under5 = 0, cells = 0;
  for (const auto& t : b->soum_cells) {
    EXPECT_EQ(t.soum_code, 18149);
    EXPECT_EQ(t.issued, t.paid + t.failed + t.returned + t.pending);
    if (t.age_band == "0-4") under5 += t.lines;
    cells += t.lines;
  }
  EXPECT_EQ(under5, 3);  // Aged 4, 2 and 1 on the cut-off.
  EXPECT_EQ(cells, 3);
  ASSERT_FALSE(b->aimag_cells.empty());
  EXPECT_EQ(b->aimag_cells.front().aimag_code, 181);
}

TEST_P(ResponseCasesTest, ResultWithAnotherReasonSaysWhatDiffers) {
  ApproveAndPay();
  ASSERT_TRUE(rs_->IssuePayments("p1", 1, "maker", FirstFour).ok());
  std::string ref = Batch(1)[0].reference;
  ASSERT_TRUE(
      rs_->ApplyResults("a.csv", {{2, ref, kFailed, 40000, "closed"}}, "maker")
          .ok());
  auto again = rs_->ApplyResults("b.csv", {{2, ref, kFailed, 40000, "dormant"}},
                                 "maker");
  ASSERT_EQ(again.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(again.status().message().find("only the reason differs"),
            std::string::npos)
      << again.status().message();
  EXPECT_EQ(again.status().message().find("cannot become failed"),
            std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Engines, ResponseCasesTest,
                         ::testing::ValuesIn(backends::testing::TestEngines()),
                         backends::testing::EngineName);

}  // namespace
}  // namespace malchin::conformance
