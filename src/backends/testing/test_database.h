// Test support: a fresh, empty database (every migration applied) on each
// engine the tests can reach, removed afterwards.
//
//   class X : public backends::testing::EngineTest {};
//   TEST_P(X, Y) { auto& reg = Get<registry::Repository>(); ... }
//   INSTANTIATE_TEST_SUITE_P(Engines, X,
//       ::testing::ValuesIn(backends::testing::TestEngines()),
//       backends::testing::EngineName);
//
// or, outside the conformance suite, OpenTestStore() (SQLite): a fresh
// database and one session on it.
//
// SQLite: a file in a temporary folder. PostgreSQL: a new database in the
// cluster named by MALCHIN_TEST_PG_URL (scripts/test.sh starts a throwaway
// one with scripts/pg_test_cluster.sh), cloned from a template database
// that has every migration applied (made once per set of migrations,
// whichever test process comes first), dropped afterwards.
//
// Tests of what only the database itself guarantees (constraints,
// triggers, migrations, query plans) reach it around every repository
// through RawConnection and PreparedQueryPlans, implemented per engine
// here, so no test includes an engine's header.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/database.h"
#include "store/migrations.h"

namespace malchin::store {
// How GoogleTest prints an engine parameter: "sqlite" / "postgresql".
inline void PrintTo(Engine e, std::ostream* os) { *os << EngineName(e); }
}  // namespace malchin::store

namespace malchin::backends::testing {

// Every engine, whatever the environment, so test names are the same when
// ctest lists them at build time and when it runs them; an engine that
// cannot be tested here skips (EngineTest does; elsewhere use
// MALCHIN_SKIP_WITHOUT_ENGINE).
std::vector<store::Engine> TestEngines();

// Why `engine` cannot be tested here (PostgreSQL without
// MALCHIN_TEST_PG_URL); empty when it can.
std::string EngineUnavailable(store::Engine engine);
#define MALCHIN_SKIP_WITHOUT_ENGINE(engine)                        \
  if (std::string malchin_why_ =                                   \
          ::malchin::backends::testing::EngineUnavailable(engine); \
      !malchin_why_.empty())                                       \
  GTEST_SKIP() << malchin_why_
// For INSTANTIATE_TEST_SUITE_P's name generator: "sqlite" / "postgresql".
std::string EngineName(const ::testing::TestParamInfo<store::Engine>& info);

class TestDatabase {
 public:
  static Result<std::unique_ptr<TestDatabase>> Make(
      store::Engine engine, const store::OpenOptions& options = {});
  ~TestDatabase();

  store::Engine engine() const { return engine_; }
  store::Database& db() { return *db_; }
  const std::string& url() const { return url_; }
  // A new session as `system`, national.
  Result<std::unique_ptr<store::Session>> Connect() { return db_->Connect(); }
  // Re-opens the same database (e.g. to test what survives a restart, or
  // what opening does to a schema changed by raw SQL). On failure the
  // database stays closed. REQUIRES: no session of it is open.
  Status Reopen(const store::OpenOptions& options = {});
  // Closes the database and empties it entirely (no schema, no migration
  // table), so that a test can build an older one with raw SQL and then
  // Reopen() it. REQUIRES: no session of it is open.
  Status Discard();

 private:
  TestDatabase() = default;
  store::Engine engine_ = store::Engine::kSqlite;
  std::unique_ptr<store::Database> db_;
  std::string url_;
  std::string dir_;      // SQLite: the temporary folder.
  std::string path_;     // SQLite: the file in it.
  std::string pg_name_;  // PostgreSQL: the database to drop.
};

// TestDatabase::Make.
inline Result<std::unique_ptr<TestDatabase>> OpenTestDatabase(
    store::Engine engine, const store::OpenOptions& options = {}) {
  return TestDatabase::Make(engine, options);
}

// PostgreSQL: a new database with nothing in it (no migrations), dropped
// when destroyed; for the tests of migrations themselves. Its url() opens
// it (opening migrates it then). REQUIRES: PostgreSQL is available.
class EmptyPgDatabase {
 public:
  static Result<std::unique_ptr<EmptyPgDatabase>> Create();
  ~EmptyPgDatabase();
  const std::string& url() const { return url_; }
  const std::string& name() const { return name_; }

