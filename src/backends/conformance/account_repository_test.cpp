// auth::AccountRepository on every engine: accounts and login sessions.
#include <gtest/gtest.h>

#include "auth/accounts.h"
#include "backends/testing/test_database.h"

namespace malchin::conformance {
namespace {

using auth::UserRecord;
using backends::testing::EngineTest;

class AccountRepositoryTest : public EngineTest {};

TEST_P(AccountRepositoryTest, UsersAndSessions) {
  auto& accounts = Get<auth::AccountRepository>();
  UserRecord u{0,     "bold", "$argon2id$x",          "soum_officer",
               18140, false,  "2026-11-22T10:00:00Z", ""};
  auto created = accounts.CreateUser(u);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_GT(created->id, 0);
  EXPECT_EQ(accounts.CreateUser(u).status().code(), StatusCode::kAlreadyExists);
  u.role = "emperor";
  u.username = "x";
  EXPECT_FALSE(accounts.CreateUser(u).ok());  // CHECK constraint on roles.
  auto found = accounts.FindUser("bold");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->area_code, 18140);
  UserRecord changed = **found;
  changed.disabled = true;
  changed.updated_at = "2026-11-22T11:00:00Z";
  ASSERT_TRUE(accounts.UpdateUser(changed).ok());
  EXPECT_TRUE((*accounts.FindUser("bold"))->disabled);
  EXPECT_EQ((*accounts.FindUserById(created->id))->username, "bold");
  EXPECT_EQ(accounts.ListUsers()->size(), 1u);

  ASSERT_TRUE(accounts
                  .CreateSession({"h1", created->id, "2026-11-22T10:00:00Z",
                                  "2026-11-22T18:00:00Z", std::nullopt})
                  .ok());
  auto s = accounts.FindSession("h1");
  ASSERT_TRUE(s.ok() && s->has_value());
  EXPECT_EQ((*s)->second.username, "bold");
  EXPECT_FALSE((*s)->first.revoked_at.has_value());
  ASSERT_TRUE(
      accounts.RevokeSessions(created->id, "", "2026-11-22T12:00:00Z").ok());
  EXPECT_EQ(*(*accounts.FindSession("h1"))->first.revoked_at,
            "2026-11-22T12:00:00Z");
  EXPECT_FALSE(accounts.FindSession("nope")->has_value());
  // Accounts are not area data: a caller with an area sees them alike.
  auto soum = Connect({0, 18125});
  ASSERT_NE(soum, nullptr);
  EXPECT_TRUE(
      soum->Get<auth::AccountRepository>().FindUser("bold")->has_value());
  // Account changes are audited, never with the password hash.
  auto trail = session().ListAudit({});
  ASSERT_TRUE(trail.ok()) << trail.status().ToString();
  ASSERT_GE(trail->size(), 2u);
  for (const auto& e : *trail) {
    for (const auto& json : {e.before_json, e.after_json}) {
      EXPECT_EQ(json.value_or("").find("argon2"), std::string::npos)
          << e.action;
    }
  }
}

// The accounts keep an administrator: the last active one is neither
// disabled nor demoted (a second one makes it possible), and nobody
// disables their own account.
TEST_P(AccountRepositoryTest, AnActiveAdministratorAlwaysRemains) {
  auto& accounts = Get<auth::AccountRepository>();
  auto admin = accounts.CreateUser({0, "root", "$argon2id$x", "admin", 0, false,
                                    "2026-11-22T10:00:00Z", ""});
  ASSERT_TRUE(admin.ok()) << admin.status().ToString();
  UserRecord off = *admin;
  off.disabled = true;
  EXPECT_EQ(accounts.UpdateUser(off, {"someone", ""}).code(),
            StatusCode::kFailedPrecondition);
  UserRecord demoted = *admin;
  demoted.role = "analyst";
  auto refused = accounts.UpdateUser(demoted, {"someone", ""});
  EXPECT_EQ(refused.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.message().find("administrator"), std::string::npos);
  EXPECT_EQ((*accounts.FindUser("root"))->role, "admin");  // Unchanged.
  auto second = accounts.CreateUser({0, "root2", "$argon2id$x", "admin", 0,
                                     false, "2026-11-22T10:00:00Z", ""});
  ASSERT_TRUE(second.ok());
  // Not their own account, even with another administrator.
  EXPECT_EQ(accounts.UpdateUser(off, {"root", ""}).code(),
            StatusCode::kFailedPrecondition);
  ASSERT_TRUE(accounts.UpdateUser(off, {"root2", ""}).ok());
  EXPECT_TRUE((*accounts.FindUser("root"))->disabled);
  UserRecord second_off = *second;
  second_off.disabled = true;
  EXPECT_EQ(accounts.UpdateUser(second_off, {"someone", ""}).code(),
            StatusCode::kFailedPrecondition);
}

INSTANTIATE_TEST_SUITE_P(Engines, AccountRepositoryTest,
                         ::testing::ValuesIn(backends::testing::TestEngines()),
                         backends::testing::EngineName);

}  // namespace
}  // namespace malchin::conformance
