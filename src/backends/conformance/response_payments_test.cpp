// Payrolls and payments of response::Repository on every engine: one line
// per (plan, beneficiary, installment) under concurrent runs, nothing left
// by a crash, re-issues and reconciliation arithmetic.
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "backends/conformance/response_fixture.h"

namespace malchin::conformance {
namespace {

using backends::testing::RawSqlRefused;
constexpr auto kPaid = response::PaymentStatus::kPaid;
constexpr auto kFailed = response::PaymentStatus::kFailed;
constexpr auto kReturned = response::PaymentStatus::kReturned;

class ResponsePaymentsTest : public ResponseFixture {
 protected:
  // PostgreSQL's payroll lines also carry their entitlement's aimag (the
  // distribution column): ", aimag_code" there, "" on SQLite.
  std::string LineAimag() const {
    return engine() == store::Engine::kPostgres ? ", aimag_code" : "";
  }
};

TEST_P(ResponsePaymentsTest, OneLinePerBeneficiaryAndInstallment) {
  ApproveAndPay();
  // Generating again returns the same payroll.
  auto again = rs_->GeneratePayroll("p1", 1, "other");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->generated_by, "maker");
  EXPECT_EQ(again->lines, 3);
  // The database refuses a second line for the same (plan, beneficiary,
  // installment).
  const std::string aimag = LineAimag();
  EXPECT_TRUE(
      RawSqlRefused(database(),
                    "INSERT INTO response_payroll_lines (payroll_id, plan_id, "
                    "entitlement_id, installment, amount" +
                        aimag +
                        ") SELECT payroll_id, plan_id, entitlement_id, "
                        "installment, amount" +
                        aimag + " FROM response_payroll_lines LIMIT 1"));
}

TEST_P(ResponsePaymentsTest, ConcurrentRunsLeaveNoDuplicates) {
  ASSERT_TRUE(rs_->CreatePlan(plan_, "maker").ok());
  // Two officers' processes approve, generate and issue at the same time.
  auto a = Open();
  auto b = Open();
  auto run = [](response::Transfers* s, Status* out) {
    Status st = s->ApprovePlan("p1", "checker", {}, TesChildren).status();
    if (st.ok()) st = s->GeneratePayroll("p1", 1, "maker").status();
    if (st.ok()) {
      auto r = s->ApprovePayroll("p1", 1, "checker");
      st = r.status();
    }
    if (st.ok()) st = s->IssuePayments("p1", 1, "maker", FirstFour).status();
    *out = st;
  };
  Status sa, sb;
  std::thread ta(run, a, &sa);
  std::thread tb(run, b, &sb);
  ta.join();
  tb.join();
  EXPECT_TRUE(sa.ok()) << sa.ToString();
  EXPECT_TRUE(sb.ok()) << sb.ToString();
  EXPECT_EQ(rs_->Snapshot("p1", {})->size(), 3u);
  EXPECT_EQ(rs_->FindPayroll("p1", 1)->value().lines, 3);
  auto report = rs_->PaymentReport("p1", 1, {});
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->back().issued, 3);  // Issued once, not twice.
  EXPECT_EQ(report->back().not_issued, 0);
}

TEST_P(ResponsePaymentsTest, CrashMidPayrollLeavesNothing) {
  ASSERT_TRUE(rs_->CreatePlan(plan_, "maker").ok());
  // A selection that fails half way (as a crash would) writes nothing.
  auto failing = [](const Roster&) -> Result<std::vector<SnapshotChoice>> {
    return Status::Internal("power cut");
  };
  EXPECT_FALSE(rs_->ApprovePlan("p1", "checker", {}, failing).ok());
  EXPECT_EQ(rs_->FindPlan("p1")->value().status,
            response::PlanStatus::kPrepared);
  EXPECT_TRUE(rs_->Snapshot("p1", {})->empty());
  // A process killed inside the payroll transaction: the open transaction
  // is rolled back when its connection goes away.
  ASSERT_TRUE(rs_->ApprovePlan("p1", "checker", {}, TesChildren).ok());
  {
    auto raw = backends::testing::RawConnection::Open(database());
    ASSERT_TRUE(raw.ok()) << raw.status().ToString();
    ASSERT_TRUE((*raw)->Exec("BEGIN").ok());
    ASSERT_TRUE((*raw)
                    ->Exec("INSERT INTO response_payrolls (plan_id, "
                           "installment, status, generated_by, generated_at, "
                           "lines, amount) SELECT id, 1, 'generated', 'x', "
                           "'now', 0, 0 FROM response_plans")
                    .ok());
    const std::string aimag = LineAimag();
    Status lines = (*raw)->Exec(
        "INSERT INTO response_payroll_lines (payroll_id, plan_id, "
        "entitlement_id, installment, amount" +
        aimag + ") SELECT 1, plan_id, id, 1, amount" + aimag +
        " FROM response_entitlements LIMIT 1");
    ASSERT_TRUE(lines.ok()) << lines.ToString();
  }  // Closed without COMMIT.
  EXPECT_FALSE(rs_->FindPayroll("p1", 1)->has_value());
  auto pr = rs_->GeneratePayroll("p1", 1, "maker");
  ASSERT_TRUE(pr.ok());
  EXPECT_EQ(pr->lines, 3);
}

