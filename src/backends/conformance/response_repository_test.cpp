// response::Repository on every engine: idempotent steps, maker-checker,
// frozen snapshots keyed on person ids, overlaps, and the register version
// that shock-response work leaves unchanged.
#include <gtest/gtest.h>

#include <algorithm>

#include "backends/conformance/response_fixture.h"

namespace malchin::conformance {
namespace {

using backends::testing::RawSqlRefused;

class ResponseRepositoryTest : public ResponseFixture {};

TEST_P(ResponseRepositoryTest, EventAndPlanCreationAreIdempotent) {
  auto e = rs_->FindEvent("tes-dzud", {});
  ASSERT_TRUE(e.ok() && e->has_value());
  ShockEventRecord again = **e;
  EXPECT_TRUE(rs_->CreateEvent(again, "maker").ok());
  again.name = "Another";
  EXPECT_EQ(rs_->CreateEvent(again, "maker").status().code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(*rs_->SetEventSoums("tes-dzud",
                                {{18149, response::Severity::kVeryHigh}}, "m"),
            0);
  EXPECT_EQ(*rs_->SetEventSoums("tes-dzud",
                                {{18149, response::Severity::kHigh},
                                 {18110, response::Severity::kLow}},
                                "m"),
            2);
  EXPECT_EQ((*rs_->FindEvent("tes-dzud", {0, 18110}))->soums.size(), 1u);

  auto p1 = rs_->CreatePlan(plan_, "maker");
  ASSERT_TRUE(p1.ok()) << p1.status().ToString();
  EXPECT_EQ(p1->status, response::PlanStatus::kPrepared);
  EXPECT_EQ(p1->prepared_by, "maker");
  auto p2 = rs_->CreatePlan(plan_, "maker");
  ASSERT_TRUE(p2.ok());
  EXPECT_EQ(p2->id, p1->id);
  plan_.amount = "50000";
  EXPECT_EQ(rs_->CreatePlan(plan_, "maker").status().code(),
            StatusCode::kAlreadyExists);
  plan_.code = "p2";
  plan_.event_code = "nope";
  EXPECT_EQ(rs_->CreatePlan(plan_, "maker").status().code(),
            StatusCode::kNotFound);
}

TEST_P(ResponseRepositoryTest, MakerCheckerAndApprovalOrder) {
  ASSERT_TRUE(rs_->CreatePlan(plan_, "maker").ok());
  // Payroll before the plan is approved.
  EXPECT_EQ(rs_->GeneratePayroll("p1", 1, "maker").status().code(),
            StatusCode::kFailedPrecondition);
  // The preparer cannot approve.
  EXPECT_EQ(rs_->ApprovePlan("p1", "maker", {}, TesChildren).status().code(),
            StatusCode::kPermissionDenied);
  // A soum officer of Uliastai cannot approve payments in Tes.
  EXPECT_EQ(rs_->ApprovePlan("p1", "checker", {0, 18101}, TesChildren)
                .status()
                .code(),
            StatusCode::kPermissionDenied);
  auto a = rs_->ApprovePlan("p1", "checker", {}, TesChildren);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->status, response::PlanStatus::kApproved);
  EXPECT_EQ(a->beneficiaries, 3);  // Born 2015, 2017, 2018 in Tes.
  EXPECT_EQ(a->households, 2);
  EXPECT_EQ(a->amount_per_installment, 120000);
  // Approving again changes nothing, whoever asks.
  auto again = rs_->ApprovePlan("p1", "maker", {}, TesChildren);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->approved_by, "checker");

