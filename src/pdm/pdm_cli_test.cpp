// The `malchin pdm` commands (src/cli/pdm_commands.cpp) in-process on a
// small generated Zavkhan register, on the engine MALCHIN_TEST_ENGINE
// names: phase 1 of the pilot paid through the response commands (one
// payment in ten failed), then sample, maker-checker approval, the form,
// an export ingested twice, a bad file and the report with its follow-up
// list, as text, JSON and CSV.
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
#include "pdm/pilot_payroll_test_util.h"
#include "pdm/xlsform.h"
#include "pdm/xlsx.h"

namespace malchin::pdm {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

using cli::testing::CliRun;

CliRun Cli(const std::vector<std::string>& args) {
  return cli::testing::Run(args);
}

using testing::Fields;
using testing::Slurp;

void Spit(const fs::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

class PdmCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = cli::testing::FreshTestDir("malchin-pdm-cli");
    database_ = std::move(backends::testing::TestDatabase::Make(
                              backends::testing::ApiTestEngine())
                              .value());
    db_ = database_->url();
    CliRun g =
        Cli({"generate", "--db", db_, "--aimag", "Zavkhan", "--scale", "0.05"});
    ASSERT_EQ(g.code, 0) << g.err;
    auto s = database_->Connect();
    ASSERT_TRUE(s.ok());
    for (const char* name : {"maker", "checker", "ark"}) {
      auth::UserRecord u;
      u.username = name;
      u.password_hash = "x";
      u.role =
          name == std::string("ark") ? "aimag_officer" : "national_officer";
      u.area_code = name == std::string("ark") ? 265 : 0;
      u.created_at = u.updated_at = "2025-01-01T00:00:00Z";
      ASSERT_TRUE((*s)->Get<auth::AccountRepository>().CreateUser(u).ok());
    }
    ASSERT_NO_FATAL_FAILURE(testing::PayPilotPhaseOne(db_, dir_));
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
  std::unique_ptr<backends::testing::TestDatabase> database_;
  std::string db_;
};

TEST_F(PdmCliTest, SampleFormIngestReport) {
  CliRun r = Cli({"pdm", "sample", "--db", db_, "--user", "maker", "--plan",
                  "p1", "--installment", "1", "--seed", "5"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("sample 1  plan p1 installment 1  drawn", 0), 0u)
      << r.out;
  r = Cli({"pdm", "sample", "--db", db_, "--user", "checker", "--plan", "p1",
           "--installment", "1", "--seed", "5"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("already drawn"), std::string::npos);
  r = Cli({"pdm", "sample", "--db", db_, "--user", "maker", "--plan", "p1",
           "--installment", "1", "--confidence", "100"});
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("итгэх түвшин"), std::string::npos) << r.err;

  fs::path xlsx = dir_ / "form" / "pdm.xlsx";
  r = Cli({"pdm", "ingest", "--db", db_, "--sample", "1", "--file",
           (dir_ / "none.csv").string()});
  EXPECT_NE(r.code, 0);
  r = Cli({"pdm", "approve", "--db", db_, "--user", "maker", "--sample", "1"});
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("another officer"), std::string::npos) << r.err;
  testing::RunOk(db_, {"pdm", "approve", "--user", "checker", "--sample", "1"});
  testing::RunOk(db_, {"pdm", "form", "--sample", "1", "--out", xlsx.string()});
  ASSERT_TRUE(fs::exists(xlsx));
  auto problems = ValidateXlsForm(xlsx.string());
  ASSERT_TRUE(problems.ok());
  EXPECT_TRUE(problems->empty());

  // Every selected respondent answers; the first says nothing arrived.
  std::stringstream list(Slurp(dir_ / "form" / "respondents.csv"));
  std::string line, csv =
                        "respondent,consent,received,amount_received,_id,_"
                        "uuid,_submission_time\n";
  std::getline(list, line);
  int n = 0;
  while (std::getline(list, line)) {
    auto f = Fields(line);
    if (f[8] != "0") continue;
    ++n;
    csv += f[0] + (n == 1 ? ",yes,no," : ",yes,yes,40000") + "," +
           std::to_string(n) + ",u" + std::to_string(n) +
           ",2020-01-15T04:00:00\n";
  }
  csv += "ИЗ00000000,yes,yes,40000,999,u999,2020-01-15T04:00:00\n";
  Spit(dir_ / "kobo.csv", csv);
  r = Cli({"pdm", "ingest", "--db", db_, "--user", "maker", "--sample", "1",
           "--file", (dir_ / "kobo.csv").string()});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("accepted " + std::to_string(n) + ", rejected 1"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.err.find("ИЗ00000000"), std::string::npos) << r.err;
  r = Cli({"pdm", "ingest", "--db", db_, "--user", "maker", "--sample", "1",
           "--file", (dir_ / "kobo.csv").string()});
  EXPECT_NE(
      r.out.find("accepted 0, rejected 0, unchanged " + std::to_string(n + 1)),
      std::string::npos)
      << r.out;

  r = Cli({"pdm", "report", "--db", db_, "--sample", "1", "--json", "--csv",
           (dir_ / "report").string()});
  ASSERT_EQ(r.code, 0) << r.err;
  json j = json::parse(r.out);
  EXPECT_EQ(j["response"]["responded"], n);
  ASSERT_EQ(j["follow_up"].size(), 1u);
  EXPECT_EQ(j["follow_up"][0]["reason"], "paid_but_nothing_received");
  EXPECT_TRUE(fs::exists(dir_ / "report" / "estimates.csv"));
  r = Cli({"pdm", "report", "--db", db_, "--sample", "1"});
  EXPECT_NE(r.out.find("all\treceived=yes\t"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("95% CI"), std::string::npos) << r.out;
  r = Cli({"pdm", "report", "--db", db_, "--sample", "1", "--lang", "mn",
           "--confidence", "90"});
  EXPECT_NE(r.out.find("90% CI"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("юу ч аваагүй"), std::string::npos) << r.out;
  fs::path report = dir_ / "report.xlsx";
  r = Cli({"pdm", "report", "--db", db_, "--sample", "1", "--format", "xlsx",
           "--out", report.string(), "--lang", "en"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto wb = ReadXlsx(report.string());
  ASSERT_TRUE(wb.ok()) << wb.status().ToString();
  ASSERT_NE(wb->Find("Follow-up"), nullptr);
  EXPECT_EQ(wb->Find("Follow-up")->Cell(1, 0),
            "bank paid, says received nothing");
  EXPECT_EQ(wb->Find("Response")->Cell(1, 3), std::to_string(n));
  EXPECT_NE(
      Cli({"pdm", "report", "--db", db_, "--sample", "1", "--format", "xlsx"})
          .code,
      0);  // no --out

  // The case raised as a grievance once; an officer of another aimag has
  // no such case.
  const std::string uuid = j["follow_up"][0]["uuid"];
  r = Cli({"pdm", "grievance", "--db", db_, "--user", "ark", "--sample", "1",
           "--submission", uuid});
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("not a case to follow up"), std::string::npos) << r.err;
  r = Cli({"pdm", "grievance", "--db", db_, "--user", "maker", "--sample", "1",
           "--submission", uuid});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("grievance G-", 0), 0u) << r.out;
  CliRun again = Cli({"pdm", "grievance", "--db", db_, "--user", "checker",
                      "--sample", "1", "--submission", uuid});
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_EQ(again.out, r.out);
  EXPECT_NE(again.err.find("already raised by maker"), std::string::npos);
}

TEST_F(PdmCliTest, SampleSizedAtAnotherConfidenceLevel) {
  CliRun r95 = Cli({"pdm", "sample", "--db", db_, "--user", "maker", "--plan",
                    "p1", "--installment", "1", "--seed", "5"});
  ASSERT_EQ(r95.code, 0) << r95.err;
  CliRun r99 =
      Cli({"pdm", "sample", "--db", db_, "--user", "maker", "--plan", "p1",
           "--installment", "1", "--seed", "5", "--confidence", "99"});
  ASSERT_EQ(r99.code, 0) << r99.err;
  EXPECT_EQ(r99.out.rfind("sample 2 ", 0), 0u) << r99.out;  // a new design
  auto total = [](const std::string& out) {
    auto at = out.find("total selected: ");
    return std::stoi(out.substr(at + 16));
  };
  EXPECT_GT(total(r99.out), total(r95.out));
}

}  // namespace
}  // namespace malchin::pdm