TEST_P(ResponsePaymentsTest, ReconciliationArithmeticAndReissue) {
  ApproveAndPay();
  auto issued = rs_->IssuePayments("p1", 1, "maker", FirstFour);
  ASSERT_TRUE(issued.ok()) << issued.status().ToString();
  EXPECT_EQ(issued->issued, 3);
  EXPECT_EQ(issued->amount, 120000);
  std::vector<IssuedPayment> payments;
  ASSERT_TRUE(rs_->ForEachIssued("p1", 1, issued->batch,
                                 [&](const IssuedPayment& p) {
                                   payments.push_back(p);
                                   return Status::Ok();
                                 })
                  .ok());
  ASSERT_EQ(payments.size(), 3u);
  // Nothing new to issue: a second export issues nothing.
  EXPECT_EQ(rs_->IssuePayments("p1", 1, "maker", FirstFour)->issued, 0);

  std::vector<PaymentResult> results = {
      {2, payments[0].reference, kPaid, 40000, ""},
      {3, payments[1].reference, kFailed, 40000, "account closed"}};
  auto c1 = rs_->ApplyResults("bank.csv", results, "maker");
  ASSERT_TRUE(c1.ok()) << c1.status().ToString();
  EXPECT_EQ(c1->changed, 2);
  // Re-import changes nothing.
  auto c2 = rs_->ApplyResults("bank.csv", results, "maker");
  ASSERT_TRUE(c2.ok());
  EXPECT_EQ(c2->changed, 0);
  EXPECT_EQ(c2->unchanged, 2);
  // Unknown reference, wrong amount, forbidden change: rejected whole.
  std::vector<PaymentResult> bad = {
      {2, "MLC-9-9-9-9", kPaid, 40000, ""},
      {3, payments[2].reference, kPaid, 1, ""},
      {4, payments[1].reference, kPaid, 40000, ""},
      {5, payments[2].reference, kPaid, 40000, ""}};
  auto c3 = rs_->ApplyResults("bad.csv", bad, "maker");
  ASSERT_EQ(c3.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(c3.status().message().find("bad.csv:2: reference MLC-9-9-9-9 was "
                                       "never issued"),
            std::string::npos)
      << c3.status().message();
  EXPECT_NE(c3.status().message().find("bad.csv:4:"), std::string::npos);
  auto check = [&](int64_t issued_n, int64_t paid, int64_t failed,
                   int64_t returned, int64_t pending) {
    auto r = rs_->PaymentReport("p1", 1, {});
    ASSERT_TRUE(r.ok());
    for (const PaymentTotals& t : *r) {
      EXPECT_EQ(t.issued, t.paid + t.failed + t.returned + t.pending);
      EXPECT_EQ(t.issued_amount, t.paid_amount + t.failed_amount +
                                     t.returned_amount + t.pending_amount);
    }
    const PaymentTotals& t = r->back();
    EXPECT_EQ(t.issued, issued_n);
    EXPECT_EQ(t.paid, paid);
    EXPECT_EQ(t.failed, failed);
    EXPECT_EQ(t.returned, returned);
    EXPECT_EQ(t.pending, pending);
  };
  check(3, 1, 1, 0, 1);
  // A failed payment is not sent again to the same account by itself: the
  // next export leaves it out (the follow-up list shows it) ...
  auto none = rs_->IssuePayments("p1", 1, "maker", FirstFour);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->issued, 0);
  ASSERT_EQ(none->kept_out.size(), 1u);
  EXPECT_EQ(none->kept_out[0].first, "failed");
  // ... until an officer decides to re-issue it: then it goes with a new
  // reference; the paid and the pending ones are not.
  response::Transfers::CaseRequest again;
  again.plan_code = "p1";
  again.installment = 1;
  again.register_no = payments[1].beneficiary_register_no;
  again.kind = response::CaseAction::kReissue;
  again.reason = "bank system was down";
  ASSERT_TRUE(rs_->RequestAction(again, "maker", {}).ok());
  auto re = rs_->IssuePayments("p1", 1, "maker", FirstFour);
  ASSERT_TRUE(re.ok());
  EXPECT_EQ(re->issued, 1);
  EXPECT_EQ(re->reissued, 1);
  std::vector<IssuedPayment> second;
  ASSERT_TRUE(rs_->ForEachIssued("p1", 1, 0,
                                 [&](const IssuedPayment& p) {
                                   second.push_back(p);
                                   return Status::Ok();
                                 })
                  .ok());
  ASSERT_EQ(second.size(), 1u);
  EXPECT_NE(second[0].reference, payments[1].reference);
  EXPECT_EQ(second[0].beneficiary_register_no,
            payments[1].beneficiary_register_no);
  check(4, 1, 1, 0, 2);
  // Paid may become returned; then it can be re-issued too.
  ASSERT_TRUE(rs_->ApplyResults("r2.csv",
                                {{2, payments[0].reference, kReturned, 40000,
                                  "beneficiary deceased"},
                                 {3, second[0].reference, kPaid, 40000, ""}},
                                "maker")
                  .ok());
  check(4, 1, 1, 1, 1);
  // The database refuses two live payments for one line.
  EXPECT_TRUE(RawSqlRefused(database(),
                            "INSERT INTO response_payments (line_id, attempt, "
                            "reference, batch_id, bank_code, amount, status) "
                            "SELECT line_id, attempt + 10, reference || 'x', "
                            "batch_id, bank_code, amount, 'pending' FROM "
                            "response_payments WHERE status = 'paid'"));
}

