// Test support for this folder's tests: a fresh, migrated PostgreSQL test
// database per test (backends/testing), sessions as PgSession, and SQL for
// the tests' own setup. Every test skips without MALCHIN_TEST_PG_URL.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>

#include "backends/postgres/session.h"
#include "backends/testing/test_database.h"

namespace malchin::backends::postgres {

class PgTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MALCHIN_SKIP_WITHOUT_ENGINE(store::Engine::kPostgres);
    auto db = testing::OpenTestDatabase(store::Engine::kPostgres);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
  }

  // A new session on the test database.
  std::unique_ptr<PgSession> Session() {
    std::unique_ptr<store::Session> s = std::move(db_->Connect().value());
    return std::unique_ptr<PgSession>(static_cast<PgSession*>(s.release()));
  }

  // Runs `sql` (setup, checks) on `s`; a failure fails the test.
  static pqxx::result Sql(PgSession& s, std::string_view sql) {
    Result<pqxx::result> r = s.ExecuteOnce(sql);
    EXPECT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
    return r.ok() ? *r : pqxx::result();
  }
  // The single value `sql` returns, as text.
  static std::string One(PgSession& s, std::string_view sql) {
    pqxx::result r = Sql(s, sql);
    return r.empty() ? "<no row>" : PgText(r[0][0]);
  }

  std::unique_ptr<testing::TestDatabase> db_;
};

}  // namespace malchin::backends::postgres
