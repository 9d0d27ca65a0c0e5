// The `malchin indicator ...` commands in-process on a small generated
// register, on the engine MALCHIN_TEST_ENGINE names: the insurance
// indicator equals `malchin insurance coverage` for the same month; freeze,
// edit the register, compute shows the frozen value and the difference;
// load adds an indicator; export writes each format.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "auth/accounts.h"
#include "cli/cli.h"
#include "cli/testing.h"
#include "indicators/export.h"
#include "indicators/register_test_fixture.h"
#include "insurance/repository.h"
#include "pdm/pilot_payroll_test_util.h"
#include "pdm/xlsx.h"
#include "registry/repository.h"

namespace malchin::indicators {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

using cli::testing::CliRun;

CliRun Cli(const std::vector<std::string>& args) {
  return cli::testing::Run(args);
}

class IndicatorCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Payments need a few more households (female heads among the paid).
    bool pays =
        std::string(
            ::testing::UnitTest::GetInstance()->current_test_info()->name())
            .find("TopUps") != std::string::npos;
    reg_ = testing::GeneratedRegister::Make(backends::testing::ApiTestEngine(),
                                            pays ? 0.05 : 0.01);
    ASSERT_NE(reg_, nullptr);
    db_ = reg_->database().url();
    dir_ = fs::temp_directory_path() /
           ("malchin-ind-cli-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  json Compute(const std::string& code, const std::string& period) {
    CliRun r = Cli({"indicator", "compute", "--db", db_, "--code", code,
                    "--period", period, "--json"});
    EXPECT_EQ(r.code, 0) << r.err;
    return json::parse(r.out, nullptr, false);
  }
  // Draws, approves and interviews a PDM sample of the pilot's payroll:
  // every selected respondent answers, one in three reporting less than
  // the MNT 40,000 paid.
  void InterviewThePilot() {
    using pdm::testing::RunOk;
    ASSERT_NO_FATAL_FAILURE(
        RunOk(db_, {"pdm", "sample", "--user", "maker", "--plan", "p1",
                    "--installment", "1", "--seed", "5"}));
    ASSERT_NO_FATAL_FAILURE(
        RunOk(db_, {"pdm", "approve", "--user", "checker", "--sample", "1"}));
    fs::path xlsx = dir_ / "form" / "pdm.xlsx";
    ASSERT_NO_FATAL_FAILURE(
        RunOk(db_, {"pdm", "form", "--sample", "1", "--out", xlsx.string()}));
    std::stringstream list(
        pdm::testing::Slurp(dir_ / "form" / "respondents.csv"));
    std::string line,
        csv =
            "respondent,consent,received,amount_received,_id,_uuid,"
            "_submission_time\n";
    std::getline(list, line);
    for (int n = 1; std::getline(list, line);) {
      auto f = pdm::testing::Fields(line);
      if (f[8] != "0") continue;
      csv += f[0] + (n % 3 == 0 ? ",yes,yes,30000," : ",yes,yes,40000,") +
             std::to_string(n) + ",u" + std::to_string(n) +
             ",2020-01-15T04:00:00\n";
      ++n;
    }
    std::ofstream(dir_ / "kobo.csv") << csv;
    ASSERT_NO_FATAL_FAILURE(
        RunOk(db_, {"pdm", "ingest", "--user", "maker", "--sample", "1",
                    "--file", (dir_ / "kobo.csv").string()}));
  }
  std::unique_ptr<testing::GeneratedRegister> reg_;
  std::string db_;
  fs::path dir_;
};

