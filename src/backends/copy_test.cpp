// malchin copy: SQLite -> SQLite, and SQLite -> PostgreSQL -> SQLite when a
// test cluster is available: the same rows, the audit chain intact, the
// target refused when not empty.
#include "backends/copy.h"

#include <gtest/gtest.h>

#include "auth/accounts.h"
#include "backends/testing/test_database.h"
#include "registry/repository.h"
#include "store/audit.h"

namespace malchin::backends {
namespace {

using testing::TestDatabase;

registry::Household Hh(const char* id, int32_t soum) {
  registry::Household h;
  h.id = id;
  h.soum_code = h.current_soum_code = soum;
  h.herder = true;
  h.lat = 47.25;
  h.herd.head[static_cast<int>(registry::Species::kSheep)] = 120;
  return h;
}

registry::Person P(const char* rn, const char* hh, const char* born) {
  registry::Person p;
  p.register_no = rn;
  p.household_id = hh;
  p.father_name = "Бат";
  p.given_name = "Сараа";
  p.sex = registry::Sex::kFemale;
  p.birth_date = *Date::Parse(born);
  p.relation = registry::Relation::kHead;
  p.disability = true;
  p.bank_account = "5000123456";
  return p;
}

// A small register with accounts, edits, a deactivation and reads, so the
// audit trail has entries of every kind.
void Fill(TestDatabase& db) {
  auto s = db.Connect();
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  auto& reg = (*s)->Get<registry::Repository>();
  ASSERT_TRUE(reg.Upsert({Hh("T1", 18140), Hh("U1", 51101)},
                         {P("ИЗ85120320", "T1", "1985-12-03"),
                          P("УБ85120520", "U1", "1985-12-05")},
                         {"test", "copy_test"})
                  .ok());
  ASSERT_TRUE(reg.DeactivatePerson("УБ85120520",
                                   {Date::FromYmd(2020, 1, 2), "moved abroad"},
                                   {"test", ""})
                  .ok());
  auth::UserRecord u;
  u.username = "dorj";
  u.password_hash = "$argon2id$x";
  u.role = "soum_officer";
  u.area_code = 18140;
  u.created_at = "2026-12-01T00:00:00Z";
  ASSERT_TRUE(
      (*s)->Get<auth::AccountRepository>().CreateUser(u, {"test", ""}).ok());
  ASSERT_TRUE(
      (*s)->RecordPersonReads({{"dorj", "ИЗ85120320", "T1", "t", ""}}).ok());
  ASSERT_TRUE((*s)->SetMeta("register.as_of", "2020-01-01").ok());
}

std::vector<store::AuditRecord> Trail(TestDatabase& db) {
  auto s = db.Connect();
  EXPECT_TRUE(s.ok());
  store::AuditQuery q;
  q.limit = 1000;
  return (*s)->ListAudit(q).value();
}

void ExpectSameRegister(TestDatabase& a, TestDatabase& b) {
  auto sa = a.Connect().value();
  auto sb = b.Connect().value();
  for (const char* rn : {"ИЗ85120320", "УБ85120520"}) {
    auto pa = sa->Get<registry::Repository>().FindPerson(rn).value();
    auto pb = sb->Get<registry::Repository>().FindPerson(rn).value();
    ASSERT_TRUE(pa && pb);
    EXPECT_EQ(registry::PersonJson(*pa), registry::PersonJson(*pb));
    EXPECT_EQ(*pa, *pb);
  }
  EXPECT_EQ(*sa->GetMeta("register.as_of"), *sb->GetMeta("register.as_of"));
}

TEST(CopyTest, SqliteToSqliteKeepsRowsAndTheAuditChain) {
  auto from = TestDatabase::Make(store::Engine::kSqlite).value();
  ASSERT_NO_FATAL_FAILURE(Fill(*from));
  auto to = TestDatabase::Make(store::Engine::kSqlite).value();
  auto r = CopyDatabase(from->url(), to->url(), "test");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_GT(r->rows(), 10);
  ExpectSameRegister(*from, *to);
  auto source = Trail(*from), copy = Trail(*to);
  ASSERT_EQ(copy.size(), source.size() + 1);
  for (size_t i = 0; i < source.size(); ++i) {
    EXPECT_EQ(copy[i].hash, source[i].hash) << i;
  }
  EXPECT_EQ(copy.back().action, "database.copy");
  EXPECT_TRUE((*to->Connect())->VerifyAudit()->ok());
  // A second copy into the same target is refused: it is not empty.
  auto again = CopyDatabase(from->url(), to->url(), "test");
  EXPECT_EQ(again.status().code(), StatusCode::kFailedPrecondition);
}

TEST(CopyTest, SqliteToPostgresAndBackIsTheSameRegister) {
  MALCHIN_SKIP_WITHOUT_ENGINE(store::Engine::kPostgres);
  auto from = TestDatabase::Make(store::Engine::kSqlite).value();
  ASSERT_NO_FATAL_FAILURE(Fill(*from));
  auto pg = TestDatabase::Make(store::Engine::kPostgres).value();
  auto there = CopyDatabase(from->url(), pg->url(), "test");
  ASSERT_TRUE(there.ok()) << there.status().ToString();
  auto back = TestDatabase::Make(store::Engine::kSqlite).value();
  auto home = CopyDatabase(pg->url(), back->url(), "test");
  ASSERT_TRUE(home.ok()) << home.status().ToString();
  ExpectSameRegister(*from, *back);
  // Every shared table arrives with the same checksum both ways.
  for (const auto& t : there->tables) {
    for (const auto& u : home->tables) {
      if (u.name == t.name && t.name != "audit_log") {
        EXPECT_EQ(u.checksum, t.checksum) << t.name;
      }
    }
  }
  auto source = Trail(*from), copy = Trail(*back);
  ASSERT_EQ(copy.size(), source.size() + 2);  // One entry per copy.
  for (size_t i = 0; i < source.size(); ++i) {
    EXPECT_EQ(copy[i].hash, source[i].hash) << i;
  }
  EXPECT_TRUE((*pg->Connect())->VerifyAudit()->ok());
  EXPECT_TRUE((*back->Connect())->VerifyAudit()->ok());
}

}  // namespace
}  // namespace malchin::backends
