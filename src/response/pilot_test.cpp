// Acceptance: the 2019-20 Zavkhan dzud pilot replayed on the demo register
// of Zavkhan (generated here, seed 1, scale 1; src/demo), and the April
// 2020 Child Money top-up on the same register.
//   Phase 1: children aged 0-5 in Bayantes, Ikh-Uul, Tosontsengel and Tes,
//            MNT 40,000 once (December 2019). Real pilot: 2,729 children.
//   Phase 2: children aged 0-5 in the 23 soums of Zavkhan other than
//            Uliastai, 3 x MNT 20,000 (February-April 2020). Real: 6,747.
// Counts must be within 15% of the real ones.
#include <gtest/gtest.h>

#include <cmath>

#include "backends/testing/test_database.h"
#include "response/pilot_scenario.h"
#include "response/workflow.h"

namespace malchin::response {
namespace {

using pilot::D;

class PilotTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto t = backends::testing::OpenTestStore();
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    test_ = new backends::testing::TestStore(std::move(*t));
    auto children =
        pilot::LoadZavkhan(*test_->session, **geo::Geography::Load());
    ASSERT_TRUE(children.ok()) << children.status().ToString();
    children_ = *children;
  }
  static void TearDownTestSuite() {
    delete test_;
    test_ = nullptr;
  }
  void SetUp() override {
    ASSERT_NE(test_, nullptr);
    ctx_ = *Context::Embedded();
    w_ = std::make_unique<Workflow>(*test_->session, ctx_);
  }

  static inline backends::testing::TestStore* test_ = nullptr;
  static inline int64_t children_ = 0;
  Context ctx_;
  std::unique_ptr<Workflow> w_;
};

TEST_F(PilotTest, ZavkhanPhasesAndTheAprilTopUp) {
  response::ShockEventRecord dzud = pilot::ZavkhanDzud(*ctx_.geography);
  ASSERT_EQ(dzud.soums.size(), 23u);
  ASSERT_TRUE(w_->CreateEvent(dzud, "maker").ok());
  const std::vector<response::PlanRecord> plans = pilot::PilotPlans();
  // Phase 1.
  ASSERT_TRUE(w_->CreatePlan(plans[0], "maker").ok());
  auto p1 = w_->ApprovePlan("zavkhan-phase1", "checker");
  ASSERT_TRUE(p1.ok()) << p1.status().ToString();
  EXPECT_NEAR(p1->beneficiaries, 2729, 0.15 * 2729);
  EXPECT_EQ(p1->amount_per_installment, p1->beneficiaries * 40000);
  auto pay1 = w_->GeneratePayroll("zavkhan-phase1", 1, "maker");
  ASSERT_TRUE(pay1.ok());
  EXPECT_EQ(pay1->lines, p1->beneficiaries);
  EXPECT_EQ(pay1->amount, p1->beneficiaries * 40000);

  // Phase 2: three installments of 20,000 from one frozen snapshot.
  ASSERT_TRUE(w_->CreatePlan(plans[1], "maker").ok());
  auto preview = w_->PreviewStored("zavkhan-phase2", {});
  ASSERT_TRUE(preview.ok());
  // Phase 1's children in the four worst soums are also phase 2's: the
  // approval may pay them again only if it says so, with a reason (#15).
  auto covered = w_->AlreadyCovered("zavkhan-phase2", "checker");
  ASSERT_TRUE(covered.ok()) << covered.status().ToString();
  ASSERT_EQ(covered->size(), 1u);
  EXPECT_EQ(covered->at(0).first, "zavkhan-phase1");
  const int64_t again = covered->at(0).second;
  EXPECT_GT(again, p1->beneficiaries / 2);
  EXPECT_LE(again, p1->beneficiaries);
  EXPECT_EQ(w_->ApprovePlan("zavkhan-phase2", "checker", nullptr,
                            {OverlapChoice::kAccept, ""})
                .status()
                .code(),
            StatusCode::kInvalidArgument);
  const OverlapDecision accept = pilot::PilotOverlap("zavkhan-phase2");
  ASSERT_EQ(accept.choice, OverlapChoice::kAccept);
  auto p2 = w_->ApprovePlan("zavkhan-phase2", "checker", nullptr, accept);
  ASSERT_TRUE(p2.ok()) << p2.status().ToString();
  EXPECT_EQ(p2->overlap_choice, OverlapChoice::kAccept);
  EXPECT_EQ(p2->overlap_count, again);
  EXPECT_EQ(p2->overlap_reason, accept.reason);
  EXPECT_EQ(p2->beneficiaries, preview->national.beneficiaries);
  EXPECT_NEAR(p2->beneficiaries, 6747, 0.15 * 6747);
  EXPECT_EQ(p2->overlaps, 0);  // Phase 1's period does not overlap.
  EXPECT_EQ(preview->by_soum.size(), 23u);
  int64_t total = 0;
  for (int i = 1; i <= 3; ++i) {
    auto pay = w_->GeneratePayroll("zavkhan-phase2", i, "maker");
    ASSERT_TRUE(pay.ok());
    EXPECT_EQ(pay->lines, p2->beneficiaries);
    total += pay->amount;
  }
  EXPECT_EQ(total, 3 * 20000 * p2->beneficiaries);

  // April 2020: every child 0-17 gets 80,000 on top of the regular
  // Child Money (child_money.monthly went from 20,000 to 100,000).
  ASSERT_TRUE(w_->CreateEvent(pilot::Covid(), "maker").ok());
  ASSERT_TRUE(w_->CreatePlan(plans[2], "maker").ok());
  auto p3 = w_->ApprovePlan("child-money-topup-2020-04", "checker");
  ASSERT_TRUE(p3.ok()) << p3.status().ToString();
  // The demo register holds `children_` persons aged 0-17 on 2020-01-01;
  // on 2020-04-01 a few have turned 18 and a few been born.
  EXPECT_NEAR(p3->beneficiaries, children_, 0.02 * children_);
  EXPECT_EQ(p3->amount_per_installment, p3->beneficiaries * 80000);
  // Phase 2 also tops up Child Money in April: its children are flagged
  // for review (both payments are legitimate here), never silently paid.
  EXPECT_EQ(p3->overlaps, p2->beneficiaries);
}

}  // namespace
}  // namespace malchin::response