TEST_F(IndicatorCliTest, InsuranceIndicatorEqualsInsuranceCoverage) {
  CliRun cov = Cli({"insurance", "coverage", "--db", db_, "--by", "nation",
                    "--split", "sex", "--month", "2020-06", "--json"});
  ASSERT_EQ(cov.code, 0) << cov.err;
  json c = json::parse(cov.out);
  json si = Compute("SI_COVERAGE_HERDERS", "2020Q2");
  json hi = Compute("HI_COVERAGE_HERDERS", "2020-06");
  int64_t persons = 0, social = 0, health = 0;
  for (const json& cell : c["cells"]) {
    persons += cell["persons"].get<int64_t>();
    social += cell["social_insured"].get<int64_t>();
    health += cell["health_insured"].get<int64_t>();
    for (const json* ind : {&si, &hi}) {
      bool found = false;
      for (const json& x : (*ind)["live"]) {
        if (x["by"] != json{{"sex", cell["sex"]}}) continue;
        found = true;
        EXPECT_EQ(x["denominator"], cell["persons"]);
        EXPECT_EQ(x["numerator"],
                  ind == &si ? cell["social_insured"] : cell["health_insured"]);
      }
      EXPECT_TRUE(found) << cell.dump();
    }
  }
  ASSERT_GT(persons, 0);
  EXPECT_EQ(si["live"][0]["denominator"], persons);
  EXPECT_EQ(si["live"][0]["numerator"], social);
  EXPECT_EQ(hi["live"][0]["numerator"], health);
  EXPECT_EQ(si["reference_date"], "2020-06-30");
  EXPECT_TRUE(si["frozen"].is_null());
}

TEST_F(IndicatorCliTest, FreezeThenEditShowsTheDifference) {
  CliRun f = Cli({"indicator", "freeze", "--db", db_, "--code",
                  "HI_COVERAGE_HERDERS", "--period", "2020"});
  ASSERT_EQ(f.code, 0) << f.err;
  EXPECT_NE(f.out.find("frozen HI_COVERAGE_HERDERS 2020 area 0"),
            std::string::npos);
  CliRun again = Cli({"indicator", "freeze", "--db", db_, "--code",
                      "HI_COVERAGE_HERDERS", "--period", "2020"});
  EXPECT_NE(again.code, 0);
  EXPECT_NE(again.err.find("already frozen"), std::string::npos) << again.err;
  json before = Compute("HI_COVERAGE_HERDERS", "2020");
  EXPECT_TRUE(before["differences"].empty());
  // Deactivate an insured working-age herder.
  auto session = reg_->Connect();
  auto snap = session->Get<insurance::Repository>().LoadSnapshot({}, {});
  ASSERT_TRUE(snap.ok());
  std::string who;
  for (size_t p = 0; p < snap->persons() && who.empty(); ++p) {
    int age =
        Date::FromDays(snap->birth_days[p]).AgeOn(Date::FromYmd(2020, 12, 1));
    if (age >= 25 && age < 50 &&
        snap->Covered(p, insurance::InsuranceScheme::kHealth, 2020 * 12 + 11)) {
      who = snap->register_no[p];
    }
  }
  ASSERT_FALSE(who.empty());
  ASSERT_TRUE(session->Get<registry::Repository>()
                  .DeactivatePerson(who, {Date::FromYmd(2021, 1, 1), "moved"})
                  .ok());
  json after = Compute("HI_COVERAGE_HERDERS", "2020");
  ASSERT_FALSE(after["frozen"].is_null());
  EXPECT_EQ(after["frozen"]["cells"], before["live"]);
  EXPECT_EQ(after["live"][0]["numerator"].get<int64_t>(),
            before["live"][0]["numerator"].get<int64_t>() - 1);
  ASSERT_FALSE(after["differences"].empty());
  EXPECT_EQ(after["differences"][0]["frozen"], before["live"][0]["value"]);
  // The export reports the frozen figure.
  CliRun csv = Cli({"indicator", "export", "--db", db_, "--format", "csv",
                    "--period", "2020", "--code", "HI_COVERAGE_HERDERS"});
  ASSERT_EQ(csv.code, 0) << csv.err;
  EXPECT_NE(
      csv.out.find(
          "HI_COVERAGE_HERDERS,2020,0,2020-12-31,percent,," +
          std::to_string(before["live"][0]["numerator"].get<int64_t>()) + ","),
      std::string::npos)
      << csv.out;
}

