#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "backends/testing/test_database.h"
#include "insurance/repository.h"
#include "registry/repository.h"

namespace malchin::conformance {
namespace {

using backends::testing::EngineTest;
using backends::testing::RawSqlRefused;
using insurance::CoverageUpdate;
using insurance::InKindValuation;
using insurance::InsuranceScheme;
using insurance::LedgerEntry;
using insurance::PaymentMethod;
using insurance::Remittance;
using insurance::ServiceCredit;
using insurance::Visit;
using insurance::VisitOutcome;
using store::AreaFilter;

registry::Household Hh(const std::string& id, int32_t soum) {
  registry::Household h;
  h.id = id;
  h.soum_code = soum;
  h.current_soum_code = soum;
  h.bag = "2";
  h.herder = true;
  h.phone = "99112233";
  h.lat = 48.7;
  h.lon = 98.2;
  return h;
}

registry::Person Pn(const std::string& rn, const std::string& hh,
                    registry::Sex sex, const char* birth) {
  registry::Person p;
  p.register_no = rn;
  p.household_id = hh;
  p.father_name = "Бат";
  p.given_name = "Туяа";
  p.sex = sex;
  p.birth_date = *Date::Parse(birth);
  p.relation = registry::Relation::kHead;
  p.herder = true;
  return p;
}

class InsuranceRepositoryTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    auto w = Get<registry::Repository>().Upsert(
        {Hh("H1", 18140), Hh("H2", 18125)},
        {Pn("ИЗ85120320", "H1", registry::Sex::kFemale, "1985-12-03"),
         Pn("ИБ70010152", "H2", registry::Sex::kMale, "1970-01-01")},
        {"test", "fixture"});
    ASSERT_TRUE(w.ok()) << w.status().message();
    ins_ = &Get<insurance::Repository>();
  }
  int64_t AuditEntries() {
    auto chain = session().VerifyAudit();
    EXPECT_TRUE(chain.ok()) << chain.status().ToString();
    EXPECT_TRUE(chain.ok() && chain->ok()) << chain->problem;
    return chain.ok() ? chain->entries : -1;
  }
  LedgerEntry Entry(const std::string& rn, int64_t amount) {
    LedgerEntry e;
    e.register_no = rn;
    e.scheme = InsuranceScheme::kHealth;
    e.first_month = 2025 * 12 + 2;
    e.months = 3;
    e.paid_on = *Date::Parse("2025-03-10");
    e.amount = amount;
    e.due = 19800;
    e.method = PaymentMethod::kCash;
    return e;
  }

  insurance::Repository* ins_ = nullptr;
};

TEST_P(InsuranceRepositoryTest, AppendReadBackWithCoverageAndAudit) {
  LedgerEntry e = Entry("ИЗ85120320", 19800);
  e.method = PaymentMethod::kInKind;
  e.in_kind = InKindValuation{"sheep", 1, 180000, *Date::Parse("2024-01-01"),
                              "insurance.in_kind.sheep"};
  CoverageUpdate c{
      "ИЗ85120320", InsuranceScheme::kHealth, {{2025 * 12 + 2, 2025 * 12 + 4}}};
  auto ids = ins_->Append({}, std::nullopt, {e}, {c}, {"officer", "cli"});
  ASSERT_TRUE(ids.ok()) << ids.status().message();
  ASSERT_EQ(ids->size(), 1u);
  auto got = ins_->Entries({}, "ИЗ85120320");
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ((*got)[0].in_kind, e.in_kind);
  EXPECT_EQ((*got)[0].amount, 19800);
  EXPECT_EQ((*got)[0].actor, "officer");
  auto cov = ins_->Coverage({}, "ИЗ85120320", InsuranceScheme::kHealth);
  ASSERT_TRUE(cov.ok());
  EXPECT_EQ(*cov, c.spans);
  EXPECT_GE(AuditEntries(), 1);
}

