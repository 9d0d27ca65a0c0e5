// Notices from the other capabilities through the SMS outbox, on every
// engine (store/notices.h, channel/notices.h): an insurance contribution
// recorded queues one SMS to the household's phone in the same
// transaction — kept only if the payment is, once per ledger entry —
// and none for an opted-out phone, a household without a phone, or a
// session without a messenger.
#include <gtest/gtest.h>

#include "backends/conformance/outbox_count.h"
#include "backends/testing/test_database.h"
#include "channel/notices.h"
#include "channel/outbox.h"
#include "insurance/ledger_service.h"
#include "insurance/schemes.h"
#include "registry/repository.h"

namespace malchin::conformance {
namespace {

using backends::testing::EngineTest;

constexpr const char* kA = "ИЗ85120320";  // H1, phone 88001122.
constexpr const char* kC = "ИБ70010152";  // H2, no phone.

class ChannelNoticesTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    std::vector<registry::Household> hh(2);
    hh[0].id = "H1";
    hh[0].phone = "88001122";
    hh[1].id = "H2";
    for (auto& h : hh) {
      h.soum_code = h.current_soum_code = 18140;
      h.herder = true;
    }
    auto person = [](const char* rn, const char* h) {
      registry::Person p;
      p.register_no = rn;
      p.household_id = h;
      p.father_name = "Бат";
      p.given_name = "Сүх";
      p.birth_date = *Date::Parse("1985-12-03");
      p.relation = registry::Relation::kHead;
      p.herder = true;
      return p;
    };
    auto w = Get<registry::Repository>().Upsert(
        hh, {person(kA, "H1"), person(kC, "H2")}, {"test", ""});
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    notices_ = std::make_unique<channel::OutboxNotices>(
        *channel::TemplateCatalogue::Embedded(),
        *params::ParameterSet::Embedded());
    session().SetNotices(notices_.get());
  }
  void TearDown() override {
    if (!IsSkipped()) session().SetNotices(nullptr);
    EngineTest::TearDown();
  }
  Result<insurance::PaymentReceipt> Pay(const char* rn, int month) {
    insurance::PaymentRequest r;
    r.register_no = rn;
    r.scheme = insurance::InsuranceScheme::kHealth;
    r.first_month = insurance::MakeMonth(2025, month);
    r.months = 2;
    r.paid_on = *Date::Parse("2025-03-10");
    return insurance::RecordPayment(Get<insurance::Repository>(),
                                    **params::ParameterSet::Embedded(), {}, r,
                                    {"officer", ""});
  }
  int64_t Messages() { return OutboxMessages(session()); }
  std::unique_ptr<channel::OutboxNotices> notices_;
};

TEST_P(ChannelNoticesTest, AContributionRecordedTellsTheHouseholdOnce) {
  auto paid = Pay(kA, 3);
  ASSERT_TRUE(paid.ok()) << paid.status().ToString();
  std::string key = "insurance.entry." + std::to_string(paid->entry_id);
  auto m = Get<channel::Repository>().FindByKey(key);
  ASSERT_TRUE(m.ok() && m->has_value()) << key;
  EXPECT_EQ((*m)->phone, "+97688001122");
  EXPECT_EQ((*m)->household_id, "H1");
  EXPECT_EQ((*m)->register_no, kA);
  EXPECT_EQ((*m)->template_id, "insurance.contribution_recorded");
  EXPECT_NE((*m)->text.find("2025-03..2025-04"), std::string::npos)
      << (*m)->text;
  EXPECT_NE((*m)->text.find(channel::GroupedAmount(paid->entry.amount)),
            std::string::npos)
      << (*m)->text;
  EXPECT_EQ(Messages(), 1);
}

TEST_P(ChannelNoticesTest, TheNoticeIsKeptOnlyWithTheChange) {
  Status rolled_back = session().Write([&]() -> Status {
    MALCHIN_RETURN_IF_ERROR(Pay(kA, 3).status());
    EXPECT_EQ(Messages(), 1);  // Inside: queued with the payment.
    return Status::Conflict("the caller gives up");
  });
  EXPECT_EQ(rolled_back.code(), StatusCode::kConflict);
  EXPECT_EQ(Messages(), 0);
  auto entries = Get<insurance::Repository>().Entries({}, kA);
  ASSERT_TRUE(entries.ok());
  EXPECT_TRUE(entries->empty());
}

TEST_P(ChannelNoticesTest, NoneWithoutAPhoneOptedOutOrMessenger) {
  ASSERT_TRUE(Pay(kC, 3).ok());  // H2 has no phone.
  EXPECT_EQ(Messages(), 0);
  ASSERT_TRUE(channel::SetOptOut(session(), "88001122", true, "sms").ok());
  ASSERT_TRUE(Pay(kA, 3).ok());
  EXPECT_EQ(Messages(), 0);
  ASSERT_TRUE(channel::SetOptOut(session(), "88001122", false, "sms").ok());
  session().SetNotices(nullptr);
  ASSERT_TRUE(Pay(kA, 5).ok());
  EXPECT_EQ(Messages(), 0);
}

INSTANTIATE_TEST_SUITE_P(Engines, ChannelNoticesTest,
                         ::testing::ValuesIn(backends::testing::TestEngines()),
                         backends::testing::EngineName);

}  // namespace
}  // namespace malchin::conformance
