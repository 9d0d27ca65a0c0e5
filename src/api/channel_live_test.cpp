// The whole SMS path against a real Kannel (bearerbox + smsbox + fakesmsc,
// channel/kannel_fixture.h) and the real API server (test_server.h) on the
// engine of MALCHIN_TEST_ENGINE: a few hundred messages queued, sent by
// `malchin channel send` in a child process that is killed with SIGKILL
// midway and started again; fakesmsc must get each exactly once, delivery
// reports reach the outbox through the dlr route, a Mongolian message
// arrives as its UCS-2 segments, a herder's ЗОГС through the inbound route
// is answered and honoured; a broadcast to a few hundred herder households,
// made and queued through the API, reaches each exactly once through a
// sender killed midway, and its report by soum x sex of head counts them
// delivered. Skipped when the Kannel binaries are absent.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "api/test_server.h"
#include "channel/broadcast.h"
#include "channel/kannel_fixture.h"
#include "channel/outbox.h"
#include "channel/repository.h"
#include "channel/templates.h"
#include "params/parameters.h"
#include "registry/repository.h"

extern char** environ;

namespace malchin::api {
namespace {

using namespace std::chrono_literals;
using channel::OutboxState;

constexpr const char* kToken = "live_channel_token_0123456789";
constexpr int kBatch = 300;
constexpr const char* kHerder = "+97699112233";  // Texts ЗОГС.

// Polls `done` every 100 ms until it holds or `deadline` passes.
template <typename F>
bool Eventually(F done, std::chrono::milliseconds deadline) {
  auto end = std::chrono::steady_clock::now() + deadline;
  while (!done()) {
    if (std::chrono::steady_clock::now() > end) return false;
    std::this_thread::sleep_for(100ms);
  }
  return true;
}

std::string Phone(int i) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "+9769900%04d", i);
  return buf;
}

// Herder households for the broadcast, in Tosontsengel, on phones
// 8800XXXX (the other test's messages go to 9900XXXX); heads alternate
// female and male.
constexpr int kHouseholds = 300;
std::string HerderPhone(int i) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "+9768800%04d", i);
  return buf;
}
void SeedHerders(store::Session& session) {
  std::vector<registry::Household> hs;
  std::vector<registry::Person> ps;
  for (int i = 0; i < kHouseholds; ++i) {
    std::string id = "B" + std::to_string(1000 + i);
    registry::Household h = TestHousehold(id.c_str(), 18140);
    h.phone = HerderPhone(i).substr(4);
    hs.push_back(h);
    std::string rn = "ИЗ85" + std::to_string(120300 + i);
    registry::Person p = TestHead(rn.c_str(), id.c_str(), "1985-12-03");
    if (i % 2) p.sex = registry::Sex::kMale;
    ps.push_back(p);
  }
  ASSERT_TRUE(session.Get<registry::Repository>()
                  .Upsert(hs, ps, {"test", "seed"})
                  .ok());
}

class ChannelLiveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::string missing = channel::KannelFixture::MissingBinaries();
        !missing.empty()) {
      GTEST_SKIP() << missing;
    }
    server_ = std::make_unique<TestServer>(
        "malchin_sms_live", TestServerOptions{.export_dir = false});
    server_->services().sms_token = kToken;
    ASSERT_NO_FATAL_FAILURE(server_->Start({"maker", "ana"}, SeedHerders));
    base_ = "http://127.0.0.1:" + std::to_string(server_->port());
    channel::KannelFixtureOptions o;
    o.inbound_url = base_ + "/api/v1/sms/inbound";
    o.callback_token = kToken;
    o.callback_retries = 3;
    auto kannel = channel::KannelFixture::Start(o);
    ASSERT_TRUE(kannel.ok()) << kannel.status().ToString();
    kannel_ = std::move(*kannel);
    auto session = server_->db_handle().Connect();
    ASSERT_TRUE(session.ok());
    session_ = std::move(*session);
    std::ofstream(Secret("password")) << kannel_->account().password << "\n";
    std::ofstream(Secret("token")) << kToken << "\n";
  }
  void TearDown() override {
    if (child_ > 0) {
      ::kill(child_, SIGKILL);
      ::waitpid(child_, nullptr, 0);
    }
    kannel_.reset();
  }
  std::string Secret(const char* name) {
    return (server_->dir() / name).string();
  }
  channel::Repository& Outbox() { return session_->Get<channel::Repository>(); }

  void QueueOne(const std::string& key, const std::string& phone,
                channel::Language language, const std::string& amount) {
    static auto catalogue = channel::TemplateCatalogue::Embedded();
    static auto parameters = params::ParameterSet::Embedded();
    ASSERT_TRUE(catalogue.ok() && parameters.ok());
    channel::QueueRequest q;
    q.idempotency_key = key;
    q.phone = phone;
    q.template_id = "payment.sent";
    q.language = language;
    q.values = {{"programme", language == channel::Language::kMongolian
                                  ? "Зудын тусламж"
                                  : "Dzud aid"},
                {"amount", amount},
                {"bank", "Khan bank"},
                {"date", "2026-02-15"},
                {"phone", "70112233"}};
    auto r = channel::Queue(*session_, **catalogue, **parameters, q);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }

  // `malchin channel send` in a child process, its output in the folder.
  void StartSender(const char* log) {
    std::vector<std::string> args = {MALCHIN_BINARY,
                                     "channel",
                                     "send",
                                     "--db",
                                     server_->database().url(),
                                     "--kannel-port",
                                     std::to_string(kannel_->account().port),
                                     "--kannel-user",
                                     kannel_->account().username,
                                     "--kannel-password-file",
                                     Secret("password"),
                                     "--dlr-url",
                                     base_ + "/api/v1/sms/dlr",
                                     "--sms-token-file",
                                     Secret("token"),
                                     "--from",
                                     kannel_->account().from,
                                     "--ignore-quiet-hours",
                                     "--lease-seconds",
                                     "3",
                                     "--in-doubt-seconds",
                                     "3",
                                     "--batch",
                                     "20",
                                     "--poll-ms",
                                     "200",
                                     "--until-empty"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t files;
    posix_spawn_file_actions_init(&files);
    std::string out = (server_->dir() / log).string();
    posix_spawn_file_actions_addopen(&files, 1, out.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&files, 1, 2);
    int rc =
        ::posix_spawn(&child_, argv[0], &files, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&files);
    ASSERT_EQ(rc, 0) << "posix_spawn " << argv[0];
  }
  // Waits for the child to end by itself; its exit status, or -1.
  int WaitSender(std::chrono::milliseconds deadline) {
    int status = 0;
    bool ended = Eventually(
        [&] { return ::waitpid(child_, &status, WNOHANG) == child_; },
        deadline);
    if (!ended) return -1;
    child_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  std::string Log(const char* name) {
    std::ifstream f(server_->dir() / name);
    return std::string(std::istreambuf_iterator<char>(f), {});
  }
  int64_t InState(std::initializer_list<OutboxState> states) {
    auto counts = Outbox().CountByState();
    EXPECT_TRUE(counts.ok());
    int64_t n = 0;
    for (auto s : states) n += counts.ok() ? (*counts)[s] : 0;
    return n;
  }

  std::unique_ptr<TestServer> server_;
  std::unique_ptr<channel::KannelFixture> kannel_;
  std::unique_ptr<store::Session> session_;
  std::string base_;
  pid_t child_ = -1;
};

TEST_F(ChannelLiveTest, ABroadcastReachesEachHouseholdOnceThroughACrash) {
  std::string maker = server_->Login("maker");
  nlohmann::json draft = {{"title", "Dzud warning"},
                          {"target", "household.herder"},
                          {"template", "shock.alert"},
                          {"values",
                           {{"soum", "Тосонцэнгэл"},
                            {"shock", "цагаан зуд"},
                            {"deadline", "2026-03-10"},
                            {"phone", "70112233"}}}};
  auto r = server_->Call(maker, "POST", "/api/v1/sms/broadcasts", draft.dump());
  ASSERT_EQ(r.status, 201) << r.body;
  std::string path =
      "/api/v1/sms/broadcasts/" +
      std::to_string(nlohmann::json::parse(r.body)["id"].get<int64_t>());
  r = server_->Call(maker, "POST", path + "/send");
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(nlohmann::json::parse(r.body)["recipients"], kHouseholds);

  ASSERT_NO_FATAL_FAILURE(StartSender("bcast1.log"));
  auto some = kannel_->WaitForMessages(80, 30s);
  ASSERT_TRUE(some.ok()) << some.status().ToString() << Log("bcast1.log");
  ASSERT_EQ(::kill(child_, SIGKILL), 0);
  ::waitpid(child_, nullptr, 0);
  child_ = -1;
  EXPECT_GT(InState({OutboxState::kQueued}), 0) << "killed too late";
  std::cerr << "broadcast: killed after " << some->size() << " messages, "
            << InState({OutboxState::kSending}) << " left in sending\n";
  ASSERT_NO_FATAL_FAILURE(StartSender("bcast2.log"));
  ASSERT_EQ(WaitSender(60s), 0) << Log("bcast2.log");

  auto got = kannel_->WaitForMessages(kHouseholds, 20s);
  ASSERT_TRUE(got.ok()) << got.status().ToString() << Log("bcast2.log");
  EXPECT_FALSE(kannel_->WaitForMessages(kHouseholds + 1, 2s).ok());
  std::map<std::string, int> per_phone;
  for (const auto& m : *got) ++per_phone[m.to];
  for (int i = 0; i < kHouseholds; ++i) {
    ASSERT_EQ(per_phone[HerderPhone(i)], 1) << HerderPhone(i);
  }
  EXPECT_EQ((*got)[0].parts, 2);  // Mongolian: two UCS-2 segments.

  // The reports Kannel sent make the broadcast's report: all delivered,
  // half to female-headed households.
  nlohmann::json report;
  std::string ana = server_->Login("ana");
  EXPECT_TRUE(Eventually(
      [&] {
        report = nlohmann::json::parse(
            server_->Call(ana, "GET", path + "/report").body);
        return report["progress"].value("delivered", 0) == kHouseholds;
      },
      20s))
      << report.dump();
  ASSERT_EQ(report["by_soum_sex"].size(), 2u) << report.dump();
  EXPECT_EQ(report["by_soum_sex"][0]["head_sex"], "F");
  EXPECT_EQ(report["by_soum_sex"][0]["messages"], kHouseholds / 2);
}

TEST_F(ChannelLiveTest, EachMessageOnceThroughASenderKilledMidway) {
  // A herder opts out by SMS, through Kannel's sms-service and the route.
  ASSERT_TRUE(kannel_->SendFromPhone(kHerder, "1234", "ЗОГС").ok());
  ASSERT_TRUE(Eventually(
      [&] {
        auto out = Outbox().IsOptedOut(kHerder);
        return out.ok() && *out;
      },
      20s))
      << kannel_->LogTail();

  for (int i = 0; i < kBatch; ++i) {
    ASSERT_NO_FATAL_FAILURE(QueueOne("live." + std::to_string(i), Phone(i),
                                     channel::Language::kEnglish,
                                     std::to_string(1000 + i)));
  }
  ASSERT_NO_FATAL_FAILURE(QueueOne("live.cyr", "+97688000001",
                                   channel::Language::kMongolian, "300,000"));
  ASSERT_NO_FATAL_FAILURE(QueueOne("live.optout", kHerder,
                                   channel::Language::kMongolian, "300,000"));
  // Every message, the Mongolian one and the answer to ЗОГС; not the
  // information message to the phone that opted out.
  const size_t expected = kBatch + 2;

  ASSERT_NO_FATAL_FAILURE(StartSender("sender1.log"));
  auto some = kannel_->WaitForMessages(100, 30s);
  ASSERT_TRUE(some.ok()) << some.status().ToString() << Log("sender1.log");
  ASSERT_EQ(::kill(child_, SIGKILL), 0);
  ::waitpid(child_, nullptr, 0);
  child_ = -1;
  EXPECT_GT(InState({OutboxState::kQueued}), 0) << "killed too late";
  // The dead worker's claimed batch: left in `sending` under its lease,
  // to be sent by the next worker only if no report names them.
  const int64_t orphaned = InState({OutboxState::kSending});
  EXPECT_GT(orphaned, 0) << "killed between two batches";
  std::cerr << "killed after " << some->size() << " messages, " << orphaned
            << " left in sending\n";

  ASSERT_NO_FATAL_FAILURE(StartSender("sender2.log"));
  ASSERT_EQ(WaitSender(45s), 0) << Log("sender2.log");

  auto got = kannel_->WaitForMessages(expected, 20s);
  ASSERT_TRUE(got.ok()) << got.status().ToString() << Log("sender2.log");
  // Nothing more arrives.
  EXPECT_FALSE(kannel_->WaitForMessages(expected + 1, 2s).ok());

  std::map<std::string, std::vector<channel::FakeSmscMessage>> by_phone;
  for (const auto& m : *got) by_phone[m.to].push_back(m);
  for (int i = 0; i < kBatch; ++i) {
    ASSERT_EQ(by_phone[Phone(i)].size(), 1u) << Phone(i);
    auto text =
        channel::PayloadText(by_phone[Phone(i)][0], channel::SmsCoding::kGsm7);
    ASSERT_TRUE(text.ok());
    EXPECT_NE(text->find(std::to_string(1000 + i) + " MNT"), std::string::npos)
        << *text;
  }

  // The Mongolian message: UCS-2, in as many segments as planned.
  auto cyr = Outbox().FindByKey("live.cyr");
  ASSERT_TRUE(cyr.ok() && cyr->has_value());
  EXPECT_EQ((*cyr)->coding, channel::SmsCoding::kUcs2);
  EXPECT_EQ((*cyr)->segments, 2);
  ASSERT_EQ(by_phone["+97688000001"].size(), 1u);
  EXPECT_EQ(by_phone["+97688000001"][0].parts, (*cyr)->segments);
  auto cyr_text = channel::PayloadText(by_phone["+97688000001"][0],
                                       channel::SmsCoding::kUcs2);
  ASSERT_TRUE(cyr_text.ok()) << cyr_text.status().ToString();
  EXPECT_EQ(*cyr_text, (*cyr)->text);

  // ЗОГС was answered once; the information message to that phone never
  // went.
  ASSERT_EQ(by_phone[kHerder].size(), 1u);
  auto answer =
      channel::PayloadText(by_phone[kHerder][0], channel::SmsCoding::kUcs2);
  EXPECT_TRUE(answer.ok());
  auto optout = Outbox().FindByKey("live.optout");
  ASSERT_TRUE(optout.ok() && optout->has_value());
  EXPECT_EQ((*optout)->state, OutboxState::kFailed);
  EXPECT_EQ((*optout)->last_answer, "opted out");

  // Delivery reports, through the dlr route, make every message delivered.
  EXPECT_TRUE(Eventually(
      [&] {
        return InState({OutboxState::kDelivered}) ==
               static_cast<int64_t>(expected);
      },
      20s))
      << InState({OutboxState::kDelivered}) << " delivered of " << expected;
}

}  // namespace
}  // namespace malchin::api