TEST_F(IndicatorCliTest, TopUpsAndHouseholdsReachedCountWhatTheBankPaid) {
  auto s = reg_->Connect();
  for (const char* name : {"maker", "checker"}) {
    auth::UserRecord u;
    u.username = name;
    u.password_hash = "x";
    u.role = "national_officer";
    u.created_at = u.updated_at = "2025-01-01T00:00:00Z";
    ASSERT_TRUE(s->Get<auth::AccountRepository>().CreateUser(u).ok());
  }
  // The bank's results are imported today (the CLI's clock).
  const Date today = Date::TodayUtc();
  ASSERT_NO_FATAL_FAILURE(pdm::testing::PayPilotPhaseOne(db_, dir_));
  json days = Compute("DAYS_TO_FIRST_PAYMENT", std::to_string(today.year()));
  if (Date::TodayUtc() == today) {  // Not across midnight.
    const int64_t expected =
        today.days() - Date::FromYmd(2019, 12, 1).days();  // Declared.
    EXPECT_EQ(days["live"][0]["numerator"], expected);
    EXPECT_EQ(days["live"][0]["denominator"], 1);
    EXPECT_EQ(days["live"][1]["by"], json({{"aimag", "181"}}));
    EXPECT_EQ(days["live"][1]["value"], expected);
  }
  EXPECT_EQ(Compute("DAYS_TO_FIRST_PAYMENT", "2019")["live"][0]["denominator"],
            0);
  // The independent count: the bank's answers to the payment files, and
  // the beneficiaries they name (payment file: reference, ..., 4th column
  // the beneficiary's register number).
  int64_t paid = 0, amount = 0;
  std::set<std::string> paid_persons;
  for (const auto& file : fs::directory_iterator(dir_ / "pay")) {
    std::set<std::string> refs;
    std::stringstream answer(pdm::testing::BankAnswer(file.path()));
    std::string line;
    std::getline(answer, line);
    while (std::getline(answer, line)) {
      auto f = pdm::testing::Fields(line);
      if (f[1] != "paid") continue;
      ++paid;
      amount += std::stoll(f[2]);
      refs.insert(f[0]);
    }
    std::stringstream rows(pdm::testing::Slurp(file.path()));
    while (std::getline(rows, line)) {
      auto f = pdm::testing::Fields(line);
      if (refs.count(f[0])) paid_persons.insert(f[3]);
    }
  }
  ASSERT_GT(paid, 0);
  ASSERT_EQ(static_cast<int64_t>(paid_persons.size()), paid);
  // Their herder households, by the register: female-headed, and with a
  // head younger than 35 at the end of 2019.
  auto& reg = s->Get<registry::Repository>();
  std::set<std::string> female, young;
  for (const std::string& rn : paid_persons) {
    auto person = reg.FindPerson(rn);
    ASSERT_TRUE(person.ok() && person->has_value()) << rn;
    auto hh = reg.FindHousehold((*person)->household_id);
    auto members = reg.Members((*person)->household_id);
    ASSERT_TRUE(hh.ok() && hh->has_value() && members.ok());
    const registry::Person& head = members->front();
    ASSERT_EQ(head.relation, registry::Relation::kHead);
    if (!(*hh)->herder) continue;
    if (head.sex == registry::Sex::kFemale) female.insert(head.household_id);
    if (head.birth_date.AgeOn(Date::FromYmd(2019, 12, 31)) < 35) {
      young.insert(head.household_id);
    }
  }
  ASSERT_FALSE(female.empty());
  ASSERT_FALSE(young.empty());
  EXPECT_EQ(Compute("FEMALE_HEADED_REACHED", "2019")["live"][0]["numerator"],
            female.size());
  ASSERT_NO_FATAL_FAILURE(InterviewThePilot());
  CliRun report =
      Cli({"pdm", "report", "--db", db_, "--sample", "1", "--json"});
  ASSERT_EQ(report.code, 0) << report.err;
  double share = -1;
  const json parsed = json::parse(report.out);
  for (const json& e : parsed["estimates"]) {
    if (e["domain"] == "all" && e["indicator"] == "amount_received>=paid") {
      share = e["value"].get<double>();
    }
  }
  ASSERT_GT(share, 0);
  ASSERT_LT(share, 1);
  json full = Compute("PDM_FULL_AMOUNT", "2019Q4");
  EXPECT_NEAR(full["live"][0]["value"].get<double>(), 100 * share, 0.01)
      << full.dump();
  EXPECT_EQ(Compute("PDM_FULL_AMOUNT", "2020Q1")["live"][0]["denominator"], 0);
  EXPECT_EQ(Compute("YOUNG_HERDER_REACHED", "2019Q4")["live"][0]["numerator"],
            young.size());
  json children = Compute("CHILDREN_TOP_UP_REACHED", "2019Q4");
  EXPECT_EQ(children["live"][0]["numerator"], paid);
  int64_t by_sex = 0;
  for (const json& c : children["live"]) {
    if (c["by"].size() == 1 && c["by"].contains("sex")) {
      by_sex += c["numerator"].get<int64_t>();
    }
  }
  EXPECT_EQ(by_sex, paid);
  json money = Compute("CHILDREN_TOP_UP_AMOUNT", "201912");
  EXPECT_EQ(money["live"][0]["numerator"], amount);
  EXPECT_EQ(money["live"][0]["value"], amount);
  EXPECT_EQ(Compute("CHILDREN_TOP_UP_AMOUNT", "201911")["live"][0]["value"], 0);
  CliRun other = Cli({"indicator", "compute", "--db", db_, "--code",
                      "CHILDREN_TOP_UP_REACHED", "--period", "2019", "--soum",
                      "18101", "--json"});
  ASSERT_EQ(other.code, 0) << other.err;
  EXPECT_EQ(json::parse(other.out)["live"][0]["numerator"], 0);
}

