// The whole workflow on a small register: event, soum import, plan,
// preview, maker-checker approval, snapshot, payroll, bank files,
// reconciliation and re-issue.
#include "response/workflow.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "auth/accounts.h"
#include "backends/testing/test_database.h"
#include "rima/repository.h"

namespace malchin::response {
namespace {

using registry::Relation;
using registry::Sex;

Date D(const char* s) { return *Date::Parse(s); }

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class WorkflowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("malchin_workflow_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    // The workflow runs on its own session (each step makes the acting
    // user its caller); the test reads and edits the register on another,
    // national one.
    auto t = backends::testing::OpenTestStore();
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    test_ = std::move(*t);
    auto admin = test_.database->Connect();
    ASSERT_TRUE(admin.ok()) << admin.status().ToString();
    admin_ = std::move(*admin);
    store_ = &admin_->Get<registry::Repository>();
    transfers_ = std::make_unique<response::Transfers>(*admin_);
    rs_ = transfers_.get();
    ctx_ = *Context::Embedded();
    ctx_.threads = 2;
    w_ = std::make_unique<Workflow>(*test_.session, ctx_);
    for (auto [name, role, area] :
         {std::tuple{"maker", "national_officer", 0},
          std::tuple{"checker", "national_officer", 0},
          std::tuple{"analyst", "analyst", 0},
          std::tuple{"zavkhan", "aimag_officer", 181}}) {
      auth::UserRecord u;
      u.username = name;
      u.password_hash = "x";
      u.role = role;
      u.area_code = area;
      u.created_at = u.updated_at = "2026-11-29T00:00:00Z";
      ASSERT_TRUE(admin_->Get<auth::AccountRepository>().CreateUser(u).ok());
    }
    // Tes 18149: a mother with 3 young children and a 7-year-old.
    // Ikh-Uul 18125: a father with one child, no account for the mother.
    // Uliastai 18101: a child outside the event.
    std::vector<registry::Household> hh = {Hh("H1", 18149), Hh("H2", 18125),
                                           Hh("H3", 18101)};
    std::vector<registry::Person> ps = {
        P("ИЗ85120320", "H1", "1985-12-03", Sex::kFemale, Relation::kHead,
          "00051234567890"),
        P("ИЗ15220111", "H1", "2015-02-01", Sex::kMale, Relation::kChild),
        P("ИЗ17220122", "H1", "2017-02-01", Sex::kFemale, Relation::kChild),
        P("ИЗ19220322", "H1", "2019-02-03", Sex::kFemale, Relation::kChild),
        P("ИЗ12220111", "H1", "2012-02-01", Sex::kMale, Relation::kChild),
        P("ИЗ80010111", "H2", "1980-01-01", Sex::kMale, Relation::kHead,
          "00151234567890"),
        P("ИЗ82010122", "H2", "1982-01-01", Sex::kFemale, Relation::kSpouse),
        P("ИЗ18220111", "H2", "2018-02-01", Sex::kMale, Relation::kChild),
        P("ИЗ75010122", "H3", "1975-01-01", Sex::kFemale, Relation::kHead,
          "00041234567890"),
        P("ИЗ16220122", "H3", "2016-02-01", Sex::kFemale, Relation::kChild)};
    ASSERT_TRUE(store_->Upsert(hh, ps, {"test", "t"}).ok());

    response::ShockEventRecord e;
    e.code = "zavkhan-2019";
    e.type = "dzud";
    e.name = "Zavkhan dzud 2019-20";
    e.source = "NAMEM dzud risk map";
    e.reference = "Emergency commission decision";
    e.declared_on = e.starts_on = D("2019-12-01");
    auto ev = w_->CreateEvent(e, "maker");
    ASSERT_TRUE(ev.ok()) << ev.status().ToString();
    auto n = w_->ImportEventSoums("zavkhan-2019", "soums.csv",
                                  "soum_code,severity\n18149,very_high\n"
                                  "18125,high\n",
                                  "maker");
    ASSERT_TRUE(n.ok()) << n.status().ToString();
    EXPECT_EQ(*n, 2);

    plan_.code = "phase1";
    plan_.event_code = "zavkhan-2019";
    plan_.programme_code = "child_money";
    plan_.kind = response::PlanKind::kVertical;
    plan_.name = "Zavkhan phase 1";
    plan_.eligibility = "age < 6 and event.severity >= high";
    plan_.amount = "40000";
    plan_.unit = response::Unit::kPerson;
    plan_.cutoff_on = D("2019-12-15");
    plan_.starts_on = D("2019-12-01");
    plan_.ends_on = D("2019-12-31");
    plan_.installments = {{1, D("2019-12-20")}};
  }
  void TearDown() override {
    w_.reset();
    transfers_.reset();
    admin_.reset();
    test_.session.reset();
    test_.database.reset();
    std::filesystem::remove_all(dir_);
  }

