// The poverty commands of the `malchin` binary, run in-process (RunCli) on
// the reference survey and on a small register: outputs, manifests, exit
// codes. The numbers are the R reference values (reference_values.csv).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "backends/testing/engine_choice.h"
#include "backends/testing/test_database.h"
#include "cli/cli.h"
#include "cli/testing.h"
#include "registry/model.h"
#include "registry/repository.h"

namespace malchin {
namespace {

using nlohmann::json;

const std::string kRef =
    std::string(MALCHIN_SHARED_DIR) + "/reference/poverty/";

using cli::testing::CliRun;

CliRun Cli(const std::vector<std::string>& args) {
  return cli::testing::Run(args);
}

// The value of row "scenario,domain,measure," in a long CSV report.
double CsvValue(const std::string& csv, const std::string& key) {
  const size_t at = csv.find("\n" + key + ",");
  if (at == std::string::npos) return std::nan("");
  const size_t begin = at + key.size() + 2;
  return std::stod(csv.substr(begin, csv.find('\n', begin) - begin));
}

std::filesystem::path TempDir() {
  auto dir = std::filesystem::temp_directory_path() /
             ("poverty_cli_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir;
}

std::string WriteFile(const std::string& name, const std::string& text) {
  const auto path = TempDir() / name;
  std::ofstream(path) << text;
  return path.string();
}

std::vector<std::string> SurveyArgs(std::vector<std::string> head) {
  head.insert(head.end(), {"--households", kRef + "households.csv", "--persons",
                           kRef + "persons.csv"});
  return head;
}

TEST(PovertyCli, MeasuresJsonMatchesReference) {
  auto args = SurveyArgs({"poverty", "measures"});
  args.insert(args.end(), {"--line", "200000", "--by", "standard", "--json"});
  CliRun r = Cli(args);
  ASSERT_EQ(r.code, 0) << r.err;
  json j = json::parse(r.out);
  ASSERT_EQ(j["manifest"]["inputs"].size(), 2u);
  EXPECT_EQ(j["manifest"]["inputs"][0]["sha256"].get<std::string>().size(),
            64u);
  const json& nat = j["estimates"]["domains"][0];
  EXPECT_EQ(nat["domain"], "national");
  EXPECT_NEAR(nat["values"]["fgt0"].get<double>(), 0.284538130317802, 1e-12);
  EXPECT_NEAR(nat["se_lin"]["fgt0"].get<double>(), 0.00416633283975722, 1e-12);
  EXPECT_EQ(j["estimates"]["domains"].size(), 12u);
}

TEST(PovertyCli, MeasuresCsvByColumnWithManifestRows) {
  auto args = SurveyArgs({"poverty", "measures"});
  args.insert(args.end(),
              {"--line", "200000", "--by", "herder", "--se", "none"});
  CliRun r = Cli(args);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("scenario,domain,measure,value\n", 0), 0u);
  EXPECT_NE(r.out.find("\nmanifest,inputs,sha256:"), std::string::npos);
  EXPECT_NEAR(CsvValue(r.out, "survey,herder_1,fgt0"), 0.441171728632273,
              1e-12);
  EXPECT_TRUE(std::isnan(CsvValue(r.out, "survey,national,se_lin_fgt0")));
}

const char* kScenario = R"json({
  "parameter_version": "test-1", "date": "2024-01-01",
  "baseline": {"name": "baseline",
               "rules": [{"programme": "cmp", "max_age": 17, "amount": 20000}]},
  "reforms": [{"name": "cmp100",
               "rules": [{"programme": "cmp", "max_age": 17,
                          "amount": [{"from": "2020-04-01", "mnt": 100000}]}]}]
})json";

TEST(PovertyCli, SimulateSurveyReproducesTheReferenceReform) {
  auto args = SurveyArgs({"poverty", "simulate"});
  args.insert(args.end(), {"--scenario", WriteFile("s.json", kScenario),
                           "--line", "200000", "--se", "linearization"});
  CliRun r = Cli(args);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NEAR(CsvValue(r.out, "cmp100,national,cost_year_mnt"), 1114157270592,
              1e-3);
  EXPECT_NEAR(CsvValue(r.out, "cmp100,national,fgt0"), 0.183438145169996,
              1e-12);
  EXPECT_NEAR(
      CsvValue(r.out, "cmp100_minus_baseline,national,se_lin_delta_fgt0"),
      0.00260110437505075, 1e-10);
  // JSON: one document per reform, with the scenario file's checksum.
  args.push_back("--json");
  CliRun j = Cli(args);
  ASSERT_EQ(j.code, 0) << j.err;
  json doc = json::parse(j.out);
  ASSERT_EQ(doc.size(), 1u);
  EXPECT_EQ(doc[0]["manifest"]["inputs"].size(), 3u);
  EXPECT_EQ(doc[0]["manifest"]["reform"]["parameter_version"], "test-1");
}

