// Payment notices on every engine (response reconciliation through
// channel::OutboxNotices): a bank result file tells each household, once,
// what arrived (payment.sent: the household's sum, the bank's name) and
// what did not (payment.failed), in the reconciliation's transaction; a
// file refused whole tells nobody; re-importing it tells nobody again; a
// household whose phone opted out is not told.
#include <gtest/gtest.h>

#include "backends/conformance/outbox_count.h"
#include "backends/conformance/response_fixture.h"
#include "channel/notices.h"
#include "channel/outbox.h"
#include "channel/repository.h"

namespace malchin::conformance {
namespace {

constexpr auto kPaid = response::PaymentStatus::kPaid;
constexpr auto kFailed = response::PaymentStatus::kFailed;

class ResponseNoticesTest : public ResponseFixture {
 protected:
  void SetUp() override {
    ResponseFixture::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    std::vector<Household> hh = {Hh("H1", 18149), Hh("H2", 18149)};
    hh[0].phone = "88001122";
    hh[1].phone = "99112233";
    ASSERT_TRUE(reg().Upsert(hh, {}, {"test", "t"}).ok());
    notices_ = std::make_unique<channel::OutboxNotices>(
        *channel::TemplateCatalogue::Embedded(),
        *params::ParameterSet::Embedded(), "1234");
    session().SetNotices(notices_.get());
    ASSERT_NO_FATAL_FAILURE(ApproveAndPay());
    auto issued = rs_->IssuePayments("p1", 1, "maker", FirstFour);
    ASSERT_TRUE(issued.ok()) << issued.status().ToString();
    ASSERT_TRUE(rs_->ForEachIssued("p1", 1, issued->batch,
                                   [&](const IssuedPayment& p) {
                                     payments_[p.beneficiary_register_no] =
                                         p.reference;
                                     return Status::Ok();
                                   })
                    .ok());
    ASSERT_EQ(payments_.size(), 3u);
  }
  void TearDown() override {
    if (!IsSkipped()) session().SetNotices(nullptr);
    ResponseFixture::TearDown();
  }
  int64_t Messages() { return OutboxMessages(session()); }
  // The notice of `household` for file `import_id` ("s" sent, "f" failed).
  std::optional<channel::OutboxMessage> Notice(int64_t import_id,
                                               const char* household,
                                               const char* outcome) {
    auto plan = rs_->FindPlan("p1");
    EXPECT_TRUE(plan.ok() && plan->has_value());
    const std::string key = "pay." + std::to_string(import_id) + "." +
                            std::to_string((*plan)->id) + "." + household +
                            "." + outcome;
    auto m = Get<channel::Repository>().FindByKey(key);
    EXPECT_TRUE(m.ok());
    return m.ok() ? *m : std::nullopt;
  }
  // H1's two children paid, H2's child failed.
  std::vector<PaymentResult> Results() {
    return {{2, payments_["ИЗ15220111"], kPaid, 40000, ""},
            {3, payments_["ИЗ17220122"], kPaid, 40000, ""},
            {4, payments_["ИЗ18220111"], kFailed, 40000, "account closed"}};
  }
  std::unique_ptr<channel::OutboxNotices> notices_;
  std::map<std::string, std::string> payments_;  // Beneficiary -> reference.
};

TEST_P(ResponseNoticesTest, EachHouseholdIsToldOnceWhatArrivedAndWhatFailed) {
  auto c = rs_->ApplyResults("bank.csv", Results(), "maker");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_GT(c->import_id, 0);
  EXPECT_EQ(Messages(), 2);
  auto sent = Notice(c->import_id, "H1", "s");
  ASSERT_TRUE(sent.has_value());
  EXPECT_EQ(sent->phone, "+97688001122");
  EXPECT_EQ(sent->template_id, "payment.sent");
  EXPECT_EQ(sent->register_no, "ИЗ85120320");  // The payee.
  EXPECT_NE(sent->text.find("80,000"), std::string::npos) << sent->text;
  EXPECT_NE(sent->text.find("Phase 1"), std::string::npos) << sent->text;
  EXPECT_NE(sent->text.find("1234"), std::string::npos) << sent->text;
  auto failed = Notice(c->import_id, "H2", "f");
  ASSERT_TRUE(failed.has_value());
  EXPECT_EQ(failed->template_id, "payment.failed");
  EXPECT_NE(failed->text.find("40,000"), std::string::npos) << failed->text;
  EXPECT_FALSE(Notice(c->import_id, "H1", "f").has_value());
  // The same file again changes nothing and tells nobody again.
  auto again = rs_->ApplyResults("bank.csv", Results(), "maker");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->changed, 0);
  EXPECT_EQ(Messages(), 2);
}

TEST_P(ResponseNoticesTest, ARefusedFileTellsNobody) {
  std::vector<PaymentResult> bad = Results();
  bad.push_back({5, "MLC-9-9-9-9", kPaid, 40000, ""});
  EXPECT_EQ(rs_->ApplyResults("bad.csv", bad, "maker").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(Messages(), 0);
}

TEST_P(ResponseNoticesTest, AnOptedOutPhoneIsNotTold) {
  ASSERT_TRUE(channel::SetOptOut(session(), "88001122", true, "sms").ok());
  auto c = rs_->ApplyResults("bank.csv", Results(), "maker");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(Messages(), 1);
  EXPECT_FALSE(Notice(c->import_id, "H1", "s").has_value());
  EXPECT_TRUE(Notice(c->import_id, "H2", "f").has_value());
}

INSTANTIATE_TEST_SUITE_P(Engines, ResponseNoticesTest,
                         ::testing::ValuesIn(backends::testing::TestEngines()),
                         backends::testing::EngineName);

}  // namespace
}  // namespace malchin::conformance