  EXPECT_EQ(rs_->GeneratePayroll("p1", 2, "maker").status().code(),
            StatusCode::kNotFound);
  auto pr = rs_->GeneratePayroll("p1", 1, "maker");
  ASSERT_TRUE(pr.ok()) << pr.status().ToString();
  EXPECT_EQ(pr->lines, 3);
  EXPECT_EQ(pr->amount, 120000);
  EXPECT_EQ(rs_->IssuePayments("p1", 1, "maker", FirstFour).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(rs_->ApprovePayroll("p1", 1, "maker").status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_TRUE(rs_->ApprovePayroll("p1", 1, "checker").ok());

  // The database refuses an approver equal to the preparer even if code
  // forgot to check.
  EXPECT_TRUE(RawSqlRefused(
      database(), "UPDATE response_payrolls SET approved_by = generated_by"));
}

TEST_P(ResponseRepositoryTest, SnapshotIsFrozenAgainstRegisterEdits) {
  ApproveAndPay();
  auto before = rs_->Snapshot("p1", {});
  ASSERT_TRUE(before.ok());
  ASSERT_EQ(before->size(), 3u);
  // The register changes: a child leaves, an account changes.
  ASSERT_TRUE(
      reg()
          .DeactivatePerson("ИЗ15220111", {D("2020-01-05"), "moved abroad"})
          .ok());
  Person head = P("ИЗ85120320", "H1", "1985-12-03", Sex::kFemale,
                  Relation::kHead, "00329999999999");
  ASSERT_TRUE(reg().Upsert({}, {head}, {"test", "t"}).ok());
  EXPECT_EQ(*rs_->Snapshot("p1", {}), *before);
  EXPECT_EQ(rs_->FindPayroll("p1", 1)->value().lines, 3);
  auto issued = rs_->IssuePayments("p1", 1, "maker", FirstFour);
  ASSERT_TRUE(issued.ok());
  // The child who left is not paid silently: flagged for an officer.
  EXPECT_EQ(issued->flagged, 1);
  std::vector<std::string> accounts;
  ASSERT_TRUE(rs_->ForEachIssued("p1", 1, 0,
                                 [&](const IssuedPayment& p) {
                                   accounts.push_back(p.account);
                                   return Status::Ok();
                                 })
                  .ok());
  EXPECT_EQ(std::count(accounts.begin(), accounts.end(), "00051234567890"),
            1);  // The account at approval, not the new one.
  EXPECT_EQ(std::count(accounts.begin(), accounts.end(), "00329999999999"), 0);
  // The snapshot table refuses changes and deletions.
  EXPECT_TRUE(
      RawSqlRefused(database(), "UPDATE response_entitlements SET amount = 1"));
  EXPECT_TRUE(RawSqlRefused(database(), "DELETE FROM response_entitlements"));
  EXPECT_TRUE(RawSqlRefused(database(), "DELETE FROM response_payroll_lines"));
}

TEST_P(ResponseRepositoryTest, OverlappingPlansAreFlagged) {
  ApproveAndPay();
  PlanRecord second = plan_;
  second.code = "p1b";
  second.name = "Phase 1 again";
  second.amount = "30000";
  ASSERT_TRUE(rs_->CreatePlan(second, "maker").ok());
  // Paying the same children again (same event, no programme) is a choice
  // the approver states, with a reason.
  auto a = rs_->ApprovePlan("p1b", "checker", {}, TesChildren, nullptr,
                            {response::OverlapChoice::kAccept, "top-up"});
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->overlaps, 3);
  EXPECT_EQ(a->overlap_count, 3);
  auto o = rs_->Overlaps("p1b");
  ASSERT_TRUE(o.ok());
  ASSERT_EQ(o->size(), 3u);
  EXPECT_EQ((*o)[0].second, "p1");
  // A plan of the same event in a later period is not flagged.
  PlanRecord later = plan_;
  later.code = "p2";
  later.name = "Phase 2";
  later.starts_on = D("2020-02-01");
  later.ends_on = D("2020-04-30");
  later.installments = {{1, D("2020-02-15")}};
  ASSERT_TRUE(rs_->CreatePlan(later, "maker").ok());
  EXPECT_EQ(rs_->ApprovePlan("p2", "checker", {}, TesChildren, nullptr,
                             {response::OverlapChoice::kAccept, "phase 2"})
                ->overlaps,
            0);
}

TEST_P(ResponseRepositoryTest, RosterIsTheRegisterWithPersonIds) {
  for (AreaFilter area : {AreaFilter{}, AreaFilter{0, 18149}}) {
    auto roster = reg().LoadRoster(area);
    ASSERT_TRUE(roster.ok()) << roster.status().ToString();
    auto pop = reg().LoadPopulation(area);
    ASSERT_TRUE(pop.ok());
    const registry::Population& a = roster->population;
    EXPECT_EQ(a.household_id, pop->household_id);
    EXPECT_EQ(a.soum_code, pop->soum_code);
    EXPECT_EQ(a.household, pop->household);
    EXPECT_EQ(a.birth_days, pop->birth_days);
    EXPECT_EQ(a.sex, pop->sex);
    EXPECT_EQ(a.relation, pop->relation);
    EXPECT_EQ(a.disability, pop->disability);
    ASSERT_EQ(roster->person_row.size(), a.persons());
    ASSERT_EQ(roster->has_account.size(), a.persons());
    // Each id is the person's row: same household and birth date.
    for (size_t i = 0; i < a.persons(); ++i) {
      auto rows = backends::testing::QueryRawSql(
          database(),
          "SELECT h.id, p.birth_date, CASE WHEN p.bank_account <> '' THEN 1 "
          "ELSE 0 END FROM persons p JOIN households h ON h.hh = p.hh WHERE "
          "p.pid = " +
              std::to_string(roster->person_row[i]));
      ASSERT_TRUE(rows.ok()) << rows.status().ToString();
      ASSERT_EQ(rows->size(), 1u);
      const auto& row = rows->front();
      EXPECT_EQ(row[0], a.household_id[a.household[i]]);
      EXPECT_EQ(row[1], Date::FromDays(a.birth_days[i]).ToString());
      EXPECT_EQ(row[2] == "1", roster->has_account[i] != 0);
    }
  }
  EXPECT_EQ(reg().LoadRoster({0, 18149})->population.persons(), 5u);
}

TEST_P(ResponseRepositoryTest, SnapshotKeysOnPersonIdsNotOnOrder) {
  ASSERT_TRUE(rs_->CreatePlan(plan_, "maker").ok());
  // The same choice as TesChildren, listed backwards.
  auto backwards = [](const Roster& r) -> Result<std::vector<SnapshotChoice>> {
    MALCHIN_ASSIGN_OR_RETURN(auto chosen, TesChildren(r));
    std::reverse(chosen.begin(), chosen.end());
    return chosen;
  };
  auto a = rs_->ApprovePlan("p1", "checker", {}, backwards);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->beneficiaries, 3);
  EXPECT_EQ(a->households, 2);
  auto snap = rs_->Snapshot("p1", {});
  ASSERT_TRUE(snap.ok());
  std::vector<std::pair<std::string, int64_t>> want = {
      {"ИЗ15220111", 40000}, {"ИЗ17220122", 40000}, {"ИЗ18220111", 40000}};
  EXPECT_EQ(*snap, want);
  // Identity, payee and account were copied from each chosen person's row.
  auto rows = backends::testing::QueryRawSql(
      database(),
      "SELECT register_no, household_id, soum_code, sex, birth_date, "
      "payee_register_no, account FROM response_entitlements ORDER BY "
      "register_no");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[0], (std::vector<std::string>{
                            "ИЗ15220111", "H1", "18149", "M", "2015-02-01",
                            "ИЗ85120320", "00051234567890"}));
  EXPECT_EQ((*rows)[2][0], "ИЗ18220111");
  EXPECT_EQ((*rows)[2][1], "H2");
  EXPECT_EQ((*rows)[2][5], "ИЗ80010111");
  EXPECT_EQ((*rows)[2][6], "00151234567890");
}