TEST(PovertyCli, PmtScoreAndFitMatchReference) {
  auto args = SurveyArgs({"pmt", "score"});
  const std::string scores = (TempDir() / "scores.csv").string();
  args.insert(args.end(),
              {"--model", kRef + "pmt_coefficients.csv", "--coverage", "0.3",
               "--line", "200000", "--scores", scores, "--json"});
  CliRun r = Cli(args);
  ASSERT_EQ(r.code, 0) << r.err;
  json j = json::parse(r.out);
  EXPECT_NEAR(j["targeting"]["persons"]["inclusion_error_share_of_benef_"
                                        "nonpoor"]
                  .get<double>(),
              0.470578504936835, 1e-9);
  EXPECT_NEAR(j["targeting"]["persons"]["exclusion_error_share_of_poor_"
                                        "missed"]
                  .get<double>(),
              0.441711292798622, 1e-9);
  std::ifstream f(scores);
  int lines = 0;
  for (std::string line; std::getline(f, line);) ++lines;
  EXPECT_EQ(lines, 20001);

  auto fit = SurveyArgs({"pmt", "fit"});
  fit.insert(fit.end(), {"--terms-from", kRef + "pmt_coefficients.csv",
                         "--name", "full_sample_wls", "--version", "t1"});
  CliRun m = Cli(fit);
  ASSERT_EQ(m.code, 0) << m.err;
  EXPECT_EQ(m.out.rfind("term,estimate,model,version\n", 0), 0u);
  EXPECT_NE(m.err.find("R^2 0.27"), std::string::npos) << m.err;
}

// --json writes JSON (it wrote the CSV model file before), with R^2 and
// the estimates at full precision (the message on stderr rounds R^2 to 6
// digits).
TEST(PovertyCli, PmtFitJsonHasFullPrecision) {
  auto fit = SurveyArgs({"pmt", "fit"});
  fit.insert(fit.end(),
             {"--terms-from", kRef + "pmt_coefficients.csv", "--name",
              "full_sample_wls", "--version", "t1", "--json"});
  CliRun r = Cli(fit);
  ASSERT_EQ(r.code, 0) << r.err;
  json j = json::parse(r.out);  // Throws (fails) on CSV.
  const json& m = j["model"];
  EXPECT_EQ(m["name"], "full_sample_wls");
  EXPECT_EQ(m["version"], "t1");
  EXPECT_EQ(j["manifest"]["inputs"].size(), 2u);
  // R: summary(lm(...))$r.squared (reference_values.csv, r2_full_sample).
  EXPECT_NEAR(m["r_squared"].get<double>(), 0.275442729016941, 1e-12);
  ASSERT_FALSE(m["terms"].empty());
  EXPECT_EQ(m["terms"][0]["term"], "(Intercept)");
}

TEST(PovertyCli, ErrorsHaveExitCodesAndSayWhy) {
  // Missing required option: usage error (--line is optional: the
  // official line is the default).
  CliRun usage = Cli({"poverty", "measures", "--line", "1"});
  EXPECT_EQ(usage.code, 1);
  // Missing file: not found.
  CliRun missing = Cli({"poverty", "measures", "--households",
                        "/nonexistent/households.csv", "--line", "1"});
  EXPECT_EQ(missing.code, 3) << missing.err;
  // A bad scenario names the JSON path.
  auto args = SurveyArgs({"poverty", "simulate"});
  args.insert(args.end(),
              {"--scenario",
               WriteFile("bad.json",
                         R"json({"parameter_version": "x", "date": "2024-01-01",
                             "baseline": {"name": "b"},
                             "reforms": [{"name": "r", "rules": [
                               {"programme": "cmp", "max_agee": 17,
                                "amount": 1}]}]})json"),
               "--line", "200000"});
  CliRun bad = Cli(args);
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("reforms[0].rules[0]: unknown key 'max_agee'"),
            std::string::npos)
      << bad.err;
}

