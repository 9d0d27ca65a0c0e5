#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>
#include <vector>

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
  // Complaints: the hotline operator records and reads nothing back; only
  // the focal point handles confidential ones, and reads no register.
  EXPECT_TRUE(Allows(Role::kHotlineOperator, Permission::kRecordGrievance));
  EXPECT_FALSE(Allows(Role::kHotlineOperator, Permission::kHandleGrievance));
  EXPECT_FALSE(Allows(Role::kHotlineOperator, Permission::kReadRegister));
  EXPECT_TRUE(Allows(Role::kGbvFocalPoint, Permission::kHandleConfidential));
  EXPECT_FALSE(Allows(Role::kGbvFocalPoint, Permission::kHandleGrievance));
  EXPECT_FALSE(Allows(Role::kGbvFocalPoint, Permission::kReadRegister));
  // Only national monitoring and evaluation freezes a reported figure.
  for (Role r : AllRoles()) {
    EXPECT_EQ(Allows(r, Permission::kFreezeIndicators),
              r == Role::kNationalOfficer)
        << RoleName(r);
  }
  EXPECT_EQ(*ParsePermission("freeze_indicators"),
            Permission::kFreezeIndicators);
  // Only the ministry (national) edits what herders are sent.
  for (Role r : AllRoles()) {
    EXPECT_EQ(Allows(r, Permission::kEditTemplates),
              r == Role::kNationalOfficer)
        << RoleName(r);
  }
  EXPECT_EQ(*ParsePermission("edit_templates"), Permission::kEditTemplates);
  for (Role r : AllRoles()) {
    EXPECT_EQ(Allows(r, Permission::kHandleConfidential),
              r == Role::kGbvFocalPoint)
        << RoleName(r);
  }
  EXPECT_TRUE(Allows(Role::kAuditor, Permission::kReadGrievanceStats));
  EXPECT_TRUE(Allows(Role::kSoumOfficer, Permission::kHandleGrievance));
  EXPECT_EQ(AllRoles().size(), 8u);
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
  for (Role r : {Role::kHotlineOperator, Role::kGbvFocalPoint}) {
    EXPECT_TRUE(CheckArea(r, 0, **geo).ok());
    EXPECT_TRUE(CheckArea(r, 181, **geo).ok());
    EXPECT_TRUE(CheckArea(r, 18140, **geo).ok());
    EXPECT_FALSE(CheckArea(r, 99999, **geo).ok());
  }
  EXPECT_EQ(AreaOf(18140).soum_code, 18140);
  EXPECT_EQ(AreaOf(181).aimag_code, 181);
  EXPECT_EQ(AreaOf(0).aimag_code + AreaOf(0).soum_code, 0);
}

using std::chrono::seconds;
using Clock = LoginThrottle::Clock;

// Admits and fails one attempt; the wait if refused.
int64_t Guess(LoginThrottle& t, const std::string& account,
              const std::string& address, Clock::time_point now) {
  auto a = t.Admit(account, address, now);
  if (a.retry_after.count() == 0) t.Failed(account, address, now);
  return a.retry_after.count();
}

TEST(ThrottleTest, DelayGrowsPerAccountAndAddressPair) {
  LoginThrottle t;
  auto now = Clock::now();
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Guess(t, "bold", "10.0.0.1", now), 0);
  EXPECT_EQ(Guess(t, "bold", "10.0.0.1", now), 1);  // 4th: waits 1 s.
  EXPECT_EQ(Guess(t, "bold", "10.0.0.1", now + seconds(1)), 0);
  EXPECT_EQ(Guess(t, "bold", "10.0.0.1", now + seconds(1)), 2);  // 5th: 2 s.
  EXPECT_EQ(Guess(t, "bold", "10.0.0.1", now + seconds(3)), 0);
  EXPECT_EQ(Guess(t, "bold", "10.0.0.1", now + seconds(4)), 3);  // 6th: 4 s.
  // The same account from another address, and another account, are not
  // slowed by this pair.
  EXPECT_EQ(t.Admit("bold", "10.0.0.2", now).retry_after.count(), 0);
  EXPECT_EQ(t.Admit("saraa", "10.0.0.1", now).retry_after.count(), 0);
  // Forgotten after an hour without failures.
  EXPECT_EQ(Guess(t, "bold", "10.0.0.1", now + seconds(3700)), 0);
}

TEST(ThrottleTest, OneAddressTryingManyAccountsIsSlowed) {
  LoginThrottle t;
  auto now = Clock::now();
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(Guess(t, "user" + std::to_string(i), "10.9.9.9", now), 0);
  }
  EXPECT_GT(t.Admit("fresh", "10.9.9.9", now).retry_after.count(), 0);
  EXPECT_EQ(t.Admit("fresh", "10.9.9.8", now).retry_after.count(), 0);
}