TEST_F(IndicatorCliTest, ListLoadAndExport) {
  CliRun list = Cli({"indicator", "list", "--db", db_});
  ASSERT_EQ(list.code, 0) << list.err;
  EXPECT_NE(list.out.find("SI_COVERAGE_HERDERS  [percent, "
                          "insurance_coverage_social]"),
            std::string::npos);
  EXPECT_NE(list.out.find("baseline 15 (2019-09-30)  target 20 (2022-12-31)"),
            std::string::npos)
      << list.out;
  fs::path file = dir_ / "mine.json";
  std::ofstream(file) << R"({"indicators": [{
    "code": "HI_COVERAGE_ALL_SOUMS",
    "name": {"mn": "ЭМД сумаар", "en": "Health insurance by soum"},
    "definition": {"mn": "ЭМД", "en": "Health insurance coverage by soum"},
    "unit": "percent",
    "computation": "insurance_coverage_health",
    "disaggregations": ["soum"]}]})";
  CliRun load =
      Cli({"indicator", "load", "--db", db_, "--file", file.string()});
  ASSERT_EQ(load.code, 0) << load.err;
  EXPECT_EQ(load.out, "loaded HI_COVERAGE_ALL_SOUMS\n");
  json mine = Compute("HI_COVERAGE_ALL_SOUMS", "2020Q4");
  EXPECT_GT(mine["live"].size(), 2u);
  std::ofstream(file) << "{\"indicators\": [{\"code\": \"X\"}]}";
  CliRun bad = Cli({"indicator", "load", "--db", db_, "--file", file.string()});
  EXPECT_NE(bad.code, 0);
  EXPECT_NE(bad.err.find("mine.json:1 (X): field 'name'"), std::string::npos)
      << bad.err;
  for (const char* format : {"dhis2-json", "adx", "csv"}) {
    CliRun e = Cli({"indicator", "export", "--db", db_, "--format", format,
                    "--period", "2020Q4", "--code", "SI_COVERAGE_HERDERS"});
    ASSERT_EQ(e.code, 0) << format << ": " << e.err;
    EXPECT_FALSE(e.out.empty());
  }
  CliRun all = Cli({"indicator", "export", "--db", db_, "--format",
                    "dhis2-json", "--period", "2020Q4"});
  ASSERT_EQ(all.code, 0) << all.err;
  EXPECT_NE(all.err.find("skipped: HI_COVERAGE_ALL_SOUMS has no data element"),
            std::string::npos)
      << all.err;
  json j = json::parse(all.out);
  EXPECT_FALSE(j["dataValues"].empty());
  for (const json& v : j["dataValues"]) {
    EXPECT_TRUE(IsDhis2Uid(v["dataElement"].get<std::string>()));
  }
  CliRun wrong = Cli({"indicator", "export", "--db", db_, "--format", "ods",
                      "--period", "2020Q4", "--code", "SI_COVERAGE_HERDERS"});
  EXPECT_NE(wrong.code, 0);
  EXPECT_NE(wrong.err.find("expected dhis2-json, adx, csv or xlsx"),
            std::string::npos);
}

