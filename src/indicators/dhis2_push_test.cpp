// The pieces of the DHIS2 push on their own: credentials files and the
// environment, server URLs (loopback http only, no credentials in them),
// DHIS2's import summaries in both shapes, and the test receiver's checks.
#include "indicators/dhis2_push.h"

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "indicators/testing/dhis2_receiver.h"

namespace malchin::indicators {
namespace {

using nlohmann::json;

TEST(Dhis2Credentials, FileHoldsUserAndPasswordOrAToken) {
  auto basic = ParseCredentials("c.txt", "admin:dis:trict\n");
  ASSERT_TRUE(basic.ok());
  EXPECT_EQ(basic->username, "admin");
  EXPECT_EQ(basic->password, "dis:trict");
  // RFC 7617's example: Aladdin:open sesame.
  EXPECT_EQ(AuthorizationHeader({"Aladdin", "open sesame", ""}),
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
  EXPECT_EQ(AuthorizationHeader({"a", "b", ""}), "Basic YTpi");
  auto token = ParseCredentials("c.txt", "  d2pat_abc123  \n");
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(AuthorizationHeader(*token), "ApiToken d2pat_abc123");
  for (const char* bad : {"", "\n", "admin:", ":secretpw", "a:b\nc:d"}) {
    auto r = ParseCredentials("c.txt", bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find("c.txt"), std::string::npos);
    EXPECT_EQ(r.status().message().find("secretpw"), std::string::npos);
  }
}

TEST(Dhis2Credentials, EnvironmentTokenFirst) {
  std::map<std::string, std::string> env;
  auto get = [&](const char* n) -> const char* {
    auto it = env.find(n);
    return it == env.end() ? nullptr : it->second.c_str();
  };
  EXPECT_EQ(CredentialsFromEnv(get).status().code(), StatusCode::kNotFound);
  env["DHIS2_USERNAME"] = "u";
  EXPECT_FALSE(CredentialsFromEnv(get).ok());
  env["DHIS2_PASSWORD"] = "p";
  EXPECT_EQ(CredentialsFromEnv(get)->username, "u");
  env["DHIS2_TOKEN"] = "t";
  EXPECT_EQ(CredentialsFromEnv(get)->token, "t");
}

TEST(Dhis2Server, LoopbackHttpWithoutCredentials) {
  auto s = ParseServerUrl("http://127.0.0.1:8080/dhis/");
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->host, "127.0.0.1");
  EXPECT_EQ(s->port, 8080);
  EXPECT_EQ(s->base_path, "/dhis");
  EXPECT_EQ(s->Url(), "http://127.0.0.1:8080/dhis");
  EXPECT_EQ(ParseServerUrl("http://localhost")->port, 80);
  EXPECT_EQ(ParseServerUrl("http://[::1]:81")->Url(), "http://[::1]:81");
  auto creds = ParseServerUrl("http://admin:hunter22@127.0.0.1:80");
  ASSERT_FALSE(creds.ok());
  EXPECT_EQ(creds.status().message().find("hunter22"), std::string::npos);
  for (const char* bad :
       {"https://play.dhis2.org", "http://play.dhis2.org/api",
        "http://127.0.0.1:0", "http://127.0.0.1:99999", "http://127.0.0.1:x",
        "ftp://127.0.0.1", "http://127.0.0.1/a?b=c"}) {
    EXPECT_FALSE(ParseServerUrl(bad).ok()) << bad;
  }
}

TEST(ImportSummary, WrappedAndBareShapes) {
  auto wrapped = ParseImportSummary(R"({"httpStatus":"Conflict",
    "httpStatusCode":409,"status":"WARNING","response":{
    "responseType":"ImportSummary","status":"WARNING",
    "importCount":{"imported":2,"updated":1,"ignored":1,"deleted":0},
    "conflicts":[{"object":"abc","value":"Value must be a number",
    "errorCode":"E7619"}]}})");
  ASSERT_TRUE(wrapped.ok()) << wrapped.status().message();
  EXPECT_EQ(wrapped->status, "WARNING");
  EXPECT_EQ(wrapped->imported, 2);
  EXPECT_EQ(wrapped->updated, 1);
  EXPECT_EQ(wrapped->ignored, 1);
  ASSERT_EQ(wrapped->conflicts.size(), 1u);
  EXPECT_EQ(wrapped->conflicts[0].value, "Value must be a number");
  auto bare = ParseImportSummary(
      R"({"responseType":"ImportSummary","status":"SUCCESS",
      "importCount":{"imported":5,"updated":0,"ignored":0,"deleted":0}})");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->imported, 5);
  EXPECT_TRUE(bare->conflicts.empty());
  for (const char* bad : {"", "[]", "{}", R"({"status":"OK"})",
                          R"({"response":{"status":"SUCCESS"}})"}) {
    EXPECT_FALSE(ParseImportSummary(bad).ok()) << bad;
  }
}