TEST(ThrottleTest, GuessesFromNewAddressesNeverSlowTheOwnersOwn) {
  ThrottlePolicy p;
  LoginThrottle t(p);
  auto now = Clock::now();
  auto mine = t.Admit("admin", "198.51.100.10", now);
  ASSERT_EQ(mine.retry_after.count(), 0);
  t.Succeeded("admin", "198.51.100.10", mine, now);
  // Guesses spread over 40 fresh addresses: the account budget for new
  // addresses (10) runs out, and its delay stays short (30 s at most).
  int refused = 0;
  for (int i = 0; i < 40; ++i) {
    int64_t wait = Guess(t, "admin", "203.0.113." + std::to_string(i), now);
    EXPECT_LE(wait, p.max_account_delay.count());
    refused += wait > 0;
  }
  EXPECT_EQ(refused, 30);
  // The owner's known address is outside that budget...
  auto again = t.Admit("admin", "198.51.100.10", now);
  EXPECT_EQ(again.retry_after.count(), 0);
  // ...and the login reports what happened meanwhile, once.
  FailedLogins seen = t.Succeeded("admin", "198.51.100.10", again, now);
  EXPECT_EQ(seen.failed, 10);
  EXPECT_EQ(seen.refused, 30);
  EXPECT_EQ(seen.last_address, "203.0.113.39");
  EXPECT_EQ(t.Succeeded("admin", "198.51.100.10", again, now).failed, 0);
  // A new address of the owner's waits, but only briefly.
  auto fresh = t.Admit("admin", "192.0.2.1", now);
  EXPECT_GT(fresh.retry_after.count(), 0);
  EXPECT_LE(fresh.retry_after, p.max_account_delay);
  EXPECT_EQ(
      t.Admit("admin", "192.0.2.1", now + p.max_account_delay).retry_after,
      seconds(0));
}

TEST(ThrottleTest, AdmissionIsAtomicUnderParallelAttempts) {
  LoginThrottle t;
  auto now = Clock::now();
  std::atomic<bool> go{false};
  std::atomic<int> admitted{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 40; ++i) {
    threads.emplace_back([&] {
      while (!go) std::this_thread::yield();
      if (t.Admit("bold", "10.0.0.1", now).retry_after.count() == 0) {
        admitted++;
      }
    });
  }
  go = true;
  for (auto& th : threads) th.join();
  EXPECT_EQ(admitted, 3);
}

TEST(ThrottleTest, MemoryIsBounded) {
  ThrottlePolicy p;
  p.max_entries = 10;
  LoginThrottle t(p);
  auto now = Clock::now();
  for (int i = 0; i < 100; ++i) {
    Guess(t, "u" + std::to_string(i), "a" + std::to_string(i), now);
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

TEST_F(AuthenticatorTest, WrongPasswordsAreThrottledWithoutLockingTheOwner) {
  Authenticator a;
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(
        a.Login(session(), "dorj", "wrong-password", "1.2.3.4").status().code(),
        StatusCode::kUnauthenticated);
  }
  EXPECT_EQ(
      a.Login(session(), "nobody", "whatever-pass", "1.2.3.4").status().code(),
      StatusCode::kUnauthenticated);
  LoginRefusal refusal;
  auto r = a.Login(session(), "dorj", "wrong-password", "1.2.3.4", &refusal);
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_GT(refusal.retry_after.count(), 0);
  // The right password from elsewhere is not refused, and hears of them.
  r = a.Login(session(), "dorj", "dorj-secret-1", "5.6.7.8");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->failed_logins.failed, 3);
  EXPECT_EQ(r->failed_logins.refused, 1);
}

TEST_F(AuthenticatorTest, GuessesFromFreshAddressesDoNotLockTheOwnerOut) {
  auto clock = std::make_shared<Clock::time_point>(Clock::now());
  Authenticator a(std::chrono::hours(8), {}, [clock] { return *clock; });
  ASSERT_TRUE(
      a.Login(session(), "dorj", "dorj-secret-1", "198.51.100.10").ok());
  for (int i = 0; i < 14; ++i) {
    (void)a.Login(session(), "dorj", "guess-" + std::to_string(i),
                  "203.0.113." + std::to_string(i));
  }
  auto r = a.Login(session(), "dorj", "dorj-secret-1", "198.51.100.10");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->failed_logins.failed + r->failed_logins.refused, 14);
  // From a new address the owner waits a little, never minutes.
  LoginRefusal refusal;
  r = a.Login(session(), "dorj", "dorj-secret-1", "192.0.2.7", &refusal);
  if (!r.ok()) {
    EXPECT_LE(refusal.retry_after, seconds(30));
    *clock += refusal.retry_after;
    r = a.Login(session(), "dorj", "dorj-secret-1", "192.0.2.7");
  }
  EXPECT_TRUE(r.ok()) << r.status().ToString();
}

TEST_F(AuthenticatorTest, ParallelGuessesGetNoMorePasswordChecksThanAllowed) {
  Authenticator a;
  std::vector<std::unique_ptr<store::Session>> stores;
  for (int i = 0; i < 40; ++i) {
    stores.push_back(std::move(test_.database->Connect().value()));
  }
  std::atomic<bool> go{false};
  std::atomic<int> checked{0}, refused{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 40; ++i) {
    threads.emplace_back([&, i] {
      while (!go) std::this_thread::yield();
      auto r = a.Login(*stores[i], "dorj", "wrong-password", "1.2.3.4");
      if (r.status().code() == StatusCode::kUnauthenticated) checked++;
      if (r.status().code() == StatusCode::kUnavailable) refused++;
    });
  }
  go = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(checked, 3);
  EXPECT_EQ(refused, 37);
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