TEST_P(ResponsePaymentsTest, ReconcilesByScanOrByLookupAlike) {
  ApproveAndPay();
  auto issued = rs_->IssuePayments("p1", 1, "maker", FirstFour);
  ASSERT_TRUE(issued.ok()) << issued.status().ToString();
  std::vector<std::string> refs;
  ASSERT_TRUE(rs_->ForEachIssued("p1", 1, issued->batch,
                                 [&](const IssuedPayment& p) {
                                   refs.push_back(p.reference);
                                   return Status::Ok();
                                 })
                  .ok());
  ASSERT_EQ(refs.size(), 3u);
  std::sort(refs.begin(), refs.end());
  // 2,000 earlier failed attempts of the first line, whose references sort
  // between the first and the second payment: a two-row file then spans
  // far more payments than it has rows, and is looked up row by row.
  std::string prefix = refs[0].substr(0, refs[0].rfind('-') + 1);
  ASSERT_TRUE(backends::testing::ExecRawSql(
                  database(),
                  "WITH RECURSIVE n(k) AS (SELECT 2 UNION ALL SELECT k "
                  "+ 1 FROM n WHERE k < 2001) INSERT INTO "
                  "response_payments (line_id, attempt, reference, "
                  "batch_id, bank_code, amount, status, reason) SELECT "
                  "y.line_id, 1000 + k, '" +
                      prefix +
                      "' || (1000 + k), y.batch_id, y.bank_code, "
                      "y.amount, 'failed', 'test' FROM n, response_payments "
                      "y WHERE y.reference = '" +
                      refs[0] + "'")
                  .ok());
  std::vector<PaymentResult> unknown = {{2, refs[0], kPaid, 40000, ""},
                                        {3, prefix + "999", kPaid, 40000, ""},
                                        {4, refs[1], kPaid, 40000, ""}};
  auto bad = rs_->ApplyResults("b.csv", unknown, "maker");
  ASSERT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("b.csv:3: reference " + prefix +
                                        "999 was never issued"),
            std::string::npos)
      << bad.status().message();
  std::vector<PaymentResult> good = {
      {2, refs[1], kPaid, 40000, ""},
      {3, refs[0], kPaid, 40000, ""},
      {4, prefix + "1500", kFailed, 40000, "test"}};
  auto c = rs_->ApplyResults("b.csv", good, "maker");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->changed, 2);
  EXPECT_EQ(c->unchanged, 1);
  // The third payment alone: a narrow range, read in one pass.
  std::vector<PaymentResult> last = {{2, refs[2], kFailed, 40000, "closed"}};
  auto d = rs_->ApplyResults("c.csv", last, "maker");
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->changed, 1);
  auto r = rs_->PaymentReport("p1", 1, {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->back().paid, 2);
}

INSTANTIATE_TEST_SUITE_P(Engines, ResponsePaymentsTest,
                         ::testing::ValuesIn(backends::testing::TestEngines()),
                         backends::testing::EngineName);

}  // namespace
}  // namespace malchin::conformance