TEST(PovertyCli, SimulateOnTheRegister) {
  auto database =
      backends::testing::TestDatabase::Make(backends::testing::ApiTestEngine());
  ASSERT_TRUE(database.ok()) << database.status().ToString();
  const std::string db = (*database)->url();
  {
    auto store = (*database)->Connect();
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    std::vector<registry::Household> hh(2);
    hh[0].id = "A1";
    hh[0].soum_code = hh[0].current_soum_code = 18110;
    hh[1].id = "B1";
    hh[1].soum_code = hh[1].current_soum_code = 11101;
    std::vector<registry::Person> pe(4);
    const char* rn[] = {"УБ79031512", "УБ09031521", "УБ15031523", "УБ89031534"};
    const int year[] = {1979, 2009, 2015, 1989};
    for (int i = 0; i < 4; ++i) {
      pe[i].register_no = rn[i];
      pe[i].household_id = i < 3 ? "A1" : "B1";
      pe[i].family_name = "Боржигон";
      pe[i].father_name = "Бат";
      pe[i].given_name = "Болд";
      pe[i].birth_date = Date::FromYmd(year[i], 3, 15);
      pe[i].relation = i == 0 || i == 3 ? registry::Relation::kHead
                                        : registry::Relation::kChild;
    }
    auto w = (*store)->Get<registry::Repository>().Upsert(
        hh, pe, {"test", "poverty_cli_test"});
    ASSERT_TRUE(w.ok()) << w.status().ToString();
  }
  const std::string scenario = WriteFile("register.json", R"json({
    "date": "2024-06-01",
    "baseline": {"name": "baseline", "programmes": [
      {"programme": "child_money", "eligibility": "age <= 17",
       "amount": "param(\"child_money.monthly\")"}]},
    "reforms": [{"name": "cmp120",
      "parameters": {"child_money.monthly": [{"from": "2024-01-01",
                                              "value": 120000}]},
      "programmes": [{"programme": "child_money", "eligibility": "age <= 17",
                      "amount": "param(\"child_money.monthly\")"}]}]})json");
  CliRun r = Cli(
      {"poverty", "simulate", "--db", db, "--scenario", scenario, "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  json j = json::parse(r.out);
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0]["fiscal"]["cost_change_month_mnt"], 2 * 20000);
  EXPECT_EQ(j[0]["fiscal"]["cost_change_year_mnt"], 12 * 2 * 20000);
  EXPECT_EQ(j[0]["programmes"][0]["beneficiaries_reform"], 2);
  EXPECT_NE(
      j[0]["manifest"]["reform"]["parameter_version"].get<std::string>().find(
          "+patch-"),
      std::string::npos);
  EXPECT_TRUE(j[0]["measures"].is_string());  // no consumption on a register
  // With consumption, the measures too.
  const std::string cons =
      WriteFile("cons.csv", "household_id,consumption\nA1,500000\nB1,300000\n");
  CliRun m = Cli({"poverty", "simulate", "--db", db, "--scenario", scenario,
                  "--consumption", cons, "--line", "200000"});
  ASSERT_EQ(m.code, 0) << m.err;
  EXPECT_NEAR(CsvValue(m.out, "baseline,national,fgt0"), 3.0 / 4, 1e-12);
  EXPECT_NEAR(CsvValue(m.out, "cmp120,national,fgt0"), 3.0 / 4, 1e-12);
  EXPECT_NEAR(CsvValue(m.out, "cmp120,national,cost_change_month_mnt"), 40000,
              0);
}

TEST(PovertyCli, OfficialLineIsTheDefaultAndNamed) {
  auto args = SurveyArgs({"poverty", "measures"});
  args.insert(args.end(),
              {"--line-date", "2017-03-01", "--se", "none", "--json"});
  CliRun r = Cli(args);
  ASSERT_EQ(r.code, 0) << r.err;
  json j = json::parse(r.out);
  EXPECT_EQ(j["manifest"]["poverty_line"], 146100);
  EXPECT_EQ(j["manifest"]["poverty_line_source"]["parameter"],
            "poverty.line.per_capita");
  EXPECT_EQ(j["manifest"]["poverty_line_source"]["in_force_from"],
            "2016-01-01");
  // No official line before 2016, nor for another equivalence scale.
  args = SurveyArgs({"poverty", "measures"});
  args.insert(args.end(), {"--line-date", "2015-01-01"});
  EXPECT_EQ(Cli(args).code, 5);
  args = SurveyArgs({"poverty", "measures"});
  args.insert(args.end(), {"--scale", "oecd_modified"});
  CliRun oecd = Cli(args);
  EXPECT_EQ(oecd.code, 5);
  EXPECT_NE(oecd.err.find("give the line"), std::string::npos) << oecd.err;
}

TEST(PovertyCli, DecomposeAndChange) {
  auto args = SurveyArgs({"poverty", "measures"});
  args.insert(args.end(),
              {"--line", "200000", "--se", "none", "--decompose", "urban"});
  CliRun r = Cli(args);
  ASSERT_EQ(r.code, 0) << r.err;
  const double c0 = CsvValue(r.out, "decomposition,urban_0,contribution_fgt0");
  const double c1 = CsvValue(r.out, "decomposition,urban_1,contribution_fgt0");
  EXPECT_NEAR(c0 + c1, 1, 1e-12);
  EXPECT_GT(CsvValue(r.out, "decomposition,national,between_theil_T_ge1"), 0);
  // The same survey twice: no change, no components.
  CliRun same =
      Cli({"poverty", "change", "--before-households", kRef + "households.csv",
           "--after-households", kRef + "households.csv", "--line", "200000"});
  ASSERT_EQ(same.code, 0) << same.err;
  EXPECT_NEAR(CsvValue(same.out, "growth_redistribution,national,before_fgt0"),
              0.284538130317802, 1e-12);
  EXPECT_EQ(CsvValue(same.out, "growth_redistribution,national,growth_fgt0"),
            0);
  EXPECT_EQ(
      CsvValue(same.out, "growth_redistribution,national,redistribution_fgt1"),
      0);
}

}  // namespace
}  // namespace malchin
