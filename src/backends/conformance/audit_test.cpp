// The audit trail on every engine: entries chained in their transactions,
// queries by actor, person and household, and tampering detected.
#include "store/audit.h"

#include <gtest/gtest.h>

#include "auth/accounts.h"
#include "backends/testing/test_database.h"
#include "core/text.h"
#include "registry/repository.h"

namespace malchin::conformance {
namespace {

using backends::testing::EngineTest;
using registry::Household;
using registry::Person;
using store::AuditEntry;
using store::AuditQuery;
using store::PersonRead;

Date D(const char* s) { return *Date::Parse(s); }

class AuditTest : public EngineTest {
 protected:
  void Append(const std::string& id) {
    Status s = session().Write([&]() -> Status {
      AuditEntry e{"officer",    "household.update", "household",    id,
                   std::nullopt, R"({"bag":1})",     R"({"bag":2})", ""};
      return session().Audit(e).status();
    });
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  store::AuditCheck Verify() {
    auto v = session().VerifyAudit();
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    return v.ok() ? *v : store::AuditCheck{};
  }
  registry::Repository& reg() { return Get<registry::Repository>(); }
  // What an attacker with the database owner's rights does first: drops
  // the trigger that refuses `verb` (UPDATE or DELETE) on the trail.
  std::string DropGuard(const std::string& verb) const {
    if (engine() == store::Engine::kSqlite) {
      return "DROP TRIGGER audit_log_no_" + text::ToLower(verb) + "; ";
    }
    return "DROP TRIGGER audit_log_append_only ON audit_log; ";
  }

  static Household Hh(const char* id) {
    Household h;
    h.id = id;
    h.soum_code = h.current_soum_code = 18140;
    return h;
  }
  static Person P(const char* rn, const char* hh, const char* born) {
    Person p;
    p.register_no = rn;
    p.household_id = hh;
    p.father_name = "Батбаяр";
    p.given_name = "Сүхээ";
    p.sex = registry::Sex::kFemale;
    p.birth_date = D(born);
    p.relation = registry::Relation::kHead;
    return p;
  }
};

TEST_P(AuditTest, ChainLinksEveryEntry) {
  for (int i = 0; i < 5; ++i) Append("H" + std::to_string(i));
  store::AuditCheck v = Verify();
  EXPECT_EQ(v.entries, 5);
  EXPECT_TRUE(v.ok()) << v.problem;
  auto all = session().ListAudit({});
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 5u);
  EXPECT_EQ((*all)[0].prev_hash, store::AuditGenesis());
  for (size_t i = 1; i < all->size(); ++i) {
    EXPECT_EQ((*all)[i].seq, (*all)[i - 1].seq + 1);
    EXPECT_EQ((*all)[i].prev_hash, (*all)[i - 1].hash);
  }
}

TEST_P(AuditTest, EditingAnEntryIsDetected) {
  for (int i = 0; i < 5; ++i) Append("H" + std::to_string(i));
  // An attacker with file access drops the trigger and edits entry 3.
  ASSERT_TRUE(backends::testing::ExecRawSql(
                  database(), DropGuard("UPDATE") +
                                  "UPDATE audit_log SET actor = 'someone' "
                                  "WHERE seq = 3")
                  .ok());
  store::AuditCheck v = Verify();
  EXPECT_FALSE(v.ok());
  EXPECT_EQ(v.first_bad_seq, 3);
}

TEST_P(AuditTest, DeletionIsDetected) {
  for (int i = 0; i < 4; ++i) Append("H" + std::to_string(i));
  ASSERT_TRUE(backends::testing::ExecRawSql(
                  database(),
                  DropGuard("DELETE") + "DELETE FROM audit_log WHERE seq = 2")
                  .ok());
  EXPECT_EQ(Verify().first_bad_seq, 3);
}

TEST_P(AuditTest, DatabaseRefusesEditsAndAppendNeedsTransaction) {
  Append("H1");
  EXPECT_TRUE(backends::testing::RawSqlRefused(
      database(), "UPDATE audit_log SET actor = 'x'"));
  EXPECT_TRUE(
      backends::testing::RawSqlRefused(database(), "DELETE FROM audit_log"));
  AuditEntry e{"a",          "b",          "c",          "d",
               std::nullopt, std::nullopt, std::nullopt, ""};
  EXPECT_FALSE(session().Audit(e).ok());
  // Nor inside a read-only transaction.
  EXPECT_FALSE(
      session().Read([&]() { return session().Audit(e).status(); }).ok());
  EXPECT_EQ(Verify().entries, 1);
}

TEST_P(AuditTest, EveryChangeIsAuditedInItsTransaction) {
  ASSERT_TRUE(reg()
                  .Upsert({Hh("A1")}, {P("ИЗ85120320", "A1", "1985-12-03")},
                          {"bold", "test"})
                  .ok());
  Household changed = Hh("A1");
  changed.herd[registry::Species::kGoat] = 7;
  ASSERT_TRUE(reg().Upsert({changed}, {}, {"bold", ""}).ok());
  ASSERT_TRUE(reg().Upsert({changed}, {}, {"bold", ""}).ok());  // No-op.
  ASSERT_TRUE(reg()
                  .DeactivatePerson("ИЗ85120320", {D("2026-01-02"), "died"},
                                    {"saraa", ""})
                  .ok());
  // A failed change leaves no entry.
  EXPECT_FALSE(reg()
                   .Upsert({Hh("A2")}, {P("ИЗ85120420", "NOPE", "1985-12-04")},
                           {"bold", ""})
                   .ok());
  ASSERT_TRUE(session()
                  .RecordPersonReads({{"saraa", "ИЗ85120320", "A1",
                                       "GET /api/v1/persons", ""}})
                  .ok());
  auto all = session().ListAudit({});
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  std::vector<std::string> actions;
  for (const auto& e : *all) actions.push_back(e.action + ":" + e.actor);
  EXPECT_EQ(actions, (std::vector<std::string>{
                         "household.create:bold", "person.create:bold",
                         "household.update:bold", "person.deactivate:saraa",
                         "person.read:saraa"}));
  EXPECT_NE((*all)[2].before_json->find("\"goat\":0"), std::string::npos);
  EXPECT_NE((*all)[2].after_json->find("\"goat\":7"), std::string::npos);
  AuditQuery by_person;
  by_person.register_no = "ИЗ85120320";
  EXPECT_EQ(session().ListAudit(by_person)->size(), 3u);
  AuditQuery by_household;
  by_household.household_id = "A1";
  EXPECT_EQ(session().ListAudit(by_household)->size(), 5u);
  AuditQuery by_actor;
  by_actor.actor = "saraa";
  by_actor.after_seq = 4;
  EXPECT_EQ(session().ListAudit(by_actor)->size(), 1u);
  store::AuditCheck check = Verify();
  EXPECT_TRUE(check.ok());
  EXPECT_EQ(check.entries, 5);
}

// What an auditor looks for: today's entries first, one kind of action, one
// area (people and households there, and the officers of that area).
TEST_P(AuditTest, NewestFirstByActionAndArea) {
  auto& accounts = Get<auth::AccountRepository>();
  for (auto [name, area] : {std::pair{"saraa", 18140},
                            {"tuya", 181},
                            {"dorj", 21150},
                            {"bold", 0}}) {
    ASSERT_TRUE(accounts
                    .CreateUser({0, name, "$argon2id$x", "soum_officer", area,
                                 false, "2026-11-22T10:00:00Z", ""})
                    .ok());
  }
  Household far = Hh("B1");
  far.soum_code = far.current_soum_code = 21150;
  // Seqs below are counted from here (creating accounts may be audited).
  const int64_t base = [&] {
    auto all = session().ListAudit({});
    return all.ok() && !all->empty() ? all->back().seq : int64_t{0};
  }();
  ASSERT_TRUE(reg()
                  .Upsert({Hh("A1"), far},
                          {P("ИЗ85120320", "A1", "1985-12-03"),
                           P("ИЗ85120420", "B1", "1985-12-04")},
                          {"bold", ""})
                  .ok());  // seq 1-4: households A1, B1, persons.
  ASSERT_TRUE(session()
                  .RecordPersonReads({{"dorj", "ИЗ85120420", "B1", "GET", ""},
                                      {"tuya", "ИЗ85120320", "A1", "GET", ""}})
                  .ok());  // seq 5, 6
  Append("Z9");            // seq 7: by "officer", about no register household.
  auto seqs = [&](const AuditQuery& q) {
    std::vector<int64_t> out;
    auto listed = session().ListAudit(q);
    EXPECT_TRUE(listed.ok()) << listed.status().ToString();
    if (!listed.ok()) return out;
    for (const auto& e : *listed) out.push_back(e.seq - base);
    return out;
  };
  AuditQuery newest;
  newest.newest_first = true;
  newest.limit = 3;
  EXPECT_EQ(seqs(newest), (std::vector<int64_t>{7, 6, 5}));
  newest.before_seq = base + 5;
  EXPECT_EQ(seqs(newest), (std::vector<int64_t>{4, 3, 2}));
  AuditQuery reads;
  reads.action = "person";
  EXPECT_EQ(seqs(reads).size(), 4u);  // person.create x2, person.read x2
  reads.action = "person.read";
  EXPECT_EQ(seqs(reads), (std::vector<int64_t>{5, 6}));
  reads.action = "pers";  // A prefix of a word is not a kind of action.
  EXPECT_TRUE(seqs(reads).empty());
  AuditQuery aimag;
  aimag.area = store::AreaFilter::FromCode(181);
  // A1's household and person, and the read by the aimag's officer (tuya,
  // about A1); not dorj's read of B1 or anything in aimag 211.
  std::vector<int64_t> in_aimag = seqs(aimag);
  std::vector<int64_t> expected;
  auto all = session().ListAudit({});
  ASSERT_TRUE(all.ok());
  for (const auto& e : *all) {
    const bool a1 = e.entity_id == "A1" || e.register_no == "ИЗ85120320";
    if (a1 || e.actor == "tuya") expected.push_back(e.seq - base);
  }
  EXPECT_EQ(in_aimag, expected);
  AuditQuery soum;
  soum.area = store::AreaFilter::FromCode(21150);
  soum.action = "person.read";
  EXPECT_EQ(seqs(soum), (std::vector<int64_t>{5}));
  soum.area = store::AreaFilter::FromCode(18140);    // tuya is the aimag's.
  EXPECT_EQ(seqs(soum), (std::vector<int64_t>{6}));  // ...but about A1.
}

// A batch of reads (the server's group commit) is chained entry by entry,
// and the queries of the trail by person and by household stay on indexes
// (SQLite: migration 11 keeps person reads out of audit_entity).
TEST_P(AuditTest, BatchedReadsAreChainedAndFoundByIndex) {
  ASSERT_TRUE(reg()
                  .Upsert({Hh("A1")}, {P("ИЗ85120320", "A1", "1985-12-03")},
                          {"bold", ""})
                  .ok());
  std::vector<PersonRead> batch;
  for (int i = 0; i < 5; ++i) {
    batch.push_back({i % 2 ? "saraa" : "bold", "ИЗ85120320", "A1",
                     "GET /api/v1/persons", ""});
  }
  ASSERT_TRUE(session().RecordPersonReads(batch).ok());
  ASSERT_TRUE(session().RecordPersonReads(batch).ok());
  store::AuditCheck check = Verify();
  EXPECT_TRUE(check.ok()) << check.problem;
  EXPECT_EQ(check.entries, 2 + 10);
  AuditQuery by_person;
  by_person.register_no = "ИЗ85120320";
  EXPECT_EQ(session().ListAudit(by_person)->size(), 11u);  // create + reads
  AuditQuery by_household;
  by_household.household_id = "A1";
  EXPECT_EQ(session().ListAudit(by_household)->size(), 12u);
  if (engine() != store::Engine::kSqlite) return;  // Plans: SQLite's own.
  auto plans =
      backends::testing::PreparedQueryPlans(session(), "FROM audit_log WHERE");
  ASSERT_TRUE(plans.ok()) << plans.status().ToString();
  int checked = 0;
  for (const std::string& plan : *plans) {
    if (plan.find("entity_id = ?4") == std::string::npos) continue;
    ++checked;
    EXPECT_NE(plan.find("audit_entity"), std::string::npos) << plan;
    EXPECT_NE(plan.find("audit_person"), std::string::npos) << plan;
  }
  EXPECT_EQ(checked, 1);
}

// Tampering through the database file is found after a restart, in an
// entry a repository wrote.
TEST_P(AuditTest, TamperingIsDetectedAfterReopening) {
  ASSERT_TRUE(reg().Upsert({Hh("A1")}, {}, {"bold", ""}).ok());
  ASSERT_TRUE(reg().Upsert({Hh("A2")}, {}, {"bold", ""}).ok());
  CloseSession();
  // The triggers refuse edits; an attacker drops them first.
  ASSERT_TRUE(backends::testing::ExecRawSql(
                  database(), DropGuard("UPDATE") +
                                  "UPDATE audit_log SET actor = 'mallory' "
                                  "WHERE seq = 1")
                  .ok());
  ASSERT_TRUE(Reconnect().ok());
  store::AuditCheck check = Verify();
  EXPECT_FALSE(check.ok());
  EXPECT_EQ(check.first_bad_seq, 1);
}

INSTANTIATE_TEST_SUITE_P(Engines, AuditTest,
                         ::testing::ValuesIn(backends::testing::TestEngines()),
                         backends::testing::EngineName);

}  // namespace
}  // namespace malchin::conformance
