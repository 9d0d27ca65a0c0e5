// Migrations on PostgreSQL: fresh databases, re-opening, refusals, a
// failing migration, concurrent openers.
#include "backends/postgres/migrate.h"

#include <gtest/gtest.h>

#include <pqxx/pqxx>
#include <thread>

#include "backends/postgres/open.h"
#include "backends/postgres/test_fixture.h"

namespace malchin::backends::postgres {
namespace {

class MigrateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MALCHIN_SKIP_WITHOUT_ENGINE(store::Engine::kPostgres);
    auto empty = testing::EmptyPgDatabase::Create();
    ASSERT_TRUE(empty.ok()) << empty.status().ToString();
    empty_ = std::move(*empty);
    target_ = PgTarget::From(Url());
  }
  store::DatabaseUrl Url() const {
    return store::ParseDatabaseUrl(empty_->url()).value();
  }
  Result<std::unique_ptr<store::Database>> Open(
      const store::OpenOptions& options = {}) {
    return OpenPostgresDatabase(Url(), options);
  }
  // The single value of `sql` on the database, as text.
  std::string One(const std::string& sql) {
    auto c = Connect(target_);
    EXPECT_TRUE(c.ok());
    pqxx::nontransaction n(**c);
    pqxx::result r = n.exec(sql);
    return r.empty() || r[0][0].is_null() ? "" : r[0][0].c_str();
  }

  std::unique_ptr<testing::EmptyPgDatabase> empty_;
  PgTarget target_;
};

TEST_F(MigrateTest, AFreshDatabaseGetsEveryMigrationOnce) {
  auto db = Open();
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  const auto& all = Migrations();
  EXPECT_EQ((*db)->schema_version(), all.back().version);
  EXPECT_EQ(One("SELECT count(*) FROM schema_migrations"),
            std::to_string(all.size()));
  EXPECT_EQ(One("SELECT checksum FROM schema_migrations WHERE version = 1"),
            all[0].Checksum());
  db->reset();
  const std::string applied =
      One("SELECT max(applied_at) FROM "
          "schema_migrations");
  auto again = Open();
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ((*again)->schema_version(), all.back().version);
  EXPECT_EQ(One("SELECT max(applied_at) FROM schema_migrations"), applied);
  EXPECT_EQ(One("SELECT count(*) FROM schema_migrations"),
            std::to_string(all.size()));
}

TEST_F(MigrateTest, AMigrationAppliedWithOtherContentIsRefused) {
  ASSERT_TRUE(Open().ok());
  One("UPDATE schema_migrations SET checksum = 'x' WHERE version = 2");
  auto db = Open();
  EXPECT_EQ(db.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(db.status().message().find("migration 2"), std::string::npos)
      << db.status().message();
}

TEST_F(MigrateTest, ADatabaseOfANewerMalchinIsRefused) {
  ASSERT_TRUE(Open().ok());
  One("INSERT INTO schema_migrations (version, name, checksum) VALUES "
      "(9999, 'future', 'f')");
  auto db = Open();
  EXPECT_EQ(db.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(db.status().message().find("newer Malchin"), std::string::npos)
      << db.status().message();
}

TEST_F(MigrateTest, ReadOnlyRefusesToMigrateAndChangesNothing) {
  auto db = Open({.read_only = true});
  EXPECT_EQ(db.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(One("SELECT to_regclass('schema_migrations')"), "");
  ASSERT_TRUE(Open().ok());
  EXPECT_TRUE(Open({.read_only = true}).ok());
}

TEST_F(MigrateTest, AFailingMigrationLeavesNothingOfItself) {
  const std::vector<store::Migration> list = {
      {1, "first", "CREATE TABLE first_table (x integer)"},
      {2, "broken", "CREATE TABLE second_table (x integer); SELECT 1 / 0"},
  };
  auto conn = Connect(target_);
  ASSERT_TRUE(conn.ok());
  Result<int> r = Migrate(**conn, target_, list, false);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("migration 2 (broken)"),
            std::string::npos)
      << r.status().message();
  EXPECT_EQ(One("SELECT to_regclass('first_table')"), "first_table");
  EXPECT_EQ(One("SELECT to_regclass('second_table')"), "");
  EXPECT_EQ(One("SELECT string_agg(version::text, ',') FROM "
                "schema_migrations"),
            "1");
  // The lock was given back: the next attempt does not wait.
  EXPECT_EQ(Migrate(**conn, target_, {list[0]}, false).value(), 1);
}

// App servers starting at once: each waits for the migration lock; the
// first applies everything, the others find nothing to do.
TEST_F(MigrateTest, ConcurrentOpenersApplyEachMigrationOnce) {
  constexpr int kOpeners = 4;
  std::vector<Status> results(kOpeners);
  std::vector<std::thread> threads;
  for (int i = 0; i < kOpeners; ++i) {
    threads.emplace_back([&, i] { results[i] = Open().status(); });
  }
  for (auto& t : threads) t.join();
  for (const Status& s : results) EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(One("SELECT count(*) FROM schema_migrations"),
            std::to_string(Migrations().size()));
  EXPECT_EQ(One("SELECT count(DISTINCT version) FROM schema_migrations"),
            std::to_string(Migrations().size()));
}

TEST_F(MigrateTest, ADatabaseThatDoesNotCompareBytesIsRefused) {
  One("CREATE DATABASE " + empty_->name() +
      "_ascii ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE "
      "template0");
  auto db = OpenPostgresDatabase(
      store::ParseDatabaseUrl(
          testing::WithDatabase(empty_->url(), empty_->name() + "_ascii"))
          .value());
  One("DROP DATABASE " + empty_->name() + "_ascii");
  EXPECT_EQ(db.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(db.status().message().find("createdb --encoding=UTF8"),
            std::string::npos)
      << db.status().message();
}

}  // namespace
}  // namespace malchin::backends::postgres
