// Test support for the grievance service tests: a fresh database (SQLite,
// or the engine MALCHIN_TEST_ENGINE names), a fake clock, the shipped
// context, and one account per role:
//   tos, bold (soum_officer 18140), ikh (soum_officer 18125),
//   zav (aimag_officer 181), ark (aimag_officer 265), nat, nat2
//   (national_officer), fp (gbv_focal_point 181), fp_ark (gbv_focal_point
//   265), fp_nat (gbv_focal_point 0), hot (hotline_operator 0), ana
//   (analyst), aud (auditor), adm (admin).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "auth/accounts.h"
#include "backends/testing/engine_choice.h"
#include "backends/testing/test_database.h"
#include "core/clock.h"
#include "grievance/service.h"

namespace malchin::grievance::testing {

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto t =
        backends::testing::OpenTestStore(backends::testing::ApiTestEngine());
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    store_ = std::move(*t);
    session().SetClock(&clock_);
    auto ctx = Context::Embedded();
    ASSERT_TRUE(ctx.ok()) << ctx.status().ToString();
    ctx_ = std::move(*ctx);
    struct Account {
      const char* name;
      const char* role;
      int32_t area;
    };
    for (const Account& a :
         std::initializer_list<Account>{{"tos", "soum_officer", 18140},
                                        {"bold", "soum_officer", 18140},
                                        {"ikh", "soum_officer", 18125},
                                        {"zav", "aimag_officer", 181},
                                        {"ark", "aimag_officer", 265},
                                        {"nat", "national_officer", 0},
                                        {"nat2", "national_officer", 0},
                                        {"fp", "gbv_focal_point", 181},
                                        {"fp_ark", "gbv_focal_point", 265},
                                        {"fp_nat", "gbv_focal_point", 0},
                                        {"hot", "hotline_operator", 0},
                                        {"ana", "analyst", 0},
                                        {"aud", "auditor", 0},
                                        {"adm", "admin", 0}}) {
      auth::UserRecord u;
      u.username = a.name;
      u.password_hash = "$argon2id$test";
      u.role = a.role;
      u.area_code = a.area;
      u.created_at = u.updated_at = "2026-11-01T00:00:00Z";
      auto made = session().Get<auth::AccountRepository>().CreateUser(u);
      ASSERT_TRUE(made.ok()) << made.status().ToString();
    }
  }
  void TearDown() override { store_ = {}; }

  store::Session& session() { return *store_.session; }
  Service Grievances() { return Service(session(), ctx_); }
  // The session acts as account `user` from now on.
  void As(const std::string& user) {
    auto u = session().Get<auth::AccountRepository>().FindUser(user);
    ASSERT_TRUE(u.ok() && u->has_value()) << user;
    session().SetCaller(
        {user, (*u)->role, store::AreaFilter::FromCode((*u)->area_code)});
  }
  // A walk-in complaint at Tosontsengel recorded by tos.
  IntakeRequest Walkin(const std::string& category = "not_included") {
    IntakeRequest r;
    r.channel = Channel::kOffice;
    r.category = category;
    r.soum_code = 18140;
    r.summary = "Миний хүүхдэд мөнгө ороогүй.";
    r.complainant.name = "Бат Сараа";
    r.complainant.register_no = "из85120320";
    r.complainant.contact = Contact::kLetter;
    return r;
  }
  IntakeReceipt Record(const IntakeRequest& r, const std::string& by = "tos") {
    As(by);
    auto got = Grievances().Intake(r);
    EXPECT_TRUE(got.ok()) << got.status().ToString();
    return got.ok() ? *got : IntakeReceipt{};
  }
  int64_t Count(const std::string& action) {
    store::AuditQuery q;
    q.limit = 1000;
    auto all = session().ListAudit(q);
    EXPECT_TRUE(all.ok());
    int64_t n = 0;
    for (const auto& e : *all) n += e.action == action;
    return n;
  }

  FakeClock clock_{Date::FromYmd(2026, 12, 1)};
  backends::testing::TestStore store_;
  Context ctx_;
};

}  // namespace malchin::grievance::testing
