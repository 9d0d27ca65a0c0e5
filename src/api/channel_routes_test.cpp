// The SMS gateway's callbacks over HTTP, end to end: Kannel's delivery
// reports and herders' messages, guarded by the callback token and not by
// a user session; the officers' inbox of messages no keyword answered.
#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "api/api.h"
#include "api/test_server.h"
#include "channel/outbox.h"
#include "channel/repository.h"
#include "channel/templates.h"
#include "params/parameters.h"

namespace malchin::api {
namespace {

using nlohmann::json;

constexpr const char* kToken = "test-callback-token-0123";
constexpr const char* kSaraa = "ИЗ85120320";

std::string Hex(std::string_view text) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

void SeedOneMessage(store::Session& session) {
  registry::Household h = TestHousehold("T1", 18140);
  h.phone = "99001122";
  registry::Person p = TestHead(kSaraa, "T1", "1985-12-03");
  p.phone = "99112233";
  ASSERT_TRUE(session.Get<registry::Repository>()
                  .Upsert({h}, {p}, {"test", "seed"})
                  .ok());
  auto catalogue = channel::TemplateCatalogue::Embedded();
  auto parameters = params::ParameterSet::Embedded();
  ASSERT_TRUE(catalogue.ok() && parameters.ok());
  channel::QueueRequest q;
  q.idempotency_key = "payment.sent.T1.1";
  q.phone = "99001122";
  q.household_id = "T1";
  q.template_id = "payment.sent";
  q.values = {{"programme", "Зуд"},
              {"amount", "300,000"},
              {"bank", "Хаан банк"},
              {"date", "2026-02-15"},
              {"phone", "70112233"}};
  auto queued = channel::Queue(session, **catalogue, **parameters, q);
  ASSERT_TRUE(queued.ok()) << queued.status().message();
}

class ChannelRoutesTest : public TestServerFixture {
 protected:
  void SetUp() override {
    server_ = std::make_unique<TestServer>(
        "malchin_sms_api", TestServerOptions{.export_dir = false});
    server_->services().sms_token = kToken;
    ASSERT_NO_FATAL_FAILURE(server_->Start({"nat", "zav"}, SeedOneMessage));
  }
  TestServer& Server() override { return *server_; }

  http::Response Dlr(const std::string& query) {
    return Call("", "GET", "/api/v1/sms/dlr?" + query);
  }
  http::Response Inbound(const std::string& id, const std::string& text,
                         const std::string& token = kToken) {
    return Call(
        "", "GET",
        "/api/v1/sms/inbound?id=" + id +
            "&from=%2B97699112233&to=1234&hex=" + Hex(text) +
            "&coding=0&charset=UTF-8&at=1765000000&smsc=fake&token=" + token);
  }
  channel::OutboxMessage Message(const std::string& key) {
    auto session = server_->db_handle().Connect();
    EXPECT_TRUE(session.ok());
    auto m = (*session)->Get<channel::Repository>().FindByKey(key);
    EXPECT_TRUE(m.ok() && m->has_value());
    return m.ok() && m->has_value() ? **m : channel::OutboxMessage{};
  }
  bool OptedOut() {
    auto session = server_->db_handle().Connect();
    auto out =
        (*session)->Get<channel::Repository>().IsOptedOut("+97699112233");
    EXPECT_TRUE(out.ok());
    return out.ok() && *out;
  }

