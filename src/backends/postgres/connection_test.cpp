// Connections: URLs and passwords, error codes, lock keys, value text.
#include "backends/postgres/connection.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>

#include "backends/postgres/open.h"
#include "backends/postgres/test_fixture.h"

namespace malchin::backends::postgres {
namespace {

store::DatabaseUrl Url(const std::string& text) {
  return store::ParseDatabaseUrl(text).value();
}

TEST(PgTargetTest, KnowsTheUrlsPasswordsAndScrubsThem) {
  PgTarget t =
      PgTarget::From(Url("postgresql://ops:s3cr%40t@db.example:5433/malchin"
                         "?sslmode=require&password=other-pw"));
  EXPECT_EQ(t.redacted,
            "postgresql://ops@db.example:5433/malchin"
            "?sslmode=require");
  EXPECT_EQ(t.Scrub("a s3cr%40t b s3cr@t c other-pw"), "a *** b *** c ***");
  EXPECT_TRUE(PgTarget::From(Url("postgresql://ops@h/db")).secrets.empty());
}

TEST(LockKeyTest, IsTheFirstEightBytesOfTheNamesSha256) {
  // printf 'plan:P1' | sha256sum: 553b87b45689e762...; 'register':
  // 87780fa5de684e87... (negative as a signed 64-bit integer).
  EXPECT_EQ(LockKey("plan:P1"), 6141651725465544546);
  EXPECT_EQ(LockKey("register"), -8685174676308603257);
  EXPECT_NE(LockKey("plan:P1"), LockKey("plan:P2"));
}

TEST(ValuesTest, ParametersInPostgresText) {
  EXPECT_EQ(ToPg(int64_t{-42}), "-42");
  EXPECT_EQ(ToPg(7u), "7");
  EXPECT_EQ(ToPg(true), "t");
  EXPECT_EQ(ToPg(0.1), "0.1");
  EXPECT_EQ(ToPg(std::nan("")), "NaN");
  EXPECT_EQ(ToPg(-std::numeric_limits<double>::infinity()), "-Infinity");
  EXPECT_EQ(ToPg(Date::FromYmd(2025, 3, 9)), "2025-03-09");
  EXPECT_EQ(ToPg(std::optional<int>()), std::nullopt);
  EXPECT_EQ(ToPg(std::optional<std::string>("x")), "x");
}

TEST(OpenTest, RefusesAnotherEngine) {
  auto db = OpenPostgresDatabase(Url("sqlite:x.db"));
  EXPECT_EQ(db.status().code(), StatusCode::kInvalidArgument);
}

TEST(OpenTest, APasswordNeverAppearsWhenTheServerIsUnreachable) {
  // Port 1 on loopback: nothing listens there.
  auto db = OpenPostgresDatabase(
      Url("postgresql://ops:Pa55-unreachable@127.0.0.1:1/malchin"));
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(db.status().message().find("Pa55-unreachable"), std::string::npos)
      << db.status().message();
  EXPECT_NE(db.status().message().find("postgresql://ops@127.0.0.1:1/malchin"),
            std::string::npos)
      << db.status().message();
}

// The cluster of scripts/pg_test_cluster.sh asks the role malchin_pw for its
// password (scram-sha-256) and trusts everyone else.
class PasswordTest : public PgTest {
 protected:
  void SetUp() override {
    PgTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto s = Session();
    Sql(*s,
        "DO $$ BEGIN CREATE ROLE malchin_pw LOGIN; EXCEPTION WHEN "
        "duplicate_object THEN NULL; END $$");
    Sql(*s, "ALTER ROLE malchin_pw PASSWORD 'right-Horse-42'");
    Sql(*s, "GRANT SELECT ON schema_migrations, meta TO malchin_pw");
    const std::string& url = db_->url();  // postgresql://postgres@...
    with_user_ = "postgresql://malchin_pw" + url.substr(url.find('@'));
  }
  Result<std::unique_ptr<store::Database>> OpenAs(const std::string& url) {
    return OpenPostgresDatabase(Url(url), {});
  }
  std::string with_user_;  // The test database, as malchin_pw.
};

TEST_F(PasswordTest, AWrongPasswordIsRefusedWithoutEchoingIt) {
  std::string url = with_user_;
  url.insert(url.find('@'), ":Wrong-S3cret-99");
  auto db = OpenAs(url);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), StatusCode::kPermissionDenied)
      << db.status().ToString();
  EXPECT_EQ(db.status().message().find("Wrong-S3cret-99"), std::string::npos)
      << db.status().message();
  EXPECT_NE(db.status().message().find(with_user_.substr(0, 30)),
            std::string::npos)
      << db.status().message();
}

TEST_F(PasswordTest, ThePasswordComesFromTheUrlPgpasswordOrPgpass) {
  std::string url = with_user_;
  url.insert(url.find('@'), ":right-Horse-42");
  auto db = OpenAs(url);
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  EXPECT_EQ((*db)->url().find("right-Horse-42"), std::string::npos);
  auto s = (*db)->Connect();
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ((*s)->database_key().find("right-Horse-42"), std::string::npos);
  // A statement's error names the URL without the password too.
  auto denied = (*s)->SetMeta("k", "v");  // No INSERT privilege.
  EXPECT_EQ(denied.code(), StatusCode::kPermissionDenied) << denied.ToString();
  EXPECT_EQ(denied.message().find("right-Horse-42"), std::string::npos);

  ASSERT_EQ(setenv("PGPASSWORD", "right-Horse-42", 1), 0);
  auto from_env = OpenAs(with_user_);
  unsetenv("PGPASSWORD");
  EXPECT_TRUE(from_env.ok()) << from_env.status().ToString();

  // A password file (~/.pgpass, here named by PGPASSFILE; libpq wants it
  // private to its owner).
  std::string file = ::testing::TempDir() + "malchin_pgpass";
  {
    std::ofstream out(file);
    out << "*:*:*:malchin_pw:right-Horse-42\n";
  }
  std::filesystem::permissions(file, std::filesystem::perms::owner_read |
                                         std::filesystem::perms::owner_write);
  ASSERT_EQ(setenv("PGPASSFILE", file.c_str(), 1), 0);
  auto from_file = OpenAs(with_user_);
  unsetenv("PGPASSFILE");
  std::filesystem::remove(file);
  EXPECT_TRUE(from_file.ok()) << from_file.status().ToString();
}

TEST_F(PgTest, LockKeysAreComputableInSql) {
  auto s = Session();
  EXPECT_EQ(One(*s,
                "SELECT ('x' || left(encode(sha256(convert_to('register', "
                "'UTF8')), 'hex'), 16))::bit(64)::bigint"),
            std::to_string(LockKey("register")));
}

TEST_F(PgTest, NoSuchDatabaseIsNotFound) {
  auto db = OpenPostgresDatabase(
      Url(testing::WithDatabase(db_->url(), "malchin_no_such_db")));
  EXPECT_EQ(db.status().code(), StatusCode::kNotFound)
      << db.status().ToString();
}

}  // namespace
}  // namespace malchin::backends::postgres
