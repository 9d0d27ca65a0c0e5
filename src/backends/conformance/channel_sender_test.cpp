// The SMS outbox's rules on every engine, with a scripted Kannel (an
// HttpGet that records each sendsms request) and a fake clock: queued
// once, sent once, retried with back-off, failed when refused or out of
// attempts, paced by the rate, held in quiet hours, opt-out honoured at
// send time, in-doubt messages resolved by the reports, reports never
// undoing a final state.
#include <gtest/gtest.h>

#include <deque>

#include "backends/testing/test_database.h"
#include "channel/outbox.h"
#include "channel/sender.h"
#include "core/clock.h"

namespace malchin::conformance {
namespace {

using backends::testing::EngineTest;
using channel::HttpAnswer;
using channel::OutboxState;
using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::seconds;

// 2026-03-02 04:00 UTC = 12:00 in Ulaanbaatar: not quiet.
Clock::TimePoint Noon() {
  return FakeClock(*Date::Parse("2026-03-02")).Now() + hours(4);
}

class ChannelSenderTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    clock_.Set(Noon());
    session().SetClock(&clock_);
    catalogue_ = *channel::TemplateCatalogue::Embedded();
    params_ = *params::ParameterSet::Embedded();
    channel::KannelAccount account;
    account.username = "malchin";
    account.password = "secret";
    channel::CallbackConfig callbacks;
    callbacks.dlr_url = "http://127.0.0.1:8080/api/v1/sms/dlr";
    client_ = std::make_unique<channel::KannelClient>(
        account, callbacks,
        [this](const std::string& target) -> Result<HttpAnswer> {
          targets_.push_back(target);
          if (answers_.empty()) return HttpAnswer{202, "0: Accepted"};
          auto a = answers_.front();
          answers_.pop_front();
          return a;
        });
  }
  void TearDown() override {
    if (!IsSkipped()) session().SetClock(nullptr);
    EngineTest::TearDown();
  }
  channel::QueueRequest Request(const std::string& key) {
    channel::QueueRequest r;
    r.idempotency_key = key;
    r.phone = "99112233";
    r.household_id = "H1";
    r.template_id = "payment.failed";
    r.values = {{"programme", "Хүүхдийн мөнгө"},
                {"amount", "40,000"},
                {"phone", "70112233"}};
    return r;
  }
  void QueueOk(const std::string& key) {
    auto q = channel::Queue(session(), *catalogue_, *params_, Request(key));
    ASSERT_TRUE(q.ok()) << q.status().ToString();
  }
  channel::Sender MakeSender(const char* owner = "w1") {
    return channel::Sender(session(), *client_, *params_, {owner},
                           [this](milliseconds d) {
                             waited_ += d;
                             clock_.Advance(d);
                           });
  }
  OutboxState StateOf(const std::string& key) {
    return (*Get<channel::Repository>().FindByKey(key))->state;
  }
  FakeClock clock_{*Date::Parse("2026-03-02")};
  std::shared_ptr<const channel::TemplateCatalogue> catalogue_;
  std::shared_ptr<const params::ParameterSet> params_;
  std::unique_ptr<channel::KannelClient> client_;
  std::vector<std::string> targets_;
  std::deque<HttpAnswer> answers_;
  milliseconds waited_{0};
};

TEST_P(ChannelSenderTest, QueuedOncePricedAndSentOnce) {
  QueueOk("pay-1");
  auto again =
      channel::Queue(session(), *catalogue_, *params_, Request("pay-1"));
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->queued);
  const auto& m = again->message;
  EXPECT_EQ(m.phone, "+97699112233");
  EXPECT_EQ(m.coding, channel::SmsCoding::kUcs2);
  EXPECT_EQ(m.segments, 2);  // 96 Cyrillic characters.
  EXPECT_EQ(m.cost, 40);
  auto sender = MakeSender();
  auto round = sender.RunUntilIdle();
  ASSERT_TRUE(round.ok()) << round.status().ToString();
  EXPECT_EQ(round->sent, 1);
  ASSERT_EQ(targets_.size(), 1u);
  EXPECT_NE(targets_[0].find("to=%2B97699112233"), std::string::npos);
  EXPECT_NE(targets_[0].find("id%3Dpay-1"), std::string::npos) << targets_[0];
  EXPECT_EQ(StateOf("pay-1"), OutboxState::kSent);
  EXPECT_EQ(sender.RunUntilIdle()->claimed, 0);
  EXPECT_EQ(targets_.size(), 1u);
}