TEST_P(InsuranceRepositoryTest, AppendOnlyAndOneReversalPerEntry) {
  auto ids = ins_->Append({}, std::nullopt, {Entry("ИЗ85120320", 19800)}, {},
                          {"officer", ""});
  ASSERT_TRUE(ids.ok());
  EXPECT_TRUE(
      RawSqlRefused(database(), "UPDATE insurance_entries SET amount = 1"));
  EXPECT_TRUE(RawSqlRefused(database(), "DELETE FROM insurance_entries"));
  LedgerEntry rev = Entry("ИЗ85120320", -19800);
  rev.reverses = (*ids)[0];
  ASSERT_TRUE(ins_->Append({}, std::nullopt, {rev}, {}, {}).ok());
  auto again = ins_->Append({}, std::nullopt, {rev}, {}, {});
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  // A positive "reversal" is refused by the database.
  LedgerEntry bad = Entry("ИЗ85120320", 5);
  bad.reverses = (*ids)[0];
  EXPECT_FALSE(ins_->Append({}, std::nullopt, {bad}, {}, {}).ok());
}

TEST_P(InsuranceRepositoryTest, ClientKeyIsUniquePerActorInTheDatabase) {
  LedgerEntry e = Entry("ИЗ85120320", 19800);
  e.client_key = "k-1";
  auto ids = ins_->Append({}, std::nullopt, {e}, {}, {"tos", "api"});
  ASSERT_TRUE(ids.ok()) << ids.status().message();
  auto found = ins_->FindEntryByClientKey({}, "tos", "k-1");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, (*ids)[0]);
  EXPECT_EQ((*found)->client_key, "k-1");
  EXPECT_FALSE(ins_->FindEntryByClientKey({}, "zav", "k-1")->has_value());
  EXPECT_FALSE(ins_->FindEntryByClientKey({0, 18125}, "tos", "k-1")
                   ->has_value());  // Outside the area.
  // The same actor and key again: refused by the UNIQUE index, whatever
  // the payment; nothing is written.
  auto again = ins_->Append({}, std::nullopt, {Entry("ИБ70010152", 5)}, {},
                            {"tos", "api"});
  ASSERT_TRUE(again.ok());
  LedgerEntry dup = Entry("ИБ70010152", 7);
  dup.client_key = "k-1";
  auto refused = ins_->Append({}, std::nullopt, {dup}, {}, {"tos", "api"});
  EXPECT_EQ(refused.status().code(), StatusCode::kAlreadyExists)
      << refused.status().message();
  EXPECT_EQ(*ins_->CountEntries({}), 2);
  // Another actor may use the same key; entries without a key never clash.
  EXPECT_TRUE(ins_->Append({}, std::nullopt, {dup}, {}, {"zav", "api"}).ok());
  // Remittances: the same rule.
  Remittance rem;
  rem.payer = "coop";
  rem.paid_on = *Date::Parse("2025-03-10");
  rem.amount = rem.unallocated = 1000;
  rem.client_key = "r-1";
  ASSERT_TRUE(ins_->Append({}, rem, {}, {}, {"tos", "api"}).ok());
  auto r = ins_->FindRemittanceByClientKey("tos", "r-1");
  ASSERT_TRUE(r.ok() && r->has_value());
  EXPECT_EQ((*r)->payer, "coop");
  EXPECT_EQ((*r)->actor, "tos");
  EXPECT_TRUE(ins_->RemittanceEntries({}, (*r)->id)->empty());
  EXPECT_EQ(ins_->Append({}, rem, {}, {}, {"tos", "api"}).status().code(),
            StatusCode::kAlreadyExists);
}

