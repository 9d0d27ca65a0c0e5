#include <gtest/gtest.h>

#include "auth/accounts.h"
#include "auth/password.h"
#include "auth/roles.h"
#include "auth/sessions.h"
#include "auth/throttle.h"
#include "backends/testing/test_database.h"

namespace malchin::auth {
namespace {

TEST(PasswordTest, HashVerifiesOnlyTheRightPassword) {
  auto h = HashPassword("correct horse battery", PasswordCost::kMinimum);
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(VerifyPassword(*h, "correct horse battery"));
  EXPECT_FALSE(VerifyPassword(*h, "correct horse batterz"));
  EXPECT_FALSE(VerifyPassword("", "x"));
  EXPECT_FALSE(VerifyPassword("$argon2id$garbage", "x"));
  // Salted: the same password hashes differently each time.
  EXPECT_NE(*h, *HashPassword("correct horse battery", PasswordCost::kMinimum));
}

TEST(PasswordTest, PolicyNamesTheRule) {
  EXPECT_TRUE(CheckPasswordPolicy("ten chars!").ok());
  EXPECT_EQ(CheckPasswordPolicy("short").field(), "password");
  // Ten Cyrillic letters are ten characters (20 bytes).
  EXPECT_TRUE(CheckPasswordPolicy("нууцүгнууц").ok());
  EXPECT_FALSE(CheckPasswordPolicy("нууцүг").ok());
  EXPECT_FALSE(CheckPasswordPolicy(std::string("abcdefghij\xff")).ok());
  EXPECT_FALSE(CheckPasswordPolicy(std::string(1025, 'a')).ok());
}

TEST(TokenTest, TokensAreRandom256BitHexAndHashed) {
  std::string a = NewSessionToken(), b = NewSessionToken();
  EXPECT_EQ(a.size(), 64u);
  EXPECT_NE(a, b);
  EXPECT_TRUE(IsWellFormedToken(a));
  EXPECT_FALSE(IsWellFormedToken(a.substr(1)));
  EXPECT_FALSE(IsWellFormedToken(std::string(64, 'G')));
  EXPECT_EQ(TokenHash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(RolesTest, PolicyTable) {
  for (Role r : AllRoles()) {
    EXPECT_EQ(*ParseRole(RoleName(r)), r);
  }
  EXPECT_FALSE(ParseRole("root").ok());
  EXPECT_FALSE(Allows(Role::kAnalyst, Permission::kReadRegister));
  EXPECT_TRUE(Allows(Role::kAnalyst, Permission::kReadStats));
  EXPECT_TRUE(Allows(Role::kAuditor, Permission::kReadAudit));
  EXPECT_FALSE(Allows(Role::kAuditor, Permission::kReadRegister));
  EXPECT_TRUE(Allows(Role::kSoumOfficer, Permission::kWriteRegister));
  EXPECT_FALSE(Allows(Role::kSoumOfficer, Permission::kManageUsers));
  EXPECT_TRUE(Allows(Role::kAdmin, Permission::kManageUsers));
  EXPECT_FALSE(Allows(Role::kAdmin, Permission::kReadRegister));
}

TEST(RolesTest, AreaMustFitTheRole) {
  auto geo = geo::Geography::Load();
  ASSERT_TRUE(geo.ok());
  EXPECT_TRUE(CheckArea(Role::kSoumOfficer, 18140, **geo).ok());
  EXPECT_FALSE(CheckArea(Role::kSoumOfficer, 181, **geo).ok());
  EXPECT_TRUE(CheckArea(Role::kAimagOfficer, 181, **geo).ok());
  EXPECT_FALSE(CheckArea(Role::kAimagOfficer, 18140, **geo).ok());
  EXPECT_TRUE(CheckArea(Role::kAnalyst, 0, **geo).ok());
  EXPECT_EQ(CheckArea(Role::kNationalOfficer, 181, **geo).field(), "area");
  EXPECT_EQ(AreaOf(18140).soum_code, 18140);
  EXPECT_EQ(AreaOf(181).aimag_code, 181);
  EXPECT_EQ(AreaOf(0).aimag_code + AreaOf(0).soum_code, 0);
}

TEST(ThrottleTest, DelayGrowsPerAccountAndResetsOnSuccess) {
  LoginThrottle t;
  auto now = LoginThrottle::Clock::now();
  using std::chrono::seconds;
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(t.RetryAfter("bold", "10.0.0.1", now).count(), 0);
    t.RecordFailure("bold", "10.0.0.1", now);
  }
  EXPECT_EQ(t.RetryAfter("bold", "10.0.0.1", now).count(), 0);
  t.RecordFailure("bold", "10.0.0.1", now);  // 4th: 1 s.
  EXPECT_EQ(t.RetryAfter("bold", "10.0.0.2", now).count(), 1);
  t.RecordFailure("bold", "10.0.0.1", now);  // 5th: 2 s.
  EXPECT_EQ(t.RetryAfter("bold", "10.0.0.2", now).count(), 2);
  t.RecordFailure("bold", "10.0.0.1", now);  // 6th: 4 s.
  EXPECT_EQ(t.RetryAfter("bold", "10.0.0.2", now + seconds(1)).count(), 3);
  EXPECT_EQ(t.RetryAfter("bold", "10.0.0.2", now + seconds(4)).count(), 0);
  // Another account from another address is not slowed.
  EXPECT_EQ(t.RetryAfter("saraa", "10.0.0.9", now).count(), 0);
  t.RecordSuccess("bold");
  EXPECT_EQ(t.RetryAfter("bold", "10.0.0.2", now).count(), 0);
}

TEST(ThrottleTest, OneAddressTryingManyAccountsIsSlowed) {
  LoginThrottle t;
  auto now = LoginThrottle::Clock::now();
  for (int i = 0; i < 21; ++i) {
    t.RecordFailure("user" + std::to_string(i), "10.9.9.9", now);
  }
  EXPECT_GT(t.RetryAfter("fresh", "10.9.9.9", now).count(), 0);
  EXPECT_EQ(t.RetryAfter("fresh", "10.9.9.8", now).count(), 0);
}

TEST(ThrottleTest, MemoryIsBounded) {
  ThrottlePolicy p;
  p.max_entries = 10;
  LoginThrottle t(p);
  auto now = LoginThrottle::Clock::now();
  for (int i = 0; i < 100; ++i) {
    t.RecordFailure("u" + std::to_string(i), "a" + std::to_string(i), now);
  }
  SUCCEED();  // No growth beyond the bound (checked under ASan for leaks).
}

class AuthenticatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto t = backends::testing::OpenTestStore();
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    test_ = std::move(*t);
    UserRecord u;
    u.username = "dorj";
    u.password_hash = *HashPassword("dorj-secret-1", PasswordCost::kMinimum);
    u.role = "soum_officer";
    u.area_code = 18140;
    u.created_at = Authenticator::IsoTime();
    ASSERT_TRUE(accounts().CreateUser(u, {"test", ""}).ok());
  }
  store::Session& session() { return *test_.session; }
  AccountRepository& accounts() {
    return test_.session->Get<AccountRepository>();
  }

