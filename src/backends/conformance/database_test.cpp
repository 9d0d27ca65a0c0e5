// Opening a database on every engine: migrations (numbered, checksummed,
// refused when newer or altered), migrations that convert older data in
// place, and the session's small facts.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "backends/open.h"
#include "backends/testing/test_database.h"
#include "insurance/repository.h"
#include "registry/repository.h"

namespace malchin::conformance {
namespace {

using backends::testing::EngineTest;
using backends::testing::RawConnection;

Date D(const char* s) { return *Date::Parse(s); }

class DatabaseTest : public EngineTest {};

// A release numbers its migrations 1..N without gaps (the build refuses a
// gap too).
TEST_P(DatabaseTest, MigrationsAreNumberedWithoutGaps) {
  const auto& all = backends::testing::EngineMigrations(engine());
  ASSERT_FALSE(all.empty());
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].version, static_cast<int>(i + 1)) << all[i].name;
  }
  EXPECT_EQ(database().db().schema_version(), all.back().version);
}

TEST_P(DatabaseTest, RefusesNewerOrAlteredSchemas) {
  CloseSession();
  ASSERT_TRUE(backends::testing::ExecRawSql(
                  database(),
                  "INSERT INTO schema_migrations VALUES (99, 'future', 'x', "
                  "'2030-01-01')")
                  .ok());
  Status newer = database().Reopen();
  ASSERT_FALSE(newer.ok());
  EXPECT_EQ(newer.code(), StatusCode::kDataLoss);
  EXPECT_NE(newer.message().find("newer Malchin"), std::string::npos)
      << newer.ToString();
  ASSERT_TRUE(backends::testing::ExecRawSql(
                  database(),
                  "DELETE FROM schema_migrations WHERE version = 99; "
                  "UPDATE schema_migrations SET checksum = 'bad'")
                  .ok());
  Status altered = database().Reopen();
  ASSERT_FALSE(altered.ok());
  EXPECT_EQ(altered.code(), StatusCode::kDataLoss);
  EXPECT_NE(altered.message().find("different content"), std::string::npos)
      << altered.ToString();
}

TEST_P(DatabaseTest, RefusesAFileThatIsNotADatabase) {
  if (engine() != store::Engine::kSqlite) {
    GTEST_SKIP() << "a SQLite database is a file";
  }
  auto junk = std::filesystem::temp_directory_path() /
              ("malchin_junk_" + std::to_string(::getpid()) + ".db");
  FILE* f = fopen(junk.c_str(), "w");
  ASSERT_NE(f, nullptr);
  fputs("this is not sqlite, just text padding padding padding padding", f);
  fclose(f);
  auto r = backends::OpenDatabase("sqlite:" + junk.string());
  std::filesystem::remove(junk);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kDataLoss);
}

TEST_P(DatabaseTest, MetaRoundTrips) {
  ASSERT_TRUE(session().SetMeta("demo.seed", "42").ok());
  ASSERT_TRUE(session().SetMeta("demo.seed", "43").ok());
  EXPECT_EQ(**session().GetMeta("demo.seed"), "43");
  EXPECT_FALSE(session().GetMeta("nope")->has_value());
  // Another session of the same database reads the same facts.
  auto other = Connect();
  ASSERT_NE(other, nullptr);
  EXPECT_EQ(**other->GetMeta("demo.seed"), "43");
  EXPECT_EQ(other->database_key(), session().database_key());
}

// Builds a SQLite database with migrations 1..`upto` only, as an older
// Malchin left it.
void BuildOlderSqlite(RawConnection& raw, int upto) {
  ASSERT_TRUE(raw.Exec("CREATE TABLE schema_migrations (version INTEGER "
                       "PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT "
                       "NULL, applied_at TEXT NOT NULL)")
                  .ok());
  for (const store::Migration& m :
       backends::testing::EngineMigrations(store::Engine::kSqlite)) {
    if (m.version > upto) continue;
    Status s = raw.Exec(m.sql);
    ASSERT_TRUE(s.ok()) << s.ToString();
    ASSERT_TRUE(raw.Exec("INSERT INTO schema_migrations VALUES (" +
                         std::to_string(m.version) + ", '" +
                         std::string(m.name) + "', '" + m.Checksum() +
                         "', '2026-11-29')")
                    .ok());
  }
}