// What a reversal may reverse: an entry of the area, about the same person
// and scheme, that is not itself a reversal, once, for at most its amount.
TEST_P(InsuranceRepositoryTest, WhatAReversalMayReverse) {
  auto ids = ins_->Append({}, std::nullopt,
                          {Entry("ИЗ85120320", 19800), Entry("ИБ70010152", 5)},
                          {}, {"officer", ""});
  ASSERT_TRUE(ids.ok()) << ids.status().message();
  int64_t audit_before = AuditEntries();
  LedgerEntry rev = Entry("ИБ70010152", -19800);  // Another person.
  rev.reverses = (*ids)[0];
  EXPECT_EQ(ins_->Append({}, std::nullopt, {rev}, {}, {}).status().code(),
            StatusCode::kInvalidArgument);
  rev = Entry("ИЗ85120320", -19800);
  rev.scheme = InsuranceScheme::kSocial;  // Another scheme.
  rev.reverses = (*ids)[0];
  EXPECT_EQ(ins_->Append({}, std::nullopt, {rev}, {}, {}).status().code(),
            StatusCode::kInvalidArgument);
  rev = Entry("ИЗ85120320", -19800);
  rev.reverses = (*ids)[0] + 100;  // No such entry.
  EXPECT_EQ(ins_->Append({}, std::nullopt, {rev}, {}, {}).status().code(),
            StatusCode::kNotFound);
  rev.reverses = (*ids)[0];  // Outside the area asked for.
  EXPECT_EQ(
      ins_->Append({0, 18125}, std::nullopt, {rev}, {}, {}).status().code(),
      StatusCode::kPermissionDenied);
  EXPECT_EQ(AuditEntries(), audit_before);  // Nothing written.
  auto first = ins_->Append({}, std::nullopt, {rev}, {}, {});
  ASSERT_TRUE(first.ok()) << first.status().message();
  LedgerEntry again = Entry("ИЗ85120320", 19800);
  again.reverses = (*first)[0];  // A reversal of the reversal.
  auto refused = ins_->Append({}, std::nullopt, {again}, {}, {});
  EXPECT_EQ(refused.status().code(), StatusCode::kFailedPrecondition)
      << refused.status().message();
  EXPECT_EQ(*ins_->CountEntries({}), 3);
}

// Two app servers recording the same idempotency key at the same moment
// record one entry (one visit); the other is told the key was used.
TEST_P(InsuranceRepositoryTest, TwoSessionsWithTheSameKeyRecordOne) {
  auto first = Connect({}, "tos");
  auto second = Connect({}, "tos");
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  constexpr int kRounds = 8;
  for (int round = 0; round < kRounds; ++round) {
    LedgerEntry e = Entry("ИЗ85120320", 19800);
    e.client_key = "race-" + std::to_string(round);
    Visit v;
    v.register_no = "ИБ70010152";
    v.visited_on = *Date::Parse("2025-05-01");
    v.outcome = VisitOutcome::kEnrolled;
    v.client_key = e.client_key;
    std::atomic<int> ready{0};
    Status paid[2], visited[2];
    auto run = [&](store::Session* s, int i) {
      auto& ins = s->Get<insurance::Repository>();
      ready.fetch_add(1);
      while (ready.load() < 2) {
      }
      paid[i] = ins.Append({}, std::nullopt, {e}, {}, {"tos", "api"}).status();
      visited[i] = ins.AddVisit({}, v, {"tos", "api"}).status();
    };
    std::thread a(run, first.get(), 0), b(run, second.get(), 1);
    a.join();
    b.join();
    for (Status* st : {paid, visited}) {
      EXPECT_NE(st[0].ok(), st[1].ok())
          << st[0].ToString() << " / " << st[1].ToString();
      const Status& loser = st[0].ok() ? st[1] : st[0];
      EXPECT_EQ(loser.code(), StatusCode::kAlreadyExists) << loser.ToString();
      EXPECT_NE(loser.message().find("idempotency key"), std::string::npos)
          << loser.message();
    }
  }
  EXPECT_EQ(*ins_->CountEntries({}), kRounds);
  EXPECT_EQ(ins_->Visits({}, "ИБ70010152")->size(), size_t{kRounds});
}

