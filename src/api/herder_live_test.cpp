// The herders' sign-in through a real Kannel (bearerbox + smsbox +
// fakesmsc, channel/kannel_fixture.h): a code queued by herder::SignIn is
// sent by the outbox's worker (channel::Sender), arrives at the fake SMSC
// for the register's phone, and is accepted once; an expired code and a
// code tried too often are refused; a fourth request within the window is
// refused. Skips without Kannel (scripts/setup.sh installs it).
#include <gtest/gtest.h>

#include "api/test_server.h"
#include "channel/kannel_fixture.h"
#include "channel/sender.h"
#include "herder/signin.h"
#include "net/client.h"
#include "registry/register_number.h"
#include "registry/repository.h"

namespace malchin::api {
namespace {

using namespace std::chrono_literals;

const std::string kMine = registry::MakeRegisterNumber(
    "ИЗ", *Date::Parse("1980-04-02"), registry::Sex::kFemale, 1, 0);

class HerderLiveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::string missing = channel::KannelFixture::MissingBinaries();
        !missing.empty()) {
      GTEST_SKIP() << missing;
    }
    auto k = channel::KannelFixture::Start({});
    ASSERT_TRUE(k.ok()) << k.status().ToString();
    kannel_ = std::move(*k);
    server_ = std::make_unique<TestServer>("herder_live");
    ASSERT_NO_FATAL_FAILURE(server_->Start({}, [](store::Session& s) {
      auto me = TestHead(kMine.c_str(), "H1", "1980-04-02");
      me.phone = "99112233";
      ASSERT_TRUE(s.Get<registry::Repository>()
                      .Upsert({TestHousehold("H1", 18140)}, {me}, {"t", "t"})
                      .ok());
    }));
    auto s = server_->db_handle().Connect();
    ASSERT_TRUE(s.ok());
    session_ = std::move(*s);
    session_->SetClock(&clock_);
    templates_ = *channel::TemplateCatalogue::Embedded();
    params_ = *params::ParameterSet::Embedded();
    signin_ = std::make_unique<herder::SignIn>(
        *session_, *templates_, *params_,
        "a-test-pepper-of-at-least-32-characters");
    uint16_t port = kannel_->account().port;
    client_ = std::make_unique<channel::KannelClient>(
        kannel_->account(), std::nullopt,
        [port](const std::string& target) -> Result<channel::HttpAnswer> {
          net::Client c("127.0.0.1", port, 10s);
          MALCHIN_ASSIGN_OR_RETURN(http::Response r, c.Send("GET", target));
          return channel::HttpAnswer{r.status, r.body};
        });
  }
  // Asks for a code, runs the outbox's worker and returns the code of the
  // `n`-th message fakesmsc received (1-based).
  std::string Delivered(size_t n) {
    auto asked = signin_->RequestCode(kMine, channel::Language::kMongolian);
    EXPECT_TRUE(asked.ok() && asked->sent) << asked.status().ToString();
    channel::SenderOptions o;
    o.owner = "herder-live";
    o.quiet_hours = false;
    channel::Sender sender(*session_, *client_, *params_, o,
                           [](std::chrono::milliseconds) {});
    auto round = sender.RunUntilIdle(10);
    EXPECT_TRUE(round.ok()) << round.status().ToString();
    auto got = kannel_->WaitForMessages(n, 20s);
    EXPECT_TRUE(got.ok()) << got.status().ToString() << kannel_->LogTail();
    if (!got.ok() || got->size() < n) return "";
    const channel::FakeSmscMessage& m = (*got)[n - 1];
    EXPECT_NE(m.to.find("99112233"), std::string::npos) << m.to;
    auto text = channel::PayloadText(m, channel::SmsCoding::kUcs2);
    EXPECT_TRUE(text.ok()) << text.status().ToString();
    size_t at =
        text.ok() ? text->find_first_of("0123456789") : std::string::npos;
    EXPECT_NE(at, std::string::npos);
    return at == std::string::npos ? "" : text->substr(at, 6);
  }

  FakeClock clock_{SystemClock::Instance().Today()};
  std::unique_ptr<channel::KannelFixture> kannel_;
  std::unique_ptr<TestServer> server_;
  std::unique_ptr<store::Session> session_;
  std::shared_ptr<const channel::TemplateCatalogue> templates_;
  std::shared_ptr<const params::ParameterSet> params_;
  std::unique_ptr<herder::SignIn> signin_;
  std::unique_ptr<channel::KannelClient> client_;
};

TEST_F(HerderLiveTest, ACodeDeliveredIsAcceptedOnceExpiredAndThrottledAreNot) {
  std::string first = Delivered(1);
  ASSERT_EQ(first.size(), 6u);
  EXPECT_TRUE(signin_->Verify(kMine, first).ok());
  EXPECT_EQ(signin_->Verify(kMine, first).status().code(),
            StatusCode::kUnauthenticated);

  std::string second = Delivered(2);
  clock_.Advance(11min);
  EXPECT_EQ(signin_->Verify(kMine, second).status().code(),
            StatusCode::kUnauthenticated);

  std::string third = Delivered(3);
  std::string wrong = third == "000000" ? "000001" : "000000";
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(signin_->Verify(kMine, wrong).status().code(),
              StatusCode::kUnauthenticated);
  }
  EXPECT_EQ(signin_->Verify(kMine, third).status().code(),
            StatusCode::kResourceExhausted);
  EXPECT_EQ(signin_->RequestCode(kMine, channel::Language::kMongolian)
                .status()
                .code(),
            StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace malchin::api