// The receiver alone: what DHIS2 refuses, it refuses.
class ReceiverTest : public ::testing::Test {
 protected:
  http::Request Post(std::string body,
                     std::string auth = "Basic YWRtaW46ZGlzdHJpY3Q=") {
    http::Request q;
    q.method = "POST";
    q.target = "/api/dataValueSets?dryRun=true";
    q.path = "/api/dataValueSets";
    q.query.emplace("dryRun", "true");
    q.headers["content-type"] = "application/json";
    q.headers["authorization"] = std::move(auth);
    q.body = std::move(body);
    return q;
  }
  testing::Dhis2Receiver receiver_{{}};
};

TEST_F(ReceiverTest, ChecksAuthContentTypeAndValues) {
  const std::string ok =
      R"({"dataValues":[{"dataElement":"PHsiCovHerd","period":"2020Q1",
      "orgUnit":"PHou0000001","categoryOptionCombo":"PHcocDefalt",
      "value":"14.5"}]})";
  EXPECT_EQ(receiver_.Answer(Post(ok, "Basic YWRtaW46d3Jvbmc=")).status, 401);
  EXPECT_EQ(receiver_.Answer(Post(ok, "ApiToken x")).status, 401);
  http::Request text = Post(ok);
  text.headers["content-type"] = "text/plain";
  EXPECT_EQ(receiver_.Answer(text).status, 415);
  http::Request dry = Post(ok);
  dry.query = {{"dryRun", "yes"}};
  EXPECT_EQ(receiver_.Answer(dry).status, 400);
  EXPECT_EQ(receiver_.Answer(Post("{\"dataValues\": 3}")).status, 400);
  http::Response good = receiver_.Answer(Post(ok));
  EXPECT_EQ(good.status, 200) << good.body;
  EXPECT_EQ(json::parse(good.body)["response"]["importCount"]["imported"], 1);
  for (
      const char* bad :
      {R"("dataElement":"1HsiCovHerd","period":"2020Q1","orgUnit":"PHou0000001","value":"1")",
       R"("dataElement":"PHsiCovHerd","period":"2020Q5","orgUnit":"PHou0000001","value":"1")",
       R"("dataElement":"PHsiCovHerd","period":"2020","orgUnit":"PHou00001","value":"1")",
       R"("dataElement":"PHsiCovHerd","period":"202013","orgUnit":"PHou0000001","value":"1")",
       R"("dataElement":"PHsiCovHerd","period":"2020","orgUnit":"PHou0000001","value":"abc")",
       R"("dataElement":"PHsiCovHerd","period":"2020","orgUnit":"PHou0000001")"}) {
    http::Response r =
        receiver_.Answer(Post(std::string("{\"dataValues\":[{") + bad + "}]}"));
    EXPECT_EQ(r.status, 409) << bad;
    json j = json::parse(r.body);
    EXPECT_EQ(j["response"]["status"], "ERROR") << bad;
    EXPECT_EQ(j["response"]["conflicts"].size(), 1u) << bad;
  }
  EXPECT_TRUE(receiver_.stored().empty());  // Dry runs keep nothing.
}

}  // namespace
}  // namespace malchin::indicators