// A register written by migrations 1-6 (stored name keys, text birth dates)
// is converted by migration 7 in place: rows, references and uniqueness kept.
TEST_P(DatabaseTest, Migration7ConvertsAnOlderRegister) {
  if (engine() != store::Engine::kSqlite) {
    GTEST_SKIP() << "SQLite's migration 7 rebuilt SQLite's register tables";
  }
  CloseSession();
  ASSERT_TRUE(database().Discard().ok());
  {
    auto raw = RawConnection::Open(database());
    ASSERT_TRUE(raw.ok()) << raw.status().ToString();
    BuildOlderSqlite(**raw, 6);
    auto exec = [&](const char* sql) {
      Status s = (*raw)->Exec(sql);
      EXPECT_TRUE(s.ok()) << s.ToString() << "\n" << sql;
    };
    exec(
        "INSERT INTO households (hh, id, soum_code, current_soum_code, "
        "herder) VALUES (1, 'H1', 18140, 18140, 1), (2, 'H2', 18125, 18125, "
        "0)");
    exec(
        "INSERT INTO persons (pid, register_no, hh, father_name, given_name, "
        "name_key, sex, birth_date, relation, disability, herder, given_key, "
        "deactivated_on, deactivation_reason, version) VALUES "
        "(7, 'ИЗ85120320', 1, 'Батбаяр', 'Сүхээ', 'batbaiarsuhe', 'F', "
        "'1985-12-03', 'head', 0, 1, 'suhe', NULL, NULL, 3), "
        "(9, 'ИЗ52010415', 2, 'Дорж', 'Хонгорзул', 'durjhungurzul', 'M', "
        "'1952-01-04', 'head', 1, 0, 'hungurzul', '2020-01-01', 'died', 2)");
    exec(
        "INSERT INTO insurance_coverage VALUES (7, 'social', 24000, 24011), "
        "(9, 'health', 23000, 23001)");
    // A trigger on persons from a later migration applied before 7 (during
    // development numbers are applied as they come): kept by the rebuild.
    exec(
        "CREATE TRIGGER later_persons_trigger AFTER UPDATE ON persons BEGIN "
        "SELECT 1; END");
  }
  Status reopened = Reconnect();
  ASSERT_TRUE(reopened.ok()) << reopened.ToString();
  auto& reg = session().Get<registry::Repository>();
  auto a = reg.FindPerson("ИЗ85120320");
  ASSERT_TRUE(a.ok() && a->has_value());
  EXPECT_EQ((*a)->birth_date, D("1985-12-03"));
  EXPECT_EQ((*a)->household_id, "H1");
  EXPECT_TRUE((*a)->herder);
  auto b = reg.FindPerson("ИЗ52010415");
  ASSERT_TRUE(b.ok() && b->has_value());
  EXPECT_EQ((*b)->birth_date, D("1952-01-04"));  // Before 1970.
  ASSERT_TRUE((*b)->deactivated.has_value());
  EXPECT_EQ((*b)->deactivated->reason, "died");
  EXPECT_EQ(*reg.HouseholdVersion("H1"), 1);
  registry::SearchQuery q;
  q.text = "hongor";
  q.include_inactive = true;
  EXPECT_EQ(reg.SearchPersons({}, q)->items.size(), 1u);
  auto m = reg.FindNameMatches(
      {{"batbaiarsuhe", D("1985-12-03"), "УБ85120320", "suhe"}});
  ASSERT_TRUE(m.ok());
  EXPECT_EQ((*m)[0].size(), 1u);

  auto raw = RawConnection::Open(database());
  ASSERT_TRUE(raw.ok());
  auto column = [&](const char* sql) {
    auto rows = (*raw)->Query(sql);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString() << "\n" << sql;
    std::string out;
    if (rows.ok()) {
      for (const auto& row : *rows) out += row.at(0) + ";";
    }
    return out;
  };
  // Rows that refer to persons still do; the ids did not change.
  EXPECT_EQ(column("PRAGMA foreign_key_check"), "");
  EXPECT_EQ(column("SELECT p.register_no FROM insurance_coverage c JOIN "
                   "persons p ON p.pid = c.pid ORDER BY c.pid"),
            "ИЗ85120320;ИЗ52010415;");
  EXPECT_EQ(column("SELECT birth_date FROM persons ORDER BY pid"),
            "1985-12-03;1952-01-04;");
  EXPECT_EQ(column("SELECT name FROM sqlite_schema WHERE tbl_name = "
                   "'persons' AND type = 'index' ORDER BY name"),
            "insurance_herders;persons_deactivated;persons_given_birth;"
            "persons_household;persons_phone;persons_register_no;");
  EXPECT_EQ(column("SELECT count(*) FROM sqlite_schema WHERE type = "
                   "'trigger' AND name = 'later_persons_trigger'"),
            "1;");
  // Uniqueness is still the database's.
  EXPECT_EQ((*raw)
                ->Exec("INSERT INTO persons (register_no, hh, father_name, "
                       "given_name, sex, born, relation, disability, "
                       "herder) VALUES ('ИЗ85120320', 1, 'А', 'Б', 'F', 0, "
                       "'head', 0, 0)")
                .code(),
            StatusCode::kAlreadyExists);
}

