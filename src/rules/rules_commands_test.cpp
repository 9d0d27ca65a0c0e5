// The `malchin rule ...` commands (src/cli/rules_commands.cpp), run
// in-process on a small register: exit codes, caret diagnostics, preview
// counts, explanations.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "backends/testing/engine_choice.h"
#include "backends/testing/test_database.h"
#include "cli/cli.h"
#include "cli/testing.h"
#include "registry/repository.h"

namespace malchin::rules {
namespace {

namespace fs = std::filesystem;

using cli::testing::CliRun;

CliRun Cli(const std::vector<std::string>& args) {
  return cli::testing::Run(args);
}

class RuleCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("malchin-rule-cli-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    database_ = std::move(backends::testing::TestDatabase::Make(
                              backends::testing::ApiTestEngine())
                              .value());
    db_ = database_->url();
    auto store = database_->Connect();
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    // Tosontsengel (18140): a herder household headed by a woman with two
    // small children; Uliastai (18101): a household with one child.
    registry::Household a, b;
    a.id = "18140-000001";
    a.soum_code = a.current_soum_code = 18140;
    a.herder = true;
    a.herd[registry::Species::kSheep] = 150;
    b.id = "18101-000001";
    b.soum_code = b.current_soum_code = 18101;
    auto person = [](std::string rn, std::string hh, const char* born,
                     registry::Sex sex, registry::Relation rel) {
      registry::Person p;
      p.register_no = std::move(rn);
      p.household_id = std::move(hh);
      p.father_name = "Батын";
      p.given_name = "Сараа";
      p.sex = sex;
      p.birth_date = *Date::Parse(born);
      p.relation = rel;
      return p;
    };
    using registry::Relation;
    using registry::Sex;
    std::vector<registry::Person> persons = {
        person("УБ85031224", a.id, "1985-03-12", Sex::kFemale, Relation::kHead),
        person("УБ16230520", a.id, "2016-03-05", Sex::kFemale,
               Relation::kChild),
        person("УБ18271015", a.id, "2018-07-10", Sex::kMale, Relation::kChild),
        person("УБ80010513", b.id, "1980-01-05", Sex::kMale, Relation::kHead),
        person("УБ17240320", b.id, "2017-04-03", Sex::kFemale,
               Relation::kChild)};
    auto w = (*store)->Get<registry::Repository>().Upsert({a, b}, persons,
                                                          {"test", "test"});
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    severity_ = (dir_ / "event.csv").string();
    std::ofstream(severity_) << "soum,aimag,severity\n"
                                "Tosontsengel,Zavkhan,high\n"
                                "18101,,medium\n";
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
  std::unique_ptr<backends::testing::TestDatabase> database_;
  std::string db_, severity_;
};

TEST_F(RuleCommandsTest, CheckAcceptsARuleAndShowsHowItWasRead) {
  CliRun r =
      Cli({"rule", "check", "--rule", "age <= 5 and event.severity >= high",
           "--amount", "if age < 3 then 30000 else 20000"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("((age <= 5) and (event.severity >= high))"),
            std::string::npos)
      << r.out;
}

TEST_F(RuleCommandsTest, CheckPointsAtTheErrorWithACaretAndExits2) {
  CliRun r = Cli({"rule", "check", "--rule", "age <= 5 and "});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("eligibility:1:14: expected an expression after 'and'"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("\n  age <= 5 and \n               ^\n"),
            std::string::npos)
      << r.err;
  CliRun t = Cli({"rule", "check", "--rule", "age < 6", "--amount", "sex * 2"});
  EXPECT_EQ(t.code, 2);
  EXPECT_NE(t.err.find("amount:1:1:"), std::string::npos) << t.err;
  EXPECT_EQ(Cli({"rule", "check"}).code, 2);  // Neither --rule nor --file.
}

TEST_F(RuleCommandsTest, CheckReadsARuleFile) {
  std::string file = (dir_ / "rule.txt").string();
  std::ofstream(file) << "# Phase 1\nage <= 5 and\n  evnt.severity >= high\n";
  CliRun r = Cli({"rule", "check", "--file", file});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find(file + ":3:3: unknown field 'evnt.severity'"),
            std::string::npos)
      << r.err;
}

TEST_F(RuleCommandsTest, PreviewCountsAndCostsByArea) {
  CliRun r = Cli({"rule", "preview", "--db", db_, "--as-of", "2019-12-15",
                  "--severity", severity_, "--rule",
                  "age <= 5 and event.severity >= high", "--amount", "40000",
                  "--by", "soum", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["national"]["beneficiaries"], 2);
  EXPECT_EQ(j["national"]["amount"], 80000);
  ASSERT_EQ(j["areas"].size(), 1u);
  EXPECT_EQ(j["areas"][0]["code"], 18140);
  EXPECT_EQ(j["areas"][0]["name_en"], "Tosontsengel");
  EXPECT_EQ(j["cells"].size(), 2u);  // A girl 3 and a boy 1, both 0-4.

  CliRun human = Cli({"rule", "preview", "--db", db_, "--as-of", "2019-12-15",
                      "--severity", severity_, "--rule",
                      "household.female_head and household.sheep_units < 200",
                      "--unit", "household", "--amount", "50000"});
  ASSERT_EQ(human.code, 0) << human.err;
  EXPECT_NE(human.out.find("Zavkhan"), std::string::npos) << human.out;
  EXPECT_NE(human.out.find("50,000"), std::string::npos) << human.out;
}

TEST_F(RuleCommandsTest, PreviewRejectsABadSeverityFile) {
  std::string bad = (dir_ / "bad.csv").string();
  std::ofstream(bad) << "soum,severity\n18140,extreme\n";
  CliRun r = Cli(
      {"rule", "preview", "--db", db_, "--severity", bad, "--rule", "age < 6"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find(bad + ":2: severity: 'extreme' is not a severity"),
            std::string::npos)
      << r.err;
}

TEST_F(RuleCommandsTest, ExplainTellsWhyInEnglishAndMongolian) {
  std::vector<std::string> args = {
      "rule",       "explain",
      "--db",       db_,
      "--as-of",    "2019-12-15",
      "--severity", severity_,
      "--rule",     "age <= 5 and event.severity >= high",
      "--amount",   "if age < 3 then 30000 else 20000",
      "--cap",      "40000",
      "--person",   "УБ16230520"};
  CliRun r = Cli(args);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("age on 2019-12-15 = 3"), std::string::npos) << r.out;
  // Two children claim 20000 + 30000 > 40000; the youngest is paid first.
  EXPECT_NE(r.out.find("Result: beneficiary, 10000 MNT"), std::string::npos)
      << r.out;
  args.push_back("--lang");
  args.push_back("mn");
  CliRun mn = Cli(args);
  ASSERT_EQ(mn.code, 0) << mn.err;
  EXPECT_NE(mn.out.find("Дүгнэлт: хамрагдана, 10000 ₮"), std::string::npos)
      << mn.out;

  CliRun other =
      Cli({"rule", "explain", "--db", db_, "--as-of", "2019-12-15",
           "--severity", severity_, "--rule",
           "age <= 5 and event.severity >= high", "--person", "УБ17240320"});
  ASSERT_EQ(other.code, 0) << other.err;
  EXPECT_NE(other.out.find("[no] event.severity >= high"), std::string::npos)
      << other.out;
  EXPECT_NE(other.out.find("Result: not a beneficiary"), std::string::npos);

  EXPECT_EQ(Cli({"rule", "explain", "--db", db_, "--rule", "age < 6",
                 "--person", "УБ99999999"})
                .code,
            3);
}

}  // namespace
}  // namespace malchin::rules
