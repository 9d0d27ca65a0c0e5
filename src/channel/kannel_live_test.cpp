// Against a real Kannel 1.4.5 (bearerbox + smsbox + fakesmsc, see
// kannel_fixture.h): sending Cyrillic and Latin text, delivery reports and
// inbound messages, with Malchin's callback endpoints played by a small
// net::Server on loopback. Skipped only when the Kannel binaries are absent
// (scripts/setup.sh installs them).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "channel/kannel.h"
#include "channel/kannel_fixture.h"
#include "net/client.h"
#include "net/log.h"
#include "net/server.h"

namespace malchin::channel {
namespace {

using namespace std::chrono_literals;

constexpr char kToken[] = "live_test_token_0123456789";

// Malchin's side of the callbacks: records what Kannel calls with.
class Receiver {
 public:
  void Add(http::Router* router) {
    router->Add(Route("/sms/dlr", [this](http::Request& r) {
      auto dlr = ParseDeliveryReport(r.query, kToken);
      return Record(dlr, &dlrs_);
    }));
    router->Add(Route("/sms/inbound", [this](http::Request& r) {
      auto sms = ParseInboundSms(r.query, kToken);
      return Record(sms, &inbound_);
    }));
  }

  // Waits (up to `deadline`) until `done` holds of the reports and the
  // inbound messages; returns whether it did.
  template <typename Pred>
  bool WaitFor(Pred done, std::chrono::milliseconds deadline) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, deadline, [&] { return done(dlrs_, inbound_); });
  }
  // The next `n` callbacks are answered 503 (and not recorded).
  void FailNext(int n) {
    std::lock_guard lock(mu_);
    failures_left_ = n;
  }
  int Calls() {
    std::lock_guard lock(mu_);
    return calls_;
  }
  std::vector<InboundSms> Inbound() {
    std::lock_guard lock(mu_);
    return inbound_;
  }
  // "id:state" of every report so far, for a failure message.
  std::string Reports() {
    std::lock_guard lock(mu_);
    std::string out;
    for (const auto& d : dlrs_) {
      out += d.message_id + ":" + std::string(DeliveryStateName(d.state)) + " ";
    }
    return out;
  }
  std::vector<std::string> Rejected() {
    std::lock_guard lock(mu_);
    return rejected_;
  }

 private:
  static http::Route Route(std::string pattern, http::Handler handler) {
    http::Route route;
    route.method = "GET";
    route.pattern = std::move(pattern);
    route.handler = std::move(handler);
    return route;
  }
  template <typename T>
  http::Response Record(const Result<T>& parsed, std::vector<T>* into) {
    std::lock_guard lock(mu_);
    ++calls_;
    if (failures_left_ > 0) {
      --failures_left_;
      cv_.notify_all();
      return http::Response::Text(503, "try later");
    }
    if (!parsed.ok()) {
      rejected_.push_back(parsed.status().ToString());
      return http::ErrorResponse(parsed.status());
    }
    into->push_back(*parsed);
    cv_.notify_all();
    return http::Response::Text(200, "ok");
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<DeliveryReport> dlrs_;   // GUARDED_BY(mu_)
  std::vector<InboundSms> inbound_;    // GUARDED_BY(mu_)
  std::vector<std::string> rejected_;  // GUARDED_BY(mu_)
  int failures_left_ = 0;              // GUARDED_BY(mu_)
  int calls_ = 0;                      // GUARDED_BY(mu_)
};

HttpGet LoopbackGet(uint16_t port) {
  return [port](const std::string& target) -> Result<HttpAnswer> {
    net::Client client("127.0.0.1", port, 10s);
    MALCHIN_ASSIGN_OR_RETURN(http::Response r, client.Send("GET", target));
    return HttpAnswer{r.status, r.body};
  };
}

class KannelLiveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::string missing = KannelFixture::MissingBinaries();
        !missing.empty()) {
      GTEST_SKIP() << missing;
    }
    net::SetLogLevel(net::LogLevel::kOff);
    receiver_.Add(&router_);
    net::ServerOptions o;
    o.port = 0;
    server_ = std::make_unique<net::Server>(o, router_, [] {
      return Result<std::unique_ptr<http::WorkerContext>>(
          std::make_unique<http::WorkerContext>());
    });
    ASSERT_TRUE(server_->Start().ok());
    thread_ = std::thread([this] { server_->Run(); });
    std::string base = "http://127.0.0.1:" + std::to_string(server_->port());
    KannelFixtureOptions options = Options();
    options.inbound_url = base + "/sms/inbound";
    options.callback_token = kToken;
    auto kannel = KannelFixture::Start(options);
    ASSERT_TRUE(kannel.ok()) << kannel.status().ToString();
    kannel_ = std::move(*kannel);
    callbacks_.dlr_url = base + "/sms/dlr";
    callbacks_.token = kToken;
  }
  void TearDown() override {
    kannel_.reset();
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
  }
  virtual KannelFixtureOptions Options() const { return {}; }
  KannelClient Client() const {
    return KannelClient(kannel_->account(), callbacks_,
                        LoopbackGet(kannel_->account().port));
  }
  std::string Logs() const { return kannel_ ? kannel_->LogTail() : ""; }

  http::Router router_;
  Receiver receiver_;
  std::unique_ptr<net::Server> server_;
  std::thread thread_;
  std::unique_ptr<KannelFixture> kannel_;
  CallbackConfig callbacks_;
};

