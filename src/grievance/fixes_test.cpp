// A resolution's fix goes through the owning capability's maker-checker:
// the register correction waits for a second officer of the registry, the
// insurance reversal for a second officer of insurance; payment holds and
// re-issues are the response capability's (payment_fix_test.cpp). The complaint
// cannot close while a register or insurance fix is pending.
#include <gtest/gtest.h>

#include "grievance/service_test_fixture.h"
#include "insurance/corrections.h"
#include "insurance/ledger_service.h"
#include "registry/corrections.h"
#include "registry/repository.h"

namespace malchin::grievance {
namespace {

using testing::ServiceTest;

class FixesTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    if (HasFatalFailure()) return;
    registry::Household h;
    h.id = "H1";
    h.soum_code = h.current_soum_code = 18140;
    h.herder = true;
    h.herd[registry::Species::kSheep] = 40;
    registry::Person p;
    p.register_no = "ИЗ85120320";
    p.household_id = "H1";
    p.father_name = "Бат";
    p.given_name = "Сараа";
    p.sex = registry::Sex::kFemale;
    p.birth_date = Date::FromYmd(1985, 12, 3);
    p.relation = registry::Relation::kHead;
    p.herder = true;
    auto w = session().Get<registry::Repository>().Upsert({h}, {p},
                                                          {"test", "fixture"});
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    insurance::PaymentRequest pay;
    pay.register_no = p.register_no;
    pay.scheme = insurance::InsuranceScheme::kHealth;
    pay.first_month = 2026 * 12 + 10;
    pay.paid_on = Date::FromYmd(2026, 11, 20);
    auto paid =
        insurance::RecordPayment(session().Get<insurance::Repository>(),
                                 *ctx_.params, {}, pay, {"test", "fixture"});
    ASSERT_TRUE(paid.ok()) << paid.status().ToString();
    entry_ = paid->entry_id;
    IntakeRequest r = Walkin("data_correction");
    r.subject_kind = SubjectKind::kHousehold;
    r.subject_ref = "H1";
    case_ = Record(r);
    As("tos");
    ASSERT_TRUE(Grievances().Move(case_.id, Action::kAcknowledge).ok());
    ASSERT_TRUE(Grievances().Move(case_.id, Action::kStartReview).ok());
  }
  int64_t entry_ = 0;
  IntakeReceipt case_;
};

