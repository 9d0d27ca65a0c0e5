// Test databases on every engine, for the tests of the engines and of the
// capabilities' repositories (one suite, run on each engine):
//
//   class PlansTest : public ::testing::TestWithParam<store::Engine> {
//     void SetUp() override {
//       MALCHIN_SKIP_WITHOUT_ENGINE(GetParam());
//       auto db = OpenTestDatabase(GetParam());
//       ASSERT_TRUE(db.ok()) << db.status().ToString();
//       db_ = std::move(*db);
//       session_ = db_->Connect();
//     }
//     std::unique_ptr<TestDatabase> db_;        // Declared first: the
//     std::unique_ptr<store::Session> session_; // sessions go first.
//   };
//   INSTANTIATE_TEST_SUITE_P(Engines, PlansTest,
//                            ::testing::ValuesIn(TestEngines()), EngineName);
//
// SQLite: a fresh file in the temporary folder. PostgreSQL: a fresh
// database in the cluster named by MALCHIN_TEST_PG_URL (a URL whose user may
// create databases, e.g. scripts/pg_test_cluster.sh's), cloned from a
// template database that has every migration applied (made once per set of
// migrations, whichever test process comes first), so a test database costs
// a CREATE DATABASE ... TEMPLATE, not a migration run. Each is removed when
// its TestDatabase is destroyed.
//
// TestEngines() lists every engine whatever the environment, so test names
// are the same when ctest lists them at build time and when it runs them;
// an engine that cannot be tested here skips (MALCHIN_SKIP_WITHOUT_ENGINE:
// PostgreSQL without MALCHIN_TEST_PG_URL).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "backends/postgres/contract.h"
#include "core/status.h"

namespace malchin::backends::testing {

class TestDatabase {
 public:
  virtual ~TestDatabase() = default;
  store::Database& db() { return *db_; }
  store::Database* operator->() { return db_.get(); }
  // A new session (asserts that it opens: a test database always does).
  std::unique_ptr<store::Session> Connect();
  // The URL to open this database again (PostgreSQL: with the cluster's
  // credentials; only for tests).
  const std::string& url() const { return url_; }
  // Closes the database (its sessions must be gone), e.g. to reopen it.
  void Close() { db_.reset(); }
  // Opens it again at `url()`.
  Status Reopen(const store::OpenOptions& options = {});

 protected:
  std::unique_ptr<store::Database> db_;
  std::string url_;
};

// A new, migrated database on `engine`, empty but for what the migrations
// write. Errors: kFailedPrecondition when the engine cannot be tested here
// (see EngineUnavailable).
Result<std::unique_ptr<TestDatabase>> OpenTestDatabase(
    store::Engine engine, const store::OpenOptions& options = {});

// Every engine, for INSTANTIATE_TEST_SUITE_P.
std::vector<store::Engine> TestEngines();
// "sqlite" / "postgresql": test name suffixes.
std::string EngineName(const ::testing::TestParamInfo<store::Engine>& info);

// Why `engine` cannot be tested here; empty when it can.
std::string EngineUnavailable(store::Engine engine);
#define MALCHIN_SKIP_WITHOUT_ENGINE(engine)                        \
  if (std::string malchin_why_ =                                   \
          ::malchin::backends::testing::EngineUnavailable(engine); \
      !malchin_why_.empty())                                       \
  GTEST_SKIP() << malchin_why_

// PostgreSQL: a new database with nothing in it (no migrations), dropped
// when destroyed; for the tests of migrations themselves. Its url() opens
// it (OpenPostgresDatabase migrates it then). REQUIRES: PostgreSQL is
// available (EngineUnavailable empty).
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

// The SQLite side (sqlite_test_database.cpp): opens (creating) the SQLite
// database at `path`.
Result<std::unique_ptr<store::Database>> OpenSqliteTestDatabase(
    const std::string& path, const store::OpenOptions& options);

}  // namespace malchin::backends::testing
