// The rima commands of the `malchin` binary, run in-process (RunCli) on
// the reference survey: `malchin rima` lists the subcommands, and a fit
// with FAO's factor-count screen reports the golden factor counts, screen
// and robust (lavaan robust.sem) standard errors in its JSON summary, its
// CSV reports and, through the saved model, in `rima report`.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/cli.h"
#include "cli/testing.h"
#include "csv/csv.h"

namespace malchin {
namespace {

using nlohmann::json;

const std::string kRef = std::string(MALCHIN_SHARED_DIR) + "/reference/rima/";
const std::string kSpec =
    std::string(MALCHIN_SOURCE_DIR) + "/src/rima/testdata/herders_spec.json";

using cli::testing::CliRun;

CliRun Cli(const std::vector<std::string>& args) {
  return cli::testing::Run(args);
}

std::string TempDir() {
  auto dir = std::filesystem::temp_directory_path() /
             ("rima_cli_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir.string();
}

// Rows of a CSV file keyed by the first `key_columns` fields joined by
// '|', each a map column -> value.
using Rows = std::map<std::string, std::map<std::string, std::string>>;
Rows ReadRows(const std::string& path, int key_columns) {
  Rows rows;
  auto data = csv::ReadFile(path);
  EXPECT_TRUE(data.ok()) << path;
  if (!data.ok()) return rows;
  std::vector<std::string> header;
  Status st = csv::ReadRecords(path, *data, {}, [&](const csv::Record& r) {
    if (header.empty()) {
      header = r.fields;
      return Status::Ok();
    }
    std::string key;
    for (int i = 0; i < key_columns; ++i) {
      std::string f = r.fields[i];
      for (auto& c : f) c = static_cast<char>(std::tolower(c));
      key += (i ? "|" : "") + f;
    }
    for (size_t i = 0; i < header.size() && i < r.fields.size(); ++i) {
      rows[key][header[i]] = r.fields[i];
    }
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
  return rows;
}

TEST(RimaCli, RimaAloneAndHelpListTheSubcommands) {
  CliRun help = Cli({"rima", "--help"});
  EXPECT_EQ(help.code, 0) << help.err;
  for (const char* sub :
       {"rima fit", "rima score", "rima report", "rima explain"}) {
    EXPECT_NE(help.out.find(std::string("malchin ") + sub), std::string::npos)
        << help.out;
  }
  CliRun bare = Cli({"rima"});
  EXPECT_EQ(bare.code, 2);
  EXPECT_NE(bare.err.find("malchin rima fit"), std::string::npos) << bare.err;
  EXPECT_NE(bare.err.find("expected a subcommand"), std::string::npos);
  EXPECT_EQ(bare.err.find("unknown command"), std::string::npos);
}

TEST(RimaCli, FitWithTheFaoScreenReportsRobustStandardErrors) {
  const std::string dir = TempDir();
  const std::string model = dir + "/model.json", report = dir + "/report";
  CliRun fit =
      Cli({"rima", "fit", "--survey", kRef + "synthetic_herders.csv", "--spec",
           kSpec, "--factor-rule", "fao_minres_screen", "--out", model,
           "--report", report, "--date", "2026-11-29", "--json"});
  ASSERT_EQ(fit.code, 0) << fit.err;
  json j = json::parse(fit.out);
  Rows summary = ReadRows(kRef + "pillar_fa_summary.csv", 1);
  for (const json& p : j["pillars"]) {
    std::string name = p["name"];
    for (auto& c : name) c = static_cast<char>(std::tolower(c));
    EXPECT_EQ(p["factor_rule"], "fao_minres_screen");
    EXPECT_EQ(p["factors"].get<int>(), std::stoi(summary[name]["numf"]))
        << name;
    EXPECT_EQ(p["fao_minres_screen"]["factors"], p["factors"]);
  }
  Rows gold = ReadRows(kRef + "mimic_parameters.csv", 3);
  int checked = 0;
  for (const json& p : j["mimic"]["parameters"]) {
    std::string key = p["lhs"].get<std::string>() + "|" +
                      p["op"].get<std::string>() + "|" +
                      p["rhs"].get<std::string>();
    for (auto& c : key) c = static_cast<char>(std::tolower(c));
    ASSERT_TRUE(gold.count(key)) << key;
    const double se = std::stod(gold[key]["se"]);
    if (se == 0) {
      EXPECT_EQ(p["se"].get<double>(), 0.0) << key;  // The marker.
      EXPECT_TRUE(p["z"].is_null());
      continue;
    }
    EXPECT_NEAR(p["se"].get<double>(), se, 1e-5 * se) << key;
    EXPECT_NEAR(p["z"].get<double>(), std::stod(gold[key]["z"]),
                1e-4 * std::abs(std::stod(gold[key]["z"])))
        << key;
    EXPECT_NEAR(p["ci_lower"].get<double>(), std::stod(gold[key]["ci.lower"]),
                1e-6)
        << key;
    EXPECT_NEAR(p["ci_upper"].get<double>(), std::stod(gold[key]["ci.upper"]),
                1e-6)
        << key;
    EXPECT_LT(p["se_standard"].get<double>(), 2 * se);  // Both present.
    ++checked;
  }
  EXPECT_EQ(checked, 10);
  // The CSV reports, and `rima report` on the saved model.
  CliRun again =
      Cli({"rima", "report", "--model", model, "--survey",
           kRef + "synthetic_herders.csv", "--out", dir + "/report2"});
  ASSERT_EQ(again.code, 0) << again.err;
  for (const std::string& d : {report, dir + "/report2"}) {
    Rows pe = ReadRows(d + "/mimic_parameters.csv", 3);
    ASSERT_EQ(pe.size(), 11u) << d;
    for (const auto& [key, row] : pe) {
      const double se = std::stod(gold[key]["se"]);
      EXPECT_NEAR(std::stod(row.at("se")), se, 1e-5 * se + 1e-12) << key;
    }
    Rows screen = ReadRows(d + "/pillar_numf_screen.csv", 2);
    Rows gold_screen = ReadRows(kRef + "pillar_numf_screen.csv", 2);
    ASSERT_EQ(screen.size(), gold_screen.size()) << d;
    for (const auto& [key, row] : gold_screen) {
      EXPECT_NEAR(std::stod(screen[key]["cum_share"]),
                  std::stod(row.at("cum_share")), 1e-9)
          << key;
    }
  }
}

TEST(RimaCli, UnknownFactorRuleIsInvalid) {
  CliRun r =
      Cli({"rima", "fit", "--survey", kRef + "synthetic_herders.csv", "--spec",
           kSpec, "--factor-rule", "scree", "--out", TempDir() + "/m.json"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("expected kaiser or fao_minres_screen"),
            std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace malchin
