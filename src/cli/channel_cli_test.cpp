// `malchin channel queue|send|status|inbox`, in-process, on the engine of
// MALCHIN_TEST_ENGINE: a message queued once by its key, sent by
// `channel send --once` through a stand-in smsbox on loopback (a net::Server
// answering like Kannel's sendsms), and the counts and the message after.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "backends/testing/engine_choice.h"
#include "backends/testing/test_database.h"
#include "cli/cli.h"
#include "cli/testing.h"
#include "http/router.h"
#include "net/log.h"
#include "net/server.h"

namespace malchin::cli {
namespace {

using nlohmann::json;

using cli::testing::CliRun;

CliRun M(const std::vector<std::string>& args) { return testing::Run(args); }

// Answers every sendsms like smsbox: 202 "0: Accepted for delivery".
class FakeSmsbox {
 public:
  FakeSmsbox() {
    net::SetLogLevel(net::LogLevel::kOff);
    http::Route route;
    route.method = "GET";
    route.pattern = "/cgi-bin/sendsms";
    route.handler = [this](http::Request& r) {
      ++calls_;
      auto to = r.query.find("to");
      if (to != r.query.end()) last_to_ = to->second;
      auto pw = r.query.find("password");
      if (pw == r.query.end() || pw->second != "secret-pw") {
        return http::Response::Text(403, "Authorization failed for sendsms");
      }
      return http::Response::Text(202, "0: Accepted for delivery");
    };
    router_.Add(route);
    net::ServerOptions o;
    o.port = 0;
    server_ = std::make_unique<net::Server>(o, router_, [] {
      return Result<std::unique_ptr<http::WorkerContext>>(
          std::make_unique<http::WorkerContext>());
    });
    EXPECT_TRUE(server_->Start().ok());
    thread_ = std::thread([this] { server_->Run(); });
  }
  ~FakeSmsbox() {
    server_->Stop();
    thread_.join();
  }
  uint16_t port() const { return server_->port(); }
  int calls() const { return calls_; }
  std::string last_to() const { return last_to_; }

 private:
  http::Router router_;
  std::unique_ptr<net::Server> server_;
  std::thread thread_;
  std::atomic<int> calls_{0};
  std::string last_to_;
};

class ChannelCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    database_ = std::move(backends::testing::TestDatabase::Make(
                              backends::testing::ApiTestEngine())
                              .value());
    db_ = database_->url();
    password_ = std::filesystem::temp_directory_path() /
                ("malchin-kannel-pw-" + std::to_string(::getpid()));
    std::ofstream(password_) << "secret-pw\n";
  }
  void TearDown() override { std::filesystem::remove(password_); }
  std::vector<std::string> SendArgs(uint16_t port) {
    return {"channel",
            "send",
            "--db",
            db_,
            "--kannel-port",
            std::to_string(port),
            "--kannel-user",
            "malchin",
            "--kannel-password-file",
            password_.string(),
            "--once",
            "--ignore-quiet-hours"};
  }
  std::vector<std::string> QueueArgs(const std::string& key) {
    return {"channel",    "queue",
            "--db",       db_,
            "--key",      key,
            "--phone",    "99001122",
            "--template", "payment.sent",
            "--param",    "programme=Зуд",
            "--param",    "amount=300,000",
            "--param",    "bank=Хаан банк",
            "--param",    "date=2026-02-15",
            "--param",    "phone=70112233"};
  }
  std::unique_ptr<backends::testing::TestDatabase> database_;
  std::string db_;
  std::filesystem::path password_;
};