  std::unique_ptr<TestServer> server_;
};

TEST_F(ChannelRoutesTest, DeliveryReportsNeedTheTokenAndUpdateTheMessage) {
  std::string report =
      "id=payment.sent.T1.1&status=1&phone=%2B97699001122&at=1765000000";
  EXPECT_EQ(Dlr(report).status, 401);
  EXPECT_EQ(Dlr(report + "&token=wrong-token-wrong-token").status, 401);
  EXPECT_EQ(Dlr("id=payment.sent.T1.1&status=3&phone=1&at=1&token=" +
                std::string(kToken))
                .status,
            400);
  EXPECT_EQ(Message("payment.sent.T1.1").state, channel::OutboxState::kQueued);
  auto ok = Dlr(report + "&token=" + kToken);
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(Message("payment.sent.T1.1").state,
            channel::OutboxState::kDelivered);
  // Kannel repeats a report it got no 200 for: harmless.
  EXPECT_EQ(Dlr(report + "&token=" + kToken).status, 200);
  // An unknown message: 200, or Kannel would call forever.
  auto unknown =
      Dlr("id=nope&status=1&phone=1&at=1&token=" + std::string(kToken));
  EXPECT_EQ(unknown.status, 200);
  EXPECT_NE(unknown.body.find("ignored"), std::string::npos);
}

TEST_F(ChannelRoutesTest, WithoutATokenConfiguredTheCallbacksAreNotThere) {
  server_->services().sms_token.clear();
  EXPECT_EQ(Dlr("id=payment.sent.T1.1&status=1&phone=1&at=1&token=").status,
            404);
  EXPECT_EQ(Inbound("k1", "STOP", "").status, 404);
  server_->services().sms_token = kToken;
}

TEST_F(ChannelRoutesTest, StopAndStartOptOutAndBackIn) {
  EXPECT_EQ(Inbound("k1", "ЗОГС", "wrong-token-wrong-token").status, 401);
  EXPECT_FALSE(OptedOut());
  auto stop = Inbound("k1", "ЗОГС");
  EXPECT_EQ(stop.status, 200) << stop.body;
  EXPECT_TRUE(OptedOut());
  // The same Kannel id again: handled once.
  auto again = Inbound("k1", "ЗОГС");
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.body, "seen\n");
  EXPECT_EQ(Inbound("k2", "start").status, 200);
  EXPECT_FALSE(OptedOut());
}

TEST_F(ChannelRoutesTest, UnknownTextGoesToTheNationalInbox) {
  EXPECT_EQ(Inbound("k3", "Сайн байна уу, мал хорогдлоо").status, 200);
  EXPECT_EQ(Call("", "GET", "/api/v1/sms/inbox").status, 401);
  EXPECT_EQ(Call(Login("zav"), "GET", "/api/v1/sms/inbox").status, 403);
  auto inbox = Call(Login("nat"), "GET", "/api/v1/sms/inbox?limit=10");
  ASSERT_EQ(inbox.status, 200) << inbox.body;
  json messages = json::parse(inbox.body)["messages"];
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0]["text"], "Сайн байна уу, мал хорогдлоо");
  EXPECT_EQ(messages[0]["from"], "+97699112233");
}

// ТӨЛБӨР from the person's own phone reads the household's payments (none
// here: "no information"); about someone else's number, nothing is said.
TEST_F(ChannelRoutesTest, PaymentStatusOnlyToThePersonsOwnPhone) {
  ASSERT_EQ(Inbound("k5", std::string("ТӨЛБӨР ") + kSaraa).status, 200);
  EXPECT_EQ(Message("in-k5").template_id, "inbound.no_information");
  ASSERT_EQ(Inbound("k6", "ТӨЛБӨР ИЗ18220111").status, 200);
  EXPECT_EQ(Message("in-k6").template_id, "inbound.not_registered");
}

// ГОМДОЛ from a phone the register has in one soum: a complaint case of
// that soum (grievance::SmsComplaintDesk), not an inbox message; the
// reply names the case.
TEST_F(ChannelRoutesTest, AComplaintByTextBecomesACaseOfTheSendersSoum) {
  auto sent = Inbound("k4", "ГОМДОЛ Хүүхдийн мөнгө ирээгүй");
  ASSERT_EQ(sent.status, 200) << sent.body;
  EXPECT_EQ(Inbound("k4", "ГОМДОЛ Хүүхдийн мөнгө ирээгүй").body, "seen\n");
  auto list = Call(Login("nat"), "GET", "/api/v1/grievances");
  ASSERT_EQ(list.status, 200) << list.body;
  json items = json::parse(list.body)["items"];
  ASSERT_EQ(items.size(), 1u) << list.body;
  EXPECT_EQ(items[0]["channel"], "sms");
  EXPECT_EQ(items[0]["soum_code"], 18140);
  auto inbox = Call(Login("nat"), "GET", "/api/v1/sms/inbox?limit=10");
  ASSERT_EQ(inbox.status, 200) << inbox.body;
  EXPECT_TRUE(json::parse(inbox.body)["messages"].empty()) << inbox.body;
}

}  // namespace
}  // namespace malchin::api