 private:
  std::string url_, name_;
};

// `url` (postgresql://...) naming the database `name` instead of its own.
std::string WithDatabase(const std::string& url, const std::string& name);

// A fresh database and one session on it (as `system`, national).
struct TestStore {
  std::unique_ptr<TestDatabase> database;
  std::unique_ptr<store::Session> session;
};
Result<TestStore> OpenTestStore(store::Engine engine = store::Engine::kSqlite);

// A test run on every engine of TestEngines(), each on a fresh database with
// one session (as `system`, national).
class EngineTest : public ::testing::TestWithParam<store::Engine> {
 protected:
  void SetUp() override;
  void TearDown() override;

  store::Engine engine() const { return GetParam(); }
  TestDatabase& database() { return *test_.database; }
  store::Session& session() { return *test_.session; }
  template <class R>
  R& Get() {
    return test_.session->Get<R>();
  }
  // Another session on the same database, whose caller is `actor` seeing
  // `area`.
  std::unique_ptr<store::Session> Connect(const store::AreaFilter& area = {},
                                          const std::string& actor = "test");
  // Closes the session and re-opens the database, then connects again.
  Status Reconnect(const store::OpenOptions& options = {});
  // Closes the session (before Discard, Reopen or raw schema changes).
  void CloseSession() { test_.session.reset(); }

 private:
  TestStore test_;
};

// The engine's migrations, in order (what opening a database applies).
const std::vector<store::Migration>& EngineMigrations(store::Engine engine);

// A connection of its own to a test database, around every repository:
// to check what the database itself refuses, to tamper with it as someone
// with access to it could, or to build an older schema. Errors come as the
// engine's repositories report them (a constraint: kAlreadyExists).
// Destroyed inside a transaction it began, the transaction rolls back (as
// when a process dies). Unavailable on an engine without this hook yet.
class RawConnection {
 public:
  // SQLite: Malchin's SQL functions (malchin_name_key) are registered
  // unless `engine_functions` is false.
  static Result<std::unique_ptr<RawConnection>> Open(
      TestDatabase& db, bool engine_functions = true);
  virtual ~RawConnection() = default;
  // One or more statements.
  virtual Status Exec(std::string_view sql) = 0;
  // The rows of a query, each cell as text ("NULL" for a null).
  virtual Result<std::vector<std::vector<std::string>>> Query(
      std::string_view sql) = 0;
};

// RawConnection::Open(db) then Exec(sql).
Status ExecRawSql(TestDatabase& db, std::string_view sql);
// RawConnection::Open(db) then Query(sql).
Result<std::vector<std::vector<std::string>>> QueryRawSql(TestDatabase& db,
                                                          std::string_view sql);
// Success when the database refused `sql` itself (a constraint or a
// trigger: kAlreadyExists); failure when it ran it, failed otherwise (a
// mistyped statement), or when this engine has no raw connection.
::testing::AssertionResult RawSqlRefused(TestDatabase& db,
                                         std::string_view sql);

// The query plan of every statement `session` has prepared whose SQL
// contains `pattern`, each as the SQL, a newline, then the plan's lines,
// each indented by two spaces and ending with a newline. SQLite: EXPLAIN
// QUERY PLAN. PostgreSQL: EXPLAIN of the generic plan (the one that does
// not depend on the parameters' values) of each prepared SELECT.
Result<std::vector<std::string>> PreparedQueryPlans(store::Session& session,
                                                    std::string_view pattern);

}  // namespace malchin::backends::testing
