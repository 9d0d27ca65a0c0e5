// The Zavkhan pilot and the April 2020 top-up run on every engine give the
// same previews, snapshots and payment lines: the register generated the
// same way (demo, seed 1, Zavkhan) is loaded into a fresh SQLite and a
// fresh PostgreSQL database and every plan is previewed, approved, paid
// out and exported on each. (References are compared by shape only: they
// carry database ids.) Skips without MALCHIN_TEST_PG_URL.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "backends/testing/test_database.h"
#include "response/pilot_scenario.h"
#include "response/workflow.h"

namespace malchin::response {
namespace {

// What one engine produced, as comparable text lines.
struct Outcome {
  std::vector<std::string> previews, snapshots, payments;
  std::set<std::string> references;
};

std::string Digest(const std::string& plan, const rules::Preview& p) {
  std::string out = plan + " national " +
                    std::to_string(p.national.beneficiaries) + " " +
                    std::to_string(p.national.households) + " " +
                    std::to_string(p.national.amount);
  for (const rules::AreaTotal& t : p.by_soum) {
    out += " | " + std::to_string(t.code) + ":" +
           std::to_string(t.beneficiaries) + ":" + std::to_string(t.amount);
  }
  for (const rules::PreviewCell& c : p.cells) {
    out += " | " + std::to_string(c.soum_code) + "/" +
           std::to_string(static_cast<int>(c.sex)) + "/" +
           std::to_string(c.age_band) + "/" + std::to_string(c.disability) +
           "=" + std::to_string(c.beneficiaries) + ":" +
           std::to_string(c.amount);
  }
  return out;
}

// Previews, approves, generates, approves and issues every installment of
// `plan`, recording what each step gave.
void RunPlan(Workflow& w, const PlanRecord& plan, const BankTable& banks,
             Outcome* out) {
  ASSERT_TRUE(w.CreatePlan(plan, "maker").ok());
  auto preview = w.PreviewStored(plan.code, {});
  ASSERT_TRUE(preview.ok()) << preview.status().ToString();
  out->previews.push_back(Digest(plan.code, *preview));
  auto approved = w.ApprovePlan(plan.code, "checker", nullptr,
                                pilot::PilotOverlap(plan.code));
  ASSERT_TRUE(approved.ok()) << approved.status().ToString();
  Transfers& t = w.transfers();
  auto snapshot = t.Snapshot(plan.code, {});
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  for (const auto& [rn, amount] : *snapshot) {
    out->snapshots.push_back(plan.code + " " + rn + " " +
                             std::to_string(amount));
  }
  for (const InstallmentRecord& i : plan.installments) {
    ASSERT_TRUE(w.GeneratePayroll(plan.code, i.number, "maker").ok());
    ASSERT_TRUE(w.ApprovePayroll(plan.code, i.number, "checker").ok());
    auto issued = t.IssuePayments(
        plan.code, i.number, "maker",
        [&](std::string_view account) { return banks.Route(account); });
    ASSERT_TRUE(issued.ok()) << issued.status().ToString();
    ASSERT_TRUE(
        t.ForEachIssued(plan.code, i.number, issued->batch,
                        [&](const IssuedPayment& p) {
                          out->payments.push_back(
                              plan.code + "#" + std::to_string(i.number) + " " +
                              p.bank_code + " " + p.payee_name + " " +
                              p.payee_register_no + " " +
                              p.beneficiary_register_no + " " + p.account +
                              " " + std::to_string(p.amount));
                          out->references.insert(p.reference);
                          return Status::Ok();
                        })
            .ok());
  }
}

void RunPilot(store::Engine engine, Outcome* out) {
  auto test = backends::testing::OpenTestStore(engine);
  ASSERT_TRUE(test.ok()) << test.status().ToString();
  Context ctx = *Context::Embedded();
  ctx.frames = nullptr;  // Each engine reads its own register.
  ASSERT_TRUE(pilot::LoadZavkhan(*test->session, *ctx.geography).ok());
  Workflow w(*test->session, ctx);
  ASSERT_TRUE(w.CreateEvent(pilot::ZavkhanDzud(*ctx.geography), "maker").ok());
  ASSERT_TRUE(w.CreateEvent(pilot::Covid(), "maker").ok());
  for (const PlanRecord& plan : pilot::PilotPlans()) {
    RunPlan(w, plan, ctx.banks, out);
    if (::testing::Test::HasFatalFailure()) return;
  }
  // Payment lines in a stable order (files are by bank, then id).
  std::sort(out->payments.begin(), out->payments.end());
}

// The first difference of two line lists, or "" when equal.
std::string FirstDifference(const std::vector<std::string>& a,
                            const std::vector<std::string>& b) {
  for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    if (a[i] != b[i])
      return "line " + std::to_string(i) + ":\n" + a[i] + "\n" + b[i];
  }
  if (a.size() != b.size()) {
    return std::to_string(a.size()) + " lines vs " + std::to_string(b.size());
  }
  return "";
}

TEST(EnginesTest, PilotAndTopUpGiveTheSamePreviewsAndPaymentLines) {
  MALCHIN_SKIP_WITHOUT_ENGINE(store::Engine::kPostgres);
  Outcome sqlite, postgres;
  RunPilot(store::Engine::kSqlite, &sqlite);
  ASSERT_FALSE(HasFatalFailure());
  RunPilot(store::Engine::kPostgres, &postgres);
  ASSERT_FALSE(HasFatalFailure());
  ASSERT_EQ(sqlite.previews.size(), 3u);
  EXPECT_GT(sqlite.payments.size(), 10000u);
  EXPECT_EQ(FirstDifference(sqlite.previews, postgres.previews), "");
  EXPECT_EQ(FirstDifference(sqlite.snapshots, postgres.snapshots), "");
  EXPECT_EQ(FirstDifference(sqlite.payments, postgres.payments), "");
  // One reference per payment on each engine.
  EXPECT_EQ(sqlite.references.size(), sqlite.payments.size());
  EXPECT_EQ(postgres.references.size(), postgres.payments.size());
}

}  // namespace
}  // namespace malchin::response
