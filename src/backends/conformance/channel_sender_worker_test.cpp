// The sending worker of `malchin serve` on every engine: it sends what is
// queued when woken, on its own session, through a scripted Kannel, and
// stops at once even with a long interval. No wall-clock sleeping: the
// test waits for the worker's rounds, the rate limit advances a fake clock.
#include <gtest/gtest.h>

#include <mutex>

#include "backends/testing/test_database.h"
#include "channel/outbox.h"
#include "channel/sender_worker.h"
#include "core/clock.h"

namespace malchin::conformance {
namespace {

using backends::testing::EngineTest;
using std::chrono::hours;

class ChannelSenderWorkerTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    // 2026-03-02 12:00 in Ulaanbaatar: not quiet.
    clock_.Set(FakeClock(*Date::Parse("2026-03-02")).Now() + hours(4));
    session().SetClock(&clock_);
    catalogue_ = *channel::TemplateCatalogue::Embedded();
    params_ = *params::ParameterSet::Embedded();
  }
  void TearDown() override {
    if (!IsSkipped()) session().SetClock(nullptr);
    EngineTest::TearDown();
  }
  void QueueOk(const std::string& key) {
    channel::QueueRequest r;
    r.idempotency_key = key;
    r.phone = "99112233";
    r.household_id = "H1";
    r.template_id = "payment.failed";
    r.values = {{"programme", "Хүүхдийн мөнгө"},
                {"amount", "40,000"},
                {"phone", "70112233"}};
    auto q = channel::Queue(session(), *catalogue_, *params_, r);
    ASSERT_TRUE(q.ok()) << q.status().ToString();
  }
  std::unique_ptr<channel::SenderWorker> StartWorker() {
    channel::KannelAccount account;
    account.username = "malchin";
    account.password = "secret";
    auto client = std::make_unique<channel::KannelClient>(
        account, std::nullopt,
        [this](const std::string& target) -> Result<channel::HttpAnswer> {
          std::lock_guard<std::mutex> lock(mu_);
          targets_.push_back(target);
          return channel::HttpAnswer{202, "0: Accepted"};
        });
    channel::SenderWorkerOptions o;
    o.sender.owner = "serve-1";
    o.interval = hours(1);
    o.clock = &clock_;
    o.wait = [this](std::chrono::milliseconds d) { clock_.Advance(d); };
    return std::make_unique<channel::SenderWorker>(
        [this] { return database().Connect(); }, std::move(client), params_, o);
  }
  size_t Sent() {
    std::lock_guard<std::mutex> lock(mu_);
    return targets_.size();
  }

  FakeClock clock_{*Date::Parse("2026-03-02")};
  std::shared_ptr<const channel::TemplateCatalogue> catalogue_;
  std::shared_ptr<const params::ParameterSet> params_;
  std::mutex mu_;
  std::vector<std::string> targets_;
};

TEST_P(ChannelSenderWorkerTest, SendsWhatIsQueuedWhenWokenAndStopsAtOnce) {
  auto worker = StartWorker();
  worker->WaitForRounds(1);  // The first round runs when it starts.
  EXPECT_EQ(worker->stats().sent, 0);
  QueueOk("w.1");
  QueueOk("w.2");
  worker->Wake();
  worker->WaitForRounds(2);
  auto stats = worker->stats();
  EXPECT_EQ(stats.errors, 0) << stats.last_error;
  EXPECT_EQ(stats.sent, 2);
  EXPECT_EQ(Sent(), 2u);
  auto m = Get<channel::Repository>().FindByKey("w.1");
  ASSERT_TRUE(m.ok() && m->has_value());
  EXPECT_EQ((*m)->state, channel::OutboxState::kSent);
  worker->Wake();
  worker->WaitForRounds(3);
  EXPECT_EQ(Sent(), 2u);  // Nothing twice.
  worker->Stop();         // With an hour's interval: returns at once.
  EXPECT_EQ(worker->stats().rounds, 3);
}

INSTANTIATE_TEST_SUITE_P(Engines, ChannelSenderWorkerTest,
                         ::testing::ValuesIn(backends::testing::TestEngines()),
                         backends::testing::EngineName);

}  // namespace
}  // namespace malchin::conformance
