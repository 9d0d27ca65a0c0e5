// A complaint's payment fix goes through the response capability's own
// payment actions (issue #17): phase 1 of the Zavkhan pilot is paid (one
// payment in ten failed), then a complaint about a failed payment asks for
// a hold and one for a re-issue. The hold waits for a second officer there,
// whom the officer the complaint is about can never be; the re-issue is
// recorded as the response capability records re-issues; a paid payment or
// one outside the caller's area is refused, and nothing is recorded on the
// case then. Runs on the engine MALCHIN_TEST_ENGINE names.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>

#include "auth/accounts.h"
#include "backends/testing/engine_choice.h"
#include "backends/testing/test_database.h"
#include "cli/testing.h"
#include "grievance/service.h"
#include "pdm/pilot_payroll_test_util.h"
#include "response/transfers.h"

namespace malchin::grievance {
namespace {

namespace fs = std::filesystem;

class PaymentFixTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = cli::testing::FreshTestDir("malchin-grv-payfix");
    database_ = std::move(backends::testing::TestDatabase::Make(
                              backends::testing::ApiTestEngine())
                              .value());
    auto generated =
        cli::testing::Run({"generate", "--db", database_->url(), "--aimag",
                           "Zavkhan", "--scale", "0.05"});
    ASSERT_EQ(generated.code, 0) << generated.err;
    auto s = database_->Connect();
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    session_ = std::move(*s);
    for (auto [name, role, area] : {std::tuple{"maker", "national_officer", 0},
                                    {"checker", "national_officer", 0},
                                    {"tos", "soum_officer", 18140},
                                    {"ikh", "soum_officer", 18125},
                                    {"zav", "aimag_officer", 181},
                                    {"zav2", "aimag_officer", 181},
                                    {"ark", "aimag_officer", 265}}) {
      auth::UserRecord u;
      u.username = name;
      u.password_hash = "x";
      u.role = role;
      u.area_code = area;
      u.created_at = u.updated_at = "2025-01-01T00:00:00Z";
      ASSERT_TRUE(session_->Get<auth::AccountRepository>().CreateUser(u).ok());
    }
    ASSERT_NO_FATAL_FAILURE(
        pdm::testing::PayPilotPhaseOne(database_->url(), dir_));
    // The bank's answers to every payment file (as PayPilotPhaseOne gave).
    for (const auto& e : fs::directory_iterator(dir_ / "pay")) {
      std::istringstream answer(pdm::testing::BankAnswer(e.path()));
      std::string line;
      std::getline(answer, line);
      while (std::getline(answer, line)) {
        auto f = pdm::testing::Fields(line);
        (f[1] == "failed" ? failed_ : paid_).push_back(f[0]);
      }
    }
    ASSERT_GE(failed_.size(), 2u);
    ASSERT_FALSE(paid_.empty());
    auto ctx = Context::Embedded();
    ASSERT_TRUE(ctx.ok()) << ctx.status().ToString();
    ctx_ = std::move(*ctx);
  }
  void TearDown() override {
    session_.reset();
    fs::remove_all(dir_);
  }

  void As(const std::string& user, const std::string& role, int32_t area) {
    session_->SetCaller({user, role, store::AreaFilter::FromCode(area)});
  }
  // A complaint about `reference` at Tosontsengel, under review by tos.
  int64_t Complaint(const std::string& reference) {
    As("tos", "soum_officer", 18140);
    IntakeRequest r;
    r.channel = Channel::kOffice;
    r.category = "payment_problem";
    r.soum_code = 18140;
    r.summary = "Мөнгө ороогүй.";
    r.complainant.name = "Бат Сараа";
    r.complainant.contact = Contact::kLetter;
    r.subject_kind = SubjectKind::kPayment;
    r.subject_ref = reference;
    Service g(*session_, ctx_);
    auto got = g.Intake(r);
    EXPECT_TRUE(got.ok()) << got.status().ToString();
    if (!got.ok()) return 0;
    EXPECT_TRUE(g.Move(got->id, Action::kAcknowledge).ok());
    EXPECT_TRUE(g.Move(got->id, Action::kStartReview).ok());
    As("zav", "aimag_officer", 181);  // Asks for payment actions.
    return got->id;
  }
  FixRequest Ask(FixKind kind, const std::string& reference) {
    FixRequest f;
    f.kind = kind;
    f.note = "the bank returned it: account closed";
    f.payment_reference = reference;
    return f;
  }

