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

#include "auth/accounts.h"
#include "backends/testing/test_database.h"
#include "demo/generator.h"
#include "response/workflow.h"

namespace malchin::response {
namespace {

Date D(const char* s) { return *Date::Parse(s); }

class PilotTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto t = backends::testing::OpenTestStore();
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    test_ = new backends::testing::TestStore(std::move(*t));
    store::Session& session = *test_->session;
    auto geo = *geo::Geography::Load();
    auto loader = session.Get<registry::Repository>().BeginBulkLoad();
    ASSERT_TRUE(loader.ok()) << loader.status().ToString();
    demo::Options o;
    o.seed = 1;
    o.aimags = {181};
    demo::Sink sink{
        [&](const registry::Household& h) {
          return (*loader)->AddHousehold(h);
        },
        [&](const registry::Person& p) { return (*loader)->AddPerson(p); }};
    auto summary = demo::Generate(*geo, o, sink);
    ASSERT_TRUE(summary.ok()) << summary.status().ToString();
    children_ = summary->children_0_17;
    ASSERT_TRUE((*loader)->Finish().ok());
    for (const char* name : {"maker", "checker"}) {
      auth::UserRecord u;
      u.username = name;
      u.password_hash = "x";
      u.role = "national_officer";
      u.created_at = u.updated_at = "2026-11-29T00:00:00Z";
      ASSERT_TRUE(session.Get<auth::AccountRepository>().CreateUser(u).ok());
    }
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

  // The event: the four phase-1 soums very high, the other soums of
  // Zavkhan except Uliastai high.
  void DeclareEvent() {
    response::ShockEventRecord e;
    e.code = "zavkhan-dzud-2019";
    e.type = "dzud";
    e.name = "Zavkhan dzud 2019-20";
    e.source = "NAMEM dzud risk map";
    e.reference = "Zavkhan emergency commission";
    e.declared_on = e.starts_on = D("2019-12-01");
    e.ends_on = D("2020-04-30");
    for (const geo::Unit* u : ctx_.geography->SoumsOf(181)) {
      if (u->code == 18101) continue;
      bool phase1 = u->code == 18110 || u->code == 18125 || u->code == 18140 ||
                    u->code == 18149;
      e.soums.push_back({u->code, phase1 ? "very_high" : "high"});
    }
    ASSERT_EQ(e.soums.size(), 23u);
    auto r = w_->CreateEvent(e, "maker");
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }

  response::PlanRecord Plan(const char* code, const char* rule,
                            const char* amount, const char* cutoff,
                            std::vector<const char*> due) {
    response::PlanRecord p;
    p.code = code;
    p.event_code = "zavkhan-dzud-2019";
    p.programme_code = "child_money";
    p.kind = response::PlanKind::kVertical;
    p.name = code;
    p.eligibility = rule;
    p.amount = amount;
    p.unit = response::Unit::kPerson;
    p.cutoff_on = p.starts_on = D(cutoff);
    for (const char* d : due) {
      p.installments.push_back(
          {static_cast<int>(p.installments.size() + 1), D(d)});
    }
    Date last = p.installments.back().due_on;
    p.ends_on = Date::FromYmd(last.year(), last.month(),
                              Date::DaysInMonth(last.year(), last.month()));
    return p;
  }

  static inline backends::testing::TestStore* test_ = nullptr;
  static inline int64_t children_ = 0;
  Context ctx_;
  std::unique_ptr<Workflow> w_;
};

TEST_F(PilotTest, ZavkhanPhasesAndTheAprilTopUp) {
  DeclareEvent();
  // Phase 1.
  ASSERT_TRUE(w_->CreatePlan(Plan("zavkhan-phase1",
                                  "age < 6 and event.severity == very_high",
                                  "40000", "2019-12-01", {"2019-12-20"}),
                             "maker")
                  .ok());
  auto p1 = w_->ApprovePlan("zavkhan-phase1", "checker");
  ASSERT_TRUE(p1.ok()) << p1.status().ToString();
  EXPECT_NEAR(p1->beneficiaries, 2729, 0.15 * 2729);
  EXPECT_EQ(p1->amount_per_installment, p1->beneficiaries * 40000);
  auto pay1 = w_->GeneratePayroll("zavkhan-phase1", 1, "maker");
  ASSERT_TRUE(pay1.ok());
  EXPECT_EQ(pay1->lines, p1->beneficiaries);
  EXPECT_EQ(pay1->amount, p1->beneficiaries * 40000);

  // Phase 2: three installments of 20,000 from one frozen snapshot.
  ASSERT_TRUE(w_->CreatePlan(
                    Plan("zavkhan-phase2", "age < 6 and event.severity >= high",
                         "20000", "2020-02-01",
                         {"2020-02-15", "2020-03-16", "2020-04-15"}),
                    "maker")
                  .ok());
  auto preview = w_->PreviewStored("zavkhan-phase2", {});
  ASSERT_TRUE(preview.ok());
  auto p2 = w_->ApprovePlan("zavkhan-phase2", "checker");
  ASSERT_TRUE(p2.ok()) << p2.status().ToString();
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
  response::ShockEventRecord covid;
  covid.code = "covid-2020";
  covid.type = "epidemic";
  covid.name = "COVID-19 economic relief";
  covid.source = "Parliament resolution";
  covid.reference = "Law on COVID-19 prevention (2020-04-29)";
  covid.declared_on = covid.starts_on = D("2020-04-01");
  ASSERT_TRUE(w_->CreateEvent(covid, "maker").ok());
  response::PlanRecord topup = Plan("child-money-topup-2020-04", "true",
                                    "param(\"child_money.monthly\") - 20000",
                                    "2020-04-01", {"2020-04-20"});
  topup.event_code = "covid-2020";
  ASSERT_TRUE(w_->CreatePlan(topup, "maker").ok());
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
