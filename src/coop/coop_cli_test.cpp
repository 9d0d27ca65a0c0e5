// The `malchin coop`, `malchin inkind` and `malchin training` commands
// (src/cli/coop_commands.cpp, coop_reserve_commands.cpp,
// inkind_commands.cpp, training_commands.cpp), run in-process on a small
// generated register with accounts: every command's help, a cooperative's
// life from registration to a payout, maker-checker and never twice as exit
// codes, the demo seeding leaving the register unchanged.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "auth/accounts.h"
#include "backends/testing/engine_choice.h"
#include "backends/testing/test_database.h"
#include "cli/cli.h"
#include "cli/testing.h"
#include "registry/repository.h"

namespace malchin::coop {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

using cli::testing::CliRun;

CliRun Cli(const std::vector<std::string>& args) {
  return cli::testing::Run(args);
}

std::string Slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

class CoopCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = cli::testing::FreshTestDir("malchin-coop-cli");
    database_ = std::move(backends::testing::TestDatabase::Make(
                              backends::testing::ApiTestEngine())
                              .value());
    db_ = database_->url();
    CliRun g =
        Cli({"generate", "--db", db_, "--aimag", "Zavkhan", "--scale", "0.05"});
    ASSERT_EQ(g.code, 0) << g.err;
    auto s = database_->Connect();
    ASSERT_TRUE(s.ok());
    for (auto [name, role, area] :
         {std::tuple{"national", "national_officer", 0},
          std::tuple{"checker", "national_officer", 0},
          std::tuple{"tosontsengel", "soum_officer", 18140},
          std::tuple{"analyst", "analyst", 0}}) {
      auth::UserRecord u;
      u.username = name;
      u.password_hash = "x";
      u.role = role;
      u.area_code = area;
      u.created_at = u.updated_at = "2025-01-01T00:00:00Z";
      ASSERT_TRUE((*s)->Get<auth::AccountRepository>().CreateUser(u).ok());
    }
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Register numbers of the heads of some herder households of 18140.
  std::vector<std::string> Heads(size_t n) {
    auto s = *database_->Connect();
    std::vector<std::string> out;
    auto& reg = s->Get<registry::Repository>();
    (void)reg.ForEachHousehold({0, 18140}, [&](const registry::Household& h) {
      if (!h.herder || out.size() >= n) return Status::Ok();
      auto members = reg.Members(h.id);
      if (members.ok() && !members->empty() &&
          (*members)[0].relation == registry::Relation::kHead) {
        out.push_back((*members)[0].register_no);
        households_.push_back(h.id);
      }
      return Status::Ok();
    });
    return out;
  }

  fs::path dir_;
  std::unique_ptr<backends::testing::TestDatabase> database_;
  std::string db_;
  std::vector<std::string> households_;
};

TEST_F(CoopCliTest, EveryCommandHasHelp) {
  for (const char* cmd : {"coop register",
                          "coop list",
                          "coop show",
                          "coop join",
                          "coop leave",
                          "coop role",
                          "coop memberships",
                          "coop contribute",
                          "coop sales",
                          "coop reverse",
                          "coop pay-insurance",
                          "coop statement",
                          "coop approve-insurance",
                          "coop event-position",
                          "coop warehouse",
                          "coop feed",
                          "coop stock",
                          "coop stats",
                          "coop seed-demo",
                          "coop payout prepare",
                          "coop payout approve",
                          "coop feed-out deliver",
                          "inkind item",
                          "inkind items",
                          "inkind prepare",
                          "inkind preview",
                          "inkind approve",
                          "inkind deliver",
                          "inkind lines",
                          "inkind list",
                          "training create",
                          "training attend",
                          "training list",
                          "training show",
                          "training business",
                          "training seed",
                          "training businesses"}) {
    std::vector<std::string> args;
    std::istringstream words(cmd);
    for (std::string w; words >> w;) args.push_back(w);
    args.push_back("--help");
    CliRun r = Cli(args);
    EXPECT_EQ(r.code, 0) << cmd << ": " << r.err;
    EXPECT_NE(r.out.find("malchin " + std::string(cmd)), std::string::npos)
        << cmd;
  }
}

