#include "store/migrations.h"

#include <gtest/gtest.h>

namespace malchin::store {
namespace {

const std::vector<Migration> kAll = {{1, "one", "CREATE TABLE a (x);"},
                                     {2, "two", "CREATE TABLE b (y);"}};

TEST(MigrationsTest, PendingAreThoseNotApplied) {
  auto none = PendingMigrations(kAll, {}, "db");
  ASSERT_TRUE(none.ok());
  ASSERT_EQ(none->size(), 2u);
  auto one = PendingMigrations(kAll, {{1, kAll[0].Checksum()}}, "db");
  ASSERT_TRUE(one.ok());
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ((*one)[0]->version, 2);
}

TEST(MigrationsTest, NewerOrAlteredDatabasesAreRefused) {
  auto newer = PendingMigrations(kAll, {{3, "x"}}, "db");
  ASSERT_FALSE(newer.ok());
  EXPECT_EQ(newer.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(newer.status().message().find("newer"), std::string::npos);
  auto altered = PendingMigrations(kAll, {{1, "not the checksum"}}, "db");
  ASSERT_FALSE(altered.ok());
  EXPECT_EQ(altered.status().code(), StatusCode::kDataLoss);
}

}  // namespace
}  // namespace malchin::store
