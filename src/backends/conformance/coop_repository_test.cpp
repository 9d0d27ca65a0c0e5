// The coop repositories on every engine: round trips, area scoping and
// what the database itself refuses (edits of ledgers, movements, lines and
// deliveries; second reversals, payments and deliveries; an approver who
// prepared; reused idempotency keys).
#include <gtest/gtest.h>

#include "backends/conformance/coop_fixture.h"
#include "backends/testing/test_database.h"
#include "coop/repository.h"
#include "insurance/repository.h"

namespace malchin::conformance {
namespace {

using backends::testing::EngineTest;
using backends::testing::RawSqlRefused;
using namespace coop;

Date D(const char* s) { return *Date::Parse(s); }

class CoopRepositoryTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    ASSERT_TRUE(WriteCoopRegister(database(), engine(), &reg_).ok());
    repo_ = &Get<Repository>();
    Cooperative c;
    c.code = "c1";
    c.name = "Хоршоо 1";
    c.soum_code = 18140;
    c.registration_no = "9000001";
    c.registered_on = D("2015-01-01");
    auto id = repo_->InsertCooperative(c, "maker", "2025-01-01T00:00:00Z");
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    coop_ = *id;
  }
  LedgerEntry Entry(const char* on, EntryKind kind, int64_t amount) {
    LedgerEntry e;
    e.on = D(on);
    e.kind = kind;
    e.amount = amount;
    return e;
  }
  Result<int64_t> Append(const LedgerEntry& e, int64_t pid = 0) {
    return repo_->AppendEntry(e, coop_, 18140, pid, "maker",
                              "2025-01-01T00:00:00Z");
  }
  // An approved in-kind distribution with lines for H1 and H2.
  int64_t ApprovedDistribution() {
    auto& d = Get<DistributionRepository>();
    InKindItem item{0, "ram", "Ram", "Хуц", "head", 800000, "", ""};
    auto item_id = d.InsertItem(item, "maker", "t");
    EXPECT_TRUE(item_id.ok()) << item_id.status().ToString();
    Distribution x;
    x.code = "rams";
    x.kind = DistributionKind::kInKind;
    x.name = "Rams";
    x.item = "ram";
    x.area_code = 18140;
    x.eligibility = "household.herder";
    x.quantity = "1";
    x.cutoff_on = D("2021-04-01");
    auto id = d.InsertDistribution(x, 0, 0, *item_id, "maker", "t");
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    std::vector<NewLine> lines = {
        {"H1", reg_.h1_head_pid, 18140, registry::Sex::kFemale, D("1985-12-03"),
         1, 800000},
        {"H2", reg_.h2_head_pid, 18140, registry::Sex::kMale, D("1995-02-10"),
         2, 1600000}};
    Status s = d.Approve(*id, "checker", "t2", lines, 3, 2400000);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return *id;
  }

  CoopRegister reg_;
  Repository* repo_ = nullptr;
  int64_t coop_ = 0;
};