TEST_F(IndicatorCliTest, XlsxFrameworkHoldsTheComputedValues) {
  CliRun f = Cli({"indicator", "freeze", "--db", db_, "--code",
                  "SI_COVERAGE_HERDERS", "--period", "2020Q1"});
  ASSERT_EQ(f.code, 0) << f.err;
  fs::path out = dir_ / "framework.xlsx";
  CliRun x = Cli({"indicator", "export", "--db", db_, "--format", "xlsx",
                  "--period", "2020Q1..2020Q2", "--out", out.string()});
  ASSERT_EQ(x.code, 0) << x.err;
  auto wb = pdm::ReadXlsx(out.string());
  ASSERT_TRUE(wb.ok()) << wb.status().message();
  ASSERT_NE(wb->Find("Хүрээ"), nullptr);
  ASSERT_NE(wb->Find("SI_COVERAGE_HERDERS"), nullptr);
  const pdm::Sheet* en = wb->Find("Framework");
  ASSERT_NE(en, nullptr);
  EXPECT_EQ(en->Cell(0, 10), "2020Q2: value");
  size_t row = 0;
  while (row < en->rows.size() && en->Cell(row, 0) != "SI_COVERAGE_HERDERS") {
    ++row;
  }
  ASSERT_LT(row, en->rows.size());
  json q1 = Compute("SI_COVERAGE_HERDERS", "2020Q1");
  json q2 = Compute("SI_COVERAGE_HERDERS", "2020Q2");
  EXPECT_EQ(en->Cell(row, 7), FormatValue(q1["live"][0]["value"]));
  EXPECT_EQ(en->Cell(row, 8), "frozen");
  EXPECT_EQ(en->Cell(row, 10), FormatValue(q2["live"][0]["value"]));
  EXPECT_EQ(en->Cell(row, 11), "live");
  const pdm::Sheet* si = wb->Find("SI_COVERAGE_HERDERS");
  EXPECT_EQ(si->Cell(2, 3),
            std::to_string(q1["live"][0]["numerator"].get<int64_t>()));
  EXPECT_EQ(si->Cell(2, 4),
            std::to_string(q1["live"][0]["denominator"].get<int64_t>()));
  CliRun no_out = Cli({"indicator", "export", "--db", db_, "--format", "xlsx",
                       "--period", "2020Q1"});
  EXPECT_NE(no_out.code, 0);
  EXPECT_NE(no_out.err.find("expected --out FILE"), std::string::npos);
}

}  // namespace
}  // namespace malchin::indicators