TEST_F(FixesTest, ARegisterCorrectionWaitsForASecondOfficer) {
  FixRequest fix;
  fix.kind = FixKind::kRegisterCorrection;
  fix.note = "The herd was counted wrongly.";
  fix.household_id = "H1";
  fix.changes = {{"sheep", "40", "140"}};
  auto asked = Grievances().RequestFix(case_.id, fix);
  ASSERT_TRUE(asked.ok()) << asked.status().ToString();
  EXPECT_EQ(asked->state, "pending");
  EXPECT_GT(asked->fix.external_id, 0);
  // Nothing changed in the register yet.
  auto h = session().Get<registry::Repository>().FindHousehold("H1");
  EXPECT_EQ((*h)->herd[registry::Species::kSheep], 40);
  // The case resolves, but cannot close while the fix is pending.
  ASSERT_TRUE(Grievances().Move(case_.id, Action::kResolve, "Corrected.").ok());
  auto view = Grievances().Get(case_.id);
  ASSERT_TRUE(Grievances().MarkPrinted(case_.id, view->notices.back().id).ok());
  auto closing = Grievances().Move(case_.id, Action::kClose);
  EXPECT_EQ(closing.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(closing.status().message().find("second officer"),
            std::string::npos);
  // The maker cannot check their own proposal; another officer can.
  auto own = registry::ApproveCorrection(session(), asked->fix.external_id, "",
                                         *ctx_.geo, Date::FromYmd(2026, 12, 1));
  EXPECT_EQ(own.status().code(), StatusCode::kPermissionDenied);
  As("zav");
  auto approved = registry::ApproveCorrection(
      session(), asked->fix.external_id, "Checked with the bag governor.",
      *ctx_.geo, Date::FromYmd(2026, 12, 1));
  ASSERT_TRUE(approved.ok()) << approved.status().ToString();
  EXPECT_EQ(approved->state, registry::CorrectionState::kApplied);
  // Applied through the register's own write path: new version, audited.
  h = session().Get<registry::Repository>().FindHousehold("H1");
  EXPECT_EQ((*h)->herd[registry::Species::kSheep], 140);
  EXPECT_EQ(*session().Get<registry::Repository>().HouseholdVersion("H1"), 2);
  EXPECT_EQ(Count("register.correction.approve"), 1);
  As("tos");
  EXPECT_EQ(Grievances().Get(case_.id)->fixes[0].state, "applied");
  EXPECT_TRUE(Grievances().Move(case_.id, Action::kClose).ok());
}

TEST_F(FixesTest, AStaleProposalIsRefusedAtApproval) {
  FixRequest fix;
  fix.kind = FixKind::kRegisterCorrection;
  fix.note = "Wrong name";
  fix.household_id = "H1";
  fix.register_no = "ИЗ85120320";
  fix.changes = {{"given_name", "Сараа", "Сарангэрэл"}};
  auto asked = Grievances().RequestFix(case_.id, fix);
  ASSERT_TRUE(asked.ok()) << asked.status().ToString();
  // A `from` that is not the stored value is refused when proposing.
  fix.changes = {{"given_name", "Дулмаа", "Сарангэрэл"}};
  EXPECT_EQ(Grievances().RequestFix(case_.id, fix).status().field(), "from");
  // The record changes in between: the approval is a conflict.
  registry::Household h =
      **session().Get<registry::Repository>().FindHousehold("H1");
  auto members = *session().Get<registry::Repository>().Members("H1");
  members[0].given_name = "Саруул";
  ASSERT_TRUE(session()
                  .Get<registry::Repository>()
                  .UpdateHousehold(h, members, 1, {"tos", "edit"})
                  .ok());
  As("zav");
  auto approved =
      registry::ApproveCorrection(session(), asked->fix.external_id, "",
                                  *ctx_.geo, Date::FromYmd(2026, 12, 1));
  EXPECT_EQ(approved.status().code(), StatusCode::kConflict);
  // The checker rejects it instead; the proposer could have withdrawn it.
  auto rejected =
      registry::RejectCorrection(session(), asked->fix.external_id, "Stale");
  ASSERT_TRUE(rejected.ok());
  EXPECT_EQ(rejected->state, registry::CorrectionState::kRejected);
}

TEST_F(FixesTest, AnInsuranceReversalWaitsForASecondOfficer) {
  FixRequest fix;
  fix.kind = FixKind::kInsuranceCorrection;
  fix.note = "Paid twice for November";
  fix.entry_id = entry_;
  auto asked = Grievances().RequestFix(case_.id, fix);
  ASSERT_TRUE(asked.ok()) << asked.status().ToString();
  EXPECT_EQ(asked->state, "pending");
  EXPECT_EQ(Grievances().RequestFix(case_.id, fix).status().code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(insurance::ApproveCorrection(session(), *ctx_.params,
                                         asked->fix.external_id, "",
                                         Date::FromYmd(2026, 12, 1))
                .status()
                .code(),
            StatusCode::kPermissionDenied);
  As("nat");
  auto approved = insurance::ApproveCorrection(session(), *ctx_.params,
                                               asked->fix.external_id, "ok",
                                               Date::FromYmd(2026, 12, 1));
  ASSERT_TRUE(approved.ok()) << approved.status().ToString();
  EXPECT_GT(approved->reversal_entry_id, 0);
  auto entries =
      session().Get<insurance::Repository>().Entries({}, "ИЗ85120320");
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[1].reverses, entry_);
}

TEST_F(FixesTest, AFixOfAHiddenCaseNeitherNamesItNorLetsTheAccusedDecide) {
  // A complaint about tos, taken by the aimag officer, who asks both fixes.
  IntakeRequest r = Walkin("data_correction");
  r.subject_kind = SubjectKind::kOfficer;
  r.subject_ref = "tos";
  IntakeReceipt about = Record(r, "zav");
  ASSERT_TRUE(Grievances().Move(about.id, Action::kAcknowledge).ok());
  ASSERT_TRUE(Grievances().Move(about.id, Action::kStartReview).ok());
  const std::string note = "tos entered the herd wrongly on purpose";
  FixRequest reg;
  reg.kind = FixKind::kRegisterCorrection;
  reg.note = note;
  reg.household_id = "H1";
  reg.changes = {{"sheep", "40", "140"}};
  auto asked = Grievances().RequestFix(about.id, reg);
  ASSERT_TRUE(asked.ok()) << asked.status().ToString();
  FixRequest ins;
  ins.kind = FixKind::kInsuranceCorrection;
  ins.note = note;
  ins.entry_id = entry_;
  auto asked_ins = Grievances().RequestFix(about.id, ins);
  ASSERT_TRUE(asked_ins.ok()) << asked_ins.status().ToString();
  // What the owners hold (and show) names neither the case nor the note.
  As("tos");
  auto proposal = session().Get<registry::CorrectionRepository>().Find(
      asked->fix.external_id);
  ASSERT_TRUE(proposal.ok() && proposal->has_value());
  EXPECT_EQ((*proposal)->source, "grievance");
  EXPECT_EQ((*proposal)->reason.find("tos"), std::string::npos);
  EXPECT_EQ(registry::CorrectionJson(**proposal).find(about.reference),
            std::string::npos);
  EXPECT_EQ(registry::CorrectionJson(**proposal).find("tos"),
            std::string::npos);
  auto request = session().Get<insurance::CorrectionRepository>().Find(
      asked_ins->fix.external_id);
  ASSERT_TRUE(request.ok() && request->has_value());
  EXPECT_EQ((*request)->source, "grievance");
  EXPECT_EQ(insurance::CorrectionJson(**request).find("tos"),
            std::string::npos);
  // The accused may neither approve nor reject them.
  const Date today = Date::FromYmd(2026, 12, 1);
  EXPECT_EQ(registry::ApproveCorrection(session(), asked->fix.external_id, "",
                                        *ctx_.geo, today)
                .status()
                .code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(registry::RejectCorrection(session(), asked->fix.external_id, "no")
                .status()
                .code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(insurance::ApproveCorrection(session(), *ctx_.params,
                                         asked_ins->fix.external_id, "", today)
                .status()
                .code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(
      insurance::RejectCorrection(session(), asked_ins->fix.external_id, "no")
          .status()
          .code(),
      StatusCode::kPermissionDenied);
  // Another officer of the soum may.
  As("bold");
  EXPECT_TRUE(registry::ApproveCorrection(session(), asked->fix.external_id,
                                          "checked", *ctx_.geo, today)
                  .ok());
  EXPECT_TRUE(insurance::ApproveCorrection(session(), *ctx_.params,
                                           asked_ins->fix.external_id, "ok",
                                           today)
                  .ok());
  // An ordinary case still names itself and its note to the owner.
  As("tos");
  FixRequest plain = reg;
  plain.note = "miscounted";
  plain.changes = {{"sheep", "140", "141"}};
  auto mine = Grievances().RequestFix(case_.id, plain);
  ASSERT_TRUE(mine.ok()) << mine.status().ToString();
  auto open = session().Get<registry::CorrectionRepository>().Find(
      mine->fix.external_id);
  ASSERT_TRUE(open.ok() && open->has_value());
  EXPECT_EQ((*open)->source, "grievance " + case_.reference);
  EXPECT_EQ((*open)->reason, "miscounted");
}

TEST_F(FixesTest, PaymentFixesNeedAPaymentTheResponseCapabilityKnows) {
  // The payment is looked up by the response capability
  // (payment_fix_test.cpp has the paid payroll): an unknown reference is
  // refused there, and nothing is recorded on the case.
  FixRequest fix;
  fix.kind = FixKind::kPaymentHold;
  fix.note = "Hold until the account is corrected";
  fix.payment_reference = "zud-2026-i1-000123";
  // Asked by one who may ask for payment actions (manage_response): not a
  // soum officer.
  EXPECT_EQ(Grievances().RequestFix(case_.id, fix).status().code(),
            StatusCode::kPermissionDenied);
  As("zav");
  EXPECT_EQ(Grievances().RequestFix(case_.id, fix).status().code(),
            StatusCode::kNotFound);
  fix.payment_reference = "";
  EXPECT_EQ(Grievances().RequestFix(case_.id, fix).status().code(),
            StatusCode::kInvalidArgument);
  auto v = Grievances().Get(case_.id);
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->fixes.empty());
  // Asked only by whoever may ask the owner: the focal point may not ask
  // for a register correction.
  IntakeReceipt secret = Record(Walkin("gbv_disclosure"));
  As("fp");
  FixRequest reg;
  reg.kind = FixKind::kRegisterCorrection;
  reg.note = "x";
  reg.household_id = "H1";
  reg.changes = {{"sheep", "40", "41"}};
  EXPECT_EQ(Grievances().RequestFix(secret.id, reg).status().code(),
            StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace malchin::grievance