TEST_P(CoopRepositoryTest, CooperativesAndMemberships) {
  auto found = repo_->FindCooperative("c1");
  ASSERT_TRUE(found.ok() && *found);
  EXPECT_EQ((*found)->registered_on, D("2015-01-01"));
  EXPECT_EQ((*found)->created_by, "maker");
  auto p = repo_->FindPerson(reg_.h2_spouse);
  ASSERT_TRUE(p.ok() && *p);
  EXPECT_EQ((*p)->household_id, "H2");
  EXPECT_EQ((*p)->birth_date, D("1996-07-01"));
  EXPECT_TRUE((*p)->active);
  auto members = repo_->HouseholdMembers("H2");
  ASSERT_TRUE(members.ok());
  ASSERT_EQ(members->size(), 2u);
  EXPECT_EQ((*members)[0].register_no, reg_.h2_head);

  auto m1 = repo_->InsertMembership(coop_, reg_.h1_head_pid, MemberRole::kChair,
                                    D("2016-01-01"), "maker");
  ASSERT_TRUE(m1.ok()) << m1.status().ToString();
  ASSERT_TRUE(repo_
                  ->InsertMembership(coop_, reg_.h2_head_pid,
                                     MemberRole::kMember, D("2016-02-01"),
                                     "maker")
                  .ok());
  // One open membership per person and cooperative.
  EXPECT_EQ(repo_
                ->InsertMembership(coop_, reg_.h1_head_pid, MemberRole::kMember,
                                   D("2017-01-01"), "m")
                .status()
                .code(),
            StatusCode::kAlreadyExists);
  ASSERT_TRUE(repo_->EndMembership(*m1, D("2018-12-31"), "moved").ok());
  EXPECT_EQ(repo_->EndMembership(*m1, D("2019-12-31"), "again").code(),
            StatusCode::kFailedPrecondition);
  ASSERT_TRUE(repo_
                  ->InsertMembership(coop_, reg_.h1_head_pid,
                                     MemberRole::kMember, D("2019-01-01"),
                                     "maker")
                  .ok());
  auto all = repo_->Members(coop_);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].role, MemberRole::kChair);
  EXPECT_EQ((*all)[0].left_on, D("2018-12-31"));
  EXPECT_EQ((*all)[0].leave_reason, "moved");
  EXPECT_EQ((*all)[0].coop_code, "c1");
  EXPECT_EQ((*all)[1].sex, registry::Sex::kMale);
  auto mine = repo_->MembershipsOf(reg_.h1_head);
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ(mine->size(), 2u);
  auto hh = repo_->MemberHouseholds(coop_, D("2018-06-01"));
  ASSERT_TRUE(hh.ok());
  EXPECT_EQ(*hh, (std::vector<std::string>{"H1", "H2"}));

  ASSERT_TRUE(Append(Entry("2020-01-01", EntryKind::kSales, 5000)).ok());
  auto page = repo_->ListCooperatives({}, D("2018-06-01"));
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->total, 1);
  EXPECT_EQ(page->items[0].members, 2);
  EXPECT_EQ(page->items[0].households, 2);
  EXPECT_EQ(page->items[0].fund_balance, 0);
  page = repo_->ListCooperatives({0, "хоршоо"}, D("2020-06-01"));
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 1);
  EXPECT_EQ(page->items[0].fund_balance, 5000);
  auto in = repo_->CooperativesIn({18125, 18140}, D("2020-06-01"));
  ASSERT_TRUE(in.ok());
  EXPECT_EQ(in->size(), 1u);
  EXPECT_EQ(repo_->ListCooperatives({18125, ""}, D("2020-06-01"))->total, 0);
}

TEST_P(CoopRepositoryTest, LedgerRoundTripBalanceAndKeys) {
  LedgerEntry sheep = Entry("2024-10-01", EntryKind::kContribution, 360000);
  sheep.register_no = reg_.h1_head;
  sheep.method = Method::kInKind;
  sheep.in_kind = InKindValue{"sheep", 2, 180000, D("2024-01-01"), "prices"};
  sheep.client_key = "k1";
  auto a = Append(sheep, reg_.h1_head_pid);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_TRUE(Append(Entry("2020-03-01", EntryKind::kSales, 10000)).ok());
  LedgerEntry rev = Entry("2024-10-02", EntryKind::kReversal, -360000);
  rev.reverses = *a;
  rev.register_no = reg_.h1_head;
  ASSERT_TRUE(Append(rev, reg_.h1_head_pid).ok());
  auto entries = repo_->Entries(Book::kFund, coop_);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 3u);
  EXPECT_EQ((*entries)[0].kind, EntryKind::kSales);  // By date.
  const LedgerEntry& e = (*entries)[1];
  EXPECT_EQ(e.owner, "c1");
  EXPECT_EQ(e.register_no, reg_.h1_head);
  EXPECT_EQ(e.method, Method::kInKind);
  ASSERT_TRUE(e.in_kind);
  EXPECT_EQ(e.in_kind->quantity, 2);
  EXPECT_EQ(e.in_kind->price_from, D("2024-01-01"));
  EXPECT_EQ((*entries)[2].reverses, *a);
  EXPECT_EQ(*repo_->Balance(Book::kFund, coop_, D("2024-10-01")), 370000);
  EXPECT_EQ(*repo_->Balance(Book::kFund, coop_, D("2024-10-02")), 10000);
  EXPECT_EQ(*repo_->Balance(Book::kFund, coop_, D("2019-01-01")), 0);
  auto by_key = repo_->FindEntryByClientKey("maker", "k1");
  ASSERT_TRUE(by_key.ok() && *by_key);
  EXPECT_EQ((*by_key)->id, *a);
  EXPECT_FALSE(*repo_->FindEntryByClientKey("other", "k1"));
  auto one = repo_->FindEntry(Book::kFund, coop_, *a);
  ASSERT_TRUE(one.ok() && *one);
  EXPECT_FALSE(*repo_->FindEntry(Book::kSeed, coop_, *a));
}