TEST_P(InsuranceRepositoryTest, VisitClientKeyIsUniquePerOfficerInTheDatabase) {
  Visit v;
  v.register_no = "ИЗ85120320";
  v.visited_on = *Date::Parse("2025-05-01");
  v.outcome = VisitOutcome::kRefused;
  v.client_key = "v-1";
  int64_t audit_before = AuditEntries();
  auto id = ins_->AddVisit({}, v, {"tos", "api"});  // Officer: the actor.
  ASSERT_TRUE(id.ok()) << id.status().message();
  auto found = ins_->FindVisitByClientKey({}, "tos", "v-1");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->id, *id);
  EXPECT_EQ((*found)->officer, "tos");
  EXPECT_EQ((*found)->client_key, "v-1");
  EXPECT_EQ((*found)->register_no, "ИЗ85120320");
  EXPECT_FALSE(ins_->FindVisitByClientKey({}, "zav", "v-1")->has_value());
  EXPECT_FALSE(ins_->FindVisitByClientKey({0, 18125}, "tos", "v-1")
                   ->has_value());  // Outside the area.
  // The same officer and key again, whatever the visit: refused by the
  // UNIQUE index, nothing written (no visit, no audit entry).
  Visit other = v;
  other.outcome = VisitOutcome::kEnrolled;
  EXPECT_EQ(ins_->AddVisit({}, other, {"tos", "api"}).status().code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(ins_->Visits({}, "ИЗ85120320")->size(), 1u);
  EXPECT_TRUE(RawSqlRefused(database(),
                            "INSERT INTO insurance_visits (pid, visited_on, "
                            "outcome, officer, recorded_at, client_key) SELECT "
                            "pid, '2025-05-02', 'enrolled', 'tos', 'now', "
                            "'v-1' FROM persons LIMIT 1"));
  // Another officer may use the same key; visits without a key never clash.
  EXPECT_TRUE(ins_->AddVisit({}, other, {"zav", "api"}).ok());
  other.client_key.clear();
  EXPECT_TRUE(ins_->AddVisit({}, other, {"tos", "cli"}).ok());
  EXPECT_TRUE(ins_->AddVisit({}, other, {"tos", "cli"}).ok());
  EXPECT_EQ(ins_->Visits({}, "ИЗ85120320")->size(), 4u);
  EXPECT_EQ(AuditEntries(), audit_before + 4);  // One per visit recorded.
}