  static registry::Household Hh(const char* id, int32_t soum) {
    registry::Household h;
    h.id = id;
    h.soum_code = h.current_soum_code = soum;
    return h;
  }
  static registry::Person P(const char* rn, const char* hh, const char* born,
                            Sex sex, Relation rel, const char* account = "") {
    registry::Person p;
    p.register_no = rn;
    p.household_id = hh;
    p.father_name = "Батбаяр";
    p.given_name = "Сүхээ";
    p.sex = sex;
    p.birth_date = D(born);
    p.relation = rel;
    p.bank_account = account;
    return p;
  }

  std::filesystem::path dir_;
  backends::testing::TestStore test_;
  std::unique_ptr<store::Session> admin_;
  registry::Repository* store_ = nullptr;
  std::unique_ptr<response::Transfers> transfers_;
  response::Transfers* rs_ = nullptr;
  Context ctx_;
  std::unique_ptr<Workflow> w_;
  response::PlanRecord plan_;
};

TEST_F(WorkflowTest, PreviewApproveSnapshotPayrollExportReconcile) {
  ASSERT_TRUE(w_->CreatePlan(plan_, "maker").ok());
  auto preview = w_->PreviewStored("phase1", {});
  ASSERT_TRUE(preview.ok()) << preview.status().ToString();
  // Tes: 3 under 6 (2015-02-01 is 4); Ikh-Uul: 1. Not the 7-year-old, not
  // Uliastai.
  EXPECT_EQ(preview->national.beneficiaries, 4);
  EXPECT_EQ(preview->national.amount, 160000);
  ASSERT_EQ(preview->by_soum.size(), 2u);
  EXPECT_EQ(preview->by_soum[0].code, 18125);
  EXPECT_EQ(preview->by_soum[1].beneficiaries, 3);
  EXPECT_EQ(preview->beneficiaries_by_sex_band_disability[0][0][0], 2);

  // Maker-checker; an analyst may not approve; an aimag officer of Zavkhan
  // could, but payroll approval is national.
  EXPECT_EQ(w_->ApprovePlan("phase1", "maker").status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(w_->ApprovePlan("phase1", "analyst").status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(w_->ApprovePlan("phase1", "nobody").status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(w_->GeneratePayroll("phase1", 1, "maker").status().code(),
            StatusCode::kFailedPrecondition);
  std::vector<std::string> steps;  // What a job's progress bar shows.
  w_->SetProgress([&steps](double f, const std::string& step) {
    steps.push_back(std::to_string(static_cast<int>(f * 100)) + " " + step);
  });
  auto approved = w_->ApprovePlan("phase1", "checker");
  ASSERT_TRUE(approved.ok()) << approved.status().ToString();
  EXPECT_EQ(steps,
            (std::vector<std::string>{
                "5 reading the register", "40 choosing the beneficiaries",
                "60 freezing the beneficiary list", "100 done"}));
  EXPECT_EQ(approved->beneficiaries, 4);
  EXPECT_EQ(approved->amount_per_installment, 160000);

  ASSERT_TRUE(w_->GeneratePayroll("phase1", 1, "maker").ok());
  EXPECT_EQ(w_->ApprovePayroll("phase1", 1, "zavkhan").status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(w_->Export("phase1", 1, "maker", dir_.string()).status().code(),
            StatusCode::kFailedPrecondition);
  ASSERT_TRUE(w_->ApprovePayroll("phase1", 1, "checker").ok());

  steps.clear();
  auto out = w_->Export("phase1", 1, "maker", (dir_ / "out").string());
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(steps, (std::vector<std::string>{"5 issuing payments",
                                             "50 writing the bank files",
                                             "100 done"}));
  w_->SetProgress(nullptr);
  EXPECT_EQ(out->issue.issued, 4);
  EXPECT_TRUE(out->issue.unroutable.empty());
  ASSERT_EQ(out->files.size(), 2u);  // Khan (Tes mother), Golomt (Ikh-Uul).
  EXPECT_EQ(out->files[0].bank_code, "0005");
  EXPECT_EQ(out->files[0].payments, 3);
  EXPECT_EQ(out->files[0].amount, 120000);
  std::string khan = Slurp(out->files[0].path);
  EXPECT_EQ(khan.rfind("reference,payee,payee_register_no,"
                       "beneficiary_register_no,account,amount\n",
                       0),
            0u);
  EXPECT_NE(khan.find(",ИЗ85120320,ИЗ19220322,00051234567890,40000\n"),
            std::string::npos)
      << khan;
  EXPECT_NE(khan.find("TOTAL,3 payments,,,,120000\n"), std::string::npos);
  // The Ikh-Uul boy is paid through his father (the mother has no account).
  std::string golomt = Slurp(out->files[1].path);
  EXPECT_NE(golomt.find(",ИЗ80010111,ИЗ18220111,00151234567890,40000\n"),
            std::string::npos)
      << golomt;

  // Exporting again issues nothing and rewrites the same bytes.
  auto again = w_->Export("phase1", 1, "maker", (dir_ / "out").string());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->issue.issued, 0);
  ASSERT_EQ(again->files.size(), 2u);
  EXPECT_EQ(Slurp(again->files[0].path), khan);

  // The bank's results: references from the file.
  std::vector<std::string> refs;
  std::istringstream lines(khan);
  std::string line;
  std::getline(lines, line);
  while (std::getline(lines, line)) {
    if (line.rfind("TOTAL", 0) != 0)
      refs.push_back(line.substr(0, line.find(',')));
  }
  ASSERT_EQ(refs.size(), 3u);
  std::string result = "reference,status,amount,reason\n" + refs[0] +
                       ",paid,40000,\n" + refs[1] +
                       ",failed,40000,account frozen\n";
  auto r1 = w_->Reconcile("khan-result.csv", result, "maker");
  ASSERT_TRUE(r1.ok()) << r1.status().ToString();
  EXPECT_EQ(r1->changed, 2);
  EXPECT_EQ(w_->Reconcile("khan-result.csv", result, "maker")->changed, 0);
  auto unknown = w_->Reconcile("khan-2.csv",
                               "reference,status,amount\n" + refs[2] +
                                   ",paid,40000\nMLC-77-1-5-1,paid,40000\n",
                               "maker");
  ASSERT_EQ(unknown.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(unknown.status().message().find(
                "khan-2.csv:3: reference MLC-77-1-5-1 was never issued"),
            std::string::npos)
      << unknown.status().message();

  auto report = rs_->PaymentReport("phase1", 1, {});
  ASSERT_TRUE(report.ok());
  const response::PaymentTotals& total = report->back();
  EXPECT_EQ(total.issued, 4);
  EXPECT_EQ(total.paid, 1);
  EXPECT_EQ(total.failed, 1);
  EXPECT_EQ(total.pending, 2);
  EXPECT_EQ(total.issued_amount, total.paid_amount + total.failed_amount +
                                     total.returned_amount +
                                     total.pending_amount);
  // Only Zavkhan's cells for its officer's area (here all are in Zavkhan),
  // none for another aimag.
  EXPECT_EQ(rs_->PaymentReport("phase1", 1, {182, 0})->back().issued, 0);

  // A failed payment is not sent again by itself (issue #15): an officer
  // decides to re-issue it; until then exporting issues nothing.
  auto idle = w_->Export("phase1", 1, "maker", (dir_ / "out").string());
  ASSERT_TRUE(idle.ok());
  EXPECT_EQ(idle->issue.issued, 0);
  auto follow = w_->FollowUp("phase1", 1, {});
  ASSERT_TRUE(follow.ok()) << follow.status().ToString();
  ASSERT_EQ(follow->size(), 1u);
  EXPECT_EQ(follow->at(0).reason, response::FollowUpReason::kFailed);
  EXPECT_EQ(follow->at(0).detail, "account frozen");
  response::Transfers::CaseRequest again_asked;
  again_asked.plan_code = "phase1";
  again_asked.installment = 1;
  again_asked.register_no = follow->at(0).register_no;
  again_asked.kind = response::CaseAction::kReissue;
  again_asked.reason = "account unfrozen by the bank";
  auto decided = w_->RequestAction(again_asked, "maker");
  ASSERT_TRUE(decided.ok()) << decided.status().ToString();
  EXPECT_EQ(decided->status, response::ActionStatus::kConfirmed);
  // The failed payment goes out again in a new file, with a new reference.
  auto reissue = w_->Export("phase1", 1, "maker", (dir_ / "out").string());
  ASSERT_TRUE(reissue.ok());
  EXPECT_EQ(reissue->issue.issued, 1);
  EXPECT_EQ(reissue->issue.reissued, 1);
  ASSERT_EQ(reissue->files.size(), 1u);
  EXPECT_NE(reissue->files[0].path, out->files[0].path);
  EXPECT_EQ(Slurp(reissue->files[0].path).find(refs[1]), std::string::npos);
}

TEST_F(WorkflowTest, SnapshotIgnoresLaterRegisterEdits) {
  ASSERT_TRUE(w_->CreatePlan(plan_, "maker").ok());
  ASSERT_TRUE(w_->ApprovePlan("phase1", "checker").ok());
  // A new baby and a deactivated child after approval.
  ASSERT_TRUE(store_
                  ->Upsert({},
                           {P("ИЗ19721022", "H1", "2019-12-10", Sex::kFemale,
                              Relation::kChild)},
                           {"test", "t"})
                  .ok());
  ASSERT_TRUE(
      store_->DeactivatePerson("ИЗ18220111", {D("2019-12-30"), "moved"}).ok());
  auto payroll = w_->GeneratePayroll("phase1", 1, "maker");
  ASSERT_TRUE(payroll.ok());
  EXPECT_EQ(payroll->lines, 4);
  EXPECT_EQ(payroll->amount, 160000);
  auto snap = rs_->Snapshot("phase1", {});
  ASSERT_TRUE(snap.ok());
  EXPECT_EQ(snap->size(), 4u);
  // A preview now sees the new register (5 - 1 = 4 still, but other
  // persons).
  EXPECT_EQ(w_->PreviewStored("phase1", {})->national.beneficiaries, 4);
  // Explain of the approved plan reads the frozen list (issue #15): the
  // child deactivated since is still a beneficiary (flagged, not a 409),
  // the new baby is not one.
  auto gone = w_->Explain("phase1", "ИЗ18220111");
  ASSERT_TRUE(gone.ok()) << gone.status().ToString();
  EXPECT_TRUE(gone->beneficiary);
  EXPECT_EQ(gone->amount, 40000);
  EXPECT_NE(gone->text.find("Deactivated in the register on 2019-12-30"),
            std::string::npos)
      << gone->text;
  auto baby = w_->Explain("phase1", "ИЗ19721022");
  ASSERT_TRUE(baby.ok()) << baby.status().ToString();
  EXPECT_FALSE(baby->beneficiary);
  EXPECT_FALSE(baby->amount.has_value());
}

TEST_F(WorkflowTest, HouseholdCapAndPlanErrors) {
  response::PlanRecord p = plan_;
  p.code = "capped";
  p.kind = response::PlanKind::kHorizontal;
  p.programme_code.reset();
  p.amount = "20000";
  p.eligibility = "age < 6 and event.severity >= high";
  p.cap_per_household = 50000;
  ASSERT_TRUE(w_->CreatePlan(p, "maker").ok());
  auto preview = w_->PreviewStored("capped", {});
  ASSERT_TRUE(preview.ok());
  // Tes household: 3 x 20,000 capped at 50,000; Ikh-Uul 20,000.
  EXPECT_EQ(preview->national.amount, 70000);
  EXPECT_EQ(preview->capped_households, 1);
  auto approved = w_->ApprovePlan("capped", "checker");
  ASSERT_TRUE(approved.ok());
  EXPECT_EQ(approved->amount_per_installment, 70000);

  response::PlanRecord bad = plan_;
  bad.code = "bad";
  bad.eligibility = "agee < 6";
  auto st = w_->CreatePlan(bad, "maker");
  ASSERT_EQ(st.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.status().message().find("eligibility:1:1"), std::string::npos)
      << st.status().message();
  bad.eligibility = "age < 6";
  bad.event_code = "no-such-event";
  EXPECT_EQ(w_->CreatePlan(bad, "maker").status().code(),
            StatusCode::kNotFound);
  // An aimag officer cannot declare soums outside their aimag.
  EXPECT_EQ(w_->ImportEventSoums("zavkhan-2019", "s.csv",
                                 "soum_code,severity\n18201,low\n", "zavkhan")
                .status()
                .code(),
            StatusCode::kPermissionDenied);
}

// A horizontal plan for the least resilient: the households whose latest
// RIMA score is in quintile 1. H1 and H3 are; H2 has no score (missing, not
// 0, so a rule never selects it by accident).
TEST_F(WorkflowTest, TargetsTheLowestRimaQuintile) {
  auto* rima = &admin_->Get<rima::ScoreRepository>();
  auto score = [](const char* hh, const char* version, const char* on,
                  int quintile) {
    rima::RimaScoreRecord r;
    r.household_id = hh;
    r.model_version = version;
    r.scored_on = D(on);
    r.score_0_100 = 10.0 * quintile;
    r.quintile = quintile;
    r.source = "survey.csv";
    return r;
  };
  auto saved = rima->SaveScores(
      {},
      {score("H1", "v1", "2019-06-01", 1), score("H3", "v1", "2019-06-01", 1)},
      false);
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();

  response::PlanRecord plan = plan_;
  plan.code = "rci1";
  plan.kind = response::PlanKind::kHorizontal;
  plan.programme_code.reset();
  plan.name = "Least resilient households";
  plan.eligibility = "has(rci_quintile) and rci_quintile == 1";
  plan.amount = "100000";
  plan.unit = response::Unit::kHousehold;
  ASSERT_TRUE(w_->CreatePlan(plan, "maker").ok());
  auto preview = w_->PreviewStored("rci1", {});
  ASSERT_TRUE(preview.ok()) << preview.status().ToString();
  EXPECT_EQ(preview->national.households, 2);
  EXPECT_EQ(preview->national.amount, 200000);
  ASSERT_EQ(preview->by_soum.size(), 2u);
  EXPECT_EQ(preview->by_soum[0].code, 18101);  // H3.
  EXPECT_EQ(preview->by_soum[1].code, 18149);  // H1.

  // Without has(): H2's missing quintile makes the condition unknown, not
  // true (as 0 <= 1 would be).
  response::PlanRecord bare = plan;
  bare.eligibility = "rci_quintile <= 1";
  auto unknown = w_->Preview(bare, {});
  ASSERT_TRUE(unknown.ok()) << unknown.status().ToString();
  EXPECT_EQ(unknown->national.households, 2);
  EXPECT_EQ(unknown->unknown_eligibility, 1);

  // A newer score moves H3 out of quintile 1: the next preview sees it
  // although the register (and its cached frame) is unchanged, and the
  // approval freezes the same households as that preview.
  saved = rima->SaveScores({}, {score("H3", "v2", "2019-11-01", 4)}, false);
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  preview = w_->PreviewStored("rci1", {});
  ASSERT_TRUE(preview.ok()) << preview.status().ToString();
  EXPECT_EQ(preview->national.households, 1);
  // Before approval, Explain shows the rule's value, or that it is missing
  // (the session's caller is national).
  auto why = w_->Explain("rci1", "ИЗ85120320");
  ASSERT_TRUE(why.ok()) << why.status().ToString();
  EXPECT_TRUE(why->beneficiary);
  EXPECT_NE(why->text.find("RIMA resilience quintile = 1"), std::string::npos)
      << why->text;
  why = w_->Explain("rci1", "ИЗ75010122");
  ASSERT_TRUE(why.ok()) << why.status().ToString();
  EXPECT_FALSE(why->beneficiary);
  EXPECT_NE(why->text.find("RIMA resilience quintile = 4"), std::string::npos)
      << why->text;
  why = w_->Explain("rci1", "ИЗ80010111");
  ASSERT_TRUE(why.ok()) << why.status().ToString();
  EXPECT_FALSE(why->beneficiary);
  EXPECT_NE(why->text.find("RIMA resilience quintile = missing"),
            std::string::npos)
      << why->text;
  auto approved = w_->ApprovePlan("rci1", "checker");
  ASSERT_TRUE(approved.ok()) << approved.status().ToString();
  EXPECT_EQ(approved->beneficiaries, preview->national.beneficiaries);
  EXPECT_EQ(approved->amount_per_installment, preview->national.amount);
  auto snapshot = rs_->Snapshot("rci1", {});
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  EXPECT_EQ(*snapshot, (std::vector<std::pair<std::string, int64_t>>{
                           {"ИЗ85120320", 100000}}));  // H1's head.

  // Once approved, Explain reads the frozen list, not the register now.
  why = w_->Explain("rci1", "ИЗ85120320");
  ASSERT_TRUE(why.ok()) << why.status().ToString();
  EXPECT_TRUE(why->beneficiary);
  EXPECT_EQ(why->amount, 100000);
  EXPECT_NE(why->text.find("In the list frozen when plan rci1 was approved"),
            std::string::npos)
      << why->text;
  why = w_->Explain("rci1", "ИЗ75010122");
  ASSERT_TRUE(why.ok()) << why.status().ToString();
  EXPECT_FALSE(why->beneficiary);
  EXPECT_NE(why->text.find("Not in the list frozen"), std::string::npos)
      << why->text;
  // A caller of Tes does not see the Uliastai person at all.
  test_.session->SetCaller({"tes", "soum_officer", {0, 18149}});
  EXPECT_EQ(w_->Explain("rci1", "ИЗ75010122").status().code(),
            StatusCode::kNotFound);
  EXPECT_TRUE(w_->Explain("rci1", "ИЗ85120320").ok());
}

}  // namespace
}  // namespace malchin::response