TEST_P(ResponseRepositoryTest, APersonChosenTwiceWritesNothing) {
  ASSERT_TRUE(rs_->CreatePlan(plan_, "maker").ok());
  auto twice = [](const Roster& r) -> Result<std::vector<SnapshotChoice>> {
    MALCHIN_ASSIGN_OR_RETURN(auto chosen, TesChildren(r));
    chosen.push_back(chosen.front());
    return chosen;
  };
  auto a = rs_->ApprovePlan("p1", "checker", {}, twice);
  EXPECT_EQ(a.status().code(), StatusCode::kInternal) << a.status().ToString();
  EXPECT_EQ(rs_->FindPlan("p1")->value().status,
            response::PlanStatus::kPrepared);
  EXPECT_TRUE(rs_->Snapshot("p1", {})->empty());
  // Approving properly afterwards works.
  EXPECT_EQ(rs_->ApprovePlan("p1", "checker", {}, TesChildren)->beneficiaries,
            3);
}

TEST_P(ResponseRepositoryTest, RegisterVersionChangesWithTheRegister) {
  auto read = [&]() {
    auto v = reg().ReadRegisterVersion();
    EXPECT_TRUE(v.ok() && v->has_value());
    return v.ok() && v->has_value() ? **v : RegisterVersion{};
  };
  RegisterVersion v0 = read();
  EXPECT_EQ(v0.database, session().database_key());
  EXPECT_EQ(read(), v0);
  // Another database's version never equals this one's.
  {
    auto elsewhere = backends::testing::OpenTestStore(engine());
    ASSERT_TRUE(elsewhere.ok()) << elsewhere.status().ToString();
    auto v =
        elsewhere->session->Get<registry::Repository>().ReadRegisterVersion();
    ASSERT_TRUE(v.ok() && v->has_value());
    EXPECT_NE((*v)->database, v0.database);
    EXPECT_NE(**v, v0);
  }
  // Shock-response work is not a register change.
  ASSERT_TRUE(rs_->CreatePlan(plan_, "maker").ok());
  ASSERT_TRUE(rs_->ApprovePlan("p1", "checker", {}, TesChildren).ok());
  EXPECT_EQ(read(), v0);
  // A new person, a changed person, a deactivation: each a new version.
  ASSERT_TRUE(reg()
                  .Upsert({},
                          {P("ИЗ19220322", "H1", "2019-02-03", Sex::kFemale,
                             Relation::kChild, "")},
                          {"test", "t"})
                  .ok());
  RegisterVersion v1 = read();
  EXPECT_NE(v1, v0);
  ASSERT_TRUE(reg()
                  .Upsert({},
                          {P("ИЗ19220322", "H1", "2019-02-03", Sex::kFemale,
                             Relation::kChild, "00059999999999")},
                          {"test", "t"})
                  .ok());
  RegisterVersion v2 = read();
  EXPECT_NE(v2, v1);
  ASSERT_TRUE(reg().DeactivateHousehold("H3", {D("2020-01-05"), "moved"}).ok());
  RegisterVersion v3 = read();
  EXPECT_NE(v3, v2);
  // Seen from another connection too, and a change made there is seen here.
  auto other = Connect();
  ASSERT_NE(other, nullptr);
  auto& other_reg = other->Get<registry::Repository>();
  auto seen = other_reg.ReadRegisterVersion();
  ASSERT_TRUE(seen.ok() && seen->has_value());
  EXPECT_EQ(**seen, v3);
  ASSERT_TRUE(
      other_reg.DeactivatePerson("ИЗ19220322", {D("2020-01-06"), "moved"})
          .ok());
  EXPECT_NE(read(), v3);
}

INSTANTIATE_TEST_SUITE_P(Engines, ResponseRepositoryTest,
                         ::testing::ValuesIn(backends::testing::TestEngines()),
                         backends::testing::EngineName);

}  // namespace
}  // namespace malchin::conformance