const FakeSmscMessage* To(const std::vector<FakeSmscMessage>& all,
                          const std::string& to) {
  auto it = std::find_if(all.begin(), all.end(),
                         [&](const auto& m) { return m.to == to; });
  return it == all.end() ? nullptr : &*it;
}

TEST_F(KannelLiveTest, SendsCyrillicAndLatinAndReportsDelivery) {
  const std::string cyrillic =
      "Өвөл болж байна. Үхэр малаа хашаанд оруулаарай.";
  const std::string latin = "Malchin: {test} 10€ & 100% _ok_";
  const std::string two_segments =
      "Зудын тусламж: таны Хаан банк дансанд 300,000 төгрөг шилжүүллээ. "
      "Огноо: 2026-02-15. Лавлах утас: 70112233";
  KannelClient client = Client();
  struct Sent {
    const char* id;
    std::string to;
    const std::string& text;
    SmsCoding coding;
    int segments;
  };
  const Sent sent[] = {
      {"m-cyr", "+97699110001", cyrillic, SmsCoding::kUcs2, 1},
      {"m-lat", "99110002", latin, SmsCoding::kGsm7, 1},
      {"m-two", "+97699110003", two_segments, SmsCoding::kUcs2, 2}};
  for (const Sent& s : sent) {
    auto r = client.Send({s.id, s.to, s.text}, 3);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->verdict, SendVerdict::kAccepted) << r->answer;
    EXPECT_EQ(r->http_status, 202);
    EXPECT_EQ(r->coding, s.coding);
    EXPECT_EQ(r->segments, s.segments);
  }

  auto got = kannel_->WaitForMessages(3, 20s);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  for (const Sent& s : sent) {
    const FakeSmscMessage* m = To(*got, s.to);
    ASSERT_NE(m, nullptr) << s.to << "\n" << Logs();
    EXPECT_EQ(m->from, "1234");
    EXPECT_EQ(m->parts, s.segments);
    // One part shows its coding; the parts of a longer one decode only in
    // the coding they were sent in (UTF-8 bytes are not this UTF-16BE).
    if (s.segments == 1) {
      EXPECT_EQ(m->type, s.coding == SmsCoding::kUcs2 ? "ucs-2" : "text");
    }
    auto text = PayloadText(*m, s.coding);
    ASSERT_TRUE(text.ok()) << s.id << ": " << text.status().ToString();
    EXPECT_EQ(*text, s.text) << s.id;
  }

  // fakesmsc acknowledges at once: an SMSC acceptance (8) and a delivery
  // (1) per message, each naming Malchin's message id. (bearerbox keeps one
  // DLR entry for a concatenated message here; an SMPP SMSC may report
  // each segment, so counts are not pinned.)
  auto delivered = [](const std::vector<DeliveryReport>& d, const char* id) {
    return std::count_if(d.begin(), d.end(), [&](const DeliveryReport& r) {
      return r.message_id == id && r.state == DeliveryState::kDelivered;
    });
  };
  bool all = receiver_.WaitFor(
      [&](const auto& d, const auto&) {
        return delivered(d, "m-cyr") >= 1 && delivered(d, "m-lat") >= 1 &&
               delivered(d, "m-two") >= 1;
      },
      20s);
  EXPECT_TRUE(all) << receiver_.Reports() << "\n" << Logs();
  bool accepted = receiver_.WaitFor(
      [&](const auto& d, const auto&) {
        return std::all_of(std::begin(sent), std::end(sent), [&](auto& s) {
          return std::any_of(d.begin(), d.end(), [&](const auto& r) {
            return r.message_id == s.id &&
                   r.state == DeliveryState::kAcceptedBySmsc &&
                   r.phone == s.to && r.smsc == "FAKE" && r.at > 0;
          });
        });
      },
      20s);
  EXPECT_TRUE(accepted) << "no SMSC acceptance naming phone and smsc\n"
                        << Logs();
  EXPECT_TRUE(receiver_.Rejected().empty()) << receiver_.Rejected()[0];
}

