// The API's defences (docs/security.md), end to end over loopback: bodies
// judged on the head, password guessing, the password rules, security
// headers and the Secure cookie behind a TLS proxy.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "api/test_server.h"

namespace malchin::api {
namespace {

using nlohmann::json;

constexpr char kClient[] = "198.51.100.10";  // Addresses behind the proxy.

class SecurityTest : public TestServerFixture {
 protected:
  void SetUp() override {
    TestServerOptions o;
    o.server_options = [](net::ServerOptions& s) {
      s.trusted_proxies = {"127.0.0.1"};  // As behind deploy/nginx.
      s.max_body_spool = 64 << 20;
      s.body_timeout = std::chrono::seconds(1);  // Bodies that never come.
    };
    server_ = std::make_unique<TestServer>("malchin_security", o);
    ASSERT_NO_FATAL_FAILURE(server_->Start({"admin", "tos", "ana"}));
  }
  TestServer& Server() override { return *server_; }

  // POST /api/v1/session as `user` from `address` (through the proxy).
  http::Response LogIn(const std::string& user, const std::string& password,
                       const std::string& address, Headers extra = {}) {
    extra.emplace_back("X-Forwarded-For", address);
    auto r = NewClient().Send(
        "POST", "/api/v1/session",
        json({{"username", user}, {"password", password}}).dump(), extra);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : http::Response();
  }

  // The raw answer to a request head announcing a body that never comes.
  std::string HeadOnly(const std::string& path, size_t length,
                       const std::string& headers) {
    auto out =
        net::Client("127.0.0.1", server_->port(), std::chrono::seconds(5))
            .SendRaw("POST " + path + " HTTP/1.1\r\nHost: x\r\n" +
                     "Content-Type: application/json\r\n" + "Content-Length: " +
                     std::to_string(length) + "\r\n" + headers + "\r\n");
    EXPECT_TRUE(out.ok());
    return out.ok() ? *out : "";
  }

  std::unique_ptr<TestServer> server_;
};

TEST_F(SecurityTest, UploadsAreJudgedOnTheirHeadBeforeAnyBodyIsRead) {
  const size_t k260MB = 260000000;  // Under the import limit of 256 MiB.
  // Six anonymous 260 MB uploads: each refused at once, no body read.
  std::vector<std::thread> uploads;
  std::vector<std::string> answers(6);
  for (int i = 0; i < 6; ++i) {
    uploads.emplace_back(
        [&, i] { answers[i] = HeadOnly("/api/v1/imports", k260MB, ""); });
  }
  for (auto& t : uploads) t.join();
  for (const auto& a : answers) {
    EXPECT_EQ(a.rfind("HTTP/1.1 401", 0), 0u) << a;
  }
  EXPECT_EQ(Server().state().body_memory, 0);
  EXPECT_EQ(Server().state().body_spooled, 0);
  // "Expect: 100-continue" is not answered for a caller without the right
  // (the analyst may not import)...
  std::string ana = Login("ana");
  std::string a =
      HeadOnly("/api/v1/imports", 1000,
               "Authorization: Bearer " + ana + "\r\nExpect: 100-continue\r\n");
  EXPECT_EQ(a.rfind("HTTP/1.1 403", 0), 0u) << a;
  // ...and is for one who may: the head is admitted, the body awaited.
  std::string tos = Login("tos");
  a = HeadOnly("/api/v1/imports", 1000,
               "Authorization: Bearer " + tos + "\r\nExpect: 100-continue\r\n");
  EXPECT_EQ(a.rfind("HTTP/1.1 100 Continue", 0), 0u) << a;
  // Beyond the spool budget (64 MiB here): 503, before reading.
  a = HeadOnly("/api/v1/imports", 65 << 20,
               "Authorization: Bearer " + tos + "\r\n");
  EXPECT_EQ(a.rfind("HTTP/1.1 503", 0), 0u) << a;
  EXPECT_NE(a.find("Retry-After: 1"), std::string::npos) << a;
}

TEST_F(SecurityTest, ImportsStillWorkThroughTheSpool) {
  std::string tos = Login("tos");
  json body = {{"households_csv", "household_id,soum_code\n"},
               {"persons_csv", "register_no,household_id\n"}};
  auto r = Call(tos, "POST", "/api/v1/imports", body.dump());
  ASSERT_EQ(r.status, 202) << r.body;
  json job = WaitJob(tos, json::parse(r.body)["job_id"]);
  EXPECT_TRUE(job["state"] == "done" || job["state"] == "failed") << job;
  EXPECT_EQ(Server().state().body_spooled, 0);
}

TEST_F(SecurityTest, GuessesFromManyAddressesDoNotLockTheAdminOut) {
  ASSERT_EQ(LogIn("admin", "admin-password", kClient).status, 201);
  for (int i = 0; i < 14; ++i) {
    auto r = LogIn("admin", "guess-number-" + std::to_string(i),
                   "203.0.113." + std::to_string(i));
    EXPECT_TRUE(r.status == 401 || r.status == 503) << r.body;
  }
  auto r = LogIn("admin", "admin-password", kClient);
  ASSERT_EQ(r.status, 201) << r.body;
  // The owner is told.
  json failed = json::parse(r.body)["failed_logins"];
  EXPECT_EQ(failed["failed"].get<int>() + failed["refused"].get<int>(), 14)
      << failed;
  EXPECT_EQ(failed["last_address"], "203.0.113.13");
  EXPECT_EQ(json::parse(LogIn("admin", "admin-password", kClient)
                            .body)["failed_logins"]["failed"],
            0);
  // One address guessing the same account is slowed (503, Retry-After).
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(LogIn("tos", "not-it-at-all", "192.0.2.9").status, 401);
  }
  r = LogIn("tos", "not-it-at-all", "192.0.2.9");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.GetHeader("Retry-After"), "1");
}