TEST_F(ChannelCliTest, QueueOnceSendAndStatus) {
  auto r = M(QueueArgs("pay.T1.1"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("queued pay.T1.1 to +97699001122"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("UCS-2"), std::string::npos) << r.out;
  r = M(QueueArgs("pay.T1.1"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("already queued"), std::string::npos) << r.out;

  r = M({"channel", "status", "--db", db_, "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out).value("queued", 0), 1) << r.out;

  FakeSmsbox smsbox;
  r = M(SendArgs(smsbox.port()));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("claimed 1, sent 1"), std::string::npos) << r.out;
  EXPECT_EQ(smsbox.calls(), 1);
  EXPECT_EQ(smsbox.last_to(), "+97699001122");

  r = M({"channel", "status", "--db", db_, "--key", "pay.T1.1", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  json m = json::parse(r.out);
  EXPECT_EQ(m["state"], "sent");
  EXPECT_EQ(m["attempts"], 1);
  // Nothing more to send.
  r = M(SendArgs(smsbox.port()));
  EXPECT_EQ(smsbox.calls(), 1);
}

// The ministry's wording from the command line: set (checked: a parameter
// left out is refused, exit 2, naming it), in force for `channel queue`,
// shown with its history, reset.
TEST_F(ChannelCliTest, TemplateSetShowQueueAndReset) {
  const std::string mn =
      "{programme}: {bank} дансанд {amount} төгрөг орлоо ({date}). Утас: "
      "{phone}";
  std::vector<std::string> set = {
      "channel",      "template", "set", "--db",   db_,      "--id",
      "payment.sent", "--lang",   "mn",  "--note", "plainer"};
  auto bad = set;
  bad.insert(bad.end(), {"--text", "{programme}: {amount} орлоо"});
  auto r = M(bad);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("{bank}"), std::string::npos) << r.err;
  set.insert(set.end(), {"--text", mn});
  r = M(set);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("segments"), std::string::npos) << r.out;

  r = M(QueueArgs("pay.T1.9"));
  ASSERT_EQ(r.code, 0) << r.err;
  r = M({"channel", "status", "--db", db_, "--key", "pay.T1.9", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(json::parse(r.out)["text"].get<std::string>().find("орлоо"),
            std::string::npos)
      << r.out;

  r = M({"channel", "template", "show", "--db", db_, "--id", "payment.sent",
         "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  json t = json::parse(r.out);
  EXPECT_EQ(t["texts"]["mn"]["text"], mn);
  ASSERT_EQ(t["history"].size(), 1u);
  EXPECT_EQ(t["history"][0]["note"], "plainer");
  r = M({"channel", "template", "list", "--db", db_});
  EXPECT_NE(r.out.find("payment.sent\t(edited)"), std::string::npos) << r.out;

  r = M({"channel", "template", "reset", "--db", db_, "--id", "payment.sent",
         "--lang", "mn"});
  ASSERT_EQ(r.code, 0) << r.err;
  r = M({"channel", "template", "reset", "--db", db_, "--id", "payment.sent",
         "--lang", "mn"});
  EXPECT_NE(r.code, 0);
  r = M({"channel", "template", "show", "--db", db_, "--id", "no.such"});
  EXPECT_EQ(r.code, 3) << r.err;
}

TEST_F(ChannelCliTest, BadInputIsNamed) {
  auto args = QueueArgs("pay.T1.2");
  args.push_back("--param");
  args.push_back("nonsense");
  auto r = M(args);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--param 'nonsense'"), std::string::npos) << r.err;
  args = QueueArgs("pay.T1.2");
  args[7] = "12";  // The phone.
  r = M(args);
  EXPECT_EQ(r.code, 2) << r.err;
  r = M({"channel", "status", "--db", db_, "--key", "nope"});
  EXPECT_EQ(r.code, 3);
  r = M({"channel", "send", "--db", db_, "--kannel-user", "u", "--kannel-port",
         "70000", "--once"});
  EXPECT_EQ(r.code, 2);
}

TEST_F(ChannelCliTest, ServeRefusesAWeakCallbackToken) {
  auto r = M({"serve", "--db", db_, "--port", "0", "--sms-token", "short"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("callback token"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("short"), std::string::npos) << "the token is shown";
}

TEST_F(ChannelCliTest, InboxIsEmptyAtFirst) {
  auto r = M({"channel", "inbox", "--db", db_, "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out).size(), 0u);
}

}  // namespace
}  // namespace malchin::cli