TEST_P(CoopRepositoryTest, TheDatabaseRefusesEditsAndRepeats) {
  LedgerEntry c = Entry("2020-01-01", EntryKind::kContribution, 1000);
  c.register_no = reg_.h1_head;
  c.client_key = "k";
  auto a = Append(c, reg_.h1_head_pid);
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(RawSqlRefused(database(), "UPDATE coop_ledger SET amount = 2"));
  EXPECT_TRUE(RawSqlRefused(database(), "DELETE FROM coop_ledger"));
  // The same key twice; a second reversal; a wrong sign.
  EXPECT_EQ(Append(c, reg_.h1_head_pid).status().code(),
            StatusCode::kAlreadyExists);
  LedgerEntry rev = Entry("2020-01-02", EntryKind::kReversal, -1000);
  rev.reverses = *a;
  ASSERT_TRUE(Append(rev).ok());
  EXPECT_EQ(Append(rev).status().code(), StatusCode::kAlreadyExists);
  // A CHECK (each engine names it its own way: refused either way).
  EXPECT_FALSE(Append(Entry("2020-01-03", EntryKind::kSales, -5)).ok());

  const int64_t d = ApprovedDistribution();
  auto& dist = Get<DistributionRepository>();
  // A line is paid once, delivered once.
  auto line = dist.FindLine(d, "H1");
  ASSERT_TRUE(line.ok() && *line);
  LedgerEntry pay = Entry("2021-05-01", EntryKind::kPayout, -100);
  pay.line_id = (*line)->id;
  ASSERT_TRUE(Append(pay, reg_.h1_head_pid).ok());
  EXPECT_EQ(Append(pay, reg_.h1_head_pid).status().code(),
            StatusCode::kAlreadyExists);
  Delivery del{0, 0, D("2021-05-01"), "", "", "checker", "", "", "dk"};
  ASSERT_TRUE(
      dist.InsertDelivery(d, (*line)->id, del, reg_.h1_head_pid, "t").ok());
  del.client_key = "dk2";
  EXPECT_EQ(dist.InsertDelivery(d, (*line)->id, del, reg_.h1_head_pid, "t")
                .status()
                .code(),
            StatusCode::kAlreadyExists);
  EXPECT_TRUE(RawSqlRefused(database(), "UPDATE coop_lines SET quantity = 9"));
  EXPECT_TRUE(RawSqlRefused(database(), "DELETE FROM coop_deliveries"));
  EXPECT_TRUE(
      RawSqlRefused(database(), "UPDATE coop_distributions SET name = 'x'"));
  // A prepared distribution cannot be approved by its preparer.
  Distribution x;
  x.code = "hay";
  x.kind = DistributionKind::kInKind;
  x.name = "x";
  x.item = "ram";
  x.area_code = 18140;
  x.eligibility = "true";
  x.quantity = "1";
  x.cutoff_on = D("2021-04-01");
  auto item = dist.FindItem("ram");
  auto id = dist.InsertDistribution(x, 0, 0, (*item)->id, "maker", "t");
  ASSERT_TRUE(id.ok());
  EXPECT_TRUE(RawSqlRefused(database(),
                            "UPDATE coop_distributions SET status = "
                            "'approved', approved_by = prepared_by WHERE "
                            "code = 'hay'"));
  EXPECT_FALSE(dist.Approve(*id, "maker", "t", {}, 0, 0).ok());

  Warehouse w{0, "w1", "Reserve", "", 18140, "", 0, "", ""};
  auto wid = repo_->InsertWarehouse(w, 0, "maker", "t");
  ASSERT_TRUE(wid.ok());
  FeedMovement m;
  m.on = D("2020-10-01");
  m.kind = MovementKind::kReceived;
  m.kg = 500;
  auto received = repo_->AppendMovement(m, *wid, "maker", "t");
  ASSERT_TRUE(received.ok());
  // Feed leaves for a line once; a movement is reversed once.
  FeedMovement out;
  out.on = D("2021-05-01");
  out.kind = MovementKind::kDistributed;
  out.kg = -100;
  out.household_id = "H1";
  out.line_id = (*line)->id;
  ASSERT_TRUE(repo_->AppendMovement(out, *wid, "maker", "t").ok());
  EXPECT_EQ(repo_->AppendMovement(out, *wid, "maker", "t").status().code(),
            StatusCode::kAlreadyExists);
  FeedMovement back;
  back.on = D("2021-05-02");
  back.kind = MovementKind::kReversal;
  back.kg = -500;
  back.reverses = *received;
  ASSERT_TRUE(repo_->AppendMovement(back, *wid, "maker", "t").ok());
  EXPECT_EQ(repo_->AppendMovement(back, *wid, "maker", "t").status().code(),
            StatusCode::kAlreadyExists);
  EXPECT_TRUE(
      RawSqlRefused(database(), "UPDATE coop_feed_movements SET kg = 1"));
  EXPECT_TRUE(RawSqlRefused(database(), "DELETE FROM coop_feed_movements"));
}

