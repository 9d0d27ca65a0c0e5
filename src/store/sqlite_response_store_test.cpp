// The response repository on a small register: idempotent steps,
// maker-checker, frozen snapshots, one line per (plan, beneficiary,
// installment) under concurrent runs, re-issues and reconciliation
// arithmetic.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <thread>

#include "store/response_store.h"
#include "store/sqlite_db.h"

namespace malchin::store {
namespace {

using registry::Household;
using registry::Person;
using registry::Relation;
using registry::Sex;

Date D(const char* s) { return *Date::Parse(s); }

class ResponseStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("malchin_response_store_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "r.db").string();
    auto s = Store::OpenSqlite(path_, {});
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    auto r = ResponseStore::OnSqlite(*store_);
    ASSERT_TRUE(r.ok());
    rs_ = std::move(*r);
    // Two households in Tes (18149), one in Uliastai (18101).
    std::vector<Household> hh = {Hh("H1", 18149), Hh("H2", 18149),
                                 Hh("H3", 18101)};
    std::vector<Person> ps = {
        P("ИЗ85120320", "H1", "1985-12-03", Sex::kFemale, Relation::kHead,
          "00051234567890"),
        P("ИЗ15220111", "H1", "2015-02-01", Sex::kMale, Relation::kChild, ""),
        P("ИЗ17220122", "H1", "2017-02-01", Sex::kFemale, Relation::kChild, ""),
        P("ИЗ80010111", "H2", "1980-01-01", Sex::kMale, Relation::kHead,
          "00151234567890"),
        P("ИЗ18220111", "H2", "2018-02-01", Sex::kMale, Relation::kChild, ""),
        P("ИЗ16220122", "H3", "2016-02-01", Sex::kFemale, Relation::kChild,
          "")};
    auto up = store_->Upsert(hh, ps, {"test", "t"});
    ASSERT_TRUE(up.ok()) << up.status().ToString();

    ShockEventRecord e;
    e.code = "tes-dzud";
    e.type = "dzud";
    e.name = "Tes dzud";
    e.source = "risk map";
    e.reference = "decision 1";
    e.declared_on = D("2019-12-01");
    e.starts_on = D("2019-12-01");
    e.soums = {{18149, "very_high"}};
    ASSERT_TRUE(rs_->CreateEvent(e, "maker").ok());
    plan_.code = "p1";
    plan_.event_code = "tes-dzud";
    plan_.kind = "horizontal";
    plan_.name = "Phase 1";
    plan_.eligibility = "age < 6";
    plan_.amount = "40000";
    plan_.unit = "person";
    plan_.cutoff_on = D("2019-12-15");
    plan_.starts_on = D("2019-12-01");
    plan_.ends_on = D("2019-12-31");
    plan_.installments = {{1, D("2019-12-20")}};
  }
  void TearDown() override {
    rs_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  static Household Hh(const char* id, int32_t soum) {
    Household h;
    h.id = id;
    h.soum_code = soum;
    h.current_soum_code = soum;
    return h;
  }
  static Person P(const char* rn, const char* hh, const char* born, Sex sex,
                  Relation rel, const char* account) {
    Person p;
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

  // Children under 6 on 2019-12-15 in Tes, paid to their household's head.
  static Result<std::vector<SnapshotChoice>> TesChildren(const Roster& r) {
    const auto& pop = r.population;
    std::vector<SnapshotChoice> out;
    Date cutoff = D("2019-12-15");
    for (size_t p = 0; p < pop.persons(); ++p) {
      int32_t h = pop.household[p];
      if (pop.soum_code[h] != 18149) continue;
      if (Date::FromDays(pop.birth_days[p]).AgeOn(cutoff) >= 6) continue;
      int32_t head = static_cast<int32_t>(p);
      for (size_t q = 0; q < pop.persons(); ++q) {
        if (pop.household[q] == h && r.has_account[q]) {
          head = static_cast<int32_t>(q);
        }
      }
      out.push_back({static_cast<int32_t>(p), head, 40000});
    }
    return out;
  }

  std::unique_ptr<ResponseStore> Open() {
    auto s = Store::OpenSqlite(path_, {});
    EXPECT_TRUE(s.ok());
    others_.push_back(std::move(*s));
    return std::move(*ResponseStore::OnSqlite(*others_.back()));
  }

  void ApproveAndPay() {
    ASSERT_TRUE(rs_->CreatePlan(plan_, "maker").ok());
    auto a = rs_->ApprovePlan("p1", "checker", {}, TesChildren);
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    ASSERT_TRUE(rs_->GeneratePayroll("p1", 1, "maker").ok());
    ASSERT_TRUE(rs_->ApprovePayroll("p1", 1, "checker").ok());
  }

  static Result<std::string> FirstFour(std::string_view account) {
    if (account.size() < 4) return Status::InvalidArgument("no account");
    return std::string(account.substr(0, 4));
  }

  std::filesystem::path dir_;
  std::string path_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<ResponseStore> rs_;
  std::vector<std::unique_ptr<Store>> others_;
  PlanRecord plan_;
};

TEST_F(ResponseStoreTest, EventAndPlanCreationAreIdempotent) {
  auto e = rs_->FindEvent("tes-dzud", {});
  ASSERT_TRUE(e.ok() && e->has_value());
  ShockEventRecord again = **e;
  EXPECT_TRUE(rs_->CreateEvent(again, "maker").ok());
  again.name = "Another";
  EXPECT_EQ(rs_->CreateEvent(again, "maker").status().code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(*rs_->SetEventSoums("tes-dzud", {{18149, "very_high"}}, "m"), 0);
  EXPECT_EQ(
      *rs_->SetEventSoums("tes-dzud", {{18149, "high"}, {18110, "low"}}, "m"),
      2);
  EXPECT_EQ((*rs_->FindEvent("tes-dzud", {0, 18110}))->soums.size(), 1u);

  auto p1 = rs_->CreatePlan(plan_, "maker");
  ASSERT_TRUE(p1.ok()) << p1.status().ToString();
  EXPECT_EQ(p1->status, "prepared");
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

TEST_F(ResponseStoreTest, MakerCheckerAndApprovalOrder) {
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
  EXPECT_EQ(a->status, "approved");
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
  sqlite::Db* db = store_->SqliteConnection();
  EXPECT_FALSE(
      db->Exec("UPDATE response_payrolls SET approved_by = generated_by").ok());
}

TEST_F(ResponseStoreTest, SnapshotIsFrozenAgainstRegisterEdits) {
  ApproveAndPay();
  auto before = rs_->Snapshot("p1", {});
  ASSERT_TRUE(before.ok());
  ASSERT_EQ(before->size(), 3u);
  // The register changes: a child leaves, an account changes.
  ASSERT_TRUE(
      store_->DeactivatePerson("ИЗ15220111", {D("2020-01-05"), "moved abroad"})
          .ok());
  Person head = P("ИЗ85120320", "H1", "1985-12-03", Sex::kFemale,
                  Relation::kHead, "00329999999999");
  ASSERT_TRUE(store_->Upsert({}, {head}, {"test", "t"}).ok());
  EXPECT_EQ(*rs_->Snapshot("p1", {}), *before);
  EXPECT_EQ(rs_->FindPayroll("p1", 1)->value().lines, 3);
  auto issued = rs_->IssuePayments("p1", 1, "maker", FirstFour);
  ASSERT_TRUE(issued.ok());
  std::vector<std::string> accounts;
  ASSERT_TRUE(rs_->ForEachIssued("p1", 1, 0,
                                 [&](const IssuedPayment& p) {
                                   accounts.push_back(p.account);
                                   return Status::Ok();
                                 })
                  .ok());
  EXPECT_EQ(std::count(accounts.begin(), accounts.end(), "00051234567890"),
            2);  // The account at approval, not the new one.
  // The snapshot table refuses changes and deletions.
  sqlite::Db* db = store_->SqliteConnection();
  EXPECT_FALSE(db->Exec("UPDATE response_entitlements SET amount = 1").ok());
  EXPECT_FALSE(db->Exec("DELETE FROM response_entitlements").ok());
  EXPECT_FALSE(db->Exec("DELETE FROM response_payroll_lines").ok());
}

TEST_F(ResponseStoreTest, OneLinePerBeneficiaryAndInstallment) {
  ApproveAndPay();
  // Generating again returns the same payroll.
  auto again = rs_->GeneratePayroll("p1", 1, "other");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->generated_by, "maker");
  EXPECT_EQ(again->lines, 3);
  // The database refuses a second line for the same (plan, beneficiary,
  // installment).
  sqlite::Db* db = store_->SqliteConnection();
  Status dup = db->Exec(
      "INSERT INTO response_payroll_lines (payroll_id, plan_id, "
      "entitlement_id, installment, amount) SELECT payroll_id, plan_id, "
      "entitlement_id, installment, amount FROM response_payroll_lines LIMIT "
      "1");
  EXPECT_EQ(dup.code(), StatusCode::kAlreadyExists) << dup.ToString();
}

TEST_F(ResponseStoreTest, ConcurrentRunsLeaveNoDuplicates) {
  ASSERT_TRUE(rs_->CreatePlan(plan_, "maker").ok());
  // Two officers' processes approve, generate and issue at the same time.
  auto a = Open();
  auto b = Open();
  auto run = [](ResponseStore* s, Status* out) {
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
  std::thread ta(run, a.get(), &sa);
  std::thread tb(run, b.get(), &sb);
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

TEST_F(ResponseStoreTest, CrashMidPayrollLeavesNothing) {
  ASSERT_TRUE(rs_->CreatePlan(plan_, "maker").ok());
  // A selection that fails half way (as a crash would) writes nothing.
  auto failing = [](const Roster&) -> Result<std::vector<SnapshotChoice>> {
    return Status::Internal("power cut");
  };
  EXPECT_FALSE(rs_->ApprovePlan("p1", "checker", {}, failing).ok());
  EXPECT_EQ(rs_->FindPlan("p1")->value().status, "prepared");
  EXPECT_TRUE(rs_->Snapshot("p1", {})->empty());
  // A process killed inside the payroll transaction: the open transaction
  // is rolled back when its connection goes away.
  ASSERT_TRUE(rs_->ApprovePlan("p1", "checker", {}, TesChildren).ok());
  {
    auto s = Store::OpenSqlite(path_, {});
    ASSERT_TRUE(s.ok());
    sqlite::Db* db = (*s)->SqliteConnection();
    ASSERT_TRUE(db->Exec("BEGIN IMMEDIATE").ok());
    ASSERT_TRUE(db->Exec("INSERT INTO response_payrolls (plan_id, "
                         "installment, status, generated_by, generated_at, "
                         "lines, amount) SELECT id, 1, 'generated', 'x', "
                         "'now', 0, 0 FROM response_plans")
                    .ok());
    ASSERT_TRUE(db->Exec("INSERT INTO response_payroll_lines (payroll_id, "
                         "plan_id, entitlement_id, installment, amount) "
                         "SELECT 1, plan_id, id, 1, amount FROM "
                         "response_entitlements LIMIT 1")
                    .ok());
  }  // Closed without COMMIT.
  EXPECT_FALSE(rs_->FindPayroll("p1", 1)->has_value());
  auto pr = rs_->GeneratePayroll("p1", 1, "maker");
  ASSERT_TRUE(pr.ok());
  EXPECT_EQ(pr->lines, 3);
}

TEST_F(ResponseStoreTest, ReconciliationArithmeticAndReissue) {
  ApproveAndPay();
  auto issued = rs_->IssuePayments("p1", 1, "maker", FirstFour);
  ASSERT_TRUE(issued.ok()) << issued.status().ToString();
  EXPECT_EQ(issued->issued, 3);
  EXPECT_EQ(issued->amount, 120000);
  std::vector<IssuedPayment> payments;
  ASSERT_TRUE(rs_->ForEachIssued("p1", 1, issued->batch_id,
                                 [&](const IssuedPayment& p) {
                                   payments.push_back(p);
                                   return Status::Ok();
                                 })
                  .ok());
  ASSERT_EQ(payments.size(), 3u);
  // Nothing new to issue: a second export issues nothing.
  EXPECT_EQ(rs_->IssuePayments("p1", 1, "maker", FirstFour)->issued, 0);

  std::vector<PaymentResult> results = {
      {2, payments[0].reference, "paid", 40000, ""},
      {3, payments[1].reference, "failed", 40000, "account closed"}};
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
      {2, "MLC-9-9-9-9", "paid", 40000, ""},
      {3, payments[2].reference, "paid", 1, ""},
      {4, payments[1].reference, "paid", 40000, ""},
      {5, payments[2].reference, "paid", 40000, ""}};
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
  // The failed one is re-issued with a new reference; the paid and the
  // pending ones are not.
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
                                {{2, payments[0].reference, "returned", 40000,
                                  "beneficiary deceased"},
                                 {3, second[0].reference, "paid", 40000, ""}},
                                "maker")
                  .ok());
  check(4, 1, 1, 1, 1);
  // The database refuses two live payments for one line.
  sqlite::Db* db = store_->SqliteConnection();
  EXPECT_FALSE(db->Exec("INSERT INTO response_payments (line_id, attempt, "
                        "reference, batch_id, bank_code, amount, status) "
                        "SELECT line_id, attempt + 10, reference || 'x', "
                        "batch_id, bank_code, amount, 'pending' FROM "
                        "response_payments WHERE status = 'paid'")
                   .ok());
}

TEST_F(ResponseStoreTest, OverlappingPlansAreFlagged) {
  ApproveAndPay();
  PlanRecord second = plan_;
  second.code = "p1b";
  second.name = "Phase 1 again";
  second.amount = "30000";
  ASSERT_TRUE(rs_->CreatePlan(second, "maker").ok());
  auto a = rs_->ApprovePlan("p1b", "checker", {}, TesChildren);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->overlaps, 3);
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
  EXPECT_EQ(rs_->ApprovePlan("p2", "checker", {}, TesChildren)->overlaps, 0);
}

TEST_F(ResponseStoreTest, RosterIsTheRegisterWithPersonIds) {
  for (AreaFilter area : {AreaFilter{}, AreaFilter{0, 18149}}) {
    auto roster = rs_->LoadRoster(area);
    ASSERT_TRUE(roster.ok()) << roster.status().ToString();
    auto pop = store_->LoadPopulation(area);
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
    sqlite::Db* db = store_->SqliteConnection();
    auto q = db->Prepare(
        "SELECT h.id, p.birth_date, p.bank_account <> '' FROM persons p JOIN "
        "households h ON h.hh = p.hh WHERE p.pid = ?1");
    ASSERT_TRUE(q.ok());
    for (size_t i = 0; i < a.persons(); ++i) {
      q->Bind(1, roster->person_row[i]);
      ASSERT_TRUE(*q->Step());
      EXPECT_EQ(q->Text(0), a.household_id[a.household[i]]);
      EXPECT_EQ(q->Text(1), Date::FromDays(a.birth_days[i]).ToString());
      EXPECT_EQ(q->Int(2) != 0, roster->has_account[i] != 0);
      q->Reset();
    }
  }
  EXPECT_EQ(rs_->LoadRoster({0, 18149})->population.persons(), 5u);
}

TEST_F(ResponseStoreTest, SnapshotKeysOnPersonIdsNotOnOrder) {
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
  sqlite::Db* db = store_->SqliteConnection();
  auto q = db->Prepare(
      "SELECT register_no, household_id, soum_code, sex, birth_date, "
      "payee_register_no, account FROM response_entitlements ORDER BY "
      "register_no");
  ASSERT_TRUE(q.ok());
  ASSERT_TRUE(*q->Step());
  EXPECT_EQ(q->Text(0), "ИЗ15220111");
  EXPECT_EQ(q->Text(1), "H1");
  EXPECT_EQ(q->Int(2), 18149);
  EXPECT_EQ(q->Text(3), "M");
  EXPECT_EQ(q->Text(4), "2015-02-01");
  EXPECT_EQ(q->Text(5), "ИЗ85120320");
  EXPECT_EQ(q->Text(6), "00051234567890");
  ASSERT_TRUE(*q->Step());
  ASSERT_TRUE(*q->Step());
  EXPECT_EQ(q->Text(0), "ИЗ18220111");
  EXPECT_EQ(q->Text(1), "H2");
  EXPECT_EQ(q->Text(5), "ИЗ80010111");
  EXPECT_EQ(q->Text(6), "00151234567890");
  q->Reset();
}

TEST_F(ResponseStoreTest, APersonChosenTwiceWritesNothing) {
  ASSERT_TRUE(rs_->CreatePlan(plan_, "maker").ok());
  auto twice = [](const Roster& r) -> Result<std::vector<SnapshotChoice>> {
    MALCHIN_ASSIGN_OR_RETURN(auto chosen, TesChildren(r));
    chosen.push_back(chosen.front());
    return chosen;
  };
  auto a = rs_->ApprovePlan("p1", "checker", {}, twice);
  EXPECT_EQ(a.status().code(), StatusCode::kInternal) << a.status().ToString();
  EXPECT_EQ(rs_->FindPlan("p1")->value().status, "prepared");
  EXPECT_TRUE(rs_->Snapshot("p1", {})->empty());
  // Approving properly afterwards works.
  EXPECT_EQ(rs_->ApprovePlan("p1", "checker", {}, TesChildren)->beneficiaries,
            3);
}

TEST_F(ResponseStoreTest, RegisterVersionChangesWithTheRegister) {
  auto read = [&]() {
    auto v = rs_->ReadRegisterVersion();
    EXPECT_TRUE(v.ok() && v->has_value());
    return v.ok() && v->has_value() ? **v : RegisterVersion{};
  };
  RegisterVersion v0 = read();
  EXPECT_EQ(v0.database, path_);
  EXPECT_EQ(read(), v0);
  // Shock-response work is not a register change.
  ASSERT_TRUE(rs_->CreatePlan(plan_, "maker").ok());
  ASSERT_TRUE(rs_->ApprovePlan("p1", "checker", {}, TesChildren).ok());
  EXPECT_EQ(read(), v0);
  // A new person, a changed person, a deactivation: each a new version.
  ASSERT_TRUE(store_
                  ->Upsert({},
                           {P("ИЗ19220322", "H1", "2019-02-03", Sex::kFemale,
                              Relation::kChild, "")},
                           {"test", "t"})
                  .ok());
  RegisterVersion v1 = read();
  EXPECT_NE(v1, v0);
  ASSERT_TRUE(store_
                  ->Upsert({},
                           {P("ИЗ19220322", "H1", "2019-02-03", Sex::kFemale,
                              Relation::kChild, "00059999999999")},
                           {"test", "t"})
                  .ok());
  RegisterVersion v2 = read();
  EXPECT_NE(v2, v1);
  ASSERT_TRUE(
      store_->DeactivateHousehold("H3", {D("2020-01-05"), "moved"}).ok());
  RegisterVersion v3 = read();
  EXPECT_NE(v3, v2);
  // Seen from another connection too, and a change made there is seen here.
  auto other = Open();
  auto seen = other->ReadRegisterVersion();
  ASSERT_TRUE(seen.ok() && seen->has_value());
  EXPECT_EQ(**seen, v3);
  ASSERT_TRUE(others_.back()
                  ->DeactivatePerson("ИЗ19220322", {D("2020-01-06"), "moved"})
                  .ok());
  EXPECT_NE(read(), v3);
}

TEST_F(ResponseStoreTest, ReconcilesByScanOrByLookupAlike) {
  ApproveAndPay();
  auto issued = rs_->IssuePayments("p1", 1, "maker", FirstFour);
  ASSERT_TRUE(issued.ok()) << issued.status().ToString();
  std::vector<std::string> refs;
  ASSERT_TRUE(rs_->ForEachIssued("p1", 1, issued->batch_id,
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
  sqlite::Db* db = store_->SqliteConnection();
  std::string prefix = refs[0].substr(0, refs[0].rfind('-') + 1);
  ASSERT_TRUE(db->Exec("WITH RECURSIVE n(k) AS (SELECT 2 UNION ALL SELECT k "
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
  std::vector<PaymentResult> unknown = {{2, refs[0], "paid", 40000, ""},
                                        {3, prefix + "999", "paid", 40000, ""},
                                        {4, refs[1], "paid", 40000, ""}};
  auto bad = rs_->ApplyResults("b.csv", unknown, "maker");
  ASSERT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("b.csv:3: reference " + prefix +
                                        "999 was never issued"),
            std::string::npos)
      << bad.status().message();
  std::vector<PaymentResult> good = {
      {2, refs[1], "paid", 40000, ""},
      {3, refs[0], "paid", 40000, ""},
      {4, prefix + "1500", "failed", 40000, "test"}};
  auto c = rs_->ApplyResults("b.csv", good, "maker");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->changed, 2);
  EXPECT_EQ(c->unchanged, 1);
  // The third payment alone: a narrow range, read in one pass.
  std::vector<PaymentResult> last = {{2, refs[2], "failed", 40000, "closed"}};
  auto d = rs_->ApplyResults("c.csv", last, "maker");
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->changed, 1);
  auto r = rs_->PaymentReport("p1", 1, {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->back().paid, 2);
}

}  // namespace
}  // namespace malchin::store