  backends::testing::TestStore test_;
};

TEST_F(AuthenticatorTest, LoginAuthenticateLogout) {
  Authenticator a;
  auto r = a.Login(session(), "dorj", "dorj-secret-1", "127.0.0.1");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->who.role, Role::kSoumOfficer);
  EXPECT_EQ(r->who.area().soum_code, 18140);
  auto who = a.Authenticate(session(), r->token);
  ASSERT_TRUE(who.ok()) << who.status().ToString();
  EXPECT_EQ(who->username, "dorj");
  // Only the hash is stored: the token itself does not find a session.
  EXPECT_FALSE(accounts().FindSession(r->token)->has_value());
  ASSERT_TRUE(a.Logout(session(), *who).ok());
  EXPECT_EQ(a.Authenticate(session(), r->token).status().code(),
            StatusCode::kUnauthenticated);
}

TEST_F(AuthenticatorTest, WrongPasswordsAreThrottled) {
  Authenticator a;
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(
        a.Login(session(), "dorj", "wrong-password", "1.2.3.4").status().code(),
        StatusCode::kUnauthenticated);
  }
  EXPECT_EQ(
      a.Login(session(), "nobody", "whatever-pass", "1.2.3.4").status().code(),
      StatusCode::kUnauthenticated);
  a.Login(session(), "dorj", "wrong-password", "1.2.3.4").status().ok();
  LoginRefusal refusal;
  auto r = a.Login(session(), "dorj", "dorj-secret-1", "5.6.7.8", &refusal);
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_GT(refusal.retry_after.count(), 0);
}

TEST_F(AuthenticatorTest, DisabledAccountsAndBadTokensAreRefused) {
  Authenticator a;
  auto r = a.Login(session(), "dorj", "dorj-secret-1", "127.0.0.1");
  ASSERT_TRUE(r.ok());
  auto u = *accounts().FindUser("dorj");
  u->disabled = true;
  ASSERT_TRUE(accounts().UpdateUser(*u, {"admin", ""}).ok());
  EXPECT_FALSE(a.Authenticate(session(), r->token).ok());
  EXPECT_FALSE(a.Login(session(), "dorj", "dorj-secret-1", "127.0.0.1").ok());
  EXPECT_FALSE(a.Authenticate(session(), "not-a-token").ok());
  EXPECT_FALSE(a.Authenticate(session(), std::string(64, 'a')).ok());
}

}  // namespace
}  // namespace malchin::auth