// One fund entry per member of a remittance; an insurance request is paid
// once and never by its preparer.
TEST_P(CoopRepositoryTest, InsuranceFromTheFundOncePerMemberAndApprover) {
  insurance::Remittance r;
  r.payer = "Хоршоо 1";
  r.paid_on = D("2020-02-01");
  r.amount = r.allocated = 2000;
  r.client_key = "r1";
  auto& insurance = Get<insurance::Repository>();
  ASSERT_TRUE(insurance.Append({}, r, {}, {}, {"maker", ""}).ok());
  auto stored = insurance.FindRemittanceByClientKey("maker", "r1");
  ASSERT_TRUE(stored.ok() && *stored) << stored.status().ToString();
  const std::optional<int64_t> rem = (*stored)->id;
  ASSERT_TRUE(Append(Entry("2020-01-01", EntryKind::kSales, 90000)).ok());
  LedgerEntry e = Entry("2020-02-01", EntryKind::kInsurance, -1000);
  e.register_no = reg_.h1_head;
  e.remittance_id = *rem;
  ASSERT_TRUE(Append(e, reg_.h1_head_pid).ok());
  EXPECT_EQ(Append(e, reg_.h1_head_pid).status().code(),
            StatusCode::kAlreadyExists);
  e.register_no = reg_.h2_head;
  EXPECT_TRUE(Append(e, reg_.h2_head_pid).ok());

  auto& ins = Get<InsurancePaymentRepository>();
  InsurancePayment p;
  p.coop_id = coop_;
  p.soum_code = 18140;
  p.on = D("2020-02-01");
  p.members = "[]";
  p.amount = 2000;
  p.prepared_by = "maker";
  p.prepared_at = "t";
  p.client_key = "ik";
  auto id = ins.InsertInsurancePayment(p);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(ins.InsertInsurancePayment(p).status().code(),
            StatusCode::kAlreadyExists);
  auto found = ins.FindInsurancePaymentByClientKey("maker", "ik");
  ASSERT_TRUE(found.ok() && *found);
  EXPECT_EQ((*found)->coop_code, "c1");
  EXPECT_EQ((*found)->on, D("2020-02-01"));
  EXPECT_FALSE((*found)->paid());
  EXPECT_FALSE(ins.MarkInsurancePaid(*id, "maker", "t2", *rem).ok());
  ASSERT_TRUE(ins.MarkInsurancePaid(*id, "checker", "t2", *rem).ok());
  EXPECT_EQ(ins.MarkInsurancePaid(*id, "other", "t3", *rem).code(),
            StatusCode::kFailedPrecondition);
  auto paid = ins.FindInsurancePayment(*id);
  ASSERT_TRUE(paid.ok() && *paid);
  EXPECT_EQ((*paid)->approved_by, "checker");
  EXPECT_EQ((*paid)->remittance_id, *rem);
  EXPECT_EQ(ins.InsurancePayments(coop_)->size(), 1u);
  EXPECT_TRUE(RawSqlRefused(
      database(), "UPDATE coop_insurance_payments SET approved_by = 'x'"));
  EXPECT_TRUE(RawSqlRefused(database(), "DELETE FROM coop_insurance_payments"));
}