TEST_P(InsuranceRepositoryTest, AreaScoping) {
  AreaFilter tosontsengel{0, 18140};
  EXPECT_TRUE(ins_->FindPerson(tosontsengel, "ИЗ85120320")->has_value());
  EXPECT_FALSE(ins_->FindPerson(tosontsengel, "ИБ70010152")->has_value());
  auto r =
      ins_->Append(tosontsengel, std::nullopt,
                   {Entry("ИЗ85120320", 1), Entry("ИБ70010152", 1)}, {}, {});
  EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(*ins_->CountEntries({}), 0);  // Nothing half-written.
  Visit v;
  v.register_no = "ИБ70010152";
  v.visited_on = *Date::Parse("2025-05-01");
  v.outcome = VisitOutcome::kRefused;
  EXPECT_EQ(ins_->AddVisit(tosontsengel, v, {}).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_TRUE(ins_->AddVisit({}, v, {}).ok());
  EXPECT_EQ(ins_->Visits({}, "ИБ70010152")->size(), 1u);
  EXPECT_TRUE(ins_->Visits(tosontsengel, "ИБ70010152")->empty());
}

// The area each method is given is intersected with the caller's: a
// Tosontsengel session asking for the whole country sees Tosontsengel.
TEST_P(InsuranceRepositoryTest, TheCallersAreaLimitsEveryMethod) {
  ASSERT_TRUE(ins_->Append({}, std::nullopt,
                           {Entry("ИЗ85120320", 1), Entry("ИБ70010152", 1)}, {},
                           {})
                  .ok());
  auto tos = Connect({0, 18140}, "tos");
  ASSERT_NE(tos, nullptr);
  auto& scoped = tos->Get<insurance::Repository>();
  EXPECT_TRUE(scoped.FindPerson({}, "ИЗ85120320")->has_value());
  EXPECT_FALSE(scoped.FindPerson({}, "ИБ70010152")->has_value());
  EXPECT_TRUE(scoped.Entries({}, "ИБ70010152")->empty());
  EXPECT_EQ(*scoped.CountEntries({}), 1);
  EXPECT_EQ(scoped.LoadSnapshot({}, {})->persons(), 1u);
  EXPECT_EQ(scoped.Append({}, std::nullopt, {Entry("ИБ70010152", 1)}, {}, {})
                .status()
                .code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(*ins_->CountEntries({}), 2);
}

TEST_P(InsuranceRepositoryTest, RemittanceAndSnapshot) {
  Remittance rem;
  rem.payer = "Altan Khuder coop";
  rem.paid_on = *Date::Parse("2025-03-10");
  rem.amount = 50000;
  rem.allocated = 39600;
  rem.unallocated = 10400;
  LedgerEntry a = Entry("ИЗ85120320", 19800);
  LedgerEntry b = Entry("ИБ70010152", 19800);
  a.method = b.method = PaymentMethod::kCooperative;
  CoverageUpdate ca{
      "ИЗ85120320", InsuranceScheme::kHealth, {{24302, 24304}, {24310, 24311}}};
  auto ids = ins_->Append({}, rem, {a, b}, {ca}, {});
  ASSERT_TRUE(ids.ok()) << ids.status().message();
  EXPECT_NE(ins_->FindEntry({}, (*ids)[1]).value()->remittance_id, 0);
  ServiceCredit credit{"ИБ70010152", 120, 100, 2018 * 12, 400000, "SIGO book"};
  ASSERT_TRUE(ins_->AddServiceCredit({}, credit, {}).ok());
  auto snap = ins_->LoadSnapshot({}, {});
  ASSERT_TRUE(snap.ok()) << snap.status().message();
  ASSERT_EQ(snap->persons(), 2u);
  size_t p = snap->register_no[0] == "ИЗ85120320" ? 0 : 1;
  EXPECT_TRUE(snap->Covered(p, InsuranceScheme::kHealth, 24303));
  EXPECT_FALSE(snap->Covered(p, InsuranceScheme::kHealth, 24305));
  EXPECT_TRUE(snap->Covered(p, InsuranceScheme::kHealth, 24311));
  EXPECT_FALSE(snap->Covered(1 - p, InsuranceScheme::kHealth, 24303));
  EXPECT_EQ(snap->credit_months[1 - p], 120);
  auto scoped = ins_->LoadSnapshot({0, 18125}, {});
  ASSERT_TRUE(scoped.ok());
  ASSERT_EQ(scoped->persons(), 1u);
  EXPECT_EQ(scoped->register_no[0], "ИБ70010152");
  EXPECT_EQ(scoped->phone[0], "");
  EXPECT_EQ(scoped->household_phone[0], "99112233");
}

TEST_P(InsuranceRepositoryTest, SeedOnlyIntoAnEmptyLedger) {
  auto snap = ins_->LoadSnapshot({}, {});
  ASSERT_TRUE(snap.ok());
  insurance::Repository::SeedRows rows;
  rows.entry_person = {0};
  rows.entries = {Entry("", 19800)};
  rows.coverage_person = {0};
  rows.coverage = {{"", InsuranceScheme::kHealth, {{24302, 24304}}}};
  ASSERT_TRUE(ins_->Seed(*snap, rows, {"demo", "seed 1"}).ok());
  EXPECT_EQ(*ins_->CountEntries({}), 1);
  EXPECT_EQ(ins_->Seed(*snap, rows, {}).code(),
            StatusCode::kFailedPrecondition);
}

INSTANTIATE_TEST_SUITE_P(Engines, InsuranceRepositoryTest,
                         ::testing::ValuesIn(backends::testing::TestEngines()),
                         backends::testing::EngineName);

}  // namespace
}  // namespace malchin::conformance