TEST_F(CoopCliTest, ACooperativeFromRegistrationToAPayout) {
  const auto heads = Heads(3);
  ASSERT_EQ(heads.size(), 3u);
  CliRun r = Cli({"coop", "register", "--db", db_, "--user", "tosontsengel",
                  "--code", "c1", "--name", "Малчдын хоршоо", "--soum", "18140",
                  "--registered-on", "2015-01-01"});
  ASSERT_EQ(r.code, 0) << r.err;
  for (size_t i = 0; i < heads.size(); ++i) {
    r = Cli({"coop", "join", "--db", db_, "--user", "tosontsengel", "--coop",
             "c1", "--person", heads[i], "--role", i ? "member" : "chair",
             "--date", "2016-01-01"});
    ASSERT_EQ(r.code, 0) << r.err;
  }
  r = Cli({"coop", "contribute", "--db", db_, "--user", "tosontsengel",
           "--coop", "c1", "--person", heads[0], "--date", "2024-03-01",
           "--amount", "150000", "--key", "k1"});
  ASSERT_EQ(r.code, 0) << r.err;
  r = Cli({"coop", "contribute", "--db", db_, "--user", "tosontsengel",
           "--coop", "c1", "--person", heads[0], "--date", "2024-03-01",
           "--amount", "150000", "--key", "k1"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("already recorded"), std::string::npos) << r.out;
  // Money does not move without an idempotency key.
  r = Cli({"coop", "contribute", "--db", db_, "--user", "tosontsengel",
           "--coop", "c1", "--person", heads[0], "--date", "2024-03-02",
           "--amount", "1000"});
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("key"), std::string::npos) << r.err;
  r = Cli({"coop", "contribute", "--db", db_, "--user", "tosontsengel",
           "--coop", "c1", "--person", heads[1], "--date", "2024-10-01",
           "--item", "sheep", "--quantity", "1", "--key", "k2"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("180,000"), std::string::npos) << r.out;

  // A payout: prepared by one officer, refused to the same, approved by
  // another, paid once.
  r = Cli({"coop", "payout", "prepare", "--db", db_, "--user", "national",
           "--code", "dzud", "--coop", "c1", "--eligibility",
           "household.herder", "--quantity", "50000", "--cutoff",
           "2024-11-01"});
  ASSERT_EQ(r.code, 0) << r.err;
  r = Cli({"coop", "payout", "approve", "--db", db_, "--user", "national",
           "--code", "dzud"});
  EXPECT_EQ(r.code, 6) << r.err;
  r = Cli({"coop", "payout", "approve", "--db", db_, "--user", "checker",
           "--code", "dzud"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("3 household(s)"), std::string::npos) << r.out;
  r = Cli({"coop", "payout", "deliver", "--db", db_, "--user", "tosontsengel",
           "--code", "dzud", "--all", "--date", "2024-12-01"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("3 household(s) delivered"), std::string::npos);
  r = Cli({"coop", "payout", "deliver", "--db", db_, "--user", "tosontsengel",
           "--code", "dzud", "--household", households_[0], "--date",
           "2024-12-02"});
  EXPECT_EQ(r.code, 4) << r.err;
  r = Cli({"coop", "statement", "--db", db_, "--coop", "c1", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  json st = json::parse(r.out);
  EXPECT_EQ(st["closing"], 150000 + 180000 - 150000);
  EXPECT_EQ(st["entries"].size(), 5u);
  // A soum officer of another soum may not write here; an analyst not at all.
  r = Cli({"coop", "sales", "--db", db_, "--user", "analyst", "--coop", "c1",
           "--date", "2024-12-03", "--amount", "1000", "--key", "k3"});
  EXPECT_EQ(r.code, 6) << r.err;
  r = Cli({"coop", "memberships", "--db", db_, "--person", heads[2], "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)[0]["coop"], "c1");
}

TEST_F(CoopCliTest, TrainingsAndStatistics) {
  const auto heads = Heads(2);
  CliRun r =
      Cli({"training", "create", "--db", db_, "--user", "tosontsengel",
           "--code", "ls", "--topic", "life_skills", "--title", "Амьдрах ухаан",
           "--soum", "18140", "--from", "2021-05-10", "--to", "2021-05-12"});
  ASSERT_EQ(r.code, 0) << r.err;
  r = Cli({"training", "attend", "--db", db_, "--user", "tosontsengel",
           "--code", "ls", "--person", heads[0], heads[1]});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("2 attendee(s) added"), std::string::npos) << r.out;
  r = Cli({"training", "business", "--db", db_, "--user", "tosontsengel",
           "--code", "b1", "--name", "Сүү", "--soum", "18140", "--started",
           "2021-08-01", "--owner", heads[0], "--training", "ls"});
  ASSERT_EQ(r.code, 0) << r.err;
  r = Cli({"training", "seed", "--db", db_, "--user", "tosontsengel",
           "--business", "b1", "--date", "2021-09-01", "--amount", "2000000",
           "--key", "g1"});
  ASSERT_EQ(r.code, 0) << r.err;
  r = Cli({"coop", "stats", "--db", db_, "--soum", "18140", "--as-of",
           "2022-01-01", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  json s = json::parse(r.out);
  EXPECT_EQ(s["total"]["trainees"], 2);
  EXPECT_EQ(s["total"]["business_owners"], 1);
  int64_t by_sex = 0;
  for (const auto& [sex, v] : s["by_sex"].items())
    by_sex += v["trainees"].get<int64_t>();
  EXPECT_EQ(by_sex, 2);
}

TEST_F(CoopCliTest, SeedDemoLeavesTheRegisterUnchanged) {
  ASSERT_EQ(Cli({"export", "--db", db_, "--out", (dir_ / "a").string()}).code,
            0);
  CliRun r = Cli({"coop", "seed-demo", "--db", db_});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("cooperatives"), std::string::npos);
  ASSERT_EQ(Cli({"export", "--db", db_, "--out", (dir_ / "b").string()}).code,
            0);
  for (const char* f : {"households.csv", "persons.csv"}) {
    EXPECT_EQ(Slurp(dir_ / "a" / f), Slurp(dir_ / "b" / f)) << f;
    EXPECT_GT(Slurp(dir_ / "a" / f).size(), 1000u) << f;
  }
  // Once only.
  EXPECT_EQ(Cli({"coop", "seed-demo", "--db", db_}).code, 5);
  r = Cli({"coop", "list", "--db", db_, "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_GT(json::parse(r.out)["total"].get<int>(), 5);
  r = Cli({"inkind", "list", "--db", db_, "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out).size(), 2u);
}

}  // namespace
}  // namespace malchin::coop