TEST_P(CoopRepositoryTest, DistributionsLinesAndDeliveries) {
  const int64_t d = ApprovedDistribution();
  auto& dist = Get<DistributionRepository>();
  auto found = dist.FindDistribution("rams");
  ASSERT_TRUE(found.ok() && *found);
  EXPECT_EQ((*found)->status, DistributionStatus::kApproved);
  EXPECT_EQ((*found)->approved_by, "checker");
  EXPECT_EQ((*found)->item, "ram");
  EXPECT_EQ((*found)->households, 2);
  EXPECT_EQ((*found)->total_value, 2400000);
  EXPECT_EQ(dist.Distributions(DistributionKind::kInKind)->size(), 1u);
  EXPECT_EQ(dist.Distributions(DistributionKind::kFeed)->size(), 0u);
  EXPECT_EQ(dist.Distributions(std::nullopt)->size(), 1u);
  auto line = dist.FindLine(d, "H2");
  ASSERT_TRUE(line.ok() && *line);
  EXPECT_EQ((*line)->payee_register_no, reg_.h2_head);
  EXPECT_EQ((*line)->payee_birth_date, D("1995-02-10"));
  EXPECT_EQ((*line)->quantity, 2);
  EXPECT_FALSE((*line)->delivery);
  Delivery del{0,         0,  D("2021-05-01"), "",   "",
               "checker", "", "at the bag",    "key"};
  ASSERT_TRUE(
      dist.InsertDelivery(d, (*line)->id, del, reg_.h2_spouse_pid, "t").ok());
  line = dist.FindLine(d, "H2");
  ASSERT_TRUE((*line)->delivery);
  EXPECT_EQ((*line)->delivery->received_by, reg_.h2_spouse);
  EXPECT_EQ((*line)->delivery->note, "at the bag");
  auto page = dist.Lines(d, false, 0, 10);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 2);
  EXPECT_EQ(page->items[0].household_id, "H1");
  page = dist.Lines(d, true, 0, 10);
  EXPECT_EQ(page->total, 1);
  EXPECT_EQ(dist.FindDistribution("rams")->value().delivered, 1);
  auto by_key = dist.FindDeliveryByClientKey("checker", "key");
  ASSERT_TRUE(by_key.ok() && *by_key);
  EXPECT_EQ((*by_key)->first, "H2");
}

