#include "store/url.h"

#include <gtest/gtest.h>

namespace malchin::store {
namespace {

TEST(DatabaseUrlTest, PathsAndSqliteUrlsAreTheEmbeddedEngine) {
  auto a = ParseDatabaseUrl("var/malchin.db");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->engine, Engine::kSqlite);
  EXPECT_EQ(a->path, "var/malchin.db");
  auto b = ParseDatabaseUrl("sqlite:/tmp/x.db");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->path, "/tmp/x.db");
  EXPECT_EQ(ParseDatabaseUrl("sqlite::memory:")->path, ":memory:");
  EXPECT_FALSE(ParseDatabaseUrl("").ok());
  EXPECT_FALSE(ParseDatabaseUrl("sqlite:").ok());
  EXPECT_FALSE(ParseDatabaseUrl("mysql://u@h/db").ok());
}

TEST(DatabaseUrlTest, PostgresUrlsNeverShowThePassword) {
  auto u = ParseDatabaseUrl("postgresql://malchin:s3cret@db.local:5433/nat");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->engine, Engine::kPostgres);
  EXPECT_EQ(u->conninfo, "postgresql://malchin:s3cret@db.local:5433/nat");
  EXPECT_EQ(u->redacted, "postgresql://malchin@db.local:5433/nat");
  EXPECT_EQ(RedactUrl("postgres://u@h/db?sslmode=require&password=x&a=b"),
            "postgres://u@h/db?sslmode=require&a=b");
  auto bad = ParseDatabaseUrl("redis://u:topsecret@h/1");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message().find("topsecret"), std::string::npos);
}

}  // namespace
}  // namespace malchin::store
