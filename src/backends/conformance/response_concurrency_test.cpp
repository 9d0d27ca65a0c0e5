// The steps of a shock response asked of several app servers at the same
// moment (a session per thread, each as another server would have), and an
// app server killed (kill -9) in the middle of a write: exactly one
// approval, one payroll with each beneficiary once, one reconciliation,
// nothing half-written, on every engine.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <latch>
#include <thread>

#include "backends/conformance/response_fixture.h"
#include "backends/open.h"

namespace malchin::conformance {
namespace {

using backends::testing::QueryRawSql;

class ResponseConcurrencyTest : public ResponseFixture {
 protected:
  static constexpr int kServers = 4;   // Sessions, one thread each.
  static constexpr int kRequests = 2;  // Requests per server.

  // Runs `step` kRequests times on each of kServers sessions, all starting
  // together; every call must succeed. Returns how many calls reported
  // that they wrote.
  int Race(const std::function<Result<bool>(response::Transfers&)>& step) {
    std::vector<response::Transfers*> servers;
    for (int i = 0; i < kServers; ++i) servers.push_back(Open());
    std::latch start(kServers);
    std::atomic<int> wrote{0};
    std::vector<Status> errors(kServers);
    std::vector<std::thread> threads;
    for (int i = 0; i < kServers; ++i) {
      threads.emplace_back([&, i] {
        start.arrive_and_wait();
        for (int k = 0; k < kRequests; ++k) {
          Result<bool> r = step(*servers[i]);
          if (!r.ok()) {
            errors[i] = r.status();
            return;
          }
          if (*r) ++wrote;
        }
      });
    }
    for (auto& t : threads) t.join();
    for (const Status& e : errors) EXPECT_TRUE(e.ok()) << e.ToString();
    return wrote.load();
  }

  // Entries of the audit trail with this action.
  int64_t Audited(const std::string& action) {
    store::AuditQuery q;
    q.limit = 1000;
    auto all = session().ListAudit(q);
    EXPECT_TRUE(all.ok()) << all.status().ToString();
    if (!all.ok()) return -1;
    return std::count_if(
        all->begin(), all->end(),
        [&](const store::AuditRecord& r) { return r.action == action; });
  }

  std::string Count(const std::string& sql) {
    auto rows = QueryRawSql(database(), sql);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    return rows.ok() && !rows->empty() ? rows->front().front() : "?";
  }
};

TEST_P(ResponseConcurrencyTest, AppServersApprovePayAndReconcileOnce) {
  ASSERT_TRUE(rs_->CreatePlan(plan_, "maker").ok());
  EXPECT_EQ(
      Race([](response::Transfers& t) -> Result<bool> {
        bool created = false;
        MALCHIN_RETURN_IF_ERROR(
            t.ApprovePlan("p1", "checker", {}, TesChildren, &created).status());
        return created;
      }),
      1);
  EXPECT_EQ(Audited("plan.approve"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM response_entitlements"), "3");

  EXPECT_EQ(Race([](response::Transfers& t) -> Result<bool> {
              bool created = false;
              MALCHIN_ASSIGN_OR_RETURN(
                  auto p, t.GeneratePayroll("p1", 1, "maker", &created));
              if (p.lines != 3) return Status::Internal("lines");
              return created;
            }),
            1);
  EXPECT_EQ(Audited("payroll.generate"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM response_payrolls"), "1");
  EXPECT_EQ(Count("SELECT count(DISTINCT entitlement_id) || '/' || count(*) "
                  "FROM response_payroll_lines"),
            "3/3");

  EXPECT_EQ(Race([](response::Transfers& t) -> Result<bool> {
              bool created = false;
              MALCHIN_RETURN_IF_ERROR(
                  t.ApprovePayroll("p1", 1, "checker", &created).status());
              return created;
            }),
            1);
  EXPECT_EQ(Audited("payroll.approve"), 1);

  EXPECT_EQ(Race([](response::Transfers& t) -> Result<bool> {
              MALCHIN_ASSIGN_OR_RETURN(
                  auto issued, t.IssuePayments("p1", 1, "maker", FirstFour));
              return issued.issued > 0;
            }),
            1);
  std::vector<PaymentResult> results;
  ASSERT_TRUE(rs_->ForEachIssued("p1", 1, 0,
                                 [&](const IssuedPayment& p) {
                                   results.push_back(
                                       {results.size() + 2, p.reference,
                                        response::PaymentStatus::kPaid,
                                        p.amount, ""});
                                   return Status::Ok();
                                 })
                  .ok());
  ASSERT_EQ(results.size(), 3u);
  std::atomic<int64_t> changed{0};
  EXPECT_EQ(Race([&](response::Transfers& t) -> Result<bool> {
              MALCHIN_ASSIGN_OR_RETURN(
                  auto counts, t.ApplyResults("bank.csv", results, "maker"));
              changed += counts.changed;
              return counts.changed > 0;
            }),
            1);
  EXPECT_EQ(changed.load(), 3);
  EXPECT_EQ(Audited("payments.reconcile"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM response_reconciliations"), "1");
  EXPECT_EQ(rs_->PaymentReport("p1", 1, {})->back().paid, 3);
}

// A child process (an app server) generates the payroll inside a write it
// holds open and is killed with SIGKILL before committing.
TEST_P(ResponseConcurrencyTest, AKilledAppServerLeavesNothingHalfWritten) {
  ASSERT_TRUE(rs_->CreatePlan(plan_, "maker").ok());
  ASSERT_TRUE(rs_->ApprovePlan("p1", "checker", {}, TesChildren).ok());
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  const std::string url = database().url();
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(ready[0]);
    char done = 'x';
    auto db = backends::OpenDatabase(url, {});
    auto s = db.ok() ? (*db)->Connect() : db.status();
    if (s.ok()) {
      auto held = (*s)->HoldWrite();
      response::Transfers t(**s);
      if (held.ok() && t.GeneratePayroll("p1", 1, "maker").ok()) done = 'w';
      (void)!write(ready[1], &done, 1);
      for (;;) pause();  // Killed here, the write still open.
    }
    (void)!write(ready[1], &done, 1);
    _exit(1);
  }
  close(ready[1]);
  char done = 0;
  ASSERT_EQ(read(ready[0], &done, 1), 1);
  close(ready[0]);
  // The payroll is written but not committed: nobody else sees it.
  EXPECT_FALSE(rs_->FindPayroll("p1", 1)->has_value());
  kill(child, SIGKILL);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_EQ(done, 'w') << "the child could not write the payroll";
  EXPECT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(Count("SELECT count(*) FROM response_payroll_lines"), "0");
  EXPECT_EQ(Count("SELECT count(*) FROM response_payrolls"), "0");
  EXPECT_EQ(Audited("payroll.generate"), 0);
  // The lock and the transaction died with it: generating works.
  auto pr = rs_->GeneratePayroll("p1", 1, "maker");
  ASSERT_TRUE(pr.ok()) << pr.status().ToString();
  EXPECT_EQ(pr->lines, 3);
  EXPECT_EQ(Count("SELECT count(*) FROM response_payroll_lines"), "3");
}

INSTANTIATE_TEST_SUITE_P(Engines, ResponseConcurrencyTest,
                         ::testing::ValuesIn(backends::testing::TestEngines()),
                         backends::testing::EngineName);

}  // namespace
}  // namespace malchin::conformance