  fs::path dir_;
  std::unique_ptr<backends::testing::TestDatabase> database_;
  std::unique_ptr<store::Session> session_;
  Context ctx_;
  std::vector<std::string> failed_, paid_;
};

TEST_F(PaymentFixTest, HoldWaitsForASecondOfficerWhoIsNotTheAccused) {
  const int64_t id = Complaint(failed_[0]);
  ASSERT_NE(id, 0);
  Service g(*session_, ctx_);
  auto named = g.NameAccused(id, "zav2");
  ASSERT_TRUE(named.ok()) << named.status().ToString();
  auto asked = g.RequestFix(id, Ask(FixKind::kPaymentHold, failed_[0]));
  ASSERT_TRUE(asked.ok()) << asked.status().ToString();
  EXPECT_EQ(asked->state, "requested");
  ASSERT_GT(asked->fix.external_id, 0);
  response::Transfers t(*session_);
  auto action = t.FindAction(asked->fix.external_id, {});
  ASSERT_TRUE(action.ok()) << action.status().ToString();
  EXPECT_EQ(action->kind, response::CaseAction::kHold);
  EXPECT_EQ(action->barred_checker, "zav2");
  // The case is about zav2: its hidden reason is given, not the note.
  EXPECT_EQ(action->reason.find("account closed"), std::string::npos);
  // Neither the requester nor the accused may decide it; another may.
  As("zav2", "aimag_officer", 181);
  EXPECT_EQ(
      t.DecideAction("p1", action->id, true, "ok", "zav2", {}).status().code(),
      StatusCode::kPermissionDenied);
  As("zav", "aimag_officer", 181);
  EXPECT_EQ(
      t.DecideAction("p1", action->id, true, "ok", "zav", {}).status().code(),
      StatusCode::kPermissionDenied);
  As("checker", "national_officer", 0);
  ASSERT_TRUE(t.DecideAction("p1", action->id, true, "ok", "checker", {}).ok());
  As("zav", "aimag_officer", 181);
  auto v = g.Get(id);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  ASSERT_EQ(v->fixes.size(), 1u);
  EXPECT_EQ(v->fixes[0].state, "confirmed");
}

TEST_F(PaymentFixTest, ReissueIsRecordedAsTheResponseCapabilityRecordsIt) {
  const int64_t id = Complaint(failed_[1]);
  ASSERT_NE(id, 0);
  Service g(*session_, ctx_);
  auto asked = g.RequestFix(id, Ask(FixKind::kPaymentReissue, failed_[1]));
  ASSERT_TRUE(asked.ok()) << asked.status().ToString();
  EXPECT_EQ(asked->state, "confirmed");
  response::Transfers t(*session_);
  auto action = t.FindAction(asked->fix.external_id, {});
  ASSERT_TRUE(action.ok());
  EXPECT_EQ(action->kind, response::CaseAction::kReissue);
  EXPECT_EQ(action->reason, "the bank returned it: account closed");
}

TEST_F(PaymentFixTest, RefusalsOfTheOwnerComeBackAndNothingIsRecorded) {
  const int64_t id = Complaint(paid_[0]);
  ASSERT_NE(id, 0);
  Service g(*session_, ctx_);
  // A paid payment is not re-issued (the response capability's rule).
  EXPECT_EQ(
      g.RequestFix(id, Ask(FixKind::kPaymentReissue, paid_[0])).status().code(),
      StatusCode::kFailedPrecondition);
  // No such reference.
  EXPECT_EQ(g.RequestFix(id, Ask(FixKind::kPaymentHold, "no-such-ref"))
                .status()
                .code(),
            StatusCode::kNotFound);
  auto v = g.Get(id);
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->fixes.empty());
  // A soum officer may not ask for payment actions.
  As("tos", "soum_officer", 18140);
  EXPECT_EQ(
      g.RequestFix(id, Ask(FixKind::kPaymentHold, failed_[0])).status().code(),
      StatusCode::kPermissionDenied);
  // An officer of another aimag does not find the payment.
  As("ark", "aimag_officer", 265);
  response::Transfers t(*session_);
  EXPECT_EQ(t.FindPayment(failed_[0], {}).status().code(),
            StatusCode::kNotFound);
  As("tos", "soum_officer", 18140);
  auto found = t.FindPayment(failed_[0], {});
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_EQ(found->plan_code, "p1");
  EXPECT_EQ(found->installment, 1);
}

}  // namespace
}  // namespace malchin::grievance