// A ledger written before migration 10 (visits without keys) is upgraded in
// place: its visits are kept, and keys are unique from then on.
TEST_P(DatabaseTest, Migration10KeepsEarlierVisits) {
  if (engine() != store::Engine::kSqlite) {
    GTEST_SKIP() << "undoes SQLite's migration 10 by raw SQL";
  }
  registry::Household h;
  h.id = "H1";
  h.soum_code = h.current_soum_code = 18140;
  registry::Person p;
  p.register_no = "ИЗ85120320";
  p.household_id = "H1";
  p.father_name = "Бат";
  p.given_name = "Туяа";
  p.birth_date = D("1985-12-03");
  p.relation = registry::Relation::kHead;
  ASSERT_TRUE(session()
                  .Get<registry::Repository>()
                  .Upsert({h}, {p}, {"test", ""})
                  .ok());
  insurance::Visit v;
  v.register_no = "ИЗ85120320";
  v.visited_on = D("2025-05-01");
  v.outcome = insurance::VisitOutcome::kNotFound;
  ASSERT_TRUE(session()
                  .Get<insurance::Repository>()
                  .AddVisit({}, v, {"tos", "cli"})
                  .ok());
  CloseSession();
  ASSERT_TRUE(backends::testing::ExecRawSql(
                  database(),
                  "DROP INDEX insurance_visits_client_key; ALTER TABLE "
                  "insurance_visits DROP COLUMN client_key; DELETE FROM "
                  "schema_migrations WHERE version = 10")
                  .ok());
  Status reopened = Reconnect();
  ASSERT_TRUE(reopened.ok()) << reopened.ToString();
  auto& ins = session().Get<insurance::Repository>();
  auto visits = ins.Visits({}, "ИЗ85120320");
  ASSERT_TRUE(visits.ok()) << visits.status().message();
  ASSERT_EQ(visits->size(), 1u);
  EXPECT_EQ((*visits)[0].client_key, "");
  EXPECT_EQ((*visits)[0].outcome, insurance::VisitOutcome::kNotFound);
  v.client_key = "k";
  EXPECT_TRUE(ins.AddVisit({}, v, {"tos", "api"}).ok());
  EXPECT_EQ(ins.AddVisit({}, v, {"tos", "api"}).status().code(),
            StatusCode::kAlreadyExists);
}

INSTANTIATE_TEST_SUITE_P(Engines, DatabaseTest,
                         ::testing::ValuesIn(backends::testing::TestEngines()),
                         backends::testing::EngineName);

}  // namespace
}  // namespace malchin::conformance