TEST_P(ChannelSenderTest, ASentMessageWithoutAFinalReportBecomesUnknown) {
  QueueOk("u");
  auto sender = MakeSender();
  ASSERT_EQ(sender.RunOnce()->sent, 1);
  clock_.Advance(hours(71));  // sms.unknown_after_hours is 72.
  EXPECT_EQ(sender.RunOnce()->unknown, 0);
  clock_.Advance(hours(2));
  auto round = sender.RunOnce();
  ASSERT_TRUE(round.ok()) << round.status().ToString();
  EXPECT_EQ(round->unknown, 1);
  EXPECT_EQ(round->claimed, 0);  // Not retried.
  auto m = *Get<channel::Repository>().FindByKey("u");
  EXPECT_EQ(m->state, OutboxState::kSent);  // Not failed.
  EXPECT_EQ(m->unknown_at, channel::UnixNow(session()));
  EXPECT_EQ(sender.RunOnce()->unknown, 0);  // Marked once.
  EXPECT_EQ(targets_.size(), 1u);
  // A late report still counts.
  channel::DeliveryReport report;
  report.message_id = "u";
  report.state = channel::DeliveryState::kDelivered;
  report.phone = "+97699112233";
  ASSERT_TRUE(channel::ApplyDeliveryReport(session(), report).ok());
  EXPECT_EQ(StateOf("u"), OutboxState::kDelivered);
}

TEST_P(ChannelSenderTest, RetriesWithBackOffThenFails) {
  QueueOk("r");
  for (int i = 0; i < 10; ++i) answers_.push_back({503, "Temporal failure"});
  auto sender = MakeSender();
  ASSERT_EQ(sender.RunOnce()->retried, 1);
  auto m = *Get<channel::Repository>().FindByKey("r");
  int64_t now = channel::UnixNow(session());
  EXPECT_EQ(m->next_attempt_at - now, 60);
  EXPECT_EQ(sender.RunOnce()->claimed, 0);  // Not due yet.
  clock_.Advance(seconds(60));
  ASSERT_EQ(sender.RunOnce()->retried, 1);
  m = *Get<channel::Repository>().FindByKey("r");
  EXPECT_EQ(m->next_attempt_at - channel::UnixNow(session()), 120);
  for (int i = 0; i < 6; ++i) {
    clock_.Advance(seconds(3600));
    ASSERT_TRUE(sender.RunOnce().ok());
  }
  EXPECT_EQ(StateOf("r"), OutboxState::kFailed);
  EXPECT_EQ(targets_.size(), 6u);  // sms.max_attempts
}

TEST_P(ChannelSenderTest, RefusedFailsAtOnce) {
  QueueOk("x");
  answers_.push_back({403, "Not routable. Do not try again."});
  auto sender = MakeSender();
  EXPECT_EQ(sender.RunOnce()->failed, 1);
  EXPECT_EQ(StateOf("x"), OutboxState::kFailed);
}

TEST_P(ChannelSenderTest, PacedByTheRateWithoutSleeping) {
  for (int i = 0; i < 41; ++i) QueueOk("m" + std::to_string(i));
  auto sender = MakeSender();
  auto start = clock_.Now();
  auto round = sender.RunUntilIdle();
  ASSERT_TRUE(round.ok());
  EXPECT_EQ(round->sent, 41);
  // 20 per second: 41 messages need 2 seconds of waiting.
  EXPECT_EQ(std::chrono::duration_cast<milliseconds>(clock_.Now() - start),
            milliseconds(2000));
}

TEST_P(ChannelSenderTest, QuietHoursHoldInformationNotReplies) {
  clock_.Set(Noon() + hours(11));  // 23:00 in Ulaanbaatar.
  QueueOk("info");
  auto reply = Request("reply");
  reply.kind = channel::MessageKind::kReply;
  ASSERT_TRUE(channel::Queue(session(), *catalogue_, *params_, reply).ok());
  auto sender = MakeSender();
  auto round = sender.RunUntilIdle();
  ASSERT_TRUE(round.ok());
  EXPECT_TRUE(round->quiet);
  EXPECT_EQ(round->sent, 1);
  EXPECT_EQ(StateOf("info"), OutboxState::kQueued);
  clock_.Advance(hours(9));  // 08:00.
  EXPECT_EQ(sender.RunUntilIdle()->sent, 1);
  EXPECT_EQ(StateOf("info"), OutboxState::kSent);
}

TEST_P(ChannelSenderTest, OptOutIsHonouredAtSendTime) {
  QueueOk("o");
  ASSERT_TRUE(channel::SetOptOut(session(), "+97699112233", true, "sms").ok());
  auto sender = MakeSender();
  EXPECT_EQ(sender.RunOnce()->failed, 1);
  EXPECT_TRUE(targets_.empty());
  EXPECT_EQ(StateOf("o"), OutboxState::kFailed);
}

