// `malchin indicator push` and `pushes` end to end against the local DHIS2
// test receiver (testing/dhis2_receiver.h; no DHIS2 runs here), on the
// engine MALCHIN_TEST_ENGINE names: a dry run, then the push; a push
// without a dry run of the same payload is refused; wrong credentials give
// a 401, a clear error, and nothing recorded as a success; conflicts are
// shown; the credentials never appear in the output or the database.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/testing.h"
#include "indicators/dhis2_push.h"
#include "indicators/register_test_fixture.h"
#include "indicators/testing/dhis2_receiver.h"

namespace malchin::indicators {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::Dhis2Receiver;

constexpr char kPassword[] = "s3cret-Pa55word";
constexpr char kToken[] = "d2pat_T0kenT0kenT0ken";

class PushCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    reg_ = testing::GeneratedRegister::Make();
    ASSERT_NE(reg_, nullptr);
    db_ = reg_->database().url();
    dir_ = cli::testing::FreshTestDir("malchin-push");
    Write("good.txt", std::string("admin:") + kPassword + "\n");
    Write("wrong.txt", "admin:not-the-password\n");
  }
  void TearDown() override {
    ExpectNoSecretStored();
    fs::remove_all(dir_);
  }
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }
  std::unique_ptr<Dhis2Receiver> Receiver(Dhis2Receiver::Options o = {}) {
    o.password = kPassword;
    o.token = kToken;
    auto r = std::make_unique<Dhis2Receiver>(o);
    EXPECT_TRUE(r->Start().ok());
    return r;
  }
  // Runs the CLI; every output is checked for the secrets.
  cli::testing::CliRun Cli(std::vector<std::string> args) {
    args.insert(args.begin() + 2, {"--db", db_});
    auto r = cli::testing::Run(args);
    for (const std::string* s : {&r.out, &r.err}) {
      EXPECT_EQ(s->find(kPassword), std::string::npos) << *s;
      EXPECT_EQ(s->find(kToken), std::string::npos) << *s;
    }
    return r;
  }
  cli::testing::CliRun Push(const Dhis2Receiver& r, bool dry,
                            const std::string& creds = "good.txt",
                            const std::string& period = "2020Q4") {
    std::vector<std::string> a = {"indicator",     "push",
                                  "--server",      r.url(),
                                  "--period",      period,
                                  "--code",        "SI_COVERAGE_HERDERS",
                                  "--credentials", (dir_ / creds).string()};
    if (dry) a.push_back("--dry-run");
    return Cli(a);
  }
  // Nothing of the credentials in the pushes, the audit trail, or (SQLite)
  // the database's files.
  void ExpectNoSecretStored() {
    auto s = reg_->Connect();
    auto pushes = s->Get<Repository>().ListPushes();
    ASSERT_TRUE(pushes.ok());
    std::string all;
    for (const PushRecord& p : *pushes) {
      all += p.server + p.summary_json + p.import_status + p.period;
    }
    store::AuditQuery q;
    q.limit = 1000;
    auto audit = s->ListAudit(q);
    ASSERT_TRUE(audit.ok());
    for (const auto& a : *audit) all += a.after_json.value_or("") + a.entity_id;
    if (db_.starts_with("sqlite:")) {
      for (const char* suffix : {"", "-wal"}) {
        std::ifstream f(db_.substr(db_.find(':') + 1) + suffix,
                        std::ios::binary);
        std::stringstream b;
        b << f.rdbuf();
        all += b.str();
      }
    }
    EXPECT_EQ(all.find(kPassword), std::string::npos);
    EXPECT_EQ(all.find(kToken), std::string::npos);
    EXPECT_EQ(all.find("YWRtaW46"), std::string::npos);  // base64 "admin:"
  }
  std::unique_ptr<testing::GeneratedRegister> reg_;
  std::string db_;
  fs::path dir_;
};

TEST_F(PushCliTest, DryRunThenPush) {
  auto rcv = Receiver();
  auto exported = cli::testing::Run(
      {"indicator", "export", "--db", db_, "--format", "dhis2-json", "--period",
       "2020Q4", "--code", "SI_COVERAGE_HERDERS"});
  ASSERT_EQ(exported.code, 0) << exported.err;
  json values = json::parse(exported.out)["dataValues"];
  ASSERT_GT(values.size(), 2u);
  const std::string n = std::to_string(values.size());
  auto dry = Push(*rcv, true);
  ASSERT_EQ(dry.code, 0) << dry.err;
  EXPECT_NE(dry.out.find("dry run 1 to " + rcv->url() +
                         " (2020Q4): HTTP 200, SUCCESS"),
            std::string::npos)
      << dry.out;
  EXPECT_NE(dry.out.find("imported " + n + ", updated 0, ignored 0"),
            std::string::npos)
      << dry.out;
  EXPECT_TRUE(rcv->stored().empty());
  auto push = Push(*rcv, false);
  ASSERT_EQ(push.code, 0) << push.err;
  EXPECT_NE(push.out.find("push 2 to " + rcv->url()), std::string::npos);
  auto stored = rcv->stored();
  ASSERT_EQ(stored.size(), values.size());
  for (const json& v : values) {
    std::string key = v["dataElement"].get<std::string>() + "|" +
                      v["period"].get<std::string>() + "|" +
                      v["orgUnit"].get<std::string>() + "|" +
                      v["categoryOptionCombo"].get<std::string>();
    EXPECT_EQ(stored[key], v["value"]) << key;
  }
  auto requests = rcv->requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].target, "/api/dataValueSets?dryRun=true");
  EXPECT_EQ(requests[1].target, "/api/dataValueSets");
  EXPECT_EQ(requests[1].content_type, "application/json");
  EXPECT_TRUE(requests[1].authorized);
  auto list = Cli({"indicator", "pushes", "--json"});
  ASSERT_EQ(list.code, 0) << list.err;
  json l = json::parse(list.out);
  ASSERT_EQ(l.size(), 2u);
  EXPECT_EQ(l[0]["dry_run"], false);
  EXPECT_EQ(l[0]["import_status"], "SUCCESS");
  EXPECT_EQ(l[0]["server"], rcv->url());
  EXPECT_EQ(l[0]["payload_sha256"], l[1]["payload_sha256"]);
  EXPECT_EQ(l[0]["summary"]["response"]["importCount"]["imported"],
            values.size());
  // The token from the environment works too (ApiToken).
  ::setenv("DHIS2_TOKEN", kToken, 1);
  auto by_token = Cli({"indicator", "push", "--server", rcv->url(), "--period",
                       "2020Q4", "--code", "SI_COVERAGE_HERDERS", "--dry-run"});
  ::unsetenv("DHIS2_TOKEN");
  ASSERT_EQ(by_token.code, 0) << by_token.err;
  EXPECT_NE(by_token.out.find("updated " + n), std::string::npos);
}

