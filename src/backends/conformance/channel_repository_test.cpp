// channel::Repository on every engine: an idempotency key queued once,
// claims that never give one message to two workers (including two
// sessions claiming at once), send results recorded only under the lease,
// reports kept append-only, opt-outs with their history, inbound messages
// stored once per Kannel id.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "backends/testing/test_database.h"
#include "channel/repository.h"

namespace malchin::conformance {
namespace {

using backends::testing::EngineTest;
using backends::testing::RawSqlRefused;
using channel::ClaimRequest;
using channel::OutboxMessage;
using channel::OutboxState;

OutboxMessage Message(const std::string& key, int64_t due = 100) {
  OutboxMessage m;
  m.idempotency_key = key;
  m.phone = "+97699112233";
  m.household_id = "H1";
  m.register_no = "ИЗ15220111";
  m.template_id = "payment.failed";
  m.parameters = R"({"amount":"40,000"})";
  m.text = "Сайн байна уу";
  m.coding = channel::SmsCoding::kUcs2;
  m.segments = 1;
  m.cost = 20;
  m.next_attempt_at = due;
  m.created_by = "test";
  m.created_at = 50;
  return m;
}

class ChannelRepositoryTest : public EngineTest {
 protected:
  channel::Repository& repo() { return Get<channel::Repository>(); }
  Result<bool> Enqueue(const OutboxMessage& m) {
    Result<bool> out = false;
    Status s = session().Write([&]() -> Status {
      out = repo().Enqueue(m);
      return out.status();
    });
    if (!s.ok()) return s;
    return out;
  }
  std::vector<OutboxMessage> Claim(store::Session& s, const ClaimRequest& r) {
    std::vector<OutboxMessage> out;
    Status st = s.Write([&]() -> Status {
      MALCHIN_ASSIGN_OR_RETURN(out, s.Get<channel::Repository>().Claim(r));
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return out;
  }
  static ClaimRequest Request(int64_t now, const char* owner, int limit = 10) {
    return ClaimRequest{now, now - 60, owner, now + 30, limit};
  }
};

TEST_P(ChannelRepositoryTest, AKeyIsQueuedOnce) {
  auto first = Enqueue(Message("k1"));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_TRUE(*first);
  auto again = Enqueue(Message("k1"));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_FALSE(*again);
  auto found = repo().FindByKey("k1");
  ASSERT_TRUE(found.ok() && found->has_value());
  const OutboxMessage& m = **found;
  EXPECT_EQ(m.state, OutboxState::kQueued);
  EXPECT_EQ(m.text, "Сайн байна уу");
  EXPECT_EQ(m.coding, channel::SmsCoding::kUcs2);
  EXPECT_EQ(m.register_no, "ИЗ15220111");
  EXPECT_EQ(m.attempts, 0);
  EXPECT_TRUE(RawSqlRefused(database(),
                            "INSERT INTO sms_outbox (idempotency_key, kind, "
                            "phone, household_id, register_no, template_id, "
                            "parameters, language, text, coding, segments, "
                            "cost, state, next_attempt_at, created_by, "
                            "created_at) SELECT idempotency_key, kind, phone, "
                            "household_id, register_no, template_id, "
                            "parameters, language, text, coding, segments, "
                            "cost, state, next_attempt_at, created_by, "
                            "created_at FROM sms_outbox"));
}

TEST_P(ChannelRepositoryTest, ClaimTakesDueMessagesOnceUnderALease) {
  ASSERT_TRUE(Enqueue(Message("a", 100)).ok());
  ASSERT_TRUE(Enqueue(Message("b", 90)).ok());
  ASSERT_TRUE(Enqueue(Message("later", 500)).ok());
  auto got = Claim(session(), Request(100, "w1"));
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].idempotency_key, "b");
  EXPECT_EQ(got[1].idempotency_key, "a");
  EXPECT_EQ(got[0].state, OutboxState::kSending);
  EXPECT_EQ(got[0].attempts, 1);
  EXPECT_EQ(got[0].lease_owner, "w1");
  EXPECT_TRUE(Claim(session(), Request(110, "w2")).empty());
  // The lease ended without a result: in doubt, taken again only after
  // the doubt wait, and never if a report came for it.
  EXPECT_TRUE(Claim(session(), Request(150, "w2")).empty());
  ASSERT_TRUE(session()
                  .Write([&] {
                    return repo().SetDeliveryState(
                        got[0].id, OutboxState::kSending, 8, 100, 0);
                  })
                  .ok());
  auto retaken = Claim(session(), Request(200, "w2"));
  ASSERT_EQ(retaken.size(), 1u);
  EXPECT_EQ(retaken[0].idempotency_key, "a");
  EXPECT_EQ(retaken[0].attempts, 2);
}

TEST_P(ChannelRepositoryTest, SendResultIsRecordedOnlyUnderTheLease) {
  ASSERT_TRUE(Enqueue(Message("a")).ok());
  auto got = Claim(session(), Request(100, "w1"));
  ASSERT_EQ(got.size(), 1u);
  channel::SendOutcome retry{OutboxState::kQueued, 160, "503", 101};
  Result<bool> stranger = false, owner = false;
  ASSERT_TRUE(session()
                  .Write([&]() -> Status {
                    stranger = repo().RecordSend(got[0].id, "w2", retry);
                    owner = repo().RecordSend(got[0].id, "w1", retry);
                    return owner.status();
                  })
                  .ok());
  EXPECT_FALSE(*stranger);
  EXPECT_TRUE(*owner);
  auto m = repo().FindByKey("a");
  EXPECT_EQ((*m)->state, OutboxState::kQueued);
  EXPECT_EQ((*m)->next_attempt_at, 160);
  EXPECT_EQ((*m)->last_answer, "503");
  EXPECT_TRUE(Claim(session(), Request(150, "w1")).empty());
  EXPECT_EQ(Claim(session(), Request(160, "w1")).size(), 1u);
}

TEST_P(ChannelRepositoryTest, TwoSessionsClaimingAtOnceNeverShareAMessage) {
  ASSERT_TRUE(
      session()
          .Write([&]() -> Status {
            for (int i = 0; i < 200; ++i) {
              MALCHIN_RETURN_IF_ERROR(
                  repo().Enqueue(Message("m" + std::to_string(i))).status());
            }
            return Status::Ok();
          })
          .ok());
  std::vector<std::string> seen[2];
  std::vector<std::thread> workers;
  for (int w = 0; w < 2; ++w) {
    workers.emplace_back([&, w] {
      auto s = Connect();
      std::string owner = "w" + std::to_string(w);
      for (;;) {
        auto got = Claim(*s, Request(100, owner.c_str(), 7));
        if (got.empty()) break;
        for (auto& m : got) seen[w].push_back(m.idempotency_key);
      }
    });
  }
  for (auto& t : workers) t.join();
  std::set<std::string> all(seen[0].begin(), seen[0].end());
  all.insert(seen[1].begin(), seen[1].end());
  EXPECT_EQ(all.size(), 200u);
  EXPECT_EQ(seen[0].size() + seen[1].size(), 200u);
}

TEST_P(ChannelRepositoryTest, ReportsAreKeptAndAppendOnly) {
  ASSERT_TRUE(Enqueue(Message("a")).ok());
  channel::StoredReport r;
  r.idempotency_key = "a";
  r.report.state = channel::DeliveryState::kAcceptedBySmsc;
  r.report.phone = "+97699112233";
  r.report.at = 120;
  r.received_at = 121;
  ASSERT_TRUE(session().Write([&] { return repo().AppendReport(r); }).ok());
  r.report.state = channel::DeliveryState::kDelivered;
  ASSERT_TRUE(session().Write([&] { return repo().AppendReport(r); }).ok());
  auto reports = repo().Reports("a");
  ASSERT_TRUE(reports.ok());
  ASSERT_EQ(reports->size(), 2u);
  EXPECT_EQ((*reports)[1].report.state, channel::DeliveryState::kDelivered);
  EXPECT_TRUE(RawSqlRefused(database(), "DELETE FROM sms_delivery_reports"));
}

TEST_P(ChannelRepositoryTest, OptOutWithHistory) {
  const std::string phone = "+97699112233";
  EXPECT_FALSE(*repo().IsOptedOut(phone));
  ASSERT_TRUE(session()
                  .Write([&]() -> Status {
                    MALCHIN_RETURN_IF_ERROR(
                        repo().SetOptOut(phone, true, "sms", 10));
                    return repo().SetOptOut(phone, false, "sms", 20);
                  })
                  .ok());
  EXPECT_FALSE(*repo().IsOptedOut(phone));
  ASSERT_TRUE(
      session()
          .Write([&] { return repo().SetOptOut(phone, true, "sms", 30); })
          .ok());
  EXPECT_TRUE(*repo().IsOptedOut(phone));
  auto history = repo().OptOutHistory(phone);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 3u);
  EXPECT_EQ((*history)[0], std::make_pair(std::string("stop"), int64_t{10}));
  EXPECT_EQ((*history)[1].first, "start");
  EXPECT_TRUE(RawSqlRefused(database(), "DELETE FROM sms_opt_out_history"));
}

TEST_P(ChannelRepositoryTest, InboundStoredOncePerKannelId) {
  channel::InboundRecord r;
  r.sms.kannel_id = "abc-1";
  r.sms.from = "+97699112233";
  r.sms.to = "1234";
  r.sms.text = "сайн уу";
  r.received_at = 5;
  Result<bool> first = false, again = false;
  ASSERT_TRUE(session()
                  .Write([&]() -> Status {
                    first = repo().InsertInbound(r);
                    again = repo().InsertInbound(r);
                    return again.status();
                  })
                  .ok());
  EXPECT_TRUE(*first);
  EXPECT_FALSE(*again);
  auto inbox = repo().Inbox(10);
  ASSERT_TRUE(inbox.ok());
  ASSERT_EQ(inbox->size(), 1u);
  EXPECT_EQ((*inbox)[0].sms.text, "сайн уу");
}

TEST_P(ChannelRepositoryTest, ExpiresOldQueuedMessagesAndCounts) {
  ASSERT_TRUE(Enqueue(Message("a")).ok());
  Result<int64_t> n = 0;
  ASSERT_TRUE(session()
                  .Write([&]() -> Status {
                    n = repo().ExpireQueued(60, 70);
                    return n.status();
                  })
                  .ok());
  EXPECT_EQ(*n, 1);
  auto counts = repo().CountByState();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ((*counts)[OutboxState::kExpired], 1);
}

INSTANTIATE_TEST_SUITE_P(Engines, ChannelRepositoryTest,
                         ::testing::ValuesIn(backends::testing::TestEngines()),
                         backends::testing::EngineName);

}  // namespace
}  // namespace malchin::conformance