TEST_F(KannelLiveTest, ClassifiesTheRealGatewaysRefusals) {
  KannelAccount wrong = kannel_->account();
  wrong.password = "not-the-password";
  auto r = KannelClient(wrong, callbacks_, LoopbackGet(wrong.port))
               .Send({"m-auth", "99110004", "x"}, 3);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->verdict, SendVerdict::kAuthFailed) << r->answer;
  EXPECT_EQ(r->http_status, 403);

  // A field smsbox refuses (Malchin never builds it): 400, refused.
  KannelAccount a = kannel_->account();
  net::Client raw("127.0.0.1", a.port, 10s);
  auto answer = raw.Send("GET", "/cgi-bin/sendsms?username=" + a.username +
                                    "&password=" + a.password +
                                    "&from=1&to=99110005&text=x&coding=7");
  ASSERT_TRUE(answer.ok());
  SendResult refused = ClassifySendSmsAnswer(answer->status, answer->body);
  EXPECT_EQ(refused.verdict, SendVerdict::kRefused) << refused.answer;
  EXPECT_EQ(refused.http_status, 400);

  // Nobody listening: Unavailable, and the message holds no password.
  // Nothing listens on port 1 (tcpmux) of the loopback.
  auto dead = KannelClient(a, callbacks_, LoopbackGet(1))
                  .Send({"m-dead", "99110006", "x"}, 3);
  ASSERT_FALSE(dead.ok());
  EXPECT_EQ(dead.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(dead.status().message().find(a.password), std::string::npos);
}

TEST_F(KannelLiveTest, InboundMessagesReachTheGetUrl) {
  // A phone writes Cyrillic as UCS-2; smsbox's mo-recode makes it UTF-8.
  ASSERT_TRUE(
      kannel_->SendFromPhone("+97699000001", "1234", "ТУСЛАМЖ хэрэгтэй Өө Үү")
          .ok())
      << Logs();
  ASSERT_TRUE(kannel_->SendFromPhone("99000002", "1234", "HELP me please").ok())
      << Logs();
  bool both = receiver_.WaitFor(
      [](const auto&, const auto& in) { return in.size() >= 2; }, 20s);
  ASSERT_TRUE(both) << Logs();
  std::vector<InboundSms> in = receiver_.Inbound();
  auto from = [&](const std::string& phone) {
    auto it = std::find_if(in.begin(), in.end(),
                           [&](const auto& m) { return m.from == phone; });
    return it == in.end() ? InboundSms{} : *it;
  };
  InboundSms cyr = from("+97699000001");
  EXPECT_EQ(cyr.text, "ТУСЛАМЖ хэрэгтэй Өө Үү");
  EXPECT_EQ(cyr.keyword, "тусламж");
  EXPECT_EQ(cyr.to, "1234");
  EXPECT_EQ(cyr.smsc, "FAKE");
  EXPECT_FALSE(cyr.kannel_id.empty());
  EXPECT_GT(cyr.at, 0);
  InboundSms lat = from("99000002");
  EXPECT_EQ(lat.text, "HELP me please");
  EXPECT_EQ(lat.keyword, "help");
  EXPECT_NE(lat.kannel_id, cyr.kannel_id);
  EXPECT_TRUE(receiver_.Rejected().empty()) << receiver_.Rejected()[0];
}

class KannelRetryTest : public KannelLiveTest {
 protected:
  KannelFixtureOptions Options() const override {
    KannelFixtureOptions o;
    o.callback_retries = 2;
    return o;
  }
};

// smsbox calls again when Malchin fails (so the endpoints must be
// idempotent), reports and inbound messages alike.
TEST_F(KannelRetryTest, SmsboxCallsAgainWhenMalchinFails) {
  receiver_.FailNext(1);
  ASSERT_TRUE(kannel_->SendFromPhone("99000003", "1234", "ТИЙМ").ok())
      << Logs();
  EXPECT_TRUE(receiver_.WaitFor(
      [](const auto&, const auto& in) { return in.size() == 1; }, 20s))
      << Logs();
  EXPECT_EQ(receiver_.Calls(), 2);
  EXPECT_EQ(receiver_.Inbound()[0].text, "ТИЙМ");

  receiver_.FailNext(1);  // The first report (8) fails once.
  auto sent = Client().Send({"m-retry", "99110007", "Сайн уу"}, 3);
  ASSERT_TRUE(sent.ok()) << sent.status().ToString();
  EXPECT_TRUE(receiver_.WaitFor(
      [](const auto& d, const auto&) { return d.size() == 2; }, 20s))
      << receiver_.Reports() << "\n"
      << Logs();
  EXPECT_EQ(receiver_.Calls(), 5);  // 2 inbound + 3 for two reports.
}

TEST(KannelFixtureTest, GivesUpAtItsDeadlineAndLeavesNothingBehind) {
  if (std::string missing = KannelFixture::MissingBinaries();
      !missing.empty()) {
    GTEST_SKIP() << missing;
  }
  KannelFixtureOptions options;
  options.start_timeout = 1ms;
  auto kannel = KannelFixture::Start(options);
  ASSERT_FALSE(kannel.ok());
  EXPECT_EQ(kannel.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(kannel.status().message().find("bearerbox"), std::string::npos);
  int st = 0;
  EXPECT_EQ(waitpid(-1, &st, WNOHANG), -1);  // No child left, reaped or not.
  EXPECT_EQ(errno, ECHILD);
}

}  // namespace
}  // namespace malchin::channel