TEST_P(CoopRepositoryTest, FeedTrainingsBusinessesAndCounts) {
  Warehouse w{0, "w1", "Reserve", "c1", 18140, "2", 90000, "", ""};
  auto wid = repo_->InsertWarehouse(w, coop_, "maker", "t");
  ASSERT_TRUE(wid.ok());
  auto found = repo_->FindWarehouse("w1");
  ASSERT_TRUE(found.ok() && *found);
  EXPECT_EQ((*found)->coop_code, "c1");
  EXPECT_EQ((*found)->capacity_kg, 90000);
  FeedMovement m;
  m.on = D("2020-10-01");
  m.kind = MovementKind::kReceived;
  m.feed = FeedType::kFodder;
  m.kg = 500;
  m.client_key = "f1";
  ASSERT_TRUE(repo_->AppendMovement(m, *wid, "maker", "t").ok());
  m.on = D("2021-01-10");
  m.kind = MovementKind::kLoss;
  m.kg = -50;
  m.client_key.clear();
  ASSERT_TRUE(repo_->AppendMovement(m, *wid, "maker", "t").ok());
  EXPECT_EQ(repo_->Stock(*wid, D("2020-12-31"))->fodder_kg, 500);
  EXPECT_EQ(repo_->Stock(*wid, D("2021-12-31"))->fodder_kg, 450);
  EXPECT_EQ(repo_->Movements(*wid)->size(), 2u);
  EXPECT_TRUE(*repo_->FindMovementByClientKey("maker", "f1"));
  EXPECT_EQ(repo_->Warehouses({18125})->size(), 0u);
  EXPECT_EQ(repo_->Warehouses({})->size(), 1u);

  auto& t = Get<TrainingRepository>();
  Training tr;
  tr.code = "ls";
  tr.title = "Life skills";
  tr.soum_code = 18140;
  tr.starts_on = D("2021-05-10");
  tr.ends_on = D("2021-05-12");
  auto tid = t.InsertTraining(tr, "maker", "t");
  ASSERT_TRUE(tid.ok()) << tid.status().ToString();
  ASSERT_TRUE(t.InsertAttendance(*tid, reg_.h1_head_pid, true, "m", "t").ok());
  ASSERT_TRUE(t.InsertAttendance(*tid, reg_.h3_head_pid, false, "m", "t").ok());
  EXPECT_EQ(t.InsertAttendance(*tid, reg_.h1_head_pid, true, "m", "t").code(),
            StatusCode::kAlreadyExists);
  auto att = t.AttendanceOf(*tid);
  ASSERT_TRUE(att.ok());
  ASSERT_EQ(att->size(), 2u);
  EXPECT_EQ(t.FindTraining("ls")->value().attendees, 2);
  EXPECT_EQ(t.TrainingsOf(reg_.h3_head)->at(0).completed, false);
  Business b;
  b.code = "b1";
  b.name = "Dairy";
  b.sector = "dairy";
  b.soum_code = 18140;
  b.started_on = D("2021-08-01");
  auto bid = t.InsertBusiness(b, reg_.h1_head_pid, *tid, "maker", "t");
  ASSERT_TRUE(bid.ok()) << bid.status().ToString();
  LedgerEntry grant;
  grant.book = Book::kSeed;
  grant.on = D("2021-09-01");
  grant.kind = EntryKind::kGrant;
  grant.amount = 2000000;
  ASSERT_TRUE(repo_->AppendEntry(grant, *bid, 18140, 0, "m", "t").ok());
  auto biz = t.FindBusiness("b1");
  ASSERT_TRUE(biz.ok() && *biz);
  EXPECT_EQ((*biz)->seed_balance, 2000000);
  EXPECT_EQ((*biz)->training_code, "ls");
  EXPECT_EQ((*biz)->owner_register_no, reg_.h1_head);

  ASSERT_TRUE(repo_
                  ->InsertMembership(coop_, reg_.h2_head_pid,
                                     MemberRole::kMember, D("2016-01-01"), "m")
                  .ok());
  auto rows = t.StatsRows({}, D("2022-01-01"));
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  int64_t counts[4] = {};
  for (const StatsRow& r : *rows) counts[r.kind] += r.count;
  EXPECT_EQ(counts[0], 1);  // H2's head.
  EXPECT_EQ(counts[1], 2);  // Both attendees.
  EXPECT_EQ(counts[2], 1);
  EXPECT_EQ(counts[3], 0);
  rows = t.StatsRows({0, 18125}, D("2022-01-01"));
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].kind, 1);
  EXPECT_EQ((*rows)[0].born, D("1990-03-15").days());
}

TEST_P(CoopRepositoryTest, CallersSeeTheirAreaOnly) {
  const int64_t d = ApprovedDistribution();
  Warehouse w{0, "w1", "Reserve", "", 18140, "", 0, "", ""};
  ASSERT_TRUE(repo_->InsertWarehouse(w, 0, "maker", "t").ok());
  auto other = Connect({0, 18125}, "ikhuul");
  ASSERT_TRUE(other);
  auto& r = other->Get<Repository>();
  EXPECT_FALSE(*r.FindCooperative("c1"));
  EXPECT_FALSE(*r.FindWarehouse("w1"));
  EXPECT_FALSE(*r.FindPerson(reg_.h1_head));
  EXPECT_TRUE(*r.FindPerson(reg_.h3_head));
  EXPECT_EQ(r.ListCooperatives({}, D("2020-01-01"))->total, 0);
  auto& dist = other->Get<DistributionRepository>();
  EXPECT_FALSE(*dist.FindLine(d, "H1"));
  EXPECT_EQ(dist.Lines(d, false, 0, 10)->total, 0);
}

INSTANTIATE_TEST_SUITE_P(Engines, CoopRepositoryTest,
                         ::testing::ValuesIn(backends::testing::TestEngines()),
                         backends::testing::EngineName);

}  // namespace
}  // namespace malchin::conformance
