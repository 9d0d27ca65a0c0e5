// The CLI end to end, on the engine MALCHIN_TEST_ENGINE names (SQLite by
// default: a new file per database; PostgreSQL: a new database per name in
// the test cluster).
#include "cli/cli.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "backends/testing/engine_choice.h"
#include "backends/testing/test_database.h"

namespace malchin::cli {
namespace {

namespace fs = std::filesystem;
using backends::testing::ApiTestEngine;

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MALCHIN_SKIP_WITHOUT_ENGINE(ApiTestEngine());
    dir_ = fs::temp_directory_path() /
           ("malchin_cli_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    db_ = Db("r.db");
    Write("households.csv",
          "household_id,soum_code,bag,current_soum_code,herder,camels,horses,"
          "cattle,sheep,goats,cooperative,phone,lat,lon\n"
          "H1,18140,2,18140,1,3,12,20,250,180,,99112233,48.7563,98.2831\n"
          "H2,18125,1,18125,0,0,0,0,0,0,,,,\n");
    Write("persons.csv",
          "register_no,household_id,family_name,father_name,given_name,sex,"
          "birth_date,relation,disability,herder,phone,bank_account\n"
          "ИЗ85120320,H1,Боржигин,Батбаяр,Оюунчимэг,F,1985-12-03,head,0,1,,\n"
          "ИЗ15220111,H1,Боржигин,Батбаяр,Тэмүүлэн,M,2015-02-01,child,1,0,,\n"
          "ИБ70010152,H2,Тайчууд,Цэрэн,Сүрэн,M,1970-01-01,head,0,0,,\n");
  }
  void TearDown() override {
    databases_.clear();
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  // The --db of the database `name`, new and empty: SQLite, a file not yet
  // there; PostgreSQL, a database of the cluster (which `init` migrates).
  std::string Db(const std::string& name) {
    if (ApiTestEngine() == store::Engine::kSqlite) return P(name.c_str());
    auto& db = databases_[name];
    if (!db) {
      auto made = backends::testing::TestDatabase::Make(ApiTestEngine());
      EXPECT_TRUE(made.ok()) << made.status().ToString();
      if (!made.ok()) return "";
      db = std::move(*made);
    }
    return db->url();
  }
  // The --db of a database that does not exist.
  std::string MissingDb() {
    if (ApiTestEngine() == store::Engine::kSqlite) return P("none.db");
    return backends::testing::WithDatabase(
        db_, "malchin_missing_" + std::to_string(::getpid()));
  }

  void Write(const std::string& name, const std::string& content) {
    std::ofstream(dir_ / name) << content;
  }
  int Run(std::vector<std::string> args, const std::string& input = "") {
    out_.str("");
    err_.str("");
    std::istringstream in(input);
    Io io{in, out_, err_};
    return RunCli(args, io);
  }
  std::string P(const char* name) { return (dir_ / name).string(); }

  fs::path dir_;
  std::string db_;
  std::ostringstream out_, err_;
  std::map<std::string, std::unique_ptr<backends::testing::TestDatabase>>
      databases_;
};

TEST_F(CliTest, HelpAndUsageErrors) {
  EXPECT_EQ(Run({"--help"}), 0);
  EXPECT_NE(out_.str().find("import"), std::string::npos);
  EXPECT_NE(out_.str().find("Exit codes"), std::string::npos);
  EXPECT_EQ(Run({}), 1);
  EXPECT_EQ(Run({"frobnicate"}), 1);
  EXPECT_NE(err_.str().find("unknown command 'frobnicate'"), std::string::npos);
  EXPECT_EQ(Run({"import", "--help"}), 0);
  EXPECT_NE(out_.str().find("--keep-valid"), std::string::npos);
  EXPECT_EQ(Run({"import", "--db", db_}), 1);  // Missing required options.
  EXPECT_NE(err_.str().find("households"), std::string::npos);
  EXPECT_EQ(Run({"stats", "--db", db_, "--bogus"}), 1);
}

TEST_F(CliTest, MissingRegisterIsNotFoundWithHint) {
  EXPECT_EQ(Run({"stats", "--db", MissingDb()}), 3);
  EXPECT_NE(err_.str().find("malchin init --db"), std::string::npos);
}

TEST_F(CliTest, InitImportStatsExportShowDeactivate) {
  ASSERT_EQ(Run({"init", "--db", db_}), 0) << err_.str();
  ASSERT_EQ(Run({"import", "--db", db_, "--households", P("households.csv"),
                 "--persons", P("persons.csv")}),
            0)
      << err_.str();
  EXPECT_NE(out_.str().find("3 new"), std::string::npos) << out_.str();
  ASSERT_EQ(Run({"stats", "--db", db_, "--by", "soum", "--as-of", "2020-01-01",
                 "--json"}),
            0)
      << err_.str();
  auto j = nlohmann::json::parse(out_.str());
  EXPECT_EQ(j["total"]["persons"], 3);
  EXPECT_EQ(j["total"]["children_0_17"], 1);
  EXPECT_EQ(j["total"]["herder_households"], 1);
  EXPECT_EQ(j["areas"].size(), 2u);
  EXPECT_EQ(j["areas"][1]["name_mn"], "Тосонцэнгэл");
  ASSERT_EQ(Run({"stats", "--db", db_, "--lang", "mn"}), 0);
  EXPECT_NE(out_.str().find("Завхан"), std::string::npos);

  ASSERT_EQ(
      Run({"export", "--db", db_, "--out", P("out"), "--aimag", "Zavkhan"}), 0)
      << err_.str();
  EXPECT_NE(out_.str().find("2 households"), std::string::npos);
  EXPECT_EQ(Run({"export", "--db", db_, "--out", P("o2"), "--soum", "181"}), 2);
  // The export is one audit entry: the files, the persons, the area.
  ASSERT_EQ(Run({"audit", "show", "--db", db_, "--json"}), 0) << err_.str();
  bool exported = false;
  for (const auto& e : nlohmann::json::parse(out_.str())) {
    if (e["action"] != "register.export") continue;
    exported = true;
    auto after = nlohmann::json::parse(e["after"].get<std::string>());
    EXPECT_EQ(after["persons"], 3) << e.dump();
    EXPECT_EQ(after["area"], "aimag 181") << e.dump();
  }
  EXPECT_TRUE(exported);

  ASSERT_EQ(Run({"show", "--db", db_, "--person", "из85120320"}), 0);
  auto h = nlohmann::json::parse(out_.str());
  EXPECT_EQ(h["household_id"], "H1");
  EXPECT_EQ(h["members"].size(), 2u);
  EXPECT_EQ(h["members"][0]["relation"], "head");
  EXPECT_EQ(Run({"show", "--db", db_, "--household", "H9"}), 3);

  ASSERT_EQ(Run({"deactivate", "--db", db_, "--person", "ИЗ15220111",
                 "--reason", "moved abroad", "--date", "2021-01-01"}),
            0);
  EXPECT_EQ(Run({"deactivate", "--db", db_, "--person", "ИЗ15220111",
                 "--reason", "again"}),
            5);
  ASSERT_EQ(Run({"show", "--db", db_, "--household", "H1"}), 0);
  EXPECT_EQ(nlohmann::json::parse(out_.str())["members"][1]["active"], false);
}

TEST_F(CliTest, BadImportExitsTwoAndWritesNothing) {
  ASSERT_EQ(Run({"init", "--db", db_}), 0);
  Write("bad.csv",
        "register_no,household_id,father_name,given_name,sex,birth_date,"
        "relation\nИЗ85120320,H1,Батбаяр,Оюунчимэг,M,1985-12-03,head\n");
  EXPECT_EQ(Run({"import", "--db", db_, "--households", P("households.csv"),
                 "--persons", P("bad.csv")}),
            2);
  EXPECT_NE(err_.str().find("bad.csv line 2, register_no"), std::string::npos)
      << err_.str();
  EXPECT_NE(err_.str().find("nothing was written"), std::string::npos);
  ASSERT_EQ(Run({"stats", "--db", db_, "--json", "--by", "nation"}), 0);
  EXPECT_EQ(nlohmann::json::parse(out_.str())["total"]["persons"], 0);
  EXPECT_EQ(Run({"import", "--db", db_, "--households", P("nope.csv"),
                 "--persons", P("bad.csv")}),
            3);
}

// Accounts through the CLI: created once (the name is unique), listed,
// audited without the password.
TEST_F(CliTest, UsersAreAddedListedAndAudited) {
  ASSERT_EQ(Run({"init", "--db", db_}), 0) << err_.str();
  const std::string password = "Tal nuuriin salkhi 1987\n";
  ASSERT_EQ(Run({"user", "add", "--db", db_, "--username", "bold", "--role",
                 "soum_officer", "--area", "18140"},
                password),
            0)
      << err_.str();
  EXPECT_EQ(Run({"user", "add", "--db", db_, "--username", "bold", "--role",
                 "analyst"},
                password),
            4);
  EXPECT_NE(err_.str().find("already exists"), std::string::npos) << err_.str();
  ASSERT_EQ(Run({"user", "list", "--db", db_}), 0) << err_.str();
  EXPECT_NE(out_.str().find("bold"), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find("soum_officer"), std::string::npos);
  EXPECT_NE(out_.str().find("18140"), std::string::npos);
  ASSERT_EQ(Run({"audit", "show", "--db", db_, "--json"}), 0) << err_.str();
  auto trail = nlohmann::json::parse(out_.str());
  ASSERT_EQ(trail.size(), 1u) << trail.dump();
  EXPECT_EQ(trail[0]["action"], "user.create");
  EXPECT_EQ(out_.str().find("argon2"), std::string::npos);
  EXPECT_EQ(Run({"audit", "verify", "--db", db_}), 0) << err_.str();
}

// The demo register through the CLI: generate, stats, export round-trip,
// byte-identical output for the same seed, and no generation into a
// register that already holds data.
TEST_F(CliTest, GenerateIsDeterministicAndOnlyIntoAnEmptyRegister) {
  std::string a = Db("a.db"), b = Db("b.db");
  ASSERT_EQ(Run({"generate", "--db", a, "--aimag", "Zavkhan", "--scale", "0.2",
                 "--seed", "7", "--json"}),
            0)
      << err_.str();
  auto summary = nlohmann::json::parse(out_.str());
  EXPECT_EQ(summary["persons"], 14645);  // Sum over soums of round(pop x 0.2).
  ASSERT_EQ(Run({"generate", "--db", b, "--aimag", "181", "--scale", "0.2",
                 "--seed", "7"}),
            0);
  ASSERT_EQ(Run({"stats", "--db", a, "--json", "--by", "nation"}), 0);
  auto stats = nlohmann::json::parse(out_.str());
  EXPECT_EQ(stats["as_of"], "2020-01-01");
  EXPECT_EQ(stats["total"]["persons"], summary["persons"]);

  ASSERT_EQ(Run({"export", "--db", a, "--out", P("ea")}), 0);
  ASSERT_EQ(Run({"export", "--db", b, "--out", P("eb")}), 0);
  auto slurp = [](const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  for (const char* f : {"households.csv", "persons.csv"}) {
    EXPECT_EQ(slurp(dir_ / "ea" / f), slurp(dir_ / "eb" / f)) << f;
  }
  // The export imports back into a new register unchanged.
  std::string c = Db("c.db");
  ASSERT_EQ(Run({"init", "--db", c}), 0);
  ASSERT_EQ(Run({"import", "--db", c, "--households", P("ea/households.csv"),
                 "--persons", P("ea/persons.csv")}),
            0)
      << err_.str();
  ASSERT_EQ(Run({"export", "--db", c, "--out", P("ec")}), 0);
  EXPECT_EQ(slurp(dir_ / "ea" / "persons.csv"),
            slurp(dir_ / "ec" / "persons.csv"));

  EXPECT_EQ(Run({"generate", "--db", a, "--aimag", "181"}), 5);
  EXPECT_NE(err_.str().find("already holds a register"), std::string::npos)
      << err_.str();
  EXPECT_EQ(Run({"generate", "--db", Db("d.db"), "--scale", "0"}), 2);
  EXPECT_EQ(Run({"generate", "--db", Db("e.db"), "--aimag", "18140"}), 2);
}

}  // namespace
}  // namespace malchin::cli

namespace malchin::cli {
namespace {

// Issue #13's first test of done: the same register generated on either
// engine exports byte-identical CSV, and a SQLite register copied to
// PostgreSQL exports as the original does (whatever MALCHIN_TEST_ENGINE).
TEST_F(CliTest, TheSameRegisterOnBothEnginesExportsByteIdentical) {
  MALCHIN_SKIP_WITHOUT_ENGINE(store::Engine::kPostgres);
  auto pg = backends::testing::TestDatabase::Make(store::Engine::kPostgres);
  auto pg_copy =
      backends::testing::TestDatabase::Make(store::Engine::kPostgres);
  ASSERT_TRUE(pg.ok() && pg_copy.ok());
  const std::string lite = P("lite.db");
  for (const std::string& db : {lite, (*pg)->url()}) {
    ASSERT_EQ(Run({"generate", "--db", db, "--aimag", "Zavkhan", "--scale",
                   "0.1", "--seed", "11"}),
              0)
        << db << ": " << err_.str();
  }
  ASSERT_EQ(Run({"copy", "--from", lite, "--to", (*pg_copy)->url()}), 0)
      << err_.str();
  ASSERT_EQ(Run({"export", "--db", lite, "--out", P("e_lite")}), 0);
  ASSERT_EQ(Run({"export", "--db", (*pg)->url(), "--out", P("e_pg")}), 0)
      << err_.str();
  ASSERT_EQ(Run({"export", "--db", (*pg_copy)->url(), "--out", P("e_copy")}), 0)
      << err_.str();
  auto slurp = [](const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  for (const char* f : {"households.csv", "persons.csv"}) {
    const std::string original = slurp(dir_ / "e_lite" / f);
    EXPECT_GT(original.size(), 1000u) << f;
    EXPECT_TRUE(original == slurp(dir_ / "e_pg" / f)) << f << ": generated";
    EXPECT_TRUE(original == slurp(dir_ / "e_copy" / f)) << f << ": copied";
  }
}

}  // namespace
}  // namespace malchin::cli
