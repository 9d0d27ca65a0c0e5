// `malchin channel broadcast ...` in-process, on the engine of
// MALCHIN_TEST_ENGINE: a broadcast to the herder households of a dzud
// event's soums, drafted by one officer, refused to its maker over the
// threshold, approved by another, sent once (a second send queues nobody),
// and its report by soum x sex of head.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "backends/testing/engine_choice.h"
#include "backends/testing/test_database.h"
#include "cli/cli.h"
#include "cli/testing.h"
#include "registry/repository.h"

namespace malchin::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using registry::Sex;

using cli::testing::CliRun;

// Over sms.broadcast_approval_recipients (1000): needs a second officer.
constexpr int kHouseholds = 1002;

class BroadcastCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::FreshTestDir("malchin-bcast-cli");
    database_ = std::move(backends::testing::TestDatabase::Make(
                              backends::testing::ApiTestEngine())
                              .value());
    db_ = database_->url();
    auto store = database_->Connect();
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    std::vector<registry::Household> hs;
    std::vector<registry::Person> ps;
    for (int i = 0; i < kHouseholds + 1; ++i) {
      registry::Household h;
      h.id = "B" + std::to_string(10000 + i);
      // The last one is in a soum outside the event.
      h.soum_code = h.current_soum_code = i < kHouseholds ? 18140 : 18125;
      h.herder = true;
      h.phone = std::to_string(88000000 + i);
      hs.push_back(h);
      registry::Person p;
      p.register_no = "ИЗ80" + std::to_string(100000 + i);
      p.household_id = h.id;
      p.family_name = "Боржигин";
      p.father_name = "Бат";
      p.given_name = "Сараа";
      p.sex = i % 3 == 0 ? Sex::kMale : Sex::kFemale;
      p.birth_date = *Date::Parse("1980-01-01");
      p.relation = registry::Relation::kHead;
      ps.push_back(p);
    }
    ASSERT_TRUE((*store)
                    ->Get<registry::Repository>()
                    .Upsert(hs, ps, {"test", ""})
                    .ok());
    for (const char* u : {"maker", "checker"}) {
      ASSERT_EQ(M({"user", "add", "--db", db_, "--username", u, "--role",
                   "national_officer"},
                  "Tal nuuriin salkhi 1987\n")
                    .code,
                0);
    }
    std::ofstream(Path("soums.csv")) << "soum_code,severity\n18140,high\n";
    auto r = M({"event", "create", "--db", db_, "--user", "maker", "--event",
                "tos-dzud", "--type", "dzud", "--name", "Tosontsengel dzud",
                "--start", "2026-01-01", "--end", "2026-04-30", "--soums",
                Path("soums.csv")});
    ASSERT_EQ(r.code, 0) << r.err;
  }
  void TearDown() override { fs::remove_all(dir_); }

  CliRun M(const std::vector<std::string>& args,
           const std::string& input = "") {
    return testing::Run(args, input);
  }
  std::string Path(const std::string& name) { return (dir_ / name).string(); }
  CliRun Step(const std::string& verb, const std::string& user,
              const std::string& id) {
    return M({"channel", "broadcast", verb, "--db", db_, "--user", user, "--id",
              id, "--json"});
  }

  fs::path dir_;
  std::unique_ptr<backends::testing::TestDatabase> database_;
  std::string db_;
};

TEST_F(BroadcastCliTest, DraftPreviewApproveSendOnceAndReport) {
  auto r = M({"channel",    "broadcast",
              "draft",      "--db",
              db_,          "--user",
              "maker",      "--json",
              "--title",    "Dzud warning",
              "--target",   "household.herder and event.severity >= high",
              "--event",    "tos-dzud",
              "--template", "shock.alert",
              "--param",    "soum=Тосонцэнгэл",
              "--param",    "shock=цагаан зуд",
              "--param",    "deadline=2026-03-10",
              "--param",    "phone=70112233"});
  ASSERT_EQ(r.code, 0) << r.err;
  std::string id = std::to_string(json::parse(r.out).at("id").get<int64_t>());

  r = Step("preview", "maker", id);
  ASSERT_EQ(r.code, 0) << r.err;
  json p = json::parse(r.out);
  EXPECT_EQ(p.at("recipients"), kHouseholds);
  EXPECT_EQ(p.at("cost"), 40 * kHouseholds);
  EXPECT_EQ(p.at("needs_approval"), true);
  ASSERT_EQ(p.at("by_soum_sex").size(), 2u);
  EXPECT_EQ(p.at("by_soum_sex")[0].at("head_sex"), "F");
  EXPECT_EQ(p.at("by_soum_sex")[0].at("households"), 668);
  EXPECT_EQ(p.at("by_soum_sex")[1].at("households"), 334);

  r = Step("send", "maker", id);
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("approval"), std::string::npos) << r.err;
  r = Step("approve", "maker", id);
  EXPECT_NE(r.code, 0);
  r = Step("approve", "checker", id);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out).at("state"), "approved");

  r = Step("send", "maker", id);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out).at("state"), "queued");
  EXPECT_EQ(json::parse(r.out).at("recipients"), kHouseholds);
  r = Step("send", "maker", id);
  ASSERT_EQ(r.code, 0) << r.err;
  r = M({"channel", "status", "--db", db_, "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out).value("queued", 0), kHouseholds) << r.out;

  r = Step("report", "checker", id);
  ASSERT_EQ(r.code, 0) << r.err;
  json report = json::parse(r.out);
  EXPECT_EQ(report.at("progress").at("queued"), kHouseholds);
  EXPECT_EQ(report.at("by_soum_sex").size(), 2u);
}

TEST_F(BroadcastCliTest, AMalformedTargetSaysWhatIsWrong) {
  auto r = M({"channel", "broadcast", "draft", "--db", db_, "--title", "x",
              "--target", "household.herdr", "--template", "shock.alert",
              "--param", "soum=a", "--param", "shock=b", "--param",
              "deadline=2026-03-10", "--param", "phone=70112233"});
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("target"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace malchin::cli