TEST_P(ChannelSenderTest, NothingIsStartedAfterTheLeaseEnded) {
  QueueOk("a");
  QueueOk("b");
  // Kannel takes 61 s to answer: the lease (60 s) ends during "a".
  channel::KannelClient slow(
      client_->account(), std::nullopt,
      [this](const std::string& target) -> Result<HttpAnswer> {
        targets_.push_back(target);
        clock_.Advance(seconds(61));
        return HttpAnswer{202, "0: Accepted for delivery"};
      });
  channel::Sender sender(session(), slow, *params_, {"w1"},
                         [this](milliseconds d) { clock_.Advance(d); });
  auto round = sender.RunOnce();
  ASSERT_TRUE(round.ok()) << round.status().ToString();
  EXPECT_EQ(round->sent, 1);
  EXPECT_EQ(round->retried, 1);
  EXPECT_EQ(targets_.size(), 1u);
  EXPECT_EQ(StateOf("b"), OutboxState::kQueued);
  round = sender.RunOnce();  // A new claim, a new lease.
  ASSERT_TRUE(round.ok());
  EXPECT_EQ(round->sent, 1);
  EXPECT_EQ(targets_.size(), 2u);
  EXPECT_EQ(StateOf("b"), OutboxState::kSent);
}

TEST_P(ChannelSenderTest, InDoubtMessageIsResentOnlyWithoutAReport) {
  QueueOk("a");
  QueueOk("b");
  // Kannel does not answer for either: both in doubt.
  auto silent = std::make_unique<channel::KannelClient>(
      client_->account(), std::nullopt,
      [](const std::string&) -> Result<HttpAnswer> {
        return Status::Unavailable("timeout");
      });
  channel::Sender dying(session(), *silent, *params_, {"w1"},
                        [](milliseconds) {});
  EXPECT_EQ(dying.RunOnce()->in_doubt, 2);
  // Kannel did take "a": its report arrives.
  channel::DeliveryReport report;
  report.message_id = "a";
  report.state = channel::DeliveryState::kAcceptedBySmsc;
  ASSERT_TRUE(channel::ApplyDeliveryReport(session(), report).ok());
  auto other = MakeSender("w2");
  EXPECT_EQ(other.RunOnce()->claimed, 0);  // Leased, then in doubt.
  clock_.Advance(seconds(60 + 300));
  auto round = other.RunUntilIdle();
  ASSERT_TRUE(round.ok());
  EXPECT_EQ(round->sent, 1);
  ASSERT_EQ(targets_.size(), 1u);
  EXPECT_NE(targets_[0].find("id%3Db"), std::string::npos);
  EXPECT_EQ(StateOf("a"), OutboxState::kSent);
}

TEST_P(ChannelSenderTest, ReportsMoveStatesForwardOnly) {
  QueueOk("d");
  ASSERT_TRUE(MakeSender().RunOnce().ok());
  channel::DeliveryReport report;
  report.message_id = "d";
  report.state = channel::DeliveryState::kDelivered;
  ASSERT_TRUE(channel::ApplyDeliveryReport(session(), report).ok());
  EXPECT_EQ(StateOf("d"), OutboxState::kDelivered);
  report.state = channel::DeliveryState::kAcceptedBySmsc;  // Late.
  ASSERT_TRUE(channel::ApplyDeliveryReport(session(), report).ok());
  EXPECT_EQ(StateOf("d"), OutboxState::kDelivered);
  EXPECT_EQ(Get<channel::Repository>().Reports("d")->size(), 2u);
  report.message_id = "nobody";
  EXPECT_EQ(channel::ApplyDeliveryReport(session(), report).code(),
            StatusCode::kNotFound);
}

TEST_P(ChannelSenderTest, BadInputIsRefusedAndNothingQueued) {
  auto r = Request("bad key!");
  EXPECT_EQ(channel::Queue(session(), *catalogue_, *params_, r).status().code(),
            StatusCode::kInvalidArgument);
  r = Request("k");
  r.phone = "12345";
  auto q = channel::Queue(session(), *catalogue_, *params_, r);
  EXPECT_EQ(q.status().field(), "phone");
  EXPECT_TRUE(Get<channel::Repository>().CountByState()->empty());
}

TEST(ChannelSenderRules, QuietHoursAndBackOff) {
  int64_t noon_utc = 1772424000;  // 2026-03-02 04:00 UTC, 12:00 UB.
  EXPECT_FALSE(channel::InQuietHours(noon_utc, 22, 8));
  EXPECT_TRUE(channel::InQuietHours(noon_utc + 10 * 3600, 22, 8));  // 22:00
  EXPECT_TRUE(channel::InQuietHours(noon_utc + 19 * 3600, 22, 8));  // 07:00
  EXPECT_FALSE(channel::InQuietHours(noon_utc + 20 * 3600, 22, 8));
  EXPECT_EQ(channel::RetryDelay(1, 60, 3600), 60);
  EXPECT_EQ(channel::RetryDelay(3, 60, 3600), 240);
  EXPECT_EQ(channel::RetryDelay(20, 60, 3600), 3600);
}

INSTANTIATE_TEST_SUITE_P(Engines, ChannelSenderTest,
                         ::testing::ValuesIn(backends::testing::TestEngines()),
                         backends::testing::EngineName);

}  // namespace
}  // namespace malchin::conformance