TEST_F(SecurityTest, WeakPasswordsAreRefusedWithReasonsInBothLanguages) {
  std::string admin = Login("admin");
  auto create = [&](const std::string& user, const std::string& password) {
    return Call(
        admin, "POST", "/api/v1/users",
        json({{"username", user}, {"password", password}, {"role", "analyst"}})
            .dump());
  };
  for (const char* weak : {"aaaaaaaaaa", "1234567890", "password12",
                           "qwerty2024", "bataa-secret-1"}) {
    auto r = create("bataa", weak);
    ASSERT_EQ(r.status, 400) << weak;
    json e = json::parse(r.body)["error"];
    EXPECT_EQ(e["field"], "password") << weak;
    std::string message = e["message"];
    EXPECT_NE(message.find(" / нууц үг"), std::string::npos) << message;
  }
  EXPECT_EQ(create("bataa", "Gobi camel tea 7").status, 201);
  auto r = Call(admin, "PATCH", "/api/v1/users/bataa",
                R"({"password":"password123"})");
  EXPECT_EQ(r.status, 400) << r.body;
}

TEST_F(SecurityTest, SecurityHeadersAndTheSecureCookieBehindTls) {
  auto plain = LogIn("tos", "tos-password", kClient);
  ASSERT_EQ(plain.status, 201);
  EXPECT_EQ(std::string(plain.GetHeader("Set-Cookie")).find("Secure"),
            std::string::npos);
  auto tls =
      LogIn("tos", "tos-password", kClient, {{"X-Forwarded-Proto", "https"}});
  ASSERT_EQ(tls.status, 201);
  EXPECT_NE(std::string(tls.GetHeader("Set-Cookie")).find("; Secure"),
            std::string::npos);
  EXPECT_FALSE(tls.GetHeader("Strict-Transport-Security").empty());
  for (const auto& r : {plain, tls}) {
    EXPECT_EQ(r.GetHeader("X-Content-Type-Options"), "nosniff");
    EXPECT_NE(
        r.GetHeader("Content-Security-Policy").find("frame-ancestors 'none'"),
        std::string::npos);
    EXPECT_EQ(r.GetHeader("Referrer-Policy"), "no-referrer");
  }
}

}  // namespace
}  // namespace malchin::api