TEST_F(PushCliTest, PushWithoutADryRunOfTheSamePayloadIsRefused) {
  auto rcv = Receiver();
  auto push = Push(*rcv, false);
  EXPECT_NE(push.code, 0);
  EXPECT_NE(push.err.find("no successful dry run"), std::string::npos)
      << push.err;
  EXPECT_TRUE(rcv->requests().empty());
  ASSERT_EQ(Push(*rcv, true, "good.txt", "2020Q3").code, 0);
  EXPECT_NE(Push(*rcv, false).code, 0);  // Another payload (period).
  EXPECT_EQ(rcv->requests().size(), 1u);
}

TEST_F(PushCliTest, WrongCredentialsAre401AndNoSuccess) {
  auto rcv = Receiver();
  auto dry = Push(*rcv, true, "wrong.txt");
  EXPECT_NE(dry.code, 0);
  EXPECT_NE(dry.err.find("HTTP 401"), std::string::npos) << dry.err;
  EXPECT_NE(dry.err.find("credentials were refused"), std::string::npos);
  auto list = Cli({"indicator", "pushes", "--json"});
  json l = json::parse(list.out);
  ASSERT_EQ(l.size(), 1u);
  EXPECT_EQ(l[0]["http_status"], 401);
  EXPECT_EQ(l[0]["import_status"], "HTTP 401");
  EXPECT_NE(Push(*rcv, false).code, 0);  // A failed dry run allows nothing.
  Write("empty.txt", "");
  auto empty = Push(*rcv, true, "empty.txt");
  EXPECT_NE(empty.err.find("empty.txt: "), std::string::npos) << empty.err;
  // Unreachable: nothing recorded.
  std::string url = rcv->url();
  rcv.reset();
  auto gone = Cli({"indicator", "push", "--server", url, "--period", "2020Q4",
                   "--code", "SI_COVERAGE_HERDERS", "--credentials",
                   (dir_ / "good.txt").string(), "--dry-run"});
  EXPECT_NE(gone.code, 0);
  EXPECT_NE(gone.err.find("cannot be reached"), std::string::npos) << gone.err;
  EXPECT_EQ(json::parse(Cli({"indicator", "pushes", "--json"}).out).size(), 1u);
}

TEST_F(PushCliTest, ConflictsAreShownAndKept) {
  Dhis2Receiver::Options o;
  o.data_elements = {"Aaaaaaaaaaa"};  // Not the shipped placeholder.
  auto rcv = Receiver(o);
  auto dry = Push(*rcv, true);
  EXPECT_NE(dry.code, 0);
  EXPECT_NE(dry.out.find("HTTP 409, ERROR"), std::string::npos) << dry.out;
  EXPECT_NE(dry.out.find("conflict: PHde0000001: Data element not found or not "
                         "accessible"),
            std::string::npos)
      << dry.out;
  EXPECT_NE(dry.err.find("conflict(s), listed above"), std::string::npos);
  // A malformed value, straight through the pusher.
  auto session = reg_->Connect();
  auto server = ParseServerUrl(rcv->url());
  ASSERT_TRUE(server.ok());
  Dhis2Pusher pusher(*session,
                     [&](const std::string& target, const std::string& body,
                         const auto& headers) -> Result<Dhis2Answer> {
                       http::Request q;
                       q.target = target;
                       q.path = "/api/dataValueSets";
                       q.query.emplace("dryRun", "true");
                       for (const auto& [k, v] : headers) {
                         std::string lower;
                         for (char c : k)
                           lower += static_cast<char>(std::tolower(c));
                         q.headers[lower] = v;
                       }
                       q.body = body;
                       http::Response r = rcv->Answer(q);
                       return Dhis2Answer{r.status, r.body};
                     });
  auto out = pusher.Push(
      *server, {"admin", kPassword, ""}, "2020",
      R"({"dataValues":[{"dataElement":"Aaaaaaaaaaa","period":"2020",
      "orgUnit":"PHou0000000","categoryOptionCombo":"PHcoc000001",
      "value":"12,5"}]})",
      true);
  ASSERT_TRUE(out.ok()) << out.status().message();
  ASSERT_EQ(out->summary->conflicts.size(), 1u);
  EXPECT_EQ(out->summary->conflicts[0].value, "Value must be a number");
  EXPECT_EQ(out->record.import_status, "ERROR");
  EXPECT_EQ(out->record.http_status, 409);
}

}  // namespace
}  // namespace malchin::indicators
